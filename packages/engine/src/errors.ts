/**
 * Every error Parzen raises on purpose is a {@link ParzenError} with a stable `code`, so callers can
 * branch on it and users get a message that says what was expected, what was found and where.
 */

import { isAbsolute } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ownEntry } from './domain/own-entry.js';

/**
 * The stable codes of {@link ParzenError}: branch on `error.code`, never on the message.
 *
 * - Your input: `CONFIG_INVALID` (a config or options object that does not fit: `error.issues` has each
 *   pointer, expected and found), `CONFIG_UNKNOWN_PLUGIN`, `SPACE_INVALID`, `PARAMS_INVALID` (params given in
 *   code that do not fit the space), `IMPORT_INVALID`, `IMPORT_REPEATED`, `REPORT_INVALID` (a bad
 *   `report(step, value)`).
 * - Plugins: `PLUGIN_INVALID`, `PLUGIN_LOAD_FAILED`, `PLUGIN_DUPLICATE`; a suggester, pruner or stopper that
 *   failed or answered outside its contract: `SUGGESTER_FAILED`, `SUGGESTER_OUT_OF_SPACE`, `SUGGESTER_BAD_GROUP`,
 *   `PRUNER_FAILED`, `STOPPER_FAILED`.
 * - Stores and studies: `STORE_FAILED` (could not read or write), `STORE_CORRUPT` (holds what it cannot read, or
 *   a trial no run stores), `STORE_CLOSED`, `STORE_UNSUPPORTED` (lacks an optional method the call needs),
 *   `STUDY_NOT_FOUND`, `STUDY_MISMATCH` (another space or direction), `STUDY_IN_RUN`.
 * - Ask and tell: `TRIAL_NOT_FOUND`, `TRIAL_ALREADY_FINISHED`, `TRIAL_IN_RUN`, `ENTRY_NOT_WAITING`.
 * - `INTERRUPTED`: stopped by a signal or an abort before the step could finish.
 *
 * Each member's own comment says when it is raised; the `parzen` CLI's README lists each with its exit code.
 * A trial's own failures (`OBJECTIVE_THREW`, `TIMEOUT`, ...) are not errors thrown: they are a failed trial's
 * `error.code` ({@link TrialErrorCode}).
 */
export type ErrorCode =
  /** A config or options object that does not fit its schema: `error.issues` names each pointer, expected and found. */
  | 'CONFIG_INVALID'
  /** A plugin made by name (in code, or by a wrapper plugin) that no loaded plugin has. */
  | 'CONFIG_UNKNOWN_PLUGIN'
  /**
   * A plugin that is not what its kind needs: a malformed manifest or options schema, a `create` that threw or
   * returned no instance (or one without a method its contract requires), a `notes()` that answered something else.
   */
  | 'PLUGIN_INVALID'
  /** A module listed in a config's `plugins` that could not be loaded. */
  | 'PLUGIN_LOAD_FAILED'
  /** Two loaded plugins of one kind with the same name. */
  | 'PLUGIN_DUPLICATE'
  /** A malformed space: reversed bounds, an empty choice, a name used twice. */
  | 'SPACE_INVALID'
  /** The suggester threw, or its `beginTrial` gave something else than a sampler. */
  | 'SUGGESTER_FAILED'
  /** The suggester suggested a value its parameter does not hold. */
  | 'SUGGESTER_OUT_OF_SPACE'
  /** The suggester's sampler groups a parameter the space does not have, or puts one in two groups. */
  | 'SUGGESTER_BAD_GROUP'
  /** The store holds what it cannot read (a damaged file), or a trial no run stores (a hand edit). */
  | 'STORE_CORRUPT'
  /** The store could not be read or written: a locked file, an unreachable database, a full disk. */
  | 'STORE_FAILED'
  /** A store used after its `close()`: a study opened on it, its trials, anything read or written through it. */
  | 'STORE_CLOSED'
  /** The store's study has another space or direction than the one given. */
  | 'STUDY_MISMATCH'
  /** `tell`, `prune` or a lookup of a trial number the study does not have. */
  | 'TRIAL_NOT_FOUND'
  /** `tell` or `prune` of a trial that already finished. */
  | 'TRIAL_ALREADY_FINISHED'
  /** `tell` or `prune` of a trial that a run (optimize, fmin, a worker) is evaluating. */
  | 'TRIAL_IN_RUN'
  /** Opening, reading or deleting a study the store does not hold (or one another process deleted). */
  | 'STUDY_NOT_FOUND'
  /** Deleting a study (without `force`) whose trials a live worker runs, under its lease. */
  | 'STUDY_IN_RUN'
  /** Removing an enqueued entry that no longer waits (a trial took it, it was given up or removed) or never did. */
  | 'ENTRY_NOT_WAITING'
  /** The store lacks an optional method the call needs (`reportIntermediate` for a pruner, `enqueue`, ...). */
  | 'STORE_UNSUPPORTED'
  /** Params given in code (to enqueue, or to remove from the queue) that do not fit the space. */
  | 'PARAMS_INVALID'
  /** Trials to import that do not fit the study, named by row; nothing was imported. */
  | 'IMPORT_INVALID'
  /** `addTrials` with `refuseRepeats` of trials every one of which the study already has. */
  | 'IMPORT_REPEATED'
  /** The pruner threw or answered something else than it must. */
  | 'PRUNER_FAILED'
  /** `report(step, value)` with a bad step or value; thrown to the objective, whose trial fails. */
  | 'REPORT_INVALID'
  /** The stopper threw or answered something else than it must. */
  | 'STOPPER_FAILED'
  /** Stopped by a signal or an abort before the step could finish (a trial's params decided, a lock taken). */
  | 'INTERRUPTED';

/** One problem found in a config or a space: where, what was expected and what was found. */
export interface ConfigIssue {
  /**
   * JSON pointer into the config, e.g. `/suggester/options/gamma`. A plugin's `create` or `check` gives it
   * relative to the options it was given (`/gamma`; `""` for the options object itself): the engine puts it
   * under the place of those options in the config, as {@link issuesUnder} does.
   */
  readonly pointer: string;
  /** What fits there, in words (`a number in (0, 1)`, `one of: tpe, random`). */
  readonly expected: string;
  /** What is there instead, described (`"tpee"`, `-1`, `nothing` for a missing field). */
  readonly found: string;
  /**
   * The pointer is from the config's root, not relative to the plugin's options: a plugin that finds fault
   * with another part of the config (a command objective with the parameter names in `/space`) marks it so.
   */
  readonly absolute?: boolean;
}

/**
 * A plugin's issues with their pointers put under `prefix`, the place of its options in the config
 * (`/reporters/1/options`), except those marked {@link ConfigIssue.absolute}, kept as they are.
 */
export const issuesUnder = (prefix: string, issues: readonly ConfigIssue[]): ConfigIssue[] =>
  issues.map((issue) =>
    issue.absolute === true
      ? issue
      : {
          ...issue,
          // `level` for `/level` (trial 66: glued on as `/suggester/optionslevel`).
          pointer: `${prefix}${issue.pointer === '' || issue.pointer.startsWith('/') ? '' : '/'}${issue.pointer}`,
        },
  );

/**
 * `error` itself, or when it is a `CONFIG_INVALID` with issues, the same error with its issues put under
 * `prefix` ({@link issuesUnder}) and its message's list said again; `title` replaces the message's first
 * line and `plugin` the plugin at fault (a wrapper's, say).
 */
export const configErrorUnder = (
  prefix: string,
  error: unknown,
  { title, plugin }: { readonly title?: string; readonly plugin?: string } = {},
): unknown => {
  if (!(error instanceof ParzenError) || error.code !== 'CONFIG_INVALID' || error.issues.length === 0) return error;
  const issues = issuesUnder(prefix, error.issues);
  const blamed = plugin ?? error.plugin;
  // The list said again where the message lists the issues; a message in a plugin's own words is kept whole,
  // the placed issues after it (review 68: a server's reason was cut to its first line; review 69: without the
  // list, which of several reporters was not said).
  const listed = error.message.includes(formatIssues(error.issues));
  const message = listed
    ? `${title ?? error.message.split('\n')[0]}\n${formatIssues(issues)}`
    : `${title === undefined ? '' : `${title} `}${error.message}\n${formatIssues(issues)}`;
  return new ParzenError('CONFIG_INVALID', message, {
    issues,
    ...(blamed === undefined ? {} : { plugin: blamed }),
    cause: error.cause ?? error,
  });
};

/** The optional facts of a {@link ParzenError}: the plugin at fault, config issues, the cause. */
export interface ParzenErrorDetails {
  /** The plugin the error came from (`tpe`, `sqlite`, ...); absent when none did. */
  readonly plugin?: string;
  /** Of a `CONFIG_INVALID` error, each problem; default: none. */
  readonly issues?: readonly ConfigIssue[];
  /** The error this one says again (a driver's, a thrown value), kept as the error's `cause`; absent: none. */
  readonly cause?: unknown;
  /** The study's trials when a run that had finished some failed (`fmin`: the only place they are). */
  readonly trials?: readonly unknown[];
  /**
   * What to do about it, the sentence `message` ends with (`Once the server answers again, do it again ...`): a
   * warning that quotes the error while the run goes on (a report it could not store) leaves it out.
   */
  readonly advice?: string;
}

/** The brand every ParzenError carries, shared by every copy of the engine (`Symbol.for`). */
const PARZEN_ERROR = Symbol.for('parzen.ParzenError');

/** The error class of Parzen. `code` is stable; `issues` lists config problems when there are any. */
export class ParzenError extends Error {
  /**
   * `error instanceof ParzenError` holds for a ParzenError of any copy of this package (by a brand in the
   * global symbol registry, not the class): a plugin that installed its own `@parzen/engine` throws errors the
   * host's engine still tells apart (otherwise they print raw stacks, and tolerated codes become fatal).
   * Subclasses test as classes do.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class instanceof was asked of, a subclass included.
    if (this !== ParzenError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[PARZEN_ERROR] === true;
  }

  /** A stable code to tell errors apart by (`CONFIG_INVALID`, `STORE_FAILED`, ...: the README's error table). */
  readonly code: ErrorCode;
  // Set only when given (`declare`: no field), so that a printed error does not list `plugin: undefined`.
  /** The plugin the error came from (`tpe`, `sqlite`, ...), when one did. */
  declare readonly plugin: string | undefined;
  /** Of a `CONFIG_INVALID` error, each problem: its JSON pointer, what was expected and what was found. */
  readonly issues: readonly ConfigIssue[];
  /**
   * The study's trials when a run failed after finishing some (a `stopWhen` or a suggester that threw):
   * `fmin` puts them here, as its result would have listed them, so a failure late in a long run loses
   * no work even with the memory store.
   */
  declare readonly trials: readonly unknown[] | undefined;
  /** What to do about it, the sentence `message` ends with, when it was given apart (see `ParzenErrorDetails`). */
  declare readonly advice: string | undefined;

  /**
   * An error with its code, its message and what else is known.
   * @param code - What kind of error it is, for callers to branch on.
   * @param message - What went wrong and what to do, in words a user can act on.
   * @param details - Where it came from and what it found; default: nothing more.
   */
  constructor(code: ErrorCode, message: string, details: ParzenErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    Object.defineProperty(this, PARZEN_ERROR, { value: true });
    this.name = 'ParzenError';
    this.code = code;
    if (details.plugin !== undefined) this.plugin = details.plugin;
    this.issues = details.issues ?? [];
    if (details.trials !== undefined) this.trials = details.trials;
    if (details.advice !== undefined) this.advice = details.advice;
  }
}

// Trial 161: a report the store could not record was said with "do it again: a run resumes the study" inside a
// warning that said the trial goes on.
/**
 * An error's message as a warning quotes it while the run goes on: without the advice it ends with (what to do once
 * the command has ended), which would tell the user to do again what is still going on.
 */
export const errorFacts = (error: unknown): string => {
  const message = error instanceof Error ? error.message : String(error);
  const advice = error instanceof ParzenError ? error.advice : undefined;
  // The sentence before it without its full stop: a warning quotes it in parentheses.
  return advice !== undefined && message.endsWith(advice)
    ? message.slice(0, -advice.length).trimEnd().replace(/\.$/, '')
    : message;
};

/** The brand of {@link TrialPruned}, shared by every copy of the engine and every worker thread's. */
const TRIAL_PRUNED = Symbol.for('parzen.TrialPruned');

/**
 * Thrown by an objective to end its own trial `pruned` at its last reported value, without a pruner's
 * word (Optuna's `raise TrialPruned()`): a run that diverged, a budget of its own. `throw new TrialPruned()`.
 */
export class TrialPruned extends Error {
  /** Holds for a TrialPruned of any copy of this package (a brand in the global symbol registry). */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class instanceof was asked of, a subclass included.
    if (this !== TrialPruned) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[TRIAL_PRUNED] === true;
  }

  /**
   * The error an objective throws to end its trial pruned.
   * @param message - The error's message (a pruned trial keeps none); default: "The objective pruned its trial."
   */
  constructor(message = 'The objective pruned its trial.') {
    super(message);
    Object.defineProperty(this, TRIAL_PRUNED, { value: true });
    this.name = 'TrialPruned';
  }
}

/** A JSON pointer's segment for a name: `~` as `~0` and `/` as `~1` (RFC 6901). */
export const escapePointer = (segment: string): string => segment.replaceAll('~', '~0').replaceAll('/', '~1');

/** Formats issues one per line: `/path: expected X, found Y`. */
export const formatIssues = (issues: readonly ConfigIssue[]): string =>
  issues.map((issue) => `  ${issue.pointer || '/'}: expected ${issue.expected}, found ${issue.found}`).join('\n');

/** A config or space that failed validation; lists every problem. */
export const invalidConfig = (what: string, issues: readonly ConfigIssue[]): ParzenError =>
  new ParzenError('CONFIG_INVALID', `Invalid ${what}:\n${formatIssues(issues)}`, { issues });

export const invalidSpace = (issues: readonly ConfigIssue[]): ParzenError =>
  new ParzenError('SPACE_INVALID', `Invalid search space:\n${formatIssues(issues)}`, { issues });

/** The package of each plugin Parzen publishes, by kind and name, to say which one a config needs. */
const PUBLISHED_PLUGINS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  objective: { module: '@parzen/objectives', command: '@parzen/objectives' },
  suggester: { random: '@parzen/algo-random', 'quasi-random': '@parzen/algo-random', tpe: '@parzen/algo-tpe' },
  store: { jsonl: '@parzen/store-file', sqlite: '@parzen/store-sqlite', postgres: '@parzen/store-postgres' },
  pruner: Object.fromEntries(
    ['median', 'percentile', 'successive-halving', 'hyperband', 'threshold', 'patient'].map((name) => [
      name,
      '@parzen/pruners',
    ]),
  ),
};

/**
 * A `function` objective in a config run without functions registered (the `parzen` command): the function is in
 * code, which a JSON config cannot reach; the config runs a module's export or a program instead.
 */
const functionObjectiveRefused = (known: readonly string[], pointer: string): ParzenError => {
  const instead =
    'a `module` objective (`{ "use": "module", "options": { "path": "./objective.mjs", "export": "train" } }`, the function exported from a file) or a `command` (a program)';
  return new ParzenError(
    'CONFIG_UNKNOWN_PLUGIN',
    `No objective plugin named \`function\` at ${pointer}: a \`function\` objective is a function registered in code (fmin, createStudy, or runExperiment's \`functions\` option), which a config run by the parzen command cannot reach. Use ${instead}. Known objective plugins: ${known.join(', ') || '(none)'}.`,
    {
      plugin: 'function',
      issues: [
        {
          pointer,
          expected: `one of the objective plugins: ${known.join(', ') || '(none loaded)'}; a \`function\` objective exists only in code (fmin, createStudy, runExperiment's \`functions\`): a config runs ${instead}`,
          found: '"function"',
        },
      ],
    },
  );
};

export const unknownPlugin = (kind: string, name: string, known: readonly string[], pointer: string): ParzenError => {
  if (kind === 'objective' && name === 'function') return functionObjectiveRefused(known, pointer);
  // Trial 43: a misspelt plugin name (`comand`) got no hint, though every misspelt field name does.
  const loadedHint = didYouMeanValue(name, known);
  // One of ours whose package was not given (trial 94: the `parzen` package's runExperiment has no `module`
  // objective, and "(none loaded)" did not say where it is).
  const kindsPackages = ownEntry(PUBLISHED_PLUGINS, kind);
  const published = kindsPackages === undefined ? undefined : ownEntry(kindsPackages, name);
  // A misspelt name of one of ours that is not loaded either (review 98: `modul` got no hint).
  const unloaded = Object.keys(kindsPackages ?? {}).filter((candidate) => !known.includes(candidate));
  const near =
    loadedHint === '' && published === undefined ? /`([^`]+)`/.exec(didYouMean(name, unloaded))?.[1] : undefined;
  const hint =
    near === undefined
      ? loadedHint
      : ` (did you mean \`${near}\`? It is in ${ownEntry(kindsPackages ?? {}, near)}, not loaded)`;
  const issue = {
    pointer,
    expected: `one of the ${kind} plugins: ${known.join(', ') || '(none loaded)'}${
      published === undefined
        ? // A plugin of a package the config does not list (`anneal` with no "plugins" got no word of them).
          hint === ''
          ? `; a plugin of another package is known once the config lists that package in "plugins" (\`"plugins": ["its-package"]\`)`
          : ''
        : `; \`${name}\` is in ${published}, not loaded: list that package in "plugins" beside the others the config uses (in code, runExperiment's plugins option: with the parzen package, \`[...plugins, thatPackage]\`)`
    }`,
    found: `${JSON.stringify(name)}${hint}`,
  };
  return new ParzenError(
    'CONFIG_UNKNOWN_PLUGIN',
    `No ${kind} plugin named \`${name}\` at ${pointer}${hint}. Known ${kind} plugins: ${known.join(', ') || '(none)'}. ` +
      (published === undefined
        ? 'Is its package listed in "plugins"?'
        : `\`${name}\` is in the package ${published}: install it and list it in the config's "plugins" beside the others it uses, or pass it in runExperiment's \`plugins\` option (with the parzen package, \`[...plugins, thatPackage]\`: given plugins replace its own); the \`parzen\` command includes it.`),
    { plugin: name, issues: [issue] },
  );
};

/** The `TRIAL_ALREADY_FINISHED` error: a finished trial was written to again. */
export const trialAlreadyFinished = (study: string, number: number): ParzenError =>
  new ParzenError('TRIAL_ALREADY_FINISHED', `Trial #${number} of study \`${study}\` has already finished.`);

/** The `TRIAL_NOT_FOUND` error: the study has no trial with that number. */
export const trialNotFound = (study: string, number: number): ParzenError =>
  new ParzenError('TRIAL_NOT_FOUND', `Study \`${study}\` has no trial #${number}.`);

/**
 * A feature needs an optional store method the store does not have. `durable`: only a store that keeps
 * what it is given will do (an import), so the memory store is not offered.
 */
export const storeUnsupported = (store: string, feature: string, method: string, durable = false): ParzenError =>
  new ParzenError(
    'STORE_UNSUPPORTED',
    `The \`${store}\` store cannot ${feature}: it has no \`${method}\` method. Use a built-in store (${durable ? 'jsonl, sqlite, postgres' : 'memory, jsonl, sqlite, postgres'}).`,
  );

/**
 * The `STORE_CLOSED` error of a store used after its `close()`, in one wording for every store: `store` names it
 * (`SQLite store \`runs.db\``), `doing` what was asked of it, when the store says (`creating a trial`).
 */
export const storeClosed = (store: string, doing?: string): ParzenError =>
  new ParzenError(
    'STORE_CLOSED',
    `${store} was closed (its \`close()\` was called)${doing === undefined ? '' : ` before ${doing}`}: a closed store reads and writes nothing. ` +
      'To go on, create the store again and open the study on it; close a store only once you are done with every study on it.',
  );

/** The `STUDY_NOT_FOUND` error: the store has no study with that name. */
export const studyNotFound = (study: string): ParzenError =>
  new ParzenError('STUDY_NOT_FOUND', `The store has no study named \`${study}\`. Run it first.`);

const DELETED = Symbol('parzen.studyDeleted');

/**
 * The `STUDY_NOT_FOUND` error of a store handle whose study was deleted since it opened or read it (by
 * `parzen delete` or `deleteStudy`, in this process or another): it writes nothing more to it, nor to a study
 * created again under that name since, which is another study.
 */
export const studyDeleted = (study: string): ParzenError => {
  const error = new ParzenError(
    'STUDY_NOT_FOUND',
    `Study \`${study}\` was deleted from the store (\`parzen delete\` or \`deleteStudy\`) while this process used it: this process neither reads nor writes it any more. A study of that name created since is another study: open the store again to use it (a run: run again; \`report --serve\` does so by itself).`,
  );
  Object.defineProperty(error, DELETED, { value: true });
  return error;
};

/** Whether `error` is {@link studyDeleted}'s: the study was deleted while this process used it. */
export const isStudyDeleted = (error: unknown): boolean =>
  error instanceof ParzenError && (error as unknown as Record<symbol, unknown>)[DELETED] === true;

/** Whether `value` is a Promise or another thenable (any object with a `then` method). */
export const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof (value as { then?: unknown } | null | undefined)?.then === 'function';

/**
 * Whether a synchronous hook (a stopper's rule, a pruner's `shouldPrune`, a plugin's `check`) answered a
 * Promise or another thenable, which Parzen refuses. Its outcome is then handled (dropped): the refusal is
 * the error, and a rejection of the promise must not also end the process as an unhandled rejection after
 * the caller has handled that error (an `async stopWhen` that throws must not crash a service).
 */
export const refusedPromise = (value: unknown): boolean => {
  try {
    if (!isThenable(value)) return false;
    value.then(undefined, () => undefined);
    return true;
  } catch {
    // A `then` getter or call that throws: a thenable all the same, with nothing left to reject.
    return true;
  }
};

/** Whether a prototype is the runtime's own (Object's, Date's, Map's, Error's), whose methods say nothing. */
const builtIn = (prototype: object): boolean => {
  const made: unknown = Object.getOwnPropertyDescriptor(prototype, 'constructor')?.value;
  return typeof made !== 'function' || Function.prototype.toString.call(made).includes('[native code]');
};

/**
 * An object's function-valued fields, its own classes' methods included (review 138: a class instance with
 * `onEvent` read as `{}`), in order; never the runtime's own methods. Empty when it cannot be read (a proxy).
 */
const functionNames = (value: object): string[] => {
  const names = new Set<string>();
  try {
    for (let level: object | null = value; level !== null; level = Object.getPrototypeOf(level)) {
      if (level !== value && builtIn(level)) break;
      for (const key of Object.getOwnPropertyNames(level)) {
        if (key === 'constructor' || names.has(key)) continue;
        if (typeof Object.getOwnPropertyDescriptor(level, key)?.value === 'function') names.add(key);
      }
    }
  } catch {
    return [];
  }
  return [...names];
};

/**
 * Short description of a value for "found ..." parts of messages. Never throws: a value JSON cannot
 * write (a BigInt, an object that refers back to itself) is described in words, so a message about a
 * user's mistake is never replaced by a `TypeError` from writing it.
 */
export const describeValue = (value: unknown): string => {
  if (value === undefined) return 'nothing';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (typeof value === 'bigint') return `the BigInt ${value}n`;
  // JSON shows a Promise as `{}`.
  if (value instanceof Promise) return 'a Promise';
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    // `Converting circular structure to JSON ...`, `Do not know how to serialize a BigInt`: its first line.
    const why = error instanceof Error ? (error.message.split('\n')[0] ?? '') : '';
    return `${Array.isArray(value) ? 'an array' : 'an object'} that is not JSON (${why.trim()})`;
  }
  if (text === undefined) return typeof value;
  const shown = text.length > 80 ? `${text.slice(0, 77)}...` : text;
  // JSON leaves out an object's functions: a reporter without a `name` read as `found {}` (review 135).
  const functions =
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? functionNames(value).map((key) => `\`${key}\``)
      : [];
  return functions.length === 0
    ? shown
    : `${shown} with the function${functions.length === 1 ? '' : 's'} ${functions.slice(0, 5).join(', ')}${functions.length > 5 ? ', ...' : ''}`;
};

/** Edits (insert, delete, change, swap two neighbours) between two words, ignoring case. */
const editDistance = (a: string, b: string): number => {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  const rows = Array.from({ length: x.length + 1 }, (_, i) =>
    Array.from({ length: y.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= x.length; i++)
    for (let j = 1; j <= y.length; j++) {
      const row = rows[i] as number[];
      const above = rows[i - 1] as number[];
      const change = x[i - 1] === y[j - 1] ? 0 : 1;
      row[j] = Math.min((above[j] as number) + 1, (row[j - 1] as number) + 1, (above[j - 1] as number) + change);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1])
        row[j] = Math.min(row[j] as number, ((rows[i - 2] as number[])[j - 2] as number) + 1);
    }
  return (rows[x.length] as number[])[y.length] as number;
};

/** The code points of a short name beyond ASCII (and of spaces and controls), as U+XXXX, to tell two that look alike apart. */
export const codePoints = (name: string): string =>
  [...name]
    .map((char) => {
      const point = char.codePointAt(0) as number;
      return point > 0x20 && point < 0x7f ? char : `U+${point.toString(16).toUpperCase().padStart(4, '0')}`;
    })
    .join(' ');

/**
 * Characters that show nothing on screen (Unicode's default ignorables): the zero-width space and joiners, bidi
 * marks, the byte order mark, the soft hyphen, variation selectors and Hangul fillers.
 */
const INVISIBLE = /\p{Default_Ignorable_Code_Point}/gu;

/**
 * A name as it looks: composed (NFC: é as one code point, not e and an accent), without invisible characters
 * (a zero-width space) and without white space at its ends. Two names with the same look-alike key are told
 * apart on screen by nothing.
 */
export const lookAlikeKey = (name: string): string =>
  name
    .normalize('NFC')
    .replace(INVISIBLE, (char, at: number, whole: string) => (showsSomething(char, at, whole) ? char : ''))
    .trim();

/**
 * Whether a default ignorable changes what is shown where it stands (review 181): a tag character (the letters of a
 * subdivision flag, England's against Scotland's), a variation selector (☺︎ against ☺️), a zero-width joiner or
 * non-joiner between two characters beyond ASCII (a family emoji against its three people; Persian می‌خواهم
 * against میخواهم). One between ASCII letters, or at an end, shows nothing.
 */
const showsSomething = (char: string, at: number, whole: string): boolean => {
  const point = char.codePointAt(0) as number;
  if ((point >= 0xe0020 && point <= 0xe007f) || (point >= 0xfe00 && point <= 0xfe0f)) return true;
  if (point >= 0xe0100 && point <= 0xe01ef) return true;
  if (point !== 0x200c && point !== 0x200d) return false;
  return whole.charCodeAt(at - 1) > 0x7f && whole.charCodeAt(at + char.length) > 0x7f;
};

/**
 * ` (`é` looks the same but is written with other Unicode code points: ...)` for a name or value that is
 * one of `known` composed another way (é as one code point, or as e and an accent: NFC against NFD), or with
 * invisible characters or white space at its ends (`lr` and `lr` with a zero-width space): alike on screen
 * ({@link lookAlikeKey}); empty otherwise. Names and values are compared code point for code point.
 */
export const sameTextHint = (name: string, known: readonly string[]): string => {
  const key = lookAlikeKey(name);
  const sameText = known.find((candidate) => candidate !== name && lookAlikeKey(candidate) === key);
  return sameText === undefined
    ? ''
    : ` (\`${sameText}\` looks the same but is written with other Unicode code points: ${codePoints(sameText)} against ${codePoints(name)}; names are compared code point for code point)`;
};

/** How close a name must be to a known one for {@link didYouMean} to offer it. */
export interface Closeness {
  /** One edit allowed per this many characters of the name (at least one edit): 4 by default. */
  readonly charsPerEdit?: number;
  /** Whether a name that begins exactly one known name offers it (`timeout` for `timeoutSeconds`): yes by default. */
  readonly prefix?: boolean;
}

/** A character without its accents (`é` is `e`): an accent is seen, so two that differ by one do not look alike. */
const base = (char: string): string => char.normalize('NFD').replace(/\p{M}/gu, '');

/**
 * `: it has - U+002D where this has ‐ U+2010` when `name` and the name offered differ only in characters that may look
 * alike (one of each pair beyond ASCII: a typographic hyphen, a Cyrillic а), so a suggestion that looks like what was
 * typed says what differs (trial 183: `--study kyoto‐1` was offered `kyoto-1`, to the eye the same); empty otherwise.
 */
const unlikeAt = (name: string, offered: string): string => {
  const typed = [...name];
  const meant = [...offered];
  if (typed.length !== meant.length) return '';
  const differ = typed.flatMap((char, at) => (char === meant[at] ? [] : [[char, meant[at] as string] as const]));
  if (
    differ.length === 0 ||
    differ.some(
      ([a, b]) => a.toLowerCase() === b.toLowerCase() || (a < '\u0080' && b < '\u0080') || base(a) === base(b),
    )
  )
    return '';
  const said = (chars: readonly string[]) =>
    chars
      .map((char) => `${char} U+${(char.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')}`)
      .join(', ');
  return `: it has ${said(differ.map(([, b]) => b))} where this has ${said(differ.map(([a]) => a))}`;
};

/**
 * ` (did you mean `suggester`?)` for a misspelt name (`suggestor`, `maxTrails`, `concurency`): the one
 * known name a few edits away (at most a quarter of its length, at least one: `moreTrials` is not a misspelt `maxTrials`), else the one
 * known name it begins (`timeout` for `timeoutSeconds`); empty when none is, or when two are as close.
 * `closeness` makes it stricter: for package names, which share a scope or prefix (`@acme/parzen-gp` is another
 * package, not a misspelt `@acme/parzen-tpe`), one edit per 8 characters and no prefix.
 */
export const didYouMean = (name: string, known: readonly string[], closeness: Closeness = {}): string => {
  const allowed = Math.max(1, Math.floor(name.length / (closeness.charsPerEdit ?? 4)));
  const same = sameTextHint(name, known);
  if (same !== '') return same;
  // A name far longer than any known one is no misspelling (and its distances would cost time).
  if (name.length > 64) return '';
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  let tie = false;
  for (const candidate of known) {
    if (Math.abs(candidate.length - name.length) > allowed) continue;
    const distance = editDistance(name, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
      tie = false;
    } else if (distance === bestDistance) tie = true;
  }
  // A name that differs only in case is close too (`URL` for `url`): the given name is unknown, so never the same.
  if (best !== undefined && !tie && bestDistance <= allowed)
    return ` (did you mean \`${best}\`?${unlikeAt(name, best)})`;
  // The start of one known name (trial 40: `timeout` for `timeoutSeconds`).
  if (closeness.prefix === false) return '';
  const lower = name.toLowerCase();
  const longer = lower.length >= 4 ? known.filter((candidate) => candidate.toLowerCase().startsWith(lower)) : [];
  return longer.length === 1 ? ` (did you mean \`${longer[0]}\`?)` : '';
};

/**
 * Other tools' names for a config field of ours (Optuna's `sampler`, `storage`, `n_trials`, `n_jobs`,
 * `timeout`; hyperopt's `algo`, `max_evals`; a store's `file`): the field meant, and the object it lives in
 * when that is not where the name was found.
 */
const FIELD_SYNONYMS: Readonly<
  Record<string, readonly { readonly field: string; readonly in?: string; readonly note?: string }[]>
> = {
  sampler: [{ field: 'suggester' }],
  algo: [{ field: 'suggester' }],
  algorithm: [{ field: 'suggester' }],
  storage: [{ field: 'store' }],
  // Optuna's n_trials counts the trials of this call: a study's `budget.moreTrials` (trial 76: the hint said
  // maxTrials, which counts the study's earlier trials too); in code, `maxTrials` for a new study.
  n_trials: [{ field: 'moreTrials', in: 'budget' }],
  ntrials: [{ field: 'moreTrials', in: 'budget' }],
  max_evals: [{ field: 'maxTrials', in: 'budget' }],
  // Our own budget fields at a config's top level, where fmin takes maxTrials (stop 66: no hint).
  maxtrials: [{ field: 'maxTrials', in: 'budget' }],
  moretrials: [{ field: 'moreTrials', in: 'budget' }],
  maxseconds: [{ field: 'maxSeconds', in: 'budget' }],
  lossthreshold: [{ field: 'lossThreshold', in: 'budget' }],
  maxconsecutivefailures: [{ field: 'maxConsecutiveFailures', in: 'budget' }],
  maxevals: [{ field: 'maxTrials', in: 'budget' }],
  timeout: [{ field: 'maxSeconds', in: 'budget' }],
  loss_threshold: [{ field: 'lossThreshold', in: 'budget' }],
  n_jobs: [{ field: 'concurrency' }],
  // hyperopt's SparkTrials(parallelism=4).
  parallelism: [{ field: 'concurrency' }],
  njobs: [{ field: 'concurrency' }],
  workers: [{ field: 'concurrency' }],
  search_space: [{ field: 'space' }],
  searchspace: [{ field: 'space' }],
  // hyperopt's fmin arguments (trial 55: no hint for them).
  fn: [{ field: 'objective' }],
  rstate: [{ field: 'seed' }],
  random_state: [{ field: 'seed' }],
  trials: [{ field: 'store' }],
  // A config's `stopper`, code's `stopWhen` (trial 76: code got no hint).
  // hyperopt's early_stop_fn=no_progress_loss(n) is the budget's patience (`budget.early_stop_fn` got no hint).
  early_stop_fn: [{ field: 'stopper' }, { field: 'stopWhen' }, { field: 'patience', in: 'budget' }],
  callbacks: [{ field: 'stopper' }, { field: 'stopWhen' }, { field: 'reporters' }],
  points_to_evaluate: [{ field: 'enqueue' }],
  file: [{ field: 'path' }],
  filename: [{ field: 'path' }],
  filepath: [{ field: 'path' }],
  database: [{ field: 'path' }],
  // Optuna's TPESampler arguments, among the `tpe` suggester's options (trial 96).
  n_startup_trials: [{ field: 'startupTrials' }],
  n_ei_candidates: [{ field: 'candidates' }],
  constant_liar: [{ field: 'constantLiar' }],
  prior_weight: [{ field: 'priorWeight' }],
  // The same run settings under the other surface's name: a config's stopper and time limits in seconds, code's
  // `stopWhen` rule and time limits in milliseconds (review 156: neither side named the other's).
  stopper: [
    {
      field: 'stopWhen',
      note: 'in code a stopper is a function: `stopWhen: noImprovement({ trials: 15 })`, or `stopWhen: stopWhenOf(stopper)` for a stopper object (both from `parzen`, or `@parzen/engine`)',
    },
  ],
  stopwhen: [
    {
      field: 'stopper',
      note: 'a config names a stopper plugin: `"stopper": { "use": "no-improvement", "options": { "trials": 15 } }`',
    },
  ],
};

/** Other tools' options that have no field here, and why (trial 76: Optuna's `catch` was offered `catchStrayErrors`). */
const FIELD_NOTES: Readonly<Record<string, string>> = {
  catch:
    'nothing to set: an error the objective throws fails its trial and the study goes on, as Optuna does with catch=(Exception,), ' +
    'except that a run none of whose trials completed stops after 10 failures in a row (`budget.maxConsecutiveFailures` sets the limit)',
  // Optuna's TPESampler(multivariate=True) (trial 96: the list of fields, no hint).
  multivariate:
    'Optuna\'s multivariate=True is the `tpe` suggester\'s `"grouping": "joint"` here, and with group=True `"groups"` (the `parzen` profile\'s); ' +
    '`"profile": "optuna5"` is Optuna 5\'s TPESampler() as a whole',
};

/** A field as it was given, for a hint that shows it back: its value, and whether a config (JSON) or code gave it. */
export interface GivenField {
  readonly value: unknown;
  readonly in: 'config' | 'code';
  /**
   * The field's pointer in the config, when known (`/store/options/timeoutMs`): a hint about a trial's time limit is
   * given only for an objective's options, not a store's, pruner's, suggester's, stopper's or reporter's.
   */
  readonly at?: string;
}

/** A pointer into the options of a config's plugin that evaluates nothing (a store, a suggester, a reporter...). */
const NOT_AN_OBJECTIVE = /^\/(?:store|suggester|pruner|stopper|reporters)(?:\/|$)/;

/** Seconds as milliseconds or the other way round, without float noise (`1.1 * 1000` is 1100.0000000000002). */
export const inOtherTimeUnit = (value: number, toSeconds: boolean): number =>
  Number((toSeconds ? value / 1000 : value * 1000).toPrecision(12));

/**
 * ` (did you mean `timeoutSeconds`? ...)` for a time limit given in the other unit (`timeoutMs` where
 * `timeoutSeconds` is known, or the other way round), showing the value given converted, written as where
 * it came from: `"timeoutMs": 2500` is `"timeoutSeconds": 2.5` in a config, `leaseSeconds: 60` is
 * `leaseMs: 60000` in code (a config gives the run's time limits in seconds, code in milliseconds). Empty when
 * `name` is no such field.
 */
const otherUnitHint = (name: string, known: readonly string[], given: GivenField | undefined): string => {
  const [, stem, unit] = name.match(/^(.+?)(seconds|ms)$/i) ?? [];
  if (stem === undefined || unit === undefined) return '';
  const toSeconds = unit.toLowerCase() === 'ms';
  const wanted = `${stem}${toSeconds ? 'seconds' : 'ms'}`.toLowerCase();
  const meant = known.find((field) => field.toLowerCase() === wanted);
  if (meant === undefined) return '';
  const inConfig = given?.in !== 'code';
  const unitWord = toSeconds ? 'seconds' : 'milliseconds';
  // The surface's own rule when it is one (a config in seconds, code in milliseconds), else the field's unit.
  const rule =
    inConfig === toSeconds
      ? `${inConfig ? 'a config gives it' : 'in code it is'} in ${unitWord}`
      : `\`${meant}\` is in ${unitWord}`;
  const value = given?.value;
  if (typeof value !== 'number' || !Number.isFinite(value)) return ` (did you mean \`${meant}\`? ${rule})`;
  const entry = (key: string, number: number): string =>
    inConfig ? `${JSON.stringify(key)}: ${JSON.stringify(number)}` : `${key}: ${String(number)}`;
  const other = inOtherTimeUnit(value, toSeconds);
  return ` (did you mean \`${meant}\`? ${rule}: \`${entry(name, value)}\` is \`${entry(meant, other)}\`)`;
};

/**
 * ` (a trial's time limit is ...)` for a per-trial time limit asked of an object that has none (`timeoutMs` in a
 * `module` objective's options, which the run's `trialTimeoutSeconds` limits), showing the value given in the
 * run's unit when its own unit says what it is. Empty for other names, and where a time limit of the object's own
 * (`timeoutSeconds`), the budget's `maxSeconds` or the run's own are among the `known` fields.
 */
const trialLimitHint = (name: string, known: readonly string[], given: GivenField | undefined): string => {
  const match = name.match(/^(?:trial_?)?time_?out(?:_?(ms|seconds|secs|s))?$/i);
  if (match === null) return '';
  // An object with a time limit of its own (a command's `timeoutSeconds`, a store's lock `timeout`), or the budget;
  // the module objective's `loadTimeoutSeconds` (a load's limit) does not make it one.
  if (known.some((field) => /timeout|^maxseconds$|^budget$/i.test(field) && !/^load/i.test(field))) return '';
  // A store's or a pruner's time limit (a lock, a connection) is not a trial's.
  if (given?.at !== undefined && NOT_AN_OBJECTIVE.test(given.at)) return '';
  const inConfig = given?.in !== 'code';
  const meant = inConfig ? 'trialTimeoutSeconds' : 'trialTimeoutMs';
  const where = inConfig
    ? "the config's top-level `trialTimeoutSeconds`"
    : "the run's `trialTimeoutMs` option (`fmin`, `study.optimize`)";
  // The run's own option, put among a plugin's options: where it goes, without a sum that changes nothing.
  if (name === meant) return ` (a trial's time limit is ${where}, not an option of this object: move it there)`;
  const unit = match[1]?.toLowerCase();
  const value = given?.value;
  if (unit === undefined || typeof value !== 'number' || !Number.isFinite(value))
    return ` (a trial's time limit is ${where}, in ${inConfig ? 'seconds' : 'milliseconds'})`;
  const givenInSeconds = unit !== 'ms';
  const converted = givenInSeconds === inConfig ? value : inOtherTimeUnit(value, inConfig);
  const entry = (key: string, number: number): string =>
    inConfig ? `${JSON.stringify(key)}: ${JSON.stringify(number)}` : `${key}: ${String(number)}`;
  return ` (a trial's time limit is ${where}: \`${entry(name, value)}\` is \`${entry(meant, converted)}\` there)`;
};

/**
 * {@link didYouMean} for an unknown field among `known` ones, knowing other tools' names for them
 * (`"store": {"options": {"file": ...}}` for `path`; Optuna's `n_trials`, which is `budget.moreTrials` here).
 */
export const didYouMeanField = (name: string, known: readonly string[], given?: GivenField): string => {
  const note = ownEntry(FIELD_NOTES, name.toLowerCase());
  if (note !== undefined) return ` (${note})`;
  // A plugin given a seed, as Optuna's RandomSampler(seed=1) is (trial 171: only "an unknown option").
  if (name === 'seed' && given !== undefined)
    return given.in === 'code'
      ? " (the seed is the study's, not a plugin's: `createStudy({ seed })`, `fmin({ seed })`, `Study.open({ seed })`)"
      : " (the seed is the study's, not a plugin's: the config's top-level `seed`)";
  const unit = otherUnitHint(name, known, given) || trialLimitHint(name, known, given);
  if (unit !== '') return unit;
  const synonyms = ownEntry(FIELD_SYNONYMS, name.toLowerCase()) ?? [];
  const places = synonyms.flatMap((synonym) => {
    // Taken where the name was found (`budget.max_evals`, trial 55: no hint there; fmin's own `maxTrials`, where
    // `fmin({ max_evals })` was told `budget.maxTrials`), else in its object.
    if (known.includes(synonym.field)) return [synonym.field];
    return synonym.in !== undefined && known.includes(synonym.in) ? [`${synonym.in}.${synonym.field}`] : [];
  });
  // What to write instead, when the other name differs in kind or unit (a stopper rule, milliseconds).
  const how = places.length === 1 ? synonyms.find((synonym) => synonym.field === places[0])?.note : undefined;
  if (places.length > 0)
    return ` (did you mean ${places.map((place) => `\`${place}\``).join(' or ')}?${how === undefined ? '' : ` ${how}`})`;
  return didYouMean(name, known);
};

/** Words other tools use for a value of ours (a space's `type`: Optuna's `categorical`, `int`, `float`). */
const VALUE_SYNONYMS: Readonly<Record<string, string>> = {
  categorical: 'choice',
  float: 'uniform',
  int: 'uniformint',
  integer: 'uniformint',
  // Optuna's class names for a plugin's `use` (trial 59: `"use": "MedianPruner"` got the list, no hint).
  tpesampler: 'tpe',
  randomsampler: 'random',
  qmcsampler: 'quasi-random',
  noppruner: 'none',
  medianpruner: 'median',
  percentilepruner: 'percentile',
  successivehalvingpruner: 'successive-halving',
  hyperbandpruner: 'hyperband',
  thresholdpruner: 'threshold',
  patientpruner: 'patient',
  // A study's direction shortened or spelt the British way (trial 162: `"max"` got no hint).
  max: 'maximize',
  min: 'minimize',
  maximise: 'maximize',
  minimise: 'minimize',
  // Optuna's words for the `tpe` suggester's `grouping` (trial 96: `"grouping": "multivariate"` got no hint).
  multivariate: 'joint',
  univariate: 'independent',
};

/**
 * {@link didYouMean} for a value among `allowed` ones, knowing other tools' words for them
 * (`"type": "categorical"` for `choice`).
 */
export const didYouMeanValue = (value: string, allowed: readonly string[]): string => {
  // A class's dotted path as Hydra and YAML configs write it (`optuna.samplers.TPESampler`): its last name.
  const last = value.slice(value.lastIndexOf('.') + 1);
  // hyperopt's `hp.uniform` too: the last name when it is an allowed value itself (trial 62).
  const meant =
    ownEntry(VALUE_SYNONYMS, value.toLowerCase()) ??
    ownEntry(VALUE_SYNONYMS, last.toLowerCase()) ??
    (last !== value ? allowed.find((word) => word.toLowerCase() === last.toLowerCase()) : undefined);
  return meant !== undefined && allowed.includes(meant) ? ` (did you mean \`${meant}\`?)` : didYouMean(value, allowed);
};

/**
 * Where `error` was thrown, from its stack: the first frame in a file (an ES module's URL or a CommonJS
 * path; Node's own `node:` frames are not files), as path:line:column: a plugin or objective module itself,
 * or a module it imports (a package whose entry imports the module that throws). `caller`, the
 * path of the file that imported the module, ends the search: no frame above it is the module's.
 */
export const thrownAt = (error: Error, caller?: string): string | undefined => {
  for (const frame of (error.stack ?? '').split('\n').slice(1)) {
    // The frames below the loader's own (`caller`, its file path) are the loader's, not the module's (review
    // 52: a TypeScript module run from a data: URL was said to throw in Parzen's loader).
    if (caller !== undefined && (frame.includes(caller) || frame.includes(pathToFileURL(caller).href)))
      return undefined;
    // tsx's loader, which compiles and resolves the module: what it throws is the loader's refusal (an unknown
    // extension), and its frames below a module's are the loader's too (trial 162: a frame of tsx's bundle was shown).
    if (/[\\/]node_modules[\\/]tsx[\\/]/.test(frame)) return undefined;
    // The frame's own place, `at f (PLACE)` or `at PLACE` (framePlace), when it is a file: inside
    // `node:internal/...` or a `data:` URL an unanchored match found a made-up path (review 51:
    // `/modules/esm/translators:205:3`).
    const place = framePlace(frame);
    if (place !== undefined && isAbsolute(place)) return place;
  }
  return undefined;
};

/**
 * The engine's own folder (its `dist`, or its `src` when run from source): a frame in it is Parzen's code.
 * Undefined when the engine is bundled into a program (this module is no file of its own, and a CommonJS bundle
 * has no `import.meta.url`): the bundle's frames are the user's code as well as Parzen's.
 */
const engineFolder: string | undefined = (() => {
  try {
    const here: unknown = import.meta.url;
    if (typeof here !== 'string' || !/\/errors\.[cm]?[jt]s$/.test(new URL(here).pathname)) return undefined;
    return fileURLToPath(new URL('.', here));
  } catch {
    return undefined;
  }
})();

/** A file URL as its path; any other place as it is. */
const asPath = (place: string): string => {
  if (!place.startsWith('file:')) return place;
  try {
    return fileURLToPath(place);
  } catch {
    return place;
  }
};

/**
 * A stack frame's location as the user reads it: `/home/me/run.mjs:3:17` (a file URL as its path),
 * `[eval]:2:126`, `REPL1:1:30`; code run by `eval` or `new Function` as its place there and where that code
 * was made, `<anonymous>:3:7 (eval at /home/me/run.mjs:2:19)`. Undefined for a location with no line and
 * column (the runtime's own frames, `at JSON.parse (<anonymous>)`, `at async Promise.all (index 0)`).
 */
const placeOf = (location: string): string | undefined => {
  if (!/:\d+:\d+$/.test(location)) return undefined;
  const [, origin, at] = /^eval at .*? \((.*)\), (.*)$/.exec(location) ?? [];
  if (origin === undefined || at === undefined) return asPath(location);
  return `${at} (eval at ${placeOf(origin) ?? origin})`;
};

/** The place of a stack frame, `at f (LOCATION)` or `at LOCATION`: see {@link placeOf}. */
const framePlace = (frame: string): string | undefined => {
  const [, named, bare] = /^\s*at (?:async )?(?:.*? \((.*)\)|(.*))$/.exec(frame) ?? [];
  const location = named ?? bare;
  return location === undefined ? undefined : placeOf(location);
};

/**
 * Where an objective's code (or the code that made an Error given to `study.tell`) threw `error`: the place of
 * the first frame of its stack that has one, whatever it looks like (see {@link framePlace}: a frame with no
 * file, as `node -e`, the REPL and `new Function` make, included), Node's own `node:` frames left out.
 * Undefined, the place unknown, when there is none or that frame is Parzen's own (an engine module other than
 * its tests): the user's code left no frame above Parzen's, which called it.
 */
export const codeThrownAt = (error: Error): string | undefined => {
  // Frames with no file are the user's too (trial 171: `new Function` code, whose frame has none, was said to
  // throw in Parzen's function objective, the next frame's file).
  for (const frame of (error.stack ?? '').split('\n').slice(1)) {
    const place = framePlace(frame);
    if (place === undefined || place.startsWith('node:')) continue;
    const file = place.replace(/:\d+:\d+$/, '');
    const parzens = engineFolder !== undefined && file.startsWith(engineFolder) && !/\.test\.[cm]?[jt]sx?$/.test(file);
    return parzens ? undefined : place;
  }
  return undefined;
};

/**
 * What JSON makes of a Date, a Map, a Set or a typed array, with the call that gives JSON instead
 * (`a Map of 2 entries, which JSON writes as {}: ...`); undefined for any other object.
 * @internal
 */
export const jsonChangedObject = (value: object): string | undefined => {
  if (value instanceof Date)
    return `a Date (${describeValue(value)}), which would read back as a string: give \`date.toISOString()\` or \`date.getTime()\``;
  // The containers a user reaches for (trial 182: a Map was said as \`{}\`).
  if (value instanceof Map)
    return `a Map of ${value.size} ${value.size === 1 ? 'entry' : 'entries'}, which JSON writes as {}: give \`Object.fromEntries(map)\` for string keys`;
  if (value instanceof Set)
    return `a Set of ${value.size} ${value.size === 1 ? 'value' : 'values'}, which JSON writes as {}: give \`Array.from(set)\``;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView))
    return `a ${value.constructor.name} of ${(value as unknown as ArrayLike<unknown>).length} values, which JSON writes as an object keyed by index: give \`Array.from(values)\``;
  return undefined;
};
