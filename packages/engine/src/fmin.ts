import { createFunctionObjective, type ObjectiveFunction } from './builtins/function-objective.js';
import { createMemoryStore } from './builtins/memory-store.js';
import type { Pruner } from './contracts/pruner.js';
import type { Reporter } from './contracts/reporter.js';
import type { StopContext } from './contracts/stopper.js';
import type { TrialStore } from './contracts/store.js';
import type { Suggester } from './contracts/suggester.js';
import { compileSpace } from './domain/compile-space.js';
import type { ExternalParams } from './domain/params.js';
import type { ParamsOf } from './domain/space-builder.js';
import type { SpaceDefinition } from './domain/space-definition.js';
import type { Direction, Trial } from './domain/trial.js';
import type { StopReason } from './events/engine-event.js';
import type { Budget } from './runtime/budget.js';
import { runStudy } from './runtime/run-study.js';

/** What {@link fmin} takes: the objective, the space, the suggester and the budget; the rest is optional. */
export interface FminOptions<S extends SpaceDefinition> {
  readonly objective: ObjectiveFunction<ParamsOf<S>>;
  readonly space: S;
  readonly suggester: Suggester;
  /** Stop when the study has this many trials (earlier runs in a persistent store count). */
  readonly maxTrials?: number;
  /** Other stopping rules; `maxTrials` above is merged in. */
  readonly budget?: Budget;
  /** Default: a memory store (trials are in the result only). */
  readonly store?: TrialStore;
  readonly seed?: number;
  readonly direction?: Direction;
  readonly concurrency?: number;
  readonly name?: string;
  readonly reporters?: readonly Reporter[];
  readonly signal?: AbortSignal;
  readonly trialTimeoutMs?: number;
  /**
   * Stops bad trials early: the objective reports a learning curve with `context.report(step, value)` and
   * stops when `context.shouldPrune()` is true (e.g. `createMedianPruner()` from `@parzen/pruners`).
   */
  readonly pruner?: Pruner;
  /**
   * Your own stopping rule, asked after every finished trial with the study's trials and best trial: a
   * string (the reason, shown in `stopMessage`) or `true` stops the run; `undefined` or `false` goes on.
   */
  readonly stopWhen?: (context: StopContext) => string | boolean | undefined;
}

/** What {@link fmin} returns: the best trial (params as the objective saw them), every trial and why it stopped. */
export interface FminResult<S extends SpaceDefinition> {
  readonly best: { readonly number: number; readonly loss: number; readonly params: ParamsOf<S> } | undefined;
  readonly trials: readonly Trial[];
  readonly reason: StopReason;
  /** What `stopWhen` answered when it stopped the run (`reason` is then `stopper`). */
  readonly stopMessage?: string;
}

/**
 * hyperopt's `fmin` in one call: minimizes (or maximizes) `objective` over `space` with `suggester`
 * and returns the best params (as the objective saw them), its loss and every trial.
 */
export const fmin = async <S extends SpaceDefinition>(options: FminOptions<S>): Promise<FminResult<S>> => {
  const budget: Budget = {
    ...options.budget,
    ...(options.maxTrials === undefined ? {} : { maxTrials: options.maxTrials }),
  };
  const result = await runStudy({
    spec: {
      name: options.name ?? 'fmin',
      direction: options.direction ?? 'minimize',
      seed: options.seed ?? 0,
      space: options.space,
    },
    space: compileSpace(options.space),
    store: options.store ?? createMemoryStore(),
    suggester: options.suggester,
    objective: createFunctionObjective(options.objective as ObjectiveFunction<ExternalParams>),
    budget,
    ...(options.reporters === undefined ? {} : { reporters: options.reporters }),
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.trialTimeoutMs === undefined ? {} : { trialTimeoutMs: options.trialTimeoutMs }),
    ...(options.pruner === undefined ? {} : { pruner: options.pruner }),
    ...(options.stopWhen === undefined ? {} : { stopper: { name: 'stopWhen', shouldStop: options.stopWhen } }),
  });
  const { best, bestParams } = result.summary;
  return {
    best: best === undefined ? undefined : { number: best.number, loss: best.value, params: bestParams as ParamsOf<S> },
    trials: result.trials,
    reason: result.reason,
    ...(result.stopMessage === undefined ? {} : { stopMessage: result.stopMessage }),
  };
};
