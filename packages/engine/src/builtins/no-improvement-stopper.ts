import { instanceOf, optionIssues, type SchemaNode } from '../api-options.js';
import { defineStopper } from '../contracts/manifest.js';
import type { StopContext, Stopper } from '../contracts/stopper.js';
import { lossToMinimize } from '../domain/trial.js';
import { describeValue, formatIssues, ParzenError } from '../errors.js';
import { countOf } from './words.js';

/** Options of the `no-improvement` stopper. */
export interface NoImprovementOptions {
  /**
   * Finished trials (complete, failed or pruned) allowed without a real improvement. Default 50. While no
   * trial has a loss, counted from the run's start, as the budget's `patience` is.
   */
  readonly trials?: number;
  /**
   * The smallest improvement that counts: a fraction of the best loss's magnitude when `relative`
   * (default 0.01, one per cent), or an absolute amount of loss otherwise.
   */
  readonly minDelta?: number;
  /** Whether `minDelta` is relative to the best loss (default true). */
  readonly relative?: boolean;
}

const format = (value: number): string => String(Number(value.toPrecision(6)));

/**
 * Stops a study once `trials` finished trials in a row have not improved the best loss by at least
 * `minDelta` (relative to it by default). The budget's `patience` counts any improvement, however small;
 * this one ignores improvements too small to matter. Trials of every worker count, in trial-number order.
 * While no trial has a loss, the trials finished since the run began count (as `patience` counts them).
 */
export const createNoImprovementStopper = (options: NoImprovementOptions = {}): Stopper => {
  const patience = options.trials ?? 50;
  const minDelta = options.minDelta ?? 0.01;
  const relative = options.relative ?? true;
  const describe = relative ? `${format(minDelta * 100)}%` : format(minDelta);
  return {
    name: 'no-improvement',
    shouldStop({ trials, direction, runFrom = 0 }: StopContext) {
      let reference: number | undefined;
      let since = 0;
      for (const trial of trials) {
        if (trial.state === 'running') continue;
        // While no trial has a loss, the count starts with the run, as the budget's `patience` does: every
        // failed trial of the run counts (a study whose objective never works stops), and a study whose
        // trials all failed in earlier runs can run again once its objective is fixed.
        if (reference === undefined && trial.state !== 'complete' && trial.number < runFrom) continue;
        since++;
        if (trial.state !== 'complete') continue;
        const loss = lossToMinimize(trial.loss, direction);
        const needed = reference === undefined ? 0 : relative ? minDelta * Math.abs(reference) : minDelta;
        // Only a lower loss, by at least minDelta: an improvement of exactly minDelta counts, as documented ("the
        // smallest improvement that counts"), within the rounding of the two losses (0.3 - 0.2 is 0.0999...98; the
        // larger of them sets it: review 133, -0.007 to -0.077), and a loss equal to the best never does (review
        // 132: `reference - needed` rounded back to the best).
        const improved =
          reference === undefined ||
          (loss < reference &&
            reference - loss >= needed - 2 * Number.EPSILON * Math.max(Math.abs(reference), Math.abs(loss)));
        if (improved) {
          reference = loss;
          since = 0;
        }
      }
      if (since < patience) return undefined;
      return reference === undefined
        ? `no trial completed in ${countOf(patience, 'trial')}`
        : `no improvement of ${describe} in ${countOf(patience, 'trial')}`;
    },
  };
};

/** `{ "use": "no-improvement", "options": { "trials": 50, "minDelta": 0.01 } }`. */
export const noImprovementStopperManifest = defineStopper<NoImprovementOptions>({
  name: 'no-improvement',
  description:
    "Stops once this many finished trials in a row have not improved the best loss by minDelta (while no trial has a loss, counted from the run's start, as the budget's patience is).",

  optionsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      trials: {
        type: 'integer',
        minimum: 1,
        maximum: 1_000_000_000,
        default: 50,
        description:
          "Finished trials allowed without a real improvement (while no trial has a loss, counted from the run's start).",
      },
      minDelta: {
        type: 'number',
        minimum: 0,
        default: 0.01,
        description: 'The smallest improvement that counts (a fraction of the best loss when relative).',
      },
      relative: { type: 'boolean', default: true, description: 'Whether minDelta is relative to the best loss.' },
    },
  },
  create: (options) => createNoImprovementStopper(options),
});

/**
 * The `no-improvement` stopper as a `stopWhen` rule, for `fmin` and `study.optimize`: stops once `trials`
 * finished trials in a row have not improved the best loss by `minDelta` (see {@link NoImprovementOptions}),
 * as a config's `"stopper": { "use": "no-improvement" }` does.
 *
 * @example
 * ```ts
 * import { fmin, noImprovement, uniform } from '@parzen/engine';
 * import { createTpeSuggester } from '@parzen/algo-tpe';
 *
 * // The engine's fmin takes a suggester; `parzen`'s fmin (TPE by default) takes the same stopWhen without one.
 * const result = await fmin({
 *   space: { x: uniform(-2, 2) },
 *   objective: ({ x }) => (x - 1) ** 2,
 *   suggester: createTpeSuggester(),
 *   stopWhen: noImprovement({ trials: 15, minDelta: 0.01 }),
 * });
 * console.log(result.reason); // 'stopper'
 * ```
 * @throws `ParzenError` `CONFIG_INVALID` for options its config schema refuses (an unknown key, `trials: 0`).
 */
export const noImprovement = (
  options: NoImprovementOptions = {},
): ((context: StopContext) => string | boolean | undefined) => {
  const issues = optionIssues(noImprovementStopperManifest.optionsSchema as SchemaNode, options);
  if (issues.length > 0)
    throw new ParzenError('CONFIG_INVALID', `Invalid noImprovement options:\n${formatIssues(issues)}`, {
      plugin: 'no-improvement',
      issues,
    });
  return stopWhenOf(createNoImprovementStopper(options));
};

/**
 * A stopper (a stopper plugin's instance: `manifest.create(options, context)`, or one written in code) as a
 * `stopWhen` rule for `fmin` and `study.optimize`, asked as a config's stopper is: with the trials as stored
 * (`internal` params, no `params` decoded for every trial at every call, which a long study pays for), as its
 * contract suite asks it.
 *
 * @example
 * ```ts
 * import { fmin, type Stopper, stopWhenOf, uniform } from '@parzen/engine';
 * import { createRandomSuggester } from '@parzen/algo-random';
 *
 * const plateau: Stopper = { name: 'plateau', shouldStop: ({ trials }) => trials.length >= 50 && 'fifty trials' };
 * await fmin({
 *   space: { x: uniform(-2, 2) },
 *   objective: ({ x }) => (x - 1) ** 2,
 *   suggester: createRandomSuggester(),
 *   maxTrials: 200,
 *   stopWhen: stopWhenOf(plateau),
 * });
 * ```
 * @throws `ParzenError` `CONFIG_INVALID` for a stopper without a `shouldStop` method or a `name` (a
 *   non-empty string: the stop message names the stopper by it).
 */
export const stopWhenOf = (stopper: Stopper): ((context: StopContext) => string | boolean | undefined) => {
  // The API's rule for a plugin instance, as fmin's `pruner` option is checked.
  const problem = instanceOf('stopper')(stopper);
  if (problem !== undefined)
    throw new ParzenError(
      'CONFIG_INVALID',
      `stopWhenOf(stopper): expected ${problem}; found ${describeValue(stopper)}.`,
      {
        issues: [{ pointer: '', expected: problem, found: describeValue(stopper) }],
      },
    );
  const rule = (context: StopContext) => stopper.shouldStop(context);
  rules.set(rule, stopper);
  return rule;
};

/** The stoppers behind the rules {@link noImprovement} made. */
const rules = new WeakMap<object, Stopper>();

/**
 * The stopper behind a `stopWhen` rule that {@link noImprovement} made, which a run asks as a config's stopper
 * (the trials as stored); undefined for any other rule, which is asked with its trials' params decoded (for
 * every trial, at every finished trial: 6,000 trials took 19 s more than the config's stopper).
 */
export const stopperOfRule = (rule: unknown): Stopper | undefined =>
  typeof rule === 'function' ? rules.get(rule) : undefined;
