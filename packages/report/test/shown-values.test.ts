/** How the page shows values: numbers in its table and best trial, parameter axes. */

import { compileSpace, type ParamNode, type Trial } from '@parzen/engine/plugin';
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { expect, it } from 'vitest';
import { paramScale } from '../src/charts/common.js';
import { historyChart, learningCurvesChart, sliceChart } from '../src/charts/study-charts.js';
import { pairChart } from '../src/charts/tpe-charts.js';
import { PAGE_SCRIPT } from '../src/page-script.js';
import type { TrialPoint } from '../src/trial-points.js';

/** The page's own `show` (how the best trial and the table print a value), taken out of the script. */
const show = new Function(`${/function show\(v\) \{[\s\S]*?\n {2}\}/.exec(PAGE_SCRIPT)?.[0]}; return show;`)() as (
  value: unknown,
) => string;

it('prints numbers past 2^53 to 6 significant digits, like fractions (trial 28: 1.0000005021455725e+300)', () => {
  expect(show(1.0000005021455725e300)).toBe('1e+300');
  expect(show(-2.5e20)).toBe('-2.5e+20');
  expect(show(41)).toBe('41');
  expect(show(0.123456789)).toBe('0.123457');
  expect(show('svm')).toBe('svm');
  expect(show(null)).toBe('');
});

it("draws a randint's axis over the integers it can take (trial 28: randint(1, 10) ran 1–8, as drawn so far)", () => {
  expect(paramScale({ kind: 'randint', low: 1, high: 10 })).toEqual({ zero: false, domain: [1, 9], nice: false });
  expect(paramScale({ kind: 'uniformint', low: 1, high: 10 })).toEqual({ zero: false, domain: [1, 10], nice: false });
});

it('draws a pair plot of more than 300 trials as dots, not numbers that overlap into a blot (trial 28)', () => {
  const space = compileSpace({ x: { type: 'uniform', low: 0, high: 1 }, y: { type: 'uniform', low: 0, high: 1 } });
  const [x, y] = space.params as [ParamNode, ParamNode];
  const points = (count: number): TrialPoint[] =>
    Array.from({ length: count }, (_, number) => ({
      number,
      state: 'complete',
      loss: number,
      best: 0,
      improved: number === 0,
      // Apart enough that no number covers another (28 by 21 pixels of the 420).
      params: { x: (number % 15) / 15, y: Math.floor(number / 15) / 20 },
      internal: {},
      seconds: 1,
    }));
  const few = pairChart(points(300), x, y, undefined, 0);
  // The trials (each number over its halo), and the best one's ring (trial 92).
  expect(few.marks).toEqual([
    { mark: 'text', count: 600 },
    { mark: 'symbol', count: 1 },
  ]);
  expect(few.description).toContain('Each trial drawn as its number');
  const many = pairChart(points(301), x, y, undefined, 0);
  expect(many.marks).toEqual([{ mark: 'symbol', count: 302 }]);
  expect(many.description).toContain('Each trial drawn as a dot (more than 300 trials');
  // The best a red dot on top, its ring under the dots and not filled (a white one would hide it: review of
  // review 103's fix).
  const manyLayers = (many.spec as { layer: { mark: { fill?: string }; data: { values: { best: boolean }[] } }[] })
    .layer;
  expect(manyLayers.at(-1)?.data.values.at(-1)?.best).toBe(true);
  expect(manyLayers.at(-2)?.data.values.map((row) => row.best)).toEqual([true]);
  expect(manyLayers.at(-2)?.mark.fill).toBeUndefined();
  // No best trial (none complete): no ring, and the caption does not speak of one (trial 92).
  const none = pairChart(points(3), x, y, undefined, undefined);
  expect(none.marks).toEqual([{ mark: 'text', count: 6 }]);
  expect(none.description).not.toContain('best');
});

it('leaves running trials out of a pair plot: no result to draw, and no kind of its legend (the grey was near failed)', () => {
  const space = compileSpace({ x: { type: 'uniform', low: 0, high: 1 }, y: { type: 'uniform', low: 0, high: 1 } });
  const [x, y] = space.params as [ParamNode, ParamNode];
  const at = (number: number, state: TrialPoint['state'], loss: number | null): TrialPoint => ({
    number,
    state,
    loss,
    best: 0,
    improved: false,
    params: { x: number / 4, y: number / 4 },
    internal: {},
    seconds: 1,
  });
  for (const count of [3, 301]) {
    // As numbers (3 trials) and as dots (past 300).
    const points = Array.from({ length: count }, (_, n) => (n === 1 ? at(1, 'failed', null) : at(n, 'complete', n)));
    points.push(at(count, 'running', null));
    const chart = pairChart(points, x, y, undefined, 0);
    const layers = (chart.spec as { layer: { data: { values: { number: number }[] }; encoding: object }[] }).layer;
    expect(layers.flatMap((l) => l.data.values.map((row) => row.number))).not.toContain(count);
    expect(JSON.stringify(layers)).not.toContain('running');
    expect(chart.description).not.toContain('running');
  }
});

it('draws a trial whose number would cover an earlier one as a dot, the best always as its number (trial 96)', () => {
  const space = compileSpace({
    x: { type: 'uniform', low: 0, high: 1 },
    y: { type: 'loguniform', low: 1e-4, high: 1 },
  });
  const [x, y] = space.params as [ParamNode, ParamNode];
  const at = (number: number, px: number, py: number): TrialPoint => ({
    number,
    state: 'complete',
    loss: 10 - number,
    best: 0,
    improved: false,
    params: { x: px, y: py },
    internal: {},
    seconds: 1,
  });
  // 0 and 1 far apart; 2 a pixel from 0; 3 on 0 but the best; 4 two decades of the log axis below 0 (210 px).
  const points = [at(0, 0.5, 0.1), at(1, 0.1, 0.9), at(2, 0.501, 0.1), at(3, 0.5, 0.1), at(4, 0.5, 0.001)];
  const chart = pairChart(points, x, y, undefined, 3);
  const layer = (type: string) =>
    (
      chart.spec as {
        layer: { mark: { type: string; filled?: boolean; fill?: string }; data: { values: { number: number }[] } }[];
      }
    ).layer
      // Not the best's ring (unfilled), nor the white halos under the numbers.
      .filter((l) => l.mark.type === type && l.mark.filled !== false && l.mark.fill !== 'white')
      .flatMap((l) => l.data.values.map((row) => row.number));
  expect(layer('text')).toEqual([1, 4, 3]);
  expect(layer('point')).toEqual([0, 2]);
  expect(chart.marks).toEqual([
    // Each number over its halo.
    { mark: 'text', count: 6 },
    { mark: 'symbol', count: 3 },
  ]);
  expect(chart.description).toContain(
    'Each trial drawn as its number (2, whose numbers would cover others drawn first, are drawn as dots: the best first, then by trial number;',
  );
});

it('places numbers by their digits, on log axes as drawn, and on the domain the contour widens (review 103)', () => {
  const point = (number: number, px: number, py: number): TrialPoint => ({
    number,
    state: 'complete',
    loss: number,
    best: 0,
    improved: false,
    params: { x: px, y: py },
    internal: {},
    seconds: 1,
  });
  const drawn = (chart: ReturnType<typeof pairChart>, type: string) =>
    (chart.spec as { layer: { mark: { type: string; fill?: string }; data: { values: { number: number }[] } }[] }).layer
      .filter((l) => l.mark.type === type && l.mark.fill === undefined)
      .flatMap((l) => l.data.values.map((row) => row.number))
      .sort((a, b) => a - b);
  const logSpace = compileSpace({
    x: { type: 'uniform', low: 0, high: 1 },
    y: { type: 'loguniform', low: 1e-4, high: 1 },
  });
  const [x, y] = logSpace.params as [ParamNode, ParamNode];
  const step = 20 / 420;
  const points = [
    // One-digit numbers 20 pixels apart fit; three-digit ones do not.
    point(1, 0.2, 0.5),
    point(2, 0.2 + step, 0.5),
    point(100, 0.6, 0.5),
    point(101, 0.6 + step, 0.5),
    // A decade apart on the log axis (105 pixels; 0.4 on a linear one): both numbers.
    point(3, 0.9, 1e-4),
    point(4, 0.9, 1e-3),
    // 8 pixels apart up the log axis: less than a number's height.
    point(5, 0.4, 0.1),
    point(6, 0.4, 0.1 * 10 ** (8 / 105)),
  ];
  const chart = pairChart(points, x, y, undefined, undefined);
  expect(drawn(chart, 'text')).toEqual([1, 2, 3, 4, 5, 100]);
  expect(drawn(chart, 'point')).toEqual([6, 101]);

  // Unbounded parameters under a contour that reaches ±8: 0.05 apart is a pixel there, not the whole plot.
  const normal = compileSpace({ x: { type: 'normal', mu: 0, sigma: 2 }, y: { type: 'normal', mu: 0, sigma: 2 } });
  const [nx, ny] = normal.params as [ParamNode, ParamNode];
  const contour = { segments: [{ x1: -8, y1: -8, x2: 8, y2: 8, level: 1 }], levels: [1], note: 'test' };
  const wide = pairChart([point(0, 0, 0), point(1, 0.05, 0)], nx, ny, contour, undefined);
  expect(drawn(wide, 'text')).toEqual([0]);
  expect(drawn(wide, 'point')).toEqual([1]);
  const domain = JSON.stringify(
    (wide.spec as { layer: { encoding: { x: { scale: unknown } } }[] }).layer[0]?.encoding.x.scale,
  );
  // (Padded in pixels, so a number at the edge is drawn inside the plot.)
  expect(domain).toBe(JSON.stringify({ zero: false, domain: [-8.8, 8.8], nice: false, padding: 14 }));
});

it('draws the history on a log axis when positive losses span 3 powers of ten, linear otherwise (trial 28)', () => {
  const trial = (number: number, loss: number): TrialPoint => ({
    number,
    state: 'complete',
    loss,
    best: loss,
    improved: true,
    params: {},
    internal: {},
    seconds: 1,
  });
  const yOf = (losses: number[]) => {
    const chart = historyChart(
      losses.map((loss, i) => trial(i, loss)),
      'minimize',
    );
    return { y: JSON.stringify((chart.spec as { layer: { encoding: { y: unknown } }[] }).layer[0]?.encoding.y), chart };
  };
  const wide = yOf([5000, 30, 2, 0.4]);
  expect(wide.y).toContain('"type":"log"');
  expect(wide.chart.description).toContain('the axis is logarithmic');
  expect(yOf([5, 3, 2, 0.6]).y).not.toContain('"type":"log"');
  // Under 3 powers of ten, but the best so far falls more than tenfold: log too, said (a user trial).
  expect(yOf([5, 3, 2, 0.4]).y).toContain('"type":"log"');
  expect(yOf([5, 3, 2, 0.4]).chart.description).toContain(
    'The best loss so far falls a power of ten or more (5 to 0.4)',
  );
  expect(yOf([5000, -3, 2]).y).not.toContain('"type":"log"');
});

// Trial 141: a reported 1.000208 showed as 1.00020 in its tooltip (kept to 5 digits, printed to 6), 0.5445082 as
// 0.544510 where the table said 0.544508.
it("gives each reported value in the learning curves' tooltips to the digits it shows", () => {
  const trial = (number: number, state: 'complete' | 'pruned', values: readonly number[]): Trial =>
    ({
      study: 's',
      number,
      state,
      internal: {},
      startedAt: '2026-01-01T00:00:00.000Z',
      finishedAt: '2026-01-01T00:00:01.000Z',
      loss: values.at(-1),
      intermediate: values.map((value, step) => ({ step, value })),
    }) as Trial;
  const reported = [1.000208, 0.5445082, 0.123456789];
  const chart = learningCurvesChart([trial(0, 'complete', reported), trial(1, 'pruned', reported)]);
  type Data = { values: { number: number; step: number; value: number }[] };
  type Layer = { data?: Data; encoding: { tooltip?: { field: string; format?: string }[] } };
  if (chart === undefined) throw new Error('no learning curves');
  const spec = chart.spec as { data: Data; layer: Layer[] };
  const layers = spec.layer.filter((layer) => layer.encoding.tooltip !== undefined);
  expect(layers).toHaveLength(2);
  for (const layer of layers) {
    const format = layer.encoding.tooltip?.find((field) => field.field === 'value')?.format;
    // d3's '.Ng' is toPrecision(N).
    const digits = Number(/^\.(\d+)g$/.exec(format ?? '')?.[1]);
    expect(digits).toBe(6);
    // The points' layer draws the spec's reports, the diamonds' layer its own.
    for (const row of (layer.data ?? spec.data).values) {
      expect(row.value.toPrecision(digits)).toBe((reported[row.step] as number).toPrecision(digits));
    }
  }
});

/** Every tooltip a chart's marks give, as Vega computes them (no renderer: the scene graph only). */
const tooltipsOf = async (spec: unknown): Promise<Record<string, unknown>[]> => {
  type SceneItem = { tooltip?: unknown; items?: SceneMark[] };
  type SceneMark = { items: SceneItem[] };
  const view = new View(parse(compile(spec as TopLevelSpec).spec), { renderer: 'none' });
  await view.runAsync();
  const tooltips: Record<string, unknown>[] = [];
  const walk = (mark: SceneMark) => {
    for (const item of mark.items) {
      if (typeof item.tooltip === 'object' && item.tooltip !== null)
        tooltips.push(item.tooltip as Record<string, unknown>);
      for (const child of item.items ?? []) walk(child);
    }
  };
  walk((view.scenegraph() as unknown as { root: SceneMark }).root);
  view.finalize();
  return tooltips;
};

// Trial 141: the pair and slice tooltips gave a parameter raw (lr: 0.00007594438212725), the loss to 6 digits.
it("gives a parameter's value in the pair and slice tooltips to 6 digits, a whole number as it is, a choice as its option", async () => {
  const space = compileSpace({
    lr: { type: 'loguniform', low: 1e-5, high: 0.1 },
    n: { type: 'uniformint', low: 1, high: 2_000_000_000 },
    opt: { type: 'choice', options: ['adam', 'sgd'] },
  });
  const [lr, n] = space.params as [ParamNode, ParamNode];
  const values = [
    { lr: 0.00007594438212725, n: 1_234_567_891, opt: 'adam' },
    { lr: 0.012345678, n: 7, opt: 'sgd' },
  ];
  const points: TrialPoint[] = values.map((params, number) => ({
    number,
    state: 'complete',
    loss: 0.5 + number,
    best: 0.5,
    improved: number === 0,
    params,
    internal: { lr: params.lr, n: params.n, opt: number },
    seconds: 1,
  }));
  const shown = (tooltips: Record<string, unknown>[], name: string) =>
    tooltips.filter((tooltip) => name in tooltip).map((tooltip) => String(tooltip[name]));
  const pair = await tooltipsOf(pairChart(points, lr, n, undefined, 0).spec);
  expect(shown(pair, 'lr')).toEqual(expect.arrayContaining(['0.0000759444', '0.0123457']));
  expect(shown(pair, 'n')).toEqual(expect.arrayContaining(['1234567891', '7']));
  const slice = await tooltipsOf(sliceChart(points, space).spec);
  expect(shown(slice, 'lr').sort()).toEqual(['0.0000759444', '0.0123457']);
  expect(shown(slice, 'n').sort()).toEqual(['1234567891', '7']);
  expect(shown(slice, 'opt').sort()).toEqual(['adam', 'sgd']);
});
