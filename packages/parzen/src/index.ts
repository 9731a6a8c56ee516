/**
 * @packageDocumentation
 * Parzen in one import: everything of `@parzen/engine`'s user API (spaces, studies, trials, configs,
 * events), plus `createStudy` and `fmin` with TPE as the default suggester, the suggesters, the
 * pruners and the file stores. Start with {@link fmin} (one call) or {@link createStudy} (ask and tell, or
 * `optimize`); the README below shows both.
 */

import * as algoRandom from '@parzen/algo-random';
import * as algoTpe from '@parzen/algo-tpe';
import { createTpeSuggester } from '@parzen/algo-tpe';
import {
  type ExperimentResult,
  type FminOptions,
  type FminResult,
  fmin as fminWith,
  type LoadExperimentOptions,
  loadExperiment,
  ParzenError,
  type RunControls,
  runExperiment as runExperimentWith,
  type SpaceDefinition,
  Study,
  type StudyOptions,
  type Suggester,
} from '@parzen/engine';
import type { PluginPackage } from '@parzen/engine/plugin';
import * as pruners from '@parzen/pruners';
import * as storeFile from '@parzen/store-file';
import * as storeSqlite from '@parzen/store-sqlite';

export {
  createQuasiRandomSuggester,
  createRandomSuggester,
  type QuasiRandomOptions,
  type RandomOptions,
} from '@parzen/algo-random';
// The factories' option types come with them, so code can name what it passes (trial 54).
export {
  type BoundaryTies,
  type BranchCondition,
  type CategoricalComponents,
  type ComponentsDescription,
  type ConstantLiar,
  createTpeSuggester,
  type DensityCurve,
  type FailedTrialPolicy,
  type GaussianComponents,
  isTpeExplanation,
  type ParamExplanation,
  type PrunedTrialPolicy,
  type StartupSuggesterName,
  type TpeCompat,
  type TpeExplanation,
  type TpeExplore,
  type TpeFrame,
  type TpeGrouping,
  type TpeKernel,
  type TpeOptions,
  type TpeProfile,
  type TpeSettings,
  type TpeSplitRule,
} from '@parzen/algo-tpe';
export * from '@parzen/engine';
export {
  createHyperbandPruner,
  createMedianPruner,
  createPatientPruner,
  createPercentilePruner,
  createSuccessiveHalvingPruner,
  createThresholdPruner,
  type HyperbandOptions,
  type MedianPrunerOptions,
  type PatientPrunerOptions,
  type PercentilePrunerOptions,
  type SuccessiveHalvingOptions,
  type ThresholdPrunerOptions,
} from '@parzen/pruners';
export { createJsonlStore, type FsyncPolicy, type JsonlStore, type JsonlStoreOptions } from '@parzen/store-file';
export { createSqliteStore, type SqliteStore, type SqliteStoreOptions } from '@parzen/store-sqlite';

/** {@link StudyOptions} with the suggester optional: TPE (our default profile) when not given. */
export type CreateStudyOptions<S extends SpaceDefinition> = Omit<StudyOptions<S>, 'suggester'> & {
  /** The search algorithm; absent: `createTpeSuggester()`, TPE with its default settings. */
  readonly suggester?: Suggester | undefined;
};

/**
 * Opens a study (created, or resumed from its store) with TPE unless you pick another suggester: ask and
 * tell on it, or give it an objective and call `optimize`. Typed by its space.
 */
export const createStudy = <const S extends SpaceDefinition>(options: CreateStudyOptions<S>): Promise<Study<S>> =>
  Study.open<S>(withTpe(options) as StudyOptions<S>).catch((error: unknown) => {
    // Said as the function the user called (trial 62: "Invalid Study.open options" from createStudy).
    if (!(error instanceof ParzenError) || !error.message.startsWith('Invalid Study.open options')) throw error;
    throw new ParzenError(error.code, error.message.replace('Study.open', 'createStudy'), {
      issues: error.issues,
      cause: error,
    });
  });

/**
 * The plugin packages this package includes, for a config's `use`: `random` and `quasi-random`, `tpe`, the
 * pruners, and the `jsonl` and `sqlite` stores (with the engine's own `function` objective and `memory` store).
 */
export const plugins: readonly PluginPackage[] = [algoRandom, algoTpe, pruners, storeFile, storeSqlite];

/**
 * `runExperiment` with this package's {@link plugins} offered when neither the call nor the config names any
 * (without them, a config naming `tpe` is refused as "none loaded"; a config that lists its plugin modules
 * gets those alone, as the CLI gives them). A config that names no suggester gets TPE, as the CLI and the
 * config reference give it, whenever TPE is among the plugins offered or the config lists (the engine's own default is random).
 *
 * @param raw The config as an object (a config file's parsed JSON; {@link ExperimentConfigInput} types one), not
 *   a path. One study: a config with `matrix` is refused (`expandMatrix` gives its studies' configs).
 * @throws `ParzenError` before anything runs: `CONFIG_INVALID` listing every problem of the config or the options,
 *   `CONFIG_UNKNOWN_PLUGIN` for a `use` no plugin offered has, `PLUGIN_LOAD_FAILED` for a `plugins` module that
 *   cannot be loaded. A trial's error does not throw: it is recorded with the trial.
 */
export const runExperiment = async (
  raw: unknown,
  options?: LoadExperimentOptions & Omit<RunControls, 'started' | 'configFile'>,
): Promise<ExperimentResult> => {
  if (!(options === undefined || (typeof options === 'object' && options !== null && !Array.isArray(options))))
    return runExperimentWith(raw, options); // not options at all: passed on for the option check to say so
  const offered = options?.plugins === undefined && !namesPlugins(raw) ? plugins : options?.plugins;
  // Trial 143: a config without `suggester` ran random search here while the CLI ran TPE for it.
  const tpeDefault =
    options?.defaults?.suggester === undefined &&
    ((offered ?? []).some((pkg) => pkg.manifests.some((m) => m.kind === 'suggester' && m.name === 'tpe')) ||
      (await listsTpe(raw, options)));
  return runExperimentWith(raw, {
    ...options,
    ...(offered === undefined ? {} : { plugins: offered }),
    ...(tpeDefault ? { defaults: { ...options?.defaults, suggester: { use: 'tpe' } } } : {}),
  });
};

/**
 * Whether a config that names no suggester brings TPE in its own `plugins` modules: loaded (nothing runs) with
 * TPE as the default, it is accepted. Review 146: such a config ran random search here, TPE in the CLI.
 */
const listsTpe = async (raw: unknown, options: Parameters<typeof runExperimentWith>[1]): Promise<boolean> => {
  if (!namesPlugins(raw) || (raw as { suggester?: unknown }).suggester !== undefined) return false;
  try {
    const loaded = await loadExperiment(raw, {
      ...options,
      defaults: { ...options?.defaults, suggester: { use: 'tpe' } },
    });
    return loaded.config.suggester.use === 'tpe';
  } catch {
    return false; // the run itself says what is wrong
  }
};

/** Whether a config lists plugin modules of its own (`"plugins": [...]`). */
const namesPlugins = (raw: unknown): boolean =>
  typeof raw === 'object' && raw !== null && 'plugins' in raw && (raw as { plugins?: unknown }).plugins !== undefined;

/**
 * hyperopt's `fmin` in one call: minimizes (or maximizes, `direction: 'maximize'`) `objective` over `space` and
 * returns the best params (as the objective saw them), its loss and every trial. The engine's `fmin` with
 * `suggester` optional: TPE, our default profile, when not given ({@link createTpeSuggester} picks another
 * profile). Each option is documented on {@link FminOptions}; the study lives in memory unless `store` is given.
 *
 * @throws `ParzenError` `CONFIG_INVALID` for options of the wrong kind, and for a run nothing would end (no
 *   `maxTrials` or `budget` rule, no `stopWhen`, no `signal`).
 * @example
 * ```ts
 * const { best } = await fmin({ space: { x: uniform(-2, 2) }, objective: ({ x }) => (x - 1) ** 2, maxTrials: 50 });
 * ```
 */
export const fmin = <const S extends SpaceDefinition>(
  options: Omit<FminOptions<S>, 'suggester'> & { readonly suggester?: Suggester | undefined },
): Promise<FminResult<S>> => fminWith<S>(withTpe(options) as FminOptions<S>);

/**
 * The options with TPE as the suggester when they name none; what is not an object (no options at all, from
 * JavaScript) is passed on as it is, for the option check to say so (trial 62: a bare TypeError).
 */
const withTpe = (options: unknown): unknown =>
  typeof options === 'object' && options !== null && !Array.isArray(options)
    ? { ...options, suggester: (options as { suggester?: Suggester }).suggester ?? createTpeSuggester() }
    : options;
