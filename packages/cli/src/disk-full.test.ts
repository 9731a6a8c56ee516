import { ParzenError } from '@parzen/engine';
import { describe, expect, it } from 'vitest';
import { noRoomCode } from './disk-full.js';

describe('noRoomCode', () => {
  it('finds a full disk, a quota or a size limit in the error or its causes: the file system says it, or SQLite', () => {
    const failed = (code: string) =>
      new ParzenError('STORE_FAILED', 'store failed', { cause: Object.assign(new Error(code), { code }) });
    expect(['ENOSPC', 'EDQUOT', 'EFBIG', 'SQLITE_FULL'].map((code) => noRoomCode(failed(code)))).toEqual([
      'ENOSPC',
      'EDQUOT',
      'EFBIG',
      'SQLITE_FULL',
    ]);
    expect(noRoomCode(failed('EACCES'))).toBeUndefined();
    expect(noRoomCode(new Error('plain'))).toBeUndefined();
  });
});
