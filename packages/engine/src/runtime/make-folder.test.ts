import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { makeFolder } from './make-folder.js';

let dir: string | undefined;
afterEach(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('makeFolder', () => {
  it('makes a folder and the missing ones above it; an existing folder is fine', () => {
    dir = mkdtempSync(join(tmpdir(), 'parzen-folder-'));
    const deep = join(dir, 'a', 'b', 'c');
    makeFolder(deep);
    expect(statSync(deep).isDirectory()).toBe(true);
    makeFolder(deep);
    makeFolder(dir);
    expect(statSync(deep).isDirectory()).toBe(true);
  });

  it('a file in the way is an error (ENOTDIR or EEXIST), not a folder', () => {
    dir = mkdtempSync(join(tmpdir(), 'parzen-folder-'));
    writeFileSync(join(dir, 'file'), 'x');
    expect(() => makeFolder(join(dir as string, 'file', 'sub'))).toThrow(/ENOTDIR|EEXIST/);
    expect(() => makeFolder(join(dir as string, 'file'))).toThrow(/EEXIST|ENOTDIR/);
  });

  // Node 20's recursive mkdirSync loops for ever here (a folder /proc will not make, under a parent that
  // exists). The call runs in a child with a time limit, so a regression fails instead of hanging the suite.
  it.runIf(existsSync('/proc/self'))('a folder that cannot be made under /proc fails at once (ENOENT)', () => {
    const source = fileURLToPath(new URL('./make-folder.ts', import.meta.url));
    const script =
      `import { makeFolder } from ${JSON.stringify(source)};\n` +
      `try { makeFolder('/proc/parzen-no-such/x'); console.log('made'); } catch (error) { console.log(error.code); }`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 20_000,
      killSignal: 'SIGKILL',
    });
    expect(child.signal).toBeNull();
    expect(child.stdout.trim()).toBe('ENOENT');
  });
});
