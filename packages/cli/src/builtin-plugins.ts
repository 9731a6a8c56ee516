import type { PluginChoice } from '@parzen/engine';
import type { ConfigDefaults, PluginKind, PluginPackage } from '@parzen/engine/plugin';

/**
 * The plugin packages the CLI always offers: suggesters `random`, `quasi-random` and `tpe`, stores
 * `jsonl`, `sqlite` and `postgres`, objectives `module` and `command`, pruners `median`, `percentile`,
 * `successive-halving`, `hyperband`, `threshold` and `patient` (plus the engine's own `memory` store,
 * `console` reporter and `none` pruner, and the CLI's `progress` reporter). Imported when a command
 * needs them, so `--version` and `--help` load none. The one place to add a built-in.
 */
export const loadBuiltinPlugins = async (): Promise<readonly PluginPackage[]> =>
  Promise.all([
    import('@parzen/algo-random'),
    import('@parzen/algo-tpe'),
    import('@parzen/store-file'),
    import('@parzen/store-sqlite'),
    import('@parzen/store-postgres'),
    import('@parzen/objectives'),
    import('@parzen/pruners'),
  ]);

/**
 * The names of the plugins {@link loadBuiltinPlugins} offers, by kind, in its order, and the CLI's `progress`
 * reporter: what a command that only reads a study knows without importing them (a test keeps it in step).
 */
export const BUILTIN_PLUGIN_NAMES: Readonly<Record<PluginKind, readonly string[]>> = {
  suggester: ['random', 'quasi-random', 'tpe'],
  store: ['jsonl', 'sqlite', 'postgres'],
  objective: ['module', 'command'],
  pruner: ['median', 'percentile', 'successive-halving', 'hyperband', 'threshold', 'patient'],
  reporter: ['progress'],
  stopper: [],
};

/**
 * The plugin package that gives the built-in plugin of this kind and name, alone (none for another name, such as the
 * engine's `memory` store), for commands that only read a study: `trials`, `best` and `export` load the store's,
 * `explain` and `report` the suggester's too (see `readingLoadOptions`), not every built-in package.
 */
export const loadBuiltinOf = async (kind: PluginKind, use: string): Promise<readonly PluginPackage[]> => {
  switch (`${kind}:${use}`) {
    case 'suggester:random':
    case 'suggester:quasi-random':
      return [await import('@parzen/algo-random')];
    case 'suggester:tpe':
      return [await import('@parzen/algo-tpe')];
    case 'store:jsonl':
      return [await import('@parzen/store-file')];
    case 'store:sqlite':
      return [await import('@parzen/store-sqlite')];
    case 'store:postgres':
      return [await import('@parzen/store-postgres')];
    case 'objective:module':
    case 'objective:command':
      return [await import('@parzen/objectives')];
    default:
      return kind === 'pruner' && BUILTIN_PLUGIN_NAMES.pruner.includes(use) ? [await import('@parzen/pruners')] : [];
  }
};

/** The plugin package of a built-in store alone (see {@link loadBuiltinOf}). */
export const loadBuiltinStore = (use: string): Promise<readonly PluginPackage[]> => loadBuiltinOf('store', use);

/** The suggester a config without `suggester` gets. */
export const defaultSuggester: PluginChoice = { use: 'tpe' };

/** The store a config without `store` gets: a JSONL journal `<name>.parzen.jsonl` beside the config. */
export const defaultStore: PluginChoice = { use: 'jsonl' };

/** What a config leaves out gets, in the CLI: TPE, the JSONL journal, and the progress reporter. */
export const cliDefaults: ConfigDefaults = {
  suggester: defaultSuggester,
  store: defaultStore,
  reporters: [{ use: 'progress' }],
};
