import type { ErrorObject, ValidateFunction } from 'ajv';
import { boundWords, rangeWords, type SchemaNode, schemaExpectation, typeWords } from '../api-options.js';
import { countOf } from '../builtins/words.js';
import { type ConfigIssue, describeValue, didYouMeanField, didYouMeanValue } from '../errors.js';
import { Ajv } from '../vendor/ajv.js';
import { STUDY_NAME_PATTERN, STUDY_NAME_WORDS } from './experiment-schema.js';

/**
 * An ajv instance: all errors, defaults filled in, unknown keywords ignored. Compiling is what a process
 * pays for (each schema checks a handful of configs), so two of ajv's costs are left out: the optimiser
 * of its generated code, and checking each schema against JSON Schema's meta-schema first (compiling that
 * meta-schema alone takes about 45 ms). A malformed schema is still refused: compiling it throws on a
 * keyword whose value has the wrong type (`minimum: "3"`, `required: "x"`, `type: "strng"`), which the
 * caller reports as the plugin's fault. Together: 119 → 48 ms for the base and TPE schemas.
 */
export const createAjv = (): Ajv =>
  new Ajv({
    allErrors: true,
    useDefaults: true,
    verbose: true,
    strict: false,
    code: { optimize: false },
    validateSchema: false,
  });

/** Patterns said in words (trial 162: a study name with a space was told a regular expression). */
const PATTERN_WORDS: Readonly<Record<string, string>> = {
  [STUDY_NAME_PATTERN]: STUDY_NAME_WORDS,
};

/** ajv's comparisons, as the API's checks write them. */
const COMPARISONS: Readonly<Record<string, string>> = { '>=': '≥', '<=': '≤', '>': '>', '<': '<' };

/** The fields an object schema lists, but a former name it still reads (`deprecated`: TPE's `compat`). */
const currentFields = (schema: unknown): string[] =>
  Object.entries((schema as { properties?: Record<string, { deprecated?: unknown }> } | undefined)?.properties ?? {})
    .filter(([, property]) => property?.deprecated !== true)
    .map(([key]) => key);

const expectation = (error: ErrorObject): string => {
  const params = error.params as Record<string, unknown>;
  const parent = error.parentSchema as SchemaNode | undefined;
  switch (error.keyword) {
    case 'type': {
      const range = parent === undefined ? '' : rangeWords(parent);
      return `${typeWords(params.type)}${range === '' ? '' : ` ${range}`}`;
    }
    case 'enum':
      return `one of ${(params.allowedValues as unknown[]).map((value) => JSON.stringify(value)).join(', ')}`;
    case 'const':
      return `exactly ${JSON.stringify(params.allowedValue)}`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return boundWords(
        parent ?? {},
        `${COMPARISONS[String(params.comparison)] ?? String(params.comparison)} ${String(params.limit)}`,
      );
    case 'multipleOf':
      return `a multiple of ${String(params.multipleOf)}`;
    case 'minItems':
      return `at least ${countOf(Number(params.limit), 'item')}`;
    case 'maxItems':
      return `at most ${countOf(Number(params.limit), 'item')}`;
    case 'uniqueItems':
      return 'distinct items';
    case 'minLength':
      // As the API's checks say it (review 138: "a string of at least 1 character" beside "a non-empty string").
      return Number(params.limit) === 1
        ? 'a non-empty string'
        : `a string of at least ${countOf(Number(params.limit), 'character')}`;
    case 'maxLength':
      return `a string of at most ${countOf(Number(params.limit), 'character')}`;
    case 'minProperties':
      return `at least ${countOf(Number(params.limit), 'field')}`;
    case 'maxProperties':
      return `at most ${countOf(Number(params.limit), 'field')}`;
    case 'pattern':
      return PATTERN_WORDS[String(params.pattern)] ?? `a string matching ${String(params.pattern)}`;
    case 'additionalProperties': {
      const known = currentFields(error.parentSchema);
      return known.length > 0 ? `only the fields ${known.join(', ')}` : 'no other fields';
    }
    case 'required':
      return 'a value (required)';
    default:
      return error.message ?? error.keyword;
  }
};

/** A `not` schema that only requires fields (and names them, for strict mode): they must not all be given. */
const isBothOf = (schema: unknown): schema is { required: string[] } =>
  typeof schema === 'object' &&
  schema !== null &&
  Object.keys(schema).every((key) => key === 'required' || key === 'properties') &&
  Object.values((schema as { properties?: object }).properties ?? {}).every((property) => property === true) &&
  Array.isArray((schema as { required?: unknown }).required) &&
  (schema as { required: unknown[] }).required.length > 1;

/** The issue of one plain (non-combining) ajv error, under `prefix`. */
const plainIssue = (error: ErrorObject, prefix: string): ConfigIssue => {
  const params = error.params as Record<string, unknown>;
  let pointer = `${prefix}${error.instancePath}`;
  let found = describeValue(error.data);
  if (error.keyword === 'required') {
    pointer = `${pointer}/${String(params.missingProperty)}`;
    found = 'nothing';
  } else if (error.keyword === 'additionalProperties') {
    pointer = `${pointer}/${String(params.additionalProperty)}`;
    const known = currentFields(error.parentSchema);
    const name = String(params.additionalProperty);
    // The value given, which a hint may show back converted (`"timeoutMs": 2500` is `"timeoutSeconds": 2.5`).
    const value = (error.data as Readonly<Record<string, unknown>> | undefined)?.[name];
    found = `an unknown field \`${name}\`${didYouMeanField(name, known, { value, in: 'config', at: pointer })}`;
  } else if (error.keyword === 'not' && isBothOf(error.schema)) {
    // Fields that must not be given together (`{ "not": { "required": [a, b] } }`, TPE's `profile` and its former
    // name `compat`): pointed at the last, naming each, with the reason the schema gives (its `description`).
    const names = error.schema.required;
    const why = (error.parentSchema as { description?: unknown } | undefined)?.description;
    return {
      pointer: `${pointer}/${names.at(-1)}`,
      expected: `only one of ${listed(names.map((name) => `${pointer}/${name}`))}${typeof why === 'string' ? ` (${why})` : ''}`,
      found: names.length === 2 ? 'both' : 'all of them',
    };
  } else if (
    (error.keyword === 'maxItems' || error.keyword === 'minItems') &&
    Array.isArray(error.data) &&
    error.data.length > 20
  ) {
    // The count, not the list (trial 62: 200,000 enqueued entries were printed).
    found = `${error.data.length.toLocaleString('en')} item${error.data.length === 1 ? '' : 's'}`;
  } else if (error.keyword === 'enum' && typeof error.data === 'string') {
    // A word from another tool (`categorical`) or a misspelt one (`unifrom`): the value meant (trial 40).
    const allowed = ((params.allowedValues as unknown[] | undefined) ?? []).filter((v) => typeof v === 'string');
    found += didYouMeanValue(error.data, allowed);
  } else if (error.keyword === 'type' && params.type === 'array' && typeof error.data === 'string') {
    // `"command": "python3 train.py --lr {lr}"` (trial 40): a list is meant, one item per word.
    const words = error.data.split(/\s+/u).filter((word) => word.length > 0);
    const argv = error.instancePath.endsWith('/command');
    if (words.length > 1)
      found += ` (a list is expected, one item ${argv ? 'per argument' : 'each'}: ${JSON.stringify(words)})`;
  }
  return { pointer, expected: expectation(error), found };
};

/**
 * One ajv error on its way to an issue. `issue` is undefined once the error is folded into another (a
 * branch of an `anyOf` said as one line) or dropped (a combining keyword whose inner errors say more);
 * `pending` while a combining keyword's error is not yet folded.
 */
interface Entry {
  readonly error: ErrorObject;
  issue: ConfigIssue | undefined;
  pending: boolean;
}

/** The keywords whose own ajv message only says that some inner schema failed. */
const COMBINING = new Set(['anyOf', 'oneOf', 'if']);

/** `a`, `a and b`, `a, b and c`. */
const listed = (words: readonly string[]): string =>
  words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;

const isUnder = (pointer: string, base: string): boolean => pointer === base || pointer.startsWith(`${base}/`);

/** Each branch's `required` names, when every branch of an `anyOf`/`oneOf` is only `{ required: [...] }`. */
const requiredSets = (branches: readonly unknown[]): string[][] | undefined => {
  const sets: string[][] = [];
  for (const branch of branches) {
    if (typeof branch !== 'object' || branch === null) return undefined;
    const { required, ...rest } = branch as Record<string, unknown>;
    if (!Array.isArray(required) || required.length === 0 || Object.keys(rest).length > 0) return undefined;
    sets.push(required.map(String));
  }
  return sets.length > 0 ? sets : undefined;
};

/**
 * A failed `anyOf`/`oneOf` as one issue at its own pointer, said from its branches' schemas, when every
 * branch failed on the value itself (none got as far as a field inside it): `at least one of lower and
 * upper` for branches that each require fields, else each branch's expectation (`exactly "auto", or a
 * value of type integer ≥ 1`), as the API's checks say it. Undefined when a branch cannot be put in words.
 */
const alternativesIssue = (
  error: ErrorObject,
  branchErrors: readonly Entry[],
  prefix: string,
): ConfigIssue | undefined => {
  const branches = error.schema;
  if (!Array.isArray(branches)) return undefined;
  if (branchErrors.some((entry) => entry.error.instancePath !== error.instancePath)) return undefined;
  const pointer = `${prefix}${error.instancePath}`;
  const sets = requiredSets(branches);
  if (sets !== undefined) {
    const named = sets.map((set) => listed(set));
    return {
      pointer,
      expected: sets.every((set) => set.length === 1)
        ? `at least one of ${listed(named)}`
        : `the fields ${named.join(', or the fields ')}`,
      found: sets.length === 2 ? 'neither' : 'none of them',
    };
  }
  const said: string[] = [];
  for (const branch of branches) {
    if (typeof branch !== 'object' || branch === null) return undefined;
    const expected = schemaExpectation(branch as SchemaNode, error.data);
    if (expected === undefined) return undefined;
    said.push(expected);
  }
  // A misspelt word among the branches' words (trial 62: `"constantLiar": "wrost"` got no did-you-mean).
  const words = branches.flatMap((branch) => {
    const { enum: values, const: value } = branch as { enum?: unknown; const?: unknown };
    return [...(Array.isArray(values) ? values : []), ...(value === undefined ? [] : [value])].filter(
      (word): word is string => typeof word === 'string',
    );
  });
  const hint =
    typeof error.data === 'string' && words.length > 0
      ? didYouMeanValue(error.data, words)
      : typeof error.data === 'boolean'
        ? booleanHint(pointer, error.data, words)
        : '';
  return { pointer, expected: said.join(', or '), found: `${describeValue(error.data)}${hint}` };
};

/**
 * Another tool's boolean for a field whose values are words here, by the field's name: Optuna's
 * `constant_liar=True` is `"worst"` (trial 124: `"constantLiar": true` got the allowed values alone).
 */
const BOOLEAN_WORDS: Readonly<
  Record<string, { readonly value: boolean; readonly word: string; readonly note: string }>
> = {
  constantLiar: { value: true, word: 'worst', note: "Optuna's constant_liar=True" },
};

/** The hint for a boolean where a word is expected, when {@link BOOLEAN_WORDS} knows the field; else ''. */
const booleanHint = (pointer: string, value: boolean, words: readonly string[]): string => {
  const known = BOOLEAN_WORDS[pointer.slice(pointer.lastIndexOf('/') + 1)];
  return known !== undefined && known.value === value && words.includes(known.word)
    ? ` (${known.note} is \`"${known.word}"\` here)`
    : '';
};

/** `kernel is "hyperopt"` for an `if` of consts only (and `required`), else undefined. */
const conditionWords = (schema: unknown): string | undefined => {
  if (typeof schema !== 'object' || schema === null) return undefined;
  const { properties, required, ...rest } = schema as Record<string, unknown>;
  if (Object.keys(rest).length > 0 || typeof properties !== 'object' || properties === null) return undefined;
  const parts: string[] = [];
  for (const [key, property] of Object.entries(properties)) {
    if (typeof property !== 'object' || property === null || Object.keys(property).length !== 1) return undefined;
    // An `enum` too (review 130: a second univariate TPE family would have turned the kernel rule into one, and the
    // message would have lost its condition).
    const { const: value, enum: values } = property as { const?: unknown; enum?: unknown };
    if ('const' in property) parts.push(`${key} is ${JSON.stringify(value)}`);
    else if (Array.isArray(values) && values.length > 0)
      parts.push(
        values.length === 1
          ? `${key} is ${JSON.stringify(values[0])}`
          : `${key} is one of ${values.map((one) => JSON.stringify(one)).join(', ')}`,
      );
    else return undefined;
  }
  if (required !== undefined && !Array.isArray(required)) return undefined;
  return parts.length > 0 ? parts.join(' and ') : undefined;
};

/** The condition of a failed `if` whose `then` failed, in words; undefined for a failed `else`. */
const thenCondition = (error: ErrorObject): string | undefined =>
  error.params.failingKeyword === 'then' ? conditionWords(error.schema) : undefined;

const depthOf = (pointer: string): number => pointer.split('/').length;

/**
 * Marks the inner errors of a failed `if` (its `then`/`else`) about a field beside the condition's with
 * it, and with the `description` of the clause (`{ if, then, description }`) when it has one: why, and what
 * to write instead. One that another error already says without the condition (`type` both ways) is dropped.
 */
const sayCondition = (error: ErrorObject, inner: readonly Entry[], outer: readonly Entry[], prefix: string): void => {
  const why = (error.parentSchema as { description?: unknown } | undefined)?.description;
  const found = thenCondition(error);
  const condition = found === undefined || typeof why !== 'string' ? found : `${found} (${why})`;
  const conditionKeys = condition === undefined ? [] : Object.keys((error.schema as { properties: object }).properties);
  const depth = depthOf(`${prefix}${error.instancePath}`) + 1;
  for (const entry of inner) {
    const issue = entry.issue;
    if (issue === undefined) continue;
    const said = (other: Entry) => other.issue?.pointer === issue.pointer && other.issue.expected === issue.expected;
    const beside = depthOf(issue.pointer) === depth && !conditionKeys.includes(issue.pointer.split('/').at(-1) ?? '');
    if (outer.some(said)) entry.issue = undefined;
    else if (condition !== undefined && beside)
      entry.issue = { ...issue, expected: `${issue.expected} when ${condition}` };
  }
};

/** What a combining keyword's error says alone (no inner errors, none at or under its pointer). */
const aloneIssue = (error: ErrorObject, prefix: string): ConfigIssue => {
  const pointer = `${prefix}${error.instancePath}`;
  const found = describeValue(error.data);
  if (error.keyword === 'if') {
    const condition = thenCondition(error);
    return {
      pointer,
      expected: `a value allowed ${condition === undefined ? 'by its conditions' : `when ${condition}`}`,
      found,
    };
  }
  const forms = Array.isArray(error.schema) ? `its ${countOf(error.schema.length, 'form')}` : 'its forms';
  return (
    alternativesIssue(error, [], prefix) ?? {
      pointer,
      expected: error.keyword === 'oneOf' ? `a value of exactly one of ${forms}` : `a value of one of ${forms}`,
      found,
    }
  );
};

/** A value's JSON type: `array`, `null`, `object`, `string`, `number`, `boolean`. */
const jsonType = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

/** Whether an error refused only the value's type: a `type` error, or an enum or const of other types' values. */
const refusedType = (error: ErrorObject): boolean => {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'type') return true;
  const allowed =
    error.keyword === 'enum' ? params.allowedValues : error.keyword === 'const' ? [params.allowedValue] : undefined;
  return Array.isArray(allowed) && !allowed.some((value) => jsonType(value) === jsonType(error.data));
};

/**
 * A branch of an `anyOf`/`oneOf` (`entry`, at `base`) that is a `$ref` reports its errors at the referenced
 * schema's path, outside the branches. One at the value that refused only its type (the meta-schema's type
 * names for `["nmber", "string"]`, an array) is dropped when another branch took the value and says what to fix
 * in it (`/type/0`: `"nmber"`, did you mean `number`?; or "at least 1 item" for `[]`).
 */
const dropTypeRefusalsByReference = (entry: Entry, entries: readonly Entry[], base: string): void => {
  const { instancePath } = entry.error;
  const parent = base.slice(0, base.lastIndexOf('/'));
  const live = entries.filter((other) => other !== entry && other.issue !== undefined && !other.pending);
  // The schemas its branches refer to, by their fragments: an error elsewhere (a `$ref` beside the `anyOf`, another
  // rule of the value) is not one of its branches and stays.
  const referred = (Array.isArray(entry.error.schema) ? entry.error.schema : []).flatMap((branch: unknown) => {
    const ref = (branch as { $ref?: unknown } | null)?.$ref;
    return typeof ref === 'string' && ref.includes('#') ? [ref.slice(ref.indexOf('#'))] : [];
  });
  const fragment = (path: string) => path.slice(Math.max(0, path.indexOf('#')));
  const byReference = (other: Entry) =>
    !other.error.schemaPath.startsWith(`${parent}/`) &&
    referred.some((ref) => fragment(other.error.schemaPath).startsWith(`${ref}/`));
  const refusals = live.filter(
    (other) => byReference(other) && other.error.instancePath === instancePath && refusedType(other.error),
  );
  if (refusals.length === 0) return;
  const saysMore = live.some(
    (other) =>
      !refusals.includes(other) &&
      (other.error.schemaPath.startsWith(`${base}/`) || byReference(other)) &&
      isUnder(other.error.instancePath, instancePath) &&
      !(other.error.instancePath === instancePath && refusedType(other.error)),
  );
  if (saysMore) for (const other of refusals) other.issue = undefined;
};

/**
 * Folds ajv's combining errors into what a user can act on, innermost first:
 * - `anyOf`/`oneOf`: one line from the branches (see {@link alternativesIssue}); or, when some branch got
 *   inside the value, that branch's own errors (the deepest ones);
 * - `if` (its `then` or `else` failed): the inner errors at their own pointers; one about a field beside
 *   the condition's says the condition (`exactly "independent" when kernel is "hyperopt"`);
 * - any of them is dropped when other errors at or under its pointer say more.
 */
const foldCombining = (entries: readonly Entry[], prefix: string): void => {
  const combining = entries
    .filter((entry) => entry.pending)
    .sort((a, b) => b.error.schemaPath.length - a.error.schemaPath.length);
  for (const entry of combining) {
    const { error } = entry;
    entry.pending = false;
    const base = error.keyword === 'if' ? error.schemaPath.slice(0, -'/if'.length) : error.schemaPath;
    if (error.keyword !== 'if') dropTypeRefusalsByReference(entry, entries, base);
    const live = entries.filter((other) => other !== entry && other.issue !== undefined && !other.pending);
    const starts = error.keyword === 'if' ? [`${base}/then/`, `${base}/else/`] : [`${base}/`];
    const inner = live.filter((other) => starts.some((start) => other.error.schemaPath.startsWith(start)));
    entry.issue = undefined;
    if (inner.length > 0 && error.keyword === 'if') {
      sayCondition(
        error,
        inner,
        live.filter((other) => !inner.includes(other)),
        prefix,
      );
    } else if (inner.length > 0) {
      const severalPass = error.keyword === 'oneOf' && error.params.passingSchemas != null;
      const folded = severalPass ? undefined : alternativesIssue(error, inner, prefix);
      if (folded !== undefined) {
        for (const other of inner) other.issue = undefined;
        entry.issue = folded;
      } else {
        // The branches that took the value's type (else all), and of those the ones that got deepest
        // inside it: their errors say what to fix there.
        const branchOf = (other: Entry) => other.error.schemaPath.slice(base.length + 1).split('/')[0];
        const wrongType = new Set(
          inner
            .filter((other) => other.error.keyword === 'type' && other.error.instancePath === error.instancePath)
            .map(branchOf),
        );
        const fitting = inner.filter((other) => !wrongType.has(branchOf(other)));
        // A branch that is a `$ref` reports its errors at the referenced schema's path, outside the branches: one
        // at this value (the meta-schema's `type` enum: `"nmber"`, did you mean `number`?) says what the branches
        // that only refused the value's type (`expected an array`) do not, which are then noise.
        const parent = base.slice(0, base.lastIndexOf('/'));
        const byReference = live.some(
          (other) =>
            !inner.includes(other) &&
            other.error.instancePath === error.instancePath &&
            !other.error.schemaPath.startsWith(`${parent}/`),
        );
        if (fitting.length === 0 && byReference) {
          for (const other of inner) other.issue = undefined;
          continue;
        }
        const candidates = fitting.length > 0 ? fitting : inner;
        const deepest = Math.max(...candidates.map((other) => depthOf(other.error.instancePath)));
        const kept = new Set(candidates.filter((other) => depthOf(other.error.instancePath) === deepest).map(branchOf));
        for (const other of inner) if (!kept.has(branchOf(other))) other.issue = undefined;
      }
    } else {
      const pointer = `${prefix}${error.instancePath}`;
      if (!live.some((other) => isUnder(other.issue?.pointer ?? '', pointer))) entry.issue = aloneIssue(error, prefix);
    }
  }
};

/** The keywords of a number's bounds, which a `type` error's words already name. */
const BOUNDS = new Set(['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum']);

/**
 * Whether another issue at the same place already says what this one does (trial 167: 0.5 for an integer ≥ 1 was
 * said as "an integer ≥ 1 and ≤ 1000000000" and again as "an integer ≥ 1"; "" as "a non-empty string" and as
 * a name starting with a letter or digit): a bound beside the `type` error that names the bounds, a non-empty
 * string beside the pattern the empty string fails.
 */
const saidByAnother = (error: ErrorObject, issue: ConfigIssue, entries: readonly Entry[]): boolean => {
  const beside = (keyword: string) =>
    entries.some(
      (other) =>
        other.error.keyword === keyword &&
        other.issue?.pointer === issue.pointer &&
        other.error.instancePath === error.instancePath &&
        other.error.schemaPath.replace(/\/[^/]*$/, '') === error.schemaPath.replace(/\/[^/]*$/, ''),
    );
  if (BOUNDS.has(error.keyword)) return beside('type');
  if (error.keyword === 'minLength' && Number((error.params as { limit?: unknown }).limit) === 1)
    return beside('pattern');
  return false;
};

/**
 * Turns ajv errors into issues with JSON pointers under `prefix`, one per mistake: the errors of
 * `anyOf`, `oneOf` and `if`/`then` are folded (see {@link foldCombining}). Duplicates are dropped.
 */
export const ajvIssues = (errors: readonly ErrorObject[] | null | undefined, prefix = ''): ConfigIssue[] => {
  const entries: Entry[] = (errors ?? []).map((error) => ({
    error,
    issue: plainIssue(error, prefix),
    pending: COMBINING.has(error.keyword),
  }));
  foldCombining(entries, prefix);
  const seen = new Set<string>();
  const issues: ConfigIssue[] = [];
  for (const { error, issue } of entries) {
    if (issue === undefined || saidByAnother(error, issue, entries)) continue;
    const key = JSON.stringify(issue);
    if (!seen.has(key)) {
      seen.add(key);
      issues.push(issue);
    }
  }
  return issues;
};

/**
 * What makes an options schema describe something other than an object (`{ type: 'string' }`), as an issue at
 * `/optionsSchema/type`: a config's options are an object (`{}` when it gives none), so no config could satisfy it.
 */
export const notObjectIssues = (schema: object): ConfigIssue[] => {
  const type = (schema as { readonly type?: unknown }).type;
  return type === undefined || type === 'object' || (Array.isArray(type) && type.includes('object'))
    ? []
    : [{ pointer: '/optionsSchema/type', expected: '"object"', found: describeValue(type) }];
};

/**
 * The defaults of an options schema that the schema itself refuses (`{ type: 'number', default: '0.5' }`),
 * as issues at `/optionsSchema/properties/NAME/default`: options that leave such an option out would
 * otherwise fail at `/options/NAME`, a name the config never wrote. Checks the top-level
 * properties' defaults, by validating empty options with the defaults filled in.
 */
export const defaultIssues = (validate: ValidateFunction): ConfigIssue[] => {
  const probe: Record<string, unknown> = {};
  if (validate(probe)) return [];
  const filled = new Set(Object.keys(probe));
  const refused = (validate.errors ?? []).filter((error) => {
    const key = error.instancePath.split('/')[1]?.replaceAll('~1', '/').replaceAll('~0', '~');
    return key !== undefined && filled.has(key);
  });
  return ajvIssues(refused, '').map((issue) => {
    const [, key = '', ...rest] = issue.pointer.split('/');
    return {
      ...issue,
      pointer: `/optionsSchema/properties/${key}/default${rest.length > 0 ? `/${rest.join('/')}` : ''}`,
    };
  });
};

/** Validates `data` (defaults are filled in place) and returns its issues. */
export const validateWith = (validate: ValidateFunction, data: unknown, prefix = ''): ConfigIssue[] =>
  validate(data) ? [] : ajvIssues(validate.errors, prefix);
