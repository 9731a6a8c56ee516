import {
  type ConfigIssue,
  didYouMean,
  type ExternalParams,
  escapePointer,
  lookAlikeKey,
  sameTextHint,
} from '@parzen/engine/plugin';

/** What placeholders in a command template can refer to besides the trial's parameters. */
export interface TemplateContext {
  readonly params: ExternalParams;
  readonly trialNumber: number;
  /** The trial's seed for the program's own randomness (`{seed}`, see `EvaluationContext.seed`). */
  readonly seed: number;
  readonly study: string;
  /** Every parameter name of the space (active or not), so `{learning rate}` is known as one. */
  readonly names?: readonly string[];
}

/** A placeholder that names nothing in this trial; the trial fails with this message. */
export class TemplateError extends Error {
  override readonly name = 'TemplateError';
}

const RESERVED_NAMES = ['trial', 'seed', 'study', 'params'];

/**
 * `{{`, `}}`, or text in single braces (`{lr}`, `{depth?}`, `{learning rate}`): a placeholder when it
 * looks like a name or names a parameter (see {@link isPlaceholder}), else literal text.
 */
const BRACES = /\{\{|\}\}|\{([^{}]+?)(\?)?\}/gu;

/** Letters of any script, digits, `_`, `.`, `$` and `-`: a name, never code or JSON. */
const NAME_LIKE = /^[\p{L}\p{N}_.$-]+$/u;

/**
 * Whether the text between single braces is a placeholder: it looks like a name (`{lr}`, `{größe}`), or
 * it is the name of a parameter (`{learning rate}`). Other text in braces, such as code in a
 * `node -e` program (`{ loss: 1 }`), is left as it is.
 */
const isPlaceholder = (name: string, known: ReadonlySet<string>): boolean => NAME_LIKE.test(name) || known.has(name);

/**
 * Rewrites `element`: `{{` and `}}` become single braces, and each placeholder is replaced by what
 * `replace` returns for its name and `?` marker. Text in braces that is no placeholder stays as it is.
 */
const rewrite = (
  element: string,
  known: ReadonlySet<string>,
  replace: (name: string, optional: boolean, match: string) => string,
  literal?: (text: string, inner: string) => void,
): string => {
  let result = '';
  let from = 0;
  const braces = new RegExp(BRACES.source, BRACES.flags);
  for (let match = braces.exec(element); match !== null; match = braces.exec(element)) {
    const [text, name] = match;
    let replacement: string;
    if (text === '{{') replacement = '{';
    else if (text === '}}') replacement = '}';
    else if (name !== undefined && isPlaceholder(name, known)) replacement = replace(name, match[2] === '?', text);
    else {
      // Literal text: keep its opening brace and look again just after it (it may hold `}}`).
      if (name !== undefined) literal?.(text, name);
      braces.lastIndex = match.index + 1;
      continue;
    }
    result += element.slice(from, match.index) + replacement;
    from = match.index + text.length;
  }
  return result + element.slice(from);
};

/** The placeholder names an element uses (`{name}` and `{name?}`), as expanding it reads them; literal braces are none. */
export const placeholderNames = (element: string, known: ReadonlySet<string>): string[] => {
  const names: string[] = [];
  rewrite(element, known, (name) => {
    names.push(name);
    return '';
  });
  return names;
};

/** The placeholders a `logFile` may hold: the trial's own, no parameter (one file per value would be no log). */
const LOG_FILE_NAMES: ReadonlySet<string> = new Set(['trial', 'seed', 'study']);

/**
 * A `logFile` template's problems, as issues at `/logFile`: a placeholder that is not {trial}, {seed} or {study},
 * a brace left over (`{trial.log`, a placeholder not closed), or a path ending in `/` (a folder meant, which
 * would be written as one file of that name).
 */
export const logFileProblems = (logFile: string): ConfigIssue[] => {
  const issue = (expected: string, found: string): ConfigIssue => ({ pointer: '/logFile', expected, found });
  const problems = placeholderNames(logFile, LOG_FILE_NAMES)
    .filter((name) => !LOG_FILE_NAMES.has(name))
    .map((name) =>
      issue(
        'a path whose placeholders are {trial}, {seed} or {study} (`{{` and `}}` for literal braces)',
        `\`{${name}}\` in ${JSON.stringify(logFile)}`,
      ),
    );
  const left = literalText(logFile.replaceAll('{{', '').replaceAll('}}', ''), LOG_FILE_NAMES);
  if (problems.length === 0 && /[{}]/.test(left))
    problems.push(
      issue(
        'a path whose braces are placeholders, {trial}, {seed} or {study} (`{{` and `}}` for literal braces)',
        `a lone \`${/[{}]/.exec(left)?.[0]}\` in ${JSON.stringify(logFile)}`,
      ),
    );
  if (/[/\\]$/.test(logFile))
    problems.push(
      issue(
        "the path of a file (each trial's output is appended to it)",
        `${JSON.stringify(logFile)}, a folder: add a file name, such as "${logFile}trial-{trial}.log"`,
      ),
    );
  return problems;
};

/** The text of an element every trial gets whatever the values: its placeholders left out, `{{` as `{`. */
export const literalText = (element: string, known: ReadonlySet<string>): string => rewrite(element, known, () => '');

/** How a parameter value is written into argv and environment variables. */
export const formatValue = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

const lookup = (name: string, context: TemplateContext): string | undefined => {
  if (Object.hasOwn(context.params, name)) return formatValue(context.params[name]);
  if (name === 'trial') return String(context.trialNumber);
  if (name === 'seed') return String(context.seed);
  if (name === 'study') return context.study;
  if (name === 'params') return JSON.stringify(context.params);
  return undefined;
};

/**
 * Expands one argv element. `{name}` is the parameter's value (parameters win over the reserved
 * `{trial}`, `{seed}`, `{study}` and `{params}`, the latter the JSON of all parameters); `{{` and `}}` are literal
 * braces. `{name?}` marks a conditional parameter: the element is left out when it is not active.
 * `{name}` may name any parameter of the space (`names`, the active ones when not given), spaces and all.
 * Returns undefined for an element to leave out; throws {@link TemplateError} for an unknown name.
 */
export const expandElement = (element: string, where: string, context: TemplateContext): string | undefined => {
  let omit = false;
  const known = new Set([...(context.names ?? []), ...Object.keys(context.params), ...RESERVED_NAMES]);
  const expanded = rewrite(element, known, (name, optional) => {
    const value = lookup(name, context);
    if (value !== undefined) return value;
    if (optional) {
      omit = true;
      return '';
    }
    const active = Object.keys(context.params).join(', ') || 'none';
    throw new TemplateError(
      `${where} ${JSON.stringify(element)}: \`{${name}}\` names no parameter of trial #${context.trialNumber} ` +
        `(active: ${active}; reserved: ${RESERVED_NAMES.join(', ')}). Write \`{${name}?}\` if it is conditional.`,
    );
  });
  return omit ? undefined : expanded;
};

/** A name compared loosely: lower case, without spaces, `_` and `-`. */
const nameKey = (name: string): string =>
  lookAlikeKey(name)
    .toLowerCase()
    .replace(/[\s_-]+/gu, '');

/** How many more `{` than `}` a text has. */
const braceExcess = (text: string): number => {
  let excess = 0;
  for (const char of text) excess += char === '{' ? 1 : char === '}' ? -1 : 0;
  return excess;
};

/**
 * The elements (argv, `env` values) whose braces are balanced as written and not once the template has made
 * each `}}` one brace (and each `{{` one): code or JSON written as it is (`python3 -c "print({'a': {'b':
 * 1}})"`), where `}}` is almost never meant as the escape (the program would get unbalanced braces, and
 * validate would say nothing). Placeholders count as nothing. An element whose braces are unbalanced as written
 * (`{x}}}`: a value and a literal `}`) uses the escapes on purpose (it is not
 * noted, as an element holding `{{` too is not). Notes with pointers under the objective's options.
 */
export const loneClosingEscapes = (
  template: readonly string[],
  env: Readonly<Record<string, string>>,
): { readonly pointer: string; readonly message: string }[] => {
  const note = (element: string, pointer: string) =>
    element.includes('}}') && braceExcess(element) === 0 && braceExcess(rewrite(element, new Set(), () => '')) !== 0
      ? [
          {
            pointer,
            message:
              `has \`}}\`, which the template turns into \`}\` (\`{{\` and \`}}\` are its escapes for literal braces), ` +
              'so the program gets unbalanced braces; write `}}}}` for a literal `}}` (and `{{{{` for `{{`), or put the code in a file',
          },
        ]
      : [];
  return [
    ...template.flatMap((element, index) => note(element, `/command/${index}`)),
    ...Object.entries(env).flatMap(([name, value]) => note(value, `/env/${escapePointer(name)}`)),
  ];
};

/**
 * Checks a command template (argv and `env` values) against the space before any trial runs: every
 * `{name}` must be a parameter of the space or a reserved name. Returns one issue per bad placeholder,
 * with its JSON pointer (`/command/3`, `/env/LR`) under `prefix`.
 */
export const templateProblems = (
  template: readonly string[],
  env: Readonly<Record<string, string>>,
  paramNames: readonly string[],
  prefix = '',
  /** The conditional parameters: each one's choice (a parent) that must pick a branch for it to be active. */
  conditional: ReadonlyMap<string, string> = new Map(),
): ConfigIssue[] => {
  const known = new Set([...paramNames, ...RESERVED_NAMES]);
  const byKey = new Map(paramNames.map((name) => [nameKey(name), name]));
  const problems: ConfigIssue[] = [];
  const check = (element: string, pointer: string) => {
    rewrite(
      element,
      known,
      (name, optional, text) => {
        if (!known.has(name))
          problems.push({
            pointer,
            expected: `a parameter of the space (${paramNames.join(', ') || 'none'}) or a reserved name (${RESERVED_NAMES.join(', ')})`,
            // Trial 104: every other misspelt name got a suggestion.
            found: `\`${text}\` in ${JSON.stringify(element)}${placeholderHint(name, optional, paramNames, conditional)}`,
          });
        else if (!optional && conditional.has(name))
          problems.push({
            pointer,
            expected:
              `\`{${name}?}\`, which leaves the ${pointer.includes('/env/') ? 'variable' : 'argument'} out when \`${name}\` ` +
              `is inactive (it is conditional: active only in some branches of \`${conditional.get(name)}\`, so trials without it would fail)`,
            found: `\`${text}\` in ${JSON.stringify(element)}`,
          });
        return '';
      },
      // Text in braces that is no name stays literal (code, JSON), unless it is a parameter's name but for
      // case, spaces, `_` and `-` (`{Learning rate}` for `learning_rate`): then it is a misspelt placeholder.
      (text, inner) => {
        // Space just inside the braces is code (`{ lr }` in a `node -e` program), never a misspelt name.
        if (inner.trim() !== inner) return;
        const meant = byKey.get(nameKey(inner.replace(/\?$/, '')));
        if (meant !== undefined)
          problems.push({
            pointer,
            expected: `\`{${meant}}\` (the parameter is \`${meant}\`)`,
            found: `\`${text}\` in ${JSON.stringify(element)}, which is no placeholder (it would reach the program as it is)${sameTextHint(inner.replace(/\?$/, ''), [meant])}`,
          });
      },
    );
  };
  template.forEach((element, index) => {
    check(element, `${prefix}/command/${index}`);
  });
  for (const [name, value] of Object.entries(env)) check(value, `${prefix}/env/${escapePointer(name)}`);
  return problems;
};

/**
 * The elements (argv, `env` values) holding conditional placeholders of parameters that are never active in one
 * trial (`"--lr={adam_lr?}{sgd_lr?}"`, from two options of `optimizer`): one of them is inactive in every trial,
 * so the element is left out of every trial. `partedBy` gives the choice whose options part the names, or
 * undefined when some trial has them all. One issue per such element, with its pointer under `prefix`.
 */
export const neverTogetherProblems = (
  template: readonly string[],
  env: Readonly<Record<string, string>>,
  paramNames: readonly string[],
  partedBy: (names: readonly string[]) => string | undefined,
  prefix = '',
): ConfigIssue[] => {
  const params = new Set(paramNames);
  const known = new Set([...paramNames, ...RESERVED_NAMES]);
  const check = (element: string, pointer: string, what: 'argument' | 'variable'): ConfigIssue[] => {
    const names = new Set<string>();
    rewrite(element, known, (name, optional) => {
      if (optional && params.has(name)) names.add(name);
      return '';
    });
    const parent = names.size < 2 ? undefined : partedBy([...names]);
    if (parent === undefined) return [];
    const listed = [...names].map((name) => `\`${name}\``);
    const split = [...names].map((name) =>
      JSON.stringify(
        [...names].reduce((text, other) => (other === name ? text : text.split(`{${other}?}`).join('')), element),
      ),
    );
    const each = what === 'argument' ? 'one element per parameter' : 'one variable per parameter';
    return [
      {
        pointer,
        expected:
          `placeholders that are active in the same trial: ${listed.slice(0, -1).join(', ')} and ${listed.at(-1)} never are ` +
          `(they sit in different options of \`${parent}\`), so the ${what} is left out of every trial; ` +
          `write ${each} (${split.join(', ')}): each trial gets the one of its branch`,
        found: JSON.stringify(element),
      },
    ];
  };
  return [
    ...template.flatMap((element, index) => check(element, `${prefix}/command/${index}`, 'argument')),
    ...Object.entries(env).flatMap(([name, value]) => check(value, `${prefix}/env/${escapePointer(name)}`, 'variable')),
  ];
};

/** A flag on its own (`--momentum`, `-m`): no value, no `=`, no placeholder, not a negative number. */
const BARE_FLAG = /^-{1,2}[^\s={}\d.-][^\s={}]*$/u;
/**
 * ` (did you mean \`depth\`?)` for a misspelt placeholder name; a conditional parameter's with its `?`, as it must be
 * written (review 108: `{dpeth}` was told `depth`, then refused as a conditional parameter without `?`).
 */
const placeholderHint = (
  name: string,
  optional: boolean,
  paramNames: readonly string[],
  conditional: ReadonlyMap<string, string>,
): string => {
  const hint = didYouMean(name, [...paramNames, ...RESERVED_NAMES]);
  const meant = /`(.*)`/s.exec(hint)?.[1];
  return meant !== undefined && !optional && conditional.has(meant) ? ` (did you mean \`{${meant}?}\`?)` : hint;
};

/** An element that is one conditional placeholder and nothing else (`{momentum?}`). */
const LONE_OPTIONAL = /^\{[^{}]+\?\}$/u;

/** A name compared as flags and parameters spell it: lower case, without `-`, `_`, `.` and spaces. */
const flagKey = (name: string): string => name.toLowerCase().replace(/[\s_.-]+/gu, '');

/**
 * Whether `flag` (a template element) is the bare flag of the lone conditional element `element` after it:
 * `"--momentum", "{momentum?}"`, the names the same but for case, `-` and `_`. A bare flag before another
 * parameter's element may be a switch of its own (`"--verbose", "{checkpoint?}"`), and stays.
 */
const pairedFlag = (flag: string, element: string): boolean =>
  BARE_FLAG.test(flag) && LONE_OPTIONAL.test(element) && flagKey(flag) === flagKey(element.slice(1, -2));

/**
 * The bare flags just before a lone conditional element of another name (`"-m", "{momentum?}"`): they stay
 * when the parameter is inactive, so the run says so once. Each as `[flag, element, the flag's index]`.
 */
export const unpairedFlags = (template: readonly string[]): (readonly [string, string, number])[] =>
  template.flatMap((element, index) => {
    const flag = template[index - 1];
    return flag !== undefined && BARE_FLAG.test(flag) && LONE_OPTIONAL.test(element) && !pairedFlag(flag, element)
      ? [[flag, element, index - 1] as const]
      : [];
  });

/**
 * Expands a command template into the argv of one trial. A conditional element on its own after its bare
 * flag (`"--momentum", "{momentum?}"`, the argparse form) takes the flag with it when it is left out (left
 * alone, the flag would stay without its value, and every trial of the other branch fail).
 */
export const expandArgv = (template: readonly string[], context: TemplateContext): string[] => {
  const argv: string[] = [];
  template.forEach((element, index) => {
    const expanded = expandElement(element, `command[${index}]`, context);
    if (expanded !== undefined) argv.push(expanded);
    else if (index > 0 && pairedFlag(template[index - 1] as string, element)) argv.pop();
  });
  return argv;
};

/**
 * Expands the values of a config's `env` like argv elements (`{"LEARNING_RATE": "{lr}"}`), so a program
 * that reads its own variable names needs no change; a variable whose `{name?}` is inactive is left out.
 */
export const expandEnv = (env: Readonly<Record<string, string>>, context: TemplateContext): Record<string, string> => {
  const expanded: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    const result = expandElement(value, `env.${name}`, context);
    if (result !== undefined) expanded[name] = result;
  }
  return expanded;
};
