import { shellQuoted } from '../builtins/words.js';
import type { EnqueuedParams, EnqueuedSelector, NewFinishedTrial, TakenEntry, TrialStore } from '../contracts/store.js';
import { canonicalJson } from '../domain/canonical-json.js';
import type { CompiledSpace } from '../domain/compile-space.js';
import { type ParamAssignment, toExternalParams, toInternalParams } from '../domain/params.js';
import { endedUnrun, type Trial, type TrialOutcome } from '../domain/trial.js';
import { type ConfigIssue, invalidConfig, ParzenError, storeUnsupported } from '../errors.js';

/**
 * Checks params to enqueue (as the objective sees them, possibly partial) against the space: every
 * problem with its JSON pointer below `pointer` (`/enqueue/3/lr`).
 */
export const checkEnqueued = (
  space: CompiledSpace,
  entries: readonly unknown[],
  pointer = '/enqueue',
): {
  /** Each entry as internal values, in order (of an entry with issues, only what could be read). */
  readonly params: readonly ParamAssignment[];
  /** Every problem found, by JSON pointer; empty when all entries fit. */
  readonly issues: readonly ConfigIssue[];
} => {
  const issues: ConfigIssue[] = [];
  const params = entries.map((entry, index) => {
    const result = toInternalParams(space, entry, `${pointer}/${index}`, { partial: true });
    issues.push(...result.issues);
    return result.internal;
  });
  return { params, issues };
};

/**
 * The store entries of a config's `enqueue` list. Each entry's key is its canonical JSON and its
 * occurrence (a list naming the same params twice runs them twice), so however many workers start with
 * the config, and however often it is resumed, each entry is queued once and run once.
 */
export const configEnqueueEntries = (
  entries: readonly unknown[],
  params: readonly ParamAssignment[],
): EnqueuedParams[] => {
  const keys = configEntryKeys(entries);
  return entries.map((_, index) => ({ internal: params[index] as ParamAssignment, key: keys[index] as string }));
};

/** The keys a config's `enqueue` entries are queued with: `enqueue:<the entry's JSON>#<its occurrence>`. */
export const configEntryKeys = (entries: readonly unknown[]): string[] => {
  const seen = new Map<string, number>();
  return entries.map((entry) => {
    const json = canonicalJson(entry);
    const occurrence = seen.get(json) ?? 0;
    seen.set(json, occurrence + 1);
    return `enqueue:${json}#${occurrence}`;
  });
};

/**
 * How many of a config's `enqueue` entries the study's trials took (ran, or run now), by the keys a run queues
 * them with (`configEntryKeys`): the store queues no key it has seen, and hands out no entry a trial holds,
 * so a run of the config runs only the others. `taken` is what the store's `listTakenEntries` says.
 */
export const takenConfigEntries = (entries: readonly unknown[], taken: readonly TakenEntry[]): number => {
  const keys = new Set(taken.flatMap((entry) => entry.key ?? []));
  return configEntryKeys(entries).filter((key) => keys.has(key)).length;
};

/** The entry a config's key was made from (its JSON), or undefined for a key no config made. */
export const configEntryOf = (key: string | undefined): string | undefined =>
  key === undefined ? undefined : /^enqueue:(.*)#\d+$/s.exec(key)?.[1];

/**
 * Said when a run begins: entries an earlier run's config queued, still waiting, that this run's `enqueue`
 * list does not have (otherwise an entry removed from the config, or edited, still runs first, unsaid).
 */
export const leftoverEntriesNote = (
  study: string,
  waiting: readonly EnqueuedParams[],
  entries: readonly unknown[] | undefined,
  /** The study is at its trial limit: they run first once it has room (not "runs first", when nothing runs). */
  atLimit = false,
  /** The config file named in the command that removes them (`CONFIG` without one). */
  file?: ConfigFile,
): string | undefined => {
  const mine = new Set(configEntryKeys(entries ?? []));
  const others = waiting.flatMap((entry) => {
    const json = configEntryOf(entry.key);
    return json !== undefined && !mine.has(entry.key as string) ? [json] : [];
  });
  if (others.length === 0) return undefined;
  const shown = others.slice(0, 3).join(', ');
  const more = others.length > 3 ? ` and ${others.length - 3} more` : '';
  return (
    `study ${study}: ${others.length === 1 ? 'an entry' : `${others.length} entries`} an earlier run's \`enqueue\` list queued ${others.length === 1 ? 'waits' : 'wait'} and ${others.length === 1 ? 'runs' : 'run'} first${atLimit ? ' once the study has room for more trials' : ''}, ` +
    `though this run's list does not have ${others.length === 1 ? 'it' : 'them'}: ${shown}${more}. A queued entry stays queued until a trial runs it, or it is removed: \`${studyCommand('queue', file)} --remove-unlisted\` (in code, study.removeEnqueued).`
  );
};

/** Refuses an `enqueue` list on a store that cannot queue (no `enqueue` method): `STORE_UNSUPPORTED`. */
export const checkEnqueueStore = (store: TrialStore, entries: readonly unknown[] | undefined): void => {
  if (entries !== undefined && entries.length > 0 && store.enqueue === undefined)
    throw storeUnsupported(store.name, 'enqueue params', 'enqueue');
};

/** Queues a config's `enqueue` list in the store (see {@link configEnqueueEntries}). */
export const enqueueConfigEntries = async (
  store: TrialStore,
  study: string,
  space: CompiledSpace,
  entries: readonly unknown[],
): Promise<number> => {
  if (entries.length === 0) return 0;
  const { params, issues } = checkEnqueued(space, entries);
  if (issues.length > 0) throw invalidConfig('enqueue list', issues);
  if (store.enqueue === undefined) throw storeUnsupported(store.name, 'enqueue params', 'enqueue');
  return store.enqueue(study, configEnqueueEntries(entries, params));
};

/**
 * The trials to import with the keys of the config's `enqueue` entries they answer, so that a study moved
 * between stores (export, import) keeps which entries already ran (and does not run them again). An entry is
 * answered by the first trial not yet matched whose values include the entry's (a partial entry by any
 * trial with those values), entries in order, each trial at most once. `answered` lists, per matched
 * entry, its index in the list and the index of the trial.
 */
export const withEnqueueKeys = (
  entries: readonly EnqueuedParams[],
  trials: readonly NewFinishedTrial[],
  /**
   * The study's trials before the import: an entry one of them ran or runs (one with its values) is left to
   * it, unless the entry waits in the store (`waiting`, its entries' keys), which no trial has taken.
   */
  existing: readonly Trial[] = [],
  waiting: ReadonlySet<string> = new Set(),
  /**
   * The keys of entries still waiting in the study the trials come from (an export says them): no imported
   * trial ran those, whatever its values (so a sampled trial does not take a waiting partial entry's run).
   */
  waitingAtSource: ReadonlySet<string> = new Set(),
): {
  /** The trials, in order, those that answer an entry given its `key` (and `entry`, for a partial one). */
  readonly trials: NewFinishedTrial[];
  /** Per matched entry, `[its index in entries, the index of the trial that answers it]`. */
  readonly answered: readonly (readonly [number, number])[];
} => {
  const keyed = [...trials];
  const taken = new Set<number>();
  const answered: [number, number][] = [];
  const answeredBefore = new Set<number>();
  // A trial that ran an entry, or runs it now (review 71: a running trial's entry went to an imported trial,
  // which the note then named); not one that ended unrun, whose entry waits again.
  const holds = (trial: Trial) => trial.state !== 'failed' || !endedUnrun({ state: 'failed', error: trial.error });
  entries.forEach((entry, index) => {
    if (entry.key === undefined) return;
    const names = Object.keys(entry.internal);
    const has = (internal: ParamAssignment) => names.every((name) => internal[name] === entry.internal[name]);
    // Trial 67: an entry trial #44 had run was said to be run by the imported #64.
    // Each of the study's trials answers one entry, as each imported trial does.
    const before = waiting.has(entry.key)
      ? -1
      : existing.findIndex((trial, i) => !answeredBefore.has(i) && holds(trial) && has(trial.internal));
    if (before >= 0) {
      answeredBefore.add(before);
      return;
    }
    if (waitingAtSource.has(entry.key)) return;
    // A trial that ended unrun (interrupted, its worker dead) did not run the entry: it waits in the new store.
    const at = keyed.findIndex((trial, i) => !taken.has(i) && !endedUnrun(trial.outcome) && has(trial.internal));
    if (at < 0) return;
    taken.add(at);
    // The entry's own values with it: a partial entry's trial had its other params chosen (explain replays so).
    const whole = Object.keys(entry.internal).length === Object.keys((keyed[at] as NewFinishedTrial).internal).length;
    keyed[at] = { ...(keyed[at] as NewFinishedTrial), key: entry.key, ...(whole ? {} : { entry: entry.internal }) };
    answered.push([index, at]);
  });
  return { trials: keyed, answered };
};

/**
 * How many trials an enqueued entry is handed to, in all, while each of them ends unrun (its worker gone, or told
 * `INTERRUPTED` in ask/tell: see `endedUnrun`): the last one gives the entry up instead of back (see
 * {@link entryAttempt}). A trial whose run its caller stopped (Ctrl-C, SIGTERM, the run's signal) is no attempt.
 */
export const ENTRY_ATTEMPTS = 3;

/** An entry the run gave up (see {@link entryAttempt}): its values, its key if it has one, the trials that took it. */
export interface SkippedEntry {
  readonly internal: ParamAssignment;
  readonly key?: string;
  readonly trials: readonly number[];
}

/**
 * Whether `recorded`, a trial's `details.entry` or a taken entry, is `entry`: the same key, or without keys the same
 * values.
 */
const isEntry = (recorded: unknown, entry: TakenEntry): boolean => {
  if (typeof recorded !== 'object' || recorded === null) return false;
  const { key, internal } = recorded as { readonly key?: unknown; readonly internal?: unknown };
  if (entry.key !== undefined) return key === entry.key;
  return key === undefined && canonicalJson(internal) === canonicalJson(entry.internal);
};

/**
 * The trials before trial `number` that were attempts at `entry` (the enqueued entry it took, `taken` listing the
 * entries the study's trials hold) since the entry was last given up, by the study's `trials` (see
 * {@link entryAttempt}).
 */
export const attemptsBefore = (
  taken: readonly TakenEntry[],
  trials: readonly Trial[],
  number: number,
  entry: TakenEntry,
): number[] => {
  // Earlier trials that took an equal entry and kept it (a trial that gives its entry back is not listed).
  // Review 149: a second copy of {x: 0.5} was given up after one attempt, the first copy's two counted with it.
  const held = new Set(
    taken.filter((candidate) => candidate.trial < number && isEntry(candidate, entry)).map(({ trial }) => trial),
  );
  const before: number[] = [];
  for (const trial of trials) {
    if (trial.number >= number) continue;
    // One still running holds another copy: it neither counts nor ends the count.
    if (held.has(trial.number)) {
      if (trial.state !== 'running') before.length = 0;
      continue;
    }
    if (trial.state !== 'failed' || !isEntry(trial.error.details?.entry, entry)) continue;
    // A trial a stop its run's caller asked for cut short keeps its entry marked (see stoppedEntry), no attempt.
    if ((trial.error.details?.entry as { readonly stopped?: unknown } | undefined)?.stopped === true) continue;
    if (trial.error.details?.entrySkipped === true) before.length = 0;
    else before.push(trial.number);
  }
  return before;
};

// An entry whose trial kills its worker each time (too much memory, a native crash) was handed out again on every
// resume, without end, and the resume ran it first each time.
/**
 * The outcome of trial `number`, which ended unrun (see `endedUnrun`), with the enqueued entry it took in its
 * details: `entry` (its `internal` values, its `key` if it has one, and `attempt`, how many trials took it and
 * ended unrun, this one included), and at the {@link ENTRY_ATTEMPTS}th `entrySkipped: true`, so that the store
 * gives the entry up instead of back; `skipped` then says it. Attempts count from the last time the entry was
 * given up (queued anew, it has all its attempts again). Entries queued with equal values and no key are told apart
 * by their turn: a trial before this one that took an equal entry and ran it to an end (or holds it) ran its own
 * copy, so the attempts before it were that copy's. Copies taken at once and lost together (two workers of one
 * host that died) are not told apart: their attempts count as one entry's, so the first is given up early. Give
 * copies keys to keep them apart. Any other outcome, one of a trial that took no entry, or on a store without
 * `listTakenEntries` (or that fails to list), as it is.
 */
export const entryAttempt = async (
  store: TrialStore,
  study: string,
  number: number,
  outcome: TrialOutcome,
): Promise<{ readonly outcome: TrialOutcome; readonly skipped?: SkippedEntry }> => {
  if (outcome.state !== 'failed' || !endedUnrun(outcome) || store.listTakenEntries === undefined) return { outcome };
  // Best effort: a store that cannot list them now does not keep the trial's end from being recorded. The study's
  // trials are listed only for a trial that took an entry (a Ctrl-C ends many trials at once).
  let entry: TakenEntry | undefined;
  let taken: readonly TakenEntry[];
  let trials: readonly Trial[];
  try {
    taken = await store.listTakenEntries(study);
    entry = taken.find((candidate) => candidate.trial === number);
    if (entry === undefined) return { outcome };
    trials = await store.listTrials(study);
  } catch {
    return { outcome };
  }
  const before = attemptsBefore(taken, trials, number, entry);
  const attempt = before.length + 1;
  const key = entry.key === undefined ? {} : { key: entry.key };
  const skip = attempt >= ENTRY_ATTEMPTS;
  const details = {
    ...outcome.error.details,
    entry: { internal: entry.internal, ...key, attempt },
    ...(skip ? { entrySkipped: true } : {}),
  };
  const marked: TrialOutcome = { state: 'failed', error: { ...outcome.error, details } };
  return skip
    ? { outcome: marked, skipped: { internal: entry.internal, ...key, trials: [...before, number] } }
    : { outcome: marked };
};

/**
 * The outcome of trial `number`, which ended unrun because a stop its run's caller asked for cut it short (Ctrl-C,
 * SIGTERM, the run's signal), with the enqueued entry it took in its details: `entry` (its `internal` values, its
 * `key` if it has one, and `stopped: true`, no `attempt`: such a stop uses none of the entry's attempts, see
 * {@link entryAttempt}), so that the trial stays marked as one that ran the entry once the store has given the entry
 * back (it no longer lists the trial in `listTakenEntries`). Any other outcome, one of a trial that took no entry,
 * or on a store without `listTakenEntries` (or that fails to list), as it is.
 */
export const stoppedEntry = async (
  store: TrialStore,
  study: string,
  number: number,
  outcome: TrialOutcome,
): Promise<TrialOutcome> => {
  if (outcome.state !== 'failed' || !endedUnrun(outcome)) return outcome;
  const entry = await entryHeldBy(store, study, number);
  if (entry === undefined) return outcome;
  const key = entry.key === undefined ? {} : { key: entry.key };
  const details = { ...outcome.error.details, entry: { internal: entry.internal, ...key, stopped: true } };
  return { state: 'failed', error: { ...outcome.error, details } };
};

/** The entry a trial a stop cut short took, as its record keeps it (see {@link stoppedEntry}); else undefined. */
export const stoppedEntryOf = (trial: Trial): TakenEntry | undefined => {
  if (trial.state !== 'failed') return undefined;
  const entry = trial.error.details?.entry as
    | { readonly internal?: ParamAssignment; readonly key?: unknown; readonly stopped?: unknown }
    | undefined;
  if (entry?.stopped !== true || entry.internal === undefined) return undefined;
  return {
    trial: trial.number,
    internal: entry.internal,
    ...(typeof entry.key === 'string' ? { key: entry.key } : {}),
  };
};

/** The enqueued entry trial `number` holds, if the store lists it (best effort: undefined when it cannot say). */
export const entryHeldBy = async (store: TrialStore, study: string, number: number): Promise<TakenEntry | undefined> =>
  (await store.listTakenEntries?.(study).catch(() => undefined))?.find((entry) => entry.trial === number);

/**
 * How a `parzen` command names the study of a run of a config file, for the commands the run's warnings suggest: the
 * file's path and, when the command needs them to find the same study, `--store` (a store given in place of the
 * config's) and `--study` (a variant of a matrix), each as given (quoted for the shell where it is said).
 */
export interface ConfigFile {
  /** The config file's path, as given. */
  readonly path: string;
  /** The store given in place of the config's (`--store`), as given; absent: the config's own. */
  readonly store?: string;
  /** The study of a matrix the run is of (`--study`); absent for a config without a matrix. */
  readonly study?: string;
}

/**
 * `parzen <command>` naming the study of `file` (each argument quoted for the shell), or `CONFIG` without a file (a
 * run from code).
 */
export const studyCommand = (command: string, file: ConfigFile | undefined): string =>
  file === undefined
    ? `parzen ${command} CONFIG`
    : [
        `parzen ${command}`,
        shellQuoted(file.path),
        ...(file.store === undefined ? [] : [`--store ${shellQuoted(file.store)}`]),
        ...(file.study === undefined ? [] : [`--study ${shellQuoted(file.study)}`]),
      ].join(' ');

/**
 * What a run says when the stop its caller asked for (Ctrl-C, SIGTERM, its signal) cut short trial `number` while it
 * ran an enqueued entry: the entry waits again with none of its attempts used, so an entry that needs longer than each
 * run is given would be stopped at every run; the ways out (`file`: the run's config file, named in the command).
 */
export const stoppedEntryNote = (
  study: string,
  space: CompiledSpace,
  number: number,
  entry: TakenEntry,
  file?: ConfigFile,
): string => {
  const params = JSON.stringify(toExternalParams(space, entry.internal));
  const shown = configEntryOf(entry.key) ?? params;
  const command = studyCommand('queue', file);
  const remove =
    entry.key === undefined
      ? `${file === undefined ? '' : `\`${command} --remove-params ${shellQuoted(params)}\`, `}in code, study.removeEnqueued({ params: ${params} })`
      : `\`${command} --remove ${shellQuoted(entry.key)}\`, in code study.removeEnqueued({ key: ${JSON.stringify(entry.key)} })`;
  return (
    `study ${study}: the stop cut short trial #${number}, which ran the enqueued entry ${shown}; a stop you ask for (Ctrl-C, SIGTERM, the run's signal) uses none of its ${ENTRY_ATTEMPTS} attempts, so it waits again and runs first at the next run. ` +
    `If it needs longer than each run is given (a scheduler's time limit, \`timeout\`), it is stopped at every run: give the run trialTimeoutSeconds (a trial that times out counts as run), or take the entry out of the queue (${remove}).`
  );
};

/** What a run says of an entry it gave up (see {@link entryAttempt}): the entry, its trials, what to do. */
export const skippedEntryNote = (study: string, space: CompiledSpace, skipped: SkippedEntry): string => {
  const shown = configEntryOf(skipped.key) ?? JSON.stringify(toExternalParams(space, skipped.internal));
  const trials = skipped.trials.map((number) => `#${number}`).join(', ');
  return (
    `study ${study}: the enqueued entry ${shown} is not handed out again: the ${skipped.trials.length} trials that took it (${trials}) each ended unrun, ` +
    `their worker gone or lost (${ENTRY_ATTEMPTS} attempts in all; a run stopped by its caller, a Ctrl-C, uses none), so that a resume does not run it first again and again. ` +
    "If it stops its worker (a crash, too much memory), fix that; to run it again, queue it anew (study.enqueue(params), or a copy of the entry in the config's `enqueue` list)."
  );
};

/**
 * Takes waiting entries out of the study's queue, all or none (see `TrialStore.removeEnqueued`), and resolves to
 * those removed. `shown` says a selector in a message (default: its key, or its values as the objective sees them).
 *
 * @throws `ParzenError` `ENTRY_NOT_WAITING` naming each selector that picked no waiting entry and, as far as the
 *   store says, why (the trial that took it and how that trial ended, or that none was queued); nothing was removed.
 *   `STORE_UNSUPPORTED` for a store without `removeEnqueued`.
 */
export const removeEnqueuedEntries = async (
  store: TrialStore,
  study: string,
  space: CompiledSpace,
  which: readonly EnqueuedSelector[],
  shown: (selector: EnqueuedSelector, index: number) => string = (selector) => selectorText(space, selector),
): Promise<readonly EnqueuedParams[]> => {
  if (store.removeEnqueued === undefined)
    throw storeUnsupported(store.name, 'remove enqueued entries', 'removeEnqueued');
  if (which.length === 0) return [];
  const { removed, missing } = await store.removeEnqueued(study, which);
  if (missing.length === 0) return removed;
  // Why each is not waiting, as far as the store can say (best effort: the refusal stands without it).
  const taken = await store.listTakenEntries?.(study).catch(() => undefined);
  const trials = taken === undefined ? [] : await store.listTrials(study).catch(() => []);
  const issues: ConfigIssue[] = missing.map((index) => {
    const selector = which[index] as EnqueuedSelector;
    return {
      pointer: `/${index}`,
      expected: 'an entry still waiting',
      found: `${shown(selector, index)}: ${whyNotWaiting(selector, taken, trials)}`,
    };
  });
  const listed = issues.map((issue) => `  ${issue.found}`).join('\n');
  throw new ParzenError(
    'ENTRY_NOT_WAITING',
    `Nothing was removed from the queue of study \`${study}\`: only entries still waiting can be removed, and ${missing.length === 1 ? 'this one is' : `these ${missing.length} are`} not:\n${listed}`,
    { issues },
  );
};

/** A selector as messages say it: `key K`, or the values it names as the objective sees them. */
export const selectorText = (space: CompiledSpace, selector: EnqueuedSelector): string =>
  'key' in selector
    ? `key \`${selector.key}\``
    : `the entry ${JSON.stringify(toExternalParams(space, selector.internal))}`;

/** Why no waiting entry answers `selector`: the trials that took one (how they ended), or that none waits. */
const whyNotWaiting = (
  selector: EnqueuedSelector,
  taken: readonly TakenEntry[] | undefined,
  trials: readonly Trial[],
): string => {
  const wanted = 'key' in selector ? undefined : canonicalJson(selector.internal);
  const took = (taken ?? []).filter((entry) =>
    'key' in selector ? entry.key === selector.key : canonicalJson(entry.internal) === wanted,
  );
  const ended = took.map(({ trial: number }) => {
    const trial = trials.find((candidate) => candidate.number === number);
    if (trial === undefined) return `trial #${number} took it`;
    if (trial.state === 'running') return `trial #${number} took it and is running`;
    if (trial.state === 'failed' && trial.error.details?.entrySkipped === true)
      return `trial #${number} was its last attempt, and it was given up`;
    return `trial #${number} ran it (${trial.state === 'failed' ? `failed, ${trial.error.code}` : trial.state})`;
  });
  if (ended.length > 0) return ended.slice(0, 3).join('; ') + (ended.length > 3 ? ` and ${ended.length - 3} more` : '');
  return 'key' in selector
    ? 'no entry with this key waits (none was queued with it, or it was removed)'
    : 'no waiting entry has exactly these values (none was queued with them, or it was removed)';
};
