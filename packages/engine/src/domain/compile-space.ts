import { shownNumber } from '../builtins/words.js';
import {
  type ConfigIssue,
  describeValue,
  didYouMean,
  didYouMeanValue,
  escapePointer,
  invalidSpace,
} from '../errors.js';
import { canonicalJson, sameSpace } from './canonical-json.js';
import type { Distribution } from './distribution.js';
import {
  type ChoiceLiteral,
  PARAMETER_FIELDS,
  type ParameterDefinition,
  type ParameterType,
  type SpaceDefinition,
} from './space-definition.js';

/** A parameter is active when any one of its conditions holds (and its parent is itself active). */
export interface ActivationCondition {
  /** The name of the choice whose option activates the parameter. */
  readonly parent: string;
  /** The index of that option among the choice's options. */
  readonly index: number;
}

/** One parameter of a compiled space. */
export interface ParamNode {
  /** The parameter's name, unique across the space and its sub-spaces. */
  readonly name: string;
  /** What a suggester samples: the definition's kind and bounds (a choice is `categorical`). */
  readonly distribution: Distribution;
  /** The parameter's definition as the space writes it. */
  readonly definition: ParameterDefinition;
  /** Empty for top-level parameters. Otherwise active when some listed parent option is chosen. */
  readonly conditions: readonly ActivationCondition[];
  /** The values a categorical parameter gives the objective, by option index. */
  readonly optionValues?: readonly ChoiceLiteral[];
}

/** Where two JSON values first differ, as a JSON pointer below them ('' when they differ at the top). */
const firstDifference = (a: unknown, b: unknown): string => {
  if (
    typeof a === 'object' &&
    a !== null &&
    typeof b === 'object' &&
    b !== null &&
    Array.isArray(a) === Array.isArray(b)
  ) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    for (const key of keys) {
      const left = (a as Record<string, unknown>)[key];
      const right = (b as Record<string, unknown>)[key];
      if (canonicalJson(left) !== canonicalJson(right)) return `/${escapePointer(key)}${firstDifference(left, right)}`;
    }
  }
  return '';
};

/** The value at a pointer below `value` (`/low`), as JSON; `nothing` where there is none. */
const valueAt = (value: unknown, pointer: string): string => {
  const found = pointer
    .split('/')
    .slice(1)
    .reduce<unknown>(
      (node, part) =>
        isRecord(node) || Array.isArray(node)
          ? (node as Record<string, unknown>)[part.replaceAll('~1', '/').replaceAll('~0', '~')]
          : undefined,
      value,
    );
  return found === undefined ? 'nothing' : canonicalJson(found);
};

/**
 * Names of their own for a name two branches define apart, after each branch's option (`lr_adam`, `lr_sgd`; trial
 * 162: the way out was unsaid): `name_value` for an option value that is a word, else after the choice and option.
 */
const ownNames = (
  name: string,
  earlier: ActivationCondition | undefined,
  here: ActivationCondition,
  walk: Walk,
): string => {
  const suffix = ({ parent, index }: ActivationCondition): string => {
    const value = walk.byName.get(parent)?.optionValues?.[index];
    return (typeof value === 'string' || typeof value === 'number') && /^[A-Za-z0-9_.-]+$/.test(String(value))
      ? String(value)
      : `${parent}${index}`;
  };
  const mine = `${name}_${suffix(here)}`;
  const theirs = earlier === undefined ? undefined : `${name}_${suffix(earlier)}`;
  return theirs === undefined || theirs === mine
    ? `\`${mine}\` here, say`
    : `\`${theirs}\` there and \`${mine}\` here, say`;
};

/**
 * A validated, flattened space. `params` is in evaluation order: a choice comes before the parameters of
 * its sub-spaces, so walking it in order decides every parent before its children.
 */
export interface CompiledSpace {
  /** The space as given to `compileSpace` (the config's `space`). */
  readonly definition: SpaceDefinition;
  /** Every parameter, sub-spaces' too, in evaluation order (a choice before its sub-spaces' parameters). */
  readonly params: readonly ParamNode[];
  /** The same parameters by name. */
  readonly byName: ReadonlyMap<string, ParamNode>;
}

const PARAMETER_TYPES = Object.keys(PARAMETER_FIELDS) as ParameterType[];

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isLiteral = (value: unknown): value is ChoiceLiteral =>
  value === null ||
  typeof value === 'string' ||
  typeof value === 'boolean' ||
  (typeof value === 'number' && Number.isFinite(value));

interface Walk {
  readonly issues: ConfigIssue[];
  readonly params: ParamNode[];
  readonly byName: Map<string, ParamNode>;
  readonly pointers: Map<string, string>;
  /** A stored study's space: the precision rules a new space must meet are not applied (see compileSpace). */
  readonly stored: boolean;
}

/**
 * Validates a JSON space and flattens it. Throws a `SPACE_INVALID` {@link ParzenError} listing every
 * problem with its JSON pointer (prefixed by `pointerPrefix`, e.g. `/space` in a config).
 */
export const compileSpace = (
  definition: unknown,
  pointerPrefix = '',
  /**
   * `stored`: the space a study was stored with, read to decode its trials (`parzen trials`, `best`,
   * `report`, a resume). The rules that keep a new space within what a number holds exactly (integer
   * bounds, quantized steps within 2^53) are left out, so a study made before them stays readable.
   */
  options: { readonly stored?: boolean } = {},
): CompiledSpace => {
  const walk: Walk = {
    issues: [],
    params: [],
    byName: new Map(),
    pointers: new Map(),
    stored: options.stored === true,
  };
  if (!isRecord(definition)) {
    throw invalidSpace([
      { pointer: pointerPrefix, expected: 'an object of parameters', found: describeValue(definition) },
    ]);
  }
  if (Object.keys(definition).length === 0) {
    walk.issues.push({ pointer: pointerPrefix, expected: 'at least one parameter', found: 'an empty space' });
  }
  walkSpace(definition, pointerPrefix, undefined, walk);
  if (walk.issues.length > 0) throw invalidSpace(walk.issues);
  return { definition: definition as SpaceDefinition, params: walk.params, byName: walk.byName };
};

const walkSpace = (
  space: Record<string, unknown>,
  pointer: string,
  condition: ActivationCondition | undefined,
  walk: Walk,
): void => {
  for (const [name, raw] of Object.entries(space)) {
    const here = `${pointer}/${escapePointer(name)}`;
    if (name.length === 0) walk.issues.push({ pointer: here, expected: 'a non-empty parameter name', found: '""' });
    if (Object.hasOwn(Object.prototype, name)) {
      walk.issues.push({
        pointer: here,
        expected:
          'a parameter name that is not reserved (names of Object.prototype members, such as constructor or __proto__, are)',
        found: `the reserved name \`${name}\``,
      });
      continue;
    }
    const checked = checkParameter(raw, here, walk.issues, walk.stored);
    if (checked === undefined) continue;
    addParam(name, checked, here, condition, walk);
  }
};

const addParam = (
  name: string,
  checked: CheckedParameter,
  pointer: string,
  condition: ActivationCondition | undefined,
  walk: Walk,
): void => {
  const existing = walk.byName.get(name);
  if (existing !== undefined) {
    // Compared as canonical JSON: the order of a definition's keys is no difference (review 100).
    const sameDefinition = canonicalJson(existing.definition) === canonicalJson(checked.definition);
    if (!sameDefinition || condition === undefined || existing.conditions.length === 0) {
      const earlier = walk.pointers.get(name);
      // What is wrong, said (trial 95: the same words for a top-level name used again and for two definitions
      // that differed deep inside, without saying where).
      const global = condition === undefined || existing.conditions.length === 0;
      const differs = global || sameDefinition ? undefined : firstDifference(existing.definition, checked.definition);
      walk.issues.push(
        global
          ? {
              pointer,
              expected: `a name not used elsewhere: \`${name}\` at ${earlier} ${existing.conditions.length === 0 ? 'is always active' : 'is in a branch'}, and a name is one parameter across the space (only branches may share one, with the same definition)`,
              found: `\`${name}\` again`,
            }
          : {
              pointer: `${pointer}${differs ?? ''}`,
              expected: `the same definition as \`${name}\` at ${earlier} (branches that share a name share one parameter)`,
              found: `${
                differs === undefined || differs === ''
                  ? 'another definition'
                  : `${valueAt(checked.definition, differs)}, where ${earlier}${differs} has ${valueAt(existing.definition, differs)}`
              }; for a parameter of its own in each branch, name them apart (${ownNames(name, existing.conditions[0], condition, walk)})`,
            },
      );
      return;
    }
    const merged: ParamNode = { ...existing, conditions: [...existing.conditions, condition] };
    walk.byName.set(name, merged);
    const at = walk.params.indexOf(existing);
    walk.params[at] = merged;
    // The walk decides a parameter where it stands in `params`, so it must come after every parent. Under
    // a parent placed after it (another choice than the first one's), it moves to the end, with the
    // parameters of its own sub-spaces, which follow it as one block.
    if (walk.params.findIndex((param) => param.name === condition.parent) > at) {
      const block = new Set([name]);
      let end = at + 1;
      while (end < walk.params.length && walk.params[end]?.conditions.some((c) => block.has(c.parent))) {
        block.add((walk.params[end] as ParamNode).name);
        end++;
      }
      walk.params.push(...walk.params.splice(at, end - at));
    }
    return;
  }
  const node: ParamNode = {
    name,
    distribution: checked.distribution,
    definition: checked.definition,
    conditions: condition === undefined ? [] : [condition],
    ...(checked.optionValues === undefined ? {} : { optionValues: checked.optionValues }),
  };
  walk.params.push(node);
  walk.byName.set(name, node);
  walk.pointers.set(name, pointer);
  checked.subSpaces.forEach((subSpace, index) => {
    if (subSpace !== undefined) walkSpace(subSpace, `${pointer}/options/${index}/space`, { parent: name, index }, walk);
  });
};

interface CheckedParameter {
  readonly definition: ParameterDefinition;
  readonly distribution: Distribution;
  readonly optionValues?: readonly ChoiceLiteral[];
  readonly subSpaces: readonly (Record<string, unknown> | undefined)[];
}

/**
 * Why a parameter has no `type`, from its other fields: a field holding a type's name (`"kind": "uniform"`, the
 * word other tools use) is named as the one meant; else the fields it has, so the message shows what was read.
 */
const missingTypeHint = (raw: Readonly<Record<string, unknown>>): string => {
  const keys = Object.keys(raw).filter((key) => key !== 'type' && raw[key] !== undefined);
  // A type's name in any case, or any string under the words other tools use (`kind: "float"`, review 95).
  const named = keys.find(
    (key) =>
      typeof raw[key] === 'string' &&
      (PARAMETER_TYPES.includes((raw[key] as string).toLowerCase() as ParameterType) ||
        ['kind', 'dist', 'distribution'].includes(key)),
  );
  if (named !== undefined) return ` (\`${named}\` is ${JSON.stringify(raw[named])}: did you mean \`type\`?)`;
  return keys.length === 0 ? '' : ` (its fields: ${keys.map((key) => `\`${key}\``).join(', ')})`;
};

/**
 * A hint for hyperopt's label given as a first argument (`uniform('x', -2, 2)`, `choice('m', [...])` in code):
 * the label is the parameter's key here. `value` is what the kind's first field got; empty for anything but a
 * string that is no number.
 */
const labelHint = (type: string, value: unknown, pointer: string): string => {
  if (typeof value !== 'string' || value.trim() === '' || Number.isFinite(Number(value))) return '';
  const key = (pointer.slice(pointer.lastIndexOf('/') + 1) || value).replaceAll('~1', '/').replaceAll('~0', '~');
  const name = /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
  const args = type === 'choice' || type === 'pchoice' ? '[...]' : '...';
  return ` (hyperopt's label, its first argument? Here a parameter's name is its key in the space: hp.${type}(${JSON.stringify(value)}, ${args}) is \`${name}: ${type}(${args})\`)`;
};

const checkParameter = (
  raw: unknown,
  pointer: string,
  issues: ConfigIssue[],
  stored = false,
): CheckedParameter | undefined => {
  if (!isRecord(raw)) {
    issues.push({ pointer, expected: 'a parameter object with a "type"', found: describeValue(raw) });
    return undefined;
  }
  const type = raw.type;
  if (typeof type !== 'string' || !PARAMETER_TYPES.includes(type as ParameterType)) {
    issues.push({
      pointer: `${pointer}/type`,
      expected: `one of ${PARAMETER_TYPES.join(', ')}`,
      found: `${describeValue(type)}${
        // Trial 43: Optuna's `float` with `log: true` is our loguniform, not uniform.
        type === 'float' && raw.log === true
          ? " (did you mean `loguniform`? Optuna's float with log=True)"
          : typeof type === 'string'
            ? didYouMeanValue(type, PARAMETER_TYPES)
            : type === undefined
              ? missingTypeHint(raw)
              : ''
      }`,
    });
    return undefined;
  }
  const fields = PARAMETER_FIELDS[type as ParameterType];
  const before = issues.length;
  for (const key of Object.keys(raw)) {
    if (key !== 'type' && !(key in fields)) {
      issues.push({
        pointer: `${pointer}/${escapePointer(key)}`,
        expected: `only the fields type, ${Object.keys(fields).join(', ')} for "${type}"`,
        found: `an unknown field \`${key}\`${
          // Trial 43: Optuna's `log: true` read as a misspelt `low`.
          key === 'log'
            ? ' (Optuna\'s log=True is a type here: "loguniform", or "qloguniform" with a step q)'
            : // Optuna's `choices` and hyperopt's `options` list (trial 62: no word for `choices`; trial 162: `values`).
              (key === 'choices' || key === 'values') && 'options' in fields
              ? ' (did you mean `options`?)'
              : // Trial 162: a step on a kind without one; its quantized kind has it.
                key === 'q' && `q${type}` in PARAMETER_FIELDS
                ? ` (a quantized ${type} is its own type: "q${type}")`
                : // A starting value (Ray Tune's and W&B's habit): a space has none, the study's queue does.
                  key === 'default' || key === 'initial' || key === 'init'
                  ? ' (a parameter has no default: to try a value first, enqueue it, `"enqueue": [{ "NAME": VALUE, ... }]` in a config or `study.enqueue({...})` in code; the other parameters of an entry may be left out and are sampled)'
                  : didYouMean(key, ['type', ...Object.keys(fields)])
        }`,
      });
    }
  }
  // The kind's first field, where hyperopt's label lands in a call written as hyperopt's.
  const first = Object.keys(fields)[0];
  for (const [field, required] of Object.entries(fields)) {
    if (field === 'options') continue;
    const value = raw[field];
    if (value === undefined) {
      if (required)
        issues.push({ pointer: `${pointer}/${field}`, expected: `a number (required by "${type}")`, found: 'nothing' });
    } else if (typeof value !== 'number' || !Number.isFinite(value)) {
      issues.push({
        pointer: `${pointer}/${field}`,
        expected: 'a finite number',
        found: `${describeValue(value)}${field === first ? labelHint(type, value, pointer) : ''}`,
      });
    }
  }
  if (issues.length > before) return undefined;
  if (type === 'choice' || type === 'pchoice') return checkChoice(raw, type, pointer, issues);
  const distribution = numericDistribution(raw as ParameterDefinition, pointer, issues, stored);
  return distribution === undefined
    ? undefined
    : { definition: raw as ParameterDefinition, distribution, subSpaces: [] };
};

/** The narrowest range of a `uniform` or `quniform`: TPE's kernels are a small fraction of it, and must not underflow. */
const MIN_RANGE = 1e-300;

/** The log of the largest number: e to a larger power overflows to Infinity. */
const MAX_LOG = Math.log(Number.MAX_VALUE);

/** The most steps of q a quantized value may be from 0: past 2^53 − 1, value / q is no exact integer. */
const MAX_STEPS = Number.MAX_SAFE_INTEGER;
const SAFE_INTEGER = `an integer from −${Number.MAX_SAFE_INTEGER} to ${Number.MAX_SAFE_INTEGER} (past 2^53 − 1 a number cannot hold every integer)`;
const tooFineQ = (reach: number): string =>
  `a q of at least ${(reach / MAX_STEPS).toPrecision(3)} (the values reach ${reach.toPrecision(3)}, and value / q must stay an integer a number holds exactly, at most 2^53 − 1)`;

const numericDistribution = (
  definition: ParameterDefinition,
  pointer: string,
  issues: ConfigIssue[],
  stored: boolean,
): Distribution | undefined => {
  const fail = (field: string, expected: string, found: unknown): undefined => {
    issues.push({ pointer: `${pointer}/${field}`, expected, found: describeValue(found) });
    return undefined;
  };
  switch (definition.type) {
    case 'uniform':
    case 'quniform':
    case 'loguniform':
    case 'qloguniform': {
      const { low, high } = definition;
      if (!(high > low)) return fail('high', `a number greater than low (${low})`, high);
      // A width past the largest number makes every draw infinite (trial 37: valid, then the run failed).
      if ((definition.type === 'uniform' || definition.type === 'quniform') && !Number.isFinite(high - low))
        return fail(
          'high',
          `a number within ${Number.MAX_VALUE.toPrecision(3)} of low (${low}): high − low overflows`,
          high,
        );
      // A width near the smallest numbers underflows TPE's kernel widths to 0 (trial 76: uniform(0, 5e-324)
      // passed, then TPE failed with "Invalid typed array length: Infinity").
      if (!stored && (definition.type === 'uniform' || definition.type === 'quniform') && high - low < MIN_RANGE)
        return fail(
          'high',
          `a number at least ${MIN_RANGE} above low (${low}): a narrower range underflows (scale the parameter up in the space, and back down in the objective)`,
          high,
        );
      if ((definition.type === 'loguniform' || definition.type === 'qloguniform') && !(low > 0)) {
        // A negative low reads as hyperopt's log bound (`loguniform(Math.log(1e-4), Math.log(0.1))`
        // was not pointed at hyperoptLoguniform, as a qloguniform's step is at hyperoptQloguniform).
        const converter =
          definition.type === 'loguniform'
            ? 'hyperoptLoguniform(logLow, logHigh)'
            : 'hyperoptQloguniform(logLow, logHigh, q)';
        return fail(
          'low',
          low < 0
            ? `a number greater than 0 (bounds are real values, not logs: hyperopt's hp.${definition.type} takes logs, and e^${shownNumber(low)} is ${shownNumber(Math.exp(low))}; in code, ${converter} converts them)`
            : 'a number greater than 0 (bounds are real values, not logs)',
          low,
        );
      }
      if ('q' in definition && !(definition.q > 0)) return fail('q', 'a number greater than 0', definition.q);
      // A step past the range leaves at most two grid points, maybe outside the bounds (trial 55: hyperopt's
      // qloguniform(log 10, log 500, 10) ported as is gave n_estimators 0 or 10, without a word).
      // With a margin for the range's rounding (review 57: 0.3 − 0.1 is 0.19999999999999998, below a q of 0.2).
      if (!stored && 'q' in definition && definition.q > (high - low) * (1 + 1e-9))
        return fail(
          'q',
          `a step no larger than the range (high − low = ${shownNumber(high - low)}): a larger one leaves at most two values, maybe outside the bounds` +
            (definition.type === 'qloguniform'
              ? "; low and high are the values themselves, not their logs as in hyperopt's hp.qloguniform (in code, hyperoptQloguniform takes logs)"
              : ''),
          definition.q,
        );
      // Trial 52: a q too small for the bounds (0 to 1e300 by 1e-300) drew Infinity mid-run.
      if (!stored && 'q' in definition && !(Math.max(Math.abs(low), Math.abs(high)) / definition.q <= MAX_STEPS))
        return fail('q', tooFineQ(Math.max(Math.abs(low), Math.abs(high))), definition.q);
      return { ...definition, kind: definition.type } as unknown as Distribution;
    }
    case 'normal':
    case 'qnormal':
    case 'lognormal':
    case 'qlognormal': {
      if (!(definition.sigma > 0)) return fail('sigma', 'a number greater than 0', definition.sigma);
      if ('q' in definition && !(definition.q > 0)) return fail('q', 'a number greater than 0', definition.q);
      // e^(mu + 10 sigma) past the largest number: draws (and TPE's kernels) overflow to Infinity (trial 37).
      const logScale = definition.type === 'lognormal' || definition.type === 'qlognormal';
      if (
        !Number.isFinite(definition.mu + 10 * definition.sigma) ||
        (logScale && definition.mu + 10 * definition.sigma > MAX_LOG)
      )
        return fail(
          'sigma',
          logScale
            ? `mu + 10·sigma at most ${MAX_LOG.toFixed(1)} (the log of the largest number), so draws do not overflow`
            : 'a value whose draws stay finite (mu + 10·sigma within the largest number)',
          definition.sigma,
        );
      // The draws one sigma out (mu + sigma, or e to it) divided by q must still be an integer a double holds
      // (trial 52: qnormal with mu 1e300 and q 0.1 drew NaN after its start-up trials). Not the far tails: a
      // qlognormal with sigma 4 and q 1 reaches e^40 only ten sigmas out, and ran fine (review 54: refused).
      // One sigma out, not ten (review 55: with the centre alone, sigma 1e200 by q 1e-200 passed).
      if (!stored && 'q' in definition) {
        const centre = logScale
          ? Math.exp(definition.mu + definition.sigma)
          : Math.abs(definition.mu) + definition.sigma;
        if (!(centre / definition.q <= MAX_STEPS)) return fail('q', tooFineQ(centre), definition.q);
      }
      // A prior too narrow for doubles: TPE models mu ± 3·sigma (e to them for the log kinds) as the range, and
      // its kernel widths are a fraction of it (trial 91: sigma 5e-324 failed with "Invalid typed array length",
      // a lognormal's sigma 1e-20 gave e^(mu ± 3·sigma) equal, and NaN suggestions).
      if (!stored) {
        const low = definition.mu - 3 * definition.sigma;
        const high = definition.mu + 3 * definition.sigma;
        // The log kinds are modelled in logs of the values: what is left of their width after the round trip.
        // e^(mu − 3·sigma) that underflows to 0 has no log (review 95: mu −745 passed as an infinite width).
        if (logScale && !(Math.exp(low) > 0))
          return fail(
            'mu',
            `a mu whose e^(mu − 3·sigma) is above 0 (mu − 3·sigma at least about −745; TPE models a ${definition.type} between e^(mu ± 3·sigma)): scale the parameter up in the space, and back down in the objective`,
            definition.mu,
          );
        const width = logScale ? Math.log(Math.exp(high)) - Math.log(Math.exp(low)) : high - low;
        if (!(width >= MIN_RANGE))
          return fail(
            'sigma',
            logScale
              ? `a sigma for which e^(mu − 3·sigma) and e^(mu + 3·sigma) are distinct numbers (TPE models a ${definition.type} between them; this narrow, it is the constant e^mu)`
              : `a sigma for which mu − 3·sigma and mu + 3·sigma are at least ${MIN_RANGE} apart as numbers (TPE models a ${definition.type} between them${
                  // Review 95: at mu 1e17, mu ± 3 round back to mu; nothing underflows, and scaling cannot help.
                  Math.abs(definition.mu) > 1e6 * definition.sigma
                    ? `; at mu ${definition.mu} they round to the same number: centre the parameter near 0 in the space (subtract mu), and add it back in the objective`
                    : '; a narrower prior underflows: scale the parameter up in the space, and back down in the objective'
                })`,
            definition.sigma,
          );
      }
      return { ...definition, kind: definition.type } as unknown as Distribution;
    }
    case 'randint':
    case 'uniformint': {
      const low = definition.low ?? 0;
      // Past 2^53 − 1 a double cannot hold every integer (trial 52: draws that were no integers of the range,
      // refused mid-run as SUGGESTER_OUT_OF_SPACE).
      if (!Number.isInteger(low)) return fail('low', 'an integer', low);
      if (!Number.isInteger(definition.high)) return fail('high', 'an integer', definition.high);
      if (!stored && !Number.isSafeInteger(low)) return fail('low', SAFE_INTEGER, low);
      if (!stored && !Number.isSafeInteger(definition.high)) return fail('high', SAFE_INTEGER, definition.high);
      const ok = definition.type === 'randint' ? definition.high > low : definition.high >= low;
      if (!ok)
        return fail(
          'high',
          definition.type === 'randint'
            ? `an integer greater than low (${low}); randint's high is exclusive`
            : `an integer at least low (${low}); uniformint's high is inclusive`,
          definition.high,
        );
      return { kind: definition.type, low, high: definition.high };
    }
    default:
      return undefined;
  }
};

/**
 * For an option object without `value` written as hyperopt's nested choice (`{"type": "mlp", "layers": {...}}`):
 * the form it takes here, its one plain field as the value and its parameters as the space. Empty otherwise.
 */
const nestedOptionHint = (option: Readonly<Record<string, unknown>>): string => {
  const plain = Object.keys(option).filter((key) => isLiteral(option[key]));
  const params = Object.keys(option).filter((key) => isRecord(option[key]));
  if (plain.length !== 1 || params.length === 0) return '';
  const space = params.map((key) => `${JSON.stringify(key)}: {...}`).join(', ');
  return ` (hyperopt's nested option? here it is { "value": ${JSON.stringify(option[plain[0] as string])}, "space": { ${space} } })`;
};

const checkChoice = (
  raw: Record<string, unknown>,
  type: 'choice' | 'pchoice',
  pointer: string,
  issues: ConfigIssue[],
): CheckedParameter | undefined => {
  const options = raw.options;
  if (!Array.isArray(options) || options.length === 0) {
    issues.push({
      pointer: `${pointer}/options`,
      expected: 'a non-empty array of options',
      found: `${describeValue(options)}${labelHint(type, options, pointer)}`,
    });
    return undefined;
  }
  const before = issues.length;
  const values: ChoiceLiteral[] = [];
  const subSpaces: (Record<string, unknown> | undefined)[] = [];
  const probabilities: number[] = [];
  options.forEach((option: unknown, index) => {
    const here = `${pointer}/options/${index}`;
    if (type === 'choice' && isLiteral(option)) {
      values.push(option);
      subSpaces.push(undefined);
      return;
    }
    if (!isRecord(option)) {
      const expected =
        type === 'choice' ? 'a string, number, boolean, null or { "value", "space" }' : '{ "p", "value", "space"? }';
      issues.push({ pointer: here, expected, found: describeValue(option) });
      return;
    }
    // An option object: what is wrong is its `value` (trial 86: "expected ... or { value, space }, found
    // {"value":{...}}" contradicted itself).
    if (!isLiteral(option.value)) {
      issues.push(
        option.value === undefined
          ? {
              pointer: here,
              expected: `an option with a \`value\`: ${type === 'pchoice' ? '{ "p": P, "value": V, "space": {...} }' : '{ "value": V, "space": {...} }'}, its branch's parameters in \`space\` (in code, \`option(V, {...})\`)`,
              found: `${describeValue(option)}, without \`value\`${nestedOptionHint(option)}`,
            }
          : {
              pointer: `${here}/value`,
              expected: 'a string, number, boolean or null',
              found: describeValue(option.value),
            },
      );
      return;
    }
    const allowed = type === 'choice' ? ['value', 'space'] : ['p', 'value', 'space'];
    for (const key of Object.keys(option)) {
      if (!allowed.includes(key))
        issues.push({
          pointer: `${here}/${escapePointer(key)}`,
          expected: `only ${allowed.join(', ')}`,
          found: `an unknown field \`${key}\`${
            // Trial 162: a branch's parameters written beside its value, not in its `space`.
            isRecord(option[key]) && 'type' in (option[key] as Record<string, unknown>)
              ? ` (a branch's parameters go in the option's \`space\`: { "value": ${JSON.stringify(option.value)}, "space": { ${JSON.stringify(key)}: {...} } })`
              : didYouMean(key, allowed)
          }`,
        });
    }
    if (type === 'pchoice') {
      const p = option.p;
      if (typeof p !== 'number' || !(p >= 0 && p <= 1))
        issues.push({ pointer: `${here}/p`, expected: 'a probability in [0, 1]', found: describeValue(p) });
      else probabilities.push(p);
    }
    if (option.space !== undefined && !isRecord(option.space)) {
      issues.push({
        pointer: `${here}/space`,
        expected: 'an object of parameters',
        found: describeValue(option.space),
      });
    }
    values.push(option.value);
    subSpaces.push(isRecord(option.space) ? option.space : undefined);
  });
  // Which option repeats which (trial 95: the list was cut before a repeat at option 1999 of 2000).
  const firstAt = new Map<string, number>();
  let repeats = 0;
  values.forEach((value, index) => {
    const key = JSON.stringify(value);
    const earlier = firstAt.get(key);
    if (earlier === undefined) firstAt.set(key, index);
    // The first five named, the rest counted (review 99: 2,000 repeats were 2,000 lines).
    else if (++repeats <= 5)
      issues.push({
        pointer: `${pointer}/options/${index}`,
        expected: 'distinct option values',
        found: `${describeValue(value)}, the value of option ${earlier} too${Object.is(value, -0) || Object.is(values[earlier], -0) ? ' (0 and -0 are one value)' : ''}`,
      });
  });
  if (repeats > 5)
    issues.push({
      pointer: `${pointer}/options`,
      expected: 'distinct option values',
      found: `${repeats - 5} more options that repeat an earlier one`,
    });
  if (type === 'pchoice' && probabilities.length === options.length) {
    const total = probabilities.reduce((sum, p) => sum + p, 0);
    if (Math.abs(total - 1) > 1e-6)
      issues.push({
        pointer: `${pointer}/options`,
        expected: 'probabilities p that sum to 1',
        found: `a sum of ${total}`,
      });
  }
  if (issues.length > before) return undefined;
  const distribution: Distribution =
    type === 'pchoice'
      ? { kind: 'categorical', size: options.length, probabilities }
      : { kind: 'categorical', size: options.length };
  return { definition: raw as ParameterDefinition, distribution, optionValues: values, subSpaces };
};

/**
 * The space in the order its study was created with: a resumed study whose config lists the same parameters in another
 * order (a tool that sorts keys) is the same study, and draws in the stored order, so its trials are those it would
 * have had (drawn in the new order, every trial after the resume would differ, unsaid).
 */
export const inStudyOrder = (space: CompiledSpace, stored: SpaceDefinition): CompiledSpace =>
  JSON.stringify(stored) === JSON.stringify(space.definition) || !sameSpace(stored, space.definition)
    ? space
    : compileSpace(stored, '', { stored: true });
