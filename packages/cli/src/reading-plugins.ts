import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { type LoadExperimentOptions, loadExperiment } from '@parzen/engine';
import type { AnyPluginManifest, PluginKind, PluginPackage } from '@parzen/engine/plugin';
import { BUILTIN_PLUGIN_NAMES, cliDefaults, defaultStore, loadBuiltinStore } from './builtin-plugins.js';
import { type ProgressSettings, progressReporterManifest } from './progress-reporter.js';

/**
 * How a command that only reads a config's stored study (`trials`, `best`, `export`, `studies`) checks the config:
 * as `validate` does, with the same plugin names in the same order, but only the plugins a read uses are loaded (the
 * store's package and the CLI's own `progress` reporter). Every other built-in plugin is a stand-in that takes any
 * options and is never created, so the suggesters, objectives and pruners (TPE alone takes tens of milliseconds to
 * import) stay unloaded and their options unchecked: a read does not use them, and `validate` and `run` check them.
 * A config's `plugins` are not imported (a read needs none of them, and reads the study where they are not
 * installed), unless its store is one of theirs: then the config is loaded as `validate` loads it (undefined).
 */
export const readingLoadOptions = async (
  config: unknown,
  baseDir: string,
  progress: ProgressSettings,
): Promise<{ readonly config: unknown; readonly options: LoadExperimentOptions } | undefined> => {
  const fields = typeof config === 'object' && config !== null && !Array.isArray(config) ? config : {};
  const { plugins, ...rest } = fields as { plugins?: unknown };
  const listed = Array.isArray(plugins) && plugins.length > 0;
  // A `plugins` the engine refuses is left in, for the engine to refuse (it does before importing any).
  const wellFormed = !listed || plugins.every((plugin) => typeof plugin === 'string' && plugin.trim() !== '');
  const store = (rest as { store?: unknown }).store ?? defaultStore;
  const use = typeof store === 'object' && store !== null ? (store as { use?: unknown }).use : undefined;
  const builtinStore = typeof use === 'string' && BUILTIN_PLUGIN_NAMES.store.includes(use);
  if (listed && wellFormed && typeof use === 'string' && !builtinStore && !(await engineNames()).has(`store:${use}`))
    return undefined;
  const stores = builtinStore ? await loadBuiltinStore(use) : [];
  const real = new Map<string, AnyPluginManifest>(
    [...stores.flatMap((pkg) => pkg.manifests), progressReporterManifest(progress) as AnyPluginManifest].map(
      (manifest) => [`${manifest.kind}:${manifest.name}`, manifest],
    ),
  );
  const manifests: AnyPluginManifest[] = Object.entries(BUILTIN_PLUGIN_NAMES).flatMap(([kind, names]) =>
    names.map((name) => real.get(`${kind}:${name}`) ?? standIn(kind as PluginKind, name)),
  );
  // The plugins of a config's `plugins` packages it names: stand-ins too, as they are not imported.
  if (listed && wellFormed) {
    const known = new Set([...(await engineNames()), ...manifests.map(({ kind, name }) => `${kind}:${name}`)]);
    for (const [kind, name] of chosenPlugins(rest))
      if (!known.has(`${kind}:${name}`)) {
        known.add(`${kind}:${name}`);
        manifests.push(standIn(kind, name));
      }
  }
  const services = stores.flatMap((pkg) => pkg.services ?? []);
  return {
    config: listed && wellFormed ? rest : config,
    options: {
      plugins: [{ manifests, ...(services.length === 0 ? {} : { services }) } satisfies PluginPackage],
      baseDir,
      defaults: cliDefaults,
    },
  };
};

/** A plugin a read does not create: any options pass, and it is never made. */
const standIn = (kind: PluginKind, name: string): AnyPluginManifest =>
  ({
    kind,
    name,
    optionsSchema: {},
    create: () => {
      throw new Error(`the ${kind} plugin \`${name}\` is not loaded to read a study`);
    },
  }) as unknown as AnyPluginManifest;

/** The plugins a config chooses, by kind and name (a matrix variant's config: no matrix). */
const chosenPlugins = (config: object): [PluginKind, string][] => {
  const slots = config as Partial<Record<string, unknown>>;
  const choices: [PluginKind, unknown][] = [
    ['objective', slots.objective],
    ['suggester', slots.suggester],
    ['pruner', slots.pruner],
    ['stopper', slots.stopper],
    ...(Array.isArray(slots.reporters) ? slots.reporters : []).map((choice): [PluginKind, unknown] => [
      'reporter',
      choice,
    ]),
  ];
  return choices.flatMap(([kind, choice]) => {
    const use = typeof choice === 'object' && choice !== null ? (choice as { use?: unknown }).use : undefined;
    return typeof use === 'string' && NAME.test(use) ? [[kind, use]] : [];
  });
};

/** What a plugin's name may be (a stand-in for another would be an invalid manifest, not the config's mistake). */
const NAME = /^[a-z0-9][a-z0-9._-]*$/i;

let engineNamesLoaded: Promise<ReadonlySet<string>> | undefined;

/** The engine's own plugins (`memory`, `console`, `events`, `none`, ...), as `kind:name`: a stand-in may be none of them. */
const engineNames = (): Promise<ReadonlySet<string>> => {
  engineNamesLoaded ??= loadExperiment(
    {
      name: 'probe',
      space: { x: { type: 'uniform', low: 0, high: 1 } },
      objective: { use: 'probe' },
      suggester: { use: 'probe' },
      store: { use: 'memory' },
      reporters: [],
      budget: { maxTrials: 1 },
    },
    { plugins: [{ manifests: [standIn('objective', 'probe'), standIn('suggester', 'probe')] }] },
  ).then(
    ({ registry }) =>
      new Set(
        registry
          .all()
          .filter(({ name }) => name !== 'probe')
          .map(({ kind, name }) => `${kind}:${name}`),
      ),
  );
  return engineNamesLoaded;
};

/** The package a bare specifier names: `pkg` of `pkg/sub`, `@scope/pkg` of `@scope/pkg/sub`. */
const packageOf = (specifier: string): string =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

/** Whether a `node_modules/<name>` with a package.json is in `baseDir` or a folder above it. */
const installed = (name: string, baseDir: string): boolean => {
  for (let dir = resolve(baseDir); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'node_modules', name, 'package.json'))) return true;
    if (dirname(dir) === dir) return false;
  }
};

/**
 * The config's `plugins` entries that are not there, as `validate` finds them (`PLUGIN_LOAD_FAILED`): a module file
 * that does not exist, a package that is not installed. Nothing is imported; an entry that is there but does not
 * load is left to `validate`. For a read, which needs none of them (when its store is built in), to say so.
 */
export const missingPlugins = (
  config: unknown,
  baseDir: string,
): { readonly pointer: string; readonly specifier: string; readonly found: string }[] => {
  const plugins = typeof config === 'object' && config !== null ? (config as { plugins?: unknown }).plugins : undefined;
  if (!Array.isArray(plugins)) return [];
  return plugins.flatMap((specifier: unknown, index) => {
    if (typeof specifier !== 'string' || specifier.trim() === '') return [];
    const pointer = `/plugins/${index}`;
    if (specifier.startsWith('.') || isAbsolute(specifier)) {
      const path = resolve(baseDir, specifier);
      return existsSync(path) ? [] : [{ pointer, specifier, found: `no file at ${path}` }];
    }
    const name = packageOf(specifier);
    if (installed(name, baseDir)) return [];
    try {
      createRequire(join(baseDir, 'parzen-config.js')).resolve(specifier);
      return [];
    } catch {
      return [{ pointer, specifier, found: `cannot find package '${name}' (looked from ${baseDir})` }];
    }
  });
};
