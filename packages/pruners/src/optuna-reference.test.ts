import { readFileSync } from 'node:fs';
import type { Direction, IntermediateValue, Pruner, RunningTrial, Trial } from '@parzen/engine/plugin';
import { describe, expect, it } from 'vitest';
import { createHyperbandPruner } from './hyperband.js';
import { patientPrunerManifest } from './manifest.js';
import { createMedianPruner, createPercentilePruner } from './percentile.js';
import { createSuccessiveHalvingPruner } from './successive-halving.js';
import { createThresholdPruner } from './threshold.js';

interface ReferenceCase {
  readonly pruner: string;
  readonly options: Record<string, unknown>;
  readonly curves: [number, number][][];
  readonly minimize: (number | null)[];
  readonly maximize: (number | null)[];
}

/** Optuna 3.1's decisions on fixed curves (fixtures/optuna-reference.py). */
const reference = JSON.parse(readFileSync(new URL('./fixtures/optuna-reference.json', import.meta.url), 'utf8')) as {
  optuna: string;
  cases: ReferenceCase[];
};

// biome-ignore lint/suspicious/noExplicitAny: each factory takes its own options.
const FACTORIES: Record<string, (options: any) => Pruner> = {
  median: createMedianPruner,
  percentile: createPercentilePruner,
  'successive-halving': createSuccessiveHalvingPruner,
  hyperband: createHyperbandPruner,
  threshold: createThresholdPruner,
  patient: (options) => patientPrunerManifest.create(options, undefined as never) as Pruner,
};

/**
 * Runs the study as the reference script does: trial after trial, each reporting its curve step by step
 * and stopping at the first step the pruner says so (then pruned), else complete with its last value.
 */
const simulate = (
  pruner: Pruner,
  curves: [number, number][][],
  direction: Direction,
  hidden: ReadonlySet<number> = new Set(),
): (number | null)[] => {
  const sign = direction === 'maximize' ? -1 : 1;
  const trials: Trial[] = [];
  const prunedAt: (number | null)[] = [];
  curves.forEach((curve, number) => {
    const intermediate: IntermediateValue[] = [];
    let stopped: number | null = null;
    for (const [step, value] of curve) {
      intermediate.push({ step, value: sign * value });
      const trial: RunningTrial = {
        study: 'ref',
        number,
        state: 'running',
        internal: {},
        startedAt: '',
        intermediate: [...intermediate],
      };
      if (
        pruner.shouldPrune({
          study: 'ref',
          direction,
          trial,
          step,
          trials: [...trials.filter((t) => !hidden.has(t.number)), trial],
        })
      ) {
        stopped = step;
        break;
      }
    }
    const base = { study: 'ref', number, internal: {}, startedAt: '', finishedAt: '', intermediate };
    const last = (intermediate.at(-1) as IntermediateValue).value;
    trials.push(
      stopped === null ? { ...base, state: 'complete', loss: last } : { ...base, state: 'pruned', loss: last },
    );
    prunedAt.push(stopped);
  });
  return prunedAt;
};

describe(`the pruners decide as Optuna ${reference.optuna} does on the same learning curves`, () => {
  for (const testCase of reference.cases) {
    for (const direction of ['minimize', 'maximize'] as const) {
      it(`${testCase.pruner} ${JSON.stringify(testCase.options)} ${direction}`, () => {
        const create = FACTORIES[testCase.pruner] as (options: unknown) => Pruner;
        if (testCase.pruner === 'hyperband' && testCase.options.maxResource === undefined) {
          // Optuna's HyperbandPruner with maxResource "auto" starts judging once a trial completed, so the
          // first trial (complete before that) never recorded rung values and is nobody's competitor. Ours
          // reads rung values from the curves, so it counts. Seen as Optuna sees it (R = 20, the curves'
          // length, and trial 0 without rung values), the decisions are Optuna's.
          const pruner = create({ ...testCase.options, maxResource: 20 });
          expect(simulate(pruner, testCase.curves, direction, new Set([0]))).toEqual(testCase[direction]);
          return;
        }
        expect(simulate(create(testCase.options), testCase.curves, direction)).toEqual(testCase[direction]);
      });
    }
  }
});
