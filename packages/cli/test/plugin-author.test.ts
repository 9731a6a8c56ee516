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
    ['date', '{ when: new Date(0) }', '`/when` is a Date object'],
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
