import type { Distribution, ParamNode } from '@parzen/engine/plugin';
import { AboveKdeCache } from '../fast/above-kde-cache.js';
import { fastAboveDensity } from '../fast/fast-above-density.js';
import type { HistorySplit } from '../history/history-split.js';
import { belowObservations, paramObservations } from '../history/observations.js';
import type { TrialHistory } from '../history/trial-history.js';
import { type OptunaEncoding, optunaEncoding } from '../model/encoding.js';
import { buildDensity, buildParamModel, type ParamModel } from '../model/param-model.js';
import type { TpeSettings } from '../options.js';

const encodings = new WeakMap<Distribution, OptunaEncoding>();

/** The Optuna encoding of a distribution, built once per distribution object. */
const encodingOf = (distribution: Distribution): OptunaEncoding => {
  let encoding = encodings.get(distribution);
  if (encoding === undefined) {
    encoding = optunaEncoding(distribution);
    encodings.set(distribution, encoding);
  }
  return encoding;
};

/** The caches of the fast path, one per parameter column (a new column after a history reset). */
export type KdeCaches = WeakMap<object, AboveKdeCache>;

/**
 * g(x) from the incremental cache, when the settings allow it: optuna kernel, uniform weights
 * (`forgetting: 0`), a continuous parameter and enough observations for the clip to give every regular
 * kernel the same width. Undefined otherwise.
 */
export const fastModel = (
  history: TrialHistory,
  split: HistorySplit,
  param: ParamNode,
  settings: TpeSettings,
  caches: KdeCaches,
): ParamModel | undefined => {
  if (settings.kernel !== 'optuna' || settings.forgetting !== 0 || !(settings.bandwidthFloor > 0)) return undefined;
  const encoding = encodingOf(param.distribution);
  if (encoding.kind !== 'optuna' || encoding.bin !== undefined) return undefined;
  const column = history.column(param.name);
  let cache = caches.get(column);
  if (cache === undefined) {
    cache = new AboveKdeCache(encoding, (encoding.bounds.high - encoding.bounds.low) * settings.bandwidthFloor);
    caches.set(column, cache);
  }
  cache.follow(column);
  const added: { number: number; value: number }[] = [];
  for (const trial of split.extras) {
    const value = trial.params[param.name];
    if (value !== undefined) added.push({ number: trial.number, value });
  }
  const below = belowObservations(history, split, param.name);
  const removed: { number: number; value: number }[] = [];
  for (let i = 0; i < below.numbers.length; i++) {
    const number = below.numbers[i] as number;
    if (history.inColumns(number)) removed.push({ number, value: below.values[i] as number });
  }
  const changes = {
    removed,
    added,
    priorWeight: settings.priorWeight,
    clipFloor: settings.bandwidthFloor,
    clipExponent: settings.bandwidthExponent,
  };
  const slow = () => buildDensity(param.distribution, paramObservations(history, split, param.name).above, settings);
  const above = fastAboveDensity(cache, changes, slow);
  if (above === undefined) return undefined;
  return { below: buildDensity(param.distribution, below, settings), above };
};

/**
 * l and g of one parameter for one suggestion: from the incremental cache when possible, else built
 * from the split observations (always so when the observations themselves are wanted, for explaining).
 */
export const modelOf = (
  history: TrialHistory,
  split: HistorySplit,
  param: ParamNode,
  settings: TpeSettings,
  caches: KdeCaches,
): ParamModel => {
  const fast = fastModel(history, split, param, settings, caches);
  if (fast !== undefined) return fast;
  const observations = paramObservations(history, split, param.name);
  return buildParamModel(param.distribution, observations.below, observations.above, settings);
};
