import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir, writeIn } from './cli-harness.js';
import { cli } from './cli-in-process.js';

let dir: string;
beforeAll(() => {
  dir = tempDir('parzen-adversarial-config-');
});

const base = (name: string) => ({
  name,
  seed: 1,
  space: { x: { type: 'uniform', low: 0, high: 1 } },
  objective: { use: 'command', options: { command: [process.execPath, '-e', 'console.log(1)'] } },
  store: { use: 'memory' },
  budget: { maxTrials: 3 },
});

/** A JSON config written as text (so `1e400` stays as written), with `replace` applied to the text. */
const jsonText = (name: string, replace: [string, string][]) => {
  let text = JSON.stringify(base(name));
  for (const [from, to] of replace) text = text.replace(from, to);
  const path = join(dir, `${name}.json`);
  writeFileSync(path, text);
  return path;
};

const yamlText = (name: string, text: string) => {
  const path = join(dir, `${name}.yaml`);
  writeFileSync(
    path,
    `name: ${name}\nobjective: {use: command, options: {command: ["${process.execPath}", "-e", "1"]}}\nstore: {use: memory}\n${text}`,
  );
  return path;
};

const expectBadInput = async (path: string, ...patterns: RegExp[]) => {
  const result = await cli('validate', path);
  expect(result.code, result.stderr).toBe(2);
  expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
  for (const pattern of patterns) expect(result.stderr).toMatch(pattern);
};

describe('non-finite numbers are rejected with their JSON pointer', () => {
  it.each([
    ['seed', '"seed":1', '"seed":1e400', '/seed'],
    ['maxTrials', '"maxTrials":3', '"maxTrials":1e400', '/budget/maxTrials'],
    ['leaseSeconds', '"seed":1', '"seed":1,"leaseSeconds":1e400', '/leaseSeconds'],
    ['concurrency', '"seed":1', '"seed":1,"concurrency":-1e400', '/concurrency'],
    ['a space bound', '"high":1', '"high":1e999', '/space/x/high'],
    ['an objective option', '"store"', '"gracePeriodSeconds":1e400,"store"', '/gracePeriodSeconds'],
  ])('JSON %s', async (_what, from, to, pointer) => {
    await expectBadInput(
      jsonText(`nf-${pointer.replace(/\W/g, '')}`, [[from, to]]),
      new RegExp(`${pointer}: expected a finite number, found -?Infinity`),
    );
  });

  it.each([
    ['seed .nan', 'seed: .nan\nbudget: {maxTrials: 3}\nspace: {x: {type: uniform, low: 0, high: 1}}\n', '/seed', 'NaN'],
    [
      'maxTrials .inf',
      'budget: {maxTrials: .inf}\nspace: {x: {type: uniform, low: 0, high: 1}}\n',
      '/budget/maxTrials',
      'Infinity',
    ],
    [
      'concurrency .inf',
      'concurrency: .inf\nbudget: {maxTrials: 3}\nspace: {x: {type: uniform, low: 0, high: 1}}\n',
      '/concurrency',
      'Infinity',
    ],
    [
      'timeout -.inf',
      'trialTimeoutSeconds: -.inf\nbudget: {maxTrials: 3}\nspace: {x: {type: uniform, low: 0, high: 1}}\n',
      '/trialTimeoutSeconds',
      '-Infinity',
    ],
  ])('YAML %s', async (what, text, pointer, found) => {
    await expectBadInput(
      yamlText(`nf-${what.replace(/\W/g, '')}`, text),
      new RegExp(`${pointer}: expected a finite number, found ${found}`),
    );
  });

  it('bounds integers: a seed past 2^53 and maxTrials past 1e9', async () => {
    await expectBadInput(
      jsonText('big-seed', [['"seed":1', '"seed":9007199254740993']]),
      /\/seed: expected an integer ≤ 9007199254740991/,
    );
    await expectBadInput(
      jsonText('big-max', [['"maxTrials":3', '"maxTrials":10000000000']]),
      /\/budget\/maxTrials: expected an integer ≤ 1000000000/,
    );
  });

  it('rejects flags that are not safe integers', async () => {
    const path = jsonText('flags', []);
    for (const flag of ['--seed', '--max-trials', '--concurrency']) {
      const result = await cli('run', path, flag, '9'.repeat(400));
      expect(result.code, flag).toBe(2);
    }
  });
});

describe('parameter names that are Object.prototype members are rejected clearly', () => {
  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf'])(
    '%s',
    async (name) => {
      const path = jsonText(`proto-${name.replace(/_/g, 'u')}`, [['"x":{', `"${name}":{`]]);
      await expectBadInput(
        path,
        new RegExp(
          `/space/${name}: expected a parameter name that is not reserved .* found the reserved name \`${name}\``,
        ),
      );
    },
  );

  it('in a nested sub-space and in YAML', async () => {
    const nested = yamlText(
      'proto-nested',
      'budget: {maxTrials: 3}\nspace:\n  model:\n    type: choice\n    options:\n      - value: a\n        space: {toString: {type: uniform, low: 0, high: 1}}\n',
    );
    await expectBadInput(
      nested,
      /\/space\/model\/options\/0\/space\/toString: expected a parameter name that is not reserved/,
    );
  });
});

describe('fan-out is bounded', () => {
  it('a huge concurrency is refused with its limit', async () => {
    await expectBadInput(
      jsonText('fan-1e9', [['"seed":1', '"seed":1,"concurrency":1000000000']]),
      /\/concurrency: expected an integer ≤ 1000/,
    );
  });

  it('concurrency beyond the budget runs only what the budget has left, and finishes', async () => {
    const path = jsonText('fan-clamped', [['"seed":1', '"seed":1,"concurrency":1000']]);
    const result = await cli('run', path, '--quiet');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/3 complete, 0 failed/);
  });

  it('a matrix of a million variants is refused at once, naming the count', async () => {
    const values = Array.from({ length: 10 }, (_, index) => index);
    const matrix = {
      seed: values,
      'budget/maxTrials': values.map((v) => v + 1),
      'budget/patience': values.map((v) => v + 1),
      'suggester/options/a': values,
      'suggester/options/b': values,
      'suggester/options/c': values,
    };
    const path = writeIn(dir, 'million.json', { ...base('million'), matrix });
    const started = Date.now();
    await expectBadInput(path, /The matrix expands to 1000000 variants \(10 × 10 × 10 × 10 × 10 × 10\); at most 1000/);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('hostile inputs are bad input (exit 2 with a message), not crashes', () => {
  it('a YAML alias bomb', async () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (const [index, name] of ['b', 'c', 'd', 'e', 'f', 'g', 'h'].entries())
      levels.push(
        `${name}: &${name} [${Array(9)
          .fill(`*${String.fromCharCode(97 + index)}`)
          .join(',')}]`,
      );
    const path = join(dir, 'bomb.yaml');
    writeFileSync(path, `${levels.join('\n')}\n`);
    await expectBadInput(path, /not valid YAML: .*alias/i);
  });

  it.each([
    ['JSON', 'deep.json', `{"name":"deep","x":${'['.repeat(3000)}${']'.repeat(3000)}}`],
    ['YAML', 'deep.yaml', `name: deep\nx: ${'['.repeat(3000)}${']'.repeat(3000)}\n`],
    ['a JSON object chain', 'chain.json', `${'{"a":'.repeat(150)}1${'}'.repeat(150)}`],
  ])('nesting past the limit in %s', async (_what, file, text) => {
    const path = join(dir, file);
    writeFileSync(path, text);
    const result = await cli('validate', path);
    expect(result.code).toBe(2);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stderr).toMatch(/nested deeper than 100 levels|not valid YAML/);
  });

  it('a UTF-8 byte order mark in JSON is accepted, as in YAML', async () => {
    const path = join(dir, 'bom.json');
    writeFileSync(path, `\uFEFF${JSON.stringify(base('bom'))}`);
    const result = await cli('validate', path);
    expect(result.code, result.stderr).toBe(0);
  });

  it.each([
    ['at the top level', '"seed":1', '"seed":1,"seed":2', '/seed'],
    ['inside the space', '"low":0', '"low":0,"low":0.5', '/space/x/low'],
    ['inside an array element', '"console.log(1)"]', '"console.log(1)"],"options":{"a":1,"a":2}', '/objective/options'],
  ])('a duplicate JSON key %s names its pointer and line', async (_what, from, to, pointer) => {
    const path = jsonText(`dup-${pointer.replace(/\W/g, '')}`, [[from, to]]);
    await expectBadInput(
      path,
      new RegExp(
        `the key at ${pointer.replace('/options', '(/options)?')}\\S* appears twice \\(line 1, column \\d+\\)`,
      ),
    );
  });
});

describe('duplicate JSON keys (trial 62: only the first was named)', () => {
  it('names every one', async () => {
    const path = join(dir, 'dups.json');
    writeFileSync(
      path,
      '{"seed": 1, "space": {"x": 1, "x": 2}, "budget": {"maxTrials": 1, "maxTrials": 2}, "seed": 2}',
    );
    const result = await cli('validate', path);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /the key at \/space\/x appears twice \(line 1, column \d+\); the key at \/budget\/maxTrials appears twice \(line 1, column \d+\); the key at \/seed appears twice/,
    );
    // As issues too, like every CONFIG_INVALID (trial 88: a file that is not JSON had none).
    const json = await cli('validate', path, '--json');
    const [error] = (
      JSON.parse(json.stdout.split('\n').at(-1) ?? '') as { errors: { issues: { pointer: string }[] }[] }
    ).errors;
    expect(error?.issues.map((issue) => issue.pointer)).toEqual(['/space/x', '/budget/maxTrials', '/seed']);
  });
});

describe('top-level x- keys (trial 48: the printed schema refused the documented YAML anchors)', () => {
  it('are left out of YAML and JSON configs, and the printed schema allows them', async () => {
    const yaml = yamlText(
      'anchors',
      'x-common: &common {maxTrials: 2}\nbudget: *common\nspace: {x: {type: uniform, low: 0, high: 1}}\n',
    );
    expect((await cli('validate', yaml)).code).toBe(0);
    const json = join(dir, 'noted.json');
    writeFileSync(
      json,
      JSON.stringify({
        name: 'noted',
        'x-note': 'a note for the team',
        objective: { use: 'command', options: { command: [process.execPath, '-e', '1'] } },
        store: { use: 'memory' },
        space: { x: { type: 'uniform', low: 0, high: 1 } },
        budget: { maxTrials: 2 },
      }),
    );
    expect((await cli('validate', json)).code).toBe(0);
    const schema = JSON.parse((await cli('schema')).stdout) as {
      additionalProperties?: unknown;
      patternProperties?: Record<string, unknown>;
    };
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.patternProperties ?? {})).toEqual(['^x-']);
  });

  it("lets a matrix supply required keys, and names the matrix's keys, for editors (trial 86)", async () => {
    const schema = JSON.parse((await cli('schema')).stdout) as {
      required: string[];
      allOf: unknown[];
      properties: { matrix: { propertyNames: { pattern: string } } };
    };
    expect(schema.required).toEqual(['name']);
    // Each needed key, unless a matrix key supplies it whole (the key, or a budget rule; review 90).
    for (const [key, pattern] of [
      ['space', '^/?space$'],
      ['objective', '^/?objective$'],
      ['budget', '^/?budget(/(maxTrials|moreTrials|maxSeconds|lossThreshold|patience))?$'],
    ] as const)
      expect(schema.allOf).toContainEqual({
        if: {
          required: ['matrix'],
          properties: { matrix: { type: 'object', not: { type: 'object', propertyNames: { not: { pattern } } } } },
        },
        else: { required: [key], properties: { [key]: true } },
      });
    const key = new RegExp(schema.properties.matrix.propertyNames.pattern);
    for (const good of ['suggester', 'budget/maxTrials', '/space/x/high', 'seed'])
      expect(key.test(good), good).toBe(true);
    for (const bad of ['sugester', 'name', 'budgetmaxTrials']) expect(key.test(bad), bad).toBe(false);
  });

  // Trial 162: ajv logged 17 strict-mode warnings compiling the schema (`strict: true` refused it), and a wrong
  // `type` or `use` was said as the first kind's value (`must be equal to constant`, 129 errors for one typo).
  it('compiles with ajv in strict mode, and says a wrong type or use as not one of the valid values', async () => {
    type Validate = ((data: unknown) => boolean) & { errors?: { instancePath: string; keyword: string }[] };
    // ajv is the engine's dependency, not the CLI's: loaded from there, for this test only.
    const { Ajv2020 } = createRequire(fileURLToPath(new URL('../../engine/package.json', import.meta.url)))(
      'ajv/dist/2020',
    ) as { Ajv2020: new (options: object) => { compile: (schema: object) => Validate } };
    const schema = JSON.parse((await cli('schema')).stdout) as object;
    const warnings: string[] = [];
    const logger = { log: () => {}, warn: (...args: unknown[]) => warnings.push(args.join(' ')), error: () => {} };
    const validate = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true, logger }).compile(schema);
    expect(warnings).toEqual([]);
    // ajv's defaults: only the list of a choice value's types (`allowUnionTypes`), which editors say best.
    new Ajv2020({ logger }).compile(schema);
    expect(warnings.filter((warning) => !warning.includes('allowUnionTypes'))).toEqual([]);
    const config = {
      name: 'typo',
      space: { m: { type: 'choice', options: [{ value: 'a', space: { d: { type: 'randInt', high: 5 } } }] } },
      objective: { use: 'command', options: { command: ['python3', 'train.py'] } },
      matrix: { 'budget/maxTrials': [5, 10] },
    };
    expect(validate(config)).toBe(false);
    expect(validate.errors?.map(({ instancePath, keyword }) => `${instancePath} ${keyword}`)).toEqual([
      '/space/m/options/0 type',
      '/space/m/options/0/space/d/type enum',
      '/space/m/options/0 anyOf',
      '/space/m if',
    ]);
    expect(validate({ ...config, space: { d: { type: 'randint', high: 5 } } }), JSON.stringify(validate.errors)).toBe(
      true,
    );
    expect(validate({ ...config, space: { d: { type: 'randint', high: 5 } }, suggester: { use: 'tpee' } })).toBe(false);
    expect(validate.errors?.map(({ instancePath, keyword }) => `${instancePath} ${keyword}`)).toEqual([
      '/suggester/use enum',
    ]);
  });

  // Trial 136: every matrix value was an array of anything, so an editor checked nothing inside.
  it("types each matrix key's values as what the config takes at its place, where the schema reaches it", async () => {
    const schema = JSON.parse((await cli('schema')).stdout) as Record<string, unknown> & {
      properties: Record<string, unknown> & {
        matrix: { patternProperties: Record<string, { type: string; items: Record<string, unknown> }> };
      };
    };
    const typed = schema.properties.matrix.patternProperties;
    const at = (ref: unknown): unknown =>
      String(ref)
        .slice(2)
        .split('/')
        .reduce<unknown>((node, part) => (node as Record<string, unknown>)[part.replaceAll('~1', '/')], schema);
    // The schemas a key's values must match: the one its items refer to, or any of several.
    const valuesOf = (key: string): unknown[] => {
      const patterns = Object.keys(typed).filter((pattern) => new RegExp(pattern).test(key));
      if (patterns.length !== 1) return patterns;
      const { items } = typed[patterns[0] as string] as { items: { $ref?: string; anyOf?: { $ref: string }[] } };
      return (items.anyOf ?? [items]).map((item) => at(item.$ref));
    };
    expect(valuesOf('seed')).toEqual([schema.properties.seed]);
    expect(valuesOf('/seed')).toEqual([schema.properties.seed]);
    expect(valuesOf('suggester')).toEqual([schema.properties.suggester]);
    expect(valuesOf('budget/maxTrials')).toEqual([expect.objectContaining({ type: 'integer', minimum: 1 })]);
    // A bound of any kind: a number, or an integer (randint's).
    expect(valuesOf('space/x/high')).toEqual([
      expect.objectContaining({ type: 'number' }),
      expect.objectContaining({ type: 'integer' }),
    ]);
    expect(valuesOf('space/a~1b')).toEqual([{ $ref: '#/$defs/parameter' }]);
    // An option of a plugin slot: what any plugin of the slot takes there (tpe's gamma).
    expect(valuesOf('suggester/options/gamma')).toEqual([expect.objectContaining({ type: 'number' })]);
    expect(valuesOf('reporters/0/options/path')).toEqual([expect.objectContaining({ type: 'string' })]);
    // A place no loaded plugin has, or deeper than the schema is followed: any list, as before.
    expect(valuesOf('suggester/options/whatever')).toEqual([]);
    expect(valuesOf('space/x/options/0/space/z/high')).toEqual([]);
    // Every list is one of values, and every reference resolves.
    for (const { type, items } of Object.values(typed)) {
      expect(type).toBe('array');
      for (const item of (items.anyOf as { $ref: string }[] | undefined) ?? [items])
        expect(at(item.$ref)).toBeDefined();
    }
  });
});
