import { beforeAll, describe, expect, it } from 'vitest';
import { heartConfig, requireBuiltCli, runParzen, tempDir, writeIn } from './cli-harness.js';

let dir: string;
beforeAll(() => {
  requireBuiltCli();
  dir = tempDir('parzen-defects-');
  writeIn(dir, 'package.json', { type: 'module' });
});

/** A TypeScript suggester plugin (type annotations, so only a TypeScript loader reads it) that always picks the middle. */
const middleSuggester = `const middle = (low: number, high: number): number => (low + high) / 2;
export const manifests = [{
  kind: 'suggester' as const,
  name: 'middle',
  optionsSchema: { type: 'object', additionalProperties: false, properties: { shift: { type: 'number', default: 0 } } },
  create: () => ({ name: 'middle', beginTrial: () => ({ sampleParam: () => middle(-1, 1) }) }),
}];\n`;

// Only the built CLI shows this: vitest's module runner imports `.ts` files by itself.
describe('schema with a TypeScript plugin (issue 9, defect 2)', () => {
  it('prints the schema of a config whose plugin is a .ts file, as run and validate accept it', async () => {
    writeIn(dir, 'middle.ts', middleSuggester);
    writeIn(dir, 'heart.mjs', 'export default ({ x, y }) => x + y;\n');
    const path = writeIn(
      dir,
      'ts-plugin.json',
      heartConfig({ plugins: ['./middle.ts'], suggester: { use: 'middle' } }),
    );
    const validate = await runParzen(['validate', path], { cwd: dir });
    expect(validate.code, validate.stderr).toBe(0);
    const schema = await runParzen(['schema', path], { cwd: dir });
    expect(schema.code, schema.stderr).toBe(0);
    expect(schema.stderr).not.toMatch(/Unknown file extension/);
    const parsed = JSON.parse(schema.stdout) as { properties: { suggester: { oneOf: { properties: object }[] } } };
    expect(JSON.stringify(parsed.properties.suggester)).toContain('"const":"middle"');
  });
});

describe('a .ts plugin in a folder whose package.json says "type": "commonjs" (npm init -y)', () => {
  it('loads and runs, as a .ts objective there does (was a "require() ES Module in a cycle" error)', async () => {
    const cjs = tempDir('parzen-cjs-plugin-');
    writeIn(cjs, 'package.json', { name: 'tuning', version: '1.0.0', type: 'commonjs' });
    writeIn(cjs, 'middle.ts', middleSuggester);
    writeIn(cjs, 'objective.ts', 'export default ({ x, y }: { x: number; y: number }) => x + y;\n');
    const path = writeIn(
      cjs,
      'middle.json',
      heartConfig({
        plugins: ['./middle.ts'],
        suggester: { use: 'middle' },
        objective: { use: 'module', options: { path: './objective.ts' } },
        budget: { maxTrials: 2 },
      }),
    );
    const run = await runParzen(['run', path, '--json'], { cwd: cjs });
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ trials: { complete: 2 }, best: { params: { x: 0, y: 0 } } });
  });
});

// Only a real process shows this: in a test runner something else keeps the event loop alive.
describe('an objective module that ends its thread or never finishes loading (user trial 26)', () => {
  it('is bad input (exit 2) with a message, not a silent exit 13', async () => {
    writeIn(dir, 'exits.mjs', 'process.exit(4);\nexport default () => 1;\n');
    writeIn(dir, 'hangs.mjs', 'await new Promise(() => {});\nexport default () => 1;\n');
    const exits = writeIn(
      dir,
      'exits.json',
      heartConfig({ objective: { use: 'module', options: { path: './exits.mjs' } } }),
    );
    const hangs = writeIn(
      dir,
      'hangs.json',
      heartConfig({ objective: { use: 'module', options: { path: './hangs.mjs' } } }),
    );
    const validate = await runParzen(['validate', exits], { cwd: dir });
    expect(validate.code).toBe(2);
    expect(validate.stderr).toContain(
      'ended its thread while loading (exit code 4: process.exit(4) at its top level?)',
    );
    const run = await runParzen(['run', hangs, '--json'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('"errors"');
    expect(run.stderr).toContain('never finished loading: a top-level await in it');
  });
});
