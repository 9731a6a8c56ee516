import type { SpaceDefinition } from '@parzen/engine';
import { compileSpace, type ParamNode } from '@parzen/engine/plugin';
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import { EXPONENT_LABEL, logTicks, paramAxis } from '../src/charts/common.js';
import { ecdfChart, historyChart, parallelChart, sliceChart } from '../src/charts/study-charts.js';
import { pairChart } from '../src/charts/tpe-charts.js';
import { buildReport } from '../src/index.js';
import { pageCharts, type TrialPoint } from '../src/plugin.js';
import { runTpeStudy } from './fixtures.js';

// Trial 77: the axes, labels and drawing order of the charts, checked on the specs (the browser test,
// report.browser.test.ts, checks what Chromium draws from them).

const nodeOf = (definition: SpaceDefinition[string]): ParamNode =>
  compileSpace({ p: definition }).params[0] as ParamNode;

describe('axis ticks', () => {
  it('a log axis over many decades is labelled at the powers of ten only', () => {
    expect(logTicks(1e-5, 1)).toEqual([1e-5, 1e-4, 1e-3, 0.01, 0.1, 1]);
    expect(logTicks(0.001, 100)).toEqual([0.001, 0.01, 0.1, 1, 10, 100]);
    expect(paramAxis(nodeOf({ type: 'loguniform', low: 1e-5, high: 1 }).distribution, [])).toEqual({
      values: [1e-5, 1e-4, 1e-3, 0.01, 0.1, 1],
      labelExpr: EXPONENT_LABEL,
    });
    // From 0.001 to 1000, decimals.
    expect(paramAxis(nodeOf({ type: 'loguniform', low: 1e-3, high: 100 }).distribution, [])).toEqual({
      values: [1e-3, 0.01, 0.1, 1, 10, 100],
      format: '~r',
    });
  });

  it('a log axis over fewer than 3 decades gets 2 and 5 in every decade, and Vega its own ticks under two', () => {
    expect(logTicks(0.01, 1)).toEqual([0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1]);
    expect(logTicks(3, 40)).toEqual([5, 10, 20]);
    expect(logTicks(0.03, 0.04)).toEqual([]);
    expect(paramAxis(nodeOf({ type: 'loguniform', low: 0.03, high: 0.04 }).distribution, [])).toEqual({});
    // An unbounded log kind: over the values drawn.
    expect(paramAxis(nodeOf({ type: 'lognormal', mu: 0, sigma: 3 }).distribution, [0.002, 30, 800]).values).toEqual([
      0.01, 0.1, 1, 10, 100,
    ]);
  });

  it('an integer parameter gets whole-number ticks; a fractional step does not', () => {
    const integer = { format: 'd', tickMinStep: 1 };
    expect(paramAxis(nodeOf({ type: 'randint', low: 1, high: 9 }).distribution, [])).toEqual(integer);
    expect(paramAxis(nodeOf({ type: 'uniformint', low: 16, high: 512 }).distribution, [])).toEqual(integer);
    expect(paramAxis(nodeOf({ type: 'quniform', low: 0, high: 10, q: 2 }).distribution, [])).toEqual(integer);
    expect(paramAxis(nodeOf({ type: 'quniform', low: 0, high: 10, q: 0.5 }).distribution, [])).toEqual({});
    expect(paramAxis(nodeOf({ type: 'uniform', low: 0, high: 10 }).distribution, [])).toEqual({});
    // An integer log axis: decades, no fractions.
    expect(paramAxis(nodeOf({ type: 'qloguniform', low: 1, high: 5000, q: 1 }).distribution, []).values).toEqual([
      1, 10, 100, 1000,
    ]);
  });
});

/** A chart's legend as Vega draws it (no renderer: the scene graph): its labels, and each symbol's opacity. */
const legendOf = async (chart: { spec: unknown }) => {
  type SceneItem = { text?: unknown; opacity?: number; fillOpacity?: number; items?: SceneMark[] };
  type SceneMark = { role: string; items: SceneItem[] };
  const view = new View(parse(compile(chart.spec as TopLevelSpec).spec), { renderer: 'none' });
  await view.runAsync();
  const labels: string[] = [];
  const opacity: number[] = [];
  const walk = (mark: SceneMark) => {
    for (const item of mark.items) {
      if (mark.role === 'legend-label') labels.push(String(item.text));
      if (mark.role === 'legend-symbol') opacity.push((item.opacity ?? 1) * (item.fillOpacity ?? 1));
      for (const child of item.items ?? []) walk(child);
    }
  };
  walk((view.scenegraph() as unknown as { root: SceneMark }).root);
  view.finalize();
  return { labels, opacity };
};

describe('drawing order and long names', () => {
  const point = (number: number, x: number, y: number, loss: number): TrialPoint => ({
    number,
    state: 'complete',
    loss,
    best: loss,
    improved: false,
    params: { x, y },
    internal: { x, y },
    seconds: 1,
  });
  const space = compileSpace({ x: { type: 'uniform', low: 0, high: 1 }, y: { type: 'uniform', low: 0, high: 1 } });
  const [x, y] = space.params as [ParamNode, ParamNode];

  type Kinds = { field: string; title: string; scale: { domain: string[]; range: string[] }; legend?: null };
  type PairLayer = {
    mark: { type: string; filled?: boolean; xOffset?: number };
    data: { values: { number: number; state: string }[] };
    encoding: { fill?: Kinds; shape?: Kinds };
  };
  /** A pair plot layer's legend: each kind of trial's fill and shape. */
  const kindsOf = (layer: PairLayer | undefined) => {
    const { fill, shape } = layer?.encoding ?? {};
    expect(fill?.scale.domain).toEqual(shape?.scale.domain);
    return Object.fromEntries(
      fill?.scale.domain.map((kind, i) => [kind, [fill.scale.range[i], shape?.scale.range[i]]]) ?? [],
    );
  };

  // Trial 141: complete and pruned trials were circles of two colours in the history, and the pair plots' dots
  // three colours of one shape.
  it('draws pruned and failed trials in shapes of their own, history and pair dots, and says so', () => {
    const states = ['complete', 'pruned', 'failed'] as const;
    // 320 trials: the pair plot draws dots, not numbers.
    const points = Array.from({ length: 320 }, (_, number): TrialPoint => {
      const state = states[number % 3] as TrialPoint['state'];
      return {
        ...point(number, (number % 17) / 17, (number % 13) / 13, number),
        state,
        loss: state === 'failed' ? null : number,
      };
    });
    const history = historyChart(points, 'minimize');
    const layer = (
      history.spec as { layer: { encoding: { shape: { scale: { domain: string[]; range: string[] } } } }[] }
    ).layer[0];
    const scale = layer?.encoding.shape.scale;
    expect(Object.fromEntries(scale?.domain.map((state, i) => [state, scale.range[i]]) ?? [])).toEqual({
      complete: 'circle',
      pruned: 'diamond',
      failed: 'cross',
    });
    expect(history.description).toContain('Pruned trials (orange diamonds)');
    expect(history.description).toContain('Failed trials (no loss) are red crosses');
    const pair = pairChart(points, x, y, undefined, 0);
    const dots = (pair.spec as { layer: PairLayer[] }).layer.find(
      (l) => l.mark.type === 'point' && l.mark.filled === true,
    );
    expect(kindsOf(dots)).toEqual({
      'best (ringed)': ['#d62728', 'circle'],
      complete: ['#222', 'circle'],
      pruned: ['#ff7f0e', 'diamond'],
      'failed (no loss)': ['#aaaaaa', 'cross'],
    });
    expect(pair.description).toContain('failed trials light grey crosses (no loss), pruned ones orange diamonds');
  });

  // A user trial: drawn as numbers, complete, pruned and failed trials differed by colour alone (grey print, a
  // colour-blind reader); the dots had shapes, the numbers none.
  it("marks a pruned or failed trial's number with its state's shape beside it, named by a legend", () => {
    const states = ['complete', 'pruned', 'failed', 'complete'] as const;
    // Spread apart, so every trial is drawn as its number; one to three digits.
    const points = [0, 1, 2, 3, 14, 25, 106, 117].map((number, i): TrialPoint => {
      const state = states[i % 4] as TrialPoint['state'];
      return {
        ...point(number, (i % 4) / 4 + 0.1, Math.floor(i / 4) / 2 + 0.2, number),
        state,
        loss: state === 'failed' ? null : number,
      };
    });
    const pair = pairChart(points, x, y, undefined, 0);
    const spec = pair.spec as { layer: PairLayer[] };
    const numbers = spec.layer.at(-1);
    expect(numbers?.mark.type).toBe('text');
    expect(numbers?.data.values.map((row) => row.number)).toEqual([1, 2, 3, 14, 25, 106, 117, 0]);
    // A layer of marks per number of digits, each just right of its numbers' digits.
    const beside = spec.layer.filter((l) => l.mark.type === 'point' && l.mark.xOffset !== undefined);
    expect(beside.map((l) => [l.mark.xOffset, l.data.values.map((row) => [row.number, row.state])])).toEqual([
      [
        8.3,
        [
          [1, 'pruned'],
          [2, 'failed'],
        ],
      ],
      [11.6, [[25, 'pruned']]],
      [14.9, [[106, 'failed']]],
    ]);
    for (const layer of beside) {
      expect(layer.mark.filled).toBe(true);
      // One legend of every kind drawn, the best's and the complete ones' numbers too (a user trial: one plot
      // listed only "pruned", another "complete" and "pruned").
      expect(kindsOf(layer)).toEqual({
        'best (ringed)': ['#d62728', 'circle'],
        complete: ['#222', 'circle'],
        pruned: ['#ff7f0e', 'diamond'],
        'failed (no loss)': ['#aaaaaa', 'cross'],
      });
      expect(layer.encoding.fill?.title).toBe('trial');
      expect(layer.encoding.shape?.title).toBe('trial');
    }
    expect(pair.marks).toContainEqual({ mark: 'symbol', count: 1 + 4 });
    // Complete trials alone (dots where numbers would overlap), the best not among them, have nothing to tell
    // apart: no legend.
    const together = [0, 1, 2].map((number): TrialPoint => point(number, 0.5, 0.5, number));
    const dots = (pairChart(together, x, y, undefined, 9).spec as { layer: PairLayer[] }).layer.find(
      (l) => l.mark.type === 'point' && l.mark.filled === true,
    );
    expect(dots?.data.values.map((row) => row.number)).toEqual([1, 2]);
    expect([dots?.encoding.fill?.legend, dots?.encoding.shape?.legend]).toEqual([null, null]);
    expect(pair.description).toContain(
      'failed trials light grey with a cross beside the number (no loss), pruned ones orange with a diamond beside the number',
    );
  });

  // A user trial: in one study, two pair plots' legends listed only "pruned", a third "complete" and "pruned", and its
  // diamond was paler than the diamonds drawn (the legend took the dots' opacity).
  it('gives every pair plot one legend rule: each kind drawn, its symbol as strong as the marks', async () => {
    const states = ['complete', 'pruned', 'complete'] as const;
    const spread = (n: number) =>
      Array.from(
        { length: n },
        (_, i): TrialPoint => ({
          ...point(i, (i % 5) / 5 + 0.05, Math.floor(i / 5) / 5 + 0.05, i),
          state: states[i % 3] as TrialPoint['state'],
        }),
      );
    // Apart (numbers only), and with two trials at one place (a dot), and numbers alone with the best (no mark).
    const apart = pairChart(spread(6), x, y, undefined, 0);
    const crowded = pairChart([...spread(6), point(7, 0.05, 0.05, 7)], x, y, undefined, 0);
    const plain = pairChart([point(0, 0.1, 0.1, 0), point(1, 0.9, 0.9, 1)], x, y, undefined, 0);
    expect(await legendOf(apart)).toEqual({
      labels: ['best (ringed)', 'complete', 'pruned'],
      opacity: [1, 1, 1],
    });
    expect(await legendOf(crowded)).toEqual(await legendOf(apart));
    expect(await legendOf(plain)).toEqual({ labels: ['best (ringed)', 'complete'], opacity: [1, 1] });
    // The dots among numbers as strong as the legend says; past 300 trials, paler, the legend too.
    const dotLayer = (chart: typeof apart) =>
      (chart.spec as { layer: { mark: { type: string; size?: number; opacity?: number } }[] }).layer.find(
        (l) => l.mark.type === 'point' && l.mark.size === 10,
      );
    expect(dotLayer(crowded)?.mark.opacity).toBe(1);
    const many = pairChart(spread(320), x, y, undefined, 0);
    expect(await legendOf(many)).toEqual({ labels: ['best (ringed)', 'complete', 'pruned'], opacity: [0.7, 0.7, 0.7] });
  });

  it('the pair plot draws the best trial last, over the later trials at its place', () => {
    const points = [point(0, 0.9, 0.9, 5), point(1, 0.5, 0.5, 1), point(2, 0.5, 0.5, 2), point(3, 0.51, 0.5, 3)];
    const chart = pairChart(points, x, y, undefined, 1);
    // The numbers' layer is the last: over the dots of the trials whose numbers would cover the best's (trial
    // 96), and over the best trial's ring.
    const layer = (
      chart.spec as { layer: { mark: { type: string }; data: { values: { number: number; best: boolean }[] } }[] }
    ).layer;
    const rows = layer.at(-1)?.data.values;
    expect(layer.at(-1)?.mark.type).toBe('text');
    expect(rows?.map((row) => row.number)).toEqual([0, 1]);
    expect(rows?.at(-1)?.best).toBe(true);
    // Under it the best's ring, white inside (review 103: dots showed between the best's strokes), the dots,
    // then the numbers' white halos (review 123: drawn over the dots, they erased those beside a number).
    expect(layer.at(-2)?.data.values.map((row) => row.number)).toEqual([1]);
    expect(layer.at(-2)?.mark).toMatchObject({ type: 'point', fill: 'white', stroke: '#d62728' });
    expect(layer.at(-3)?.data.values.map((row) => row.number)).toEqual([2, 3]);
    expect(layer.at(-4)?.data.values.map((row) => row.number)).toEqual([0, 1]);
    expect(layer.at(-4)?.mark).toMatchObject({ type: 'text', fill: 'white', stroke: 'white', interactive: false });
  });

  it('cuts long parameter names to their column (parallel coordinates, slice plots)', () => {
    const long = 'very_long_parameter_name_'.repeat(6);
    const named = compileSpace({
      [long]: { type: 'uniform', low: 0, high: 1 },
      b: { type: 'uniform', low: 0, high: 1 },
    });
    const points = [0, 1, 2].map((n) => ({
      ...point(n, 0, 0, n),
      params: { [long]: n / 3, b: n / 4 },
      internal: { [long]: n / 3, b: n / 4 },
    }));
    const parallel = parallelChart(points, named);
    const axis = (parallel.spec as { layer: { encoding: { x: { axis: { labelLimit: number } } } }[] }).layer[0]
      ?.encoding.x.axis;
    // Three axes (the two parameters and the loss), each 200 px at most: the 150-character name is cut to 190 px.
    expect(axis?.labelLimit).toBe(190);
    // Short names: 400 px in all, 133 px an axis; a 17-character name (trial 132: `sizeOfHiddenLayer`) widens
    // its axes to fit it as an SVG export estimates text, 0.8 of the 11 px font a character.
    const short = compileSpace({ a: { type: 'uniform', low: 0, high: 1 }, b: { type: 'uniform', low: 0, high: 1 } });
    const shortPoints = [0, 1, 2].map((n) => ({ ...point(n, 0, 0, n), params: { a: n / 3, b: n / 4 } }));
    expect((parallelChart(shortPoints, short).spec as { width: number }).width).toBe(400);
    const hidden = compileSpace({
      sizeOfHiddenLayer: { type: 'uniform', low: 0, high: 1 },
      b: { type: 'uniform', low: 0, high: 1 },
    });
    const hiddenPoints = [0, 1, 2].map((n) => ({
      ...point(n, 0, 0, n),
      params: { sizeOfHiddenLayer: n / 3, b: n / 4 },
      internal: { sizeOfHiddenLayer: n / 3, b: n / 4 },
    }));
    const wide = parallelChart(hiddenPoints, hidden).spec as unknown as {
      layer: { encoding: { x: { axis: { labelLimit: number } } } }[];
    };
    const hiddenAxis = wide.layer[0]?.encoding.x.axis;
    expect(hiddenAxis?.labelLimit).toBeGreaterThanOrEqual(Math.ceil(0.8 * 11 * 'sizeOfHiddenLayer'.length));
    const slice = sliceChart(points, named);
    const panel = (slice.spec as { concat: { title: unknown; encoding: { x: { axis: { titleLimit: number } } } }[] })
      .concat[0];
    expect(panel?.title).toEqual({ text: long, limit: 210 });
    expect(panel?.encoding.x.axis.titleLimit).toBe(210);
  });
});

describe('choice charts', () => {
  it('print the scores in a band above probability 1, which no bar reaches', async () => {
    const study = await runTpeStudy(30, {
      space: { opt: { type: 'choice', options: ['sgd', 'adam'] }, x: { type: 'uniform', low: 0, high: 1 } },
      objective: (p) => (p.opt === 'sgd' ? 0 : 1) + (p.x as number),
      tpe: { startupTrials: 5 },
    });
    const chart = pageCharts(await buildReport(study, { every: 10 })).find((c) => c.id === 'categorical-opt');
    if (chart === undefined) throw new Error('no chart categorical-opt');
    type Layer = { mark: unknown; encoding: { y: { datum?: number; scale?: { domain: number[] } } } };
    const layers = (chart.spec as { spec: { layer: Layer[] } }).spec.layer;
    const [bars, chosen, scores] = layers;
    expect(bars?.encoding.y.scale?.domain).toEqual([0, 1.2]);
    expect(scores?.encoding.y.datum).toBeGreaterThan(1);
    expect(chosen?.encoding.y.datum).toBe(1.2);
  });
});

describe("the density chart of an integer (trial 108: its good trials' ticks were hidden, its y axis said density)", async () => {
  const study = await runTpeStudy(24, {
    space: { n: { type: 'uniformint', low: 1, high: 4 }, x: { type: 'uniform', low: 0, high: 1 } },
    objective: (p) => Math.abs((p.n as number) - 3) + (p.x as number),
  });
  const page = await buildReport(study, { every: 6 });
  type Spec = {
    data: { values: Record<string, unknown>[] };
    spec: { layer: { encoding: { y: { title?: string } } }[] };
  };
  const spec = (id: string) => pageCharts(page).find((c) => c.id === id)?.spec as Spec;

  it('titles an integer\'s y axis "log probability" (masses of its values), a continuous one\'s "log density"', async () => {
    expect(spec('density-n').spec.layer[0]?.encoding.y.title).toBe('log probability');
    expect(spec('density-x').spec.layer[0]?.encoding.y.title).toBe('log density');
    // A randint TPE models on a line (randint: "ordered") is drawn as a density chart too (review 112).
    const ordered = await runTpeStudy(16, {
      space: { r: { type: 'randint', low: 0, high: 6 }, x: { type: 'uniform', low: 0, high: 1 } },
      objective: (p) => Math.abs((p.r as number) - 3) + (p.x as number),
      tpe: { startupTrials: 5, randint: 'ordered' },
    });
    const chart = pageCharts(await buildReport(ordered, { every: 5 })).find((c) => c.id === 'density-r');
    expect((chart?.spec as Spec | undefined)?.spec.layer[0]?.encoding.y.title).toBe('log probability');
  });

  it("draws each row's l ticks after its g ticks, so a good trial's tick is on top where both sets share a value", () => {
    const ticks = spec('density-n').data.values.filter((row) => row.t !== undefined);
    const rows = new Set(ticks.map((row) => row.a));
    expect(rows.size).toBeGreaterThan(1);
    for (const after of rows) {
      const sets = ticks.filter((row) => row.a === after).map((row) => row.s);
      expect(sets.includes('l') && sets.includes('g')).toBe(true);
      expect(sets.lastIndexOf('g')).toBeLessThan(sets.indexOf('l'));
    }
    // And they share values: the case the order is for.
    const at = (set: string) => new Set(ticks.filter((row) => row.s === set).map((row) => row.t));
    expect([...at('l')].some((value) => at('g').has(value))).toBe(true);
  });
});

describe('losses over 3 or more powers of ten (trial 115: only the history went log)', () => {
  const space = compileSpace({ x: { type: 'uniform', low: 0, high: 1 } });
  const point = (number: number, loss: number): TrialPoint => ({
    number,
    state: 'complete',
    loss,
    best: null,
    improved: false,
    params: { x: number / 10 },
    internal: { x: number / 10 },
    seconds: 1,
  });
  const spread = [10, 0.5, 0.02, 0.0004, 0.003].map((loss, number) => point(number, loss));
  const narrow = [3, 2, 1.5, 0.9].map((loss, number) => point(number, loss));
  type Encoded = { encoding: Record<string, { scale?: { type?: string }; title?: string }> };
  const firstLayer = (chart: { spec: unknown }) => (chart.spec as { layer: Encoded[] }).layer[0] as Encoded;

  // A user trial: a noisy study's losses (0.0052 to 2.15) span under 3 powers of ten, so the history stayed linear,
  // its best-so-far line lay on the floor from trial 18 on, and its gains from 0.0094 to 0.0052 could not be seen.
  it('draws the history on a log scale when minimizing and the best so far falls a power of ten or more', () => {
    const losses = [1.32, 0.74, 2.15, 0.2, 2.0, 0.3, 0.19, 0.0094, 0.5, 0.02, 0.0052, 0.1];
    const noisy = losses.map((loss, number) => ({
      ...point(number, loss),
      best: Math.min(...losses.slice(0, number + 1)),
    }));
    const history = historyChart(noisy, 'minimize');
    expect(firstLayer(history).encoding.y?.scale?.type).toBe('log');
    // Not rounded out to whole decades (0.001 to 10 for these, a decade empty at the top).
    expect(firstLayer(history).encoding.y?.scale).toMatchObject({ nice: false });
    expect(firstLayer(history).encoding.y?.title).toBe('loss (log scale)');
    expect(history.description).toContain(
      'The best loss so far falls a power of ten or more (1.32 to 0.0052) and every loss is above 0: the axis is logarithmic, so the later gains show (it is linear when the losses span less than 3 powers of ten and the best falls less than one).',
    );
    // Maximizing (the gains come near the top), a best falling less than tenfold, or a loss at 0: linear.
    const up = noisy.map((p) => ({
      ...p,
      best: Math.max(...noisy.slice(0, p.number + 1).map((q) => q.loss as number)),
    }));
    expect(firstLayer(historyChart(up, 'maximize')).encoding.y?.scale?.type).toBeUndefined();
    const flat = noisy.map((p) => ({ ...p, best: Math.max(0.2, p.best as number) }));
    expect(firstLayer(historyChart(flat, 'minimize')).encoding.y?.scale?.type).toBeUndefined();
    const zero = noisy.map((p) => (p.number === 11 ? { ...p, loss: 0 } : p));
    expect(firstLayer(historyChart(zero, 'minimize')).encoding.y?.scale?.type).toBeUndefined();
    expect(historyChart(flat, 'minimize').description).not.toContain('logarithmic');
  });

  it('draws the loss axes of the history, the slices, the distribution and the parallel coordinates on a log scale', () => {
    expect(firstLayer(historyChart(spread, 'minimize')).encoding.y?.scale?.type).toBe('log');
    const slice = sliceChart(spread, space).spec as { hconcat?: Encoded[]; concat?: Encoded[] } as unknown;
    expect(JSON.stringify(slice)).toContain('"title":"loss (log scale)","scale":{"type":"log",');
    const ecdf = ecdfChart(spread, 100).spec as Encoded;
    expect(ecdf.encoding.x?.scale?.type).toBe('log');
    const parallel = parallelChart(spread, space);
    const lines = firstLayer(parallel);
    expect(lines.encoding.color?.scale?.type).toBe('log');
    expect(lines.encoding.color?.title).toBe('loss (log scale; darker: better)');
    // The loss axis placed by log: 0.02 (the geometric middle of 0.0004 and 10, nearly) near the middle.
    const rows = (parallel.spec as { layer: { data: { values: Record<string, unknown>[] } }[] }).layer[0]?.data.values;
    const at = (loss: number) => rows?.find((row) => row.axis === 'loss' && row.loss === loss)?.y as number;
    expect(at(0.0004)).toBe(0);
    expect(at(10)).toBe(1);
    expect(at(0.02)).toBeCloseTo(Math.log(0.02 / 0.0004) / Math.log(10 / 0.0004), 3);
    // Its labels the losses themselves.
    const labels = (parallel.spec as { layer: { data: { values: Record<string, unknown>[] } }[] }).layer[2]?.data
      .values;
    expect(labels?.filter((label) => label.axis === 'loss').map((label) => label.label)).toEqual(['10', '0.0004']);
    expect(parallel.description).toContain('the loss axis and the colours logarithmic');
  });

  it('keeps them linear near the largest number (review 120: a log axis rounded its top up to Infinity)', () => {
    const huge = [1e-3, 1.5e308].map((loss, number) => point(number, loss));
    expect((ecdfChart(huge, 100).spec as Encoded).encoding.x?.scale?.type).toBeUndefined();
    expect(firstLayer(historyChart(huge, 'minimize')).encoding.y?.scale?.type).toBeUndefined();
  });

  it('marks a pruned trial that reported nothing as a cross, not a dot at the worst loss (review 120: read as a loss)', () => {
    const noLoss: TrialPoint = { ...point(5, 0), state: 'pruned', loss: null };
    const layer = firstLayer(historyChart([...narrow, noLoss], 'minimize')) as Encoded & {
      data: { values: Record<string, unknown>[] };
    };
    expect(layer.data.values.find((row) => row.number === 5)).toMatchObject({ glyph: 'pruned, no loss', said: 'none' });
    const shape = layer.encoding.shape?.scale as unknown as { domain: string[]; range: string[] };
    expect(shape.range[shape.domain.indexOf('pruned, no loss')]).toBe('cross');
    expect(shape.range[shape.domain.indexOf('complete')]).toBe('circle');
  });

  it('keeps them linear below 3 powers of ten', () => {
    expect(firstLayer(historyChart(narrow, 'minimize')).encoding.y?.scale?.type).toBeUndefined();
    expect((ecdfChart(narrow, 100).spec as Encoded).encoding.x?.scale?.type).toBeUndefined();
    expect(firstLayer(parallelChart(narrow, space)).encoding.color?.scale?.type).toBeUndefined();
    expect(parallelChart(narrow, space).description).not.toContain('logarithmic');
  });
});

/** The symbols Vega places (no renderer: the scene graph), in each view's own pixels, with its frame's size. */
const placed = async (chart: { spec: unknown }) => {
  type SceneItem = {
    x?: number;
    y?: number;
    width?: number;
    height?: number;
    text?: unknown;
    datum?: { scale?: string };
    items?: SceneMark[];
  };
  type SceneMark = { role: string; marktype: string; items: SceneItem[] };
  const view = new View(parse(compile(chart.spec as TopLevelSpec).spec), { renderer: 'none' });
  await view.runAsync();
  const symbols: { x: number; y: number; width: number; height: number }[] = [];
  const yLabels: string[] = [];
  const walk = (mark: SceneMark, frame: { width: number; height: number }, y: boolean) => {
    for (const item of mark.items) {
      const inY = y || (mark.role === 'axis' && item.datum?.scale === 'y');
      if (mark.role === 'mark' && mark.marktype === 'symbol')
        symbols.push({ x: item.x ?? Number.NaN, y: item.y ?? Number.NaN, ...frame });
      if (inY && mark.role === 'axis-label') yLabels.push(String(item.text));
      // A view's group sets the frame of the marks under it.
      const own =
        mark.marktype === 'group' && mark.role === 'scope' && item.width !== undefined && item.height !== undefined
          ? { width: item.width, height: item.height }
          : frame;
      for (const child of item.items ?? []) walk(child, own, inY);
    }
  };
  const root = (view.scenegraph() as unknown as { root: SceneMark }).root;
  walk(root, { width: Number(view.width()), height: Number(view.height()) }, false);
  view.finalize();
  return { symbols, yLabels };
};

// A user trial: points sat on the charts' frames, half hidden (the worst trial in a slice's corner; a history of
// losses 0.09 and 0.19 with every point on its top or bottom frame and a tick at neither).
describe('no mark on a frame', () => {
  const trial = (number: number, loss: number, x: number, y?: number): TrialPoint => ({
    number,
    state: 'complete',
    loss,
    best: null,
    improved: false,
    params: y === undefined ? { x } : { x, y },
    internal: y === undefined ? { x } : { x, y },
    seconds: 1,
  });
  const inside = ({ x, y, width, height }: { x: number; y: number; width: number; height: number }) =>
    x >= 5 && x <= width - 5 && y >= 5 && y <= height - 5;

  it('pads the history and labels each of few distinct losses', async () => {
    const two = Array.from({ length: 12 }, (_, i) => trial(i, i % 3 === 0 ? 0.09 : 0.19, i / 11));
    const { symbols, yLabels } = await placed(historyChart(two, 'minimize'));
    expect(symbols).toHaveLength(12);
    for (const symbol of symbols) expect(symbol).toSatisfy(inside);
    expect(yLabels).toEqual(['0.09', '0.19']);
  });

  it("pads the slice plots, a trial at a parameter's bound too, and gives their panels one loss axis", async () => {
    const space = compileSpace({
      x: { type: 'uniform', low: 0, high: 1 },
      y: { type: 'loguniform', low: 1e-5, high: 1 },
    });
    // x at its bounds; y only in the first trials, so its panel's losses begin higher than x's.
    const trials = [trial(0, 2.15, 0, 1e-5), trial(1, 0.3, 1, 1), trial(2, 0, 0.5), trial(3, 0.4, 0.25)];
    const chart = sliceChart(trials, space);
    const { symbols } = await placed(chart);
    expect(symbols).toHaveLength(6);
    for (const symbol of symbols) expect(symbol).toSatisfy(inside);
    expect((chart.spec as { resolve: unknown }).resolve).toEqual({ scale: { color: 'shared', y: 'shared' } });
  });
});

describe('a choice in the slice plots', () => {
  it('has no axis title under its turned labels: the panel is titled with its name (trial 132)', () => {
    const space = compileSpace({
      opt: { type: 'choice', options: ['adam', 'sgd'] },
      x: { type: 'uniform', low: 0, high: 1 },
    });
    const points: TrialPoint[] = [0, 1, 2].map((number) => ({
      number,
      state: 'complete',
      loss: number,
      best: 0,
      improved: number === 0,
      params: { opt: number % 2 === 0 ? 'adam' : 'sgd', x: number / 3 },
      internal: { opt: number % 2, x: number / 3 },
      seconds: 1,
    }));
    const panels = (
      sliceChart(points, space).spec as { concat: { title: { text: string }; encoding: { x: { title?: unknown } } }[] }
    ).concat;
    expect(panels.map((panel) => [panel.title.text, panel.encoding.x.title])).toEqual([
      ['opt', null],
      ['x', 'x'],
    ]);
  });
});

/** Each tooltip's titles (a field's name where it has none) in `specs`. */
const tooltipTitles = (specs: readonly unknown[]): string[][] => {
  const titles: string[][] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node !== null && typeof node === 'object') {
      const { tooltip } = node as { tooltip?: unknown };
      if (Array.isArray(tooltip))
        titles.push(tooltip.map((entry: { title?: string; field: string }) => entry.title ?? entry.field));
      Object.values(node).forEach(visit);
    }
  };
  visit(specs);
  return titles;
};

describe('tooltips of parameters named as the charts’ own fields (scikit-learn’s loss choice)', () => {
  it('title them params.NAME, so no entry hides another (one entry per title)', async () => {
    const study = await runTpeStudy(20, {
      space: {
        loss: { type: 'choice', options: ['hinge', 'log_loss'] },
        state: { type: 'uniform', low: 0, high: 1 },
        trial: { type: 'uniform', low: 0, high: 1 },
      },
      objective: (p) => (p.loss === 'hinge' ? 1 : 2) + (p.state as number) + (p.trial as number),
      name: 'sgd',
    });
    const page = await buildReport(study, { pairs: [['state', 'trial']] });
    const charts = pageCharts(page).filter((chart) => chart.id === 'slice' || chart.id.startsWith('pair-'));
    expect(charts.length).toBe(2);
    const titles = tooltipTitles(charts.map((chart) => chart.spec));
    const withParams = titles.filter((entry) => entry.some((title) => title.startsWith('params.')));
    expect(withParams.length).toBeGreaterThan(0);
    for (const entry of titles) expect(entry).toEqual([...new Set(entry)]);
    expect(withParams.flat()).toEqual(expect.arrayContaining(['params.loss', 'params.state', 'params.trial']));
  });

  it('titles a parameter named `built` params.built in the TPE density chart, beside its own `built` (review 155)', async () => {
    const study = await runTpeStudy(30, {
      space: { built: { type: 'uniform', low: 0, high: 1 } },
      objective: (p) => p.built as number,
      name: 'built',
    });
    const titles = tooltipTitles(pageCharts(await buildReport(study)).map((chart) => chart.spec));
    expect(titles).toContainEqual(['params.built', 'built']);
    for (const entry of titles) expect(entry).toEqual([...new Set(entry)]);
  });
});
