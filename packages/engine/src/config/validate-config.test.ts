import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { consoleReporterManifest } from '../builtins/console-reporter.js';
import { functionObjectiveManifest } from '../builtins/function-objective.js';
import { memoryStoreManifest } from '../builtins/memory-store.js';
import { defineSuggester } from '../contracts/manifest.js';
import { createRegistry } from '../di/registry.js';
import { ParzenError } from '../errors.js';
import type { ExperimentConfig, ExperimentConfigInput } from '../index.js';
import { createAjv } from './ajv-issues.js';
import { baseConfigSchema, composeConfigSchema } from './experiment-schema.js';
import { expandMatrix } from './matrix.js';
import { checkConfig, validateConfig } from './validate-config.js';

const fakeTpe = defineSuggester<{ gamma: number; startupTrials: number }>({
  name: 'tpe',
  optionsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      gamma: { type: 'number', minimum: 0, maximum: 1, default: 0.25 },
      startupTrials: { type: 'integer', minimum: 0, default: 10 },
    },
  },
  create: () => ({ name: 'tpe', beginTrial: () => ({ sampleParam: () => 0 }) }),
});
const registry = createRegistry([
  fakeTpe,
  memoryStoreManifest,
  consoleReporterManifest,
  functionObjectiveManifest({ heart: () => 0 }),
]);

const valid = {
  name: 'heart',
  seed: 1,
  space: { x: { type: 'uniform', low: -2, high: 2 } },
  objective: { use: 'function', options: { name: 'heart' } },
  suggester: { use: 'tpe', options: {} },
  budget: { maxTrials: 10 },
};

const issuesOf = (config: unknown) => {
  try {
    validateConfig(config, registry);
  } catch (error) {
    if (error instanceof ParzenError) return { code: error.code, issues: error.issues, message: error.message };
    throw error;
  }
  return { code: undefined, issues: [], message: '' };
};

const withChange = (change: Record<string, unknown>) => ({ ...valid, ...change });

describe('validateConfig', () => {
  it('a plugin name like none loaded or published: says a package it is in must be listed in "plugins"', () => {
    const { issues } = issuesOf(withChange({ suggester: { use: 'anneal' } }));
    expect(issues).toEqual([
      {
        pointer: '/suggester/use',
        expected: expect.stringMatching(
          /^one of the suggester plugins: .*; a plugin of another package is known once the config lists that package in "plugins" \(`"plugins": \["its-package"\]`\)$/,
        ),
        found: '"anneal"',
      },
    ]);
  });

  it('a `function` objective where no functions are registered (the parzen command): says it exists only in code, and what a config runs instead', () => {
    let refused: unknown;
    try {
      validateConfig(valid, createRegistry([fakeTpe, memoryStoreManifest, consoleReporterManifest]));
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(ParzenError);
    const { issues } = refused as ParzenError;
    expect(issues).toEqual([
      {
        pointer: '/objective/use',
        expected: expect.stringMatching(
          /a `function` objective exists only in code \(fmin, createStudy, runExperiment's `functions`\): a config runs a `module` objective .*"path".*or a `command`/,
        ),
        found: '"function"',
      },
    ]);
    expect(issues[0]?.expected).not.toContain('"plugins"');
  });

  it('suggests the plugin a misspelt name meant (trial 43: `comand` got no hint)', () => {
    const { code, issues, message } = issuesOf(
      withChange({ objective: { use: 'functon', options: { name: 'heart' } } }),
    );
    expect(code).toBe('CONFIG_INVALID');
    expect(issues).toEqual([
      {
        pointer: '/objective/use',
        expected: 'one of the objective plugins: function',
        found: '"functon" (did you mean `function`?)',
      },
    ]);
    expect(message).toContain('(did you mean `function`?)');
    // A name like none of them gets no guess.
    expect(issuesOf(withChange({ suggester: { use: 'gradient-boosted' } })).issues[0]?.found).toBe(
      '"gradient-boosted"',
    );
  });

  it("names code's words for a config's: `stopWhen` is the `stopper` plugin, `*Ms` are `*Seconds` (review 156)", () => {
    const found = issuesOf(
      withChange({ stopWhen: 'x', trialTimeoutMs: 2500, leaseMs: 60_000, gracePeriodMs: 1100 }),
    ).issues.map((issue) => issue.found);
    expect(found).toEqual([
      'an unknown field `stopWhen` (did you mean `stopper`? a config names a stopper plugin: `"stopper": { "use": "no-improvement", "options": { "trials": 15 } }`)',
      'an unknown field `trialTimeoutMs` (did you mean `trialTimeoutSeconds`? a config gives it in seconds: `"trialTimeoutMs": 2500` is `"trialTimeoutSeconds": 2.5`)',
      'an unknown field `leaseMs` (did you mean `leaseSeconds`? a config gives it in seconds: `"leaseMs": 60000` is `"leaseSeconds": 60`)',
      'an unknown field `gracePeriodMs` (did you mean `gracePeriodSeconds`? a config gives it in seconds: `"gracePeriodMs": 1100` is `"gracePeriodSeconds": 1.1`)',
    ]);
  });

  it('shows a plugin option\'s value in the other unit, as JSON: `"timeoutMs": 2500` is `"timeoutSeconds": 2.5`', () => {
    // A plugin's options in either unit: a config gives them as the plugin names them.
    const timed = defineSuggester<{ timeoutSeconds?: number; busyTimeoutMs?: number }>({
      name: 'timed',
      optionsSchema: {
        type: 'object',
        additionalProperties: false,
        properties: { timeoutSeconds: { type: 'number' }, busyTimeoutMs: { type: 'number' } },
      },
      create: () => ({ name: 'timed', beginTrial: () => ({ sampleParam: () => 0 }) }),
    });
    const withTimed = createRegistry([
      timed,
      memoryStoreManifest,
      consoleReporterManifest,
      functionObjectiveManifest({ heart: () => 0 }),
    ]);
    const found = (options: Record<string, unknown>) => {
      try {
        validateConfig(withChange({ suggester: { use: 'timed', options } }), withTimed);
      } catch (error) {
        return (error as ParzenError).issues.map((issue) => `${issue.pointer}: ${issue.found}`);
      }
      throw new Error('the config was accepted');
    };
    expect(found({ timeoutMs: 2500, busyTimeoutSeconds: 0.25 })).toEqual([
      '/suggester/options/timeoutMs: an unknown field `timeoutMs` (did you mean `timeoutSeconds`? a config gives it in seconds: `"timeoutMs": 2500` is `"timeoutSeconds": 2.5`)',
      '/suggester/options/busyTimeoutSeconds: an unknown field `busyTimeoutSeconds` (did you mean `busyTimeoutMs`? `busyTimeoutMs` is in milliseconds: `"busyTimeoutSeconds": 0.25` is `"busyTimeoutMs": 250`)',
    ]);
    // A value that is no number has nothing to convert: the unit alone.
    expect(found({ timeoutMs: '2500' })).toEqual([
      '/suggester/options/timeoutMs: an unknown field `timeoutMs` (did you mean `timeoutSeconds`? a config gives it in seconds)',
    ]);
    // Optuna's sampler seed: the study's here (trial 171: only "an unknown field").
    expect(found({ seed: 1 })).toEqual([
      "/suggester/options/seed: an unknown field `seed` (the seed is the study's, not a plugin's: the config's top-level `seed`)",
    ]);
  });

  it('accepts a valid config and fills in defaults', () => {
    const config = validateConfig(valid, registry);
    expect(config.direction).toBe('minimize');
    expect(config.concurrency).toBe(1);
    expect(config.suggester.options).toEqual({ gamma: 0.25, startupTrials: 10 });
    expect(config.store).toEqual({ use: 'memory', options: {} });
    expect(config.reporters).toEqual([{ use: 'console', options: { trials: true, stream: 'stdout' } }]);
    expect(valid.suggester.options).toEqual({});
  });

  it.each([
    ['a missing name', { name: undefined }, '/name', 'a value (required)'],
    ['a name of the wrong type', { name: 3 }, '/name', 'a string'],
    ['an unknown top-level key', { sed: 3 }, '/sed', 'only the fields'],
    ['a bad direction', { direction: 'down' }, '/direction', '"minimize", "maximize"'],
    ['a fractional seed', { seed: 1.5 }, '/seed', 'integer'],
    ['zero concurrency', { concurrency: 0 }, '/concurrency', 'an integer ≥ 1'],
    ['an empty budget', { budget: {} }, '/budget', 'at least one of maxTrials, moreTrials, maxSeconds'],
    [
      'a budget whose only rule ends the run only if trials fail',
      { budget: { maxConsecutiveFailures: 5 } },
      '/budget',
      'at least one of maxTrials, moreTrials, maxSeconds, lossThreshold and patience',
    ],
    ['a negative maxTrials', { budget: { maxTrials: -1 } }, '/budget/maxTrials', 'an integer ≥ 1'],
    ['an unknown suggester', { suggester: { use: 'tpee' } }, '/suggester/use', 'tpe'],
    [
      'a bad suggester option',
      { suggester: { use: 'tpe', options: { gamma: 2 } } },
      '/suggester/options/gamma',
      'a number ≤ 1',
    ],
    [
      'an unknown suggester option',
      { suggester: { use: 'tpe', options: { gama: 0.1 } } },
      '/suggester/options/gama',
      'only the fields gamma, startupTrials',
    ],
    [
      'a misspelt top-level key, with the name it resembles (trial 34)',
      { concurency: 2 },
      '/concurency',
      'concurrency',
    ],
    ['a plugin choice without use', { store: { options: {} } }, '/store/use', 'required'],
    [
      'a bare suggester name (trial 33)',
      { suggester: 'tpe' },
      '/suggester',
      'a plugin choice, an object such as { "use": "tpe" }',
    ],
    ['a bare reporter name', { reporters: [{ use: 'console' }, 'console'] }, '/reporters/1', '{ "use": "console" }'],
    [
      'a bare name no plugin has (review 31: it was offered as a use)',
      { objective: './objective.mjs' },
      '/objective',
      'an object such as { "use": "function" } (objective plugins: function)',
    ],
    ['an unknown reporter', { reporters: [{ use: 'console' }, { use: 'html' }] }, '/reporters/1/use', 'console'],
    ['a bad space', { space: { x: { type: 'uniform', low: 3, high: 2 } } }, '/space/x/high', 'greater than low'],
    [
      'a uniformint below its low (its high is inclusive)',
      { space: { x: { type: 'uniformint', low: 6, high: 1 } } },
      '/space/x/high',
      "an integer at least low (6); uniformint's high is inclusive",
    ],
    ['a space that is not an object', { space: [] }, '/space', 'object'],
    ['a missing objective', { objective: undefined }, '/objective', 'required'],
    [
      'an unknown function',
      { objective: { use: 'function', options: { name: 'nope' } } },
      '/objective/options/name',
      '"heart"',
    ],
  ])('rejects %s with its JSON pointer', (_what, change, pointer, expected) => {
    const { code, issues, message } = issuesOf(withChange(change));
    expect(code).toBe('CONFIG_INVALID');
    const issue = issues.find((candidate) => candidate.pointer === pointer);
    expect(issue, `${pointer} in ${JSON.stringify(issues)}`).toBeDefined();
    expect(`${issue?.expected}`).toContain(expected);
    expect(message).toContain(pointer);
  });

  it('checks enqueue entries against the space, by JSON pointer, and defaults the list to empty', () => {
    expect(validateConfig(valid, registry).enqueue).toEqual([]);
    expect(validateConfig(withChange({ enqueue: [{ x: 1 }, {}] }), registry).enqueue).toEqual([{ x: 1 }, {}]);
    const { code, issues } = issuesOf(withChange({ enqueue: [{ x: 1 }, { x: 'a', y: 2 }, 3] }));
    expect(code).toBe('CONFIG_INVALID');
    expect(issues.map((issue) => issue.pointer)).toEqual(['/enqueue/2']);
    const later = issuesOf(withChange({ enqueue: [{ x: 1 }, { x: 'a', y: 2 }] }));
    expect(later.issues.map((issue) => [issue.pointer, issue.expected])).toEqual([
      ['/enqueue/1/y', 'a parameter of the space (x)'],
      ['/enqueue/1/x', 'a number from -2 to 2'],
    ]);
  });

  it('lists every problem at once', () => {
    const { issues } = issuesOf(withChange({ seed: 'x', concurrency: 0, suggester: { use: 'nope' } }));
    expect(issues.map((issue) => issue.pointer)).toEqual(
      expect.arrayContaining(['/seed', '/concurrency', '/suggester/use']),
    );
  });

  it("lists a slot's option errors beside an unknown key that starts with its name (trial 49: `suggesters` hid them)", () => {
    const { issues } = issuesOf(
      withChange({ suggester: { use: 'tpe', options: { gama: 0.2 } }, suggesters: {}, spaces: {} }),
    );
    expect(issues.map((issue) => issue.pointer)).toEqual(
      expect.arrayContaining(['/suggesters', '/spaces', '/suggester/options/gama']),
    );
  });

  it('rejects a config that is not an object', () => {
    expect(issuesOf([1, 2]).issues[0]?.pointer).toBe('');
  });

  // Trial 162: "max" had no hint, and a name with a space was told a regular expression.
  it('points a shortened direction to the word meant, and says what a study name is made of', () => {
    expect(issuesOf(withChange({ direction: 'max' })).issues).toEqual([
      { pointer: '/direction', expected: 'one of "minimize", "maximize"', found: '"max" (did you mean `maximize`?)' },
    ]);
    expect(issuesOf(withChange({ name: 'my study' })).issues).toEqual([
      {
        pointer: '/name',
        expected:
          'a name of ASCII letters (A–Z, a–z), digits (0–9), `.`, `_` and `-` (no spaces, no other letters), starting with a letter or digit',
        found: '"my study"',
      },
    ]);
  });

  it('composes a JSON Schema with every plugin and the space grammar', () => {
    const schema = composeConfigSchema(registry) as {
      properties: Record<string, { allOf?: unknown[] }>;
      $defs: Record<string, unknown>;
    };
    expect(schema.properties.suggester?.allOf).toHaveLength(1);
    expect(JSON.stringify(schema.properties.suggester)).toContain('startupTrials');
    expect(Object.keys(schema.$defs)).toEqual(['space', 'parameter']);
  });

  it("embeds a plugin's options schema whose $refs point within it so that they still do (trial 70)", () => {
    const reffy = defineSuggester<{ keep?: number }>({
      name: 'reffy',
      optionsSchema: {
        type: 'object',
        additionalProperties: false,
        $defs: { prob: { type: 'number', minimum: 0, maximum: 1 } },
        properties: { keep: { $ref: '#/$defs/prob', default: 0.5 } },
      },
      create: () => ({ name: 'reffy', beginTrial: () => ({ sampleParam: () => 0 }) }),
    });
    const schema = composeConfigSchema(
      createRegistry([reffy, memoryStoreManifest, functionObjectiveManifest({ f: () => 0 }), consoleReporterManifest]),
    );
    const { $schema: _draft, ...compiled } = schema;
    const ajv = createAjv();
    const validate = ajv.compile(compiled);
    const config = (keep: number) => ({
      name: 'r',
      space: { x: { type: 'uniform', low: 0, high: 1 } },
      objective: { use: 'function', options: { name: 'f' } },
      suggester: { use: 'reffy', options: { keep } },
      budget: { maxTrials: 3 },
    });
    expect(validate(config(0.25)), ajv.errorsText(validate.errors)).toBe(true);
    expect(validate(config(2))).toBe(false);
    expect(JSON.stringify(validate.errors)).toContain('"maximum"');
    // An empty space, refused by validation, is refused by the schema too (trial 121); a branch's may be empty.
    expect(validate({ ...config(0.25), space: {} })).toBe(false);
    expect(JSON.stringify(validate.errors)).toContain('"minProperties"');
    const branch = { m: { type: 'choice', options: [{ value: 'a', space: {} }, 'b'] } };
    expect(validate({ ...config(0.25), space: branch }), ajv.errorsText(validate.errors)).toBe(true);
  });

  // Trial 162: a `oneOf` of one object per kind, each with its own `const`, had an editor say `Value must be
  // "uniform"` to `"type": "randInt"` and `Value must be "random"` to `"use": "tpee"` (ajv: 129 errors).
  it('says a wrong parameter type or plugin name as not one of the valid ones, and compiles in strict mode', () => {
    const warnings: string[] = [];
    const ajv = new Ajv2020({
      allErrors: true,
      // The budget's "at least one of" names no property strictRequired finds: `parzen schema` adds them.
      strict: true,
      strictRequired: false,
      allowUnionTypes: true,
      logger: { log: () => {}, warn: (...args: unknown[]) => warnings.push(args.join(' ')), error: () => {} },
    });
    const validate = ajv.compile(composeConfigSchema(registry));
    expect(warnings).toEqual([]);
    const branch = (type: string) => ({
      m: { type: 'choice', options: [{ value: 'a', space: { depth: { type, low: 1, high: 5 } } }, 'b'] },
    });
    expect(validate({ ...valid, space: branch('randint') }), ajv.errorsText(validate.errors)).toBe(true);
    expect(validate({ ...valid, space: branch('randInt') })).toBe(false);
    const kinds = ['uniform', 'quniform', 'loguniform', 'qloguniform', 'normal', 'qnormal', 'lognormal', 'qlognormal'];
    expect(validate.errors).toContainEqual(
      expect.objectContaining({
        instancePath: '/space/m/options/0/space/depth/type',
        keyword: 'enum',
        params: { allowedValues: [...kinds, 'randint', 'uniformint', 'choice', 'pchoice'] },
      }),
    );
    // Nothing asks for another kind's value or fields.
    expect(JSON.stringify(validate.errors)).not.toMatch(/"const"|"required"/);
    expect(validate({ ...valid, suggester: { use: 'tpee' } })).toBe(false);
    expect(validate.errors).toEqual([
      expect.objectContaining({ instancePath: '/suggester/use', keyword: 'enum', params: { allowedValues: ['tpe'] } }),
    ]);
    // A known plugin's options are still checked against its own schema.
    expect(validate({ ...valid, suggester: { use: 'tpe', options: { gamma: 2 } } })).toBe(false);
    expect(validate.errors).toContainEqual(expect.objectContaining({ instancePath: '/suggester/options/gamma' }));
  });

  it('has a base schema that is valid JSON Schema (a run compiles it without that check)', () => {
    const ajv = createAjv();
    expect(ajv.validateSchema(baseConfigSchema), ajv.errorsText(ajv.errors)).toBe(true);
  });
});

// A user typed a config with ExperimentConfig, documented as "as written in a config file": every key the
// schema fills in was required (direction, suggester, store, ...) and `matrix` was not there.
describe('checkConfig notes', () => {
  it('notes a quantized parameter whose grid gives values outside [low, high] (0 from qloguniform(16, 512, q 100))', () => {
    const { notes } = checkConfig(
      withChange({
        space: {
          batch: { type: 'qloguniform', low: 16, high: 512, q: 100 },
          y: { type: 'quniform', low: 110, high: 560, q: 100 },
          fine: { type: 'quniform', low: 0.3, high: 0.7, q: 0.1 },
          model: {
            type: 'choice',
            options: ['a', { value: 'b', space: { w: { type: 'qloguniform', low: 1, high: 100, q: 10 } } }],
          },
        },
      }),
      registry,
    );
    expect(notes).toEqual([
      {
        pointer: '/space/batch',
        message:
          'qloguniform can give 0, below low (16): its values are multiples of q (100), counted from 0 as in hyperopt, and a draw rounds to the nearest one, which may lie up to q/2 past a bound. To keep values within [16, 512], raise low to at least q/2 (50), or use a q that both bounds are multiples of (16).',
      },
      {
        pointer: '/space/y',
        message:
          'quniform can give 100, below low (110), and 600, above high (560): its values are multiples of q (100), counted from 0 as in hyperopt, and a draw rounds to the nearest one, which may lie up to q/2 past a bound. To keep values within [110, 560], raise low to at least 150 (halfway to the next multiple of q) or lower it to 100, and lower high to at most 550 (halfway to the multiple of q below) or raise it to 600, or use a q that both bounds are multiples of (10).',
      },
      {
        pointer: '/space/model/options/1/space/w',
        message: expect.stringMatching(/^qloguniform can give 0, below low \(1\)/),
      },
    ]);
    // A high off the grid: a smaller q is no fix as such (q 20 or 29 would do, 25 not, 30 gives 570), the q of a grid
    // both bounds are on is; without such a q (a low of 7 places), only a 0 from a low under q/2 has one to keep out.
    const note = (definition: Record<string, unknown>) =>
      checkConfig(withChange({ space: { k: definition } }), registry).notes?.[0]?.message;
    expect(note({ type: 'quniform', low: 110, high: 560, q: 30 })).toBe(
      'quniform can give 570, above high (560): its values are multiples of q (30), counted from 0 as in hyperopt, and a draw rounds to the nearest one, which may lie up to q/2 past a bound. To keep values within [110, 560], lower high to at most 555 (halfway to the multiple of q below) or raise it to 570, or use a q that both bounds are multiples of (10).',
    );
    for (const [low, high, q] of [
      [110, 560, 10],
      [16, 512, 16],
      [0.3, 7.3, 0.1],
      // 0.15/0.1 is 1.4999999999999998: 0.1 is on the grid, but only a draw of 0.15 itself rounds to it.
      [0.15, 0.55, 0.1],
    ] as const)
      expect(note({ type: 'quniform', low, high, q })).toBeUndefined();
    expect(note({ type: 'quniform', low: 1e-7, high: 1, q: 0.3 })).toMatch(
      /raise low to at least q\/2 \(0\.15\); a q of at most 2 × low \(2e-7\) keeps 0 out, though a value may still fall short of low by under q\/2\.$/,
    );
    expect(note({ type: 'quniform', low: 1.5, high: 2.9, q: 1 / 3 })).toMatch(/raise it to 3\.$/);
    // Bounds on the grid: nothing to say.
    expect(
      checkConfig(withChange({ space: { k: { type: 'quniform', low: 1, high: 50, q: 1 } } }), registry).notes,
    ).toEqual([]);
  });
});

describe('names and options that look alike (trial 183: accepted silently)', () => {
  it('notes names only of white space or invisible characters, names and options that look the same', () => {
    const u = { type: 'uniform', low: 0, high: 1 };
    const notes = checkConfig(
      withChange({
        space: {
          'caf\u00e9': u,
          'cafe\u0301': u,
          lr: u,
          'lr\u200B': u,
          '\u3000': u,
          opt: { type: 'choice', options: ['a', { value: 'b', space: { 'lr ': u } }, 'caf\u00e9', 'cafe\u0301'] },
        },
      }),
      registry,
    ).notes;
    expect(notes?.map((note) => note.pointer)).toEqual([
      '/space/cafe\u0301',
      '/space/lr\u200B',
      '/space/\u3000',
      '/space/opt/options/3',
      '/space/opt/options/1/space/lr ',
    ]);
    expect(notes?.[0]?.message).toBe(
      'the parameter `cafe\u0301` and `caf\u00e9` at /space/caf\u00e9 are two parameters: differing only in Unicode code points (é as one code point, NFC, or as e and an accent, NFD), in invisible characters (a zero-width space) or in white space at their ends, they look the same and nothing tells them apart on screen (in tables, reports, --params); rename one (`caf\u00e9` looks the same but is written with other Unicode code points: c a f U+00E9 against c a f e U+0301; names are compared code point for code point)',
    );
    expect(notes?.[1]?.message).toContain('l r against l r U+200B');
    expect(notes?.[2]?.message).toBe(
      'the parameter name "\u3000" is only white space or invisible characters (U+3000), so it shows as nothing on screen; give it a visible name',
    );
    expect(notes?.[3]?.message).toMatch(/^the option "cafe\u0301" and option 2 \("caf\u00e9"\) are two options: /);
    expect(notes?.[4]?.message).toContain('l r against l r U+0020');
    // A name shared by branches is one parameter, nothing to note.
    const shared = {
      type: 'choice',
      options: [
        { value: 'a', space: { k: u } },
        { value: 'b', space: { k: u } },
      ],
    };
    expect(checkConfig(withChange({ space: { m: shared } }), registry).notes).toEqual([]);
  });
});

describe('ExperimentConfigInput', () => {
  it('types a config as written: only name, space, objective and budget required, matrix allowed', () => {
    const config: ExperimentConfigInput = {
      name: 'quadratic',
      space: { x: { type: 'uniform', low: -2, high: 2 } },
      objective: { use: 'function', options: { name: 'heart' } },
      budget: { maxTrials: 3 },
    };
    const checked: ExperimentConfig = validateConfig(config, registry, { suggester: { use: 'tpe' } });
    expect(checked).toMatchObject({ seed: 0, direction: 'minimize', concurrency: 1, enqueue: [], plugins: [] });
    const batch: ExperimentConfigInput = { ...config, matrix: { seed: [1, 2] } };
    expect(
      expandMatrix(batch).map(
        (variant) => validateConfig(variant.config, registry, { suggester: { use: 'tpe' } }).seed,
      ),
    ).toEqual([1, 2]);
  });

  it('has the config schema keys, the required ones from its `required`', () => {
    type SchemaKey = keyof typeof baseConfigSchema.properties;
    expectTypeOf<keyof ExperimentConfig>().toEqualTypeOf<SchemaKey>();
    expectTypeOf<keyof ExperimentConfigInput>().toEqualTypeOf<SchemaKey | 'matrix'>();
    type Required<T> = { [K in keyof T]-?: undefined extends T[K] ? never : K }[keyof T];
    expectTypeOf<Required<ExperimentConfigInput>>().toEqualTypeOf<(typeof baseConfigSchema.required)[number]>();
    expect([...baseConfigSchema.required].sort()).toEqual(['budget', 'name', 'objective', 'space']);
  });
});
