import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { testPluginContext } from '@parzen/engine/testing';
import { useTempDir } from '@parzen/test-kit';
import { describe, expect, it } from 'vitest';
import { sqliteStoreManifest } from './manifest.js';
import { storeError } from './sqlite-errors.js';
import { createSqliteStore } from './sqlite-store.js';

const tempPath = useTempDir('sqlite-salvage-advice');

describe('the salvage advice of a corrupt-store message', () => {
  it('is not given where a salvage cannot open the file either (not a database at all)', async () => {
    const path = tempPath('noise.db');
    writeFileSync(path, randomBytes(8192));
    const opened = async () => {
      const store = createSqliteStore({ path, readOnly: true, salvage: true });
      try {
        await store.listStudies?.();
      } finally {
        await store.close().catch(() => undefined);
      }
    };
    // The salvage it advises fails with the very message that advised it.
    const error = await opened().then(
      () => undefined,
      (thrown: unknown) => thrown as Error,
    );
    expect(error?.message).toContain('not a readable database');
    expect(error?.message).not.toContain('--salvage');
  });

  it('quotes a path with a space in the command it gives', () => {
    // A damaged database (SQLITE_CORRUPT) is advised a salvage; a file that is no database at all is advised none,
    // so the damage is given to storeError as SQLite says it.
    const path = tempPath('my store.db');
    const damaged = storeError(
      path,
      Object.assign(new Error('database disk image is malformed'), { code: 'SQLITE_CORRUPT' }),
      'listing',
    );
    expect(damaged.message).toContain(`\`parzen export --store 'sqlite:${path}' --salvage -o saved.jsonl\``);
    // A journal is advised the jsonl store, with its path quoted likewise (to a config and the command line).
    writeFileSync(path, '{"op":"journal","format":"parzen-jsonl","version":1}\n');
    const context = { ...testPluginContext(), readOnly: true };
    expect(() => sqliteStoreManifest.create({ path }, context)).toThrow(`\`--store 'jsonl:${path}'\``);
  });
});
