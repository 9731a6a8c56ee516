import { type LoadExperimentOptions, loadExperiment, type ParzenError } from '@parzen/engine';
import { importPluginPackage, missingPluginModule } from '@parzen/engine/host';
import type { AnyPluginManifest, PluginKind, PluginPackage } from '@parzen/engine/plugin';
import { BUILTIN_PLUGIN_NAMES, cliDefaults, defaultStore, loadBuiltinOf, loadBuiltinStore } from './builtin-plugins.js';
import { enableTypeScriptPlugins, importPluginModule, PLUGIN_IMPORTS_FROM } from './plugin-imports.js';
import { type ProgressSettings, progressReporterManifest } from './progress-reporter.js';

/**
 * What a command that reads a study uses besides its store: `explain` and `report` replay the study's suggester (its
 * settings as its schema fills them in), and `report` compares studies by their objective (its options as its schema
 * fills them in) and evaluates a `module` objective for `--contour`.
 */
export interface ReadingUses {
  /** The config's suggester: the built-in package that gives it is loaded (a plugin's stays a stand-in). */
  readonly suggester?: boolean;
  /**
   * The config's objective, likewise; `several`: when the command's configs name several studies (a matrix, or
   * several configs), which a comparison page groups by their objective.
   */
  readonly objective?: boolean | 'several';
}

/**
 * How a command that only reads a config's stored study (`trials`, `best`, `export`, `studies`, `explain`, `report`)
 * checks the config: as `validate` does, with the same plugin names in the same order, but only the plugins a read
 * uses are loaded: the plugins that give its store (see {@link readingStores}), the CLI's own `progress` reporter, and
 * the built-in packages of the plugins in `uses` that the config chooses (`explain`'s and `report`'s suggester). Every
 * other plugin (the built-in ones, and those of the config's `plugins`) is a stand-in that takes any options and is
 * never created, so the suggesters, objectives and pruners a read does not use (TPE alone takes tens of milliseconds
 * to import) stay unloaded and their options unchecked, whatever gives the store: `validate` and `run` check them.
 */
export const readingLoadOptions = async (
  config: unknown,
  baseDir: string,
  progress: ProgressSettings,
  uses: ReadingUses = {},
): Promise<{ readonly config: unknown; readonly options: LoadExperimentOptions }> => {
  const fields = typeof config === 'object' && config !== null && !Array.isArray(config) ? config : {};
  const { plugins, ...rest } = fields as { plugins?: unknown };
  const listed = Array.isArray(plugins) && plugins.length > 0;
  // A `plugins` the engine refuses is left in, for the engine to refuse (it does before importing any).
  const wellFormed = !listed || plugins.every((plugin) => typeof plugin === 'string' && plugin.trim() !== '');
  const store = (rest as { store?: unknown }).store ?? defaultStore;
  const use = typeof store === 'object' && store !== null ? (store as { use?: unknown }).use : undefined;
  const stores = await readingStores(use, listed && wellFormed ? plugins : [], baseDir);
  // The built-in packages of the other plugins the command uses, as the config chooses them (or its default).
  const used = (
    await Promise.all(
      (['suggester', 'objective'] as const).flatMap((kind) => {
        const chosen =
          (rest as Partial<Record<string, unknown>>)[kind] ??
          (kind === 'suggester' ? cliDefaults.suggester : undefined);
        const name = typeof chosen === 'object' && chosen !== null ? (chosen as { use?: unknown }).use : undefined;
        return uses[kind] === true && typeof name === 'string' ? [loadBuiltinOf(kind, name)] : [];
      }),
    )
  ).flat();
  const loaded = used.flatMap((pkg) => pkg.manifests);
  const services = [...(stores.services ?? []), ...used.flatMap((pkg) => pkg.services ?? [])];
  const progressReporter = progressReporterManifest(progress) as AnyPluginManifest;
  const manifests: AnyPluginManifest[] = Object.entries(BUILTIN_PLUGIN_NAMES).flatMap(([kind, names]) =>
    kind === 'store'
      ? stores.manifests
      : names.map((name) =>
          kind === progressReporter.kind && name === progressReporter.name
            ? progressReporter
            : (loaded.find((manifest) => manifest.kind === kind && manifest.name === name) ??
              standIn(kind as PluginKind, name)),
        ),
  );
  // The plugins of a config's `plugins` packages it names: stand-ins too, as they are not loaded.
  if (listed && wellFormed) {
    const known = new Set([...(await engineNames()), ...manifests.map(({ kind, name }) => `${kind}:${name}`)]);
    for (const [kind, name] of chosenPlugins(rest))
      if (!known.has(`${kind}:${name}`)) {
        known.add(`${kind}:${name}`);
        manifests.push(standIn(kind, name));
      }
  }
  return {
    config: listed && wellFormed ? rest : config,
    options: {
      plugins: [{ manifests, ...(services.length === 0 ? {} : { services }) } satisfies PluginPackage],
      baseDir,
      defaults: cliDefaults,
    },
  };
};

/** Whether the store of this name is a built-in one (the CLI's, or the engine's `memory`): the config's `plugins` do not give it. */
export const builtinStore = async (use: unknown): Promise<boolean> =>
  typeof use === 'string' && (BUILTIN_PLUGIN_NAMES.store.includes(use) || (await engineNames()).has(`store:${use}`));

/**
 * The store plugins a read of a store `use` loads, as one package: the built-in stores (the one chosen loaded, the
 * others stand-ins of their names), then the stores of the config's `plugins` (`plugins`: its well-formed entries)
 * when the store chosen is not built in (or is no store at all), with their services. Those entries are imported as
 * `validate` imports them, but for an entry that is not there ({@link missingPlugins}): a read needs no other plugin of
 * them, so that one is left out, unless no entry gives the store: then the read is refused with the first such
 * entry's error, as `validate` refuses the config (the store may be its). So the stores an error lists are the ones
 * `validate` lists.
 */
export const readingStores = async (
  use: unknown,
  plugins: readonly unknown[],
  baseDir: string,
): Promise<PluginPackage> => {
  const chosen = typeof use === 'string' && BUILTIN_PLUGIN_NAMES.store.includes(use) ? use : undefined;
  const builtins = chosen === undefined ? [] : await loadBuiltinStore(chosen);
  const stores: AnyPluginManifest[] = BUILTIN_PLUGIN_NAMES.store.map(
    (name) =>
      builtins
        .flatMap((pkg) => pkg.manifests)
        .find((manifest) => manifest.kind === 'store' && manifest.name === name) ?? standIn('store', name),
  );
  const services = builtins.flatMap((pkg) => pkg.services ?? []);
  if (chosen === undefined && !(await builtinStore(use))) {
    const specifiers = plugins.filter((plugin): plugin is string => typeof plugin === 'string');
    await enableTypeScriptPlugins({ plugins: specifiers });
    const missing: ParzenError[] = [];
    let found = false;
    for (const [index, specifier] of specifiers.entries()) {
      const problem = missingPluginModule(specifier, baseDir, index, PLUGIN_IMPORTS_FROM);
      if (problem !== undefined) {
        missing.push(problem);
        continue;
      }
      const pkg = await importPluginPackage(specifier, baseDir, index, importPluginModule);
      const own = pkg.manifests.filter(({ kind }) => kind === 'store');
      found ||= own.some(({ name }) => name === use);
      stores.push(...own);
      services.push(...(pkg.services ?? []));
    }
    const [first] = missing;
    if (first !== undefined && !found) throw first;
  }
  return { manifests: stores, ...(services.length === 0 ? {} : { services }) };
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

/**
 * The config's `plugins` entries that are not there, as `validate` finds them (`PLUGIN_LOAD_FAILED`), by the engine's
 * own resolution with nothing imported: a module file that does not exist, a package that is not installed or not
 * built. An entry that is there but does not load is left to `validate`. For a read, which loads none of them but
 * those that give its store, to say so.
 */
export const missingPlugins = (
  config: unknown,
  baseDir: string,
): { readonly pointer: string; readonly specifier: string; readonly found: string }[] => {
  const plugins = typeof config === 'object' && config !== null ? (config as { plugins?: unknown }).plugins : undefined;
  if (!Array.isArray(plugins)) return [];
  return plugins.flatMap((specifier: unknown, index) => {
    if (typeof specifier !== 'string' || specifier.trim() === '') return [];
    const issue = missingPluginModule(specifier, baseDir, index, PLUGIN_IMPORTS_FROM)?.issues?.[0];
    return issue === undefined ? [] : [{ pointer: issue.pointer, specifier, found: issue.found }];
  });
};

/**
 * What a read says of the config's `plugins` entries that are not there ({@link missingPlugins}): the study is read
 * without them (it needs none of them but those that give its store, and `prepareRuns` refused the config when no
 * other gave it), and `validate` and `run` refuse the config until they are there.
 */
export const missingPluginNotes = (path: string, config: unknown, baseDir: string): string[] =>
  missingPlugins(config, baseDir).map(
    ({ pointer, specifier, found }) =>
      `parzen: note: ${path}: ${pointer} (${specifier}): ${found}. The trials are read without it (a read loads no plugin of a config's \`plugins\` but its store's), but \`parzen validate\` and \`parzen run\` refuse the config until it is there.`,
  );
