import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type ProfileSettings, TPE_PROFILES, type TpeProfile } from './options.js';
import { tpeOptionsSchema } from './options-schema.js';

// An editor's hover of a TPE option is its TpeSettings doc comment: each one a profile sets names the profile's
// default, as TPE_PROFILES holds it (a comment said the parzen profile's belowBandwidth was 0.5 after it became
// 0.35, with 0.5 only for its first 50 trials).
const source = readFileSync(new URL('./options.ts', import.meta.url), 'utf8');
const settings = source.slice(
  source.indexOf('export interface TpeSettings {'),
  source.indexOf('\n}\n', source.indexOf('export interface TpeSettings {')),
);

/** The doc comment above `readonly key:` in TpeSettings, one line. */
const docOf = (key: string): string => {
  const at = settings.indexOf(`  readonly ${key}:`);
  const before = settings.slice(0, at);
  const start = before.lastIndexOf('/**');
  if (at < 0 || start < 0 || !/\*\/\s*$/.test(before)) return '';
  return before
    .slice(start + 3, before.lastIndexOf('*/'))
    .split('\n')
    .map((line) => line.replace(/^\s*\*\s?/, '').trim())
    .join(' ')
    .trim();
};

// The default profile first.
const PROFILES: TpeProfile[] = ['parzen', 'hyperopt', 'optuna', 'optuna5'];
const list = (names: string[]): string =>
  names.length === 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;

/** The sentence the doc comment of `key` gives: each profile's default, profiles with the same one together. */
const defaultsSentence = (key: keyof ProfileSettings): string => {
  const shown = (profile: TpeProfile): string => {
    const { explore } = TPE_PROFILES[profile];
    const early: unknown = Object.entries(explore).find(([name]) => name === key)?.[1];
    const value = `\`${JSON.stringify(TPE_PROFILES[profile][key])}\``;
    return early === undefined
      ? value
      : `${value} (\`${JSON.stringify(early)}\` for its first ${explore.trials} trials: see \`explore\`)`;
  };
  const groups = new Map<string, TpeProfile[]>();
  for (const profile of PROFILES) groups.set(shown(profile), [...(groups.get(shown(profile)) ?? []), profile]);
  if (groups.size === 1) return `Default ${[...groups.keys()][0]} in every profile.`;
  return `Default by \`profile\`: ${[...groups].map(([value, names]) => `${list(names)} ${value}`).join('; ')}.`;
};

describe('TpeSettings doc comments', () => {
  const keys = (Object.keys(TPE_PROFILES.parzen) as (keyof ProfileSettings)[]).filter((key) => key !== 'explore');

  it('give each profile default as TPE_PROFILES has it', () => {
    const wrong = keys
      .filter((key) => !docOf(key).includes(defaultsSentence(key)))
      .map((key) => `${key}: expected "${defaultsSentence(key)}" in "${docOf(key)}"`);
    expect(wrong).toEqual([]);
  });

  it('describe every setting', () => {
    const members = [...settings.matchAll(/^ {2}readonly (\w+):/gm)].map((match) => match[1] ?? '');
    expect(members.filter((key) => docOf(key).length < 20)).toEqual([]);
  });
});

describe('the constantLiar description (the config reference shows it)', () => {
  const text = tpeOptionsSchema.properties.constantLiar?.description as string | undefined;

  it("says where running trials go in the words explain prints (in g(x) only, never in l(x)), not 'above set'", () => {
    expect(text).not.toContain('above set');
    expect(text).toContain("worst (in g(x) only, never in l(x), and not counted in n: Optuna's constant liar)");
  });

  it('says where running trials rank against pruned trials, as the split ranks them', () => {
    expect(text).toContain(
      'infinite (the worst loss, +∞ or −∞ when maximizing, counted in n, ranked after every complete and pruned trial: hyperopt)',
    );
    expect(text).toContain(
      'ranked by loss among the complete trials, ahead of the pruned ones (pruned: impute ranks those with an estimated loss among them)',
    );
  });
});
