import { PARZEN_VERSION } from '@parzen/engine/version';
import { describe, expect, it } from 'vitest';
import { repoRoot, runParzen } from './cli-harness.js';

describe('parzen --version', () => {
  it('prints the build a study records: the package version and the commit it was built from (all said "0.1.0")', async () => {
    const out = await runParzen(['--version'], { cwd: repoRoot });
    expect(out.code, out.stderr).toBe(0);
    // Built from a git checkout (the commit the build step found; before, every build printed "0.1.0").
    expect(out.stdout.trim()).toMatch(/^\d+\.\d+\.\d+\+[0-9a-f]{8}$/);
    expect(out.stdout.trim()).toBe(PARZEN_VERSION);
  });
});
