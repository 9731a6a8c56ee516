// What a failed append says, from the error's code (trial 163: a journal made read-only was said as "disk full?").
// The causes are tested on the function that words them (a mock of node:fs does not reach a module another test
// file loaded first: the suite shares modules), and a real failed append (its descriptor closed) end to end.

import { closeSync } from 'node:fs';
import { useTempDir } from '@parzen/test-kit';
import { describe, expect, it } from 'vitest';
import { JournalFile, whyNotWritten } from './journal-file.js';

const tempPath = useTempDir('journal-write-errors');

describe('a failed append', () => {
  it.each([
    ['EPERM', 'this process may no longer write the file: it was made read-only or immutable?'],
    ['EACCES', 'this process may no longer write the file: it was made read-only or immutable?'],
    ['EROFS', 'its file system is read-only now'],
    ['ENOSPC', 'the disk is full'],
    ['EDQUOT', 'the disk quota is used up'],
    ['EFBIG', 'the file is at its size limit'],
  ])('%s is said as its cause', (code, cause) => {
    const said = whyNotWritten(Object.assign(new Error(`${code}: failed, write`), { code }));
    expect(said).toContain(` (${cause}`);
    if (code !== 'ENOSPC' && code !== 'EDQUOT') expect(said).not.toMatch(/disk/);
  });

  it('another error guesses no cause, and an append that fails says its bytes and the error', () => {
    expect(whyNotWritten(Object.assign(new Error('EIO: failed, write'), { code: 'EIO' }))).toBe('');
    const file = JournalFile.open(tempPath('j.parzen.jsonl'), 'never');
    closeSync(file.fd);
    expect(() => file.append('{}\n')).toThrow(/could not append 3 bytes \(EBADF/);
    // A newline alone ends a line an earlier failed write left unfinished: said so, not as "1 bytes".
    expect(() => file.append('\n')).toThrow(
      /could not end its last line, which an earlier write that failed left unfinished \(EBADF/,
    );
  });
});
