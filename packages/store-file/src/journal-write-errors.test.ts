// What a failed append says, from the error's code (trial 163: a journal made read-only was said as "disk full?").

import type * as fs from 'node:fs';
import { useTempDir } from '@parzen/test-kit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { JournalFile } from './journal-file.js';

const failWith = vi.hoisted(() => ({ code: undefined as string | undefined }));
vi.mock('node:fs', async (original) => {
  const real = await original<typeof fs>();
  return {
    ...real,
    writeSync: (...args: Parameters<typeof real.writeSync>) => {
      if (failWith.code === undefined) return real.writeSync(...args);
      throw Object.assign(new Error(`${failWith.code}: failed, write`), { code: failWith.code });
    },
  };
});

const tempPath = useTempDir('journal-write-errors');
afterEach(() => {
  failWith.code = undefined;
});

describe('a failed append', () => {
  it.each([
    ['EPERM', 'this process may no longer write the file: it was made read-only or immutable?'],
    ['EACCES', 'this process may no longer write the file: it was made read-only or immutable?'],
    ['EROFS', 'its file system is read-only now'],
    ['ENOSPC', 'the disk is full'],
    ['EDQUOT', 'the disk quota is used up'],
    ['EFBIG', 'the file is at its size limit'],
  ])('%s is said as its cause', (code, cause) => {
    const file = JournalFile.open(tempPath('j.parzen.jsonl'), 'never');
    failWith.code = code;
    try {
      expect(() => file.append('{}\n')).toThrow(`could not append 3 bytes (${cause}`);
      if (code !== 'ENOSPC' && code !== 'EDQUOT') expect(() => file.append('{}\n')).not.toThrow(/disk/);
    } finally {
      file.close();
    }
  });

  it('another error guesses no cause', () => {
    const file = JournalFile.open(tempPath('j.parzen.jsonl'), 'never');
    failWith.code = 'EIO';
    try {
      expect(() => file.append('{}\n')).toThrow('could not append 3 bytes (EIO: failed, write)');
    } finally {
      file.close();
    }
  });
});
