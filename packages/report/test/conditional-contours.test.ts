import type { Trial } from '@parzen/engine';
import { compileSpace, type ExternalParams, type ParamAssignment, toInternalParams } from '@parzen/engine/plugin';
import { describe, expect, it } from 'vitest';
import { buildReport, type Chart, type ReportPage, type ReportStudy } from '../src/index.js';
import { pageCharts } from '../src/plugin.js';

const chart = (page: ReportPage, id: string): Chart => {
  const found = pageCharts(page).find((c) => c.id === id);
  if (found === undefined) throw new Error(`no chart ${id}: ${pageCharts(page).map((c) => c.id)}`);
  return found;
};

// C and kernel only under model = svm, gamma only under kernel = rbf, depth only under model = tree.
const space = compileSpace({
  x: { type: 'uniform', low: 0, high: 1 },
  model: {
    type: 'choice',
    options: [
      {
        value: 'svm',
        space: {
          C: { type: 'loguniform', low: 0.01, high: 1000 },
          kernel: {
            type: 'choice',
            options: ['linear', { value: 'rbf', space: { gamma: { type: 'loguniform', low: 0.001, high: 10 } } }],
          },
        },
      },
      { value: 'tree', space: { depth: { type: 'randint', low: 1, high: 20 } } },
    ],
  },
});

const objective = (p: ExternalParams): number =>
  ((p.x as number) - 0.5) ** 2 +
  (p.model === 'svm'
    ? Math.abs(Math.log10(p.C as number) - 1) + (p.kernel === 'rbf' ? Math.abs(Math.log10(p.gamma as number)) : 0.5)
    : Math.abs((p.depth as number) - 7) / 10);

const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString();
const complete = (number: number, internal: ParamAssignment, loss: number): Trial => ({
  study: 'cond',
  number,
  state: 'complete',
  internal,
  loss,
  startedAt: at(number),
  finishedAt: at(number + 1),
});
// The best trial (#2) is a tree; the best svm trial (#4) has kernel linear; no complete trial set gamma.
const trials: Trial[] = [
  complete(0, { x: 0.2, model: 0, C: 1, kernel: 0 }, 2),
  {
    study: 'cond',
    number: 1,
    state: 'failed',
    internal: { x: 0.4, model: 0, C: 10, kernel: 1, gamma: 0.1 },
    error: { code: 'OBJECTIVE_FAILED', message: 'no' },
    startedAt: at(1),
    finishedAt: at(2),
  },
  complete(2, { x: 0.5, model: 1, depth: 7 }, 0.05),
  complete(3, { x: 0.9, model: 1, depth: 2 }, 0.9),
  complete(4, { x: 0.6, model: 0, C: 100, kernel: 0 }, 1.51),
];
const study: ReportStudy = {
  name: 'cond',
  direction: 'minimize',
  seed: 1,
  space,
  trials,
  suggester: { use: 'random' },
};

/** The report with one pair plot and a contour function that records every call. */
const contoursOf = async (pair: readonly [string, string], of: ReportStudy = study, resolution = 8) => {
  const calls: { params: ExternalParams; value: number }[] = [];
  const page = await buildReport(of, {
    every: 2,
    contourResolution: resolution,
    pairs: [pair],
    contour: (params) => {
      const value = objective(params);
      calls.push({ params, value });
      return value;
    },
  });
  const id = `pair-${pair.join('-').toLowerCase()}`;
  // A pair with nothing to draw (no trial set both, no contour lines) has no plot.
  const drawn = pageCharts(page).some((c) => c.id === id);
  return {
    page,
    calls,
    drawn,
    get pair() {
      return chart(page, id);
    },
  };
};

describe('contours of a conditional space', async () => {
  const xc = await contoursOf(['x', 'C']);
  const cg = await contoursOf(['C', 'gamma']);
  const xg = await contoursOf(['x', 'gamma']);
  const xd = await contoursOf(['x', 'depth']);
  const cd = await contoursOf(['C', 'depth']);

  it('calls the function only with assignments an objective can receive: the active parameters, the pair among them', () => {
    const calls = [xc, cg, xg, xd].flatMap((plot) => plot.calls);
    expect(calls.length).toBeGreaterThan(200);
    for (const { params } of calls) {
      expect({ params, issues: toInternalParams(space, params, '').issues }).toEqual({ params, issues: [] });
    }
  });

  it('switches the choices above a pair parameter to the option that makes it active, so its contours depend on it', () => {
    expect(xc.calls).toHaveLength(64);
    // model = svm (the best trial's tree has no C); kernel as in the best trial that set it (#4: linear); no depth.
    for (const { params } of xc.calls) expect(Object.keys(params).sort()).toEqual(['C', 'kernel', 'model', 'x']);
    expect(new Set(xc.calls.map((call) => call.params.kernel))).toEqual(new Set(['linear']));
    const atOneX = xc.calls.filter((call) => call.params.x === xc.calls[0]?.params.x);
    expect(new Set(atOneX.map((call) => call.value)).size).toBeGreaterThan(4);
    expect(xc.pair.marks.find((m) => m.mark === 'rule')?.count).toBeGreaterThan(0);
    const segments = (xc.pair.spec as { layer: { data: { values: { y: number; y2: number }[] } }[] }).layer[0]?.data
      .values;
    // Not only the vertical lines of a function that ignores C.
    expect(segments?.some((s) => Math.abs(Math.log(s.y / s.y2)) > 0.01)).toBe(true);
    expect(xc.pair.description).toContain(
      'Lines: contours of the objective (other params at the best trial’s values (#2), but model = "svm" so that C is active, without depth (inactive then), with kernel = "linear" (as in #4, the best trial that set it); 8×8 grid',
    );
  });

  it('sets nested choices too, and a newly active parameter takes its value in the best trial that set it', () => {
    expect(cg.calls).toHaveLength(64);
    for (const { params } of cg.calls) expect(params).toMatchObject({ model: 'svm', kernel: 'rbf' });
    expect(cg.pair.description).toContain(
      '(other params at the best trial’s values (#2), but model = "svm" and kernel = "rbf" so that C and gamma are active, without depth (inactive then); 8×8 grid',
    );
    expect(xg.calls).toHaveLength(64);
    for (const { params } of xg.calls) expect(params).toMatchObject({ model: 'svm', kernel: 'rbf', C: 100 });
    expect(xg.pair.description).toContain(
      '(other params at the best trial’s values (#2), but model = "svm" and kernel = "rbf" so that gamma is active, without depth (inactive then), with C = 100 (as in #4, the best trial that set it); 8×8 grid',
    );
  });

  it('keeps the best trial as it is when it has both pair parameters', () => {
    expect(xd.calls.length).toBeGreaterThan(0);
    for (const { params } of xd.calls) expect(Object.keys(params).sort()).toEqual(['depth', 'model', 'x']);
    expect(xd.pair.description).toMatch(/\(other params at the best trial’s values \(#2\); 8×\d+ grid/);
  });

  it('does not call the function for a pair that is never active together, and says why in the caption and notes', () => {
    expect(cd.calls).toEqual([]);
    // No trial and no line to draw: no plot (it was an empty frame), and the notes say why.
    expect(cd.drawn).toBe(false);
    expect(cd.page.notes).toContain(
      'No contour lines for C × depth: C and depth are never active together (they sit in different options of `model`), so the contour function was not called for that plot.',
    );
    expect(cd.page.notes).toContain(
      'No finished trial set both parameters of the pair C × depth (parameters of different branches of a choice are never set together): no trial to draw there.',
    );
  });

  it('before any trial is complete: every other parameter at the middle of its distribution, still a valid assignment', async () => {
    const running: Trial = { study: 'cond', number: 0, state: 'running', internal: {}, startedAt: at(0) };
    const empty = await contoursOf(['x', 'gamma'], { ...study, trials: [running] }, 4);
    expect(empty.calls).toHaveLength(16);
    for (const { params } of empty.calls) {
      expect(toInternalParams(space, params, '').issues).toEqual([]);
      expect(params).toMatchObject({ model: 'svm', kernel: 'rbf', C: expect.closeTo(Math.sqrt(0.01 * 1000), 6) });
    }
    expect(empty.pair.description).toContain(
      '(no trial is complete yet: other params at the middle of their distributions, model = "svm" and kernel = "rbf" so that gamma is active; 4×4 grid',
    );
  });
});
