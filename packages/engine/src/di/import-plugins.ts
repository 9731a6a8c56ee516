import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { shellQuoted } from '../builtins/words.js';
import type { AnyPluginManifest, PluginPackage } from '../contracts/manifest.js';
import type { ServiceProvider } from '../contracts/services.js';
import {
  type ConfigIssue,
  describeValue,
  didYouMean,
  type ErrorCode,
  formatIssues,
  ParzenError,
  thrownAt,
} from '../errors.js';
import { lookAlikeFileHint } from '../runtime/look-alike-file.js';
import { inModuleLoad, ModuleLoadRefused } from '../runtime/process-exits.js';
import { manifestProblem } from './registry.js';

/** The config's `plugins` entry a module came from: `/plugins/<index>`, or `/plugins` when not known. */
const pluginsPointer = (index: number | undefined): string => (index === undefined ? '/plugins' : `/plugins/${index}`);

/**
 * An error about the plugin module at `plugins[index]`, as an issue at that entry (what was expected and
 * what was found), so the CLI's text and `--json` name the place in the config like any config error.
 */
const pluginModuleError = (
  code: ErrorCode,
  specifier: string,
  index: number | undefined,
  expected: string,
  found: string,
  cause?: unknown,
) => {
  const headline = code === 'PLUGIN_LOAD_FAILED' ? 'Could not load plugin module' : 'Invalid plugin module';
  const issue: ConfigIssue = { pointer: pluginsPointer(index), expected, found };
  return new ParzenError(code, `${headline} \`${specifier}\`:\n${formatIssues([issue])}`, {
    plugin: specifier,
    issues: [issue],
    ...(cause === undefined ? {} : { cause }),
  });
};

/** The package a bare specifier names: `pkg` of `pkg/sub`, `@scope/pkg` of `@scope/pkg/sub`. */
export const packageName = (specifier: string): string =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

/** The folder of `node_modules/<name>` in `baseDir` or the nearest folder above it that has one. */
const packageFolder = (name: string, baseDir: string): string | undefined => {
  for (let dir = resolve(baseDir); ; dir = dirname(dir)) {
    const folder = join(dir, 'node_modules', name);
    if (existsSync(join(folder, 'package.json'))) return folder;
    if (dirname(dir) === dir) return undefined;
  }
};

/** Whether `baseDir` or a folder above it has `node_modules/<name>`: installed, though Node may not load it. */
const installedFrom = (name: string, baseDir: string): boolean => packageFolder(name, baseDir) !== undefined;

/** The conditions an `import` of a package's `exports` matches, as Node's ESM loader does. */
const IMPORT_CONDITIONS = new Set(['import', 'node', 'default']);

/** A blocked entry (`null` in `exports`): Node stops there. */
const BLOCKED = Symbol('blocked');

/** Whether a target stays inside its package: `./` first, then no empty, `.`, `..` or `node_modules` segment. */
const validTarget = (target: string): boolean =>
  target.startsWith('./') &&
  target
    .split(/[\\/]/)
    .slice(1)
    .every(
      (segment) => segment !== '' && segment !== '.' && segment !== '..' && segment.toLowerCase() !== 'node_modules',
    );

/**
 * A target of a package's `exports` for `import`, as Node resolves it: a valid string; the first item of
 * an array that resolves; the first condition that matches and resolves (a nested object that resolves to
 * nothing lets the search go on); `null` blocks.
 */
const exportTarget = (entry: unknown): string | typeof BLOCKED | undefined => {
  if (entry === null) return BLOCKED;
  if (typeof entry === 'string') return validTarget(entry) ? entry : undefined;
  if (Array.isArray(entry)) {
    for (const item of entry) {
      const target = exportTarget(item);
      if (typeof target === 'string') return target;
    }
    return undefined;
  }
  if (typeof entry !== 'object') return undefined;
  for (const [condition, value] of Object.entries(entry)) {
    if (!IMPORT_CONDITIONS.has(condition)) continue;
    const target = exportTarget(value);
    if (target !== undefined) return target;
  }
  return undefined;
};

/** A package folder's package.json, or undefined when it has none that parses. */
const packageJson = (
  folder: string,
): { readonly name?: unknown; readonly exports?: unknown; readonly main?: unknown } | undefined => {
  try {
    return JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as {
      name?: unknown;
      exports?: unknown;
      main?: unknown;
    };
  } catch {
    return undefined;
  }
};

/** The file the package in `folder` exports at `subpath` (`.`, `./extra`) for `import`, as Node resolves it. */
const exportedFile = (folder: string, subpath: string): string | undefined => {
  const exports = packageJson(folder)?.exports;
  const bySubpath =
    exports !== null &&
    typeof exports === 'object' &&
    !Array.isArray(exports) &&
    Object.keys(exports).some((key) => key.startsWith('.'));
  const entry = bySubpath ? (exports as Record<string, unknown>)[subpath] : subpath === '.' ? exports : undefined;
  const target = exportTarget(entry);
  if (typeof target !== 'string') return undefined;
  const path = join(folder, target);
  // A target not there yet is the package's own (not built), said as such when its import fails.
  return path.startsWith(`${folder}${sep}`) ? path : undefined;
};

/**
 * The packages installed in the `node_modules` folders of `baseDir` and the folders above it (`@scope/name` for
 * scoped ones), for a did-you-mean; a folder that cannot be read is left out.
 */
const installedPackages = (baseDir: string): string[] => {
  const names = new Set<string>();
  const read = (dir: string): string[] => {
    try {
      return readdirSync(dir);
    } catch {
      return [];
    }
  };
  for (let dir = resolve(baseDir); ; dir = dirname(dir)) {
    const modules = join(dir, 'node_modules');
    for (const entry of read(modules)) {
      if (entry.startsWith('.')) continue;
      if (entry.startsWith('@')) for (const inner of read(join(modules, entry))) names.add(`${entry}/${inner}`);
      else names.add(entry);
    }
    if (dirname(dir) === dir) break;
  }
  return [...names];
};

/**
 * The file loading a package gives, found as the by-name path and a package's folder both find it, by Node's own
 * resolver: `require.resolve` of `request` from `from` (`exports` with the require conditions; else `main` by Node's
 * rules, its extension left out or a folder with an index.js; else index.js), and for a package whose `exports`
 * answer only `import` (ESM-only, which require refuses), its `exports` target for `import` at `subpath`.
 */
const resolvedEntry = (
  from: string,
  request: string,
  folder: () => string | undefined,
  subpath: string,
): { file: string } | { unresolved: Error } => {
  try {
    return { file: createRequire(from).resolve(request) };
  } catch (error) {
    const at = folder();
    const target = at === undefined ? undefined : exportedFile(at, subpath);
    return target !== undefined
      ? { file: target }
      : { unresolved: error instanceof Error ? error : new Error(String(error)) };
  }
};

/**
 * The entry file of the package in `folder`: the file loading it by name gives once installed. With `exports`,
 * its own name resolved from inside it (Node's self-reference, which reads `exports` as an install would); else
 * the folder itself (its `main` or index.js, as for a package found by name; `exports` is not read for a path).
 */
const folderEntry = (folder: string): { file: string } | { unresolved: Error } => {
  const json = packageJson(folder);
  // A folder that is no package (no package.json): its module file is to be named.
  if (json === undefined) return { unresolved: new Error(`no package.json in ${folder}`) };
  const name = typeof json.name === 'string' ? json.name : undefined;
  // The trailing separator: the folder itself, never a file beside it of its name and an extension.
  const request = json.exports !== undefined && name !== undefined ? name : `${folder}${sep}`;
  return resolvedEntry(join(folder, 'package.json'), request, () => folder, '.');
};

/**
 * What a package's folder that resolves to no file names, for its message: the file its `exports` or `main` names
 * (when that is not there: build the package first?), else that it names none and has no index.js.
 */
const folderEntryHint = (folder: string): string => {
  const json = packageJson(folder);
  if (json === undefined) return '';
  const named =
    json.exports !== undefined
      ? exportedFile(folder, '.')
      : typeof json.main === 'string'
        ? resolve(folder, json.main)
        : undefined;
  if (named !== undefined) return `; its package.json names ${named}, which does not exist (build the package first?)`;
  return json.exports !== undefined
    ? '; its package.json\'s "exports" has no entry for `.` that Node can load'
    : '; its package.json names no entry ("exports" or "main"), and it has no index.js';
};

/**
 * How close an installed package's name must be to be offered for one not installed: a likely misspelling only
 * (one edit per 8 characters, a swap of two neighbours one edit), since names share a scope or a prefix
 * (`@parzen/algo-cmaes` is another package, not a misspelt `@parzen/algo-tpe`).
 */
const PACKAGE_NAME_CLOSENESS = { charsPerEdit: 8, prefix: false } as const;

/**
 * `PLUGIN_LOAD_FAILED` for a package that is not installed, as an issue at the config's `plugins` entry
 * (`/plugins/<index>`) when the index is known; Node's own text (which names the engine's file) is left out.
 */
const packageMissing = (specifier: string, baseDir: string, index: number | undefined, cause: unknown) => {
  const name = packageName(specifier);
  // A file of that name beside the config: a plugin file is written as a path (trial 86: `npm install plug.mjs`).
  const file = resolve(baseDir, specifier);
  const found =
    existsSync(file) && !statSync(file).isDirectory()
      ? `no installed package '${name}', but a file ${file}: a plugin file is a path, write "./${specifier}"`
      : `cannot find package '${name}' (looked from ${baseDir})${didYouMean(name, installedPackages(baseDir), PACKAGE_NAME_CLOSENESS)}; install it (npm install ${name}) or fix the name`;
  return pluginModuleError('PLUGIN_LOAD_FAILED', specifier, index, 'an installed package', found, cause);
};

const isModuleNotFound = (error: unknown): boolean =>
  (error as { code?: unknown } | null)?.code === 'ERR_MODULE_NOT_FOUND';

/** The module URL to import: a file's, the package's entry resolved from `baseDir`, or the bare specifier. */
const resolveSpecifier = (
  specifier: string,
  baseDir: string,
  index: number | undefined,
): { url: string; unresolved?: Error } => {
  if (specifier.startsWith('.') || isAbsolute(specifier)) {
    const path = isAbsolute(specifier) ? specifier : resolve(baseDir, specifier);
    const expected = 'a module file (a path relative to the config, or an installed package)';
    if (!existsSync(path))
      throw pluginModuleError(
        'PLUGIN_LOAD_FAILED',
        specifier,
        index,
        expected,
        `no file at ${path}${lookAlikeFileHint(path)}`,
      );
    if (statSync(path).isDirectory()) {
      // A package's own folder (as its author tries it before packing): the entry its package.json names.
      const entry = folderEntry(resolve(path));
      if ('file' in entry && existsSync(entry.file)) return { url: pathToFileURL(entry.file).href };
      const hint = folderEntryHint(resolve(path));
      throw pluginModuleError(
        'PLUGIN_LOAD_FAILED',
        specifier,
        index,
        expected,
        `a folder, ${path}${hint}: write its module file, or install the folder as a package (npm install ${shellQuoted(path)}) and list the package's name`,
      );
    }
    return { url: pathToFileURL(path).href };
  }
  const name = packageName(specifier);
  const entry = resolvedEntry(
    join(baseDir, 'parzen-config.js'),
    specifier,
    () => packageFolder(name, baseDir),
    `.${specifier.slice(name.length)}`,
  );
  return 'file' in entry ? { url: pathToFileURL(entry.file).href } : { url: specifier, unresolved: entry.unresolved };
};

/** A specifier that is a URL (`file:///…`, `data:…`): imported as written. */
const URL_SPECIFIER = /^[a-z][a-z0-9+.-]+:/i;

/**
 * Whether the module of a config's `plugins` entry is there, found as {@link importPluginPackage} finds it but
 * with nothing imported: the `PLUGIN_LOAD_FAILED` error its import gives for a file that does not exist, a package
 * that is not installed (or installed and not built), a `file:` URL of no file; undefined when the module is there
 * (it may still fail to load, or export no `manifests`). `from` is the module a bare specifier not found from
 * `baseDir` is imported from, as `importModule` imports it (default: this one's, as the default `importModule`).
 */
export const missingPluginModule = (
  specifier: string,
  baseDir: string,
  index?: number,
  from: string = import.meta.url,
): ParzenError | undefined => {
  let found: { url: string; unresolved?: Error };
  try {
    found = resolveSpecifier(specifier, baseDir, index);
  } catch (error) {
    if (error instanceof ParzenError) return error;
    throw error;
  }
  const { url, unresolved } = found;
  if (unresolved === undefined) return entryMissing(specifier, url, index);
  // The bare specifier, imported as written: a URL, or a package found from `from`.
  if (URL_SPECIFIER.test(specifier)) return entryMissing(specifier, specifier, index);
  const name = packageName(specifier);
  const fromFile = from.startsWith('file:') ? fileURLToPath(from) : from;
  const entry = resolvedEntry(
    fromFile,
    specifier,
    () => packageFolder(name, dirname(fromFile)),
    `.${specifier.slice(name.length)}`,
  );
  return 'file' in entry
    ? entryMissing(specifier, pathToFileURL(entry.file).href, index)
    : notFound(specifier, baseDir, index, unresolved);
};

/** The error of a module URL found whose file is not there (a package not built, a `file:` URL of no file). */
const entryMissing = (specifier: string, url: string, index: number | undefined): ParzenError | undefined =>
  url.startsWith('file:') && !existsSync(fileURLToPath(url))
    ? unbuilt(specifier, index, fileURLToPath(url))
    : undefined;

/** A package's entry file that does not exist: not built yet (trial 70: said as "something it imports is missing"). */
const unbuilt = (specifier: string, index: number | undefined, entry: string, cause?: unknown): ParzenError =>
  URL_SPECIFIER.test(specifier)
    ? pluginModuleError('PLUGIN_LOAD_FAILED', specifier, index, 'a module file', `no file at ${entry}`, cause)
    : pluginModuleError(
        'PLUGIN_LOAD_FAILED',
        specifier,
        index,
        'a package whose entry file exists',
        `its entry ${entry} does not exist (the file its package.json's "exports" or "main" names: build the package first?)`,
        cause,
      );

/** A bare specifier Node finds neither from `baseDir` nor as written: not installed, or installed and not resolved. */
const notFound = (
  specifier: string,
  baseDir: string,
  index: number | undefined,
  unresolved: Error,
  cause?: unknown,
): ParzenError => {
  const name = packageName(specifier);
  if (!installedFrom(name, baseDir)) return packageMissing(specifier, baseDir, index, cause);
  const entry = /^Cannot find module '([^']+)'/.exec(unresolved.message)?.[1];
  if (entry !== undefined && isAbsolute(entry) && !existsSync(entry)) return unbuilt(specifier, index, entry, cause);
  return pluginModuleError(
    'PLUGIN_LOAD_FAILED',
    specifier,
    index,
    `a package that resolves from ${baseDir}`,
    `it is installed, but cannot be resolved: ${unresolved.message}`,
    cause,
  );
};

/** How a plugin module is imported, given its resolved URL (or a bare specifier Node resolves). */
export type ImportModule = (url: string) => Promise<Record<string, unknown>>;

/**
 * Imports a third-party plugin package: the module exports `manifests` (an array of plugin manifests)
 * and maybe `services` (service providers), or a default export with those fields. Every manifest is
 * checked before anything of it runs. `index` is its place in the config's `plugins`, for the pointer of
 * a package that is not installed; `importModule` imports it (default: `import()`).
 */
export const importPluginPackage = async (
  specifier: string,
  baseDir: string,
  index?: number,
  importModule: ImportModule = (url) => import(url),
): Promise<PluginPackage> => {
  const { url, unresolved } = resolveSpecifier(specifier, baseDir, index);
  const failed = (expected: string, found: string, cause: unknown) =>
    pluginModuleError('PLUGIN_LOAD_FAILED', specifier, index, expected, found, cause);
  let loaded: Record<string, unknown>;
  try {
    // Its top-level code runs on Parzen's thread: a process.exit() in it, or an await that never settles, would end
    // the process with its exit code (0 looked like a success) or with Node's silent exit code 13.
    loaded = await inModuleLoad(`Plugin module \`${specifier}\``, () => importModule(url));
  } catch (error) {
    if (error instanceof ModuleLoadRefused)
      throw failed(
        'a module that loads',
        `${error.neverSettled ? 'no end to its load' : 'an error while it loaded'}: ${error.reason}${error.place === undefined ? '' : ` (at ${error.place})`}`,
        error.cause ?? error,
      );
    const message = error instanceof Error ? error.message : String(error);
    const name = packageName(specifier);
    // The bare specifier, not resolved from baseDir, and Node cannot find that package either.
    if (
      unresolved !== undefined &&
      isModuleNotFound(error) &&
      [name, specifier].some((named) => message.startsWith(`Cannot find package '${named}' `))
    )
      throw notFound(specifier, baseDir, index, unresolved, error);
    // The package was found, but the file its `exports` (or `main`) name is not there: not built yet (trial
    // 70: said as "something it imports is missing", imported from Parzen's own file).
    if (isModuleNotFound(error) && url.startsWith('file:') && !existsSync(fileURLToPath(url)))
      throw unbuilt(specifier, index, fileURLToPath(url), error);
    // The package was found: a module it imports is missing.
    if (isModuleNotFound(error))
      throw failed('a module whose imports are installed', `something it imports is missing: ${message}`, error);
    // Where, as far as Node says (trial 33: no file or line): an ESM syntax error carries no place, so the
    // command that shows it; an error thrown while the module ran, its first frame in a file of the plugin.
    if (error instanceof SyntaxError && !/:\d+/.test(message))
      throw failed(
        'a module that loads',
        `a syntax error: ${message}${url.startsWith('file:') ? ` (\`node --check ${fileURLToPath(url)}\` shows where)` : ''}`,
        error,
      );
    const what = error instanceof SyntaxError ? 'a syntax error' : 'an error while it loaded';
    const frame = error instanceof Error ? thrownAt(error) : undefined;
    throw failed('a module that loads', `${what}: ${message}${frame === undefined ? '' : ` (at ${frame})`}`, error);
  }
  const fallback = loaded.default as Record<string, unknown> | undefined;
  const manifests = loaded.manifests ?? fallback?.manifests;
  const services = loaded.services ?? fallback?.services;
  if (!Array.isArray(manifests)) {
    const exported = Object.keys(loaded);
    const found =
      manifests === undefined
        ? `no \`manifests\` export (it exports ${exported.join(', ') || 'nothing'})`
        : `\`manifests\` = ${describeValue(manifests)}`;
    throw pluginModuleError(
      'PLUGIN_INVALID',
      specifier,
      index,
      'a module exporting `manifests`, an array of plugin manifests',
      found,
    );
  }
  manifests.forEach((manifest, at) => {
    const problem = manifestProblem(manifest);
    if (problem !== undefined)
      throw pluginModuleError(
        'PLUGIN_INVALID',
        specifier,
        index,
        'valid plugin manifests',
        `manifests[${at}]: ${problem}`,
      );
  });
  if (services !== undefined) {
    const bad =
      !Array.isArray(services) ||
      services.some((s) => typeof s?.create !== 'function' || typeof s?.token?.id !== 'symbol');
    if (bad) {
      throw pluginModuleError(
        'PLUGIN_INVALID',
        specifier,
        index,
        '`services`, an array of { token, create } service providers',
        `\`services\` = ${describeValue(services)}`,
      );
    }
  }
  return {
    manifests: manifests as AnyPluginManifest[],
    ...(services === undefined ? {} : { services: services as ServiceProvider[] }),
  };
};
