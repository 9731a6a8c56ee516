import { dirname, resolve } from 'node:path';
import {
  createPlugin,
  type LoadExperimentOptions,
  type LoadedExperiment,
  loadExperiment,
  pluginModule,
} from '@parzen/engine';
import { registerTypeScript } from '@parzen/objectives';
import { builtinModules, defaultStore, defaultSuggester } from './builtin-modules.js';
import { expandMatrix, type Variant } from './matrix.js';
import { applyOverrides, type ConfigOverrides } from './overrides.js';
import { type ProgressSettings, progressReporterManifest } from './progress-reporter.js';
import { readConfigFile } from './read-config-file.js';

/** One validated run: which file it came from, its matrix variant and the loaded experiment. */
export interface PreparedRun {
  readonly configPath: string;
  readonly variant: Variant;
  readonly experiment: LoadedExperiment;
}

/** How {@link prepareRuns} treats the configs. */
export interface PrepareOptions {
  readonly overrides?: ConfigOverrides;
  readonly progress?: ProgressSettings;
  /** Also start (and close) each objective, so a missing module or program is bad input up front. */
  readonly preflight?: boolean;
}

/** A config file that could not be prepared, with the error. */
export interface ConfigProblem {
  readonly path: string;
  readonly error: unknown;
}

/** Every config problem of a command, reported together before anything runs. */
export class ConfigProblems extends Error {
  override readonly name = 'ConfigProblems';
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(problems.map((problem) => `${problem.path}: ${(problem.error as Error).message}`).join('\n'));
  }
}

/** What `loadExperiment` gets from the CLI: the built-in plugins, the progress reporter and the defaults. */
export const cliLoadOptions = (baseDir: string, progress: ProgressSettings = {}): LoadExperimentOptions => ({
  modules: [...builtinModules, pluginModule(progressReporterManifest(progress))],
  baseDir,
  defaults: { suggester: defaultSuggester, store: defaultStore, reporters: [{ use: 'progress' }] },
});

const TS_FILE = /\.[cm]?tsx?$/;

/** A config listing a `.ts` plugin gets TypeScript imports turned on first (`run`, `validate`, `schema`). */
export const enableTypeScriptPlugins = async (raw: unknown): Promise<void> => {
  const plugins = (raw as { plugins?: unknown } | null)?.plugins;
  if (Array.isArray(plugins) && plugins.some((plugin) => typeof plugin === 'string' && TS_FILE.test(plugin)))
    await registerTypeScript();
};

/**
 * A matrix without a `store` keeps all its studies in one journal beside the config,
 * `<name>.parzen.jsonl`, instead of one file per variant.
 */
export const withBatchStore = (raw: unknown): unknown => {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  const config = raw as Record<string, unknown>;
  if (!('matrix' in config) || 'store' in config || typeof config.name !== 'string') return raw;
  const path = `./${config.name.replace(/[^\w.-]+/g, '_')}.parzen.jsonl`;
  return { ...config, store: { ...defaultStore, options: { path } } };
};

const preflightObjective = async (experiment: LoadedExperiment): Promise<void> => {
  const { config, registry, baseDir, space } = experiment;
  const objective = await createPlugin(registry, 'objective', config.objective, {
    baseDir,
    study: config.name,
    space,
  });
  await objective.close?.();
};

const prepareFile = async (path: string, options: PrepareOptions): Promise<PreparedRun[]> => {
  const absolute = resolve(path);
  const raw = withBatchStore(applyOverrides(readConfigFile(path), options.overrides ?? {}));
  await enableTypeScriptPlugins(raw);
  const runs: PreparedRun[] = [];
  for (const variant of expandMatrix(raw)) {
    const experiment = await loadExperiment(variant.config, cliLoadOptions(dirname(absolute), options.progress));
    runs.push({ configPath: path, variant, experiment });
  }
  if (options.preflight === true) {
    const seen = new Set<string>();
    for (const run of runs) {
      const key = JSON.stringify(run.experiment.config.objective);
      if (!seen.has(key)) await preflightObjective(run.experiment);
      seen.add(key);
    }
  }
  return runs;
};

/**
 * Reads, expands (matrix) and validates every config before anything runs. Throws
 * {@link ConfigProblems} listing each file that is unreadable or invalid.
 */
export const prepareRuns = async (paths: readonly string[], options: PrepareOptions = {}): Promise<PreparedRun[]> => {
  const runs: PreparedRun[] = [];
  const problems: ConfigProblem[] = [];
  for (const path of paths) {
    try {
      runs.push(...(await prepareFile(path, options)));
    } catch (error) {
      problems.push({ path, error });
    }
  }
  if (problems.length > 0) throw new ConfigProblems(problems);
  return runs;
};
