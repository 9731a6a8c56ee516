import type { ConfigIssue, ExternalParams } from '@parzen/engine/plugin';
import { formatValue } from './argv-template.js';

/** The environment variable a parameter is passed in: `PARZEN_PARAM_` plus its name upper-cased, other characters as `_`. */
export const paramEnvName = (name: string): string => `PARZEN_PARAM_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;

/**
 * Parameters whose names map to the same `PARZEN_PARAM_` variable (`a-b` and `a_b`, `lr` and `LR`):
 * one issue (at `/space`) per variable that several names share. One of their values would be lost.
 */
export const envNameCollisions = (names: readonly string[]): ConfigIssue[] => {
  const byVariable = new Map<string, string[]>();
  for (const name of names) byVariable.set(paramEnvName(name), [...(byVariable.get(paramEnvName(name)) ?? []), name]);
  return [...byVariable]
    .filter(([, shared]) => shared.length > 1)
    .map(([variable, shared]) => ({
      pointer: '/space',
      expected: 'parameter names that the command objective passes in different PARZEN_PARAM_ variables',
      found: `${shared.map((name) => `\`${name}\``).join(' and ')}, all passed as ${variable} (rename one of them)`,
    }));
};

/** What {@link commandEnv} builds a trial's environment from. */
export interface CommandEnvInput {
  readonly params: ExternalParams;
  readonly trialNumber: number;
  readonly study: string;
  /** The variables set in the config's `env`. */
  readonly extra: Readonly<Record<string, string>>;
  /** Start from the parent's environment (PATH, HOME, virtualenvs ...). */
  readonly inherit: boolean;
}

/**
 * The environment of one trial's process: the parent's (unless `inherit` is false), then the config's
 * `env`, then `PARZEN_TRIAL`, `PARZEN_STUDY`, `PARZEN_PARAMS` (JSON of all parameters) and one
 * `PARZEN_PARAM_<NAME>` per active parameter.
 */
export const commandEnv = (input: CommandEnvInput): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { ...(input.inherit ? process.env : {}), ...input.extra };
  env.PARZEN_TRIAL = String(input.trialNumber);
  env.PARZEN_STUDY = input.study;
  env.PARZEN_PARAMS = JSON.stringify(input.params);
  for (const [name, value] of Object.entries(input.params)) env[paramEnvName(name)] = formatValue(value);
  return env;
};
