import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import { buildComparison, type ComparisonRun, comparisonRunFromTrials, regretBands } from '../src/comparison.js';

const run = (variant: string, seed: number, values: (number | null)[]): ComparisonRun => ({
  variant,
  seed,
  direction: 'minimize',
  values,
});

/** The labels of a chart's y axis as Vega draws them (no renderer: the scene graph only). */
const yLabels = async (spec: unknown): Promise<string[]> => {
  type SceneItem = { text?: unknown; datum?: { scale?: string }; items?: SceneMark[] };
  type SceneMark = { role: string; items: SceneItem[] };
  const view = new View(parse(compile(spec as TopLevelSpec).spec), { renderer: 'none' });
  await view.runAsync();
  const labels: string[] = [];
  const walk = (mark: SceneMark, y: boolean) => {
    for (const item of mark.items) {
      const inY = y || (mark.role === 'axis' && item.datum?.scale === 'y');
      if (inY && mark.role === 'axis-label') labels.push(String(item.text));
      for (const child of item.items ?? []) walk(child, inY);
    }
  };
  walk((view.scenegraph() as unknown as { root: SceneMark }).root, false);
  view.finalize();
  return labels;
};

describe('comparison', () => {
  const runs = [
    run('a', 1, [5, 3, 4, 1]),
    run('a', 2, [6, 2, 2, 2]),
    run('a', 3, [null, 4, 0.5, 3]),
    run('b', 1, [9, 8, 7, 6]),
  ];

  it('says which variant has the best median final loss and by how much, in the study direction (trial 92)', () => {
    expect(buildComparison(runs).notes).toContain(
      "Best median final loss: a (1), then b (6): 5 lower (83.3 % below b's) (medians of 3 and 1 runs; the box plot shows how the runs spread). Too few runs to tell this difference from chance: a rank test of the runs' final bests needs 4 runs of each variant.",
    );
    const up = runs.map((r) => ({ ...r, direction: 'maximize' as const }));
    expect(buildComparison(up).notes).toContain(
      "Best median final loss: b (9), then a (5): 4 higher (80 % above a's) (medians of 1 and 3 runs; the box plot shows how the runs spread). Too few runs to tell this difference from chance: a rank test of the runs' final bests needs 4 runs of each variant.",
    );
    const tied = [run('a', 1, [2]), run('b', 1, [2])];
    expect(buildComparison(tied).notes).toContain(
      'Best median final loss: a and b tie at 2 (medians of 1 and 1 runs; the box plot shows how the runs spread).',
    );
    expect(buildComparison([run('a', 1, [2])]).notes.join(' ')).not.toContain('Best median');
    // Review 96: a tie of three names all three; equal as shown is a tie; no share of a median at or below 0.
    const three = [run('a', 1, [2]), run('b', 1, [2]), run('c', 1, [2 + 1e-12]), run('d', 1, [3])];
    expect(buildComparison(three).notes).toContain(
      'Best median final loss: a, b and c tie at 2 (medians of 1, 1 and 1 runs; the box plot shows how the runs spread).',
    );
    expect(buildComparison([run('a', 1, [-0.001]), run('b', 1, [0.001])]).notes).toContain(
      "Best median final loss: a (-0.001), then b (0.001): 0.002 lower (medians of 1 and 1 runs; the box plot shows how the runs spread). Too few runs to tell this difference from chance: a rank test of the runs' final bests needs 4 runs of each variant.",
    );
  });

  it('says whether the leader leads by more than chance: a Mann–Whitney U test of the final bests (trial 157)', () => {
    // Eight runs each whose bests differ only by noise (scipy: mannwhitneyu gives p = 0.1303807, exact).
    const noise = [
      ...[0.0901, 0.0186, 0.1314, 0.071, 0.095, 0.088, 0.102, 0.11].map((best, seed) => run('a', seed, [best])),
      ...[0.106, 0.0758, 0.162, 0.099, 0.121, 0.113, 0.093, 0.14].map((best, seed) => run('b', seed, [best])),
    ];
    expect(buildComparison(noise).notes).toContain(
      "Best median final loss: a (0.09255), then b (0.1095): 0.01695 lower (15.5 % below b's) (medians of 8 and 8 runs; the box plot shows how the runs spread). This difference is not significant (two-sided Mann–Whitney U test of the runs' final bests, p = 0.13): it may be chance, the seeds' luck or a noisy objective's.",
    );
    // Every run of a better than every run of b: 2 of the 70 ways to rank 4 and 4 runs are as far apart.
    const apart = [
      ...[1, 2, 3, 4].map((best, seed) => run('a', seed, [best])),
      ...[5, 6, 7, 8].map((best, seed) => run('b', seed, [best])),
    ];
    expect(buildComparison(apart).notes.join('\n')).toContain(
      "This difference is unlikely from the seeds' luck alone (two-sided Mann–Whitney U test of the runs' final bests, p = 0.029); " +
        'if the objective is noisy, each run\'s best is the lowest of noisy draws, a bias the test does not cover: compare re-evaluated losses (docs/tpe.md, "Noisy objectives").',
    );
    // Maximizing, the higher bests lead; a run without a value ranks worst.
    const up = [...apart.map((r) => ({ ...r, values: [-(r.values[0] as number)], direction: 'maximize' as const }))];
    expect(buildComparison(up).notes.join('\n')).toContain('p = 0.029);');
    const empty = [...apart.slice(0, 4), ...apart.slice(4, 7), run('b', 9, [null])];
    expect(buildComparison(empty).notes.join('\n')).toContain("This difference is unlikely from the seeds' luck alone");
  });

  it('computes best-so-far regret against the best any run found, with median and quartiles per variant', () => {
    const { rows, reference } = regretBands(runs);
    expect(reference).toBe(0.5);
    const a = rows.filter((r) => r.variant === 'a');
    // After 1 trial: regrets 4.5 and 5.5 (seed 3 has no value yet).
    expect(a[0]).toMatchObject({ trials: 1, median: 5, q25: 4.75, q75: 5.25, runs: 2 });
    // After 4 trials: best 1, 2, 0.5 → regrets 0.5, 1.5, 0.
    expect(a[3]).toMatchObject({ trials: 4, median: 0.5, q25: 0.25, q75: 1, runs: 3 });
    expect(rows.filter((r) => r.variant === 'b').map((r) => r.median)).toEqual([8.5, 7.5, 6.5, 5.5]);
  });

  it('measures regret against a known optimum, maximizing too', () => {
    const up = [{ ...run('m', 1, [1, 3, 2]), direction: 'maximize' as const }];
    expect(regretBands(up, { optimum: 4 }).rows.map((r) => r.median)).toEqual([3, 1, 1]);
  });

  it("ticks the symlog regret axis at 0 and each power of ten the regrets span, and titles a maximized study's regret the right way round (trial 28)", () => {
    type Y = { title: string; scale: { constant: number }; axis: { values: number[] } };
    const yOf = (page: ReturnType<typeof buildComparison>) =>
      (page.sections[0]?.charts[0]?.spec as { layer: { encoding: { y: Y } }[] } | undefined)?.layer[0]?.encoding.y ??
      ({} as Y);
    const small = [
      run('s', 1, [5.2, 0.9, 0.05, 0.012]),
      run('s', 2, [3, 0.2, 0.03, 0.011]),
      run('t', 1, [0.01, 0.01, 0.01, 0.01]),
    ];
    const y = yOf(buildComparison(small));
    // Regrets from 0.001 to 5.19 (reference 0.01): ticks at 0, 0.001 … 10, linear only below 0.001.
    expect(y.axis.values).toEqual([0, 0.001, 0.01, 0.1, 1, 10]);
    expect(y.scale.constant).toBe(0.001);
    expect(y.title).toBe('regret (best so far − best any run found)');
    const up = [{ ...run('m', 1, [1, 3, 2]), direction: 'maximize' as const }];
    expect(yOf(buildComparison(up, { optimum: 4 })).title).toBe('regret (optimum − best so far)');
  });

  // Trial 141: the regret axis read "1e+2", then "10", "1", "0.1" ('~g' took its digits from the symlog span).
  it('labels each symlog regret axis in one format: decimals from 0.001 to 1000, else powers of ten', async () => {
    const charts = (runs: ComparisonRun[]) => {
      const page = buildComparison(runs);
      return page.sections.flatMap((section) => section.charts);
    };
    const problem = (name: string, r: ComparisonRun) => ({ ...r, problem: name });
    // Regrets from 0.001 to 300 (problem p's best 0), and a second problem (so the final chart is of regrets too).
    const decimal = charts([
      problem('p', run('a', 1, [300, 10, 0.001])),
      problem('p', run('a', 2, [300, 10, 0.001])),
      problem('p', run('b', 1, [1, 0.1, 0])),
      problem('q', run('c', 1, [5, 0.5, 0.25])),
      problem('q', run('c', 2, [5, 0.6, 0.35])),
    ]);
    const labelsOf = async (id: string) => yLabels(decimal.find((chart) => chart.id === id)?.spec);
    expect(await labelsOf('regret')).toEqual(['0', '0.001', '0.01', '0.1', '1', '10', '100']);
    expect(await labelsOf('final')).toEqual(['0', '0.001', '0.01', '0.1']);
    // Regrets from 1e-6 to 1e5: every label a power of ten.
    const wide = charts([run('w', 1, [1e5, 10, 1e-6]), run('w', 2, [3e4, 0.5, 0])]);
    const labels = await yLabels(wide.find((chart) => chart.id === 'regret')?.spec);
    expect(labels.length).toBeGreaterThan(4);
    for (const label of labels.slice(1)) expect(label).toMatch(/^1(e[-+]\d+)?$/);
  });

  it('builds a page with a regret chart (band and line per variant) and a final-loss box plot', () => {
    const page = buildComparison(runs);
    const [regret, final] = page.sections[0]?.charts ?? [];
    // Whole trials on the x axis (fractional ticks, 1.0 to 3.0 by 0.1, for a study of 3 trials).
    expect((regret?.spec as { encoding: { x: { axis?: unknown } } } | undefined)?.encoding.x.axis).toEqual({
      format: 'd',
      tickMinStep: 1,
    });
    expect(regret?.marks).toEqual([
      { mark: 'area', count: 2 },
      { mark: 'line', count: 2 },
    ]);
    expect(final?.marks).toEqual([{ mark: 'symbol', count: 4 }]);
    // A run's point names its best by the project's word, a loss (its tooltip said "value").
    type Layers = { layer: { encoding: { tooltip?: { field: string; title?: string }[] } }[] };
    const points = (final?.spec as Layers | undefined)?.layer[1]?.encoding.tooltip;
    expect(points?.find((entry) => entry.field === 'value')?.title).toBe('best loss');
    // The column of runs without a complete trial has the name `parzen run`'s comparison gives it (trial 44).
    // With the best, worst, complete and failed columns of `parzen run`'s table, and ranked best first there too.
    expect(page.table?.columns.join(', ')).toBe(
      'variant, runs, no best, median best, best, worst, q25, q75, vs first, complete, failed',
    );
    expect(page.table?.rows).toEqual([
      ['a', 3, 0, 1, 0.5, 2, 0.75, 1.5, '-', 11, 0],
      ['b', 1, 0, 6, 6, 6, 6, 6, 'few runs', 4, 0],
    ]);
    expect(page.table?.rankedBy).toBe('median best');
  });

  it("measures each run's regret from the best of its own problem (trial 36: one reference for all)", () => {
    const two = [
      { ...run('p', 1, [3, 1, 0.5]), problem: 'zero-min' },
      { ...run('p', 2, [2, 0.1, 0.1]), problem: 'zero-min' },
      { ...run('q', 1, [-1, -1.8, -2]), problem: 'minus-two' },
    ];
    const { rows, problems } = regretBands(two);
    expect(problems).toBe(2);
    // p's regrets are from 0.1 (its own best), not from q's −2.
    expect(rows.filter((r) => r.variant === 'p').map((r) => Number(r.median.toFixed(12)))).toEqual([2.4, 0.45, 0.2]);
    expect(rows.filter((r) => r.variant === 'q').map((r) => Number(r.median.toFixed(12)))).toEqual([1, 0.2, 0]);
    const page = buildComparison(two);
    expect(page.notes.join(' ')).toContain('2 problems');
    // The final box plot too: each run's final regret from its problem's best, on a symlog axis (trial 64: the
    // losses of two problems on one linear axis flattened one's boxes at 0).
    const final = page.sections.flatMap((section) => section.charts).find((chart) => chart.id === 'final');
    expect(final?.title).toBe('Final regret per run');
    const spec = final?.spec as {
      data: { values: { variant: string; regret: number }[] };
      layer: { encoding: { y: { field: string; scale?: { type: string } } } }[];
    };
    expect(spec.data.values.map((value) => [value.variant, Number(value.regret.toFixed(12))])).toEqual([
      ['p', 0.4],
      ['p', 0],
      ['q', 0],
    ]);
    expect(spec.layer[0]?.encoding.y).toMatchObject({ field: 'regret', scale: { type: 'symlog' } });
    // One run per problem: every regret 0, drawn on an axis from 0 to 1 (review 68: collapsed at 0).
    const single = buildComparison([two[0], two[2]] as typeof two)
      .sections.flatMap((section) => section.charts)
      .find((chart) => chart.id === 'final');
    expect(
      (single?.spec as { layer: { encoding: { y: { scale?: { domain?: number[] } } } }[] } | undefined)?.layer[0]
        ?.encoding.y.scale?.domain,
    ).toEqual([0, 1]);
    // Every run at the best from its first trial: the best-so-far chart's axis runs from 0 to 1 too (review 70).
    const atOnce = buildComparison([run('a', 1, [2, 3, 4]), run('b', 1, [2, 5, 6])])
      .sections.flatMap((section) => section.charts)
      .find((chart) => chart.id === 'regret');
    expect(
      (atOnce?.spec as { layer: { encoding: { y: { scale?: { domain?: number[] } } } }[] } | undefined)?.layer[0]
        ?.encoding.y.scale?.domain,
    ).toEqual([0, 1]);
    // One problem: the losses themselves, as before.
    const one = buildComparison(runs)
      .sections.flatMap((section) => section.charts)
      .find((chart) => chart.id === 'final');
    expect((one?.spec as typeof spec | undefined)?.layer[0]?.encoding.y.field).toBe('value');
  });

  it('gives up to twenty variants colours of their own and whole labels (trial 64: fourteen on ten colours, labels cut)', () => {
    const many = Array.from({ length: 14 }, (_, i) => run(`a long common prefix, then variant ${i}`, 1, [i, i / 2]));
    const charts = buildComparison(many).sections.flatMap((section) => section.charts);
    const regret = charts.find((chart) => chart.id === 'regret')?.spec as {
      encoding: { color: { scale: { range: string[] } } };
    };
    expect(new Set(regret.encoding.color.scale.range).size).toBe(20);
    const final = charts.find((chart) => chart.id === 'final')?.spec as {
      encoding: { x: { axis: { labelLimit: number } } };
    };
    // No limit (0): a limit in pixels cut the names where Node's renderer guesses widths (review 68).
    const legend = charts.find((chart) => chart.id === 'regret')?.spec as {
      encoding: { color: { legend: { labelLimit: number } } };
    };
    expect(final.encoding.x.axis.labelLimit).toBe(0);
    expect(legend.encoding.color.legend.labelLimit).toBe(0);
  });

  it('says which variants have runs of unequal length (trial 36: an interrupted run pooled without a word)', () => {
    const page = buildComparison([run('a', 1, [3, 2, 1]), run('a', 2, [3]), run('b', 1, [2, 2]), run('b', 2, [1, 1])]);
    expect(page.notes.join(' ')).toContain(
      // Review 155: the stores keep no stop reason, so the report does not call a stopper's runs "not like for like".
      'Runs of unequal length (a stopper, a time budget, an interruption or a budget changed between runs ended some early; the stores do not keep which), their bests come from different numbers of trials: a (1–3 finished trials).',
    );
    expect(buildComparison(runs.slice(0, 2)).notes.join(' ')).not.toContain('unequal');
    // Trial 72: as many trials, but one run's best trial was cut short (failed, counted by the budget).
    const cut = buildComparison([run('a', 1, [3, 2, 1]), { ...run('a', 2, [3, 2, null]), failed: 1, cutShort: 1 }]);
    expect(cut.notes.join(' ')).toContain(
      "Runs with trials cut short (kill -9, a second Ctrl-C, a lost worker), which count toward the budget and are not run again (an enqueued entry's runs again, in a trial of its own that counts too): their bests come from fewer evaluated trials, not like for like: a (1 cut short). `parzen run CONFIG --study NAME --more-trials N` runs one study's N more.",
    );
    // A variant whose objective failed more than another's is named with both ranges; seeds of one variant
    // that failed differently are not (trial 165: every variant was named, the one that failed fewest too).
    const failing = buildComparison([
      { ...run('a', 1, [3, 2, null]), failed: 1 },
      run('a', 2, [3, 2, 1]),
      { ...run('b', 1, [null, 2, null]), failed: 2 },
      { ...run('b', 2, [null, null, 1]), failed: 2 },
    ]);
    expect(failing.notes.join(' ')).toContain('b (2 failed per run; a 0–1).');
    expect(failing.notes.join(' ')).not.toContain('a (');
    expect(cut.notes.join(' ')).not.toContain('unequal');
    // Runs of two problems are not compared (review 79), nor are running trials counted as finished.
    const apart = buildComparison([
      { ...run('a', 1, [3, 2, 1]), problem: 'p' },
      { ...run('b', 1, [3, 2, null]), failed: 1, problem: 'q' },
      { ...run('b', 2, [3, 2, null]), failed: 1, problem: 'q' },
    ]);
    expect(apart.notes.join(' ')).not.toContain('failed more often');
    const live = buildComparison([run('a', 1, [3, 2]), { ...run('a', 2, [3, 2, null]), running: 1 }]);
    expect(live.notes.join(' ')).not.toContain('unequal');
    expect(comparisonRunFromTrials('v', 1, 'minimize', [])).not.toHaveProperty('failed');
    // The curve goes on dashed past the shorter run's end (trial 64: a best-so-far median rose there, unmarked).
    const { rows } = regretBands([run('a', 1, [3, 2, 1]), run('a', 2, [3]), run('b', 1, [2, 2])]);
    expect(rows.map((row) => `${row.variant}${row.trials}${row.partial ? ' partial' : ''}`)).toEqual([
      'a1',
      'a1 partial',
      'a2 partial',
      'a3 partial',
      'b1',
      'b2',
    ]);
  });

  it('counts a run without a complete trial, and names its variant (trial 36: "runs 0")', () => {
    const page = buildComparison([run('ok', 1, [2, 1]), run('broken', 1, [null, null]), run('broken', 2, [null])]);
    expect(page.table?.rows).toEqual([
      ['ok', 1, 0, 1, 1, 1, 1, 1, '-', 2, 0],
      ['broken', 2, 2, null, null, null, null, null, 'few runs', 0, 0],
    ]);
    expect(page.notes.join(' ')).toContain('left out of the charts: broken');
    // No run with a complete trial: no empty chart, and the section says why.
    const none = buildComparison([run('broken', 1, [null, null]), run('broken', 2, [null])]);
    expect(none.sections).toEqual([
      {
        id: 'comparison',
        title: 'Comparison',
        text: ['No run has a complete trial yet: nothing to draw.'],
        charts: [],
      },
    ]);
    expect(none.table?.rows).toEqual([['broken', 2, 2, null, null, null, null, null, 0, 0]]);
  });

  it('has a pruned column when a run has pruned trials, so the counts add up to the trials (as `parzen run`)', () => {
    const at = '2026-01-01T00:00:00.000Z';
    const pruned = comparisonRunFromTrials('v', 1, 'minimize', [
      { study: 's', number: 0, state: 'complete', internal: {}, loss: 3, startedAt: at, finishedAt: at },
      { study: 's', number: 1, state: 'pruned', internal: {}, loss: 5, startedAt: at, finishedAt: at },
      { study: 's', number: 2, state: 'pruned', internal: {}, loss: 4, startedAt: at, finishedAt: at },
    ]);
    expect(pruned).toMatchObject({ values: [3, null, null], pruned: 2 });
    expect(pruned).not.toHaveProperty('failed');
    const page = buildComparison([pruned, { ...run('v', 2, [2, null, 1]), failed: 1 }, run('w', 1, [4, 4, 4])]);
    expect(page.table?.columns.slice(-3)).toEqual(['complete', 'failed', 'pruned']);
    // complete + failed + pruned: each variant's trials (v: 6, w: 3).
    expect(page.table?.rows.map((row) => [row[0], ...row.slice(-3)])).toEqual([
      ['v', 3, 1, 2],
      ['w', 3, 0, 0],
    ]);
    // No run pruned: no column, as `parzen run`'s table has none.
    expect(buildComparison([run('w', 1, [4, 4, 4])]).table?.columns).not.toContain('pruned');
  });

  it('has the "vs first" column of `parzen run`\'s comparison: the rank test against the best median (review 162)', () => {
    // Listed first, `slow` has the worse median: the table lists the variants by median best, as the CLI does.
    const four = (variant: string, finals: number[]) => finals.map((final, i) => run(variant, i + 1, [9, final]));
    const page = buildComparison([...four('slow', [5, 6, 7, 8]), ...four('fast', [1, 2, 3, 4])]);
    expect(page.table?.columns.at(-3)).toBe('vs first');
    // Every run of `fast` below every one of `slow`: exact p = 2 / C(8, 4) = 0.0286, as the sentence says.
    expect(page.table?.rows.map((row) => [row[0], row.at(-3)])).toEqual([
      ['fast', '-'],
      ['slow', 'p=0.029'],
    ]);
    expect(page.notes.join(' ')).toContain('p = 0.029');
    expect(page.table?.legend?.['vs first']).toContain(
      "p of a two-sided Mann–Whitney U test of the variant's run bests against those of fast, the first by median best, as `parzen run`'s comparison has it",
    );
    // Maximizing, the highest median is first.
    const up = (variant: string, finals: number[]) =>
      finals.map((final, i) => ({ ...run(variant, i + 1, [0, final]), direction: 'maximize' as const }));
    const maximized = buildComparison([...up('low', [1, 2, 3, 4]), ...up('high', [5, 6, 7, 8])]);
    expect(maximized.table?.rows.map((row) => [row[0], row.at(-3)])).toEqual([
      ['high', '-'],
      ['low', 'p=0.029'],
    ]);
    // One variant: nothing to test, no column.
    expect(buildComparison(four('alone', [1, 2, 3, 4])).table?.columns).not.toContain('vs first');
  });

  it('tests each variant against the first of its own problem only', () => {
    const on = (variant: string, problem: string, finals: number[]) =>
      finals.map((final, i) => ({ ...run(variant, i + 1, [9, final]), problem }));
    const page = buildComparison([
      ...on('a1', 'p', [1, 2, 3, 4]),
      ...on('a2', 'p', [5, 6, 7, 8]),
      ...on('b1', 'q', [10, 20, 30, 40]),
    ]);
    expect(page.table?.rows.map((row) => [row[0], row.at(-3)])).toEqual([
      ['a1', '-'],
      ['a2', 'p=0.029'],
      ['b1', '-'],
    ]);
    expect(page.table?.legend?.['vs first']).toContain(
      '(a1, b1: variants of different problems are not tested against each other)',
    );
  });

  it('thins long curves to maxSteps trial counts, keeping the last', () => {
    const long = [
      run(
        'a',
        1,
        Array.from({ length: 1000 }, (_, i) => 1000 - i),
      ),
    ];
    const { rows } = regretBands(long, { maxSteps: 50 });
    expect(rows).toHaveLength(50);
    expect(rows.at(-1)?.trials).toBe(1000);
  });

  it('reads complete trials from a study', () => {
    const at = '2026-01-01T00:00:00.000Z';
    const converted = comparisonRunFromTrials('v', 7, 'minimize', [
      {
        study: 's',
        number: 1,
        state: 'failed',
        internal: {},
        error: { code: 'X', message: 'x' },
        startedAt: at,
        finishedAt: at,
      },
      { study: 's', number: 0, state: 'complete', internal: {}, loss: 3, startedAt: at, finishedAt: at },
    ]);
    expect(converted.values).toEqual([3, null]);
    expect(converted).not.toHaveProperty('running');
    expect(converted.failed).toBe(1);
    expect(converted).not.toHaveProperty('cutShort');
    const killed = comparisonRunFromTrials('v', 7, 'minimize', [
      { study: 's', number: 0, state: 'complete', internal: {}, loss: 3, startedAt: at, finishedAt: at },
      {
        study: 's',
        number: 1,
        state: 'failed',
        internal: {},
        error: { code: 'INTERRUPTED', message: 'x' },
        startedAt: at,
        finishedAt: at,
      },
    ]);
    expect(killed).toMatchObject({ failed: 1, cutShort: 1 });
  });

  it('says the page is a snapshot when trials were still running (trial 56: a comparison made mid-run did not)', () => {
    const at = '2026-01-01T00:00:00.000Z';
    const live = comparisonRunFromTrials('tpe', 2, 'minimize', [
      { study: 's', number: 0, state: 'complete', internal: {}, loss: 3, startedAt: at, finishedAt: at },
      { study: 's', number: 1, state: 'running', internal: {}, startedAt: at },
      { study: 's', number: 2, state: 'running', internal: {}, startedAt: at },
    ]);
    expect(live.running).toBe(2);
    // A trial whose worker is gone (a lapsed lease of another host) is no longer running (review 58).
    const gone = comparisonRunFromTrials('tpe', 3, 'minimize', [
      {
        study: 's',
        number: 0,
        state: 'running',
        internal: {},
        startedAt: at,
        lease: { owner: 'elsewhere:1:run', expiresAt: at },
      },
    ]);
    expect(gone).not.toHaveProperty('running');
    const done = comparisonRunFromTrials('tpe', 1, 'minimize', [
      { study: 's', number: 0, state: 'complete', internal: {}, loss: 2, startedAt: at, finishedAt: at },
    ]);
    const page = buildComparison([done, live]);
    expect(page.notes).toContain(
      '2 trials were still running when this page was made, in one run (tpe seed 2): it is a snapshot, and their curves and final bests may still change.',
    );
    expect(buildComparison([done]).notes.join(' ')).not.toContain('still running');
  });
});
