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
  writeFileSync(
    join(dir, 'unruly.mjs'),
    `export default async ({ mode, x }, { signal }) => {
  if (mode === 'exit') process.exit(7);
  if (mode === 'timer') { setTimeout(() => { throw new Error('late boom'); }, 1); await new Promise((r) => setTimeout(r, 1000)); }
  if (mode === 'spin') for (;;) {}
  if (mode === 'throw') throw new Error('plain boom');
  if (mode === 'function') return { loss: x, callback: () => 1 };
  if (mode === 'polite') await new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('stopped politely'))));
  return x * 2;
};\n`,
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

// Loading is the same code in both modes; these run on this thread (`isolate: "none"`), and the worker
// thread has its own tests below (from sources each worker thread starts tsx, which takes a while).
const run = async (path: string, exportName = 'default', params = { x: 3 }) =>
  (await createModuleObjective({ path, export: exportName, isolate: 'none' }, dir)).evaluate(params, {
    trialNumber: 0,
    signal,
    report: async () => {},
    shouldPrune: () => false,
  });

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

describe('module objective in a worker thread (the default)', () => {
  const abortAfter = (ms: number) => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), ms);
    return controller.signal;
  };

  it('isolates the objective: exits, stray throws and endless loops fail only their trial', async () => {
    const objective = await createModuleObjective({ path: './unruly.mjs', export: 'default' }, dir);
    const evaluate = (params: Record<string, unknown>, trialSignal = signal) =>
      objective.evaluate(params as { x: number }, {
        trialNumber: 1,
        signal: trialSignal,
        report: async () => {},
        shouldPrune: () => false,
      });
    try {
      expect(await evaluate({ mode: 'ok', x: 4 })).toEqual({ status: 'ok', value: 8 });
      expect(await evaluate({ mode: 'throw', x: 1 })).toMatchObject({
        error: { code: 'OBJECTIVE_THREW', message: 'plain boom' },
      });
      expect(await evaluate({ mode: 'function', x: 1 })).toMatchObject({
        error: { message: /cannot leave its worker thread/ },
      });
      expect(await evaluate({ mode: 'exit', x: 1 })).toMatchObject({ error: { code: 'OBJECTIVE_EXITED' } });
      expect(await evaluate({ mode: 'ok', x: 5 })).toEqual({ status: 'ok', value: 10 });
      expect(await evaluate({ mode: 'timer', x: 1 })).toMatchObject({
        error: { code: 'OBJECTIVE_CRASHED', message: /late boom/ },
      });
      const started = Date.now();
      expect(await evaluate({ mode: 'spin', x: 1 }, abortAfter(200))).toMatchObject({ error: { code: 'INTERRUPTED' } });
      expect(Date.now() - started).toBeLessThan(3000);
      expect(await evaluate({ mode: 'polite', x: 1 }, abortAfter(50))).toMatchObject({
        error: { code: 'OBJECTIVE_THREW', message: 'stopped politely' },
      });
      expect(await evaluate({ mode: 'ok', x: 6 })).toEqual({ status: 'ok', value: 12 });
    } finally {
      await objective.close?.();
    }
  });

  it('reports a missing export before any trial, as on this thread', async () => {
    await expect(createModuleObjective({ path: './objective.mjs', export: 'train' }, dir)).rejects.toThrow(
      /`train` .* has no such export; expected a function/,
    );
  });
});
