import { type ConfigIssue, describeValue, didYouMean, escapePointer, sameTextHint } from '../errors.js';
import type { CompiledSpace, ParamNode } from './compile-space.js';
import { gridSteps, isInSupport } from './distribution.js';
import { quantize } from './rounding.js';
import type { ChoiceLiteral } from './space-definition.js';

/** What a row's issue says was found for a parameter it lacks. */
export const MISSING_PARAM = 'none (the parameter is missing)';

/**
 * A trial's internal values: parameter name → number (an option index for choices). Only the parameters
 * that were active in the trial are present, which is what TPE needs to model conditional parameters.
 */
export type ParamAssignment = Readonly<Record<string, number>>;

/** What the objective receives: the active parameters, a choice giving its option's value. */
export type ExternalParams = Readonly<Record<string, number | ChoiceLiteral>>;

/** Whether `param` is active given the values decided so far for its parents. */
export const isActive = (param: ParamNode, assigned: ParamAssignment): boolean =>
  param.conditions.length === 0 || param.conditions.some((condition) => assigned[condition.parent] === condition.index);

/**
 * The walk over a space for code that decides values itself (a file's row, a contour's base point): each
 * parameter, in evaluation order, that is active under the values decided so far goes to `decide`; the
 * internal value it returns is recorded (undefined leaves the parameter unset). Returns what was decided.
 * (A run's walk, which asks the suggester, is `suggestParams`.)
 */
export const walkSpace = (
  space: CompiledSpace,
  decide: (param: ParamNode, decided: ParamAssignment) => number | undefined,
): ParamAssignment => {
  const decided: Record<string, number> = {};
  for (const param of space.params) {
    if (!isActive(param, decided)) continue;
    const value = decide(param, decided);
    if (value !== undefined) decided[param.name] = value;
  }
  return decided;
};

/** The names of the parameters active under a (possibly partial) assignment, in evaluation order. */
export const activeParamNames = (space: CompiledSpace, assigned: ParamAssignment): string[] => {
  const active: string[] = [];
  walkSpace(space, (param) => {
    active.push(param.name);
    return assigned[param.name];
  });
  return active;
};

/**
 * The parameters active in every trial: the top-level ones, and a conditional one when some always-active
 * choice lists it under every one of its options (a parameter in each branch of `model`). A parameter
 * whose conditions name several choices, none covering all its options, counts as conditional even where
 * their combinations would always activate it (no such space is built by `choice` and `option`).
 */
export const alwaysActiveParams = (space: CompiledSpace): Set<string> => {
  const always = new Set<string>();
  // `params` is in evaluation order: every parent is settled before its children.
  for (const param of space.params) {
    const byParent = new Map<string, Set<number>>();
    for (const { parent, index } of param.conditions)
      byParent.set(parent, (byParent.get(parent) ?? new Set()).add(index));
    const covered = [...byParent].some(([parent, indices]) => {
      const size = space.byName.get(parent)?.optionValues?.length ?? 0;
      return always.has(parent) && size > 0 && indices.size >= size;
    });
    if (param.conditions.length === 0 || covered) always.add(param.name);
  }
  return always;
};

/** What {@link requiredChoices} found: the choices' options that make the parameters active, or why none do. */
export type RequiredChoices =
  | {
      /** Choice name → the index of its option to take (the choices above the parameters, and only those). */
      readonly required: Readonly<Record<string, number>>;
    }
  | {
      /** The choice whose options part two of the parameters: no trial has them all. */
      readonly conflict: string;
    };

/**
 * The options of choices that make every one of `names` active (choice name → option index), preferring
 * the options `start` already has, or the choice whose options conflict (two of the names sit in
 * different options of it) when there are none. The choices above a parameter under several options (the
 * same definition in several branches) are one way to make it active.
 */
export const requiredChoices = (
  space: CompiledSpace,
  names: readonly string[],
  start: ParamAssignment = {},
): RequiredChoices => {
  let conflict: string | undefined;
  const search = (
    pending: readonly string[],
    required: Readonly<Record<string, number>>,
  ): Readonly<Record<string, number>> | undefined => {
    const [name, ...rest] = pending;
    if (name === undefined) return required;
    const conditions = space.byName.get(name)?.conditions ?? [];
    if (conditions.length === 0) return search(rest, required);
    // A parameter under several options (the same definition in several branches) is active under any of them.
    const ordered = [...conditions].sort(
      (a, b) => Number(start[b.parent] === b.index) - Number(start[a.parent] === a.index),
    );
    for (const condition of ordered) {
      const set = required[condition.parent];
      if (set !== undefined && set !== condition.index) {
        conflict ??= condition.parent;
        continue;
      }
      const found = search([condition.parent, ...rest], { ...required, [condition.parent]: condition.index });
      if (found !== undefined) return found;
    }
    return undefined;
  };
  const required = search(names, {});
  return required === undefined ? { conflict: conflict ?? names.join(', ') } : { required };
};

/**
 * Whether some options of the space's choices make all of `names` active in one trial (not so for
 * parameters in two options of one choice).
 */
export const activeTogether = (space: CompiledSpace, names: readonly string[]): boolean =>
  !('conflict' in requiredChoices(space, names));

/** Maps internal values to what the objective sees: option values for choices, numbers otherwise. */
export const toExternalParams = (space: CompiledSpace, params: ParamAssignment): ExternalParams => {
  const external: Record<string, number | ChoiceLiteral> = {};
  // In the space's order, whatever order a suggester decided them in (trial 95: `trials --json` listed 292
  // parameters in TPE's block order); a name the space does not have last, as it came.
  for (const param of space.params) {
    const value = params[param.name];
    if (value !== undefined && Object.hasOwn(params, param.name))
      external[param.name] = param.optionValues === undefined ? value : (param.optionValues[value] ?? null);
  }
  for (const [name, value] of Object.entries(params)) if (!space.byName.has(name)) external[name] = value;
  return external;
};

/**
 * A quantized value as the samplers write it: `4.0000000001` for q 4 is accepted (within rounding of the
 * grid) and stored as the samplers' 4, `0.3` for q 0.1 as their 0.30000000000000004, so a given value and a
 * sampled one are the same setting. Other kinds as given.
 */
const onSamplersGrid = (param: ParamNode, value: number): number => {
  const d = param.distribution;
  return d.kind === 'quniform' || d.kind === 'qloguniform' ? quantize(value, d.q) : value;
};

/**
 * A value a rounding away from a continuous range's bound, as that bound: `hyperoptLoguniform(Math.log(1e-4),
 * …)` has the low bound exp(log(1e-4)) = 1.0000000000000009e-4, and the 1e-4 a user writes (an enqueued
 * trial, an imported row) is that bound, not out of range (trial 30). Within 1e-12 of the bound, relatively
 * (relative to a thousandth of the range for a bound at 0).
 */
const atBound = (param: ParamNode, value: number): number => {
  const d = param.distribution;
  if (d.kind !== 'uniform' && d.kind !== 'loguniform') return value;
  // Relative to the bound, or (uniform) to the range for a bound at (or near) 0: uniform(0, 1) takes −1e-17
  // as 0. A log-scale bound is positive, and only relative nearness counts (trial 82: loguniform(1e-16, 1)
  // took 0 and −5e-16 as 1e-16, an absolute slack larger than the bound).
  const scale = d.kind === 'loguniform' ? 0 : Math.max(Math.abs(d.low), Math.abs(d.high), d.high - d.low);
  const near = (bound: number) => Math.abs(value - bound) <= 1e-12 * Math.max(Math.abs(bound), scale * 1e-3);
  if (value < d.low && near(d.low)) return d.low;
  if (value > d.high && near(d.high)) return d.high;
  return value;
};

/** How many options a message lists by value; of a larger choice, the first and last few and the count. */
const LISTED_OPTIONS = 20;

/**
 * `one of "a", "b"`; of a choice of many options, `one of its 2000 options ("o0", ..., "o9", ..., "o1999")`
 * (trial 95: a value missing from a 2,000-option choice gave a 23 KB line).
 */
const oneOfOptions = (options: readonly unknown[]): string => {
  // Each cut at 40 characters too (review 99: 21 options of 2,000 characters were a 40 KB line).
  const one = (option: unknown) => {
    const text = JSON.stringify(option) ?? String(option);
    // By code points, so an emoji is never cut in half (review 100).
    const chars = Array.from(text);
    return chars.length > 40 ? `${chars.slice(0, 39).join('')}…` : text;
  };
  const shown = (values: readonly unknown[]) => values.map(one).join(', ');
  if (options.length <= LISTED_OPTIONS) return `one of ${shown(options)}`;
  const half = LISTED_OPTIONS / 2;
  return `one of its ${options.length} options (${shown(options.slice(0, half))}, ..., ${shown(options.slice(-half))})`;
};

/** What a parameter's values may be, as a user writes them (a choice's option values). */
export const describeSupport = (param: ParamNode): string => {
  const d = param.distribution;
  switch (d.kind) {
    case 'categorical':
      return oneOfOptions(param.optionValues ?? []);
    case 'uniform':
    case 'loguniform':
      return `a number from ${d.low} to ${d.high}`;
    case 'quniform':
    case 'qloguniform': {
      // The bounds rounded onto the grid: what the samplers can produce (0 to 8 for low 1, high 10, q 4).
      const { first, last } = gridSteps(d);
      const shown = (step: number) => Number.parseFloat((step * d.q).toPrecision(12));
      return `a multiple of ${d.q} from ${shown(first)} to ${shown(last)}`;
    }
    case 'randint':
      return `an integer from ${d.low} to ${d.high - 1}`;
    case 'uniformint':
      return `an integer from ${d.low} to ${d.high}`;
    case 'normal':
      return 'a finite number';
    case 'lognormal':
      return 'a number ≥ 0';
    case 'qnormal':
      return `a multiple of ${d.q}`;
    case 'qlognormal':
      return `a multiple of ${d.q} ≥ 0`;
  }
};

const pointerTo = (pointer: string, name: string): string => `${pointer}/${escapePointer(name)}`;

/** The result of {@link toInternalParams}: the internal values, and every problem found by JSON pointer. */
export interface InternalParamsResult {
  /** The params as internal values (option indices for choices); to be used only when `issues` is empty. */
  readonly internal: ParamAssignment;
  /** Each problem with the params given, its pointer below the one given; empty when all are good. */
  readonly issues: readonly ConfigIssue[];
}

/**
 * The given choices that leave `param` out, said with their values (`` `model` = "tree" ``): for each of its
 * conditions, the parent when it was given, else what leaves the parent out in turn (trial 87: `gamma` was said
 * unused "with the values given for `kernel`" when `kernel` was not given and `model` = "tree" left both out).
 */
const decidedBy = (space: CompiledSpace, param: ParamNode, params: Readonly<Record<string, number>>): string => {
  const said = new Set<string>();
  const walk = (node: ParamNode): void => {
    for (const condition of node.conditions) {
      const index = params[condition.parent];
      const parent = space.byName.get(condition.parent);
      if (index !== undefined) {
        const options = parent?.optionValues;
        said.add(`\`${condition.parent}\` = ${JSON.stringify(options === undefined ? index : options[index])}`);
      } else if (parent !== undefined) walk(parent);
    }
  };
  walk(param);
  return [...said].join(', ');
};

/**
 * What an entry giving `param` without the choices above it lacks: every missing choice on its path at once,
 * with the option that uses it (`` the choices above `adam_lr` too: `model` = "mlp", `optimizer` = "adam" ``:
 * one level at a time cost a round trip per level). `decided` holds the choices the entry gives.
 */
const missingChoices = (space: CompiledSpace, param: ParamNode, decided: ParamAssignment): string => {
  const found = requiredChoices(space, [param.name], decided);
  // One parameter alone is always active under some options: `required` is there.
  const required = 'required' in found ? found.required : {};
  const missing = space.params.filter((node) => required[node.name] !== undefined && decided[node.name] === undefined);
  const said = missing.map((node) => {
    const index = required[node.name] as number;
    return `\`${node.name}\` = ${JSON.stringify(node.optionValues === undefined ? index : node.optionValues[index])}`;
  });
  // Under several options (the same definition in several branches), the path said is one of them.
  const or = [param, ...missing].some((node) => node.conditions.length > 1) ? ', or another option that uses it' : '';
  return said.length === 1
    ? `${said[0]} too (the choice that decides whether \`${param.name}\` is used${or})`
    : `the choices above \`${param.name}\` too: ${said.join(', ')} (they decide whether it is used${or})`;
};

/**
 * Maps params as a user writes them (an option's value for a choice) to internal values, checking them
 * against the space: unknown names, values out of a parameter's support, options that do not exist,
 * values for parameters their parent choice leaves inactive, and (unless `partial`) missing active ones.
 * With `partial` (an entry to run), an absent parameter is left for a suggester to sample, and so are the
 * parameters under it. Without it (a finished trial's row to import), NaN for an inactive parameter is no
 * value, as null is in both. Issues point below `pointer` (`/enqueue/0/lr`).
 */
export const toInternalParams = (
  space: CompiledSpace,
  external: unknown,
  pointer: string,
  options: { readonly partial?: boolean } = {},
): InternalParamsResult => {
  const issues: ConfigIssue[] = [];
  if (typeof external !== 'object' || external === null || Array.isArray(external)) {
    issues.push({ pointer, expected: 'an object of parameter values', found: describeValue(external) });
    return { internal: {}, issues };
  }
  const given = external as Record<string, unknown>;
  for (const name of Object.keys(given)) {
    if (!space.byName.has(name))
      issues.push({
        pointer: pointerTo(pointer, name),
        expected: `a parameter of the space (${space.params.map((param) => param.name).join(', ')})`,
        // With a did-you-mean (a misspelling, or the same letters in other code points: review 67); not for a
        // name of one or two letters, which is one edit from any other (`y` for `x`).
        found: `unknown parameter ${JSON.stringify(name)}${
          name.length < 3
            ? ''
            : didYouMean(
                name,
                space.params.map((param) => param.name),
              )
        }`,
      });
  }
  const params: Record<string, number> = {};
  const undecided = new Set<string>();
  // A finished trial's row (an import, `addTrials`), not an entry to run.
  const row = options.partial !== true;
  for (const param of space.params) {
    const value = given[param.name];
    const where = pointerTo(pointer, param.name);
    const unknownParent = param.conditions.find((condition) => undecided.has(condition.parent));
    if (
      unknownParent !== undefined &&
      param.conditions.every((condition) => params[condition.parent] !== condition.index)
    ) {
      undecided.add(param.name);
      // A whole row or entry already has the missing parent said (trial 87: "not used" beside "found none"),
      // and a parent given a value no option has is said as that (review 91).
      if (value !== undefined && value !== null && options.partial && !(unknownParent.parent in given))
        issues.push({ pointer: where, expected: missingChoices(space, param, params), found: 'none' });
      continue;
    }
    if (!isActive(param, params)) {
      // null is "no value" here, as exporters write an unused column (trial 87: pandas' to_json); so is NaN in a
      // row to import, pandas' and json.dumps' empty cell.
      if (value !== undefined && value !== null && !(row && Number.isNaN(value)))
        issues.push({
          pointer: where,
          // Trial 162: a run log fills every column (a default where the branch was not taken); said how to empty it.
          expected: `no value: \`${param.name}\` is not used with ${decidedBy(space, param, params)} (leave it out, or give null${row ? '; in a CSV file, an empty cell' : ''})`,
          found: describeValue(value),
        });
      continue;
    }
    if (value === undefined) {
      undecided.add(param.name);
      if (!options.partial) issues.push({ pointer: where, expected: describeSupport(param), found: MISSING_PARAM });
      continue;
    }
    if (param.optionValues !== undefined) {
      const index = param.optionValues.indexOf(value as ChoiceLiteral);
      // A text option written with other code points (NFD against NFC) gets the did-you-mean that says so
      // (trial 68: "expected one of "ü", found "ü"").
      const strings = param.optionValues.filter((option): option is string => typeof option === 'string');
      const alike = typeof value === 'string' ? sameTextHint(value, strings) : '';
      if (index < 0) {
        issues.push({ pointer: where, expected: describeSupport(param), found: `${describeValue(value)}${alike}` });
        // Which of its branches is meant is unknown: the parameters under it are left unjudged (review 91: they
        // were said unused "with" the choice above it).
        undecided.add(param.name);
      } else params[param.name] = index;
      continue;
    }
    const number = typeof value === 'number' ? atBound(param, value) : value;
    if (typeof number !== 'number' || !isInSupport(param.distribution, number))
      issues.push({ pointer: where, expected: describeSupport(param), found: describeValue(value) });
    // −0 as 0: a durable store writes JSON, which has no −0, so every store gives the objective the same value
    // (trial 82: an enqueued −0 reached it as −0 with the memory store only).
    else params[param.name] = onSamplersGrid(param, number) + 0;
  }
  return { internal: params, issues };
};
