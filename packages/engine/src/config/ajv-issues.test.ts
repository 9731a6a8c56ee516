import { describe, expect, it } from 'vitest';
import type { ConfigIssue } from '../errors.js';
import { ajvIssues, createAjv, validateWith } from './ajv-issues.js';

const issuesOf = (schema: object, data: unknown, prefix = '/pruner/options'): ConfigIssue[] =>
  validateWith(createAjv().compile(schema), structuredClone(data), prefix);

/** ajv's own words for its combining keywords, which no issue may repeat. */
const JARGON = /must match|anyOf|oneOf|"then"|"else"|schema/;

const minResource = { anyOf: [{ const: 'auto' }, { type: 'integer', minimum: 1 }] };

describe('ajvIssues: one line per mistake, without ajv jargon', () => {
  // Trial 167: one mistake was said twice, by the type and by the bound, or by minLength and the pattern.
  it('a value that fails a type naming its bounds, or a pattern the empty string fails: one line', () => {
    const count = { type: 'object', properties: { n: { type: 'integer', minimum: 1, maximum: 9 } } };
    expect(issuesOf(count, { n: 0.5 }, '')).toEqual([
      { pointer: '/n', expected: 'an integer ≥ 1 and ≤ 9', found: '0.5' },
    ]);
    expect(issuesOf(count, { n: 0 }, '')).toEqual([{ pointer: '/n', expected: 'an integer ≥ 1', found: '0' }]);
    const name = { type: 'object', properties: { s: { type: 'string', minLength: 1, pattern: '^[a-z]+$' } } };
    expect(issuesOf(name, { s: '' }, '')).toEqual([
      { pointer: '/s', expected: 'a string matching ^[a-z]+$', found: '""' },
    ]);
  });

  it("a branch that is a $ref said at the value: the branches that only refused the value's type are left out", () => {
    // The meta-schema's `type`: a simple type by $ref, or an array of them; `"nmber"` was said twice, once as "an array".
    const schema = {
      $defs: { simple: { enum: ['number', 'string'] } },
      type: 'object',
      properties: {
        type: { anyOf: [{ $ref: '#/$defs/simple' }, { type: 'array', items: { $ref: '#/$defs/simple' } }] },
      },
    };
    expect(issuesOf(schema, { type: 'nmber' }, '/optionsSchema')).toEqual([
      {
        pointer: '/optionsSchema/type',
        expected: 'one of "number", "string"',
        found: '"nmber" (did you mean `number`?)',
      },
    ]);
  });

  it('a misspelt name in an array of types is said once, at the item (not also as the array refused)', () => {
    const schema = {
      $defs: { simple: { enum: ['array', 'number', 'string'] } },
      type: 'object',
      properties: {
        type: {
          anyOf: [{ $ref: '#/$defs/simple' }, { type: 'array', items: { $ref: '#/$defs/simple' }, minItems: 1 }],
        },
      },
    };
    expect(issuesOf(schema, { type: ['nmber', 'string'] }, '/optionsSchema')).toEqual([
      {
        pointer: '/optionsSchema/type/0',
        expected: 'one of "array", "number", "string"',
        found: '"nmber" (did you mean `number`?)',
      },
    ]);
    expect(issuesOf(schema, { type: [] }, '/optionsSchema')).toEqual([
      { pointer: '/optionsSchema/type', expected: 'at least 1 item', found: '[]' },
    ]);
    // JSON Schema's own meta-schema, as a plugin's options schema is checked.
    const ajv = createAjv();
    expect(ajv.validateSchema({ type: 'object', properties: { a: { type: ['number', 'strng'] } } })).toBe(false);
    expect(ajvIssues(ajv.errors, '/optionsSchema')).toEqual([
      {
        pointer: '/optionsSchema/properties/a/type/1',
        expected: 'one of "array", "boolean", "integer", "null", "number", "object", "string"',
        found: '"strng" (did you mean `string`?)',
      },
    ]);
  });

  it('keeps a type refusal of a $ref outside the anyOf, at the same value', () => {
    // A shared definition (an integer) and, beside it, an anyOf of ranges: 0.5 is no integer and in neither range.
    // Only the anyOf's own $ref branches refused the value's type in its place; this $ref is another rule.
    const schema = {
      $defs: { count: { type: 'integer' } },
      type: 'object',
      properties: {
        step: { allOf: [{ $ref: '#/$defs/count' }, { anyOf: [{ minimum: 1 }, { maximum: -1 }] }] },
      },
    };
    expect(issuesOf(schema, { step: 0.5 }).map((issue) => issue.expected)).toContain('an integer');
  });

  it('an anyOf of required fields: at least one of them, found neither', () => {
    const schema = {
      type: 'object',
      anyOf: [{ required: ['lower'] }, { required: ['upper'] }],
      properties: { lower: { type: 'number' }, upper: { type: 'number' }, warmupSteps: { type: 'integer' } },
    };
    expect(issuesOf(schema, { warmupSteps: 0 })).toEqual([
      { pointer: '/pruner/options', expected: 'at least one of lower and upper', found: 'neither' },
    ]);
    const three = { type: 'object', anyOf: [{ required: ['a'] }, { required: ['b'] }, { required: ['c'] }] };
    expect(issuesOf(three, {}, '')).toEqual([
      { pointer: '', expected: 'at least one of a, b and c', found: 'none of them' },
    ]);
  });

  it('a value fitting no branch of an anyOf: one line saying each branch, as the API checks say it', () => {
    const schema = { type: 'object', properties: { minResource } };
    expect(issuesOf(schema, { minResource: 'autp' })).toEqual([
      {
        pointer: '/pruner/options/minResource',
        expected: 'exactly "auto", or an integer ≥ 1',
        found: '"autp" (did you mean `auto`?)',
      },
    ]);
    expect(issuesOf(schema, { minResource: 0 })).toEqual([
      { pointer: '/pruner/options/minResource', expected: 'exactly "auto", or an integer ≥ 1', found: '0' },
    ]);
  });

  it('a failed then: the inner error at its own pointer, saying the condition when it is about a field beside it', () => {
    const schema = {
      type: 'object',
      properties: { kernel: { enum: ['optuna', 'hyperopt'] }, grouping: { enum: ['independent', 'joint'] } },
      allOf: [
        {
          if: { required: ['kernel'], properties: { kernel: { const: 'hyperopt' } } },
          // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword, not a thenable.
          then: { properties: { grouping: { const: 'independent' } } },
        },
      ],
    };
    expect(issuesOf(schema, { kernel: 'hyperopt', grouping: 'joint' }, '/suggester/options')).toEqual([
      {
        pointer: '/suggester/options/grouping',
        expected: 'exactly "independent" when kernel is "hyperopt"',
        found: '"joint"',
      },
    ]);
    // The clause's description, after the condition: why, and what to write instead.
    const described = {
      ...schema,
      allOf: [{ ...schema.allOf[0], description: 'univariate: give "kernel": "optuna"' }],
    };
    expect(issuesOf(described, { kernel: 'hyperopt', grouping: 'joint' }, '')).toEqual([
      {
        pointer: '/grouping',
        expected: 'exactly "independent" when kernel is "hyperopt" (univariate: give "kernel": "optuna")',
        found: '"joint"',
      },
    ]);
  });

  it('a failed then whose condition is an enum: the condition said as one of its values', () => {
    const schema = {
      type: 'object',
      properties: { kernel: { enum: ['optuna', 'hyperopt', 'scott'] }, grouping: { enum: ['independent', 'joint'] } },
      allOf: [
        {
          if: { required: ['kernel'], properties: { kernel: { enum: ['hyperopt', 'scott'] } } },
          // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword, not a thenable.
          then: { properties: { grouping: { const: 'independent' } } },
        },
      ],
    };
    expect(issuesOf(schema, { kernel: 'scott', grouping: 'joint' }, '')).toEqual([
      {
        pointer: '/grouping',
        expected: 'exactly "independent" when kernel is one of "hyperopt", "scott"',
        found: '"joint"',
      },
    ]);
  });

  it('a failed else: the inner error without the condition (which did not hold)', () => {
    const schema = {
      type: 'object',
      if: { properties: { kernel: { const: 'hyperopt' } } },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword, not a thenable.
      then: {},
      else: { properties: { grouping: { const: 'joint' } } },
    };
    expect(issuesOf(schema, { kernel: 'optuna', grouping: 'independent' }, '')).toEqual([
      { pointer: '/grouping', expected: 'exactly "joint"', found: '"independent"' },
    ]);
  });

  it('a plugin chosen by `use` inside options (if use = X then its options): the nested mistake alone', () => {
    const wrapped = {
      type: 'object',
      properties: {
        pruner: {
          type: 'object',
          properties: { use: { enum: ['halving', 'threshold'] }, options: { type: 'object' } },
          allOf: [
            {
              if: { properties: { use: { const: 'halving' } } },
              // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword, not a thenable.
              then: { properties: { options: { type: 'object', properties: { minResource } } } },
            },
          ],
        },
      },
    };
    expect(issuesOf(wrapped, { pruner: { use: 'halving', options: { minResource: 'autp' } } })).toEqual([
      {
        pointer: '/pruner/options/pruner/options/minResource',
        expected: 'exactly "auto", or an integer ≥ 1',
        found: '"autp" (did you mean `auto`?)',
      },
    ]);
    // The same type error from the plain schema and from the `then`: said once, without the condition.
    expect(issuesOf(wrapped, { pruner: { use: 'halving', options: 5 } })).toEqual([
      { pointer: '/pruner/options/pruner/options', expected: 'an object', found: '5' },
    ]);
  });

  it('an anyOf one of whose branches got inside the value: that branch says what to fix there', () => {
    const schema = {
      type: 'object',
      properties: {
        limit: { anyOf: [{ type: 'string' }, { type: 'object', properties: { steps: { type: 'integer' } } }] },
      },
    };
    expect(issuesOf(schema, { limit: { steps: 'x' } }, '')).toEqual([
      { pointer: '/limit/steps', expected: 'an integer', found: '"x"' },
    ]);
  });

  it("a oneOf of object and array forms: the form of the value's type says what is wrong", () => {
    const schema = {
      oneOf: [
        { type: 'object', required: ['a'] },
        { type: 'array', minItems: 2 },
      ],
    };
    expect(issuesOf(schema, {}, '/x')).toEqual([{ pointer: '/x/a', expected: 'a value (required)', found: 'nothing' }]);
    expect(issuesOf(schema, [1], '/x')).toEqual([{ pointer: '/x', expected: 'at least 2 items', found: '[1]' }]);
    for (const issue of issuesOf(schema, 5, '/x')) expect(issue.expected).not.toMatch(JARGON);
  });

  it('never passes on ajv jargon for the combining keywords', () => {
    const schema = {
      type: 'object',
      anyOf: [{ required: ['lower'] }, { required: ['upper'] }],
      properties: { minResource, grouping: { type: 'string' }, kernel: { type: 'string' } },
      allOf: [
        {
          if: { properties: { kernel: { const: 'hyperopt' } }, required: ['kernel'] },
          // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword, not a thenable.
          then: { properties: { grouping: { const: 'independent' } } },
        },
      ],
    };
    const issues = issuesOf(schema, { minResource: 'autp', kernel: 'hyperopt', grouping: 'joint' });
    expect(issues).toHaveLength(3);
    for (const issue of issues) expect(issue.expected).not.toMatch(JARGON);
  });
});
