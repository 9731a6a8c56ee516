import { beforeAll, describe, expect, it } from 'vitest';
import { heartConfig, heartModule, tempDir, writeIn } from './cli-harness.js';
import { cliIn } from './cli-in-process.js';

let dir: string;
beforeAll(() => {
  dir = tempDir('parzen-plugin-author-');
  writeIn(dir, 'heart.mjs', heartModule);
});

/** A plugin module whose suggester `setty` has `settings` (as source text); it draws at random. */
const settingsPlugin = (settings: string): string => `
const draw = (d) => d.low + Math.random() * (d.high - d.low);
export const manifests = [{ kind: 'suggester', name: 'setty', optionsSchema: { type: 'object' },
  create: () => ({ name: 'setty', settings: ${settings},
    beginTrial: () => ({ sampleParam: (p) => draw(p.distribution) }) }) }];
`;

describe('a suggester whose settings are not JSON data', () => {
  it.each([
    ['undefined', '{ list: [1, undefined] }', '`/list/1` is undefined'],
    [
      'date',
      '{ when: new Date(0) }',
      '`/when` is a Date ("1970-01-01T00:00:00.000Z"), which would read back as a string',
    ],
    ['infinity', '{ cap: Infinity }', '`/cap` is Infinity'],
  ])('is refused by validate as by run, with the same message and exit code: %s', async (name, settings, said) => {
    // A module file per case: a module is loaded once per path.
    writeIn(dir, `${name}.mjs`, settingsPlugin(settings));
    const path = writeIn(
      dir,
      `${name}.json`,
      heartConfig({ name, plugins: [`./${name}.mjs`], suggester: { use: 'setty' }, budget: { maxTrials: 1 } }),
    );
    const run = await cliIn(dir, 'run', path);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Suggester `setty` has settings that are not JSON data');
    expect(run.stderr).toContain(said);
    const validated = await cliIn(dir, 'validate', path);
    expect(validated.stdout).not.toContain('valid');
    expect(validated.code).toBe(run.code);
    expect(validated.stderr).toBe(run.stderr);
  });
});

describe('a plugin whose options schema does not describe an object', () => {
  it('is the fault of the plugin, at load and validate time, said as a schema typo is; as a note when unused', async () => {
    writeIn(
      dir,
      'not-object.mjs',
      `const draw = (d) => d.low + Math.random() * (d.high - d.low);
const s = (name, optionsSchema) => ({ kind: 'suggester', name, optionsSchema,
  create: () => ({ name, beginTrial: () => ({ sampleParam: (p) => draw(p.distribution) }) }) });
export const manifests = [s('not-object', { type: 'string' }), s('typo-type', { type: 'object', properties: { a: { type: 'nmber' } } }), s('fine', { type: 'object' })];\n`,
    );
    const config = (name: string, use: string, options?: unknown) =>
      writeIn(
        dir,
        `${name}.json`,
        heartConfig({
          name,
          plugins: ['./not-object.mjs'],
          suggester: { use, ...(options === undefined ? {} : { options }) },
          budget: { maxTrials: 1 },
        }),
      );
    const said =
      'Plugin `not-object` has an options schema that does not describe an object (a fault of the plugin, not of the config: options are an object, `{}` when a config gives none):\n' +
      '  /optionsSchema/type: expected "object", found "string"';
    // Without options, and with the string the schema asks for: the same fault, never the config's.
    for (const path of [config('no-options', 'not-object'), config('string-options', 'not-object', 'fast')]) {
      for (const command of ['validate', 'run']) {
        const result = await cliIn(dir, command, path);
        expect(result.code).toBe(2);
        expect(result.stderr).toContain(said);
        expect(result.stderr).not.toMatch(/\/suggester\/options: expected a string/);
      }
    }
    // As a typo in a schema's type is said: the plugin's fault, the same way.
    const typo = await cliIn(dir, 'validate', config('typo', 'typo-type'));
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain(
      'Plugin `typo-type` has an options schema that is not valid JSON Schema (a fault of the plugin, not of the config)',
    );
    // Loaded, not used: a note, and the run goes on.
    const unused = await cliIn(dir, 'validate', config('unused', 'fine'));
    expect(unused.code, unused.stderr).toBe(0);
    expect(unused.stderr).toContain('Plugin `not-object` has an options schema that does not describe an object');
  });
});
