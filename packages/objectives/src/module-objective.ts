import { existsSync, statSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import {
  assertOptions,
  createFunctionObjective,
  defineObjective,
  expandHome,
  inModuleLoad,
  invalidConfig,
  lookAlikeFileHint,
  type ObjectiveAdapter,
  type ObjectiveFunction,
  type ObjectSchemaNode,
  ParzenError,
  SERVICES,
  SET_UP_BOUND_MS,
  warnOnStderr,
} from '@parzen/engine/plugin';
import { boundedLoad } from './load-bound.js';
import {
  isFileSpecifier,
  isModuleFile,
  LOADER_FILE,
  loadModuleExport,
  MissingExportError,
  MissingPackageError,
} from './load-module-export.js';
import { withSchemaDefaults } from './schema-defaults.js';
import { createWorkerObjective, WorkerScriptMissing } from './worker-objective.js';

/** Options of the `module` objective. */
export interface ModuleObjectiveOptions {
  /** A JS or TS file (relative to the config's folder) or a package name. */
  readonly path: string;
  /** The export to call; default `default`. */
  readonly export: string;
  /**
   * Where the function runs: `worker` (default), a worker thread that Ctrl-C, SIGTERM and timeouts can
   * stop mid-trial and that `process.exit()` or a stray throw cannot take the run down with; `none`,
   * Parzen's own thread (no start-up cost, closures and non-cloneable results work, but a synchronous
   * trial can only be stopped between trials).
   */
  readonly isolate?: 'worker' | 'none';
  /**
   * With `isolate: "worker"`: when the study ends, keep its loaded threads for the next study of the same
   * module in this process (the next variant of a batch), which then starts without a thread start and
   * module load (~70 ms of CPU each); module-level state carries over between those studies. Default
   * false: every study loads the module afresh. No effect with `none`, where the module is loaded once
   * per process anyway.
   */
  readonly reuseThreads?: boolean;
  /**
   * How long each worker thread may take to load the module (its top-level code and imports) before it is ended:
   * the first thread's load, before any trial, then refuses the run, and a later thread's fails its trial; default
   * 60. Raise it for a module whose import is slow on purpose (a dataset read at load). With
   * `isolate: "none"` it bounds the load on Parzen's thread while its top-level code awaits (a synchronous loop
   * there cannot be stopped), and a top-level await that can never settle is refused at once.
   */
  readonly loadTimeoutSeconds?: number;
}

/**
 * JSON Schema of the `module` objective's options ({@link ModuleObjectiveOptions}), with defaults: the manifest's
 * `optionsSchema`, which a config's `options` of `{ "use": "module" }` are checked against (ajv fills the
 * defaults), and which {@link createModuleObjective} checks options given in code against. Typed as an {@link ObjectSchemaNode}: read an option (`.properties.NAME`) or extend the schema with options of your own (`{ ...schema, properties: { ...schema.properties, more } }`); the options are listed in the config reference.
 */
export const moduleObjectiveOptionsSchema: ObjectSchemaNode = {
  type: 'object',
  additionalProperties: false,
  required: ['path'],
  properties: {
    path: {
      type: 'string',
      minLength: 1,
      description: "A .js/.mjs/.cjs/.ts/.mts file relative to the config's folder, or a package name.",
    },
    export: { type: 'string', minLength: 1, default: 'default', description: 'The exported function to call.' },
    isolate: {
      enum: ['worker', 'none'],
      default: 'worker',
      description:
        "worker: run it in a worker thread (stoppable mid-trial; process.exit ends only the trial); none: in Parzen's thread (a synchronous objective then cannot be stopped mid-trial: one past `trialTimeoutSeconds` keeps its result, with a warning, instead of failing with `TIMEOUT`).",
    },
    reuseThreads: {
      type: 'boolean',
      default: false,
      description:
        'With worker: keep the loaded threads when the study ends, for the next study of the same module in this process (a batch); module-level state then carries over between studies.',
    },
    loadTimeoutSeconds: {
      type: 'number',
      exclusiveMinimum: 0,
      // Within a Node timer's range (about 24.8 days; a longer one fires at once).
      maximum: 2_000_000,
      default: 60,
      description:
        "How long each worker thread may load the module (its top-level code and imports) before it is ended: the first thread's load, before any trial, then refuses the run, and a later thread's fails its trial; raise it for a module whose import is slow on purpose. With none: how long its top-level code may await before the run is refused.",
    },
  },
};

/** What a script of another language is and the program that runs it, by its extension (lower case). */
const RUNNERS: Readonly<Record<string, readonly [what: string, program: string]>> = {
  '.py': ['a Python program', 'python3'],
  '.r': ['an R program', 'Rscript'],
  '.jl': ['a Julia program', 'julia'],
  '.sh': ['a shell script', 'bash'],
  '.rb': ['a Ruby program', 'ruby'],
  '.pl': ['a Perl program', 'perl'],
};

/** What a file that is no JS or TS module is, and how a program can be an objective: as a `command`. */
const foreignFile = (path: string): string => {
  const extension = extname(path);
  const runner = RUNNERS[extension.toLowerCase()];
  if (runner === undefined)
    return `a ${extension} file, not a JavaScript or TypeScript module (a program in another language runs as a \`command\` objective)`;
  const [what, program] = runner;
  return `${what}, which does not load as a module (it runs as a \`command\` objective: { "use": "command", "options": { "command": [${JSON.stringify(program)}, ${JSON.stringify(path)}] } })`;
};

/**
 * Loads the function and wraps it: it gets the params object and a context `{ trialNumber, seed, signal,
 * report, shouldPrune }`, returns a number or `{ loss, ... }`, maybe async. A throw, NaN or a non-number
 * is a failed trial. `await report(step, value)` records a point of the learning curve (across a worker
 * thread it resolves once Parzen's thread has stored it and asked the pruner); `shouldPrune()` then says,
 * synchronously, whether the pruner wants the trial stopped, and the function returns or throws.
 */
export const createModuleObjective = async (
  /** `path`; the others default as in a config (`export` "default", `isolate` worker). */
  given: Pick<ModuleObjectiveOptions, 'path'> & Partial<ModuleObjectiveOptions>,
  baseDir: string,
  /** Where a warning goes (a worker thread that ended between trials, an ended trial's stray error); default stderr. */
  warn?: (message: string) => void,
): Promise<ObjectiveAdapter> => {
  // Options given in code are checked here (a config's against the schema first).
  assertOptions(moduleObjectiveOptionsSchema, given, 'module objective', 'module');
  // `~/obj.mjs` is in the home folder, as a config's other paths are (trial 159: a folder named `~` was looked in).
  // The defaults a config gets (`export` "default"), for options given in code (review 156).
  const options = {
    ...withSchemaDefaults<ModuleObjectiveOptions>(moduleObjectiveOptionsSchema, given),
    path: expandHome(given.path),
  };
  const file = resolve(baseDir, options.path);
  // A missing file is a mistake in the config (at its pointer), not a fault of the plugin.
  if (isFileSpecifier(options.path) && !existsSync(file))
    throw invalidConfig('options for the module objective', [
      {
        pointer: '/path',
        expected: "an existing JS or TS file (relative to the config's folder) or a package name",
        found: `\`${given.path}\`, and no file at ${file}${lookAlikeFileHint(file)}`,
      },
    ]);
  // A folder: Node's own refusal named its internals and no config place (trial 86).
  if (isFileSpecifier(options.path) && statSync(file).isDirectory())
    throw invalidConfig('options for the module objective', [
      {
        pointer: '/path',
        expected: "an existing JS or TS file (relative to the config's folder) or a package name",
        found: `\`${given.path}\`, a folder (${file}); name the module file in it`,
      },
    ]);
  // A Python or R program, a JSON file: tsx refused it with a frame of its own bundle as the place (trial 162).
  if (isFileSpecifier(options.path) && !isModuleFile(file))
    throw invalidConfig('options for the module objective', [
      {
        pointer: '/path',
        expected: "a .js/.mjs/.cjs/.ts/.mts file (relative to the config's folder) or a package name",
        found: `\`${given.path}\`, ${foreignFile(given.path)}`,
      },
    ]);
  try {
    return options.isolate === 'none'
      ? // A module's function is untyped: what it returns is checked at run time, trial by trial.
        createFunctionObjective(
          // Its top-level code runs on this thread: an exit from it refuses the load, not ends the run; an await in
          // it is bounded as a worker thread's load is, and one that never settles is said (Node's silent exit 13).
          (await inModuleLoad(
            `Objective module \`${options.path}\``,
            () => loadModuleExport(options.path, options.export, baseDir),
            {
              loader: LOADER_FILE,
              bound: (loading) =>
                boundedLoad(
                  loading,
                  options.path,
                  options.loadTimeoutSeconds === undefined ? SET_UP_BOUND_MS : options.loadTimeoutSeconds * 1000,
                  { warn: warn ?? warnOnStderr, onThisThread: true },
                ),
            },
          )) as ObjectiveFunction<unknown>,
          'module',
        )
      : await createWorkerObjective(
          { path: options.path, exportName: options.export, baseDir },
          {
            reuseThreads: options.reuseThreads === true,
            ...(options.loadTimeoutSeconds === undefined ? {} : { loadBoundMs: options.loadTimeoutSeconds * 1000 }),
            ...(warn === undefined ? {} : { warn }),
          },
        );
  } catch (error) {
    // A name the module does not export as a function is a mistake in the config too (trial 47: it had no
    // pointer), said with the functions it could name instead.
    if (error instanceof MissingPackageError)
      throw invalidConfig('options for the module objective', [
        {
          pointer: '/path',
          expected: "an existing JS or TS file (relative to the config's folder) or a package name",
          found: `\`${given.path}\`, and no package of that name in node_modules of ${baseDir} or its parent folders`,
        },
      ]);
    // The user's module did not load (a syntax error, a throw at its top level, a top-level await that never
    // settles): PLUGIN_INVALID as the CLI says a module that cannot load, naming the module, not Parzen's plugin
    // (its message names the module and where it failed; `cause` is what it threw, with its stack).
    if (!(error instanceof MissingExportError)) {
      if (error instanceof ParzenError || error instanceof WorkerScriptMissing || !(error instanceof Error))
        throw error;
      throw new ParzenError('PLUGIN_INVALID', error.message, {
        plugin: 'module',
        cause: error.cause instanceof Error ? error.cause : error,
      });
    }
    throw invalidConfig('options for the module objective', [
      {
        pointer: '/export',
        expected:
          error.functions.length === 0
            ? `the name of a function that objective module \`${given.path}\` exports (it exports none)`
            : `the name of a function that objective module \`${given.path}\` exports: ${error.functions.map((name) => `"${name}"`).join(', ')}`,
        // "default" is also what a config without `export` asks for (review 51: the pointer names no key there).
        found: `"${error.exportName}" (${error.found}${error.exportName === 'default' ? '; "default" is also what a missing "export" option means' : ''})`,
      },
    ]);
  }
};

/** `{ "use": "module", "options": { "path": "./objective.mjs", "export": "default" } }`. */
export const moduleObjectiveManifest = defineObjective<ModuleObjectiveOptions>({
  name: 'module',
  description: 'Calls an exported function of a JS/TS file or a package with the params object.',
  optionsSchema: moduleObjectiveOptionsSchema,
  create: (options, context) => {
    const logger = context.services.has(SERVICES.logger) ? context.services.get(SERVICES.logger) : undefined;
    return createModuleObjective(options, context.baseDir, logger === undefined ? undefined : (m) => logger.warn(m));
  },
});
