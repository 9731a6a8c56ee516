import { definedOptions, type PruneContext, type Pruner, type Trial } from '@parzen/engine/plugin';
import { crc32 } from './crc32.js';
import { checkOptions, integerAtLeast, lastStep, unknownOptions } from './curve.js';
import { checkSuccessiveHalving, successiveHalvingShouldPrune } from './successive-halving.js';

/** Options of the `hyperband` pruner. */
export interface HyperbandOptions {
  /** r: steps before the first rung of the most aggressive bracket (default 1). */
  readonly minResource?: number;
  /**
   * R: the steps of a full trial (default `"auto"`: the highest step of the complete trials + 1; no
   * pruning until a trial completes).
   */
  readonly maxResource?: number | 'auto';
  /** η of every bracket's successive halving (default 3). */
  readonly reductionFactor?: number;
  /** As successive halving's, per bracket (default 0). */
  readonly bootstrapCount?: number;
}

/** Optuna's defaults (`min_resource=1, max_resource="auto", reduction_factor=3, bootstrap_count=0`). */
export const HYPERBAND_DEFAULTS = {
  /** r = 1: the most aggressive bracket's first rung is after 1 step. */
  minResource: 1,
  /** R from the complete trials: their highest step + 1 (no pruning until a trial completes). */
  maxResource: 'auto',
  /** η: each bracket promotes the best third of the trials that reach a rung. */
  reductionFactor: 3,
  /** A rung prunes from its first trial on. */
  bootstrapCount: 0,
} as const;

type Settings = { readonly [K in keyof HyperbandOptions]-?: Exclude<HyperbandOptions[K], undefined> };

/** How Hyperband splits trials between its brackets. */
export interface HyperbandBrackets {
  /** Number of brackets: ⌊log_η(R/r)⌋ + 1. */
  readonly count: number;
  /** Relative trial budget of each bracket: ⌈count·η^s / (s + 1)⌉ with s = count − 1 − bracket. */
  readonly budgets: readonly number[];
  readonly total: number;
}

/**
 * The brackets of Hyperband (Li et al. 2017, Algorithm 1) for R = `maxResource`, r = `minResource`, as
 * Optuna's HyperbandPruner sizes them. ⌊log_η(R/r)⌋ is computed exactly (the largest s with r·η^s ≤ R),
 * where Optuna's floating-point logarithm can come out one lower at exact powers (R/r = 243, η = 3).
 */
export const hyperbandBrackets = (minResource: number, maxResource: number, eta: number): HyperbandBrackets => {
  let s = 0;
  while (minResource * eta ** (s + 1) <= maxResource) s++;
  const count = s + 1;
  const budgets = Array.from({ length: count }, (_, bracket) => {
    const sb = count - 1 - bracket;
    return Math.ceil((count * eta ** sb) / (sb + 1));
  });
  return { count, budgets, total: budgets.reduce((sum, budget) => sum + budget, 0) };
};

/** The bracket of trial `number`: CRC-32 of `"<study>_<number>"` modulo the total budget, as Optuna assigns it. */
export const bracketOf = (brackets: HyperbandBrackets, study: string, number: number, hashes?: TrialHashes): number => {
  let n = (hashes === undefined ? crc32(`${study}_${number}`) : hashes.of(study, number)) % brackets.total;
  for (let bracket = 0; bracket < brackets.count; bracket++) {
    n -= brackets.budgets[bracket] as number;
    if (n < 0) return bracket;
  }
  return brackets.count - 1;
};

/**
 * CRC-32 of `"<study>_<number>"` per trial, remembered by one pruner (every report hashes every trial of the
 * study); a pure cache: the same hashes as {@link crc32}.
 */
export class TrialHashes {
  private readonly hashes = new Map<string, number>();

  of(study: string, number: number): number {
    const key = `${study}_${number}`;
    let hash = this.hashes.get(key);
    if (hash === undefined) {
      if (this.hashes.size >= 100_000) this.hashes.clear();
      hash = crc32(key);
      this.hashes.set(key, hash);
    }
    return hash;
  }
}

/** The highest step of the complete trials + 1 (Optuna's `max_resource="auto"`). */
const estimateMaxResource = (trials: readonly Trial[]): number | undefined => {
  let highest: number | undefined;
  for (const trial of trials) {
    const step = trial.state === 'complete' ? lastStep(trial) : undefined;
    if (step !== undefined && (highest === undefined || step > highest)) highest = step;
  }
  return highest === undefined ? undefined : highest + 1;
};

/**
 * Hyperband (Li et al. 2017) run asynchronously, as Optuna's HyperbandPruner: trials are spread over
 * brackets by a hash of the study name and trial number, and each bracket is a successive halving whose
 * first rung is at r·η^bracket, judged only against the trials of the same bracket.
 */
export const hyperbandShouldPrune = (
  settings: Settings,
  context: PruneContext,
  hashes: TrialHashes = new TrialHashes(),
): boolean => {
  const maxResource =
    settings.maxResource === 'auto' ? estimateMaxResource(context.trials) : (settings.maxResource as number);
  // An estimate below r (every complete trial shorter than the first rung) fits no bracket: Optuna's bracket
  // count is then 0 and it prunes nothing; here too, until a complete trial reaches r.
  if (maxResource === undefined || maxResource < settings.minResource) return false;
  const brackets = hyperbandBrackets(settings.minResource, maxResource, settings.reductionFactor);
  const bracket = bracketOf(brackets, context.study, context.trial.number, hashes);
  const same = context.trials.filter((trial) => bracketOf(brackets, context.study, trial.number, hashes) === bracket);
  return successiveHalvingShouldPrune(
    {
      minResource: settings.minResource,
      reductionFactor: settings.reductionFactor,
      minEarlyStoppingRate: bracket,
      bootstrapCount: settings.bootstrapCount,
    },
    context,
    same,
  );
};

/**
 * The `hyperband` pruner (Optuna's HyperbandPruner: successive-halving brackets).
 *
 * @throws `ParzenError` `CONFIG_INVALID` for options it refuses (an unknown key, a wrong type, a value out of range), naming each.
 */
export const createHyperbandPruner = (options: HyperbandOptions = {}): Pruner => {
  checkOptions('hyperband', unknownOptions(options, Object.keys(HYPERBAND_DEFAULTS)));
  const settings: Settings = { ...HYPERBAND_DEFAULTS, ...definedOptions(options) };
  // A number only: successive halving's "auto" is no option here (review 132: accepted from code, refused by a config).
  checkOptions('hyperband', [integerAtLeast(settings.minResource, 1, '/minResource')]);
  checkSuccessiveHalving('hyperband', { ...settings, minEarlyStoppingRate: 0 });
  checkOptions('hyperband', [
    settings.maxResource === 'auto'
      ? undefined
      : integerAtLeast(settings.maxResource, settings.minResource, '/maxResource'),
    settings.bootstrapCount > 0 && settings.maxResource === 'auto'
      ? { pointer: '/bootstrapCount', expected: '0 when maxResource is "auto"', found: String(settings.bootstrapCount) }
      : undefined,
  ]);
  const hashes = new TrialHashes();
  return { name: 'hyperband', shouldPrune: (context) => hyperbandShouldPrune(settings, context, hashes) };
};
