import type { CompiledSpace, ConfigIssue } from '@parzen/engine/plugin';
import { alwaysActiveParams, escapePointer } from '@parzen/engine/plugin';
import { formatValue, literalText } from './argv-template.js';
import { paramEnvName } from './command-env.js';

/**
 * Linux's cap on one argument or environment string (`NAME=value`), its terminating NUL included
 * (MAX_ARG_STRLEN, 32 pages of 4 KiB): a longer one fails the program's start with E2BIG.
 */
export const MAX_ARG_STRLEN = 131_072;

/** Whether this system caps each string (Linux does; macOS caps only the total). */
const capsEachString = process.platform === 'linux';

/** A string of a program's argv or environment that it cannot be given. */
export interface UnpassableString {
  /** `argument 3` or `environment variable PARZEN_PARAM_PROMPT`. */
  readonly what: string;
  readonly bytes: number;
  /** Too long for one string, or holding a NUL character (which ends a C string). */
  readonly problem: 'too-long' | 'nul';
  /** Where it came from: a parameter's variable, the config's `env`, the argv template. */
  readonly source: 'params-env' | 'env' | 'argv';
}

/** The bytes a string takes in the kernel's copy: UTF-8, plus its terminating NUL. */
const stringBytes = (text: string): number => Buffer.byteLength(text, 'utf8') + 1;

/**
 * The argv elements and environment strings a program cannot be given: a NUL character, or (on Linux)
 * more than {@link MAX_ARG_STRLEN} bytes. `extra` names the variables the config's `env` set.
 */
export const unpassableStrings = (
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  extra: Readonly<Record<string, string>>,
): UnpassableString[] => {
  const found: UnpassableString[] = [];
  const check = (text: string, what: string, source: UnpassableString['source']) => {
    const bytes = stringBytes(text);
    if (text.includes('\0')) found.push({ what, bytes, problem: 'nul', source });
    else if (capsEachString && bytes > MAX_ARG_STRLEN) found.push({ what, bytes, problem: 'too-long', source });
  };
  argv.forEach((element, index) => {
    check(element, `argument ${index}`, 'argv');
  });
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    const source = Object.hasOwn(extra, name) ? 'env' : name.startsWith('PARZEN_PARAM') ? 'params-env' : 'env';
    check(`${name}=${value}`, `environment variable ${name}`, source);
  }
  return found;
};

/** What to do about strings a program could not be given, by where they came from. */
const advice = (sources: ReadonlySet<UnpassableString['source']>, paramsInEnv: boolean): string =>
  [
    ...(sources.has('params-env')
      ? [
          'read the params from stdin (the default, "stdin": "json") and set "paramsInEnv": false in the objective\'s options, so they are not put in its environment',
        ]
      : []),
    ...(sources.has('argv')
      ? [`take the value from stdin${paramsInEnv ? ' (or PARZEN_PARAMS)' : ''} instead of the argv template`]
      : []),
    ...(sources.has('env') ? ["take the value from stdin instead of the objective's env"] : []),
  ].join('; ');

/** A list of the strings, for a message: `environment variable PARZEN_PARAM_P (140,021 bytes)`. */
const listed = (strings: readonly UnpassableString[]): string =>
  strings.map(({ what, bytes }) => `${what} (${bytes.toLocaleString('en')} bytes)`).join(', ');

/** The message for strings a program cannot be given (see {@link unpassableStrings}). */
export const unpassableMessage = (
  program: string,
  strings: readonly UnpassableString[],
  paramsInEnv = true,
): string => {
  const long = strings.filter((string) => string.problem === 'too-long');
  const nul = strings.filter((string) => string.problem === 'nul');
  const parts = [
    ...(long.length === 0
      ? []
      : [
          `${listed(long)} ${long.length === 1 ? 'is' : 'are'} longer than the ${MAX_ARG_STRLEN.toLocaleString('en')} bytes Linux allows one argument or environment string (NAME=value included)`,
        ]),
    ...(nul.length === 0
      ? []
      : [
          `${nul.map(({ what }) => what).join(', ')} ${nul.length === 1 ? 'holds' : 'hold'} a NUL character, which no program can be given`,
        ]),
  ];
  return `\`${program}\` was not started: ${parts.join('; ')}. To pass such values, ${advice(new Set(strings.map(({ source }) => source)), paramsInEnv)}.`;
};

/**
 * The message for a start that failed with E2BIG though each string fits: the arguments and environment
 * together are over the system's limit (ARG_MAX); the largest strings named.
 */
export const tooLargeMessage = (program: string, argv: readonly string[], env: NodeJS.ProcessEnv): string => {
  const strings = [
    ...argv.map((element, index) => ({ what: `argument ${index}`, bytes: stringBytes(element), params: false })),
    ...Object.entries(env).flatMap(([name, value]) =>
      value === undefined
        ? []
        : [
            {
              what: `environment variable ${name}`,
              bytes: stringBytes(`${name}=${value}`),
              params: name.startsWith('PARZEN_PARAM'),
            },
          ],
    ),
  ];
  const total = strings.reduce((sum, { bytes }) => sum + bytes, 0);
  const largest = strings.sort((a, b) => b.bytes - a.bytes).slice(0, 3);
  const params = largest.some(({ params }) => params);
  return (
    `\`${program}\` could not start: spawn E2BIG, its arguments and environment together (${total.toLocaleString('en')} bytes) are more than the system allows (getconf ARG_MAX); the largest: ${listed(largest.map(({ what, bytes }) => ({ what, bytes, problem: 'too-long', source: 'env' })))}. ` +
    `Pass large values on stdin${params ? ' and set "paramsInEnv": false in the objective\'s options' : ''}, or start Parzen with a smaller environment.`
  );
};

/**
 * The choice options of a space that no trial could pass to the program: those holding a NUL character, and
 * on Linux those too long for an environment string (when `paramsInEnv`) or an argument (when the template
 * uses the parameter, or `{params}`: `paramsInTemplate`), each at its JSON pointer in the config.
 */
export const unpassableOptionIssues = (
  space: CompiledSpace,
  paramsInEnv: boolean,
  usedInTemplate: ReadonlySet<string>,
  paramsInTemplate = false,
): ConfigIssue[] => {
  const pointers = new Map<string, string>();
  const pointerOf = (name: string): string => {
    const known = pointers.get(name);
    if (known !== undefined) return known;
    const condition = space.byName.get(name)?.conditions[0];
    const pointer =
      condition === undefined
        ? `/space/${escapePointer(name)}`
        : `${pointerOf(condition.parent)}/options/${condition.index}/space/${escapePointer(name)}`;
    pointers.set(name, pointer);
    return pointer;
  };
  const issues: ConfigIssue[] = [];
  for (const param of space.params) {
    if (param.optionValues === undefined) continue;
    const reaches = paramsInEnv || usedInTemplate.has(param.name) || paramsInTemplate;
    if (!reaches) continue;
    const raw = (param.definition as { options?: readonly unknown[] }).options;
    param.optionValues.forEach((value, index) => {
      const text = formatValue(value);
      // A NUL only where the value goes raw: `{params}` writes it as \u0000 (review 141).
      const nul = text.includes('\0') && (paramsInEnv || usedInTemplate.has(param.name));
      // Review 138: PARZEN_PARAMS holds the value JSON-escaped (a `"` or newline takes two bytes), so an option
      // that fits as PARZEN_PARAM_<NAME> may not fit there; the longer of the two is measured.
      const json = `PARZEN_PARAMS=${JSON.stringify({ [param.name]: value })}`;
      const own = stringBytes(`${paramEnvName(param.name)}=${text}`);
      // `{params}` in the command puts the same JSON in an argument (review 139: with "paramsInEnv": false
      // nothing was measured, and every trial failed).
      // Both `{name}` and `{params}`: the longer (review 140: the raw text alone was measured).
      const asArgument = stringBytes(text);
      const inParams = stringBytes(JSON.stringify({ [param.name]: value }));
      const [variable, bytes] = !paramsInEnv
        ? paramsInTemplate && (!usedInTemplate.has(param.name) || inParams > asArgument)
          ? ['{params} (the JSON of the params) in the command', inParams]
          : ['an argument', asArgument]
        : own <= MAX_ARG_STRLEN && stringBytes(json) > MAX_ARG_STRLEN
          ? [
              'PARZEN_PARAMS={...} (the JSON of the params, where `"`, `\\` and control characters take two bytes or more, up to six)',
              stringBytes(json),
            ]
          : [`${paramEnvName(param.name)}=value`, own];
      if (!nul && !(capsEachString && bytes > MAX_ARG_STRLEN)) return;
      const option = raw?.[index];
      const wrapped = typeof option === 'object' && option !== null && !Array.isArray(option);
      issues.push({
        pointer: `${pointerOf(param.name)}/options/${index}${wrapped ? '/value' : ''}`,
        absolute: true,
        expected: nul
          ? 'an option without a NUL character (no program can be given one in its argv or environment)'
          : `an option of at most ${MAX_ARG_STRLEN.toLocaleString('en')} bytes as ${variable} (Linux's limit for one argument or environment string)`,
        found: nul
          ? 'a string holding a NUL character'
          : `${bytes.toLocaleString('en')} bytes: pass it on stdin (the default) with "paramsInEnv": false${usedInTemplate.has(param.name) ? ` and without {${param.name}} in the command or env` : paramsInTemplate ? ' and without {params} in the command or env' : ''}`,
      });
    });
  }
  if ((paramsInEnv || paramsInTemplate) && capsEachString)
    issues.push(...paramsVariableIssues(space, paramsInEnv, paramsInTemplate));
  return issues;
};

/**
 * PARZEN_PARAMS holds every active param: when even the shortest options of the params every trial has
 * (each fitting on its own) make it too long, no trial can start. Combinations only some trials draw are
 * refused at the trial, naming PARZEN_PARAMS.
 */
// Review 138: two 70,000-character choices passed validate.
const paramsVariableIssues = (space: CompiledSpace, paramsInEnv: boolean, paramsInTemplate: boolean): ConfigIssue[] => {
  const always = alwaysActiveParams(space);
  const shortest = space.params.flatMap((param) => {
    if (!always.has(param.name) || param.optionValues === undefined) return [];
    // By bytes, as the kernel counts (review 139: by characters, `€` options counted as short).
    const size = (value: unknown) => Buffer.byteLength(JSON.stringify(value ?? null), 'utf8');
    const [value] = [...param.optionValues].sort((a, b) => size(a) - size(b));
    return [[param.name, value] as const];
  });
  // As an argument, `{params}` has no `PARZEN_PARAMS=` before it (review 141: 14 bytes too many were counted).
  const bytes = stringBytes(`${paramsInEnv ? 'PARZEN_PARAMS=' : ''}${JSON.stringify(Object.fromEntries(shortest))}`);
  if (shortest.length < 2 || bytes <= MAX_ARG_STRLEN) return [];
  return [
    {
      pointer: '/space',
      absolute: true,
      // Review 140: with {params} in the command and paramsInEnv already false, the message named PARZEN_PARAMS.
      expected: `choice params whose values together fit in ${paramsInEnv ? 'PARZEN_PARAMS' : '{params}'}, the JSON of all params (at most ${MAX_ARG_STRLEN.toLocaleString('en')} bytes${paramsInEnv ? ' as PARZEN_PARAMS=...' : ''}, Linux's limit for one argument or environment string)`,
      found: `at least ${bytes.toLocaleString('en')} bytes in every trial (the shortest options of ${shortest.map(([name]) => `\`${name}\``).join(', ')}): read the params from stdin (the default) and ${[paramsInEnv ? 'set "paramsInEnv": false in the objective\'s options' : '', paramsInTemplate ? 'take {params} out of the command or env' : ''].filter((part) => part !== '').join(' and ')}`,
    },
  ];
};

/**
 * The literal text of the argv template and the config's env that no program can be given (a NUL, or on Linux
 * more than {@link MAX_ARG_STRLEN} bytes without any value): refused before the first trial, at its pointer,
 * since every trial would fail the same way.
 */
// Review 138: ten trials were spent on such a literal, each told to use stdin.
export const literalIssues = (
  command: readonly string[],
  env: Readonly<Record<string, string>>,
  known: ReadonlySet<string>,
): ConfigIssue[] => {
  const issues: ConfigIssue[] = [];
  const check = (pointer: string, text: string, what: 'argument' | 'environment string') => {
    const bytes = stringBytes(text);
    if (text.includes('\0'))
      issues.push({
        pointer,
        expected: `an ${what} without a NUL character (it ends a C string, so no program can be given one)`,
        found: `a NUL character at character ${Array.from(text.slice(0, text.indexOf('\0'))).length + 1}: remove it (write the value to a file the program reads, if it needs one)`,
      });
    else if (capsEachString && bytes > MAX_ARG_STRLEN)
      issues.push({
        pointer,
        expected: `an ${what} of at most ${MAX_ARG_STRLEN.toLocaleString('en')} bytes, its terminating NUL included (Linux's limit for one argument or environment string)`,
        found: `${bytes.toLocaleString('en')} bytes: put the text in a file (a script the program runs, or one it reads) and pass its path`,
      });
  };
  command.forEach((element, index) => {
    check(`/command/${index}`, literalText(element, known), 'argument');
  });
  for (const [name, value] of Object.entries(env))
    check(`/env/${escapePointer(name)}`, `${name}=${literalText(value, known)}`, 'environment string');
  return issues;
};
