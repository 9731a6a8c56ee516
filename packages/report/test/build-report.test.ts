import { choice, option, type Trial, uniform } from '@parzen/engine';
import { compileSpace, type ParamNode, ParzenError } from '@parzen/engine/plugin';
import { describe, expect, it } from 'vitest';
import { MIN_PAIR_TRIALS } from '../src/build-report.js';
import { optionLabels } from '../src/charts/common.js';
import { categoricalChart } from '../src/charts/tpe-charts.js';
import {
  buildReport,
  type Chart,
  type ReportPage,
  type ReportStudy,
  renderHtml,
  replaySuggestions,
} from '../src/index.js';
import { downsampleIndices, ecdfChart, pageCharts, pairChart, type TrialPoint, trialPoints } from '../src/plugin.js';
import { startupDraws } from '../src/replay.js';
import { everyThirdPruner, heart, mixedObjective, mixedSpace, mixedTraining, runTpeStudy } from './fixtures.js';

const chart = (page: ReportPage, id: string): Chart => {
  const found = pageCharts(page).find((c) => c.id === id);
  if (found === undefined) throw new Error(`no chart ${id}: ${pageCharts(page).map((c) => c.id)}`);
  return found;
};
const marks = (c: Chart, mark: string) => c.marks.find((m) => m.mark === mark)?.count;
type Encoding = { axis?: unknown; scale?: { domain?: number[] } };
type Layer = { data?: { values: Record<string, unknown>[] }; mark: unknown; encoding: { x: Encoding; y: Encoding } };
const layers = (c: Chart) => (c.spec as { layer: Layer[] }).layer;
/** The learning curves' reports: one copy, the spec's own data, for its lines and points. */
const reportRows = (c: Chart) => (c.spec as { data?: { values: Record<string, unknown>[] } }).data?.values ?? [];
/**
 * A pair plot's trials: its numbers' layer and its dots' (the best trial's ring, unfilled, is neither, nor are the
 * numbers' white halos, nor the marks beside some numbers, offset).
 */
const trialLayers = (c: Chart) =>
  layers(c).filter((layer) => {
    const mark = layer.mark as { type: string; filled?: boolean; fill?: string; xOffset?: number };
    return (
      (mark.type === 'text' && mark.fill !== 'white') ||
      (mark.type === 'point' && mark.filled !== false && mark.xOffset === undefined)
    );
  });

describe('buildReport on a mixed study (uniform, log-uniform, choice; failed trials)', async () => {
  const study = await runTpeStudy(40, { space: mixedSpace, objective: mixedObjective, tpe: { startupTrials: 8 } });
  const page = await buildReport(study, { every: 5 });
  const complete = study.trials.filter((t) => t.state === 'complete');
  const failed = study.trials.filter((t) => t.state === 'failed');

  it('has failed trials to show', () => {
    expect(failed.length).toBeGreaterThan(0);
  });

  it('says how often snapshots were taken, in words for one (trial 92: "after every 1 trials")', async () => {
    const text = (report: typeof page) => report.sections.flatMap((section) => section.text).join(' ');
    expect(text(page)).toContain('One snapshot after every 5 trials');
    expect(text(await buildReport(study, { every: 1 }))).toContain('One snapshot after every trial');
  });

  it('draws every finished trial in the history and one best-so-far line', () => {
    const history = chart(page, 'history');
    expect(marks(history, 'symbol')).toBe(40);
    const rows = layers(history)[0]?.data?.values ?? [];
    expect(rows.filter((r) => r.state === 'failed' && r.valued === false)).toHaveLength(failed.length);
    // Its tooltip says it has no loss (trial 115: it gave the height its cross is drawn at, another trial's loss).
    expect(rows.filter((r) => r.state === 'failed').every((r) => r.said === 'none (failed)')).toBe(true);
    const done = rows.find((r) => r.state === 'complete');
    expect(done?.said).toBe(String(Number(Number(done?.loss).toPrecision(6))));
    // One legend, its failed entry a cross as drawn, only the states the study has.
    const encoding = layers(history)[0]?.encoding as unknown as Record<
      string,
      { scale: { domain: string[]; range: string[] } }
    >;
    const states = [...new Set(study.trials.map((t) => t.state))];
    expect(encoding.color?.scale.domain).toEqual(
      ['complete', 'pruned', 'failed'].filter((s) => states.includes(s as never)),
    );
    expect(encoding.shape?.scale.range[encoding.shape.scale.domain.indexOf('failed')]).toBe('cross');
    const best = layers(history)[1]?.data?.values ?? [];
    expect(best.at(-1)?.best).toBe(Math.min(...complete.map((t) => (t as { loss: number }).loss)));
  });

  it("draws the seed's l/g curves for numeric parameters and bars for the choice, one row per snapshot", () => {
    const x = chart(page, 'density-x');
    expect(marks(x, 'line')).toBe(3 * 7);
    expect(marks(x, 'rule')).toBe(7);
    // g dashed, l and the difference solid: not told apart by green and red alone (trial 92).
    expect(JSON.stringify(x.spec)).toContain(
      '"strokeDash":{"field":"series","type":"nominal","scale":{"domain":["log l(x) (good trials)","log g(x) (the others)"',
    );
    expect(JSON.stringify(x.spec)).toContain('"range":[[1,0],[5,3],[1,0]]');
    // Its legend draws lines, so the dashes show (trial 132: filled dots, the dashed g a blob).
    expect(JSON.stringify(x.spec)).toContain('"legend":{"orient":"top","symbolType":"stroke"');
    expect(x.title).toBe('What TPE saw: x');
    const data = (x.spec as { data: { values: Record<string, unknown>[] } }).data.values;
    expect(new Set(data.map((r) => r.a))).toEqual(new Set([10, 15, 20, 25, 30, 35, 39]));
    const winners = data.filter((r) => r.w !== undefined);
    const stored = winners.map((r) => study.trials[r.a as number]?.internal.x);
    expect(winners.map((r) => r.w)).toEqual(stored);
    // A tick per trial that built l (green) or g (red) under each row (trial 51: not shown): after 10
    // trials, every one of the 10 that did not fail (failed: "avoid" keeps them out of l and g) is one or
    // the other, at its own value.
    const ticks = data.filter((r) => r.t !== undefined && r.a === 10);
    const before = study.trials.slice(0, 10).filter((t) => t.state !== 'failed');
    expect(before.length).toBeGreaterThan(5);
    expect(new Set(ticks.map((r) => r.s))).toEqual(new Set(['l', 'g']));
    const numeric = (values: unknown[]) => (values as number[]).sort((p, q) => p - q);
    const expected = numeric(before.map((t) => t.internal.x));
    const drawn = numeric(ticks.map((r) => r.t));
    expect(drawn).toHaveLength(expected.length);
    for (const [i, value] of drawn.entries()) expect(value).toBeCloseTo(expected[i] as number, 4);
    expect(marks(x, 'rect')).toBe(data.filter((r) => r.t !== undefined).length);
    const lr = chart(page, 'density-lr');
    expect(
      (lr.spec as { spec: { layer: { encoding: { x: { scale: { type?: string } } } }[] } }).spec.layer[0]?.encoding.x
        .scale.type,
    ).toBe('log');
    const kind = chart(page, 'categorical-kind');
    expect(marks(kind, 'rect')).toBe(7 * 3 * 2);
    expect(marks(kind, 'text')).toBe(7 + 7 * 3);
    const bars = (kind.spec as { data: { values: { after: number; p: number; set: string }[] } }).data.values;
    for (const after of [10, 35]) {
      const below = bars.filter((b) => b.after === after && b.set.startsWith('l(x)'));
      expect(below.reduce((sum, b) => sum + b.p, 0)).toBeCloseTo(1, 6);
    }
  });

  it("writes each option's score under the ▼, the chosen one's the score that won (trial 39: failures decided unseen)", async () => {
    const { snapshots } = await replaySuggestions(study, { every: 5 });
    const rows = (chart(page, 'categorical-kind').spec as { data: { values: Record<string, unknown>[] } }).data.values;
    expect(chart(page, 'categorical-kind').description).toContain('+ log P(a trial there finishes)');
    for (const snapshot of snapshots) {
      const chosen = rows.find((row) => row.after === snapshot.trialNumber && row.chosen && row.score !== undefined);
      const winner = snapshot.explanation.params.find((param) => param.name === 'kind')?.winner;
      expect(winner).toBeDefined();
      // A joint decision's score that won is the tooltip's; the one printed is the bars' (below).
      expect(chosen?.[snapshot.joint === undefined ? 'score' : 'joint']).toBeCloseTo(winner?.score as number, 3);
    }
  });

  it('draws the bars and scores of a joint decision whose log densities are far below 0 (log-sum-exp, not exp)', async () => {
    const { snapshots } = await replaySuggestions(study, { every: 5 });
    const param = study.space.params.find((p) => p.name === 'kind') as ParamNode;
    const joint = snapshots.filter((snapshot) => snapshot.joint?.slices.some((s) => s.name === 'kind'));
    expect(joint.length).toBeGreaterThan(0);
    // The same slices, each log density 2000 lower (a joint density of many parameters can be that small):
    // shares over the options are the same, and exp(−2000) is 0.
    const lowered = joint.map((snapshot) => ({
      ...snapshot,
      joint: {
        ...snapshot.joint,
        slices: snapshot.joint?.slices.map((slice) => ({
          ...slice,
          grid: {
            ...slice.grid,
            logL: slice.grid.logL.map((v) => v - 2000),
            logG: slice.grid.logG.map((v) => v - 2000),
          },
        })),
      },
    })) as typeof joint;
    const rowsOf = (drawn: typeof joint) =>
      ((categoricalChart(param, drawn) as Chart).spec as { data: { values: Record<string, unknown>[] } }).data.values;
    const before = rowsOf(joint);
    const after = rowsOf(lowered);
    expect(after.length).toBe(before.length);
    const goodBars = after.filter((row) => row.set === 'l(x) (good trials)');
    expect(goodBars.every((row) => row.score !== undefined)).toBe(true);
    expect(goodBars.some((row) => (row.p as number) > 0.1)).toBe(true);
    after.forEach((row, at) => {
      const was = before[at] as Record<string, unknown>;
      expect(row.p as number).toBeCloseTo(was.p as number, 9);
      if (was.score !== undefined) expect(row.score as number).toBeCloseTo(was.score as number, 3);
    });
  });

  // Trial 166: a joint decision's bars are its joint l and g renormalised over the options, and the score printed was the
  // joint one, which differed from the bars' by the other parameters' part: the arithmetic did not add up.
  it('prints scores a reader can compute from the bars, and says what a joint decision adds', async () => {
    const kind = chart(page, 'categorical-kind');
    const rows = (kind.spec as { data: { values: Record<string, unknown>[] } }).data.values;
    const { snapshots } = await replaySuggestions(study, { every: 5 });
    expect(snapshots.some((snapshot) => snapshot.joint !== undefined)).toBe(true);
    let checked = 0;
    for (const row of rows.filter((r) => r.set === 'l(x) (good trials)' && r.score !== undefined)) {
      const other = rows.find((r) => r.set === 'g(x) (the others)' && r.after === row.after && r.option === row.option);
      const snapshot = snapshots.find((s) => s.trialNumber === row.after);
      const param = snapshot?.explanation.params.find((p) => p.name === 'kind');
      const grid = (snapshot?.joint?.slices.find((s) => s.name === 'kind') ?? param)?.grid;
      const at = (grid?.x ?? []).findIndex((x) => param?.options?.[x] === row.option);
      const f = grid?.logFinishing?.[at] ?? 0;
      const w = param?.aboveWeight as number;
      expect(row.score).toBeCloseTo(Math.log(row.p as number) - w * Math.log(other?.p as number) + f, 3);
      checked++;
    }
    expect(checked).toBeGreaterThan(10);
    expect(kind.description).toContain('each score is computed from the bars drawn');
    // Trial 166: one name for each side of the split, as the density charts and explain name them (was "below: l(x)").
    expect(JSON.stringify(kind.spec)).toContain('"domain":["l(x) (good trials)","g(x) (the others)"]');
    expect(kind.description).toContain("the good trials' model l (green) and the others' model g (red)");
    expect(kind.description).toContain('adds the same amount to every option of a row');
  });

  it('plots the numeric pair with every finished trial as its number (or a dot where it would cover one), and no contour without a function', () => {
    const pair = chart(page, 'pair-x-lr');
    const drawn = trialLayers(pair).flatMap((layer) => layer.data?.values ?? []);
    expect(drawn).toHaveLength(40 - failed.filter((t) => t.internal.x === undefined).length);
    expect(new Set(drawn.map((row) => row.number)).size).toBe(drawn.length);
    expect(marks(pair, 'text')).toBeGreaterThanOrEqual(10);
    expect(marks(pair, 'rule')).toBeUndefined();
    expect(pageCharts(page).filter((c) => c.id.startsWith('pair-'))).toHaveLength(1);
  });

  it('draws failed trials in the pair plot apart from complete ones, and says so (trial 32)', () => {
    const pair = chart(page, 'pair-x-lr');
    const trials = trialLayers(pair).at(-1) as Layer & {
      encoding: { color: { condition: { test: string; value: string }[]; value: string } };
    };
    const rows = trialLayers(pair)
      .flatMap((layer) => layer.data?.values ?? [])
      .sort((a, b) => (a.number as number) - (b.number as number));
    const drawnFailed = failed.filter((t) => t.internal.x !== undefined && t.internal.lr !== undefined);
    expect(drawnFailed.length).toBeGreaterThan(0);
    expect(rows.filter((r) => r.state === 'failed').map((r) => r.number)).toEqual(drawnFailed.map((t) => t.number));
    const failedColour = trials.encoding.color.condition.find((c) => c.test.includes("'failed (no loss)'"))?.value;
    expect(failedColour).toBeDefined();
    expect(failedColour).not.toBe(trials.encoding.color.value);
    expect(pair.description).toContain('failed trials light grey');
    // The best trial ringed, so it is found by shape too, not by red alone (trial 92), under the trials' layer so
    // that hovering it shows the trial's own tooltip (review 96).
    const ring = layers(pair).find((layer) => (layer.mark as { filled?: boolean }).filled === false) as Layer & {
      mark: { type: string; filled: boolean };
    };
    // Under the numbers' layer (the last), over the dots (and the numbers' halos under those).
    expect(layers(pair).indexOf(ring)).toBe(layers(pair).length - 2);
    expect(ring.mark).toMatchObject({ type: 'point', filled: false });
    expect(ring.data?.values.map((r) => r.number)).toEqual([rows.find((r) => r.best)?.number]);
    expect(pair.description).toContain('the best is red, in a ring');
    const conditions = trials.encoding.color.condition.map((c) => [c.test, c.value]);
    expect(conditions).toContainEqual(["datum.kind === 'pruned'", '#ff7f0e']);
    // As dots (more than 300 trials), failed ones are crosses.
    const points = trialPoints(study);
    const many = Array.from({ length: 320 }, (_, i) => ({ ...(points[i % points.length] as TrialPoint), number: i }));
    const [x, lr] = ['x', 'lr'].map((name) => study.space.byName.get(name)) as [ParamNode, ParamNode];
    const dots = layers(pairChart(many, x, lr, undefined, undefined)).at(-1) as unknown as {
      mark: { type: string };
      encoding: { shape: { field: string; scale: { domain: string[]; range: string[] } } };
    };
    expect(dots.mark.type).toBe('point');
    const { domain, range } = dots.encoding.shape.scale;
    expect(range[domain.indexOf('failed (no loss)')]).toBe('cross');
  });

  it('draws fANOVA importance by default and PED-ANOVA when asked, the caption saying which', async () => {
    const overview = (report: ReportPage) => report.sections.find((s) => s.id === 'overview')?.text.join(' ') ?? '';
    expect(chart(page, 'importance').title).toBe('Parameter importance (fANOVA)');
    expect((chart(page, 'importance').spec as { title: string }).title).toBe('Parameter importance (fANOVA)');
    expect(overview(page)).toMatch(/Importance is fANOVA .* a random forest of 64 trees/);
    const ped = await buildReport(study, { every: 5, importance: 'ped-anova' });
    expect(chart(ped, 'importance').title).toBe('Parameter importance (PED-ANOVA)');
    expect(overview(ped)).toMatch(/^Importance is PED-ANOVA/);
    // Seeded by the study's seed: the same page twice draws the same importances.
    expect(chart(await buildReport(study, { every: 5 }), 'importance').spec).toEqual(chart(page, 'importance').spec);
  });

  it('ranks importance and lists every trial in the table, with the best trial', () => {
    expect(marks(chart(page, 'importance'), 'rect')).toBe(3);
    expect(page.table?.rows).toHaveLength(40);
    // The fixture has failed trials: the table says why each failed (trial 32: the report said it nowhere).
    // And which trials TPE's start-up suggester drew (review 162).
    expect(page.table?.columns).toEqual(['trial', 'state', 'loss', 'seconds', 'x', 'lr', 'kind', 'start-up', 'error']);
    const errorAt = (page.table?.columns.length ?? 0) - 1;
    for (const row of page.table?.rows ?? [])
      if (row[1] === 'failed') expect(row[errorAt]).toMatch(/^OBJECTIVE_THREW: diverged$/);
      else expect(row[errorAt]).toBeNull();
    expect(failed.length).toBeGreaterThan(0);
    const best = complete.reduce((a, b) => ((a as { loss: number }).loss <= (b as { loss: number }).loss ? a : b));
    expect(page.best?.number).toBe(best.number);
    expect(['a', 'b', 'c']).toContain(page.best?.params.kind);
  });

  it("lists the trials' attrs, a column each as trials --csv names them (trial 106: left out)", async () => {
    const completes = study.trials.filter((trial) => trial.state === 'complete').map((trial) => trial.number);
    const withAttrs = {
      ...study,
      trials: study.trials.map((trial) => {
        if (trial.state === 'failed') return { ...trial, error: { ...trial.error, message: 'diverged\r\nat epoch 3' } };
        if (trial.state !== 'complete') return trial;
        const at = completes.indexOf(trial.number) + 1;
        return {
          ...trial,
          // The last complete trial ends pruned, with its attrs (a pruned trial's are listed too).
          ...(at === completes.length ? { state: 'pruned' } : {}),
          attrs: { accuracy: at, note: at === 1 ? { a: 1 } : at === 2 ? `${'y'.repeat(198)}${'🚀'.repeat(150)}` : 'x' },
        };
      }),
    };
    const attrsPage = await buildReport(withAttrs as never);
    const columns = attrsPage.table?.columns ?? [];
    expect(columns).toEqual([
      'trial',
      'state',
      'loss',
      'seconds',
      'x',
      'lr',
      'kind',
      'attrs.accuracy',
      'attrs.note',
      'start-up',
      'error',
    ]);
    const rows = attrsPage.table?.rows ?? [];
    const accuracy = columns.indexOf('attrs.accuracy');
    const firstComplete = study.trials.find((trial) => trial.state === 'complete')?.number;
    const row = rows.find((cells) => cells[0] === firstComplete);
    expect(row?.slice(accuracy, accuracy + 2)).toEqual([1, '{"a":1}']);
    // A long attr is cut to 200 characters, as an error (review 110), between whole ones (trial 183: half an emoji).
    expect(rows.find((cells) => cells[accuracy] === 2)?.[accuracy + 1]).toBe(`${'y'.repeat(198)}…`);
    expect(rows.find((cells) => cells[1] === 'pruned')?.[accuracy]).toBe(completes.length);
    for (const cells of rows)
      if (cells[1] === 'failed') {
        expect(cells[accuracy]).toBeNull();
        // An error's first line, whatever its line ends (review 109).
        expect(cells.at(-1)).toBe('OBJECTIVE_THREW: diverged');
      }
    // The best trial's box has its attrs, as the table's cells (trial 157: params only).
    const bestAt = completes.indexOf(attrsPage.best?.number as number) + 1;
    expect(attrsPage.best?.attrs).toEqual({
      accuracy: bestAt,
      note: bestAt === 1 ? '{"a":1}' : bestAt === 2 ? `${'y'.repeat(199)}…` : 'x',
    });
  });

  it("lists the best trial's params in the space's order, whatever order TPE decided them in (trial 95)", async () => {
    const order = study.space.params.map((param) => param.name);
    const reversed = study.trials.map((trial) => ({
      ...trial,
      internal: Object.fromEntries(Object.entries(trial.internal).reverse()),
    }));
    const page = await buildReport({ ...study, trials: reversed }, {});
    const names = Object.keys(page.best?.params ?? {});
    expect(names.length).toBeGreaterThan(1);
    expect(names).toEqual(order.filter((name) => names.includes(name)));
  });

  it('draws slices per parameter and a parallel-coordinates line per complete trial', () => {
    const perParam = complete.length * 3;
    expect(marks(chart(page, 'slice'), 'symbol')).toBe(perParam);
    expect(marks(chart(page, 'parallel'), 'line')).toBe(complete.length);
    expect(marks(chart(page, 'parallel'), 'rule')).toBe(4);
  });

  it('colours the parallel coordinates as the caption says: the good trials dark, the bad ones yellow', async () => {
    type Encoding = { color?: { field: string; scale: { scheme: string; reverse: boolean } } };
    const colour = (c: Chart) => (c.spec as { layer: { encoding: Encoding }[] }).layer[0]?.encoding.color;
    const parallel = chart(page, 'parallel');
    // viridis runs from dark purple at its low end to yellow: for a minimized loss, not reversed.
    expect(colour(parallel)).toMatchObject({ field: 'loss', scale: { scheme: 'viridis', reverse: false } });
    expect(parallel.description).toContain('Dark purple lines are the good trials (low loss), yellow ones the bad.');
    const maximized = await buildReport({ ...study, direction: 'maximize' }, { every: 5 });
    const flipped = chart(maximized, 'parallel');
    expect(colour(flipped)).toMatchObject({ scale: { scheme: 'viridis', reverse: true } });
    expect(flipped.description).toContain('Dark purple lines are the good trials (high loss), yellow ones the bad.');
  });

  it('labels every option on a categorical axis of the parallel coordinates, where its lines cross', () => {
    const labels = layers(chart(page, 'parallel'))[2]?.data?.values ?? [];
    expect(labels.filter((l) => l.axis === 'kind').map((l) => [l.label, l.y])).toEqual([
      ['a', 0],
      ['b', 0.5],
      ['c', 1],
    ]);
    const rows = layers(chart(page, 'parallel'))[0]?.data?.values ?? [];
    expect(new Set(rows.filter((r) => r.axis === 'kind').map((r) => `${r.raw}@${r.y}`))).toEqual(
      new Set(['a@0', 'b@0.5', 'c@1']),
    );
  });

  it('ticks the history at whole trial numbers only', () => {
    for (const layer of layers(chart(page, 'history')))
      expect(layer.encoding.x.axis).toEqual({ format: 'd', tickMinStep: 1 });
  });

  it('writes one self-contained HTML page: inline scripts and data, nothing fetched', () => {
    const html = renderHtml(page);
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).not.toMatch(/<link/);
    expect(html.match(/<script>/g)?.length).toBe(4);
    expect(html).toContain('id="parzen-data"');
    const data = JSON.parse(
      html.split('<script type="application/json" id="parzen-data">')[1]?.split('</script>')[0] ?? '',
    );
    expect(data.sections.map((s: { id: string }) => s.id)).toEqual(['overview', 'pairs', 'tpe', 'next', 'params']);
    // Without JavaScript: the title, the notes and the best trial (trial 34: only "Rendering…").
    const text = html.split('<noscript>')[1]?.split('</noscript>')[0] ?? '';
    expect(text).toContain(`Best trial #${page.best?.number}: loss ${page.best?.loss}`);
    // The best trial's attrs too, escaped (trial 157: the box showed params only).
    const withAttrs = renderHtml({
      ...page,
      best: { number: 3, loss: 0.5, params: { x: 1 }, attrs: { seed: 7, note: '<i>' } },
    });
    expect(withAttrs.split('<noscript>')[1]).toContain(
      'Best trial #3: loss 0.5; x = 1; attrs.seed = 7; attrs.note = &quot;&lt;i&gt;&quot;</p>',
    );
    expect(text).toContain('<code>parzen report --format svg</code>');
    expect(text).not.toContain('`');
    expect(text).not.toMatch(/<script/);
    // A short table (a comparison's, a variant a row) is there as a plain table, escaped (trial 105).
    const compared = renderHtml({
      ...page,
      table: {
        title: 'Per variant',
        columns: ['variant', 'median'],
        rows: [
          ['<i>tpe</i>', 0.25],
          ['random', null],
        ],
      },
    });
    const plain = compared.split('<noscript>')[1]?.split('</noscript>')[0] ?? '';
    expect(plain).toContain(
      '<h2>Per variant</h2><table><thead><tr><th>variant</th><th>median</th></tr></thead><tbody><tr><td>&lt;i&gt;tpe&lt;/i&gt;</td><td>0.25</td></tr><tr><td>random</td><td></td></tr></tbody></table>',
    );
    expect(plain).toContain('The charts need JavaScript');
    // A legend under it (review 162: what "vs first" tests), code and markup as the notes have them.
    const legend = renderHtml({
      ...page,
      table: { columns: ['variant', 'vs first'], rows: [['a', '-']], legend: { 'vs first': 'p against `a` <b>' } },
    });
    expect(legend.split('<noscript>')[1]).toContain(
      '</table><p><strong>vs first</strong>: p against <code>a</code> &lt;b&gt;</p>',
    );
    // A study's trial table, or more than 100 variants: left to the page's script.
    expect(text).not.toContain('<table>');
    expect(text).toContain('The charts and the trial table need JavaScript');
    const many = renderHtml({
      ...page,
      table: { columns: ['variant'], rows: Array.from({ length: 101 }, (_, i) => [`v${i}`]) },
    });
    expect(many.split('<noscript>')[1]?.split('</noscript>')[0]).not.toContain('<table>');
  });
});

describe('buildReport with a contour function', async () => {
  const study = await runTpeStudy(25, { tpe: { startupTrials: 5 } });
  const page = await buildReport(study, { contour: (p) => heart(p.x as number, p.y as number), contourResolution: 30 });

  it('draws the contour segments under the trial numbers', () => {
    const pair = chart(page, 'pair-x-y');
    expect(trialLayers(pair).flatMap((layer) => layer.data?.values ?? [])).toHaveLength(25);
    const segments = layers(pair)[0]?.data?.values ?? [];
    expect(segments.length).toBeGreaterThan(100);
    expect(marks(pair, 'rule')).toBe(segments.length);
  });

  // A user trial: viridis meant "late" (the trial number) in the slice plots and "bad" (the loss) in the parallel
  // coordinates just below them.
  it('gives each colour scheme on the page one meaning, named by its legend', () => {
    const meanings = new Map<string, Set<string>>();
    const walk = (node: unknown, chartId: string): void => {
      if (Array.isArray(node)) for (const item of node) walk(item, chartId);
      if (typeof node !== 'object' || node === null) return;
      const color = (node as { color?: { field?: string; title?: unknown; scale?: { scheme?: unknown } } }).color;
      const scheme = color?.scale?.scheme;
      if (color !== undefined && scheme !== undefined) {
        const name = typeof scheme === 'string' ? scheme : (scheme as { name: string }).name;
        // The parallel coordinates colour huge losses by their symlog, `shade`: still the loss.
        const field = color.field === 'shade' ? 'loss' : String(color.field);
        meanings.set(name, new Set([...(meanings.get(name) ?? []), field]));
        expect({ chartId, title: typeof color.title === 'string' && color.title.length > 0 }).toEqual({
          chartId,
          title: true,
        });
      }
      for (const value of Object.values(node)) walk(value, chartId);
    };
    const charts = pageCharts(page);
    expect(charts.map((c) => c.id)).toEqual(expect.arrayContaining(['slice', 'parallel', 'pair-x-y']));
    for (const c of charts) walk(c.spec, c.id);
    for (const [scheme, fields] of meanings)
      expect({ scheme, fields: [...fields] }).toEqual({ scheme, fields: [...fields].slice(0, 1) });
    expect(meanings.size).toBeGreaterThanOrEqual(3);
    // The legends say which end is which.
    expect(JSON.stringify(chart(page, 'slice').spec)).toContain('"title":"trial (darker: later)"');
    expect(JSON.stringify(chart(page, 'parallel').spec)).toContain('"title":"loss (darker: better)"');
  });

  it('draws the better levels darker, as the caption says, in either direction', async () => {
    type Colour = { field?: string; scale?: { scheme: string; reverse: boolean } };
    const colour = (c: Chart) => (layers(c)[0] as { encoding?: { color?: Colour } }).encoding?.color;
    const caption = (p: ReportPage) => p.sections.find((s) => s.id === 'pairs')?.text.join(' ');
    // blues runs from pale to dark: reversed, the lowest level is the darkest (a minimized loss's best).
    expect(colour(chart(page, 'pair-x-y'))).toMatchObject({
      field: 'level',
      scale: { scheme: 'blues', reverse: true },
    });
    expect(caption(page)).toContain('(darker: lower)');
    // Trial 139: a maximize study's best region, its highest levels, was drawn the palest.
    const maximized = await buildReport(
      { ...study, direction: 'maximize' },
      { contour: (p) => -heart(p.x as number, p.y as number), contourResolution: 30 },
    );
    expect(colour(chart(maximized, 'pair-x-y'))).toMatchObject({ scale: { scheme: 'blues', reverse: false } });
    expect(caption(maximized)).toContain('(darker: higher)');
  });

  it('says the replay reproduced the stored suggestions', () => {
    const tpe = page.sections.find((s) => s.id === 'tpe');
    expect(tpe?.text.join(' ')).toMatch(/(\d+) of \1 replayed suggestions equal the stored params exactly/);
    expect(tpe?.text.join(' ')).not.toMatch(/do not:|does not:/);
  });

  it('names the rows whose stored params the replay does not give (a run with edited settings; review 34)', async () => {
    // Trials from 12 on as another TPE would have suggested them: each moved a little.
    const edited = {
      ...study,
      trials: study.trials.map((trial) =>
        trial.number < 12
          ? trial
          : { ...trial, internal: { ...trial.internal, x: (trial.internal.x as number) * 0.9 } },
      ),
    };
    const text = (await buildReport(edited, {})).sections.find((s) => s.id === 'tpe')?.text.join(' ') ?? '';
    const [, reproduced, total, rows] =
      /(\d+) of (\d+) replayed suggestions equal the stored params exactly\. The rows? for trials? ([\d, ]+) do(?:es)? not/.exec(
        text,
      ) ?? [];
    const named = (rows ?? '').split(', ').map(Number);
    expect(named.length).toBe(Number(total) - Number(reproduced));
    expect(named.length).toBeGreaterThan(0);
    expect(named.every((n) => n >= 12)).toBe(true);
    expect(text).not.toContain('this study ran trials at once');
    // Trials that overlapped in time (several workers): the stored times may not place them exactly (trial 41).
    const textOf = async (times: (trial: Trial) => Trial) =>
      (await buildReport({ ...edited, trials: edited.trials.map(times) }, {})).sections
        .find((s) => s.id === 'tpe')
        ?.text.join(' ') ?? '';
    const atOnce = 'or (this study ran trials at once) a trial started or finished within moments of those suggestions';
    // Trial 12 finished after trial 13 started: they ran at once.
    const parallel = await textOf((trial) =>
      trial.number === 12 && trial.state !== 'running' ? { ...trial, finishedAt: '2999-01-01T00:00:00.000Z' } : trial,
    );
    expect(parallel).toContain(atOnce);
    // Trial 13 imported with older times: nothing ran at once (review 41).
    const imported = await textOf((trial) =>
      trial.number === 13 && trial.state !== 'running'
        ? { ...trial, startedAt: '2000-01-01T00:00:00.000Z', finishedAt: '2000-01-01T00:00:01.000Z' }
        : trial,
    );
    expect(imported).not.toContain(atOnce);
  });
});

/** A random-search study of `count` complete trials over x and y in [0, 1], evenly spread. */
const bigStudy = (count: number): ReportStudy => ({
  name: 'big',
  direction: 'minimize',
  seed: 1,
  space: compileSpace({ x: { type: 'uniform', low: 0, high: 1 }, y: { type: 'uniform', low: 0, high: 1 } }),
  trials: Array.from({ length: count }, (_, number) => ({
    study: 'big',
    number,
    state: 'complete',
    internal: { x: (number * 0.618) % 1, y: (number * 0.382) % 1 },
    loss: Math.abs(((number * 0.618) % 1) - 0.5),
    startedAt: new Date(Date.UTC(2026, 0, 1) + 1000 * number).toISOString(),
    finishedAt: new Date(Date.UTC(2026, 0, 1) + 1000 * number + 500).toISOString(),
  })),
  suggester: { use: 'random' },
});

describe('downsampling', () => {
  it('keeps every flagged index and fills the rest evenly', () => {
    const kept = downsampleIndices(10_000, 100, (i) => i % 1000 === 7);
    expect(kept).toHaveLength(100);
    for (let i = 7; i < 10_000; i += 1000) expect(kept).toContain(i);
    expect(downsampleIndices(50, 100, () => false)).toHaveLength(50);
  });

  it('fits the importance to 4,000 trials of a larger study and says so in the notes and the caption', async () => {
    const page = await buildReport(bigStudy(4100), { maxPoints: 500, maxLines: 200, snapshots: 1 });
    expect(page.notes.join(' ')).toContain(
      'importance fits 4,000 of the complete trials (drawn by the seed), the TPE replay and the table use all trials',
    );
    expect(page.sections.find((s) => s.id === 'overview')?.text.join(' ')).toContain(
      'The forest is fitted to 4,000 of the 4,100 complete trials',
    );
    expect(chart(page, 'importance').spec).toMatchObject({ data: { values: [{ name: 'x' }, { name: 'y' }] } });
  });

  it('draws at most maxPoints trials in a large study and says so on the page', async () => {
    const page = await buildReport(bigStudy(3000), { maxPoints: 500, maxLines: 200 });
    expect(marks(chart(page, 'history'), 'symbol')).toBe(500);
    expect(marks(chart(page, 'slice'), 'symbol')).toBe(1000);
    expect(marks(chart(page, 'parallel'), 'line')).toBe(200);
    expect(page.notes.join(' ')).toContain('draw 500 of 3000 trials, the parallel coordinates 200');
    expect(page.table?.rows).toHaveLength(3000);
    const tpe = page.sections.find((s) => s.id === 'tpe');
    expect(tpe?.text.join(' ')).toContain('not TPE');
    expect(marks(chart(page, 'density-x'), 'rule')).toBe(10); // after 300, 600, ..., 2700 trials, and the last, #2999
    // Trial 132: an SVG of a random-search study, without the page's section text, was titled "What TPE saw".
    const density = chart(page, 'density-x');
    expect(density.title).toBe('What TPE would have seen: x');
    expect(density.description).toContain('the value TPE would have chosen');
  });

  it('names a parameter called step (or loss, seconds…) params.step in the table, as parzen trials does (review 120: two step columns)', async () => {
    const space = compileSpace({
      step: { type: 'uniform', low: 0, high: 1 },
      loss: { type: 'uniform', low: 0, high: 1 },
    });
    const trials: Trial[] = [0, 1].map((number) => ({
      study: 'clash',
      number,
      state: 'complete',
      internal: { step: number / 2, loss: number / 4 },
      loss: number,
      intermediate: [
        { step: 0, value: 3 },
        { step: 7, value: number },
      ],
      startedAt: '2026-01-01T00:00:00.000Z',
      finishedAt: '2026-01-01T00:00:01.000Z',
    }));
    const page = await buildReport({
      name: 'clash',
      direction: 'minimize',
      seed: 1,
      space,
      trials,
      suggester: { use: 'random' },
    });
    expect(page.table?.columns).toEqual(['trial', 'state', 'loss', 'step', 'seconds', 'params.step', 'params.loss']);
    expect(page.table?.rows[1]?.slice(3, 7)).toEqual([7, 1, 0.5, 0.25]);
  });

  it('says when the study was created with another suggester than the config names (its store kept it)', async () => {
    const space = compileSpace({ x: { type: 'uniform', low: 0, high: 1 }, y: { type: 'uniform', low: 0, high: 1 } });
    const trials: Trial[] = Array.from({ length: 12 }, (_, number) => ({
      study: 'mixed',
      number,
      state: 'complete',
      internal: { x: (number * 0.618) % 1, y: (number * 0.382) % 1 },
      loss: number,
      startedAt: new Date(Date.UTC(2026, 0, 1) + 1000 * number).toISOString(),
      finishedAt: new Date(Date.UTC(2026, 0, 1) + 1000 * number + 500).toISOString(),
    }));
    const base = {
      name: 'mixed',
      direction: 'minimize',
      seed: 1,
      space,
      trials,
      suggester: { use: 'random' },
    } as const;
    const note = "the study was created with `tpe`, so its earlier trials may be that suggester's";
    expect(JSON.stringify(await buildReport({ ...base, createdWith: 'tpe' }))).toContain(note);
    expect(JSON.stringify(await buildReport({ ...base, createdWith: 'random' }))).not.toContain('created with');
    expect(JSON.stringify(await buildReport(base))).not.toContain('created with');
  });
});

describe("the table's start-up and enqueued markers (review 162)", () => {
  const columnOf = (page: ReportPage, column: string) => {
    const at = page.table?.columns.indexOf(column) ?? -1;
    return at < 0 ? undefined : page.table?.rows.map((row) => row[at]);
  };

  it('marks the trials the start-up suggester drew and those that ran an entry, as `parzen trials` marks entries', async () => {
    // Start-up 5: #0 given x (y drawn by quasi-random), #1 given both, #2-#4 drawn by quasi-random, then the model.
    const study = await runTpeStudy(9, { enqueue: [{ x: 0.5 }, { x: 0.25, y: 0.25 }] });
    const page = await buildReport(study);
    expect(page.table?.columns.slice(-2)).toEqual(['start-up', 'enqueued']);
    const q = 'quasi-random';
    expect(columnOf(page, 'start-up')).toEqual([q, null, q, q, q, null, null, null, null]);
    expect(columnOf(page, 'enqueued')).toEqual(['x', 'all params', null, null, null, null, null, null, null]);
    expect(Object.keys(page.table?.legend ?? {})).toEqual(['start-up', 'enqueued']);
    expect(page.table?.legend?.['start-up']).toContain("drawn by TPE's start-up suggester");
    // Random start-up is named as such; no entry: no enqueued column.
    const random = await buildReport(await runTpeStudy(7, { tpe: { startupTrials: 3, startup: 'random' } }));
    expect(columnOf(random, 'start-up')).toEqual(['random', 'random', 'random', null, null, null, null]);
    expect(random.table?.columns).not.toContain('enqueued');
  });

  it('marks no trial whose replay gives other params, and none of a study TPE did not run', async () => {
    const study = await runTpeStudy(7);
    // Trial 1's params written otherwise (an import, an edit): what drew it cannot be told.
    const edited = {
      ...study,
      trials: study.trials.map((trial) =>
        trial.number === 1 ? { ...trial, internal: { ...trial.internal, x: 0.123 } } : trial,
      ),
    };
    const q = 'quasi-random';
    expect(columnOf(await buildReport(edited), 'start-up')).toEqual([q, null, q, q, q, null, null]);
    const random = await buildReport({ ...study, suggester: { use: 'random' } });
    expect(random.table?.columns).not.toContain('start-up');
    expect(random.table?.legend).toBeUndefined();
  });

  it('replays at most its limit of trials, and says where it stopped still in the start-up phase', async () => {
    const study = await runTpeStudy(6);
    const q = 'quasi-random';
    expect(await startupDraws(study, 3)).toEqual({ drawn: new Map([0, 1, 2].map((n) => [n, q])), checked: 3 });
    expect(await startupDraws(study, 6)).toEqual({ drawn: new Map([0, 1, 2, 3, 4].map((n) => [n, q])) });
  });

  it('names a parameter called enqueued or start-up params.NAME beside the marker columns', async () => {
    const study = await runTpeStudy(4, {
      space: { enqueued: { type: 'uniform', low: 0, high: 1 }, 'start-up': { type: 'uniform', low: 0, high: 1 } },
      objective: (p) => (p.enqueued as number) + (p['start-up'] as number),
      enqueue: [{ enqueued: 0.5 }],
    });
    expect((await buildReport(study)).table?.columns).toEqual([
      'trial',
      'state',
      'loss',
      'seconds',
      'params.enqueued',
      'params.start-up',
      'start-up',
      'enqueued',
    ]);
  });
});

describe('buildReport on a study whose trials report learning curves (some pruned)', async () => {
  const study = await runTpeStudy(30, {
    space: mixedSpace,
    objective: mixedTraining,
    tpe: { startupTrials: 8 },
    pruner: everyThirdPruner,
  });
  const reporting = study.trials.filter((t) => (t.intermediate?.length ?? 0) > 0);
  const points = reporting.reduce((sum, t) => sum + (t.intermediate?.length ?? 0), 0);

  it('draws one line per trial that reported and a point per report, pruned trials ending early', async () => {
    const page = await buildReport(study, { every: 5 });
    const curves = chart(page, 'learning-curves');
    // Whole steps, step 0 off the left frame.
    expect((curves.spec as { layer: { encoding: { x: unknown } }[] }).layer[0]?.encoding.x).toMatchObject({
      axis: { format: 'd', tickMinStep: 1 },
      scale: { padding: 10 },
    });
    const pruned = study.trials.filter((t) => t.state === 'pruned');
    expect(pruned.length).toBeGreaterThan(0);
    expect(marks(curves, 'line')).toBe(reporting.length);
    // A point per report and a diamond where each pruned trial stopped.
    expect(marks(curves, 'symbol')).toBe(points + pruned.length);
    const rows = reportRows(curves);
    for (const trial of pruned) {
      expect(rows.filter((r) => r.number === trial.number).map((r) => r.step)).toEqual([0, 1]);
      expect(rows.find((r) => r.number === trial.number)?.state).toBe('pruned');
    }
    // Pruned trials drawn last, over the complete ones (trial 115: an orange curve hidden under the blue ones).
    const firstPruned = rows.findIndex((r) => r.state === 'pruned');
    expect(rows.slice(firstPruned).every((r) => r.state === 'pruned')).toBe(true);
    const stops = layers(curves)[2]?.data?.values ?? [];
    expect(stops.map((r) => [r.number, r.step])).toEqual(pruned.map((t) => [t.number, 1]));
    // At the last report, which the engine stores after the pruner said stop: an objective asking every few
    // reports reports on until it asks (the decided step is not kept).
    expect(curves.description).toContain(
      'each ending in a diamond at its last report (the pruner said stop there, or earlier when the objective asked only every few reports).',
    );
    // The history says what a pruned trial's dot is (trial 132: it read as a final loss near the best line).
    expect(chart(page, 'history').description).toContain(
      'Pruned trials (orange diamonds) are drawn at the last value they reported when the pruner stopped them, not a final loss; the line counts complete trials only.',
    );
    expect(
      chart(await buildReport({ ...study, trials: study.trials.filter((t) => t.state !== 'pruned') }), 'history')
        .description,
    ).not.toContain('Pruned trials');
    // The legend lists the states drawn (trial 115: failed and running too, which no trial was).
    const encoding = layers(curves)[0]?.encoding as unknown as { color: { scale: { domain: string[] } } } | undefined;
    expect(encoding?.color.scale.domain).toEqual(['complete', 'pruned']);
    const complete = study.trials.find((t) => t.state === 'complete');
    expect(rows.filter((r) => r.number === complete?.number)).toHaveLength(5);
    // The table gives each trial's last step, as `parzen trials` does (trial 115: only the curves said it).
    const columns = page.table?.columns ?? [];
    expect(columns.slice(0, 5)).toEqual(['trial', 'state', 'loss', 'step', 'seconds']);
    const stepOf = new Map(page.table?.rows.map((row) => [row[0], row[3]]));
    for (const trial of pruned) expect(stepOf.get(trial.number)).toBe(1);
    expect(stepOf.get(complete?.number)).toBe(4);
    // A pruned trial's value is marked as an intermediate one, at its step, for the page to show and sort after
    // the losses (a user trial: it sorted among them as a final loss).
    const rowOf = new Map(page.table?.rows.map((row, index) => [row[0], index]));
    expect(page.table?.intermediate).toEqual({
      column: 'loss',
      at: Object.fromEntries(pruned.filter((t) => t.loss !== undefined).map((t) => [rowOf.get(t.number), 1])),
    });
  });

  it('draws at most maxLines curves, every new best among them, and says so', async () => {
    const page = await buildReport(study, { every: 5, maxLines: 6 });
    const rows = reportRows(chart(page, 'learning-curves'));
    const drawn = new Set(rows.map((r) => r.number));
    expect(drawn.size).toBe(6);
    expect(page.notes.some((note) => note.includes(`draw 6 of the ${reporting.length} trials that reported`))).toBe(
      true,
    );
  });

  it('draws no importance where nothing was measured (2 trials, a constant loss), and says why (trial 28: an equal split)', async () => {
    const few = await runTpeStudy(2, { space: mixedSpace, objective: mixedObjective });
    const constant = await runTpeStudy(12, { space: mixedSpace, objective: () => 1 });
    for (const [study, why, importance] of [
      [few, /No parameter importance: \d complete trials? \(it needs 3 or more\)/, 'fanova'],
      [few, /No parameter importance: \d complete trials? \(it needs 3 or more\)/, 'ped-anova'],
      [constant, /No parameter importance: the loss does not vary with the parameters/, 'fanova'],
      [constant, /No parameter importance: the good trials’ values do not differ from the rest/, 'ped-anova'],
    ] as const) {
      const page = await buildReport(study, { every: 5, importance });
      expect(pageCharts(page).some((c) => c.id === 'importance')).toBe(false);
      expect(page.notes.join('\n')).toMatch(why);
    }
    // The constant loss is one plateau: the split leaves it out, and the TPE rows say l is the prior alone.
    const density = pageCharts(await buildReport(constant, { every: 5 })).find((c) => c.id === 'density-x');
    expect(density?.description).toMatch(
      /no trial was good: the best loss was a tie of at least twice as many trials as the split picks as good .* l there is the prior alone/,
    );
    expect(density?.description).not.toMatch(/no trial had a loss/);
    // Every trial failed: no loss at all, which is no plateau (trial 77 was told of "a tie of many trials").
    const failing = await runTpeStudy(10, {
      space: mixedSpace,
      objective: () => {
        throw new Error('always');
      },
    });
    const lossless = pageCharts(await buildReport(failing, { every: 5 })).find((c) => c.id === 'density-x');
    expect(lossless?.description).toMatch(
      /After .* no trial had a loss yet \(every trial observed failed\), so l and g there are the prior alone/,
    );
    expect(lossless?.description).not.toMatch(/plateau/);
    // Measured, it is drawn as before.
    const measured = await buildReport(await runTpeStudy(12, { space: mixedSpace, objective: mixedObjective }), {
      every: 5,
    });
    expect(pageCharts(measured).some((c) => c.id === 'importance')).toBe(true);
  });

  it('says a set was split into blocks only when one was (trial 28: said of every grouped study)', async () => {
    const text = async (study: Awaited<ReturnType<typeof runTpeStudy>>) =>
      (await buildReport(study, { every: 6 })).sections.flatMap((section) => section.text).join('\n');
    const whole = await text(await runTpeStudy(14, { space: mixedSpace, objective: mixedObjective }));
    expect(whole).toMatch(/TPE decided one group of parameters jointly \(.*\): parameters always active together\. /);
    const wide = Object.fromEntries(
      Array.from({ length: 10 }, (_, i) => [`p${i}`, { type: 'uniform' as const, low: 0, high: 1 }]),
    );
    const split = await text(
      await runTpeStudy(14, {
        space: wide,
        objective: (p) => Object.values(p).reduce((sum: number, v) => sum + (v as number), 0),
      }),
    );
    expect(split).toMatch(
      /TPE decided 2 groups of parameters jointly .* split into blocks drawn from the study's seed/,
    );
  });

  it('slants the option labels of a choice only when they would crowd (trial 28: long ones overlapped)', async () => {
    const axisOf = async (options: string[]) => {
      const study = await runTpeStudy(14, {
        space: { x: { type: 'uniform', low: 0, high: 1 }, model: { type: 'choice', options } },
        objective: (p) => (p.x as number) + options.indexOf(p.model as string),
      });
      const chart = pageCharts(await buildReport(study, { every: 6 })).find((c) => c.id === 'categorical-model');
      return JSON.stringify(chart?.spec).match(/"axis":\{"labelAngle":-?\d+[^}]*\}/)?.[0];
    };
    expect(await axisOf(['a', 'b', 'c'])).toBe('"axis":{"labelAngle":0}');
    expect(await axisOf(['gradient_boosting', 'random_forest', 'logistic_regression', 'svm'])).toBe(
      '"axis":{"labelAngle":-30,"labelLimit":120}',
    );
  });

  it('names the parameters no replayed suggestion decided (trial 39: a branch never chosen had no chart, unsaid)', async () => {
    const study = await runTpeStudy(30, {
      space: {
        x: { type: 'uniform', low: 0, high: 1 },
        model: choice(['good', option('bad', { c: uniform(0, 1), k: uniform(0, 1) })]),
      },
      objective: (p) => (p.x as number) + (p.model === 'bad' ? 100 : 0),
    });
    const page = await buildReport(study, { every: 6 });
    const charted = pageCharts(page)
      .filter((c) => /^(density|categorical)-/.test(c.id))
      .map((c) => c.id);
    expect(charted).toEqual(['density-x', 'categorical-model']);
    expect(page.sections.find((section) => section.id === 'tpe')?.text).toContain(
      'No chart for `c`, `k`: they were not decided in any replayed suggestion (the branch of a choice that holds them was not chosen then); `--every` replays more suggestions.',
    );
  });

  it('crosses a parameter a trial does not have at "(not set)", below the axis, not at a height that reads as a value (trial 44)', async () => {
    const study = await runTpeStudy(20, {
      space: {
        x: { type: 'uniform', low: 0, high: 1 },
        model: choice(['a', option('b', { lr: uniform(0, 10) })]),
      },
      objective: (p) => (p.x as number) + (p.model === 'b' ? (p.lr as number) / 10 : 0.5),
    });
    const page = await buildReport(study, {});
    const parallel = chart(page, 'parallel');
    const [lines, , labels] = layers(parallel);
    const rows = lines?.data?.values ?? [];
    const complete = study.trials.filter((t) => t.state === 'complete');
    const without = complete.filter((t) => t.internal.lr === undefined).map((t) => t.number);
    expect(without.length).toBeGreaterThan(0);
    expect(without.length).toBeLessThan(complete.length);
    // Every complete trial has a point on every axis: the ones without lr at -0.12, labelled, the others in [0, 1].
    const lrRows = rows.filter((row) => row.axis === 'lr');
    expect(lrRows).toHaveLength(complete.length);
    for (const row of lrRows)
      if (without.includes(row.number as number)) expect(row).toMatchObject({ y: -0.12, raw: 'not set' });
      else expect(row.y as number).toBeGreaterThanOrEqual(0);
    expect(labels?.data?.values).toContainEqual({ axis: 'lr', position: 2, y: -0.12, label: '(not set)' });
    expect(lines?.encoding.y.scale?.domain).toEqual([-0.12, 1]);
    expect(parallel.description).toContain('crosses that axis at "(not set)" below it');
    // A space every trial has in full keeps the axis to [0, 1], no "(not set)".
    const full = chart(
      await buildReport(await runTpeStudy(8, { space: mixedSpace, objective: mixedObjective }), {}),
      'parallel',
    );
    expect(layers(full)[0]?.encoding.y.scale?.domain).toEqual([0, 1]);
  });

  it("says in the table which running trials' workers were gone when the page was made (trial 39)", async () => {
    const study = await runTpeStudy(6, { space: mixedSpace, objective: mixedObjective });
    const running = (number: number, expiresAt: string): Trial => ({
      study: study.name,
      number,
      state: 'running',
      internal: study.trials[0]?.internal ?? {},
      startedAt: '2026-01-01T00:00:00.000Z',
      lease: { owner: 'another-host:4242', expiresAt },
    });
    const withRunning = {
      ...study,
      trials: [...study.trials, running(6, '2026-05-01T00:00:00.000Z'), running(7, '2026-07-01T00:00:00.000Z')],
    };
    const page = await buildReport(withRunning, { now: new Date('2026-06-01T00:00:00.000Z') });
    const error = page.table?.columns.indexOf('error') ?? -1;
    expect(page.table?.rows.slice(6).map((row) => row[error])).toEqual([
      'its worker was gone when this page was made: a run of the study marks it failed (STALE_TRIAL), unless a rescue file keeps its result (its worker stopped because the store could not record it; `parzen trials` names the file): runs then leave it running until `parzen import CONFIG FILE` finishes it with that result, so that it counts once',
      null,
    ]);
    // The header counts it as running, its worker gone, as the row says (one of two running here).
    expect(page.notes[0]).toMatch(/, 2 running \(1 of them, worker gone\)\.$/);
    const one = await buildReport(
      { ...withRunning, trials: withRunning.trials.slice(0, 7) },
      { now: new Date('2026-06-01T00:00:00.000Z') },
    );
    expect(one.notes[0]).toMatch(/, 1 running \(worker gone\)\.$/);
  });

  it('has no learning-curves chart when no trial reported', async () => {
    const plain = await runTpeStudy(12, { space: mixedSpace, objective: mixedObjective });
    const page = await buildReport(plain, { every: 5 });
    expect(pageCharts(page).some((c) => c.id === 'learning-curves')).toBe(false);
  });
});

describe('chart ids of parameters whose names differ only in letters a file name or id would lose', async () => {
  // α and β were both `density-_` (one SVG overwrote the other); `LR` and `lr` differ only in case.
  const study = await runTpeStudy(14, {
    space: {
      α: { type: 'uniform', low: 0, high: 1 },
      β: { type: 'uniform', low: 0, high: 1 },
      LR: { type: 'uniform', low: 0, high: 1 },
      lr: { type: 'uniform', low: 0, high: 1 },
    },
    objective: (p) => (p.α as number) + (p.β as number) + (p.LR as number) + (p.lr as number),
  });
  const page = await buildReport(study, { every: 7 });

  it('keeps the letters and gives every chart an id of its own, even on a case-insensitive disk', () => {
    const ids = pageCharts(page).map((c) => c.id);
    expect(new Set(ids.map((id) => id.toLowerCase())).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(['density-α', 'density-β', 'density-lr', 'density-lr-2', 'pair-α-β']));
  });
});

describe('a parameter named loss (trial 52: it took the loss axis of the parallel coordinates)', async () => {
  const study = await runTpeStudy(10, {
    space: { loss: { type: 'uniform', low: 0, high: 1 }, y: { type: 'uniform', low: 0, high: 1 } },
    objective: (p) => 10 + (p.loss as number) + (p.y as number),
  });
  const page = await buildReport(study, { every: 5 });

  it("is the axis params.loss, and the loss axis is the trials' losses", () => {
    const parallel = chart(page, 'parallel');
    const rows = layers(parallel)[0]?.data?.values ?? [];
    expect([...new Set(rows.map((r) => r.axis))]).toEqual(['params.loss', 'y', 'loss']);
    const complete = study.trials.filter(
      (t): t is Trial & { state: 'complete'; loss: number } => t.state === 'complete',
    );
    const onLossAxis = rows.filter((r) => r.axis === 'loss').map((r) => r.raw);
    expect(onLossAxis.sort()).toEqual(complete.map((t) => t.loss).sort());
    expect(
      rows
        .filter((r) => r.axis === 'params.loss')
        .map((r) => r.raw)
        .sort(),
    ).toEqual(complete.map((t) => t.internal.loss).sort());
    expect(marks(parallel, 'rule')).toBe(3);
  });
});

describe('choice options that print alike (trial 52: "1" and 1 drawn on one place)', async () => {
  const study = await runTpeStudy(12, {
    space: { c: { type: 'choice', options: ['1', 1, 'true', true, 'x'] }, y: { type: 'uniform', low: 0, high: 1 } },
    objective: (p) => (p.y as number) + (p.c === 1 ? 0 : 1),
    tpe: { startupTrials: 5 },
  });
  const page = await buildReport(study, { every: 3 });

  it('labels options apart even when a quoted label would meet another option (review 54)', () => {
    expect(optionLabels(['"1"', '1', 1])).toEqual(['"\\"1\\""', '"1"', '1']);
    expect(optionLabels(['a', 'b', true])).toEqual(['a', 'b', 'true']);
  });

  it('labels each option apart in the choice chart, the slices and the parallel coordinates', () => {
    const expected = ['"1"', '1', '"true"', 'true', 'x'];
    const categorical = chart(page, 'categorical-c');
    const options = new Set(
      ((categorical.spec as { data: { values: Record<string, unknown>[] } }).data.values ?? []).map((r) => r.option),
    );
    expect([...options].sort()).toEqual([...expected].sort());
    const labels = layers(chart(page, 'parallel'))[2]?.data?.values ?? [];
    expect(labels.filter((l) => l.axis === 'c').map((l) => l.label)).toEqual(expected);
  });
});

describe('default pair plots of a conditional space', async () => {
  // x is always set; k and depth only in their own branch of `model`, so no trial has both.
  const space = {
    x: { type: 'uniform', low: 0, high: 1 },
    model: {
      type: 'choice',
      options: [
        { value: 'knn', space: { k: { type: 'uniform', low: 1, high: 50 } } },
        { value: 'tree', space: { depth: { type: 'uniform', low: 1, high: 8 } } },
      ],
    },
  } as const;
  const objective = (p: Record<string, unknown>) =>
    (p.x as number) + (p.model === 'knn' ? Math.abs((p.k as number) - 7) / 50 : (p.depth as number) / 8);
  const study = await runTpeStudy(30, { space, objective });
  const pairIds = (page: ReportPage) =>
    pageCharts(page)
      .filter((c) => c.id.startsWith('pair-'))
      .map((c) => c.id);

  it('leaves out the pair of parameters from different branches, which no trial set together', async () => {
    expect(study.trials.some((t) => t.internal.k !== undefined && t.internal.depth !== undefined)).toBe(false);
    const page = await buildReport(study, { every: 10 });
    // And, as any pair, one that fewer than MIN_PAIR_TRIALS trials set together while another pair has that many.
    const set = (name: string) => study.trials.filter((t) => t.internal[name] !== undefined).length;
    expect(pairIds(page).sort()).toEqual(
      ['depth', 'k'].filter((name) => set(name) >= MIN_PAIR_TRIALS).map((name) => `pair-x-${name}`),
    );
    expect(pairIds(page).length).toBeGreaterThan(0);
    for (const id of pairIds(page)) expect(marks(chart(page, id), 'text')).toBeGreaterThan(0);
  });

  // Trial 162: the pairs were those of a branch tried 2 to 4 times (fANOVA ranked its parameters high), and nothing
  // said how pairs are picked.
  it('draws pairs set together by enough trials, and says how pairs are picked and how to pick others', async () => {
    const rare = await runTpeStudy(30, {
      space: {
        x: { type: 'uniform', low: 0, high: 1 },
        model: {
          type: 'pchoice',
          options: [
            {
              p: 0.02,
              value: 'svm',
              space: { c: { type: 'uniform', low: 0, high: 1 }, g: { type: 'uniform', low: 0, high: 1 } },
            },
            { p: 0.98, value: 'mlp', space: { h: { type: 'uniform', low: 1, high: 50 } } },
          ],
        },
      },
      objective: (p) => (p.x as number) + (p.model === 'svm' ? 5 + (p.c as number) + (p.g as number) : 0),
      enqueue: [
        { model: 'svm', c: 0.1, g: 0.2 },
        { model: 'svm', c: 0.5, g: 0.9 },
        { model: 'svm', c: 0.7, g: 0.4 },
      ],
    });
    const svm = rare.trials.filter((t) => t.internal.c !== undefined).length;
    expect(svm).toBeGreaterThanOrEqual(3);
    expect(svm).toBeLessThan(MIN_PAIR_TRIALS);
    const page = await buildReport(rare, { every: 10 });
    expect(pairIds(page)).toEqual(['pair-x-h']);
    const text = page.sections.find((s) => s.id === 'pairs')?.text.join(' ') ?? '';
    expect(text).toContain(
      `The pairs of the most important numeric parameters (by fANOVA importance) that at least ${MIN_PAIR_TRIALS} finished trials set together (fewer when no pair has that many); \`parzen report --pair A,B\` draws others.`,
    );
    // Asked for, a pair of few trials is drawn all the same.
    expect(pairIds(await buildReport(rare, { every: 10, pairs: [['c', 'g']] }))).toEqual(['pair-c-g']);
  });

  it("names the snapshots a branch's parameter has no row for, as it names the start-up ones (trial 108)", async () => {
    const page = await buildReport(study, { every: 2 });
    const text = page.sections.find((s) => s.id === 'tpe')?.text.join(' ') ?? '';
    const snapshots = (await replaySuggestions(study, { every: 2 })).snapshots.map((s) => s.trialNumber);
    const rows = (name: string) =>
      snapshots.filter((number) => study.trials.find((t) => t.number === number)?.internal[name] === undefined);
    // Both branches' parameters lack some snapshot (each trial took one branch).
    expect(rows('k').length).toBeGreaterThan(0);
    expect(rows('depth').length).toBeGreaterThan(0);
    expect(text).toContain(
      `A parameter that exists only under some choices has no row where the snapshot's trial took another branch: \`k\` (trial${rows('k').length === 1 ? '' : 's'} ${rows('k').join(', ')}); \`depth\` (trial${rows('depth').length === 1 ? '' : 's'} ${rows('depth').join(', ')}).`,
    );
    expect(text).not.toMatch(/`x` \(trial/);
  });

  it('says why a pair it was asked for draws no trial, and why there is none when no pair was ever set together', async () => {
    const asked = await buildReport(study, { every: 10, pairs: [['k', 'depth']] });
    // No trial to draw: no empty plot, and said why.
    expect(pairIds(asked)).toEqual([]);
    expect(asked.notes).toContain(
      'No finished trial set both parameters of the pair k × depth (parameters of different branches of a choice are never set together): no trial to draw there, so no plot.',
    );
    expect(asked.sections.find((s) => s.id === 'pairs')?.text).toEqual([
      'No finished trial set both parameters of a pair asked for: no pair plots.',
    ]);
    const branchesOnly = await runTpeStudy(12, {
      space: { model: space.model },
      objective: (p) => (p.model === 'knn' ? (p.k as number) : (p.depth as number)),
    });
    const page = await buildReport(branchesOnly, { every: 6 });
    expect(pairIds(page)).toEqual([]);
    expect(page.sections.find((s) => s.id === 'pairs')?.text[0]).toContain(
      'No finished trial set two numeric parameters together',
    );
  });
});

describe('what the page says when a contour function fails or `every` skips every trial', async () => {
  const study = await runTpeStudy(12);

  it('notes that the contour function failed, how often and why, instead of claiming contours', async () => {
    const page = await buildReport(study, {
      every: 6,
      contourResolution: 5,
      contour: () => {
        throw new Error('needs a GPU');
      },
    });
    expect(page.notes).toContain(
      'The contour function failed at 25 of the 25 grid points of x × y, so that plot has no contour lines; the first time it threw: needs a GPU.',
    );
    expect(chart(page, 'pair-x-y').description).toContain('the function failed at 25 of the 25 grid points');
    const partly = await buildReport(study, {
      every: 6,
      contourResolution: 5,
      contour: (p) => ((p.x as number) > 0 ? Number.NaN : (p.y as number)),
    });
    expect(
      partly.notes.some((note) =>
        /^The contour function failed at 10 of the 25 grid points of x × y; the first time it returned NaN\.$/.test(
          note,
        ),
      ),
    ).toBe(true);
  });

  it('counts contour failures over the grid it evaluated (an integer axis has fewer values than the resolution)', async () => {
    const small = await runTpeStudy(12, {
      space: { n: { type: 'randint', low: 0, high: 4 }, y: { type: 'uniform', low: -2, high: 2 } },
      objective: (p) => (p.n as number) + (p.y as number) ** 2,
    });
    const page = await buildReport(small, {
      every: 6,
      contourResolution: 10,
      contour: () => {
        throw new Error('no');
      },
    });
    expect(page.notes).toContain(
      'The contour function failed at 40 of the 40 grid points of n × y, so that plot has no contour lines; the first time it threw: no.',
    );
    expect(chart(page, 'pair-n-y').description).toContain('4×10 grid');
  });

  it('a study whose every trial failed: the history has no loss axis (its crosses sit at a placeholder)', async () => {
    const failing = await runTpeStudy(4, {
      objective: () => {
        throw new Error('diverged');
      },
    });
    const page = await buildReport(failing, {});
    const history = chart(page, 'history');
    expect(history.description).toContain('No trial has a loss yet: every finished trial failed');
    const layer = (history.spec as { layer: { encoding: { y: { axis?: unknown } } }[] }).layer[0];
    expect(layer?.encoding.y.axis).toBeNull();
    expect(marks(history, 'symbol')).toBe(4);
    // No best-so-far line (an empty layer), no loss distribution or importance, nor the text about importance.
    expect(layers(history)).toHaveLength(1);
    expect(marks(history, 'line')).toBe(0);
    const overview = page.sections.find((s) => s.id === 'overview');
    expect(overview?.charts.map((c) => c.id)).toEqual(['history']);
    expect(overview?.text).toEqual([]);
  });

  it('a study with no trials: says so, and draws no chart over data it does not have', async () => {
    const unit = { type: 'uniform', low: 0, high: 1 } as const;
    // A study of random search over `space`, its trials `running` (one running trial at each internal value).
    const studyOf = (
      space: Parameters<typeof compileSpace>[0],
      running: Record<string, number>[] = [],
    ): ReportStudy => ({
      name: 's',
      direction: 'minimize',
      seed: 1,
      space: compileSpace(space),
      trials: running.map(
        (internal, number): Trial => ({
          study: 's',
          number,
          state: 'running',
          internal,
          startedAt: '2026-01-01T00:00:00.000Z',
        }),
      ),
      suggester: { use: 'random' },
    });
    const empty = await buildReport(studyOf({ x: unit, n: { type: 'normal', mu: 3, sigma: 2 } }), {});
    // The section says there is nothing to draw, and draws no empty history under it (trial 77).
    const overview = empty.sections.find((s) => s.id === 'overview');
    expect(overview?.charts).toEqual([]);
    expect(overview?.text).toEqual(['The study has no trials yet: nothing to draw.']);
    const running = await buildReport(studyOf({ x: unit }, [{ x: 0.5 }]), {});
    const waiting = running.sections.find((s) => s.id === 'overview');
    expect(waiting?.charts).toEqual([]);
    expect(waiting?.text).toEqual(['No trial has finished yet: nothing to draw.']);
    // No empty pair plot either, and the pairs' section says why (a user trial: a served page drew three empty
    // plots under "nothing to draw"); no section of either page draws a chart.
    expect(empty.sections.find((s) => s.id === 'pairs')).toMatchObject({
      charts: [],
      text: ['The study has no trials yet: nothing to draw.'],
    });
    const twoParams = await buildReport(studyOf({ x: unit, y: unit }, [{ x: 0.5, y: 0.5 }]), {});
    expect(twoParams.sections.find((s) => s.id === 'pairs')).toMatchObject({
      charts: [],
      text: ['No trial has finished yet: nothing to draw.'],
    });
    expect(pageCharts(empty)).toEqual([]);
    expect(pageCharts(twoParams)).toEqual([]);
    // Contour lines are something to draw: their plot is drawn before any trial.
    const contoured = await buildReport(studyOf({ x: unit, y: unit }), {
      contour: (p) => (p.x as number) + (p.y as number),
      contourResolution: 5,
    });
    expect(pageCharts(contoured).map((c) => c.id)).toEqual(['pair-x-y']);
    // The pair plot of an unbounded parameter with no trial spans the central 95 % of its distribution.
    const [x, n] = compileSpace({ x: unit, n: { type: 'normal', mu: 3, sigma: 2 } }).params;
    const [low, high] =
      layers(pairChart([], x as ParamNode, n as ParamNode, undefined, undefined))[0]?.encoding.y.scale?.domain ?? [];
    expect(low).toBeCloseTo(3 - 1.96 * 2, 2);
    expect(high).toBeCloseTo(3 + 1.96 * 2, 2);
  });

  // Trial 166: `every` leaves out no last trial now, so a spacing larger than the study still draws that one.
  it('draws the last trial when `every` is larger than the study', async () => {
    const page = await buildReport(study, { every: 50 });
    expect(page.sections.find((s) => s.id === 'tpe')?.text.join(' ')).toContain(
      'One snapshot after every 50 trials and one at the last trial, #11.',
    );
  });
});

describe('the trial table', () => {
  it('shows a choice whose option is null as `null`, and an inactive parameter as an empty cell', async () => {
    const space = compileSpace({
      act: { type: 'choice', options: ['relu', null] },
      model: {
        type: 'choice',
        options: [{ value: 'svm', space: { C: { type: 'uniform', low: 0, high: 1 } } }, 'tree'],
      },
    });
    const trial = (number: number, internal: Record<string, number>): Trial => ({
      study: 't',
      number,
      state: 'complete',
      internal,
      loss: number,
      startedAt: '2026-01-01T00:00:00.000Z',
      finishedAt: '2026-01-01T00:00:01.000Z',
    });
    const page = await buildReport({
      name: 't',
      direction: 'minimize',
      seed: 1,
      space,
      trials: [trial(0, { act: 1, model: 1 }), trial(1, { act: 0, model: 0, C: 0.5 })],
      suggester: { use: 'random' },
    });
    expect(page.table?.columns).toEqual(['trial', 'state', 'loss', 'seconds', 'act', 'model', 'C']);
    expect(page.table?.rows.map((row) => row.slice(4))).toEqual([
      ['null', 'tree', null],
      ['relu', 'svm', 0.5],
    ]);
  });
});

describe('the loss distribution', () => {
  it('steps up from 0 at the lowest loss, so one trial draws a step (trial 57: an empty chart)', () => {
    const point = (loss: number, number: number) => ({ number, state: 'complete', loss }) as unknown as TrialPoint;
    const rows = (chart: Chart) =>
      (chart.spec as { data: { values: { loss: number; fraction: number }[] } }).data.values;
    expect(rows(ecdfChart([point(3, 0)], 100))).toEqual([
      { loss: 3, fraction: 0 },
      { loss: 3, fraction: 1 },
    ]);
    expect(rows(ecdfChart([point(2, 0), point(1, 1)], 100))).toEqual([
      { loss: 1, fraction: 0 },
      { loss: 1, fraction: 0.5 },
      { loss: 2, fraction: 1 },
    ]);
    expect(rows(ecdfChart([], 100))).toEqual([]);
  });
});

describe('the l/g ticks of a large study (trial 61: every trial of every row made a 60,000-trial page 295 MB)', () => {
  it('draws at most 200 of a set per row, evenly spaced, and says so', async () => {
    const study = await runTpeStudy(1300, { tpe: { startupTrials: 1250 } });
    const page = await buildReport(study, { every: 1275 });
    const x = chart(page, 'density-x');
    const data = (x.spec as { data: { values: Record<string, unknown>[] } }).data.values;
    const above = data.filter((r) => r.t !== undefined && r.s === 'g' && r.a === 1275);
    expect(above).toHaveLength(200);
    expect(x.description).toContain('(200 of a set at most, evenly spaced by trial number)');
    // The ticks span the trials: the first and the last of the set are among them.
    const values = new Set(above.map((r) => r.t));
    expect(values.size).toBeGreaterThan(180);
  }, 60_000);
});

describe('slice plots of a branch no complete trial set (trial 95: an empty panel and a Vega warning each)', async () => {
  const study = await runTpeStudy(16, {
    space: {
      x: { type: 'uniform', low: 0, high: 1 },
      m: { type: 'choice', options: ['a', { value: 'b', space: { y: { type: 'uniform', low: 0, high: 1 } } }] },
    },
    objective: (p) => {
      if (p.m === 'b') throw new Error('branch b fails');
      return p.x as number;
    },
  });
  const page = await buildReport(study, {});

  it('draws no panel for it, and says so', () => {
    expect(study.trials.some((trial) => trial.state === 'failed')).toBe(true);
    const slice = pageCharts(page).find((chart) => chart.id === 'slice');
    const panels = (slice?.spec as { concat?: { title: { text: string } }[] } | undefined)?.concat ?? [];
    const titles = panels.map((panel) => panel.title.text);
    expect(titles).toEqual(['x', 'm']);
    expect(slice?.description).toMatch(/ Not drawn: the parameter no complete trial set \(y\)\.$/);
  });
});

describe('"What TPE saw" on a wide space (trial 95: 168 charts, 16 MB of a 23 MB page)', async () => {
  const names = Array.from({ length: 36 }, (_, i) => `p${String(i).padStart(2, '0')}`);
  const study = await runTpeStudy(14, {
    space: Object.fromEntries(names.map((name) => [name, { type: 'uniform', low: 0, high: 1 }])),
    // Only p30..p35 matter: the charts drawn must include them, though they are last in the space (review 100:
    // the first 30 in the space's order passed too).
    objective: (p) => names.slice(30).reduce((sum, name) => sum + 100 * (p[name] as number), 0),
  });
  const page = await buildReport(study, {});

  it('draws the 30 most important parameters, in the space order, and says so', () => {
    const drawn = pageCharts(page)
      .filter((chart) => chart.id.startsWith('density-'))
      .map((chart) => chart.id.replace('density-', ''));
    expect(drawn).toHaveLength(30);
    expect(drawn).toEqual([...drawn].sort());
    // Importance from 14 trials is noisy; the first 30 in the space's order would hold none of them.
    expect(names.slice(30).filter((name) => drawn.includes(name)).length).toBeGreaterThanOrEqual(3);
    expect(page.notes).toContain(
      '"What TPE saw", the slice plots and the parallel coordinates draw the 30 most important of the 36 parameters (by the importance below); `parzen explain` gives every parameter\'s decision, `parzen trials --params` any parameter\'s values.',
    );
  });

  it('draws the same parameters in the slice plots and the parallel coordinates (trial 95: 292 axes, 32,000 px)', () => {
    const drawn = pageCharts(page)
      .filter((chart) => chart.id.startsWith('density-'))
      .map((chart) => chart.id.replace('density-', ''));
    const slice = pageCharts(page).find((chart) => chart.id === 'slice');
    const panels = (slice?.spec as { concat?: { title: { text: string } }[] } | undefined)?.concat ?? [];
    expect(panels.map((panel) => panel.title.text)).toEqual(drawn);
    const parallel = JSON.stringify(pageCharts(page).find((chart) => chart.id === 'parallel')?.spec);
    for (const name of names) expect(parallel.includes(`"${name}"`), name).toBe(drawn.includes(name));
  });

  it('says by what it chose them when there is no importance (review 100: "most important" with none measured)', async () => {
    const space = Object.fromEntries(names.map((name) => [name, { type: 'uniform' as const, low: 0, high: 1 }]));
    const flat = await buildReport(await runTpeStudy(12, { space, objective: () => 1 }), {});
    expect(flat.notes).toContain(
      '"What TPE saw", the slice plots and the parallel coordinates draw the first 30 of the 36 parameters (no importance to rank them yet); `parzen explain` gives every parameter\'s decision, `parzen trials --params` any parameter\'s values.',
    );
    // Two trials: no chart of TPE at all, so no word of drawing some.
    const two = await buildReport(await runTpeStudy(2, { space, objective: () => 1 }), {});
    expect(two.notes.filter((note) => note.includes('draw the first 30'))).toEqual([
      "The slice plots and the parallel coordinates draw the first 30 of the 36 parameters (no importance to rank them yet); `parzen explain` gives every parameter's decision, `parzen trials --params` any parameter's values.",
    ]);
  });
});

describe('buildReport checks its pairs option as parzen report --pair does', async () => {
  const study = await runTpeStudy(8, { space: mixedSpace, objective: mixedObjective });
  const expected = 'two different numeric parameters of the space (x, lr)';
  const issuesOf = async (pairs: unknown) => {
    try {
      await buildReport(study, { pairs: pairs as never });
    } catch (error) {
      expect(error).toBeInstanceOf(ParzenError);
      expect((error as ParzenError).code).toBe('CONFIG_INVALID');
      return (error as ParzenError).issues;
    }
    return [];
  };

  it('refuses a pair of an unknown name, a choice, one parameter twice, or no pair at all, naming its place', async () => {
    expect(await issuesOf([['x', 'nope']])).toEqual([
      { pointer: '/pairs/0', expected, found: '`nope`, no parameter of the space' },
    ]);
    expect(
      await issuesOf([
        ['x', 'lr'],
        ['x', 'kind'],
      ]),
    ).toEqual([{ pointer: '/pairs/1', expected, found: '`kind`, a choice' }]);
    expect(await issuesOf([['x', 'x']])).toEqual([{ pointer: '/pairs/0', expected, found: '`x` twice' }]);
    expect(await issuesOf([['x']])).toEqual([{ pointer: '/pairs/0', expected, found: '["x"]' }]);
    expect(await issuesOf('x,lr')).toEqual([{ pointer: '/pairs', expected: 'a list of pairs', found: '"x,lr"' }]);
  });

  it('draws a good pair', async () => {
    expect(await issuesOf([['lr', 'x']])).toEqual([]);
  });
});
