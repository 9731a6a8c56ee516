import { failedAtParams, type Trial } from '@parzen/engine/plugin';
import { buildDensity, type Density } from '../estimator/density.js';
import type { Encoding } from '../estimator/encoding.js';
import type { TrialHistory } from '../history/trial-history.js';
import type { TpeSettings } from '../options.js';
import { type BranchScope, familyOf, groupColumns, inScope, type Model, type ModelParam } from './models.js';

/**
 * Where trials fail, for `failed: "avoid"`: the density of the trials that finished (complete and
 * pruned) and of those that failed, over the same parameters as a model, built by the same estimator as
 * l(x) and g(x). Failures spread like the finished trials (a flaky cluster) leave the two alike; failures
 * gathered in a region (a learning rate that diverges, a branch that always throws) make the failed
 * density high there.
 */
export interface FailureModel {
  /** The density of the trials that finished (complete and pruned). */
  readonly finished: Density;
  /** The density of the trials that failed at their params. */
  readonly failed: Density;
  /** How many finished trials the `finished` density holds. */
  readonly finishedCount: number;
  /** How many failed trials the `failed` density holds. */
  readonly failedCount: number;
}

/**
 * The densities are built from the latest trials that finished or failed (by number), this many at most,
 * in one window, so that the share of failures in it is the study's recent rate: two windows of their own
 * would cover different stretches of a long study. A decision's cost stays flat as the study grows.
 */
export const FAILURE_WINDOW = 200;

/** How far back a window is looked for (a parameter of a branch rarely taken may fill it slowly). */
const FAILURE_SCAN = 20 * FAILURE_WINDOW;

/**
 * The failure model of a group of parameters (one for univariate decisions), from the latest
 * {@link FAILURE_WINDOW} finished or failed trials that have every one of them; undefined unless `failed`
 * is `avoid` and such a trial failed at its params (`failedAtParams`: a suggester's, pruner's or store's
 * failure, a dead worker's trial, an interrupted one or an objective that could not start are not counted).
 */
export const failureModel = (
  history: TrialHistory,
  group: readonly ModelParam[],
  encodings: readonly Encoding[],
  settings: TpeSettings,
  scope?: BranchScope,
): FailureModel | undefined => {
  if (settings.failed !== 'avoid' || history.failed.length === 0) return undefined;
  const failed: Trial[] = [];
  const finishedNumbers: number[] = [];
  const hasGroup = (trial: Trial) =>
    group.every((param) => trial.internal[param.name] !== undefined) &&
    (scope === undefined || trial.internal[scope.parent] === scope.index);
  const kept = inScope(history, scope);
  // Both lists are read from their end (failed trials are kept in number order), newest first.
  let f = history.failed.length - 1;
  const stop = Math.max(0, history.numberLimit - FAILURE_SCAN);
  for (let number = history.numberLimit - 1; number >= stop; number--) {
    if (failed.length + finishedNumbers.length >= FAILURE_WINDOW) break;
    while (f >= 0 && (history.failed[f] as Trial).number > number) f--;
    const trial = f >= 0 ? (history.failed[f] as Trial) : undefined;
    if (trial?.number === number) {
      if (trial.state === 'failed' && failedAtParams(trial.error) && hasGroup(trial)) failed.push(trial);
    } else if (
      history.inColumns(number) &&
      group.every((param) => history.valueOf(param.name, number) !== undefined) &&
      kept(number)
    )
      finishedNumbers.push(number);
  }
  if (failed.length === 0) return undefined;
  failed.reverse();
  const finished = groupColumns(history, group, finishedNumbers);
  const numbers = Int32Array.from(failed, (trial) => trial.number);
  const failedColumns = group.map((param) => ({
    values: Float64Array.from(failed, (trial) => trial.internal[param.name] as number),
    numbers,
  }));
  const family = familyOf(settings);
  return {
    finished: buildDensity(family, encodings, finished, settings),
    failed: buildDensity(family, encodings, failedColumns, settings),
    finishedCount: finished[0]?.values.length ?? 0,
    failedCount: failed.length,
  };
};

/**
 * log P(a trial at x finishes), at each candidate: (m + 1) f(x) / ((m + 1) f(x) + (k + 1) h(x)) for m
 * finished trials of density f and k failed ones of density h (each density's prior kernel counted as one
 * trial more, so that a side with few trials is not certain). Added to the score log l − w · log g, it
 * steers the choice away from where trials failed, and leaves it where failures are no likelier than
 * anywhere the study has been.
 */
export const logFinishing = (model: FailureModel, candidates: readonly ArrayLike<number>[]): Float64Array => {
  const logF = model.finished.logPdf(candidates, true);
  const logH = model.failed.logPdf(candidates, true);
  const wF = Math.log(model.finishedCount + 1);
  const wH = Math.log(model.failedCount + 1);
  const out = new Float64Array(logF.length);
  for (let i = 0; i < out.length; i++) {
    const a = wF + (logF[i] as number);
    const b = wH + (logH[i] as number);
    const top = Math.max(a, b);
    out[i] = top === Number.NEGATIVE_INFINITY ? 0 : a - (top + Math.log(Math.exp(a - top) + Math.exp(b - top)));
  }
  return out;
};

/**
 * The model with its failure model attached, when `failed` is `avoid` and some trial with its parameters (in
 * `scope`'s branch, when given) failed.
 */
export const withFailures = (
  model: Model,
  history: TrialHistory,
  settings: TpeSettings,
  scope?: BranchScope,
): Model => {
  const failures = failureModel(history, model.params, model.encodings, settings, scope);
  return failures === undefined ? model : { ...model, failures };
};
