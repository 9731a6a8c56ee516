import { isAbsolute, resolve } from 'node:path';
import { Container, type ContainerModule } from 'inversify';
import { consoleReporterManifest } from './builtins/console-reporter.js';
import { functionObjectiveManifest, type ObjectiveFunction } from './builtins/function-objective.js';
import { memoryStoreManifest } from './builtins/memory-store.js';
import type { ExperimentConfig, PluginChoice } from './config/experiment-config.js';
import type { ConfigDefaults } from './config/validate-config.js';
import { validateConfig } from './config/validate-config.js';
import type { PluginContext, PluginInstances, PluginKind } from './contracts/manifest.js';
import { importPluginManifests } from './di/import-plugins.js';
import { engineModule, pluginModule } from './di/plugin-module.js';
import type { PluginRegistry } from './di/registry.js';
import { PLUGIN_REGISTRY } from './di/tokens.js';
import { type CompiledSpace, compileSpace } from './domain/compile-space.js';
import { describeValue, invalidConfig, ParzenError } from './errors.js';
import { type RunResult, type RunStudyOptions, runStudy } from './runtime/run-study.js';

/** The built-in plugins of the engine: the memory store and the console reporter. */
export const engineBuiltinsModule = pluginModule(memoryStoreManifest, consoleReporterManifest);

export interface LoadExperimentOptions {
  /** ContainerModules of the plugin packages to offer (each package exports one). */
  readonly modules?: readonly ContainerModule[];
  /** Folder that relative paths in the config resolve against; default the working directory. */
  readonly baseDir?: string;
  /** Functions a config may pick with `{ "use": "function", "options": { "name": ... } }`. */
  readonly functions?: Readonly<Record<string, ObjectiveFunction>>;
  /** Defaults for plugin slots the config leaves out. */
  readonly defaults?: ConfigDefaults;
}

/** A validated experiment, ready to run. */
export interface LoadedExperiment {
  readonly config: ExperimentConfig;
  readonly space: CompiledSpace;
  readonly registry: PluginRegistry;
  readonly baseDir: string;
}

const pluginSpecifiers = (raw: unknown): readonly string[] => {
  const plugins = (raw as { plugins?: unknown } | null)?.plugins;
  if (plugins === undefined) return [];
  if (!Array.isArray(plugins) || plugins.some((plugin) => typeof plugin !== 'string')) {
    throw invalidConfig('config', [
      { pointer: '/plugins', expected: 'an array of module specifiers (strings)', found: describeValue(plugins) },
    ]);
  }
  return plugins as string[];
};

/**
 * The composition root: loads the plugin modules (given ones and the config's `plugins`), builds the
 * registry with inversify, and validates the config against it. Nothing runs yet.
 */
export const loadExperiment = async (raw: unknown, options: LoadExperimentOptions = {}): Promise<LoadedExperiment> => {
  const baseDir = options.baseDir ?? process.cwd();
  const container = new Container();
  container.load(engineModule, engineBuiltinsModule, ...(options.modules ?? []));
  if (options.functions !== undefined) container.load(pluginModule(functionObjectiveManifest(options.functions)));
  for (const specifier of pluginSpecifiers(raw)) {
    container.load(pluginModule(...(await importPluginManifests(specifier, baseDir))));
  }
  const registry = container.get<PluginRegistry>(PLUGIN_REGISTRY);
  const config = validateConfig(raw, registry, options.defaults);
  return { config, space: compileSpace(config.space, '/space'), registry, baseDir };
};

/** Creates the plugin a config slot picked; a throwing factory is an error naming the plugin and slot. */
export const createPlugin = async <K extends PluginKind>(
  registry: PluginRegistry,
  kind: K,
  choice: PluginChoice,
  context: PluginContext,
): Promise<PluginInstances[K]> => {
  const manifest = registry.get(kind, choice.use);
  if (manifest === undefined)
    throw new ParzenError('CONFIG_UNKNOWN_PLUGIN', `No ${kind} plugin named \`${choice.use}\`.`);
  try {
    return (await manifest.create(choice.options ?? {}, context)) as PluginInstances[K];
  } catch (error) {
    // A read-only store with nothing to read says so plainly (`parzen trials` on a missing store).
    if (error instanceof ParzenError && error.code === 'STUDY_NOT_FOUND') throw error;
    throw new ParzenError(
      'PLUGIN_INVALID',
      `The ${kind} plugin \`${choice.use}\` could not start: ${(error as Error).message}`,
      {
        plugin: choice.use,
        cause: error,
      },
    );
  }
};

/** Resolves a path from a config against the config's folder. */
export const resolveConfigPath = (baseDir: string, path: string): string =>
  isAbsolute(path) ? path : resolve(baseDir, path);

export type RunControls = Pick<RunStudyOptions, 'signal' | 'forceSignal' | 'onWarning'>;

/** Runs a loaded experiment: creates its plugins, runs the study, closes the store and objective. */
export const runLoadedExperiment = async (
  experiment: LoadedExperiment,
  controls: RunControls = {},
): Promise<RunResult> => {
  const { config, registry, baseDir } = experiment;
  const context: PluginContext = { baseDir, study: config.name, space: experiment.space };
  const store = await createPlugin(registry, 'store', config.store, context);
  try {
    const objective = await createPlugin(registry, 'objective', config.objective, context);
    const suggester = await createPlugin(registry, 'suggester', config.suggester, context);
    const reporters = await Promise.all(
      config.reporters.map((choice) => createPlugin(registry, 'reporter', choice, context)),
    );
    try {
      return await runStudy({
        spec: { name: config.name, direction: config.direction, seed: config.seed, space: config.space },
        space: experiment.space,
        store,
        suggester,
        objective,
        reporters,
        budget: config.budget,
        concurrency: config.concurrency,
        leaseMs: config.leaseSeconds * 1000,
        gracePeriodMs: config.gracePeriodSeconds * 1000,
        explain: config.explain,
        ...(config.trialTimeoutSeconds === undefined ? {} : { trialTimeoutMs: config.trialTimeoutSeconds * 1000 }),
        ...controls,
      });
    } finally {
      await objective.close?.();
    }
  } finally {
    await store.close();
  }
};

/** Loads, validates and runs an experiment config in one call. */
export const runExperiment = async (
  raw: unknown,
  options: LoadExperimentOptions & RunControls = {},
): Promise<RunResult> => {
  const experiment = await loadExperiment(raw, options);
  const controls = {
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.forceSignal === undefined ? {} : { forceSignal: options.forceSignal }),
    ...(options.onWarning === undefined ? {} : { onWarning: options.onWarning }),
  };
  return runLoadedExperiment(experiment, controls);
};
