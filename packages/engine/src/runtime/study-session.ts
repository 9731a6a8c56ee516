import {
  chmodSync,
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  mkdtempSync,
  openSync,
  readFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { shellQuoted } from '../builtins/words.js';
import type { EvaluationResult } from '../contracts/objective.js';
import { type Clock, systemClock } from '../contracts/services.js';
import type { TrialStore } from '../contracts/store.js';
import type { Suggester } from '../contracts/suggester.js';
import type { CompiledSpace } from '../domain/compile-space.js';
import { type ExternalParams, type ParamAssignment, toExternalParams } from '../domain/params.js';
import { trialRng } from '../domain/rng.js';
import type { StudySpec } from '../domain/study.js';
import {
  endedUnrun,
  type FinishedTrial,
  type IntermediateValue,
  type Lease,
  type RunningTrial,
  type TrialOutcome,
} from '../domain/trial.js';
import { errorFacts, isStudyDeleted, ParzenError } from '../errors.js';
import type { EngineEvent, StudyTrialCounts } from '../events/engine-event.js';
import { listenForAbort } from './abort-listener.js';
import { type ConfigFile, entryAttempt, skippedEntryNote, stoppedEntry, studyCommand } from './enqueue.js';
import { makeFolder } from './make-folder.js';
import { StudyMirror } from './study-mirror.js';
import { suggestParams } from './suggest-params.js';

/** What asking and telling need: the study, its space and the plugins that serve it. */
export interface StudySession {
  readonly spec: StudySpec;
  readonly space: CompiledSpace;
  readonly store: TrialStore;
  readonly suggester: Suggester;
  readonly emit: (event: EngineEvent) => void;
  /** Publish suggesters' explanations as `suggestion.explained` events. */
  readonly explain?: boolean;
  /** The time stamped on events (default: the real time). */
  readonly clock?: Clock;
  /** Told about things that do not stop the study but may surprise (an enqueued entry given up). */
  readonly warn?: (message: string) => void;
  /** The config file of the run, named in the commands its warnings give (`CONFIG` without one). */
  readonly configFile?: ConfigFile;
}

/** A trial handed out by `Study.ask`: its number, the params the objective gets, and their internal form. */
export interface AskedTrial {
  /** The trial's number, which `tell` and `prune` take. */
  readonly number: number;
  /** The params' internal form, as the store keeps them (option indices for choices). */
  readonly internal: ParamAssignment;
  /** What the objective receives. */
  readonly params: ExternalParams;
  /** The worker whose lease the trial was created with, if any (a rescue file names it). */
  readonly worker?: string;
}

const now = (session: StudySession): string => (session.clock ?? systemClock).now().toISOString();

/** Each session's mirror of its study (see {@link StudyMirror}), made on its first use. */
const mirrors = new WeakMap<StudySession, StudyMirror>();
export const mirrorOf = (session: StudySession): StudyMirror => {
  let mirror = mirrors.get(session);
  if (mirror === undefined) {
    mirror = new StudyMirror(session.store, session.spec.name);
    mirrors.set(session, mirror);
  }
  return mirror;
};

/**
 * A suggestion, or once `stop` aborts an `INTERRUPTED` error in its place (trial 89: a suggester that never
 * settled made a run impossible to stop, forced or not); what the suggestion gives after that is dropped.
 */
const untilAborted = <T>(
  stop: AbortSignal | undefined,
  number: number,
  suggest: () => Promise<T>,
  stopped = 'The run was stopped',
): Promise<T | { readonly error: ParzenError }> => {
  // A stop asked for before the suggester began: it is not asked at all (reviews 92, 93: trials waiting their
  // turn still called it after a Ctrl-C, and the suggestions were thrown away).
  if (stop?.aborted === true)
    return Promise.resolve({
      error: new ParzenError('INTERRUPTED', `${stopped} before trial #${number}'s params were decided.`),
    });
  // The first stop asked for ends the wait too, not only the end of the grace period: a trial decided after a
  // stop never runs, so no suggestion is worth waiting for (a suggester that never settled held a first Ctrl-C
  // for the whole grace period, though no trial ran).
  if (stop === undefined) return suggest();
  const suggestion = suggest();
  return new Promise((resolve) => {
    const stopListening = listenForAbort(stop, () =>
      resolve({
        error: new ParzenError(
          'INTERRUPTED',
          `${stopped} while the suggester decided trial #${number}'s params; the trial ends without them.`,
        ),
      }),
    );
    void suggestion.then((value) => {
      stopListening();
      resolve(value);
    });
  });
};

/**
 * What `turn` settles to, or `stopped()` once `signal` aborts (or has) before `turn` began (`began()`): a turn
 * that began ends soon after the abort itself.
 */
const unlessAbortedBefore = <T, S>(
  turn: Promise<T>,
  signal: AbortSignal,
  began: () => boolean,
  stopped: () => S,
): Promise<T | S> =>
  new Promise((resolve, reject) => {
    if (signal.aborted && !began()) {
      // Settled later, unread.
      turn.catch(() => undefined);
      resolve(stopped());
      return;
    }
    const stopListening = listenForAbort(signal, () => {
      if (began()) return;
      turn.catch(() => undefined);
      resolve(stopped());
    });
    turn.then(
      (value) => {
        stopListening();
        resolve(value);
      },
      (error: unknown) => {
        stopListening();
        reject(error);
      },
    );
  });

/**
 * Allocates a trial in the store, samples its parameters and records them. Returns undefined when the
 * study already has `limit` trials, or (`onlyEnqueued`) when no enqueued entry waits. If the suggester fails, the trial is recorded as failed and a
 * `SUGGESTER_FAILED` error is thrown.
 */
export const askTrial = async (
  session: StudySession,
  lease?: Lease,
  limit?: number,
  onlyEnqueued = false,
  stops: {
    readonly interrupt?: AbortSignal;
    /** The first stop asked for; aborts no later than `interrupt` (it ends a suggestion in place of it). */
    readonly stopAsked?: AbortSignal;
    /** Who was stopped, in the INTERRUPTED messages (`The run was stopped` by default). */
    readonly stopped?: string;
    /**
     * Once `interrupt` aborts, the trial is failed at once also while it waits its turn behind another suggestion
     * (`study.ask`, which rejects once its trial is recorded); otherwise such a trial is failed when its turn comes.
     */
    readonly failWhileWaiting?: boolean;
  } = {},
): Promise<AskedTrial | undefined> => {
  const signal = stops.interrupt;
  // What ends a suggestion: the first stop asked for. `stopAsked` aborts no later than `interrupt` (a run aborts
  // `interrupt` only after it), so it alone is enough: a signal made of both for each trial (AbortSignal.any) stayed
  // referenced by the run-long signals it was made of, a leak per trial.
  const decideStop = stops.stopAsked ?? signal;
  const { spec, store, suggester } = session;
  const options = {
    ...(lease === undefined ? {} : { lease }),
    ...(limit === undefined ? {} : { limit }),
    ...(onlyEnqueued ? { onlyEnqueued } : {}),
  };
  const trial: RunningTrial | undefined = await store.createTrial(spec.name, options);
  if (trial === undefined) return undefined;
  const explain = session.explain
    ? (explanation: unknown) =>
        session.emit({
          type: 'suggestion.explained',
          at: now(session),
          study: spec.name,
          number: trial.number,
          explanation,
        })
    : undefined;
  // The suggester is shown the study as the loop's mirror has it, refreshed from the store (a store error
  // is thrown as it is); a suggester that fails fails this trial. The params are stored in the same turn,
  // so the next suggestion, in this process or another, sees them (trial 51).
  const mirror = mirrorOf(session);
  mirror.undecided(trial.number);
  let studyTrials: StudyTrialCounts | undefined;
  let began = false;
  const turn = mirror
    .whileStable(trial.number, async ({ history, running }) => {
      began = true;
      studyTrials = mirror.trialCounts(spec.direction);
      const decided = await untilAborted(
        decideStop,
        trial.number,
        () =>
          suggestParams(
            suggester,
            {
              study: spec.name,
              direction: spec.direction,
              seed: spec.seed,
              trialNumber: trial.number,
              space: session.space,
              history,
              running,
              rng: trialRng(spec.seed, trial.number, suggester.name),
              ...(explain === undefined ? {} : { explain }),
              ...(decideStop === undefined ? {} : { signal: decideStop }),
            },
            // An enqueued entry's params, when the store handed this trial one.
            trial.internal,
          ).then(
            (internal) => ({ internal }),
            (error: unknown) => ({ error }),
          ),
        stops.stopped,
      );
      if ('internal' in decided) await store.setParams(spec.name, trial.number, decided.internal);
      return decided;
    })
    .finally(() => mirror.decided(trial.number));
  // Left waiting for its turn once the signal aborts; when the turn comes, it sees the abort and asks nothing.
  const suggested = await (stops.failWhileWaiting === true && signal !== undefined
    ? unlessAbortedBefore(
        turn,
        signal,
        () => began,
        () => ({
          error: new ParzenError(
            'INTERRUPTED',
            `${stops.stopped ?? 'The run was stopped'} before trial #${trial.number}'s params were decided.`,
          ),
        }),
      )
    : turn);
  if ('error' in suggested) {
    const { error } = suggested;
    const message = error instanceof Error ? error.message : String(error);
    // The trial records the code the run stops with (SUGGESTER_OUT_OF_SPACE, SUGGESTER_BAD_GROUP, ...).
    const code = error instanceof ParzenError ? error.code : 'SUGGESTER_FAILED';
    // Announced like any trial that ends, so reporters count what the store holds (it was stored failed and
    // never announced: a progress line said 0 failed above a summary that said 1).
    const outcome: TrialOutcome = { state: 'failed', error: { code, message } };
    // Its objective never started: not an attempt at the entry it took (see entryAttempt).
    await finishAskedTrial(session, trial.number, outcome, false);
    // A message the sentence below follows ends as a sentence (trial 118: "plugin bug The enqueued entry...").
    const sentence = (text: string): string => (/[.!?]$/.test(text.trimEnd()) ? text.trimEnd() : `${text.trimEnd()}.`);
    // The enqueued entry the trial took ran no objective: queued again, to run once the suggester is mended
    // (trial 114: it was used up). After the others, and without its key, which the study keeps as run.
    // Not for a trial that ended unrun (Ctrl-C while the suggester decided): the store gave the entry back itself,
    // and a copy would run it twice (review 127).
    const requeued =
      Object.keys(trial.internal).length > 0 && store.enqueue !== undefined && !endedUnrun(outcome)
        ? await store.enqueue(spec.name, [{ internal: trial.internal }]).then(
            (queued) => queued > 0,
            () => false,
          )
        : false;
    const again = requeued
      ? ` The enqueued entry the trial took (${JSON.stringify(toExternalParams(session.space, trial.internal))}) is queued again, behind the entries waiting, to run once the suggester is mended.`
      : '';
    if (error instanceof ParzenError)
      throw again === ''
        ? error
        : new ParzenError(error.code, `${sentence(error.message)}${again}`, {
            ...(error.plugin === undefined ? {} : { plugin: error.plugin }),
            issues: error.issues,
            cause: error,
          });
    throw new ParzenError(
      'SUGGESTER_FAILED',
      `Suggester \`${suggester.name}\` failed on trial #${trial.number}: ${again === '' ? message : sentence(message)}${again}`,
      {
        plugin: suggester.name,
        cause: error,
      },
    );
  }
  const { internal } = suggested;
  const params = toExternalParams(session.space, internal);
  session.emit({
    type: 'trial.started',
    at: now(session),
    study: spec.name,
    number: trial.number,
    params,
    internal,
    ...(studyTrials === undefined ? {} : { studyTrials }),
  });
  return { number: trial.number, params, internal, ...(lease === undefined ? {} : { worker: lease.owner }) };
};

/** The outcome a result records: `ok` completes the trial (with its attrs), `failed` fails it. */
export const outcomeOf = (result: EvaluationResult): TrialOutcome =>
  result.status === 'ok'
    ? {
        state: 'complete' as const,
        loss: result.loss,
        ...(result.attrs === undefined ? {} : { attrs: result.attrs }),
      }
    : { state: 'failed' as const, error: result.error };

/**
 * Records how a trial ended (complete, failed or pruned) in the store and announces it. A trial that ended unrun
 * counts as an attempt at the enqueued entry it took (`countsAsAttempt`, the default), and the last one gives the
 * entry up, with a warning (see {@link entryAttempt}); not one whose objective never started, nor one a stop its
 * run's caller asked for cut short (Ctrl-C, SIGTERM, the run's signal): that says nothing of the entry (the trial
 * is marked with it all the same, see {@link stoppedEntry}).
 */
export const finishAskedTrial = async (
  session: StudySession,
  number: number,
  outcome: TrialOutcome,
  countsAsAttempt = true,
): Promise<FinishedTrial> => {
  const { store, spec } = session;
  const attempt = countsAsAttempt
    ? await entryAttempt(store, spec.name, number, outcome)
    : { outcome: await stoppedEntry(store, spec.name, number, outcome) };
  const finished = await store.finishTrial(spec.name, number, attempt.outcome).catch(async (error: unknown) => {
    throw await withWhatItHolds(session, number, error);
  });
  if (attempt.skipped !== undefined) session.warn?.(skippedEntryNote(spec.name, session.space, attempt.skipped));
  session.emit({
    type: 'trial.finished',
    at: now(session),
    trial: finished,
    params: toExternalParams(session.space, finished.internal),
  });
  return finished;
};

/**
 * A `TRIAL_ALREADY_FINISHED` from a tell or a report, with what the trial holds, so a restarted script re-telling
 * a result knows whether its first tell landed; any other error as it is.
 */
// Trial 85 (tell); trial 140 (report said only "has already finished").
export const withWhatItHolds = async (session: StudySession, number: number, error: unknown): Promise<unknown> => {
  if (!(error instanceof ParzenError) || error.code !== 'TRIAL_ALREADY_FINISHED') return error;
  const trial = (await session.store.listTrials(session.spec.name).catch(() => [])).find(
    (candidate) => candidate.number === number,
  );
  if (trial === undefined || trial.state === 'running') return error;
  const held =
    trial.state === 'failed'
      ? `failed (${trial.error.code})`
      : `${trial.state}${trial.loss === undefined ? '' : `, loss ${trial.loss}`}`;
  return new ParzenError(error.code, `${error.message.replace(/\.$/, '')}: ${held}, at ${trial.finishedAt}.`, {
    ...(error.plugin === undefined ? {} : { plugin: error.plugin }),
    issues: error.issues,
    cause: error,
  });
};

/**
 * Appends a result the store could not record to `<tmp>/parzen-unrecorded-<user>/<study>.jsonl`, one trial a line
 * in the form `parzen import` reads (params as the objective saw them, state, loss, attrs, error, intermediate
 * values, times, and `unrecorded`: the study, the number of the trial the store has running for it and its worker), away from the store's disk (full or read-only, often). The folder is this user's alone (0700,
 * owned by this uid, not a link) and the file too (0600, a regular file of one link, never followed as a link,
 * never waited on as a FIFO): another user of the machine can neither read nor add to it, nor make the run
 * write elsewhere or hang. Returns the file, or why none could be written.
 */
// Trial 101 and review 106: a folder shared by the machine's users let the first one's mode (755) keep every
// other user's result nowhere, and once opened to all, let another user plant links, FIFOs or their own files.
const rescueResult = (
  study: string,
  trial: number,
  worker: string | undefined,
  params: ExternalParams,
  outcome: TrialOutcome,
  intermediate: readonly IntermediateValue[],
  startedAt: string,
  finishedAt: string,
): { readonly file: string } | { readonly error: string } => {
  const line = {
    params,
    ...outcome,
    ...(intermediate.length === 0 ? {} : { intermediate }),
    startedAt,
    finishedAt,
    // Which trial of which study the store has running for it, and the worker whose lease it holds: `parzen
    // import` finishes that one, if that worker's (trial 101: added as a new trial beside it, the result counted
    // twice toward maxTrials; review 112: a live run's trial of the same number in a new store was finished).
    unrecorded: { study, trial, ...(worker === undefined ? {} : { worker }) },
  };
  return appendPrivately(rescueName(study), line);
};

/**
 * Appends `line` (as JSON) to file `name` of this user's rescue folder, as {@link rescueResult} keeps a result there.
 * Returns the file, or why none could be written.
 */
const appendPrivately = (name: string, line: unknown): { readonly file: string } | { readonly error: string } => {
  const uid = process.getuid?.();
  let folder = rescueFolder();
  let file = join(folder, name);
  try {
    makeFolder(folder);
    const info = lstatSync(folder);
    if (!info.isDirectory() || (uid !== undefined && info.uid !== uid)) {
      // Another user's folder (or a link) under this user's name, made to keep the results nowhere (review 107):
      // a new private folder of a name no one could foresee.
      folder = mkdtempSync(`${folder}-`);
      file = join(folder, name);
    } else if (uid !== undefined && (info.mode & 0o077) !== 0) chmodSync(folder, 0o700);
    const flags =
      constants.O_WRONLY |
      constants.O_APPEND |
      constants.O_CREAT |
      (constants.O_NOFOLLOW ?? 0) |
      (constants.O_NONBLOCK ?? 0);
    const fd = openSync(file, flags, 0o600);
    try {
      const opened = fstatSync(fd);
      if (!opened.isFile() || opened.nlink !== 1 || (uid !== undefined && opened.uid !== uid))
        throw new Error(`${file} is not a file of this user's`);
      writeSync(fd, `${JSON.stringify(line)}\n`);
    } finally {
      closeSync(fd);
    }
    return { file };
  } catch (error) {
    return { error: (error as Error).message };
  }
};

/**
 * The text of file `name` of this user's rescue folder, or undefined: no such file, or not one this user's run could
 * have written (the folder another user's or a link, the file no regular file: a FIFO planted there would hang the
 * read, opened without following a link and without blocking).
 */
const readPrivately = (name: string): string | undefined => {
  const uid = process.getuid?.();
  const folder = rescueFolder();
  try {
    const info = lstatSync(folder);
    if (!info.isDirectory() || (uid !== undefined && info.uid !== uid)) return undefined;
    const fd = openSync(
      join(folder, name),
      constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0),
    );
    try {
      const opened = fstatSync(fd);
      if (!opened.isFile() || (uid !== undefined && opened.uid !== uid)) return undefined;
      return readFileSync(fd, 'utf8');
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
};

/** The name of the file of a study's stops the store could not record ({@link recordStop}). */
const stopsName = (study: string): string => rescueName(study).replace(/\.jsonl$/, '.stops.jsonl');

/**
 * Keeps, in this user's rescue folder, that a stop its run's caller asked for (Ctrl-C, SIGTERM, the run's signal) cut
 * trial `trial` of worker `worker` short while the store could not record its end: a later run on this host, which
 * finds the trial running with its worker gone, then records that end (`INTERRUPTED`), which
 * uses none of its enqueued entry's attempts, instead of `STALE_TRIAL`, which would. Whether it could be kept.
 */
export const recordStop = (study: string, trial: number, worker: string): boolean => {
  const kept = appendPrivately(stopsName(study), { stopped: { study, trial, worker } });
  // Kept in a new folder of an unforeseeable name (the usual one another user's): no later run reads it there.
  return 'file' in kept && dirname(kept.file) === rescueFolder();
};

/**
 * The stops of study `study` that this user's rescue folder keeps, the store having failed to record them (see
 * {@link recordStop}), as a test of a trial and its worker: a stop its run's caller asked for (Ctrl-C, SIGTERM, the
 * run's signal) cut the trial short then, so a later run on this host marks it failed as stopped (`INTERRUPTED`)
 * rather than `STALE_TRIAL`. The file is read once, here.
 */
export const keptStops = (study: string): ((trial: number, worker: string | undefined) => boolean) => {
  const text = readPrivately(stopsName(study));
  const kept = new Set<string>();
  for (const line of text === undefined ? [] : text.split('\n')) {
    try {
      const { stopped } = JSON.parse(line) as { stopped?: { study?: unknown; trial?: unknown; worker?: unknown } };
      if (stopped?.study === study && typeof stopped.trial === 'number' && typeof stopped.worker === 'string')
        kept.add(JSON.stringify([stopped.trial, stopped.worker]));
    } catch {
      // A line that is not JSON: not one of ours to read.
    }
  }
  return (trial, worker) => worker !== undefined && kept.has(JSON.stringify([trial, worker]));
};

/** The rescue file's name for a study's results ({@link rescueResult}). */
const rescueName = (study: string): string =>
  `${study.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100) || 'study'}.jsonl`;

/** This user's rescue folder ({@link rescueResult}). */
const rescueFolder = (): string => join(tmpdir(), `parzen-unrecorded-${userName()}`);

/**
 * The trials among `trials` whose results this user's rescue file for `study` keeps (the store could not record
 * them): a line naming the trial and, when both are known, the trial's worker (`ofWorker`: those a line names with
 * their own worker; the others by number only, a line or trial without a worker). With the file; undefined when it has none of them (or
 * there is no such file to read).
 */
export const rescuedAmong = (
  study: string,
  trials: readonly { readonly number: number; readonly worker?: string | undefined }[],
):
  | {
      /** The rescue file's path. */
      readonly file: string;
      /** The numbers of the trials it keeps a result of, ascending. */
      readonly trials: readonly number[];
      /** Of them, those its line names with their own worker (the others are matched by number only). */
      readonly ofWorker: readonly number[];
    }
  | undefined => {
  const file = join(rescueFolder(), rescueName(study));
  const text = readPrivately(rescueName(study));
  if (text === undefined) return undefined;
  const workers = new Map(trials.map((trial) => [trial.number, trial.worker]));
  const found = new Set<number>();
  const ofWorker = new Set<number>();
  for (const line of text.split('\n')) {
    if (!line.includes('"unrecorded"')) continue;
    try {
      const { unrecorded } = JSON.parse(line) as {
        unrecorded?: { study?: unknown; trial?: unknown; worker?: unknown };
      };
      if (unrecorded?.study !== study || typeof unrecorded.trial !== 'number' || !workers.has(unrecorded.trial))
        continue;
      const worker = workers.get(unrecorded.trial);
      if (worker === undefined || unrecorded.worker === undefined || unrecorded.worker === worker) {
        found.add(unrecorded.trial);
        // A line or trial without a worker (an older rescue file, a trial without a lease): matched by number only.
        if (worker !== undefined && unrecorded.worker !== undefined) ofWorker.add(unrecorded.trial);
      }
    } catch {
      // A line that is not JSON: not one of ours to read.
    }
  }
  const sorted = (numbers: Set<number>) => [...numbers].sort((a, b) => a - b);
  return found.size === 0 ? undefined : { file, trials: sorted(found), ofWorker: sorted(ofWorker) };
};

/** This process's user name for a folder's name (its uid where the system has no name for it). */
const userName = (): string => {
  try {
    return userInfo().username.replace(/[^A-Za-z0-9._-]/g, '_') || String(process.getuid?.() ?? 'user');
  } catch {
    return String(process.getuid?.() ?? 'user');
  }
};

/**
 * Records how a trial the run loop asked for ended, like {@link finishAskedTrial}, also when another worker (on another
 * host, or another thread of this process) marked it `STALE_TRIAL` while it ran (its lease lapsed while this one was
 * busy or suspended), or when
 * the store no longer has it (a PostgreSQL crash can undo its unflushed creation, `TRIAL_NOT_FOUND`, also when another
 * worker's trial has taken its number since): the result is then kept as a new trial with the same params
 * (`addTrials`), with a warning, instead of being lost and ending the run. Without `addTrials` the warning says what
 * was lost.
 */
export const finishRunTrial = async (
  session: StudySession,
  asked: AskedTrial,
  startedAt: string,
  outcome: TrialOutcome,
  warn: (message: string) => void,
  intermediate: readonly IntermediateValue[] = [],
  // When the objective ended: a result kept elsewhere keeps this time, not the time a store gave up (trial
  // 56: a rescued trial's finish was the second Ctrl-C, 7 s into a database outage, after it ended).
  endedAt: string = now(session),
  /** Whether it counts as an attempt at the entry it took, if it ended unrun (see {@link finishAskedTrial}). */
  countsAsAttempt = true,
): Promise<FinishedTrial> => {
  try {
    return await finishAskedTrial(session, asked.number, outcome, countsAsAttempt);
  } catch (error) {
    const { store, spec } = session;
    const result = outcome.state === 'complete' ? `loss ${outcome.loss}` : outcome.state;
    const code = error instanceof ParzenError ? error.code : undefined;
    if (code !== 'TRIAL_ALREADY_FINISHED' && code !== 'TRIAL_NOT_FOUND') {
      // The run ends with the store's error; the result it computed is said first, and kept in a rescue file
      // `parzen import` reads (trial 53: it survived only as prose on stderr, its attrs left out). Not a
      // failure: the store has the trial running, and a later run marks it failed (trial 67: imported too, it
      // was counted twice).
      const said = `trial #${asked.number} ended (${result}, params ${JSON.stringify(asked.params)}) but the ${store.name} store could not record it (${errorFacts(error)}); `;
      if (outcome.state === 'failed') {
        // A stop its caller asked for: kept, so that a later run records it as such (no attempt at its entry).
        const stopped =
          !countsAsAttempt &&
          endedUnrun(outcome) &&
          !isStudyDeleted(error) &&
          asked.worker !== undefined &&
          recordStop(spec.name, asked.number, asked.worker);
        warn(
          // Trial 160: after a deletion this told of a store that still had the trial, for a later run to mark.
          `${said}${
            isStudyDeleted(error)
              ? 'its study was deleted, so no store has it'
              : stopped
                ? `the store has it as running, and a later run of study ${spec.name} on this host marks it failed as stopped (INTERRUPTED), so an enqueued entry it ran waits again with none of its attempts used`
                : `the store has it as running, and a later run of study ${spec.name} marks it failed (STALE_TRIAL)`
          }; its own error, which only this warning keeps: ${outcome.error.code}: ${outcome.error.message.replace(/\.$/, '')}.`,
        );
        throw error;
      }
      const rescued = rescueResult(
        spec.name,
        asked.number,
        asked.worker,
        asked.params,
        outcome,
        intermediate,
        startedAt,
        endedAt,
      );
      if (!('error' in rescued) && !isStudyDeleted(error)) {
        const kept = rescuedBySession.get(session);
        if (kept?.file === rescued.file) kept.trials.push(asked.number);
        else rescuedBySession.set(session, { file: rescued.file, trials: [asked.number] });
      }
      warn(
        said +
          ('error' in rescued
            ? `nothing else keeps this result (it could not be written to a file either: ${rescued.error}).`
            : isStudyDeleted(error)
              ? // Review 152: the hint imported a deleted study's result into the study created anew under its name.
                `it is kept in ${rescued.file}. Its study was deleted: \`${studyCommand('import', session.configFile)} ${shellQuoted(rescued.file)}\` would add it to the study that has the name now, another study.`
              : `it is kept in ${rescued.file} (\`${studyCommand('import', session.configFile)} ${shellQuoted(rescued.file)}\` adds it once the store works).`),
      );
      throw error;
    }
    const why =
      code === 'TRIAL_NOT_FOUND'
        ? `trial #${asked.number} is no longer in the ${store.name} store (its creation was undone while it ran: a ` +
          "database server crash before the creation was flushed; its number may since be another trial's, which is " +
          'left as it is)'
        : `trial #${asked.number} was marked finished by another worker while it ran (its lease lapsed, not renewed in ` +
          'time: a suspended process or machine, or a thread kept busy by a long synchronous objective; the worker that ' +
          'took it for gone is on another host or another thread of this process)';
    if (store.addTrials === undefined) {
      warn(`${why}; its result (${result}) is lost: the ${store.name} store cannot add trials.`);
      // A trial the store lost has nothing to return (a trial with its number now is another's).
      if (code === 'TRIAL_NOT_FOUND') throw error;
      const stored = (await store.listTrials(spec.name)).find((trial) => trial.number === asked.number);
      if (stored === undefined || stored.state === 'running') throw error;
      return stored;
    }
    const [kept] = await store.addTrials(spec.name, [
      {
        internal: asked.internal,
        outcome,
        startedAt,
        finishedAt: endedAt,
        ...(intermediate.length === 0 ? {} : { intermediate }),
      },
    ]);
    if (kept === undefined) throw error;
    warn(`${why}; its result (${result}) is kept as trial #${kept.number}.`);
    session.emit({
      type: 'trial.finished',
      at: now(session),
      trial: kept,
      params: toExternalParams(session.space, kept.internal),
    });
    return kept;
  }
};

/** The results each session's run kept in the rescue file, the store having failed to record them (see below). */
const rescuedBySession = new WeakMap<StudySession, { readonly file: string; readonly trials: number[] }>();

// Trial 161: the last line said only "do it again", and a run first marked those trials STALE_TRIAL, the import then
// adding the results beside them.
/**
 * The error a run ends with, saying where the results it kept in the rescue file are and that importing them
 * finishes their trials (which the store has running), so that each counts once: the import of the run's config
 * file with its `--store` and `--study` (the session's `configFile`), or of `CONFIG` for a run from code. A run that kept none, or an
 * error not Parzen's, is as it was.
 */
export const withRescueNote = (error: unknown, session: StudySession): unknown => {
  const kept = rescuedBySession.get(session);
  if (kept === undefined || !(error instanceof ParzenError)) return error;
  const one = kept.trials.length === 1;
  const which = `${one ? 'trial' : 'trials'} ${kept.trials.map((number) => `#${number}`).join(', ')}`;
  const note =
    `The ${one ? 'result' : 'results'} of ${which}, which the store could not record, ${one ? 'is' : 'are'} kept in ${kept.file}: ` +
    `once the store works, \`${studyCommand('import', session.configFile)} ${shellQuoted(kept.file)}\` finishes ${one ? 'its trial' : 'their trials'} with ${one ? 'it' : 'them'} ` +
    `(the store has ${one ? 'it' : 'them'} running), so that ${one ? 'it counts' : 'they count'} once; runs of the study on this machine leave ${one ? 'that trial' : 'those trials'} running until then.`;
  const said = error.message.trimEnd();
  return new ParzenError(error.code, `${said}${/[.!?]$/.test(said) ? '' : '.'} ${note}`, {
    cause: error,
    issues: error.issues,
    ...(error.plugin === undefined ? {} : { plugin: error.plugin }),
    ...(error.trials === undefined ? {} : { trials: error.trials }),
  });
};

/** Records a trial's result in the store and announces it. */
export const tellTrial = async (
  session: StudySession,
  number: number,
  result: EvaluationResult,
): Promise<FinishedTrial> => finishAskedTrial(session, number, outcomeOf(result));
