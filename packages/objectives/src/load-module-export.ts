import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { extname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { clippedText, describeThrown, lookAlikeFileHint, packageName, thrownAt } from '@parzen/engine/plugin';
import { importTsx } from './tsx-api.js';

/**
 * This file: a frame in it is the loader's, below the module's own (see `thrownAt`). Undefined in a CommonJS bundle,
 * which has no `import.meta.url` (reading it at load crashed such a program before it ran).
 */
export const LOADER_FILE: string | undefined = (() => {
  const here = (import.meta as { url?: string }).url;
  return typeof here === 'string' && here.startsWith('file:') ? fileURLToPath(here) : undefined;
})();

const SOURCE_FILE = /\.[cm]?[jt]sx?$/;
const TYPESCRIPT = /\.[cm]?tsx?$/;

/**
 * Whether a file's extension is one Node or tsx loads as a module (.js, .mjs, .cjs, .ts, .mts, .cts, .jsx,
 * .tsx), or it has none (Node loads an extensionless file as JavaScript).
 */
export const isModuleFile = (path: string): boolean => extname(path) === '' || SOURCE_FILE.test(path);

/** Whether a specifier names a file (rather than a package): it starts with `.` or `/`, or has a JS/TS extension. */
export const isFileSpecifier = (specifier: string): boolean =>
  specifier.startsWith('.') || isAbsolute(specifier) || SOURCE_FILE.test(specifier);

const importModule = async (specifier: string, baseDir: string, label: string): Promise<Record<string, unknown>> => {
  if (isFileSpecifier(specifier)) {
    const path = resolve(baseDir, specifier);
    if (!existsSync(path))
      throw new Error(
        `${label} \`${specifier}\` not found: no file at ${path}${lookAlikeFileHint(path)} (resolved against ${baseDir}).`,
      );
    if (!TYPESCRIPT.test(path)) {
      try {
        return (await import(pathToFileURL(path).href)) as Record<string, unknown>;
      } catch (error) {
        // A JavaScript module that imports a TypeScript file: Node refuses the `.ts` while loading the
        // graph, before any of it runs, so loading it again through tsx runs it once.
        if ((error as { code?: string } | null)?.code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw error;
      }
    }
  }
  // tsx compiles TypeScript on the fly and resolves packages from the config's folder.
  const { tsImport } = await importTsx();
  try {
    return (await tsImport(isFileSpecifier(specifier) ? pathToFileURL(resolve(baseDir, specifier)).href : specifier, {
      parentURL: pathToFileURL(`${baseDir}/`).href,
    })) as Record<string, unknown>;
  } catch (error) {
    // Only when Node names this package: a package found whose own import is missing is that package's failure.
    if (
      (error as { code?: string } | null)?.code === 'ERR_MODULE_NOT_FOUND' &&
      !isFileSpecifier(specifier) &&
      (error as Error).message.includes(`'${packageName(specifier)}'`)
    ) {
      throw new MissingPackageError(
        `${label} \`${specifier}\` not found: no package of that name in node_modules of ${baseDir} or its parent folders.`,
        specifier,
      );
    }
    throw error;
  }
};

/**
 * The names {@link pickExport} would find a function under: the module's function exports, and those of an
 * object default export (CommonJS, `export default { objective }`; review 51: "it exports none").
 */
const functionsOf = (loaded: Record<string, unknown>): string[] => {
  const inner = loaded.default;
  const nested =
    typeof inner === 'object' && inner !== null
      ? Object.keys(inner).filter((name) => isPlainFunction((inner as Record<string, unknown>)[name]))
      : [];
  const own = Object.keys(loaded).filter((name) => isPlainFunction(loaded[name]));
  return [...new Set([...own, ...nested])].sort();
};

/** Whether a value is a class (a function only `new` may call; trial 167: it failed every trial at Parzen's call). */
const isClass = (value: unknown): boolean =>
  typeof value === 'function' && /^class\b/.test(Function.prototype.toString.call(value));

/** Whether a value is a function that may be called, not a class. */
const isPlainFunction = (value: unknown): boolean => typeof value === 'function' && !isClass(value);

/** CommonJS and transpiled modules put their exports under `default`; look there too. */
const pickExport = (loaded: Record<string, unknown>, name: string): unknown => {
  let value = loaded[name];
  const inner = loaded.default as Record<string, unknown> | undefined;
  if (value === undefined && typeof inner === 'object' && inner !== null) value = inner[name];
  if (
    name === 'default' &&
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Record<string, unknown>).default === 'function'
  ) {
    value = (value as Record<string, unknown>).default;
  }
  return value;
};

/**
 * Where a JavaScript file's syntax error is, as `node --check` prints it: `file:line`, the line, and a
 * caret under the place. Undefined when the file itself parses (the error is in a module it imports) or
 * is TypeScript. Only on the error path: the message of an `import()` that fails to parse has no place.
 */
const syntaxErrorPlace = (specifier: string, baseDir: string): string | undefined => {
  if (!isFileSpecifier(specifier)) return undefined;
  const path = resolve(baseDir, specifier);
  if (TYPESCRIPT.test(path) || !existsSync(path)) return undefined;
  const result = spawnSync(process.execPath, ['--check', path], { encoding: 'utf8', timeout: 10_000 });
  if (result.status === 0) return undefined;
  const lines = (result.stderr ?? '').split('\n');
  const at = lines.findIndex((line) => line.startsWith(`${path}:`));
  if (at < 0) return undefined;
  // A minified file's one line may be megabytes: show the place, not the whole line.
  const [source = '', caret = ''] = [lines[at + 1], lines[at + 2]];
  if (source.length <= 160) return [lines[at], source, caret].join('\n');
  const column = caret.indexOf('^');
  const from = Math.max(0, column - 80);
  return [
    `${lines[at]} (column ${column + 1})`,
    `…${source.slice(from, from + 160)}…`,
    `${' '.repeat(column - from + 1)}^`,
  ].join('\n');
};

/**
 * A TypeScript file's syntax errors, from esbuild's message as tsx passes it on (`Transform failed with 1
 * error:\n/abs/obj.ts:2:15: ERROR: Unexpected ";"`, the column from 0): each said as `node --check` says a
 * JavaScript file's, its text, `file:line`, the line and a caret (trial 167: the frame of esbuild's own
 * main.js was shown as the place). Undefined when the message is not esbuild's.
 */
const transformErrors = (message: string): string | undefined => {
  if (!message.startsWith('Transform failed with ')) return undefined;
  const said = [...message.matchAll(/^(.+):(\d+):(\d+): ERROR: (.*)$/gm)].map(
    ([, file = '', row = '', column = '', text]) => {
      const line = sourceLine(file, Number(row));
      return `${text} at\n${file}:${row}${line === undefined ? '' : `\n${line}\n${' '.repeat(Number(column))}^`}`;
    },
  );
  return said.length === 0 ? undefined : said.join('\n');
};

/** Line `row` (from 1) of a file, when it can be read and is short enough to show. */
const sourceLine = (file: string, row: number): string | undefined => {
  try {
    const line = readFileSync(file, 'utf8').split(/\r?\n/)[row - 1];
    return line !== undefined && line.length <= 160 ? line : undefined;
  } catch {
    return undefined;
  }
};

// Review 128: said as a plugin that could not start, as a missing file was before.
/**
 * A package specifier that resolves to no package from the config's folder: a mistake in the config, said at
 * the option that names it.
 */
export class MissingPackageError extends Error {
  constructor(
    message: string,
    readonly specifier: string,
  ) {
    super(message);
    this.name = 'MissingPackageError';
  }
}

/**
 * The module loaded but the export named in the options is not a function: `functions` lists the exports
 * that are, so the error can point at the option (`/objective/options/export`) and name the choices.
 */
export class MissingExportError extends Error {
  constructor(
    message: string,
    readonly exportName: string,
    /** The module's exports that are functions, sorted. */
    readonly functions: readonly string[],
    /** What the name holds: `no such export`, or `a number`, say. */
    readonly found: string,
  ) {
    super(message);
    this.name = 'MissingExportError';
  }
}

/**
 * Imports a JS or TS file (resolved against `baseDir`) or a package (resolved from `baseDir`'s
 * node_modules) and returns the named export, which must be a function. Errors name the specifier, where
 * it was looked for, and what the module exports instead, calling it `label` (`Contour module`, say).
 */
export const loadModuleExport = async (
  specifier: string,
  exportName: string,
  baseDir: string,
  label = 'Objective module',
): Promise<(...args: unknown[]) => unknown> => {
  let loaded: Record<string, unknown>;
  try {
    loaded = await importModule(specifier, baseDir, label);
  } catch (error) {
    if (error instanceof MissingPackageError) throw error;
    // A module may throw anything (`throw "no GPU"`), and a message of megabytes (a tensor's repr) is cut as a
    // trial's is.
    const raw =
      error instanceof Error && typeof error.message === 'string' ? error.message : `it threw ${describeThrown(error)}`;
    // Read whole (esbuild lists every error), then cut.
    const transform = transformErrors(raw);
    const message = clippedText(raw);
    if (transform !== undefined)
      throw new Error(`${label} \`${specifier}\` failed to load: ${transform}`, { cause: error });
    const place =
      error instanceof Error && error.name === 'SyntaxError' ? syntaxErrorPlace(specifier, baseDir) : undefined;
    // An error the module threw as it ran: where, as a plugin module's is said (trial 48: no file or line).
    // Not for a module not found: the first frame is then Node's resolver's, not the module's.
    const code = (error as { code?: unknown } | null)?.code;
    const frame =
      place === undefined && error instanceof Error && code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND'
        ? thrownAt(error, LOADER_FILE)
        : undefined;
    throw new Error(
      message.startsWith(label)
        ? message
        : `${label} \`${specifier}\` failed to load: ${message}${place === undefined ? '' : ` at\n${place}`}${frame === undefined ? '' : ` (at ${frame})`}`,
      {
        cause: error,
      },
    );
  }
  const value = pickExport(loaded, exportName);
  if (!isPlainFunction(value)) {
    const names = Object.keys(loaded).sort();
    const found =
      value === undefined
        ? 'no such export'
        : value === null
          ? 'null'
          : isClass(value)
            ? 'a class, which only `new` may call'
            : typeof value === 'object'
              ? 'an object'
              : `a ${typeof value}`;
    throw new MissingExportError(
      `Export \`${exportName}\` of ${label.toLowerCase()} \`${specifier}\` is ${found}; expected a function. The module exports: ${names.join(', ') || 'nothing'}.`,
      exportName,
      functionsOf(loaded),
      found,
    );
  }
  return value as (...args: unknown[]) => unknown;
};
