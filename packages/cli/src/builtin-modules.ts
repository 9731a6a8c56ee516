import { randomModule } from '@parzen/algo-random';
import { tpeModule } from '@parzen/algo-tpe';
import type { LoadExperimentOptions, PluginChoice } from '@parzen/engine';
import { objectivesModule } from '@parzen/objectives';
import { jsonlStoreModule } from '@parzen/store-file';
import { postgresStoreModule } from '@parzen/store-postgres';
import { sqliteStoreModule } from '@parzen/store-sqlite';

/** An inversify ContainerModule as `loadExperiment` takes it. */
export type PluginPackageModule = NonNullable<LoadExperimentOptions['modules']>[number];

/**
 * The plugin packages the CLI always offers: suggesters `random`, `quasi-random` and `tpe`, stores
 * `jsonl`, `sqlite` and `postgres`, objectives `module` and `command` (plus the engine's own `memory` store and
 * `console` reporter, and the CLI's `progress` reporter). The one place to add a built-in.
 */
export const builtinModules: readonly PluginPackageModule[] = [
  randomModule,
  tpeModule,
  jsonlStoreModule,
  sqliteStoreModule,
  postgresStoreModule,
  objectivesModule,
];

/** The suggester a config without `suggester` gets. */
export const defaultSuggester: PluginChoice = { use: 'tpe' };

/** The store a config without `store` gets: a JSONL journal `<name>.parzen.jsonl` beside the config. */
export const defaultStore: PluginChoice = { use: 'jsonl' };
