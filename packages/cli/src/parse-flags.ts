import { InvalidArgumentError } from 'commander';

/** Commander parser for an integer flag (`--seed -3`). */
export const integer = (value: string): number => {
  if (!/^[-+]?\d+$/.test(value.trim()))
    throw new InvalidArgumentError(`expected an integer, found ${JSON.stringify(value)}.`);
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed))
    throw new InvalidArgumentError(`expected an integer of at most 2^53 - 1 in size, found ${value}.`);
  return parsed;
};

/** Commander parser for an integer flag of at least 0 (a trial's number, as `--trial` takes). */
export const nonNegativeInteger = (value: string): number => {
  const parsed = integer(value);
  if (parsed < 0) throw new InvalidArgumentError(`expected an integer of at least 0, found ${value}.`);
  return parsed;
};

/** Commander parser for a positive integer flag (`--max-trials 50`). */
export const positiveInteger = (value: string): number => {
  const parsed = integer(value);
  if (parsed < 1) throw new InvalidArgumentError(`expected an integer of at least 1, found ${value}.`);
  return parsed;
};

/**
 * The config schema's largest trial count and concurrency (the engine's `MAX_TRIALS` and `MAX_CONCURRENCY`,
 * equal by a test): written out so that parsing flags loads no engine module.
 */
export const FLAG_MAX_TRIALS = 1_000_000_000;
export const FLAG_MAX_CONCURRENCY = 1000;

/**
 * Commander parser for an integer flag from `min` to `max`: a flag past the config's bound is a bad flag
 * (`--concurrency 1001` is said as the flag's mistake, not as the config's `/concurrency`, CONFIG_INVALID).
 */
const integerFromTo =
  (min: number, max: number) =>
  (value: string): number => {
    const parsed = integer(value);
    if (parsed < min || parsed > max)
      throw new InvalidArgumentError(
        parsed < min
          ? `expected an integer of at least ${min}, found ${value}.`
          : `expected an integer from ${min} to ${max.toLocaleString('en')}, found ${value}.`,
      );
    return parsed;
  };

/** Commander parser for a positive integer flag of at most `max` (`--max-trials`, `--concurrency`). */
export const positiveIntegerUpTo = (max: number) => integerFromTo(1, max);

/**
 * Commander parser for `--max-trials`: from 1, as a config's `budget.maxTrials` (a study with no trial has
 * reached a limit of 0 before it starts); a 0 is pointed at `--more-trials 0`, which runs none.
 */
export const maxTrialsFlag = (value: string): number => {
  try {
    return positiveIntegerUpTo(FLAG_MAX_TRIALS)(value);
  } catch (error) {
    if (error instanceof InvalidArgumentError && /^[-+]?0+$/.test(value.trim()))
      throw new InvalidArgumentError(
        `expected an integer of at least 1, as a config's budget.maxTrials, found ${value}: --more-trials 0 runs no trial and prints the study's summary.`,
      );
    throw error;
  }
};

/** Commander parser for an integer flag from 0 to `max` (`--more-trials 0`: none, the study as it is). */
export const nonNegativeIntegerUpTo = (max: number) => integerFromTo(0, max);

/** The config schema's largest `budget.maxSeconds` (the engine's `MAX_SECONDS` × 1000, equal by a test). */
export const FLAG_MAX_RUN_SECONDS = 1_000_000_000;

/** Commander parser for a time limit in seconds (`--max-seconds 3600`, `--max-seconds 0.5`). */
export const positiveSeconds = (value: string): number => {
  const parsed = Number(value.trim());
  // Decimal only (review 148: `0x10` was 16 s, where --max-trials refuses it).
  if (!/^\+?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(value.trim()) || parsed <= 0 || parsed > FLAG_MAX_RUN_SECONDS)
    throw new InvalidArgumentError(
      `expected a number of seconds greater than 0 and at most ${FLAG_MAX_RUN_SECONDS.toLocaleString('en')}, found ${JSON.stringify(value)}.`,
    );
  return parsed;
};

/** Commander parser for a TCP port flag (`--port 8080`; 0 picks a free one). */
export const port = (value: string): number => {
  const parsed = integer(value);
  if (parsed < 0 || parsed > 65535)
    throw new InvalidArgumentError(`expected a port from 0 to 65535 (0: any free port), found ${value}.`);
  return parsed;
};

/** `--contour-levels -0.5,-0.2,0,1,20`: finite numbers, comma-separated. */
export const numberList = (value: string): number[] => {
  const parts = value.split(',').map((part) => part.trim());
  const bad = parts.filter((part) => part === '' || !Number.isFinite(Number(part)));
  if (bad.length > 0)
    throw new InvalidArgumentError(
      `expected finite numbers separated by commas (-0.5,0,1,20), found ${bad.map((part) => JSON.stringify(part)).join(', ')} in ${JSON.stringify(value)}.`,
    );
  return parts.map(Number);
};

/** `--importance fanova|ped-anova`: how the report measures parameter importance. */
export const importanceMethod = (value: string): 'fanova' | 'ped-anova' => {
  if (value === 'fanova' || value === 'ped-anova') return value;
  throw new InvalidArgumentError(`expected fanova or ped-anova, found ${JSON.stringify(value)}.`);
};

/** The states a trial can be in, as `--state` takes them. */
const TRIAL_STATES = ['complete', 'pruned', 'failed', 'running'] as const;

/** `--state complete,pruned`: trial states, comma-separated. */
export const trialStates = (value: string): (typeof TRIAL_STATES)[number][] => {
  const parts = value.split(',').map((part) => part.trim());
  const bad = parts.filter((part) => !(TRIAL_STATES as readonly string[]).includes(part));
  if (bad.length > 0)
    throw new InvalidArgumentError(
      `expected trial states separated by commas (${TRIAL_STATES.join(', ')}), found ${bad.map((part) => JSON.stringify(part)).join(', ')} in ${JSON.stringify(value)}.`,
    );
  return [...new Set(parts)] as (typeof TRIAL_STATES)[number][];
};

/** One `--where NAME=VALUE`: a parameter and the value (as written) its trials must have. */
export interface WhereCondition {
  readonly name: string;
  readonly value: string;
}

/**
 * `--where model=mlp`, repeatable (each flag one condition, all of them to hold): split at the first `=`, so a
 * value may hold one (`--where tag=a=b`); the value is read against the study's space once it is loaded.
 */
export const whereCondition = (value: string, previous: readonly WhereCondition[] = []): WhereCondition[] => {
  const at = value.indexOf('=');
  if (at <= 0)
    throw new InvalidArgumentError(
      `expected NAME=VALUE, a parameter and the value its trials must have (--where model=mlp, --where depth=4; the flag again for each), found ${JSON.stringify(value)}.`,
    );
  return [...previous, { name: value.slice(0, at).trim(), value: value.slice(at + 1) }];
};
