import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createModuleObjective } from './module-objective.js';

let dir: string;
const signal = new AbortController().signal;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'parzen-module-'));
  writeFileSync(
    join(dir, 'objective.mjs'),
    'export default ({ x }) => x * 2;\nexport const slow = async ({ x }) => ({ loss: x, note: "hi" });\nexport const notFn = 3;\n',
  );
  writeFileSync(join(dir, 'typed.ts'), 'export const train = (p: { x: number }): number => p.x + 0.5;\n');
  writeFileSync(join(dir, 'legacy.cjs'), 'module.exports = { default: (p) => p.x - 1, other: (p) => -p.x };\n');
  mkdirSync(join(dir, 'node_modules', 'my-objective'), { recursive: true });
  writeFileSync(
    join(dir, 'node_modules', 'my-objective', 'package.json'),
    '{"name":"my-objective","type":"module","exports":{"import":"./index.js"}}',
  );
  writeFileSync(join(dir, 'node_modules', 'my-objective', 'index.js'), 'export default ({ x }) => x ** 2;\n');
});

const run = async (path: string, exportName = 'default', params = { x: 3 }) =>
  (await createModuleObjective({ path, export: exportName }, dir)).evaluate(params, { trialNumber: 0, signal });

describe('module objective', () => {
  it('calls a JS export, sync or async, with the params', async () => {
    expect(await run('./objective.mjs')).toEqual({ status: 'ok', value: 6 });
    expect(await run('objective.mjs', 'slow')).toEqual({ status: 'ok', value: 3, attributes: { note: 'hi' } });
  });

  it('compiles a TypeScript file on the fly', async () => {
    expect(await run('./typed.ts', 'train')).toEqual({ status: 'ok', value: 3.5 });
  });

  it('reads CommonJS exports', async () => {
    expect(await run('./legacy.cjs')).toEqual({ status: 'ok', value: 2 });
    expect(await run('./legacy.cjs', 'other')).toEqual({ status: 'ok', value: -3 });
  });

  it('resolves a package from the config folder', async () => {
    expect(await run('my-objective')).toEqual({ status: 'ok', value: 9 });
  });

  it('names the specifier and where it looked when the module is missing', async () => {
    await expect(run('./missing.mjs')).rejects.toThrow(
      `Objective module \`./missing.mjs\` not found: no file at ${join(dir, 'missing.mjs')}`,
    );
    await expect(run('no-such-package')).rejects.toThrow(`no package of that name in node_modules of ${dir}`);
  });

  it('names the exports when the export is missing or not a function', async () => {
    await expect(run('./objective.mjs', 'train')).rejects.toThrow(
      /`train` .* has no such export; expected a function\. The module exports: default, notFn, slow/,
    );
    await expect(run('./objective.mjs', 'notFn')).rejects.toThrow(/is a number/);
  });
});
