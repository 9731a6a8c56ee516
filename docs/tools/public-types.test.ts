/**
 * Two checks of the built declarations (`pnpm build`), read as a user's compiler reads them.
 *
 * Every Parzen type a public entry point's declarations name is itself exported by some entry point, so a user
 * can name it (trial 129: `At`, `TrialBase`, `SchemaNode`, `ProfileSettings` and a dozen plugin types were not;
 * the reference showed them unlinked). Reads the built declarations (`pnpm build`), as a user's compiler does;
 * `/host` (the CLI's own entry) is left out.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const packagesDir = fileURLToPath(new URL('../../packages', import.meta.url));

const entries = readdirSync(packagesDir).flatMap((folder) => {
  const json = JSON.parse(readFileSync(join(packagesDir, folder, 'package.json'), 'utf8'));
  if (json.private === true) return [];
  return Object.entries(json.exports as Record<string, { types: string }>).map(([entry, target]) => ({
    name: `${json.name}${entry.slice(1)}`,
    file: resolve(packagesDir, folder, target.types),
  }));
});

describe('public declarations', () => {
  it('name only Parzen types that an entry point exports', () => {
    const program = ts.createProgram(
      entries.map((entry) => entry.file),
      {
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        strict: true,
        skipLibCheck: true,
      },
    );
    const checker = program.getTypeChecker();
    const target = (symbol: ts.Symbol): ts.Symbol =>
      symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    const exportsOf = new Map<string, readonly ts.Symbol[]>();
    for (const entry of entries) {
      const source = program.getSourceFile(entry.file);
      const module = source === undefined ? undefined : checker.getSymbolAtLocation(source);
      expect(module, `${entry.file} is built (pnpm build)`).toBeDefined();
      exportsOf.set(entry.name, checker.getExportsOfModule(module as ts.Symbol));
    }
    const exported = new Set([...exportsOf.values()].flat().map(target));
    const ours = (symbol: ts.Symbol): boolean => {
      const file = symbol.declarations?.[0]?.getSourceFile().fileName ?? '';
      return file.startsWith(packagesDir) && file.includes('/dist/');
    };
    const unexported = new Set<string>();
    const visit = (node: ts.Node, where: string): void => {
      const name = ts.isTypeReferenceNode(node)
        ? node.typeName
        : ts.isTypeQueryNode(node)
          ? node.exprName
          : ts.isExpressionWithTypeArguments(node)
            ? node.expression
            : undefined;
      const found = name === undefined ? undefined : checker.getSymbolAtLocation(name);
      if (found !== undefined) {
        const symbol = target(found);
        if (ours(symbol) && !exported.has(symbol) && !(symbol.flags & ts.SymbolFlags.TypeParameter)) {
          const file = relative(packagesDir, symbol.declarations?.[0]?.getSourceFile().fileName ?? '');
          unexported.add(`${symbol.name} (${file}), named by ${where}`);
        }
      }
      ts.forEachChild(node, (child) => visit(child, where));
    };
    for (const [entry, symbols] of exportsOf) {
      if (entry.endsWith('/host')) continue;
      for (const symbol of symbols)
        for (const declaration of target(symbol).declarations ?? []) visit(declaration, `${entry}: ${symbol.name}`);
    }
    expect([...unexported]).toEqual([]);
  }, 120_000);
});

/**
 * The engine's internal dependencies, whose declarations no public entry point may lead to: a user's
 * compiler would check them too (with `skipLibCheck: false` and `target` ES2020, inversify's name
 * `ErrorOptions`, which that lib lacks, and the check fails), and reflect-metadata's would change the
 * user's global `Reflect`. rxjs is not one of them: the event bus and the stream reporter hand out its
 * `Observable`, so it is part of the public types.
 */
const INTERNAL =
  /\/node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?(inversify|@inversifyjs\/[^/]+|reflect-metadata|ajv|ajv-formats)\//;

describe('public declarations, as a dependency', () => {
  it("lead to no declaration of the engine's internal dependencies", () => {
    // One host for every entry, so that each file is parsed once.
    const options: ts.CompilerOptions = {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      strict: true,
      skipLibCheck: true,
      types: [],
    };
    const host = ts.createCompilerHost(options);
    const parsed = new Map<string, ts.SourceFile | undefined>();
    const getSourceFile = host.getSourceFile;
    host.getSourceFile = (file, ...rest) => {
      if (!parsed.has(file)) parsed.set(file, getSourceFile.call(host, file, ...rest));
      return parsed.get(file);
    };
    const reached = entries.flatMap((entry) =>
      ts
        .createProgram([entry.file], options, host)
        .getSourceFiles()
        .flatMap((source) => {
          const dependency = INTERNAL.exec(source.fileName)?.[1];
          return dependency === undefined ? [] : [`${entry.name} reaches ${dependency}`];
        }),
    );
    expect([...new Set(reached)]).toEqual([]);
  }, 120_000);
});
