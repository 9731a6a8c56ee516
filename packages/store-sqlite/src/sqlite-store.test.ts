import { describeStoreContract } from '@parzen/engine/testing';
import { useTempDir } from '@parzen/test-kit';
import { describe, expect, it } from 'vitest';
import { createSqliteStore, type SqliteStore } from './sqlite-store.js';

const tempPath = useTempDir('sqlite-contract');

describeStoreContract('sqlite', {
  create: () => createSqliteStore({ path: tempPath('study.parzen.db') }),
  reopen: (store) => createSqliteStore({ path: (store as SqliteStore).path }),
});

describe('createSqliteStore checks options given in code', () => {
  it('a missing path is CONFIG_INVALID by path, not a Node argument error from the driver', () => {
    expect(() => createSqliteStore({ busyTimeout: 10 } as never)).toThrow(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        issues: [
          { pointer: '/path', expected: 'a value (required)', found: 'nothing' },
          expect.objectContaining({
            pointer: '/busyTimeout',
            found: 'an unknown option `busyTimeout` (did you mean `busyTimeoutMs`?)',
          }),
        ],
      }),
    );
  });
});
