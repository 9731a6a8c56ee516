import type { PluginChoice } from '@parzen/engine';

/** What run-time flags change in a config. */
export interface ConfigOverrides {
  readonly seed?: number;
  readonly maxTrials?: number;
  readonly moreTrials?: number;
  readonly maxSeconds?: number;
  readonly concurrency?: number;
  readonly store?: PluginChoice;
}

/**
 * Applies command-line overrides to a raw config (before validation, so the result is still checked).
 * They apply to the config as written; a `matrix` entry for the same key wins over them. `--max-trials`
 * and `--more-trials` replace both trial-count rules of the config's budget (its other rules stay);
 * `--max-seconds` replaces its time limit.
 */
export const applyOverrides = (raw: unknown, overrides: ConfigOverrides): unknown => {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  const config = { ...(raw as Record<string, unknown>) };
  if (overrides.seed !== undefined) config.seed = overrides.seed;
  if (overrides.concurrency !== undefined) config.concurrency = overrides.concurrency;
  if (overrides.store !== undefined) config.store = overrides.store;
  if (overrides.maxTrials !== undefined || overrides.moreTrials !== undefined) {
    // A trial-count flag replaces the config's trial-count rules: `--more-trials 20` on a study that
    // reached the config's maxTrials must run 20 more, not stop at the old limit.
    const {
      maxTrials: _max,
      moreTrials: _more,
      ...budget
    } = typeof config.budget === 'object' && config.budget !== null ? (config.budget as Record<string, unknown>) : {};
    config.budget = {
      ...budget,
      ...(overrides.maxTrials === undefined ? {} : { maxTrials: overrides.maxTrials }),
      ...(overrides.moreTrials === undefined ? {} : { moreTrials: overrides.moreTrials }),
    };
  }
  if (overrides.maxSeconds !== undefined)
    config.budget = {
      ...(typeof config.budget === 'object' && config.budget !== null
        ? (config.budget as Record<string, unknown>)
        : {}),
      maxSeconds: overrides.maxSeconds,
    };
  return config;
};

/** The overrides without the budget flags (`--max-trials`, `--more-trials`, `--max-seconds`): undefined when none is given. */
export const withoutBudgetFlags = (overrides: ConfigOverrides): ConfigOverrides | undefined => {
  const { maxTrials, moreTrials, maxSeconds, ...rest } = overrides;
  return maxTrials === undefined && moreTrials === undefined && maxSeconds === undefined ? undefined : rest;
};
