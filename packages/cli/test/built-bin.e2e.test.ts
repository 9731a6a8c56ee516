// The built `parzen` bin runs as a command: symlinked onto PATH (or run by its path), not refused with exit 126.

import { execFileSync } from 'node:child_process';
import { readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliPath, repoRoot, requireBuiltCli, tempDir } from './cli-harness.js';

const script = join(repoRoot, 'packages/cli/scripts/executable-bin.mjs');

describe('the built bin', () => {
  it('is executable after the build, and runs through a symlink on PATH', () => {
    requireBuiltCli();
    expect(statSync(cliPath).mode & 0o111).toBe(0o111);
    const bin = tempDir('parzen-bin-');
    symlinkSync(cliPath, join(bin, 'parzen'));
    const version = execFileSync('parzen', ['--version'], {
      encoding: 'utf8',
      env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` },
    });
    expect(version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("is made executable by the workspace's and the package's build scripts (tsc writes it as mode 644)", () => {
    const scripts = (path: string) =>
      (JSON.parse(readFileSync(join(repoRoot, path), 'utf8')) as { scripts: { build: string } }).scripts.build;
    expect(scripts('package.json')).toMatch(/&& node packages\/cli\/scripts\/executable-bin\.mjs$/);
    expect(scripts('packages/cli/package.json')).toMatch(/^tsc -b && node scripts\/executable-bin\.mjs$/);
    const file = join(tempDir('parzen-bin-mode-'), 'main.js');
    writeFileSync(file, '#!/usr/bin/env node\n', { mode: 0o644 });
    execFileSync(process.execPath, [script, file]);
    expect(statSync(file).mode & 0o777).toBe(0o755);
  });
});
