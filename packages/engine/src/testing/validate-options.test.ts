import { describe, expect, it } from 'vitest';
import { validatePluginOptions } from './validate-options.js';

const schema = {
  type: 'object',
  additionalProperties: false,
  properties: { keep: { type: 'number', minimum: 0, maximum: 1, default: 0.5 } },
};

describe('validatePluginOptions (for plugin authors’ tests)', () => {
  it('fills in defaults, or lists the problems with their JSON pointers', () => {
    expect(validatePluginOptions({ optionsSchema: schema }, {})).toEqual({ value: { keep: 0.5 }, issues: [] });
    const { value, issues } = validatePluginOptions({ optionsSchema: schema }, { keep: 2 });
    expect(value).toBeUndefined();
    expect(issues).toMatchObject([{ pointer: '/options/keep', expected: 'a number ≤ 1', found: '2' }]);
  });

  it('checks the schema against JSON Schema’s meta-schema, which a run leaves out', () => {
    // Both compile (a run would accept them); the meta-schema says what is wrong.
    const negative = { type: 'object', properties: { name: { type: 'string', minLength: -1 } } };
    expect(() => validatePluginOptions({ optionsSchema: negative }, {})).toThrow(
      'The options schema is not valid JSON Schema: data/properties/name/minLength must be >= 0',
    );
    const zero = { type: 'object', properties: { step: { type: 'number', multipleOf: 0 } } };
    expect(() => validatePluginOptions({ optionsSchema: zero }, {})).toThrow('multipleOf must be > 0');
    // A default the schema refuses (trial 33: reported at /options/cap, as if the options had said it).
    const refusing = { type: 'object', properties: { cap: { type: 'number', minimum: 1, default: 0.5 } } };
    expect(() => validatePluginOptions({ optionsSchema: refusing }, { other: 1 })).toThrow(
      'The options schema has a default it refuses itself:\n  /optionsSchema/properties/cap/default: expected a number ≥ 1, found 0.5',
    );
  });

  it('refuses a schema that does not describe an object, as a run does: no options could satisfy it', () => {
    expect(() => validatePluginOptions({ optionsSchema: { type: 'string' } }, 'fast')).toThrow(
      'The options schema does not describe an object (options are one):\n  /optionsSchema/type: expected "object", found "string"',
    );
    expect(validatePluginOptions({ optionsSchema: { type: ['object', 'null'] } }, {}).issues).toEqual([]);
  });
});
