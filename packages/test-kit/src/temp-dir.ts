import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/** A fresh folder under the OS temp dir, removed after the test file's last test. */
export const useTempDir = (prefix: string): ((name: string) => string) => {
  const dir = mkdtempSync(join(tmpdir(), `parzen-${prefix}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let count = 0;
  return (name: string) => join(dir, `${++count}-${name}`);
};
