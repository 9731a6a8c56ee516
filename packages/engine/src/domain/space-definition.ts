/**
 * The plain JSON form of a search space, as written in experiment configs. The typed builder in
 * `space-builder.ts` produces exactly these objects, so the two forms round-trip through JSON.
 *
 * Bounds are real values: `{ "type": "loguniform", "low": 1e-5, "high": 1 }` gives values in [1e-5, 1]
 * (hyperopt's `hp.loguniform` takes log-space bounds; see `hyperoptLoguniform` in the builder).
 * `randint` high is exclusive as in hyperopt; `{ "type": "randint", "high": 5 }` means 0..4.
 */

/** A value a choice can give the objective. */
export type ChoiceLiteral = string | number | boolean | null;

/** A choice option: a literal, or a value whose sub-space is active only when the option is chosen. */
export type ChoiceOptionDefinition =
  | ChoiceLiteral
  | { readonly value: ChoiceLiteral; readonly space?: SpaceDefinition };

/** A `pchoice` option: its probability `p`, its value and an optional sub-space. */
export interface WeightedOptionDefinition {
  readonly p: number;
  readonly value: ChoiceLiteral;
  readonly space?: SpaceDefinition;
}

/** One parameter of a space, as JSON: a distribution (`uniform`, `loguniform`, ...) or a choice. */
export type ParameterDefinition =
  | { readonly type: 'uniform'; readonly low: number; readonly high: number }
  | { readonly type: 'quniform'; readonly low: number; readonly high: number; readonly q: number }
  | { readonly type: 'loguniform'; readonly low: number; readonly high: number }
  | { readonly type: 'qloguniform'; readonly low: number; readonly high: number; readonly q: number }
  | { readonly type: 'normal'; readonly mu: number; readonly sigma: number }
  | { readonly type: 'qnormal'; readonly mu: number; readonly sigma: number; readonly q: number }
  | { readonly type: 'lognormal'; readonly mu: number; readonly sigma: number }
  | { readonly type: 'qlognormal'; readonly mu: number; readonly sigma: number; readonly q: number }
  | { readonly type: 'randint'; readonly low?: number; readonly high: number }
  | { readonly type: 'uniformint'; readonly low: number; readonly high: number }
  | { readonly type: 'choice'; readonly options: readonly ChoiceOptionDefinition[] }
  | { readonly type: 'pchoice'; readonly options: readonly WeightedOptionDefinition[] };

/** A parameter definition's `type`: `uniform`, `quniform`, ..., `choice`, `pchoice`. */
export type ParameterType = ParameterDefinition['type'];

/** Parameter name → definition. Names are global across nested sub-spaces, like hyperopt labels. */
export type SpaceDefinition = { readonly [name: string]: ParameterDefinition };

/** The fields each parameter type takes, with whether each is required. */
export const PARAMETER_FIELDS: Readonly<Record<ParameterType, Readonly<Record<string, boolean>>>> = {
  uniform: { low: true, high: true },
  quniform: { low: true, high: true, q: true },
  loguniform: { low: true, high: true },
  qloguniform: { low: true, high: true, q: true },
  normal: { mu: true, sigma: true },
  qnormal: { mu: true, sigma: true, q: true },
  lognormal: { mu: true, sigma: true },
  qlognormal: { mu: true, sigma: true, q: true },
  randint: { low: false, high: true },
  uniformint: { low: true, high: true },
  choice: { options: true },
  pchoice: { options: true },
};

/** The JSON types of a parameter's fields: integer bounds for the integer types, numbers otherwise. */
const numberFields = (type: ParameterType, fields: Readonly<Record<string, boolean>>): Record<string, unknown> => {
  const numeric = type === 'randint' || type === 'uniformint' ? 'integer' : 'number';
  return Object.fromEntries(
    Object.keys(fields).map((field) => [field, { type: field === 'options' ? 'array' : numeric }]),
  );
};

/**
 * `kinds` keyed by the field `key` as an editor checks them best: the field's value among `kinds`' names (an
 * `enum`, so a wrong one is said as "not one of" them, with the list), and for each name an `if`/`then` with the
 * rest of that kind's schema. A `oneOf` of objects each with its own `const` had editors say the first alternative's
 * value (trial 162: `"type": "randInt"` got `Value must be "uniform"`, `"use": "tpee"` `Value must be "random"`).
 */
export const keyedKinds = (
  key: string,
  kinds: readonly (readonly [name: string, schema: Record<string, unknown>])[],
  shared: Record<string, unknown> = {},
): Record<string, unknown> => ({
  type: 'object',
  required: [key],
  ...shared,
  properties: { [key]: { enum: kinds.map(([name]) => name) }, ...((shared.properties as object | undefined) ?? {}) },
  allOf: kinds.map(([name, schema]) => ({
    if: { properties: { [key]: { const: name } }, required: [key] },
    // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword, not a thenable.
    then: schema,
  })),
});

/**
 * JSON Schema (draft 2020-12 subset understood by ajv and editors) of a space. The engine checks spaces
 * with its own walker (`compileSpace`), which gives sharper messages; this schema is for editors.
 */
export const spaceJsonSchema = (): Record<string, unknown> => {
  // A list of types: ajv's strict mode logs it ("use allowUnionTypes"), but an `anyOf` of one type each had editors
  // say only the first to a value of none of them (`"value": {...}`, a hyperopt dict as an option: `Expected "string"`).
  const literal = { type: ['string', 'number', 'boolean', 'null'] };
  const parameterVariants = (Object.keys(PARAMETER_FIELDS) as ParameterType[]).map((type) => {
    const fields = PARAMETER_FIELDS[type];
    const properties: Record<string, unknown> = { type: { const: type }, ...numberFields(type, fields) };
    if (type === 'choice') {
      properties.options = {
        type: 'array',
        minItems: 1,
        items: {
          anyOf: [
            literal,
            {
              type: 'object',
              required: ['value'],
              additionalProperties: false,
              properties: { value: literal, space: { $ref: '#/$defs/space' } },
            },
          ],
        },
      };
    }
    if (type === 'pchoice') {
      properties.options = {
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          required: ['p', 'value'],
          additionalProperties: false,
          properties: {
            p: { type: 'number', minimum: 0, maximum: 1 },
            value: literal,
            space: { $ref: '#/$defs/space' },
          },
        },
      };
    }
    return [
      type,
      {
        additionalProperties: false,
        required: Object.entries(fields)
          .filter(([, required]) => required)
          .map(([field]) => field),
        properties,
      },
    ] as const;
  });
  return {
    $defs: {
      space: { type: 'object', additionalProperties: { $ref: '#/$defs/parameter' } },
      parameter: keyedKinds('type', parameterVariants),
    },
    $ref: '#/$defs/space',
  };
};
