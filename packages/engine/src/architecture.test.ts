import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packagesDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory())
      return entry.name === 'node_modules' || entry.name === 'dist' || entry.name === 'test-fixtures'
        ? []
        : sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });

describe('architecture', () => {
  const all = readdirSync(packagesDir).flatMap((name) => sources(join(packagesDir, name, 'src')));

  it('has no Math.random in any package source: every draw is seeded', () => {
    const offenders = all.filter((path) => /Math\.random\s*\(/.test(readFileSync(path, 'utf8')));
    expect(offenders.map((path) => relative(packagesDir, path))).toEqual([]);
  });

  it('keeps the engine domain pure: no inversify, rxjs or node: imports', () => {
    const domain = sources(join(packagesDir, 'engine', 'src', 'domain'));
    expect(domain.length).toBeGreaterThan(5);
    const offenders = domain.filter((path) => /from '(inversify|rxjs|node:[^']+)'/.test(readFileSync(path, 'utf8')));
    expect(offenders.map((path) => relative(packagesDir, path))).toEqual([]);
  });
});
