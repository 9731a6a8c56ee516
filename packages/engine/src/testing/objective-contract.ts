import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../builtins/memory-store.js';
import type { MaybePromise } from '../contracts/maybe-promise.js';
import type { EvaluationContext, EvaluationResult, ObjectiveAdapter } from '../contracts/objective.js';
import type { Suggester } from '../contracts/suggester.js';
import { compileSpace } from '../domain/compile-space.js';
import type { ExternalParams } from '../domain/params.js';
import { sampleDistribution } from '../domain/sample-distribution.js';
import type { SpaceDefinition } from '../domain/space-definition.js';
import { type ErrorInfo, failedAtParams } from '../domain/trial.js';
import { runStudy } from '../runtime/run-study.js';

/**
 * What an objective built for {@link describeObjectiveContract} does with its trial's params, which hold a
 * number `x` (and, for `reports` and the abort behaviours, nothing it needs). A function or a module
 * writes these in code; a program prints them (the loss line last) or exits as said.
 *
 * | behaviour | the objective |
 * |---|---|
 * | `loss` | returns `x` |
 * | `attrs` | returns `{ loss: x, attrs: { x, tag: 'contract', list: [1, 'two', null, true] } }` |
 * | `throws` | fails as its kind fails, with the words `contract failure`: throws `new Error('contract failure')`; a program writes them to stderr and exits 1 |
 * | `nan` | returns NaN as its loss (a program prints `NaN`) |
 * | `infinite` | returns Infinity (a program prints `Infinity`) |
 * | `notANumber` | returns `{ loss: 'low' }` |
 * | `badAttrs` | returns `{ loss: x, attrs: { bad: NaN } }` (attrs that are not JSON) |
 * | `statusFail` | returns `{ loss: x, status: 'fail' }` (hyperopt's STATUS_FAIL) |
 * | `reports` | reports steps 0 to 4 with the values 1, 0.5, 0.25, 0.125, 0.0625, awaiting each report, and returns 0.0625. A program prints `{"step": n, "value": v}` lines, then `0.0625` |
 * | `keepsReporting` | reports step n with the value n + 1 for n = 0, 1, 2 ... without end, awaiting each report and pausing a little after it (as an epoch takes time); returns that value once `shouldPrune()` says so. A program prints the report lines (it is stopped) |
 * | `honoursAbort` | waits until its signal aborts (at once when it already has), then throws; a program sleeps for 30 s |
 * | `ignoresAbort` | never returns and ignores its signal (a synchronous loop, where it runs on a thread or process of its own); a program ignores SIGTERM and SIGINT and sleeps for 30 s |
 */
export type ObjectiveBehaviour =
  | 'loss'
  | 'attrs'
  | 'throws'
  | 'nan'
  | 'infinite'
  | 'notANumber'
  | 'badAttrs'
  | 'statusFail'
  | 'reports'
  | 'keepsReporting'
  | 'honoursAbort'
  | 'ignoresAbort';

/** How {@link describeObjectiveContract} exercises an objective adapter. */
export interface ObjectiveContractOptions {
  /**
   * A fresh objective adapter that behaves as `behaviour` says (see {@link ObjectiveBehaviour}), or the
   * promise of one: a manifest's `create` fits (`(b) => manifest.create({ path: './contract.mjs', export: b },
   * testPluginContext({ baseDir }))`). The suite closes each one it creates.
   */
  readonly create: (behaviour: ObjectiveBehaviour) => MaybePromise<ObjectiveAdapter>;
  /**
   * What the objective cannot do (those tests are not run). `reports`: it passes no intermediate values
   * (it cannot be pruned). `forcedStop`: it cannot stop work that ignores its signal, because that work
   * runs on Parzen's own thread (a function, a module with `isolate: "none"`; the run loop abandons such an
   * evaluation when the signal fires, and its late answer is dropped).
   */
  readonly without?: readonly ('reports' | 'forcedStop')[];
  /** How long, in ms, an evaluation may take to end once its signal aborted or the pruner said stop (default 3000). */
  readonly stopWithinMs?: number;
}

/** The values the `reports` behaviour reports, at steps 0 to 4. */
const CURVE = [1, 0.5, 0.25, 0.125, 0.0625];

/** An evaluation context that records the reports (each taking a few ms) and says prune once `pruneAt` is reported. */
const recordingContext = (signal: AbortSignal, pruneAt = Number.POSITIVE_INFINITY) => {
  const reports: [number, number][] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const context: EvaluationContext = {
    trialNumber: 7,
    seed: 7,
    signal,
    report: async (step, value) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 3));
      reports.push([step, value]);
      inFlight--;
    },
    shouldPrune: () => (reports.at(-1)?.[0] ?? -1) >= pruneAt,
  };
  return { context, reports, maxInFlight: () => maxInFlight };
};

/** Evaluates once; a rejection fails the test with what the contract says instead. */
const evaluate = async (
  objective: ObjectiveAdapter,
  params: ExternalParams,
  context: EvaluationContext,
): Promise<EvaluationResult> => {
  try {
    return await objective.evaluate(params, context);
  } catch (error) {
    throw new Error(
      `evaluate rejected (${error instanceof Error ? error.message : String(error)}); a failure must be a \`failed\` result, not a throw`,
    );
  }
};

const idle = () => new AbortController().signal;

/** `promise`'s value, or a failed test when it takes longer than `ms` (the timer is cleared either way). */
const within = async <T>(promise: Promise<T>, ms: number, what: string): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: still running ${ms} ms later`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
};

/** The error of a failed result (the test fails, showing the result, when it is not one). */
const failure = (result: EvaluationResult): ErrorInfo => {
  expect(result, 'a failed result').toMatchObject({ status: 'failed' });
  const error = (result as Extract<EvaluationResult, { status: 'failed' }>).error;
  expect(typeof error.code).toBe('string');
  expect(error.code.length).toBeGreaterThan(0);
  expect(typeof error.message).toBe('string');
  expect(error.message.trim().length, 'an error message a user can read').toBeGreaterThan(0);
  return error;
};

/** The failures the objective gives by what it returned: the code every objective gives, and what else to check. */
const RETURNED: readonly {
  readonly behaviour: ObjectiveBehaviour;
  readonly what: string;
  readonly code: string;
  readonly check?: (error: ErrorInfo) => void;
}[] = [
  { behaviour: 'nan', what: 'a NaN loss', code: 'OBJECTIVE_NAN' },
  { behaviour: 'infinite', what: 'an infinite loss', code: 'OBJECTIVE_INFINITE' },
  { behaviour: 'notANumber', what: 'a loss that is a string', code: 'OBJECTIVE_NOT_A_NUMBER' },
  {
    behaviour: 'badAttrs',
    what: 'attrs that are not JSON, keeping the loss in details.loss',
    code: 'OBJECTIVE_BAD_ATTRS',
    check: (error) => {
      // Names the place: `/attrs/bad` (or `attrs.bad`).
      expect(error.message).toMatch(/attrs[./]bad/);
      expect(error.details?.loss, 'the loss it gave, in the error details').toBe(0.75);
    },
  },
  { behaviour: 'statusFail', what: "hyperopt's status: 'fail'", code: 'OBJECTIVE_FAILED' },
];

/** Codes that say something else than "the objective failed at these params" stopped the trial. */
const NOT_A_FAILURE_AT_PARAMS = ['PRUNED', 'INTERRUPTED', 'TIMEOUT'];

/**
 * The behaviour every objective adapter must have (the {@link ObjectiveAdapter} contract, and what the
 * engine's and the objectives' READMEs promise of every objective): a name; a loss, or a loss with JSON
 * attrs, comes back as an `ok` result with the params it was given, for trials run one after another or
 * at once; every failure is a `failed` result (never a rejection) with a code and a message, the
 * objective's own words kept, and the engine's codes for a loss that is NaN, infinite or no number, for
 * attrs that are not JSON (the loss kept in `details.loss`) and for hyperopt's `status: 'fail'`;
 * intermediate values reach `report` in order, one at a time, before the result; the objective stops
 * promptly once the pruner said stop, with no report after it (a run ends such a trial `pruned` at that
 * report); an evaluation ends promptly once its signal aborts, also when the objective ignores it.
 */
export const describeObjectiveContract = (name: string, options: ObjectiveContractOptions): void => {
  const without = new Set(options.without ?? []);
  const stopWithinMs = options.stopWithinMs ?? 3000;
  /** Runs `test` with a fresh objective of `behaviour`, then closes it. */
  const using = async <T>(behaviour: ObjectiveBehaviour, test: (objective: ObjectiveAdapter) => Promise<T>) => {
    const objective = await options.create(behaviour);
    try {
      return await test(objective);
    } finally {
      await objective.close?.();
    }
  };

  describe(`objective contract: ${name}`, () => {
    it('has a name and returns the loss for the params it is given, for trials one after another and at once', async () => {
      await using('loss', async (objective) => {
        expect(typeof objective.name).toBe('string');
        expect(objective.name.length).toBeGreaterThan(0);
        const xs = [0.25, -3.5, 0];
        const results = await Promise.all(
          xs.map((x, i) => evaluate(objective, { x }, { ...recordingContext(idle()).context, trialNumber: i })),
        );
        expect(results).toEqual(xs.map((x) => ({ status: 'ok', loss: x })));
        expect(await evaluate(objective, { x: 1e-7 }, recordingContext(idle()).context)).toEqual({
          status: 'ok',
          loss: 1e-7,
        });
      });
    });

    it('returns { loss, attrs } as the loss and the attrs, JSON values as they were', async () => {
      await using('attrs', async (objective) => {
        const result = await evaluate(objective, { x: 1.5 }, recordingContext(idle()).context);
        expect(result).toEqual({
          status: 'ok',
          loss: 1.5,
          attrs: { x: 1.5, tag: 'contract', list: [1, 'two', null, true] },
        });
      });
    });

    it('fails a trial whose objective fails as a failed result that keeps its words', async () => {
      await using('throws', async (objective) => {
        const error = failure(await evaluate(objective, { x: 2 }, recordingContext(idle()).context));
        expect(NOT_A_FAILURE_AT_PARAMS).not.toContain(error.code);
        expect(failedAtParams(error), `${error.code} counts as a failure at the trial's params`).toBe(true);
        expect(JSON.stringify(error), 'the words the objective failed with').toContain('contract failure');
      });
    });

    for (const { behaviour, what, code, check } of RETURNED) {
      it(`fails a trial that returned ${what}: ${code}`, async () => {
        await using(behaviour, async (objective) => {
          const error = failure(await evaluate(objective, { x: 0.75 }, recordingContext(idle()).context));
          expect(error.code).toBe(code);
          check?.(error);
        });
      });
    }

    if (!without.has('reports')) {
      it('passes reports to the context in order, one at a time, all before the result', async () => {
        await using('reports', async (objective) => {
          const { context, reports, maxInFlight } = recordingContext(idle());
          const result = await evaluate(objective, { x: 0 }, context);
          const seen = reports.length;
          expect(result).toMatchObject({ status: 'ok', loss: 0.0625 });
          expect(seen, 'every report settled before the result').toBe(CURVE.length);
          expect(reports).toEqual(CURVE.map((value, step) => [step, value]));
          expect(maxInFlight(), 'reports awaited one at a time').toBe(1);
        });
      });

      it('stops at the report the pruner said stop at; a run ends the trial pruned with that value', async () => {
        await using('keepsReporting', async (objective) => {
          const { context, reports } = recordingContext(idle(), 1);
          const result = await within(
            evaluate(objective, { x: 0 }, context),
            stopWithinMs,
            'told to stop at step 1, the objective',
          );
          expect(reports, 'no report after the decision').toEqual([
            [0, 1],
            [1, 2],
          ]);
          expect(result.finishedBeforePrune, 'it was stopped, not finished').not.toBe(true);
        });
        // The same through the run loop, with a pruner that stops every trial at step 2.
        await using('keepsReporting', async (objective) => {
          const space: SpaceDefinition = { x: { type: 'uniform', low: 0, high: 1 } };
          const prior: Suggester = {
            name: 'prior',
            beginTrial: (trial) => ({ sampleParam: (param) => sampleDistribution(param.distribution, trial.rng) }),
          };
          const run = runStudy({
            spec: { name: 'objective-contract', direction: 'minimize', seed: 1, space },
            space: compileSpace(space),
            store: createMemoryStore(),
            suggester: prior,
            objective,
            pruner: { name: 'at-step-2', shouldPrune: ({ step }) => step >= 2 },
            budget: { maxTrials: 1 },
            onWarning: () => undefined,
          });
          const { trials } = await within(run, stopWithinMs, 'a run whose pruner stops its trial at step 2');
          expect(trials).toHaveLength(1);
          expect(trials[0]).toMatchObject({
            state: 'pruned',
            loss: 3,
            intermediate: [1, 2, 3].map((value, step) => ({ step, value })),
          });
        });
      });
    }

    /** Evaluates, aborting the signal after `afterMs` (before the call for -1); fails past `stopWithinMs`. */
    const aborted = async (objective: ObjectiveAdapter, afterMs: number): Promise<EvaluationResult> => {
      const controller = new AbortController();
      if (afterMs < 0) controller.abort(new Error('interrupted'));
      const timer = afterMs < 0 ? undefined : setTimeout(() => controller.abort(new Error('interrupted')), afterMs);
      try {
        return await within(
          evaluate(objective, { x: 1 }, recordingContext(controller.signal).context),
          Math.max(afterMs, 0) + stopWithinMs,
          `aborted ${afterMs < 0 ? 'before the call' : `after ${afterMs} ms`}, the objective`,
        );
      } finally {
        clearTimeout(timer);
      }
    };

    it('ends, failed, once its signal aborts (aborted during the trial, or before it)', async () => {
      await using('honoursAbort', async (objective) => {
        for (const afterMs of [100, -1]) failure(await aborted(objective, afterMs));
      });
    });

    if (!without.has('forcedStop')) {
      it('stops an objective that ignores its signal once it aborts, and fails its trial', async () => {
        await using('ignoresAbort', async (objective) => {
          // (An abort before the call is asked of `honoursAbort` above: an adapter that did not pass it on hangs there.)
          failure(await aborted(objective, 100));
        });
      });
    }
  });
};
