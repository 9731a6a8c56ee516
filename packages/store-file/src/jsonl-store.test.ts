import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describeStoreContract } from '@parzen/engine/testing';
import { useTempDir } from '@parzen/test-kit';
import { describe, expect, it } from 'vitest';
import { createJsonlStore, type JsonlStore } from './jsonl-store.js';

const tempPath = useTempDir('jsonl-contract');

describeStoreContract('jsonl', {
  create: () => createJsonlStore({ path: tempPath('study.parzen.jsonl') }),
  reopen: (store) => createJsonlStore({ path: (store as JsonlStore).path }),
  keepsParzenVersion: true,
});

describe('createJsonlStore checks options given in code', () => {
  const thrown = (options: unknown) => {
    try {
      createJsonlStore(options as never);
    } catch (error) {
      return error as { code?: string; message?: string; issues?: unknown[] };
    }
    return undefined;
  };

  it('a missing path, a misspelt option and a wrong fsync policy, by path (a missing path was "Journal `undefined`")', () => {
    const error = thrown({ pth: 'x.jsonl', fsync: 'sometimes' });
    expect(error?.code).toBe('CONFIG_INVALID');
    expect(error?.message).toMatch(/^Invalid options for the jsonl store:/);
    expect(error?.issues).toEqual([
      { pointer: '/path', expected: 'a value (required)', found: 'nothing' },
      {
        pointer: '/pth',
        expected: expect.stringContaining('one of path, fsync'),
        found: 'an unknown option `pth` (did you mean `path`?)',
      },
      { pointer: '/fsync', expected: 'one of "finish", "always", "never"', found: '"sometimes"' },
    ]);
    expect(thrown({ path: '' })?.issues).toEqual([{ pointer: '/path', expected: 'a non-empty string', found: '""' }]);
  });

  it('takes the options of code (a warning callback) that a config has no word for', () => {
    expect(thrown({ path: tempPath('fine.parzen.jsonl'), onWarning: () => undefined, lockTimeoutMs: 500 })).toBe(
      undefined,
    );
  });
});

describe('a journal the process may not write', () => {
  it('is said with what to do, as the SQLite store says it (trial 68: a bare EROFS)', async () => {
    // sysfs refuses a new file to anyone, root included (EACCES).
    const store = createJsonlStore({ path: '/sys/parzen-test.parzen.jsonl' });
    const spec = { name: 's', direction: 'minimize', seed: 1, space: {} } as const;
    await expect(store.openStudy(spec)).rejects.toMatchObject({
      code: 'STORE_FAILED',
      message: expect.stringContaining('this process may not write the journal file or create it in its folder'),
    });
    await store.close();
  });
});

describe('a journal whose folder cannot be made (trial 104: the bare errno of mkdir)', () => {
  it.skipIf(!existsSync('/proc/self'))('says the folder and what to do', async () => {
    // procfs makes no folder for anyone, root included.
    const store = createJsonlStore({ path: '/proc/parzen-nope/x.jsonl' });
    const spec = { name: 's', direction: 'minimize', seed: 1, space: {} } as const;
    await expect(store.openStudy(spec)).rejects.toMatchObject({
      code: 'STORE_FAILED',
      message: expect.stringMatching(
        /^Journal `\/proc\/parzen-nope\/x\.jsonl`: could not create the folder `\/proc\/parzen-nope` for it \(E[A-Z]+: .*\): point the store at a path whose folders exist or can be created there\.$/,
      ),
    });
    await store.close();
  });
});

describe('closing a store (trial 73: a closed store still held every trial it had read)', () => {
  it('lets go of the studies it read, and refuses to be used again', async () => {
    const store = createJsonlStore({ path: tempPath('closed.parzen.jsonl') });
    await store.openStudy({
      name: 'c',
      direction: 'minimize',
      seed: 1,
      space: { x: { type: 'uniform', low: 0, high: 1 } },
    });
    const trial = await store.createTrial('c');
    await store.finishTrial('c', trial?.number ?? 0, { state: 'complete', loss: 1 });
    const replica = (store as unknown as { replica: { studies(): unknown[] } }).replica;
    expect(replica.studies()).toHaveLength(1);
    await store.close();
    expect(replica.studies()).toHaveLength(0);
    await expect(store.listTrials('c')).rejects.toMatchObject({ code: 'STORE_CLOSED' });
  });
});

describe('a journal an older Parzen wrote', () => {
  it('loads its study with no version (unknown); a new study records its own, and the format version stays', async () => {
    const path = tempPath('older.parzen.jsonl');
    const space = { x: { type: 'uniform', low: 0, high: 1 } } as const;
    writeFileSync(
      path,
      [
        { op: 'journal', format: 'parzen-jsonl', version: 1 },
        {
          op: 'study',
          study: { name: 's', direction: 'minimize', seed: 1, space, createdAt: '2026-01-01T00:00:00.000Z' },
        },
      ]
        .map((line) => `${JSON.stringify(line)}\n`)
        .join(''),
    );
    const store = createJsonlStore({ path });
    expect((await store.getStudy('s')).parzenVersion).toBeUndefined();
    await store.openStudy({ name: 'new', direction: 'minimize', seed: 1, space, parzenVersion: '0.0.9' });
    await store.close();
    const reread = createJsonlStore({ path });
    expect((await reread.getStudy('new')).parzenVersion).toBe('0.0.9');
    await reread.close();
    // A field of the study line, which older readers read past: the journal's format version stays 1.
    expect(readFileSync(path, 'utf8')).not.toContain('"version":2');
  });
});
