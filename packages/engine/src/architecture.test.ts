import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packagesDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'dist' ? [] : sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });

/** Every TypeScript file under `dir`, tests included. */
const allFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'dist' ? [] : allFiles(path);
    return /\.(ts|mts)$/.test(entry.name) ? [path] : [];
  });

const repoDir = join(packagesDir, '..');

describe('architecture', () => {
  // The test kit times its kill -9s with Math.random on purpose; it is test infrastructure, not a package users run.
  const all = readdirSync(packagesDir)
    .filter((name) => name !== 'test-kit')
    .flatMap((name) => sources(join(packagesDir, name, 'src')));

  it('has no Math.random in any package source: every draw is seeded', () => {
    const offenders = all.filter((path) => /Math\.random\s*\(/.test(readFileSync(path, 'utf8')));
    expect(offenders.map((path) => relative(packagesDir, path))).toEqual([]);
  });

  it("imports no other package's files by relative path (workspace packages depend on each other by name)", () => {
    const roots = [
      ...readdirSync(packagesDir).map((name) => join(packagesDir, name)),
      ...readdirSync(join(repoDir, 'examples')).map((name) => join(repoDir, 'examples', name)),
      join(repoDir, 'bench'),
    ];
    const offenders: string[] = [];
    for (const root of roots) {
      for (const file of allFiles(root)) {
        for (const match of readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
          const target = resolve(dirname(file), match[1] as string);
          if (!target.startsWith(root + sep)) offenders.push(`${relative(repoDir, file)} imports ${match[1]}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });

  it('keeps the engine domain pure: no inversify, rxjs or node: imports', () => {
    const domain = sources(join(packagesDir, 'engine', 'src', 'domain'));
    expect(domain.length).toBeGreaterThan(5);
    const offenders = domain.filter((path) => /from '(inversify|rxjs|node:[^']+)'/.test(readFileSync(path, 'utf8')));
    expect(offenders.map((path) => relative(packagesDir, path))).toEqual([]);
  });
});
