/**
 * JSON with every object's keys sorted (arrays keep their order), so two values that differ only in
 * key order give the same text. Spaces are compared this way: `{ "x": ..., "y": ... }` and
 * `{ "y": ..., "x": ... }` are one space, while reordered choice options are not (indices are stored).
 */
export const canonicalJson = (value: unknown): string =>
  JSON.stringify(value, (_key, inner: unknown) =>
    typeof inner === 'object' && inner !== null && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );

/**
 * One spelling of a search space (JSON of it), for comparing two: a choice option written
 * `{ "value": v }` or with an empty `space` is the literal `v`, an empty `space` of a `pchoice` option is
 * left out, a `randint` without `low` has `low: 0`, and a bound, step, mean or spread that is a fraction
 * counts to 12 significant digits, in nested spaces too. Anything else (including
 * the order of choice options, which trials store by index) stays as written.
 */
export const canonicalSpace = (space: unknown): unknown => {
  if (typeof space !== 'object' || space === null || Array.isArray(space)) return space;
  return Object.fromEntries(Object.entries(space).map(([name, definition]) => [name, canonicalParameter(definition)]));
};

/** A plain object with no key (`{}`). */
export const isEmptyObject = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;

const canonicalOption = (option: unknown, weighted: boolean): unknown => {
  if (typeof option !== 'object' || option === null || Array.isArray(option)) return option;
  const { space, ...rest } = option as { space?: unknown; [key: string]: unknown };
  if (space === undefined || isEmptyObject(space)) {
    const keys = Object.keys(rest);
    if (!weighted && keys.length === 1 && keys[0] === 'value') return rest.value;
    return rest;
  }
  return { ...rest, space: canonicalSpace(space) };
};

/**
 * A distribution's number as two spellings of one study compare it: a fraction to 12 significant digits
 * (trial 55: `hyperoptLoguniform(Math.log(10), Math.log(500))` stored `low` 10.000000000000002 and `high`
 * 499.99999999999983, and the config's 10 and 500 were "a different search space"); integers exactly.
 */
const comparedNumber = (value: unknown): unknown =>
  typeof value === 'number' && Number.isFinite(value) && !Number.isInteger(value)
    ? Number(value.toPrecision(12))
    : value;

const NUMERIC_FIELDS = ['low', 'high', 'q', 'mu', 'sigma'] as const;

const canonicalParameter = (raw: unknown): unknown => {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  const definition = { ...(raw as Record<string, unknown>) };
  for (const field of NUMERIC_FIELDS)
    if (definition[field] !== undefined) definition[field] = comparedNumber(definition[field]);
  const fields = definition as { type?: unknown; low?: unknown; options?: unknown };
  if (fields.type === 'randint' && fields.low === undefined) return { ...fields, low: 0 };
  if ((fields.type === 'choice' || fields.type === 'pchoice') && Array.isArray(fields.options))
    return { ...fields, options: fields.options.map((option) => canonicalOption(option, fields.type === 'pchoice')) };
  return definition;
};

/** Whether two search spaces are the same space however they are written (see {@link canonicalSpace}). */
export const sameSpace = (a: unknown, b: unknown): boolean =>
  canonicalJson(canonicalSpace(a)) === canonicalJson(canonicalSpace(b));
