import * as randomPackage from '@parzen/algo-random';
import * as tpePackage from '@parzen/algo-tpe';
import type { LoadExperimentOptions, PluginChoice } from '@parzen/engine';
import { objectivesModule } from '@parzen/objectives';
import * as fileStorePackage from '@parzen/store-file';
import * as sqliteStorePackage from '@parzen/store-sqlite';

/** An inversify ContainerModule as `loadExperiment` takes it. */
export type PluginPackageModule = NonNullable<LoadExperimentOptions['modules']>[number];

// Namespace lookups, so the CLI builds while a package is still an empty shell; it lights up once the
// package exports its module under this name.
const exported = (pkg: object, name: string): PluginPackageModule | undefined =>
  (pkg as Record<string, PluginPackageModule | undefined>)[name];

const tpeModule = exported(tpePackage, 'tpeModule');
const jsonlStoreModule = exported(fileStorePackage, 'jsonlStoreModule');
const sqliteStoreModule = exported(sqliteStorePackage, 'sqliteStoreModule');

/** The plugin packages the CLI always offers (plus the engine's own `memory` store and `console` reporter). */
export const builtinModules: readonly PluginPackageModule[] = [
  exported(randomPackage, 'randomModule'),
  tpeModule,
  jsonlStoreModule,
  sqliteStoreModule,
  objectivesModule,
].filter((module): module is PluginPackageModule => module !== undefined);

/** The suggester a config without `suggester` gets: `tpe` when available, else `random`. */
export const defaultSuggester: PluginChoice = { use: tpeModule === undefined ? 'random' : 'tpe' };

/** The store a config without `store` gets: a JSONL journal beside the config, else memory. */
export const defaultStore: PluginChoice = { use: jsonlStoreModule === undefined ? 'memory' : 'jsonl' };
