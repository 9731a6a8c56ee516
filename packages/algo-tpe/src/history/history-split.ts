import type { Trial } from '@parzen/engine/plugin';
import { hyperoptBelowCount, optunaBelowCount } from '../math/split.js';
import type { TpeSettings } from '../options.js';
import type { TrialHistory } from './trial-history.js';

type SplitSettings = Pick<TpeSettings, 'failed' | 'running' | 'gamma' | 'split' | 'maxBelow'>;

/** The split of a history for one suggestion (tpe-spec 3.2–3.3 and 4.2). */
export interface HistorySplit {
  /** Trials observed: what γ and the start-up phase count (hyperopt: also failed and running). */
  readonly n: number;
  readonly nBelow: number;
  /** Trial numbers of the below (good) set, ascending. */
  readonly below: readonly number[];
  /** 1 at the numbers of `below`. */
  readonly isBelow: Uint8Array;
  /** Failed and running trials that join the above set (they are not in the columns). */
  readonly extras: readonly Trial[];
}

/** The number of trials that count as observed under the failed/running policies. */
export const observedCount = (history: TrialHistory, settings: Pick<TpeSettings, 'failed' | 'running'>): number =>
  history.complete.size +
  history.pruned.size +
  (settings.failed === 'worst' ? history.failed.length : 0) +
  (settings.running === 'worst' ? history.running.length : 0);

/** The below-set size for n observed trials under the split rule. */
export const belowCount = (n: number, settings: Pick<TpeSettings, 'gamma' | 'split' | 'maxBelow'>): number =>
  settings.split === 'sqrt'
    ? hyperoptBelowCount(n, settings.gamma, settings.maxBelow)
    : optunaBelowCount(n, settings.gamma, settings.maxBelow);

const takeNumbers = (pairs: { size: number; tags: Float64Array }, count: number, into: number[]): void => {
  for (let i = 0; i < pairs.size && into.length < count; i++) into.push(pairs.tags[i] as number);
};

/**
 * Splits the history: complete trials by loss (stable by number), then pruned ones, then the trials that
 * count as +∞ (failed and running under the `worst` policy, by number) fill the below set; everything
 * else, plus running trials under `liar`, is above.
 */
export const splitHistory = (history: TrialHistory, settings: SplitSettings): HistorySplit => {
  const n = observedCount(history, settings);
  const nBelow = belowCount(n, settings);
  const worst = [
    ...(settings.failed === 'worst' ? history.failed : []),
    ...(settings.running === 'worst' ? history.running : []),
  ].sort((a, b) => a.number - b.number);
  const below: number[] = [];
  takeNumbers(history.complete, nBelow, below);
  takeNumbers(history.pruned, nBelow, below);
  for (const trial of worst) if (below.length < nBelow) below.push(trial.number);
  below.sort((a, b) => a - b);
  const isBelow = new Uint8Array(history.numberLimit + 1);
  for (const number of below) isBelow[number] = 1;
  const joining =
    settings.running === 'ignore' ? worst : [...worst, ...(settings.running === 'liar' ? history.running : [])];
  const extras = joining.filter((trial) => isBelow[trial.number] !== 1).sort((a, b) => a.number - b.number);
  return { n, nBelow, below, isBelow, extras };
};
