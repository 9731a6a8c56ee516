import { chmodSync, lstatSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made = new Set<string>();

/**
 * A fresh folder under the OS temp dir, from anywhere in a test file (its body, a hook or a test), removed
 * when the file ends by the suite's setup file (`temp-cleanup.ts`): a Vitest worker runs one file at a
 * time, so what the file made is removed before the next file starts.
 */
export const tempFolder = (prefix: string): string => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.add(dir);
  return dir;
};

/** Makes a folder tree writable again, so that it can be removed (tests make archived folders read-only). */
const makeWritable = (path: string): void => {
  const stats = lstatSync(path, { throwIfNoEntry: false });
  if (stats === undefined || stats.isSymbolicLink()) return;
  chmodSync(path, stats.mode | 0o700);
  if (stats.isDirectory()) for (const name of readdirSync(path)) makeWritable(join(path, name));
};

/** Removes every folder {@link tempFolder} made (what the setup file runs after each test file). */
export const removeTempFolders = (): void => {
  const dirs = [...made];
  made.clear();
  for (const dir of dirs) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      makeWritable(dir);
      rmSync(dir, { recursive: true, force: true });
    }
  }
};

/**
 * Paths numbered in one fresh folder under the OS temp dir (a {@link tempFolder}, removed when the test
 * file ends): `path('a.jsonl')` is `<folder>/1-a.jsonl`, the next call `<folder>/2-…`.
 */
export const useTempDir = (prefix: string): ((name: string) => string) => {
  const dir = tempFolder(`parzen-${prefix}-`);
  let count = 0;
  return (name: string) => join(dir, `${++count}-${name}`);
};
