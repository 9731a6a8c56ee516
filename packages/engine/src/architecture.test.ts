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

/** The declaration files under `dir`, at any depth. */
const declarations = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return declarations(path);
    return entry.name.endsWith('.d.ts') ? [path] : [];
  });

describe('architecture', () => {
  // The test kit times its kill -9s with Math.random on purpose; it is test infrastructure, not a package users run.
  const all = readdirSync(packagesDir)
    .filter((name) => name !== 'test-kit')
    .flatMap((name) => sources(join(packagesDir, name, 'src')));

  it('has no Math.random in any package source: every draw is seeded', () => {
    const offenders = all.filter((path) => /Math\.random\s*\(/.test(readFileSync(path, 'utf8')));
    expect(offenders.map((path) => relative(packagesDir, path))).toEqual([]);
  });

  it("puts no note of ours, (trial N) or (review N), in code outside comments: it would reach a user's message", () => {
    const offenders = all.flatMap((path) =>
      readFileSync(path, 'utf8')
        .split('\n')
        .flatMap((line, index) => {
          if (/^\s*(\/\/|\*|\/\*)/.test(line)) return [];
          const code = line.replace(/\s\/\/\s.*$/, ''); // a comment after code (not a URL's //)
          return /\((trial|review) \d+/i.test(code) ? [`${relative(packagesDir, path)}:${index + 1}`] : [];
        }),
    );
    expect(offenders).toEqual([]);
  });

  it('makes folders with makeFolder, never a recursive mkdir (it loops for ever under /proc on Node 20)', () => {
    const offenders = all.filter((path) => /mkdir(Sync)?\([^)]*recursive/.test(readFileSync(path, 'utf8')));
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

/** The modules a file loads when imported: static imports and re-exports, type-only ones excluded. */
const staticImports = (file: string): string[] => {
  const text = readFileSync(file, 'utf8');
  const specifiers: string[] = [];
  for (const match of text.matchAll(/^(?:import|export)\s+(?!type\b)(?:[^'";]*?\s+from\s+)?'([^']+)';/gm)) {
    specifiers.push(match[1] as string);
  }
  return specifiers;
};

const workspaceEntry = (specifier: string): string | undefined => {
  const match = /^@parzen\/([\w-]+)(?:\/([\w-]+))?$/.exec(specifier);
  if (match === null) return undefined;
  const [, name, subpath] = match;
  const src = join(packagesDir, name as string, 'src');
  if (subpath === undefined) return join(src, 'index.ts');
  return subpath === 'testing' ? join(src, 'testing', 'index.ts') : join(src, `${subpath}.ts`);
};

/** Every bare (npm) module reached from `entry` through static imports, following workspace packages. */
const reachedPackages = (entry: string, workspaces = new Set<string>()): Set<string> => {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const specifier of staticImports(file)) {
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier).replace(/\.js$/, '.ts'));
      else if (specifier.startsWith('node:')) continue;
      else {
        const workspace = workspaceEntry(specifier);
        if (workspace !== undefined) workspaces.add(specifier);
        if (workspace !== undefined) visit(workspace);
        else
          packages.add(
            specifier
              .split('/')
              .slice(0, specifier.startsWith('@') ? 2 : 1)
              .join('/'),
          );
      }
    }
  };
  visit(entry);
  return packages;
};

describe('what an import costs', () => {
  const heavy = ['inversify', 'rxjs', 'ajv', 'ajv-formats', 'better-sqlite3', 'yaml', 'cli-progress', 'tsx'];
  it('the engine root (fmin, ask/tell), /plugin and /host load none of inversify, rxjs, ajv', () => {
    for (const entry of ['index.ts', 'plugin.ts', 'host.ts']) {
      const reached = [...reachedPackages(join(packagesDir, 'engine', 'src', entry))];
      expect(
        reached.filter((name) => heavy.includes(name)),
        entry,
      ).toEqual([]);
    }
  });

  it('the parzen command loads only commander before it knows the command (--version, --help)', () => {
    // main.ts imports early-signals.ts statically, then program.ts and flush-streams.ts with import() (so
    // its signal listeners come first): what those reach is what every command loads.
    const entries = ['main.ts', 'program.ts', 'flush-streams.ts'].map((file) => join(packagesDir, 'cli', 'src', file));
    const reached = [...new Set(entries.flatMap((entry) => [...reachedPackages(entry)]))].sort();
    expect(reached).toEqual(['commander', 'seedrandom']);
    // And main.ts still loads program.ts (a renamed entry would make the check above vacuous).
    expect(readFileSync(join(packagesDir, 'cli', 'src', 'main.ts'), 'utf8')).toContain("import('./program.js')");
  });

  it('loading a config and reading its store (parzen trials, best, export) load no inversify, rxjs or yaml', () => {
    // composition/experiment.ts is what `loadExperiment` and `openStoreForReading` import (lazily); the
    // container (study-scope.ts) is imported only when a study scope opens, for a run.
    for (const entry of [
      join(packagesDir, 'engine', 'src', 'composition', 'experiment.ts'),
      join(packagesDir, 'cli', 'src', 'commands', 'inspect.ts'),
      join(packagesDir, 'cli', 'src', 'commands', 'export.ts'),
    ]) {
      const reached = [...reachedPackages(entry)];
      expect(
        reached.filter((name) => ['inversify', 'rxjs', 'yaml'].includes(name)),
        entry,
      ).toEqual([]);
    }
  });

  it('trials, best, studies and export do not load the SQLite store package, only its file-name rule (review: 100 ms on best)', () => {
    // explain and report load every built-in plugin (loadBuiltinPlugins), so they are not listed (review 70).
    for (const file of ['inspect.ts', 'export.ts']) {
      const workspaces = new Set<string>();
      reachedPackages(join(packagesDir, 'cli', 'src', 'commands', file), workspaces);
      expect(
        [...workspaces].filter((name) => name.startsWith('@parzen/store-sqlite')),
        file,
      ).toEqual(['@parzen/store-sqlite/default-path']);
    }
  });

  it('random search, TPE and the stores load nothing heavy when imported', () => {
    for (const name of ['algo-random', 'algo-tpe', 'store-file', 'store-sqlite', 'objectives']) {
      const reached = [...reachedPackages(join(packagesDir, name, 'src', 'index.ts'))];
      expect(
        reached.filter((pkg) => heavy.includes(pkg)),
        name,
      ).toEqual([]);
    }
  });

  it('the shipped declarations cite no internal trial or review numbers (a user cannot look them up)', () => {
    const built = readdirSync(packagesDir)
      .map((name) => join(packagesDir, name, 'dist'))
      .filter((dist) => readdirSync(dirname(dist)).includes('dist'));
    expect(built.length, 'the packages are built (pnpm build)').toBeGreaterThan(5);
    const cited = built.flatMap(declarations).flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, index) =>
          /\b(review|trial)\s+\d{1,3}\b/i.test(line) ? [`${relative(repoDir, file)}:${index + 1}: ${line.trim()}`] : [],
        ),
    );
    expect(cited).toEqual([]);
  });

  it("the engine's declarations need no @types/node (trial 127: a plugin's strict build failed on NodeJS.ErrnoException)", () => {
    const dist = join(packagesDir, 'engine', 'dist');
    const found = declarations(dist).flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, index) =>
          /\bNodeJS\.|from 'node:|types="node"/.test(line)
            ? [`${relative(repoDir, file)}:${index + 1}: ${line.trim()}`]
            : [],
        ),
    );
    expect(found).toEqual([]);
  });
});
