import type { ConfigIssue, ExternalParams } from '@parzen/engine/plugin';
import { formatValue } from './argv-template.js';

/** The environment variable a parameter is passed in: `PARZEN_PARAM_` plus its name upper-cased, other characters as `_`. */
export const paramEnvName = (name: string): string => `PARZEN_PARAM_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;

/**
 * The `PARZEN_PARAM_` variables several parameters map to (`a-b` and `a_b`, `lr` and `LR`, `α` and `λ`),
 * each with those names. Such a variable is not set (one value would hide the others); the parameters
 * reach the program through `PARZEN_PARAMS`, stdin and the argv template.
 */
export const envNameCollisions = (names: readonly string[]): ReadonlyMap<string, readonly string[]> => {
  const byVariable = new Map<string, string[]>();
  for (const name of names) byVariable.set(paramEnvName(name), [...(byVariable.get(paramEnvName(name)) ?? []), name]);
  return new Map([...byVariable].filter(([, shared]) => shared.length > 1));
};

/** Whether a name is ASCII only (its variable loses no letter). */
const ascii = (name: string): boolean => /^[\x20-\x7e]*$/u.test(name);

/**
 * The collisions of names written in ASCII alone (`a-b` and `a_b`, `lr` and `LR`): refused before the first
 * trial, as a program may well read such a variable (left out, a program reading
 * `PARZEN_PARAM_LR` runs every trial at its default). One issue (at `/space`) per variable. Those of names
 * with other letters (`α` and `λ`, which can never have variables of their own) are left out instead.
 */
export const asciiCollisionIssues = (collisions: ReadonlyMap<string, readonly string[]>): ConfigIssue[] =>
  [...collisions]
    .filter(([, names]) => names.filter(ascii).length > 1)
    .map(([variable, names]) => ({
      pointer: '/space',
      absolute: true,
      expected: 'parameter names that the command objective passes in different PARZEN_PARAM_ variables',
      found: `${names.map((name) => `\`${name}\``).join(' and ')}, all passed as ${variable} (rename one of them, or set the objective's "paramsInEnv": false: no PARZEN_PARAM_ variable is set then, and the program reads the params from stdin or its argv template)`,
    }));

/** The warning for {@link envNameCollisions}: which variables are left out, and where the values are. */
export const collisionWarning = (collisions: ReadonlyMap<string, readonly string[]>): string | undefined =>
  collisions.size === 0
    ? undefined
    : `the command objective leaves out ${[...collisions]
        .map(([variable, names]) => `${variable} (${names.map((name) => `\`${name}\``).join(' and ')} map to it)`)
        .join(
          ', ',
        )}: one value would hide the others. The program gets them from PARZEN_PARAMS (JSON), stdin or the argv template (\`{name}\`); or rename the parameters apart.`;

/** What {@link commandEnv} builds a trial's environment from. */
export interface CommandEnvInput {
  readonly params: ExternalParams;
  readonly trialNumber: number;
  /** The trial's seed for the program's own randomness (`PARZEN_SEED`, see `EvaluationContext.seed`). */
  readonly seed: number;
  readonly study: string;
  /** The variables set in the config's `env`. */
  readonly extra: Readonly<Record<string, string>>;
  /** Start from the parent's environment (PATH, HOME, virtualenvs ...). */
  readonly inherit: boolean;
  /** `PARZEN_PARAM_` variables to leave out (those several parameters map to). */
  readonly leaveOut?: ReadonlyMap<string, unknown>;
  /** False: no `PARZEN_PARAMS` nor `PARZEN_PARAM_<NAME>` (values too long for an environment string). */
  readonly paramsInEnv?: boolean;
}

/**
 * The environment of one trial's process: the parent's (unless `inherit` is false) without its own
 * `PARZEN_PARAMS` and `PARZEN_PARAM_*`, then the config's `env`, then `PARZEN_TRIAL`, `PARZEN_SEED`, `PARZEN_STUDY`, `PARZEN_PARAMS` (JSON of all parameters) and one
 * `PARZEN_PARAM_<NAME>` per active parameter (those two unless `paramsInEnv` is false).
 */
export const commandEnv = (input: CommandEnvInput): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { ...(input.inherit ? process.env : {}) };
  // The parent's own params variables (a shell that exported some to try the program, a `parzen` run inside a
  // trial) are no trial's: an inactive parameter's, or every one with `paramsInEnv` false, would reach the program.
  for (const name of Object.keys(env))
    if (name === 'PARZEN_PARAMS' || name.startsWith('PARZEN_PARAM_')) delete env[name];
  Object.assign(env, input.extra);
  env.PARZEN_TRIAL = String(input.trialNumber);
  env.PARZEN_SEED = String(input.seed);
  env.PARZEN_STUDY = input.study;
  if (input.paramsInEnv === false) return env;
  env.PARZEN_PARAMS = JSON.stringify(input.params);
  for (const [name, value] of Object.entries(input.params)) {
    const variable = paramEnvName(name);
    if (input.leaveOut?.has(variable) !== true) env[variable] = formatValue(value);
  }
  return env;
};
