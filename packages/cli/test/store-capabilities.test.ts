import { beforeAll, describe, expect, it } from 'vitest';
import { heartConfig, heartModule, lastJsonLine, linkEngine, tempDir, writeIn } from './cli-harness.js';
import { cliIn } from './cli-in-process.js';

/**
 * User trial: a third-party store without `close` passed the plugin check, and the finished run then
 * exited 1 with `TypeError: store.close is not a function` and its stack (hiding a pruner's refusal);
 * a store without `reportIntermediate` or `enqueue` for a config that needs them exited 1, not 2.
 */
let dir: string;
beforeAll(() => {
  dir = tempDir('parzen-store-capabilities-');
  // The plugin imports `@parzen/engine` as a third-party package would, from the folder of its config.
  linkEngine(dir);
  writeIn(dir, 'heart.mjs', heartModule);
  // The memory store, less the methods `omit` names; `failClose`: its close rejects.
  writeIn(
    dir,
    'thin-store.mjs',
    `import { createMemoryStore } from '@parzen/engine';
export const manifests = [{
  kind: 'store',
  name: 'thin',
  optionsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: { omit: { type: 'array', items: { type: 'string' }, default: [] }, failClose: { type: 'boolean', default: false } },
  },
  create: ({ omit, failClose }) => {
    const inner = createMemoryStore();
    const store = { name: 'thin' };
    for (const method of ['openStudy', 'getStudy', 'createTrial', 'setParams', 'renewLease', 'finishTrial', 'listTrials',
      'listTrialsSince', 'reportIntermediate', 'enqueue', 'addTrials', 'close'])
      if (!omit.includes(method)) store[method] = (...args) => inner[method](...args);
    if (failClose) store.close = async () => { throw new Error('the disk went away\\n    at somewhere (store.js:1:1)'); };
    return store;
  },
}];
`,
  );
});

const config = (name: string, store: Record<string, unknown>, extra: Record<string, unknown> = {}): string =>
  writeIn(
    dir,
    `${name}.json`,
    heartConfig({
      name,
      plugins: ['./thin-store.mjs'],
      objective: { use: 'module', options: { path: './heart.mjs', isolate: 'none' } },
      store: { use: 'thin', options: store },
      reporters: [],
      budget: { maxTrials: 3 },
      ...extra,
    }),
  );

const errorCode = (stdout: string): unknown =>
  (lastJsonLine(stdout) as { errors: { code: string }[] }).errors.map((error) => error.code);

describe('a store plugin is checked for every method its contract requires', () => {
  it('a store without close is PLUGIN_INVALID (exit 2) before any trial runs, naming the plugin, kind and method', async () => {
    const result = await cliIn(dir, 'run', config('no-close', { omit: ['close'] }), '--json');
    expect(result.code, result.stderr).toBe(2);
    expect(errorCode(result.stdout)).toEqual(['PLUGIN_INVALID']);
    expect(result.stderr).toContain('The store plugin `thin` could not start');
    expect(result.stderr).toContain('expected a store (an object with the method `close`, which it lacks)');
    expect(result.stderr).not.toMatch(/trial #|TypeError|\n\s+at /);
  });

  it('names every required method it lacks (getStudy, setParams, renewLease too)', async () => {
    const path = config(
      'thin-many',
      { omit: ['getStudy', 'setParams', 'renewLease', 'close'] },
      {
        pruner: { use: 'median' },
      },
    );
    const result = await cliIn(dir, 'run', path, '--json');
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('the methods `getStudy`, `setParams`, `renewLease`, `close`, which it lacks');
  });
});

describe('a store that lacks what the config asks of it is bad input (exit 2), refused before any trial', () => {
  it.each([
    [
      'a pruner and no reportIntermediate',
      'no-report',
      ['reportIntermediate'],
      { pruner: { use: 'median' } },
      'reportIntermediate',
    ],
    ['an enqueue list and no enqueue', 'no-enqueue', ['enqueue'], { enqueue: [{ x: 0, y: 0 }] }, 'enqueue'],
  ])('%s: STORE_UNSUPPORTED, exit 2', async (_what, name, omit, extra, method) => {
    const result = await cliIn(dir, 'run', config(name, { omit }, extra), '--json');
    expect(result.code, result.stderr).toBe(2);
    expect(errorCode(result.stdout)).toEqual(['STORE_UNSUPPORTED']);
    expect(result.stderr).toContain(`The \`thin\` store cannot`);
    expect(result.stderr).toContain(`it has no \`${method}\` method`);
    expect(result.stderr).not.toMatch(/trial #|\n\s+at /);
  });
});

describe('a store without listStudies cannot be listed: STORE_UNSUPPORTED, exit 2', () => {
  it('parzen studies on its config names the method it lacks (it was CLI_INPUT)', async () => {
    const path = config('no-list', {});
    expect((await cliIn(dir, 'run', path, '--quiet')).code).toBe(0);
    const listed = await cliIn(dir, 'studies', path, '--json');
    expect(listed.code, listed.stderr).toBe(2);
    expect(errorCode(listed.stdout)).toEqual(['STORE_UNSUPPORTED']);
    // Not the memory store: a new process's holds no study to list.
    expect(listed.stderr).toContain(
      'The `thin` store cannot list its studies: it has no `listStudies` method. Use a built-in store (jsonl, sqlite, postgres).',
    );
    expect(listed.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('a store without deleteStudy cannot delete a study: STORE_UNSUPPORTED, exit 2, before anything is asked', () => {
  it('parzen delete on its config names the method it lacks', async () => {
    const path = config('no-delete', {});
    const refused = await cliIn(dir, 'delete', path, '--yes', '--json');
    expect(refused.code, refused.stderr).toBe(2);
    expect(errorCode(refused.stdout)).toEqual(['STORE_UNSUPPORTED']);
    expect(refused.stderr).toContain(
      'The `thin` store cannot delete a study: it has no `deleteStudy` method. Use a built-in store (jsonl, sqlite, postgres).',
    );
  });
});

describe("a store's close that fails never replaces the run's result or error", () => {
  it('import: the trials imported are said (exit 0), and a refusal stays a refusal (review 50)', async () => {
    const csv = writeIn(dir, 'two.csv', 'number,state,loss,x,y\n0,complete,1.5,0.1,0.2\n1,complete,2.5,0.3,0.4\n');
    const imported = await cliIn(dir, 'import', config('import-close-fails', { failClose: true }), csv);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stderr).toMatch(/Imported 2 trials into study import-close-fails/);
    expect(imported.stderr).toMatch(/^parzen: warning: the `thin` store could not be closed: the disk went away$/m);
    expect(imported.stderr).not.toMatch(/\n\s+at /);
    const refused = await cliIn(
      dir,
      'import',
      config('import-close-fails-refused', { failClose: true, omit: ['addTrials'] }),
      csv,
    );
    expect(refused.code, refused.stderr).toBe(2);
    // Said of the config, as run says a missing enqueue (trial 127: no file).
    expect(refused.stderr).toMatch(/parzen: .*import-close-fails-refused\.json: The `thin` store cannot import trials/);
    expect(refused.stderr).toContain('the `thin` store could not be closed: the disk went away');
  });

  it('after a finished run: the result stands (exit 0), with a one-line warning and no stack', async () => {
    const result = await cliIn(dir, 'run', config('close-fails', { failClose: true }), '--json');
    expect(result.code, result.stderr).toBe(0);
    expect(lastJsonLine(result.stdout)).toMatchObject({ trials: { complete: 3 }, reason: 'max-trials' });
    expect(result.stderr).toMatch(/^parzen: warning: the `thin` store could not be closed: the disk went away$/m);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("after a run that failed: the run's own error is the one reported", async () => {
    const path = config(
      'close-fails-refused',
      { failClose: true, omit: ['reportIntermediate'] },
      {
        pruner: { use: 'median' },
      },
    );
    const result = await cliIn(dir, 'run', path, '--json');
    expect(result.code, result.stderr).toBe(2);
    expect(errorCode(result.stdout)).toEqual(['STORE_UNSUPPORTED']);
    expect(result.stderr).toContain('the `thin` store could not be closed: the disk went away');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('--store NAME:PATH with a store plugin (trial 127)', () => {
  it('says that NAME:PATH sets a `path` option, which a store without one does not take', async () => {
    const result = await cliIn(dir, 'run', config('thin-path', {}), '--store', `thin:${dir}/elsewhere`);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain(
      `--store "thin:${dir}/elsewhere": NAME:PATH sets a store's \`path\` option, which this store does not take (only the fields`,
    );
    expect(result.stderr).toContain(`give its options in the config's "store" instead.`);
  });
});
