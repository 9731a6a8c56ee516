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
 * The plugin package of a built-in store alone (none for the engine's `memory` store), for commands that
 * only read a store (`trials`, `best`, `export`): they need not load suggesters, objectives or pruners.
 */
export const loadBuiltinStore = async (use: string): Promise<readonly PluginPackage[]> => {
  switch (use) {
    case 'jsonl':
      return [await import('@parzen/store-file')];
    case 'sqlite':
      return [await import('@parzen/store-sqlite')];
    case 'postgres':
      return [await import('@parzen/store-postgres')];
    default:
      return [];
  }
};

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
