import type { ExternalParams } from '@parzen/engine/plugin';

/** What placeholders in a command template can refer to besides the trial's parameters. */
export interface TemplateContext {
  readonly params: ExternalParams;
  readonly trialNumber: number;
  readonly study: string;
}

/** A placeholder that names nothing in this trial; the trial fails with this message. */
export class TemplateError extends Error {
  override readonly name = 'TemplateError';
}

const PLACEHOLDER = /\{\{|\}\}|\{([A-Za-z0-9_.$-]+)(\?)?\}/g;

/** How a parameter value is written into argv and environment variables. */
export const formatValue = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

const lookup = (name: string, context: TemplateContext): string | undefined => {
  if (Object.hasOwn(context.params, name)) return formatValue(context.params[name]);
  if (name === 'trial') return String(context.trialNumber);
  if (name === 'study') return context.study;
  if (name === 'params') return JSON.stringify(context.params);
  return undefined;
};

/**
 * Expands one argv element. `{name}` is the parameter's value (parameters win over the reserved
 * `{trial}`, `{study}` and `{params}`, the latter the JSON of all parameters); `{{` and `}}` are literal
 * braces. `{name?}` marks a conditional parameter: the element is left out when it is not active.
 * Returns undefined for an element to leave out; throws {@link TemplateError} for an unknown name.
 */
export const expandElement = (element: string, where: string, context: TemplateContext): string | undefined => {
  let omit = false;
  const expanded = element.replace(PLACEHOLDER, (match, name: string | undefined, optional: string | undefined) => {
    if (match === '{{') return '{';
    if (match === '}}') return '}';
    const value = lookup(name as string, context);
    if (value !== undefined) return value;
    if (optional === '?') {
      omit = true;
      return '';
    }
    const active = Object.keys(context.params).join(', ') || 'none';
    throw new TemplateError(
      `${where} ${JSON.stringify(element)}: \`{${name}}\` names no parameter of trial #${context.trialNumber} ` +
        `(active: ${active}; reserved: trial, study, params). Write \`{${name}?}\` if it is conditional.`,
    );
  });
  return omit ? undefined : expanded;
};

const RESERVED_NAMES = ['trial', 'study', 'params'];

/**
 * Checks a command template (argv and `env` values) against the space before any trial runs: every
 * `{name}` must be a parameter of the space or a reserved name. Returns one problem per unknown name,
 * each starting with its JSON pointer (`/command/3`, `/env/LR`) under `prefix`.
 */
export const templateProblems = (
  template: readonly string[],
  env: Readonly<Record<string, string>>,
  paramNames: readonly string[],
  prefix = '',
): string[] => {
  const known = new Set([...paramNames, ...RESERVED_NAMES]);
  const problems: string[] = [];
  const check = (element: string, pointer: string) => {
    for (const match of element.matchAll(PLACEHOLDER)) {
      const name = match[1];
      if (name === undefined || known.has(name)) continue;
      problems.push(
        `${pointer} ${JSON.stringify(element)}: \`{${name}${match[2] ?? ''}}\` names no parameter of the space ` +
          `(parameters: ${paramNames.join(', ') || 'none'}; reserved: ${RESERVED_NAMES.join(', ')})`,
      );
    }
  };
  template.forEach((element, index) => {
    check(element, `${prefix}/command/${index}`);
  });
  for (const [name, value] of Object.entries(env))
    check(value, `${prefix}/env/${name.replaceAll('~', '~0').replaceAll('/', '~1')}`);
  return problems;
};

/** Expands a command template into the argv of one trial. */
export const expandArgv = (template: readonly string[], context: TemplateContext): string[] =>
  template.flatMap((element, index) => {
    const expanded = expandElement(element, `command[${index}]`, context);
    return expanded === undefined ? [] : [expanded];
  });

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
