import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runExperiment } from '@parzen/engine';
import { afterAll, describe, expect, it } from 'vitest';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');

const made: string[] = [];
/** A fresh temporary folder, removed after the file's tests. */
const tempFolder = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});
const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
// The engine this package is developed against (pnpm links the workspace's into node_modules).
const engineVersion: string = JSON.parse(
  readFileSync(join(packageDir, 'node_modules/@parzen/engine/package.json'), 'utf8'),
).version;

/** Whether `version` satisfies a caret range `^a.b.c` (for 0.x, the minor must match, as npm reads it). */
const satisfiesCaret = (range: string, version: string): boolean => {
  const [a = 0, b = 0, c = 0] = range.replace(/^\^/, '').split('.').map(Number);
  const [x = 0, y = 0, z = 0] = version.split('.').map(Number);
  if (a > 0) return x === a && (y > b || (y === b && z >= c));
  return x === 0 && y === b && z >= c;
};

describe('the package layout', () => {
  it('is publishable: name, version, exports with types, files, a build script, engine as a peer', () => {
    expect(manifest.private).toBeUndefined();
    expect(manifest.name).toBe('parzen-anneal-suggester');
    expect(manifest.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(manifest.exports['.']).toMatchObject({ types: './dist/index.d.ts', default: './dist/index.js' });
    expect(manifest.files).toContain('dist');
    expect(manifest.scripts.build).toBe('tsc -b');
    expect(manifest.dependencies).toBeUndefined(); // the host's engine, not a copy of its own
    expect(satisfiesCaret(manifest.peerDependencies['@parzen/engine'], engineVersion)).toBe(true);
  });

  it('builds to what `exports` names (run the build first: pnpm build)', async () => {
    const { types, default: entry } = manifest.exports['.'];
    for (const file of [types, entry]) {
      if (!existsSync(join(packageDir, file))) throw new Error(`${file} is missing: build first (npx pnpm build)`);
    }
    expect(readFileSync(join(packageDir, types), 'utf8')).toMatch(/createAnnealSuggester[\s\S]*manifests/);
    const built = await import(join(packageDir, entry));
    expect(built.manifests.map((plugin: { kind: string; name: string }) => `${plugin.kind}:${plugin.name}`)).toEqual([
      'suggester:anneal',
    ]);
  });

  it('installs under its name: a config lists "parzen-anneal-suggester" and the study runs with it', async () => {
    const project = tempFolder('parzen-anneal-install-');
    mkdirSync(join(project, 'node_modules'));
    symlinkSync(packageDir, join(project, 'node_modules', 'parzen-anneal-suggester'), 'dir');
    // The name resolves through the package's `exports` (to the source here, where the test runner sets
    // the `@parzen/source` condition; to dist/index.js for plain Node, which the test above imports).
    const result = await runExperiment(
      {
        name: 'installed',
        seed: 4,
        space: { x: { type: 'uniform', low: -10, high: 10 } },
        objective: { use: 'function', options: { name: 'square' } },
        suggester: { use: 'anneal', options: { shrinkCoefficient: 0.2 } },
        store: { use: 'memory' },
        budget: { maxTrials: 30 },
        plugins: ['parzen-anneal-suggester'],
      },
      { functions: { square: ({ x }) => ((x as number) - 3) ** 2 }, baseDir: project },
    );
    expect(result.summary.complete).toBe(30);
    expect(result.summary.best?.loss).toBeLessThan(0.5);
  });
});
