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
  | {
      /** The value the objective gets when this option is chosen. */
      readonly value: ChoiceLiteral;
      /** The parameters active only when this option is chosen; absent: none. */
      readonly space?: SpaceDefinition;
    };

/** A `pchoice` option: its probability `p`, its value and an optional sub-space. */
export interface WeightedOptionDefinition {
  /** The option's probability, in [0, 1]; the options' probabilities sum to 1. */
  readonly p: number;
  /** The value the objective gets when this option is chosen. */
  readonly value: ChoiceLiteral;
  /** The parameters active only when this option is chosen; absent: none. */
  readonly space?: SpaceDefinition;
}

/** One parameter of a space, as JSON: a distribution (`uniform`, `loguniform`, ...) or a choice. */
export type ParameterDefinition =
  | {
      /** A real value, uniform over [low, high]. */
      readonly type: 'uniform';
      /** The lower bound, included. */
      readonly low: number;
      /** The upper bound, included. */
      readonly high: number;
    }
  | {
      /** A real value, uniform over [low, high], rounded onto multiples of `q` (up to q/2 outside the range). */
      readonly type: 'quniform';
      /** The lower bound, included. */
      readonly low: number;
      /** The upper bound, included. */
      readonly high: number;
      /** The step: values are rounded (half to even) onto its multiples. */
      readonly q: number;
    }
  | {
      /** A positive real value whose log is uniform over [log low, log high]. */
      readonly type: 'loguniform';
      /** The lower bound, included: a real value > 0, not its log. */
      readonly low: number;
      /** The upper bound, included: a real value, not its log. */
      readonly high: number;
    }
  | {
      /** A log-uniform value rounded onto multiples of `q`. */
      readonly type: 'qloguniform';
      /** The lower bound, included: a real value > 0, not its log. */
      readonly low: number;
      /** The upper bound, included: a real value, not its log. */
      readonly high: number;
      /** The step: values are rounded (half to even) onto its multiples. */
      readonly q: number;
    }
  | {
      /** A real value from a normal distribution (unbounded). */
      readonly type: 'normal';
      /** The mean. */
      readonly mu: number;
      /** The standard deviation (> 0). */
      readonly sigma: number;
    }
  | {
      /** A normal value rounded onto multiples of `q`. */
      readonly type: 'qnormal';
      /** The mean. */
      readonly mu: number;
      /** The standard deviation (> 0). */
      readonly sigma: number;
      /** The step: values are rounded (half to even) onto its multiples. */
      readonly q: number;
    }
  | {
      /** `exp` of a normal value (values > 0). */
      readonly type: 'lognormal';
      /** The mean of the log. */
      readonly mu: number;
      /** The standard deviation of the log (> 0). */
      readonly sigma: number;
    }
  | {
      /** A log-normal value rounded onto multiples of `q`. */
      readonly type: 'qlognormal';
      /** The mean of the log. */
      readonly mu: number;
      /** The standard deviation of the log (> 0). */
      readonly sigma: number;
      /** The step: values are rounded (half to even) onto its multiples. */
      readonly q: number;
    }
  | {
      /** An integer in [low, high): high is exclusive, as in hyperopt. */
      readonly type: 'randint';
      /** The lowest integer, included; default 0. */
      readonly low?: number;
      /** The bound above, excluded (high 5: up to 4). */
      readonly high: number;
    }
  | {
      /** An integer in [low, high], both ends included (the ends get half the mass of the others). */
      readonly type: 'uniformint';
      /** The lowest integer, included. */
      readonly low: number;
      /** The highest integer, included. */
      readonly high: number;
    }
  | {
      /** One of the options, each as likely; the objective gets the option's value, never an index. */
      readonly type: 'choice';
      /** The options: plain values, or values with a sub-space. */
      readonly options: readonly ChoiceOptionDefinition[];
    }
  | {
      /** One of the options, each drawn with its probability `p`. */
      readonly type: 'pchoice';
      /** The options, each with its probability. */
      readonly options: readonly WeightedOptionDefinition[];
    };

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

/**
 * What each parameter kind draws, for editors (the schema's descriptions, shown on hover) and the config
 * reference, which is generated from the schema.
 */
const PARAMETER_DESCRIPTIONS: Readonly<Record<ParameterType, string>> = {
  uniform: 'A real value, uniform over [low, high].',
  quniform:
    'A real value, uniform over [low, high], rounded (half to even) onto multiples of q, as hyperopt rounds: a rounded value may lie up to q/2 outside the range (it can be 0 when 0 < low < q/2; `parzen validate` and a run note such values).',
  loguniform:
    'A positive real value whose log is uniform. The bounds are real values, not logs: low 1e-5, high 1 gives values in [1e-5, 1] (hyperopt’s hp.loguniform takes log bounds).',
  qloguniform:
    'loguniform (bounds are real values, not logs), rounded (half to even) onto multiples of q, as hyperopt rounds: a rounded value may lie up to q/2 outside the range, and can be 0 when low < q/2 (low 16, q 100 can give 0; `parzen validate` and a run note such values). A step larger than the range is refused: q 1 over [0.001, 0.01].',
  normal: 'A real value from a normal distribution of mean mu and standard deviation sigma (unbounded).',
  qnormal: 'normal (mean mu, standard deviation sigma), rounded (half to even) onto multiples of q.',
  lognormal:
    'exp of a normal value: mu and sigma are the mean and standard deviation of the log, as in hyperopt (values > 0).',
  qlognormal: 'lognormal (mu and sigma of the log), rounded (half to even) onto multiples of q.',
  randint:
    'An integer in [low, high): high is exclusive, as in hyperopt (high 5 gives 0 to 4); low defaults to 0. For both ends included, uniformint.',
  uniformint:
    'An integer in [low, high], both ends included (as hyperopt’s uniformint, the two ends get half the mass of the others).',
  choice:
    'One of the options, each as likely: a plain value (string, number, boolean or null), or { "value": V, "space": {...} }, whose sub-space is active only when that option is chosen. The objective gets the value, never an index.',
  pchoice:
    'A choice with probabilities: each option is { "p": P, "value": V } (with a "space" of its own, maybe); the p sum to 1.',
};

/** What a parameter's field means, by kind where it differs (randint's exclusive high). */
const fieldDescription = (type: ParameterType, field: string): string | undefined => {
  if (field === 'q') return 'The step: values are rounded (half to even) onto multiples of q.';
  if (field === 'mu') return type.includes('log') ? 'The mean of the log.' : 'The mean.';
  if (field === 'sigma')
    return type.includes('log') ? 'The standard deviation of the log (> 0).' : 'The standard deviation (> 0).';
  if (type === 'randint')
    return field === 'low'
      ? 'The lowest integer, included; default 0.'
      : 'The bound above, excluded (high 5: up to 4).';
  if (field === 'low')
    return type.includes('log')
      ? 'The lower bound, included: a real value > 0, not its log.'
      : 'The lower bound, included.';
  if (field === 'high')
    return type.includes('log')
      ? 'The upper bound, included: a real value, not its log.'
      : 'The upper bound, included.';
  return undefined;
};

/** The JSON types of a parameter's fields: integer bounds for the integer types, numbers otherwise. */
const numberFields = (type: ParameterType, fields: Readonly<Record<string, boolean>>): Record<string, unknown> => {
  const numeric = type === 'randint' || type === 'uniformint' ? 'integer' : 'number';
  return Object.fromEntries(
    Object.keys(fields).map((field) => {
      const description = fieldDescription(type, field);
      return [
        field,
        { type: field === 'options' ? 'array' : numeric, ...(description === undefined ? {} : { description }) },
      ];
    }),
  );
};

// A user's trial: with a `oneOf` of objects each with its own `const`, `"type": "randInt"` got `Value must be
// "uniform"` in an editor, and `"use": "tpee"` `Value must be "random"`.
/**
 * `kinds` keyed by the field `key` as an editor checks them best: the field's value among `kinds`' names (an
 * `enum`, so a wrong one is said as "not one of" them, with the list), and for each name an `if`/`then` with the
 * rest of that kind's schema. A `oneOf` of objects each with its own `const` had editors say the first alternative's
 * value.
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
    const description = PARAMETER_DESCRIPTIONS[type];
    const properties: Record<string, unknown> = { type: { const: type, description }, ...numberFields(type, fields) };
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
        description,
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
