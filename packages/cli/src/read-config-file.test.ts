import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { configFolder } from './read-config-file.js';

const dir = realpathSync(mkdtempSync(join(tmpdir(), 'parzen-folder-')));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('configFolder: where the paths a config names resolve from', () => {
  it("a file's own folder; a pipe's or a device's, the working folder (trial 53: /proc/PID/fd)", () => {
    const path = join(dir, 'c.json');
    writeFileSync(path, '{}');
    expect(configFolder(path)).toBe(dir);
    expect(configFolder('/dev/null')).toBe(realpathSync(process.cwd()));
  });
});
