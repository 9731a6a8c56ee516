import { isAbsolute, resolve } from 'node:path';
import { checkApiOptions } from '../api-options.js';
import {
  type ConsoleReporterSettings,
  consoleReporterManifest,
  consoleReporterManifestWith,
} from '../builtins/console-reporter.js';
import { eventsReporterManifest } from '../builtins/events-reporter.js';
import { functionObjectiveManifest, type ObjectiveFunction } from '../builtins/function-objective.js';
import { memoryStoreManifest } from '../builtins/memory-store.js';
import { noImprovementStopperManifest } from '../builtins/no-improvement-stopper.js';
import { nonePrunerManifest } from '../builtins/none-pruner.js';
import type { ExperimentConfig, PluginChoice } from '../config/experiment-config.js';
import type { ConfigDefaults } from '../config/validate-config.js';
import { checkConfig, optionsSchemaProblem } from '../config/validate-config.js';
import type { ConfigNote, PluginInstances, PluginPackage } from '../contracts/manifest.js';
import type { Pruner } from '../contracts/pruner.js';
import type { Reporter } from '../contracts/reporter.js';
import { type Clock, type Logger, SERVICES, serviceNameOf } from '../contracts/services.js';
import type { Stopper } from '../contracts/stopper.js';
import { type ImportModule, importPluginPackage } from '../di/import-plugins.js';
import { createRegistry, type PluginRegistry } from '../di/registry.js';
import type { CompiledSpace } from '../domain/compile-space.js';
import { noteMessage } from '../domain/grid-notes.js';
import { type ExternalParams, toExternalParams } from '../domain/params.js';
import type { Trial } from '../domain/trial.js';
import {
  type ConfigIssue,
  configErrorUnder,
  describeValue,
  formatIssues,
  invalidConfig,
  issuesUnder,
  ParzenError,
} from '../errors.js';
import { cutOffMessage, guardListener } from '../events/cut-off.js';
import type { EngineEvent } from '../events/engine-event.js';
import { type RunResult, type RunStudyOptions, runStudy } from '../runtime/run-study.js';
import { cleanUpQuietly, withCleanup } from '../runtime/with-cleanup.js';
import { checkedOptionIssues, createStoreForReading } from './create-plugin.js';
import type { OpenStudyScope, StudyScope } from './study-scope.js';

/**
 * The engine's own plugins: the memory store, the console reporter (with what a host imposes on it), the
 * `events` reporter, the `none` pruner and the `no-improvement` stopper.
 */
export const enginePlugins = (console?: ConsoleReporterSettings): PluginPackage => ({
  manifests: [
    memoryStoreManifest,
    (console === undefined
      ? consoleReporterManifest
      : consoleReporterManifestWith(console)) as PluginPackage['manifests'][number],
    eventsReporterManifest as PluginPackage['manifests'][number],
    nonePrunerManifest,
    noImprovementStopperManifest,
  ],
});

/** How {@link loadExperiment} reads a config. */
export interface LoadExperimentOptions {
  /** The plugin packages to offer (each exports `manifests`, and maybe `services`). */
  readonly plugins?: readonly PluginPackage[];
  /** Folder that relative paths in the config resolve against; default the working directory. */
  readonly baseDir?: string;
  /** Functions a config may pick with `{ "use": "function", "options": { "name": ... } }`. */
  readonly functions?: Readonly<Record<string, ObjectiveFunction>>;
  /** Defaults for plugin slots the config leaves out. */
  readonly defaults?: ConfigDefaults;
  /**
   * Where notes go (default: stderr); a run's warnings, the config's notes among them, go to `onWarning` when
   * `runExperiment` is given one.
   */
  readonly logger?: Logger;
  /** The time stamped on events and on the memory store's trials (default: the real time); the `clock` service. */
  readonly clock?: Clock;
  /**
   * How the config's `plugins` modules are imported (default: `import()`); the CLI's compiles `.ts` files.
   */
  readonly importModule?: ImportModule;
  /** What the host imposes on the config's `console` reporters (the CLI: `--quiet`, `--json`). */
  readonly console?: ConsoleReporterSettings;
}

/** A validated experiment, ready to run. */
export interface LoadedExperiment {
  /** The config, validated, every default filled in. */
  readonly config: ExperimentConfig;
  /** The config's space, compiled. */
  readonly space: CompiledSpace;
  /** The plugins the experiment can use: the built-in ones, those given in code and the config's `plugins`. */
  readonly registry: PluginRegistry;
  /** The folder the config's relative paths resolve against. */
  readonly baseDir: string;
  /** The plugin packages; the composition root's container is made from them when a study first runs. */
  readonly packages: readonly PluginPackage[];
  /** Where notes go; absent: stderr. */
  readonly logger?: Logger;
  /** The time stamped on events and the memory store's trials; absent: the real time. */
  readonly clock?: Clock;
  /**
   * Options the config wrote that do nothing where they are, as the plugins' `notes` say (pointers into
   * the config); a run warns of each when it starts.
   */
  readonly notes?: readonly ConfigNote[];
}

const pluginSpecifiers = (raw: unknown): readonly string[] => {
  const plugins = (raw as { plugins?: unknown } | null)?.plugins;
  if (plugins === undefined) return [];
  if (!Array.isArray(plugins))
    throw invalidConfig('config', [
      { pointer: '/plugins', expected: 'an array of module specifiers (strings)', found: describeValue(plugins) },
    ]);
  // Each entry at its own place, and an empty name before Node resolves it against Parzen's own folder (trial
  // 62: `""` was "Cannot find package '.../packages/cli/node_modules//index.js'").
  const issues: ConfigIssue[] = plugins.flatMap((plugin: unknown, index) =>
    typeof plugin === 'string' && plugin.trim() !== ''
      ? []
      : [
          {
            pointer: `/plugins/${index}`,
            expected: 'a module specifier: a package name (`parzen-plugin-x`) or a path to a module (`./plugin.mjs`)',
            found: typeof plugin === 'string' ? `${JSON.stringify(plugin)}, an empty name` : describeValue(plugin),
          },
        ],
  );
  if (issues.length > 0) throw invalidConfig('config', issues);
  return plugins as string[];
};

/** Whether two `plugins` entries name one module: the same package, or paths to the same file (review 31). */
const sameModule = (a: string, b: string, baseDir: string): boolean => {
  const where = (specifier: string) =>
    specifier.startsWith('.') || isAbsolute(specifier) ? resolve(baseDir, specifier) : specifier;
  return where(a) === where(b);
};

/**
 * Two plugins of one kind with one name, said of the config's `plugins` entries that bring them (trial 33:
 * the message named neither the modules nor the built-in they clashed with): `PLUGIN_DUPLICATE`, with an
 * issue at the later entry. A module listed twice is said to be listed twice.
 */
const checkPluginNames = (
  packages: readonly PluginPackage[],
  builtIn: number,
  specifiers: readonly string[],
  baseDir: string,
) => {
  const from = (at: number) => (at < builtIn ? undefined : at - builtIn);
  const seen = new Map<string, number>();
  const issues: ConfigIssue[] = [];
  const clashes: string[] = [];
  // The clashes of config entries, each listed as an issue below the headline (by the entry's label): several are
  // counted in the headline, not each said twice.
  const listed: { readonly said: string; readonly label: string }[] = [];
  // Services by token: two of one name would be inversify's "Ambiguous bindings" later, blamed on whichever
  // plugin asked (trial 70); one named as Parzen's own (logger, store, ...) would hide it from every plugin.
  const services = new Map<symbol, number>();
  const listedTwice = (later: number, earlier: number) => {
    if (issues.some((issue) => issue.pointer === `/plugins/${later}`)) return;
    issues.push({
      pointer: `/plugins/${later}`,
      expected: 'each module listed once',
      found: `${specifiers[later]} again (it is /plugins/${earlier})`,
    });
  };
  // A module listed twice, whatever it provides (one that provides nothing too: it was noted twice).
  const repeated = new Set<number>();
  specifiers.forEach((specifier, later) => {
    const earlier = specifiers.findIndex((other, at) => at < later && sameModule(other, specifier, baseDir));
    if (earlier === -1) return;
    listedTwice(later, earlier);
    repeated.add(builtIn + later);
  });
  const own = new Set<symbol>(Object.values(SERVICES).map((token) => token.id));
  packages.forEach((pkg, at) => {
    if (repeated.has(at)) return;
    const entry = from(at);
    // A package given in code (`plugins` of loadExperiment or fmin) has no config entry to point at.
    const label = entry === undefined ? 'a plugin package given in code' : `/plugins/${entry} (${specifiers[entry]})`;
    const problem = (clash: string | undefined, issue: Omit<ConfigIssue, 'pointer'>) => {
      if (entry !== undefined) {
        if (clash !== undefined) listed.push({ said: clash, label });
        issues.push({ pointer: `/plugins/${entry}`, ...issue });
      } else clashes.push(clash ?? `${label}: expected ${issue.expected}, found ${issue.found}`);
    };
    for (const provider of pkg.services ?? []) {
      const id = (provider as { token?: { id?: unknown } } | undefined)?.token?.id;
      if (typeof id !== 'symbol') continue;
      const name = serviceNameOf(id);
      const first = services.get(id);
      const earlier = first === undefined ? undefined : from(first);
      if (own.has(id))
        problem(
          `The service \`${name}\` of ${label} has the name of Parzen's own; plugins that ask for it could not tell them apart`,
          {
            expected: `services named other than Parzen's own (${Object.keys(SERVICES).join(', ')})`,
            found: `a service \`${name}\``,
          },
        );
      else if (first !== undefined && first !== at) {
        const where =
          earlier === undefined
            ? 'the one of a plugin package given in code'
            : `the one of /plugins/${earlier} (${specifiers[earlier]})`;
        problem(
          `The service \`${name}\` of ${label} has the name of ${where}; plugins that ask for it could not tell them apart`,
          { expected: `a service named other than \`${name}\``, found: `a second \`${name}\`, besides ${where}` },
        );
      } else if (first === at)
        problem(undefined, {
          expected: 'each service listed once',
          found: `the service \`${name}\` twice in its services`,
        });
      services.set(id, first ?? at);
    }
  });
  packages.forEach((pkg, at) => {
    // A module listed twice is said as such, not as its plugins' or services' clashes with its own.
    if (repeated.has(at)) return;
    for (const manifest of pkg.manifests) {
      // An invalid manifest is the registry's to name.
      if (typeof manifest !== 'object' || manifest === null) continue;
      const key = `${manifest.kind}:${manifest.name}`;
      const first = seen.get(key);
      if (first === undefined) {
        seen.set(key, at);
        continue;
      }
      if (first === at) continue;
      const [earlier, later] = [from(first), from(at)];
      const what = `${manifest.kind} plugin \`${manifest.name}\``;
      const where =
        earlier === undefined ? 'a built-in one' : `the one of /plugins/${earlier} (${specifiers[earlier]})`;
      if (later === undefined) continue;
      listed.push({
        said: `The ${what} of /plugins/${later} (${specifiers[later]}) has the name of ${where}; a config could not tell them apart`,
        label: `/plugins/${later} (${specifiers[later]})`,
      });
      issues.push({
        pointer: `/plugins/${later}`,
        expected: `a ${manifest.kind} plugin named other than \`${manifest.name}\``,
        found: `a second \`${manifest.name}\`, besides ${where}`,
      });
    }
  });
  const labels = [...new Set(listed.map((clash) => clash.label))];
  const headline = [
    ...clashes,
    ...(listed.length <= 1
      ? listed.map((clash) => clash.said)
      : [
          `${listed.length} plugins or services of ${labels.join(', ')} have the names of others loaded (each below), so they could not be told apart`,
        ]),
  ];
  if (issues.length > 0 || headline.length > 0)
    throw new ParzenError(
      'PLUGIN_DUPLICATE',
      `${headline.length > 0 ? headline.join('. ') : 'A plugin module is listed twice'}${issues.length > 0 ? `:\n${formatIssues(issues)}` : '.'}`,
      { issues },
    );
};

/**
 * A config with `matrix` is several studies, which one experiment cannot run: said with the ways that can
 * (the script that gave one was told only "an unknown field `matrix`").
 */
const refuseMatrix = (raw: unknown): void => {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || !Object.hasOwn(raw, 'matrix')) return;
  throw invalidConfig('config', [
    {
      pointer: '/matrix',
      expected:
        'a config of one study: a matrix expands into a study per variant, which `parzen run CONFIG` runs as a batch; in code, `expandMatrix(config)` gives the variants, and `runExperiment(variant.config)` runs each',
      found: 'a matrix',
    },
  ]);
};

/**
 * The composition root: loads the plugin packages (given ones and the config's `plugins`) into an
 * inversify container, builds the registry and validates the config against it. Nothing runs yet.
 */
export const loadExperiment = async (raw: unknown, options: LoadExperimentOptions = {}): Promise<LoadedExperiment> => {
  refuseMatrix(raw);
  const baseDir = options.baseDir ?? process.cwd();
  const packages: PluginPackage[] = [enginePlugins(options.console), ...(options.plugins ?? [])];
  if (options.functions !== undefined) packages.push({ manifests: [functionObjectiveManifest(options.functions)] });
  const builtIn = packages.length;
  const specifiers = pluginSpecifiers(raw);
  for (const [index, specifier] of specifiers.entries())
    packages.push(await importPluginPackage(specifier, baseDir, index, options.importModule));
  checkPluginNames(packages, builtIn, specifiers, baseDir);
  const registry = createRegistry(packages.flatMap((pkg) => pkg.manifests));
  const checked = checkConfig(raw, registry, options.defaults);
  const { config, space } = checked;
  // A plugin the config loads and does not use is not checked as its options are; its options schema is, so
  // a broken one is said now, not when a config first uses it (trial 103).
  // By kind and name: a pruner and a stopper may share a name (review 108).
  const used = new Set(
    (
      [
        ['objective', config.objective],
        ['suggester', config.suggester],
        ['store', config.store],
        ['pruner', config.pruner],
        ['stopper', config.stopper],
        ...config.reporters.map((choice) => ['reporter', choice] as const),
      ] as const
    ).flatMap(([kind, choice]) => (choice === undefined ? [] : [`${kind}:${choice.use}`])),
  );
  const notes = [
    ...checked.notes,
    // A package that provides nothing (`manifests = []`, no services) loads without a fault, and is said.
    ...packages.slice(builtIn).flatMap((pkg, index) =>
      pkg.manifests.length === 0 && (pkg.services ?? []).length === 0
        ? [
            {
              pointer: `/plugins/${index}`,
              message: `plugin package \`${specifiers[index]}\` provides no plugins: its \`manifests\` is empty (and it has no \`services\`); list its plugins' manifests there, or leave it out of \`plugins\``,
            },
          ]
        : [],
    ),
    ...packages.slice(builtIn).flatMap((pkg, index) =>
      pkg.manifests.flatMap((manifest) => {
        const problem = used.has(`${manifest.kind}:${manifest.name}`) ? undefined : optionsSchemaProblem(manifest);
        return problem === undefined ? [] : [{ pointer: `/plugins/${index}`, message: problem }];
      }),
    ),
  ];
  return {
    config,
    space,
    notes,
    registry,
    baseDir,
    packages,
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  };
};

/** What opens a study scope in each loaded experiment's root container, made when its first study scope opens. */
const scopeOpeners = new WeakMap<LoadedExperiment, OpenStudyScope>();

/**
 * A child container for one study of a loaded experiment, to create its plugins with their services.
 * The first one loads inversify and makes the experiment's root container.
 */
export const openStudyScope = async (experiment: LoadedExperiment): Promise<StudyScope> => {
  const { openStudyScopes } = await import('./study-scope.js');
  let open = scopeOpeners.get(experiment);
  if (open === undefined) {
    open = openStudyScopes(experiment.packages);
    scopeOpeners.set(experiment, open);
  }
  return open({
    study: experiment.config.name,
    seed: experiment.config.seed,
    baseDir: experiment.baseDir,
    space: experiment.space,
    ...(experiment.logger === undefined ? {} : { logger: experiment.logger }),
    ...(experiment.clock === undefined ? {} : { clock: experiment.clock }),
  });
};

/**
 * Opens the store of a loaded experiment for reading only (`parzen trials`, `best`, `export`): it never
 * creates, locks or writes anything, and this path needs no container (see {@link createStoreForReading}).
 */
export const openStoreForReading = (
  experiment: LoadedExperiment,
  choice: PluginChoice = experiment.config.store,
): Promise<PluginInstances['store']> =>
  createStoreForReading(
    experiment.registry,
    {
      study: experiment.config.name,
      seed: experiment.config.seed,
      baseDir: experiment.baseDir,
      ...(experiment.logger === undefined ? {} : { logger: experiment.logger }),
      ...(experiment.clock === undefined ? {} : { clock: experiment.clock }),
    },
    choice,
  ).catch(inSlot('/store'));

/** The store plugin's own check of a run's store options (see `PluginManifest.check`): nothing is opened. */
export const checkStoreOptions = (experiment: LoadedExperiment): readonly ConfigIssue[] => {
  const { store } = experiment.config;
  const manifest = experiment.registry.get('store', store.use);
  if (manifest?.kind !== 'store') return [];
  return issuesUnder(
    '/store/options',
    checkedOptionIssues(manifest, store, { baseDir: experiment.baseDir, study: experiment.config.name }),
  );
};

/**
 * The reporter plugins' own checks of a run's reporter options (see `PluginManifest.check`), one entry per
 * reporter that finds something: its issues under `/reporters/<index>/options`, or the `fault`
 * (`PLUGIN_INVALID`) of a check that throws, so one broken reporter does not hide the others. Nothing is started.
 */
export const checkReporterOptions = (
  experiment: LoadedExperiment,
): readonly { readonly use: string; readonly issues: readonly ConfigIssue[]; readonly fault?: unknown }[] =>
  experiment.config.reporters.flatMap((choice, index) => {
    const manifest = experiment.registry.get('reporter', choice.use);
    if (manifest?.kind !== 'reporter') return [];
    const context = { baseDir: experiment.baseDir, study: experiment.config.name };
    try {
      const issues = checkedOptionIssues(manifest, choice, context);
      return issues.length === 0
        ? []
        : [{ use: choice.use, issues: issuesUnder(`/reporters/${index}/options`, issues) }];
    } catch (fault) {
      return [{ use: choice.use, issues: [], fault }];
    }
  });

/**
 * Said when a config asks for explanations that none of its reporters receives (trial 51: `"explain": true`
 * with the default progress reporter computed every explanation and threw it away): only when every
 * reporter is a built-in one known to leave them out (a third-party reporter may read them).
 */
const unheardExplanations = (config: LoadedExperiment['config']): string | undefined => {
  if (config.explain !== true) return undefined;
  const hears = (choice: PluginChoice): boolean | undefined => {
    if (choice.use === 'progress' || choice.use === 'console') return false;
    if (choice.use !== 'events') return undefined;
    const types = (choice.options as { types?: readonly string[] } | undefined)?.types;
    return types === undefined || types.includes('suggestion.explained');
  };
  const heard = config.reporters.map(hears);
  if (heard.some((value) => value !== false)) return undefined;
  const lead = `study ${config.name}: "explain": true has the suggester explain every suggestion (about three times TPE's work), and `;
  // An events reporter is there, its `types` leaving the explanations out: that list is the cause, not a missing reporter.
  const filtered = config.reporters.flatMap((choice, index) =>
    choice.use === 'events' ? [`/reporters/${index}`] : [],
  );
  if (filtered.length > 0)
    return (
      `${lead}no reporter of this config receives the explanations: the "types" of its events reporter${filtered.length === 1 ? '' : 's'} (${filtered.join(', ')}) ` +
      `leave${filtered.length === 1 ? 's' : ''} out "suggestion.explained": add it to the list, or leave "explain" out.`
    );
  return (
    `${lead}no reporter of this config receives the explanations (progress and console do not show them): add ` +
    '{ "use": "events", "options": { "path": "events.jsonl" } } to "reporters", or leave "explain" out.'
  );
};

/**
 * Signals that stop a run: `signal` gracefully (finish running trials), `forceSignal` at once. `started`:
 * the study scope and the objective a caller already created in it (to check the config up front, as
 * `parzen run` does), so the run uses them instead of building the objective a second time.
 */
export type RunControls = Pick<RunStudyOptions, 'signal' | 'forceSignal' | 'onWarning' | 'configFile'> & {
  /** The study scope and objective `startObjective` (of `@parzen/engine/host`) made; absent: the run makes its own. */
  readonly started?: StartedObjective;
  /**
   * Hears every event of the run's bus, as a reporter does (it listens, never steers): from the store's
   * opening to the run's end.
   */
  readonly onEvent?: (event: EngineEvent) => void;
};

/** An objective created ahead of its run, in the study scope the run then uses. */
export interface StartedObjective {
  /** The study scope the objective was created in, which the run then uses. */
  readonly scope: StudyScope;
  /** The config's objective, created. */
  readonly objective: PluginInstances['objective'];
}

/** Opens a study scope and creates the config's objective in it (a missing module or program fails here). */
export const startObjective = async (experiment: LoadedExperiment): Promise<StartedObjective> => {
  const scope = await openStudyScope(experiment);
  try {
    return { scope, objective: await scope.create('objective', experiment.config.objective) };
  } catch (error) {
    await scope.close();
    return inSlot('/objective')(error);
  }
};

/** A trial as {@link runExperiment} lists it: the store's trial (its `internal` values) with its `params` as the objective saw them. */
export type ExperimentTrial = Trial & {
  /** The params as the objective saw them: a choice by its option's value, not its index (as `parzen trials --json`). */
  readonly params: ExternalParams;
};

/** What running an experiment gives: the run's result, each trial with its `params` as the objective saw them. */
export interface ExperimentResult extends Omit<RunResult, 'trials'> {
  /** Every trial of the study at the run's end (earlier runs' and other workers' too), with its `params`. */
  readonly trials: readonly ExperimentTrial[];
}

/**
 * Runs a loaded experiment in a study scope of its own: creates the store first (and offers it as a
 * service), then the objective, suggester and reporters; runs the study; closes the store and objective.
 */
export const runLoadedExperiment = async (
  experiment: LoadedExperiment,
  { started, onEvent, ...controls }: RunControls = {},
): Promise<ExperimentResult> => {
  const scope = started?.scope ?? (await openStudyScope(experiment));
  // Plugins that wait (a store waiting for a lock) see Ctrl-C through the `stopping` service.
  const unfollow = scope.followStops(controls);
  // Guarded as a reporter is (review 148: a listener that threw was blamed on the objective, then crashed the
  // caller's process after the run): cut off with a warning, the run goes on.
  const heard =
    onEvent === undefined
      ? undefined
      : scope.services
          .get(SERVICES.bus)
          .events$.subscribe(
            guardListener(onEvent, (error) =>
              (controls.onWarning ?? ((message: string) => scope.services.get(SERVICES.logger).warn(message)))(
                cutOffMessage(
                  'onEvent (RunControls)',
                  error instanceof Error ? error.message : String(error),
                  'onEvent',
                ),
              ),
            ),
          );
  try {
    const result = await runInScope(experiment, scope, started, controls);
    // Trial 136: the trials had their internal values only (a choice's option index), unlike fmin's and `parzen trials`'.
    return {
      ...result,
      trials: result.trials.map((trial) => ({ ...trial, params: toExternalParams(result.space, trial.internal) })),
    };
  } finally {
    heard?.unsubscribe();
    unfollow();
    // Said as the run's other warnings are (a store or objective that could not be closed).
    await scope.close(controls.onWarning);
  }
};

const runInScope = async (
  experiment: LoadedExperiment,
  scope: StudyScope,
  started: RunControls['started'],
  controls: Omit<RunControls, 'started'>,
): Promise<RunResult> => {
  const { config } = experiment;
  // A close that fails is said on the run's warnings, never instead of the run's result or error.
  const warn = controls.onWarning ?? ((message: string) => scope.services.get(SERVICES.logger).warn(message));
  const closeObjective = (objective: PluginInstances['objective']) => () => objective.close?.();
  const objectiveNotClosed = `the \`${config.objective.use}\` objective could not be closed`;
  let store: PluginInstances['store'];
  try {
    store = await scope.create('store', config.store).catch(inSlot('/store'));
  } catch (error) {
    if (started !== undefined) await cleanUpQuietly(closeObjective(started.objective), objectiveNotClosed, warn);
    throw error;
  }
  scope.provideStore(store);
  const opened = store;
  return withCleanup(
    async () => {
      const objective =
        started?.objective ?? (await scope.create('objective', config.objective).catch(inSlot('/objective')));
      return withCleanup(
        async () => {
          const suggester = await scope.create('suggester', config.suggester).catch(inSlot('/suggester'));
          const reporters: Reporter[] = [];
          let pruner: Pruner | undefined;
          let stopper: Stopper | undefined;
          try {
            for (const [index, choice] of config.reporters.entries())
              reporters.push(await scope.create('reporter', choice).catch(inSlot(`/reporters/${index}`)));
            pruner =
              config.pruner === undefined
                ? undefined
                : await scope.create('pruner', config.pruner).catch(inSlot('/pruner'));
            stopper =
              config.stopper === undefined
                ? undefined
                : await scope.create('stopper', config.stopper).catch(inSlot('/stopper'));
          } catch (error) {
            // Review 42: the reporters made before a later plugin failed to start kept their files open.
            // Each end awaited as a promise, so one that throws at once does not hide the error that stopped the run.
            await Promise.all(
              reporters.map(async (reporter) => reporter.end?.()).map((ended) => ended.catch(() => undefined)),
            );
            throw error;
          }
          // On the run's warnings (runExperiment's `onWarning` when given, else the logger), as the run's others are.
          const unheard = unheardExplanations(config);
          if (unheard !== undefined) warn(unheard);
          for (const note of experiment.notes ?? []) warn(noteMessage(config.name, note));
          return await runStudy({
            spec: { name: config.name, direction: config.direction, seed: config.seed, space: config.space },
            space: experiment.space,
            store: opened,
            suggester,
            objective,
            reporters,
            ...(pruner === undefined ? {} : { pruner }),
            ...(stopper === undefined ? {} : { stopper }),
            ...(config.enqueue.length === 0 ? {} : { enqueue: config.enqueue }),
            bus: scope.services.get(SERVICES.bus),
            clock: scope.services.get(SERVICES.clock),
            budget: config.budget,
            concurrency: config.concurrency,
            leaseMs: config.leaseSeconds * 1000,
            gracePeriodMs: config.gracePeriodSeconds * 1000,
            explain: config.explain,
            ...(config.trialTimeoutSeconds === undefined
              ? {}
              : {
                  trialTimeoutMs: config.trialTimeoutSeconds * 1000,
                  trialTimeoutSetBy: `trialTimeoutSeconds: ${config.trialTimeoutSeconds}`,
                }),
            // Warnings about the study (a resume with another seed, say) go to the study's logger by default.
            onWarning: (message: string) => scope.services.get(SERVICES.logger).warn(message),
            ...controls,
          });
        },
        closeObjective(objective),
        objectiveNotClosed,
        warn,
      );
    },
    () => opened.close(),
    `the \`${config.store.use}\` store could not be closed`,
    warn,
  );
};

/**
 * Loads, validates and runs an experiment config in one call. A config without `reporters` gets the `console`
 * reporter, as `parzen run` does: a line per finished trial and the summary on stdout; `"reporters": []` runs
 * silently (the result is returned either way).
 */
export const runExperiment = async (
  raw: unknown,
  options: LoadExperimentOptions & Omit<RunControls, 'started' | 'configFile'> = {},
): Promise<ExperimentResult> => {
  checkApiOptions('runExperiment', options);
  const experiment = await loadExperiment(raw, options);
  const controls = {
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.forceSignal === undefined ? {} : { forceSignal: options.forceSignal }),
    ...(options.onWarning === undefined ? {} : { onWarning: options.onWarning }),
  };
  return runLoadedExperiment(experiment, controls);
};

/**
 * Rethrows a plugin's `CONFIG_INVALID` error with the pointers it gave relative to its options (`/path`) put
 * under the slot's own (`/reporters/1/options/path`, `/pruner/options/...`): of several reporters, the one
 * meant (trial 62: an events reporter's path was said at `/options/path`, which the config does not have).
 * Pointers a plugin marks `absolute` (`/space`) are kept (review 66: guessed by their start, a pointer
 * relative to `patient`'s options, `/pruner/...`, was taken for the config's own).
 */
const inSlot =
  (slot: string) =>
  (error: unknown): never => {
    throw configErrorUnder(`${slot}/options`, error);
  };
