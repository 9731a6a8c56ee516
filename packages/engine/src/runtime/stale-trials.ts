import { randomUUID } from 'node:crypto';
import { readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { threadId } from 'node:worker_threads';
import type { TakenEntry, TrialStore } from '../contracts/store.js';
import { endedUnrun, type Lease, type Trial, type TrialOutcome } from '../domain/trial.js';
import { attemptsBefore, ENTRY_ATTEMPTS, entryAttempt, type SkippedEntry, stoppedEntry } from './enqueue.js';
import { keptStops, rescuedAmong } from './study-session.js';

/**
 * The fields of `/proc/<pid>/stat` from field 3 (the state) on, or undefined where they cannot be read
 * (no such process, no `/proc`). The command name before them may hold spaces and parentheses: `[0]` is the
 * state (`R`, `S`, `Z`...), `[2]` the process group.
 */
export const statFields = (pid: number | 'self'): string[] | undefined => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
};

/**
 * When a process started, as the kernel counts it (Linux: field 22 of `/proc/<pid>/stat`, clock ticks
 * since boot), or undefined where that cannot be read. With the pid it names one process for good: a
 * pid the system reused for another process has another start.
 */
export const processStart = (pid: number | 'self'): string | undefined => statFields(pid)?.[19];

let bootHere: string | null | undefined;

/**
 * This boot of this machine (Linux: `/proc/sys/kernel/random/boot_id`, random at each boot), or undefined:
 * the host's own pid namespace has one number on every Linux machine, so two machines with one host name
 * (cloned from one image, or left at `ubuntu` or `localhost`) are told apart by it (trial 56: they took each
 * other's live trials for dead). Kept in a field of its own, so records an earlier version wrote, and that
 * version reading these, compare as before (review 58: a changed namespace field made the two versions on
 * one machine break each other's live locks).
 */
const bootId = (): string | undefined => {
  if (bootHere === undefined) {
    try {
      const id = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
      bootHere = /^[0-9a-f-]+$/i.test(id) ? id : null;
    } catch {
      bootHere = null;
    }
  }
  return bootHere ?? undefined;
};

/**
 * This process's pid namespace (Linux: `/proc/self/ns/pid`, as `pid-4026531836`), or undefined: two
 * containers may share a host name but not a process table.
 */
const pidNamespace = (): string | undefined => {
  try {
    return readlinkSync('/proc/self/ns/pid').replace(/^pid:\[(\d+)\]$/, 'pid-$1');
  } catch {
    return undefined;
  }
};

/**
 * The owner string of one run's leases: `host:pid:uuid`, then `:start:namespace:boot` where the process's start,
 * pid namespace and boot are known (a random UUID, so two runs of one process never share it), then `:t<id>` for a
 * run on a worker thread (its `threadId`; none on the main thread, as earlier versions wrote every owner).
 * {@link isStale} reads all but the UUID (see {@link leaseOwner}).
 */
export const createWorkerId = (): string => {
  const start = processStart('self');
  const namespace = pidNamespace();
  const boot = bootId();
  const known =
    start === undefined
      ? ''
      : `:${start}${namespace === undefined ? '' : `:${namespace}${boot === undefined ? '' : `:${boot}`}`}`;
  return `${hostname()}:${process.pid}:${randomUUID()}${known}${threadId === 0 ? '' : `:t${threadId}`}`;
};

/** A lease owner's (a worker id's, see {@link createWorkerId}) process, and the thread of it that ran the run. */
export interface LeaseOwner extends ProcessRecord {
  /** The thread (`threadId`): 0, the main thread, where the owner names none (earlier versions named none). */
  readonly thread: number;
}

/**
 * What a lease owner says of its worker: its process, and its thread. Its thread field is the last and the only
 * one of the form `t<digits>` (a start is digits, a namespace `pid-<digits>`, a boot id hexadecimal), so an owner
 * whose process's start or namespace was unknown reads as well.
 */
export const leaseOwner = (owner: string): LeaseOwner => {
  const fields = owner.split(':');
  const thread = /^t(\d+)$/.exec(fields.length > 3 ? (fields.at(-1) ?? '') : '');
  if (thread !== null) fields.pop();
  const [host = '', pid, , start, namespace, boot] = fields;
  return { host, pid: Number(pid), start, namespace, boot, thread: thread === null ? 0 : Number(thread[1]) };
};

/**
 * The worker ids of the runs going on in this thread of this process (see {@link holdWorkerId}). Each thread loads
 * its own copy of this module, so a thread knows only its own runs.
 */
const activeHere = new Set<string>();

/**
 * Marks a run's worker id as going on in this process until the returned function is called: a trial
 * it leaves running after that (it ended without finishing it) is stale at once for later runs of this
 * process, which the process table cannot tell since the process lives on.
 */
export const holdWorkerId = (workerId: string): (() => void) => {
  activeHere.add(workerId);
  return () => activeHere.delete(workerId);
};

/** Whether a pid is a zombie (exited, not yet reaped by its parent), where `/proc` tells. */
const isZombie = (pid: number): boolean => /^[ZX]/.test(statFields(pid)?.[0] ?? '');

const processIsAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return !isZombie(pid);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * A running trial is stale when its worker is gone. On this host that is known from the process table:
 * stale at once when the owner's process is gone (after a kill -9, without waiting for the lease), or
 * when its pid now belongs to a process that started later; never while the owner is alive, even with
 * its lease expired (a long synchronous objective or a paused process cannot renew it, and its result
 * is still to come), unless it is this thread of this process and the run that asked for the trial is over. A
 * worker on another host, or on another thread of this process, is stale when its lease expired. Trials without a lease (ask/tell studies) are never
 * stale.
 */
export const isStale = (lease: Lease | undefined, now: Date, ownWorker: string): boolean =>
  staleness(lease, now, ownWorker) !== undefined;

/**
 * Why a running trial is stale (see {@link isStale}), or undefined when it is not: `gone` when its worker is
 * known to have ended (the process table says so, or it was this process's run, now over), `lapsed` when
 * only its lease says so (a worker on another host, or on another thread of this process, which may still be busy
 * and finish it).
 */
export const staleness = (lease: Lease | undefined, now: Date, ownWorker: string): 'gone' | 'lapsed' | undefined => {
  if (lease === undefined || lease.owner === ownWorker) return undefined;
  const owner = leaseOwner(lease.owner);
  const state = processState(owner);
  if (state === 'dead') return 'gone';
  if (state === 'alive' && owner.pid !== process.pid) return undefined;
  // This very thread of this process: its owner run is either still going on here, or over (a long-lived process).
  if (state === 'alive' && owner.thread === threadId) return activeHere.has(lease.owner) ? undefined : 'gone';
  // Another thread of this process, whose runs only it knows (it may have ended, or be busy in a long synchronous
  // objective), is judged by its lease, as a worker on another host is: before, its live trials were taken for a
  // run of this thread that was over, and marked stale.
  return Date.parse(lease.expiresAt) <= now.getTime() ? 'lapsed' : undefined;
};

/** A process as a lock file or a lease names it: its host, pid, and where known its start and pid namespace. */
export interface ProcessRecord {
  /** The host name of the machine (or container) the process runs on. */
  readonly host: string;
  /** The process id. */
  readonly pid: number;
  /** When the process started, in the kernel's clock ticks since boot (Linux); absent where unknown. */
  readonly start?: string | undefined;
  /** The process's pid namespace (Linux, `pid-4026531836`); absent where unknown. */
  readonly namespace?: string | undefined;
  /** The machine's boot id (Linux), where the record has one (earlier versions wrote none). */
  readonly boot?: string | undefined;
}

/** This process as a {@link ProcessRecord} (its start and namespace where the system tells them). */
export const thisProcess = (): ProcessRecord => {
  const start = processStart('self');
  const namespace = pidNamespace();
  const boot = bootId();
  return {
    host: hostname(),
    pid: process.pid,
    ...(start === undefined ? {} : { start }),
    ...(namespace === undefined ? {} : { namespace }),
    ...(boot === undefined ? {} : { boot }),
  };
};

/**
 * Whether the process a record names is alive, from this host's process table: `dead` when no such process
 * runs (or it is a zombie, or its pid now belongs to a process that started later), `alive` when it runs,
 * `unknown` on another host, in another pid namespace (a container with this host name) or another boot
 * (another machine with this host name), whose process tables this one cannot see: judge those by time.
 */
export const processState = (record: ProcessRecord): 'alive' | 'dead' | 'unknown' => {
  const boot = bootId();
  const sameTable =
    (record.namespace === undefined || record.namespace === pidNamespace()) &&
    (record.boot === undefined || boot === undefined || record.boot === boot);
  if (record.host !== hostname() || !sameTable || !Number.isInteger(record.pid) || record.pid <= 0) return 'unknown';
  if (!processIsAlive(record.pid)) return 'dead';
  const current = record.start === undefined ? undefined : processStart(record.pid);
  return current !== undefined && current !== record.start ? 'dead' : 'alive';
};

// Trial 104: the id's pid namespace, `pid-4026531836`, was read as the pid.
/**
 * A worker id said as a person reads it: `the process 17655 on host vm` for an id Parzen made (`host:pid:uuid...`,
 * see {@link createWorkerId}), else undefined (the id is then said as it is).
 */
export const workerOf = (owner: string): string | undefined => {
  const [host, pid, uuid] = owner.split(':');
  const { thread } = leaseOwner(owner);
  return host !== undefined && host !== '' && /^\d+$/.test(pid ?? '') && /^[0-9a-f]{8}-[0-9a-f-]{27}$/i.test(uuid ?? '')
    ? `${thread === 0 ? '' : `thread ${thread} of `}the process ${pid} on host ${host}`
    : undefined;
};

/**
 * A lapsed lease's worker said from this thread: `thread 2 of this process` (`the main thread of this process`) for
 * another thread of this process, which may be busy in a long synchronous objective, else as {@link workerOf} says
 * it (`the process 17655 on host vm`); for an id Parzen did not make, `a worker on host <host>`.
 */
export const lapsedWorker = (owner: string): string => {
  const parsed = leaseOwner(owner);
  if (parsed.pid === process.pid && processState(parsed) === 'alive' && parsed.thread !== threadId)
    return `${parsed.thread === 0 ? 'the main thread' : `thread ${parsed.thread}`} of this process`;
  return workerOf(owner) ?? (parsed.host === '' ? `worker ${owner}` : `a worker on host ${parsed.host}`);
};

/**
 * How a running trial whose worker is gone ends (failed, `STALE_TRIAL`; see {@link isStale}), or undefined
 * when it is not stale: the one rule a run writes to the store when it marks such trials, and a read-only
 * view of the study as the next run will see it (`parzen explain`) applies in memory.
 */
export const staleTrialOutcome = (trial: Trial, now: Date, ownWorker: string): TrialOutcome | undefined => {
  if (trial.state !== 'running') return undefined;
  const why = staleness(trial.lease, now, ownWorker);
  if (why === undefined) return undefined;
  const owner = trial.lease?.owner ?? '';
  const described = workerOf(owner);
  const worker = described ?? `worker ${owner}`;
  const id = described === undefined ? '' : ` (worker id ${owner})`;
  return {
    state: 'failed',
    error: {
      code: 'STALE_TRIAL',
      // Without the trial's number, which the trial shows beside it: an imported trial gets a new one
      // (trial 47: imported as #288, it said "Trial #148 was left running").
      message:
        why === 'gone'
          ? // Trial 161: "without finishing it" of a worker that finished it and could not record its end.
            `Left running by ${worker}, which stopped before the store recorded its end${id}.`
          : `Its worker, ${worker}, stopped renewing its lease, which lapsed; its result, if it comes, is kept as a new trial${id}.`,
      // `worker`: the lease's owner, as a rescue file's line names it (an import tells a line of this trial
      // from another store's by it; before, by the message). A lapsed lease only: the worker may still
      // finish the trial (its result is then kept as a new trial), so an enqueued entry it took is not
      // handed out again (review 36: it ran twice).
      details: { worker: owner, ...(why === 'lapsed' ? { lease: 'lapsed' } : {}) },
    },
  };
};

/** How a run ends a running trial whose worker is gone ({@link staleTrialEnds}). */
export interface StaleTrialEnd {
  /** The end it records: failed, `STALE_TRIAL` ({@link staleTrialOutcome}), or `INTERRUPTED` when `stopped`. */
  readonly outcome: TrialOutcome;
  /**
   * A stop its run's caller asked for (Ctrl-C, SIGTERM, the run's signal) cut it short while the store could not
   * record that, as this user's rescue folder keeps: recorded as that stop, which uses no attempt of its entry.
   */
  readonly stopped: boolean;
}

/**
 * What a run of study `study` marks each running trial of `trials` whose worker is gone by `now` with, by trial
 * number (trials whose worker is not gone are left out): the one rule a run writes to the store with
 * (`failStaleTrials`), and a listing of the study (`parzen trials`) says. A trial whose result a rescue file keeps
 * is in it too: a run passes such a trial over before asking (it waits for `parzen import`), and a listing names the
 * file. This user's rescue folder is read once.
 * `ownWorker`: the asking worker's (its own trials are not gone), or '' for a reader that is no worker.
 */
export const staleTrialEnds = (
  study: string,
  trials: readonly Trial[],
  now: Date,
  ownWorker: string,
): ReadonlyMap<number, StaleTrialEnd> => {
  const ends = new Map<number, StaleTrialEnd>();
  let stopKept: ReturnType<typeof keptStops> | undefined;
  for (const trial of trials) {
    const stale = staleTrialOutcome(trial, now, ownWorker);
    if (stale === undefined || trial.state !== 'running') continue;
    // A stop its run's caller asked for cut it short, which the store could not record then: recorded now, as the
    // run would have (no attempt at its entry), not as a worker gone.
    if (endedUnrun(stale)) stopKept ??= keptStops(study);
    const stopped = endedUnrun(stale) && stopKept?.(trial.number, trial.lease?.owner) === true;
    ends.set(trial.number, {
      stopped,
      outcome: stopped
        ? {
            state: 'failed',
            error: {
              code: 'INTERRUPTED',
              message: `A stop its run was asked for (Ctrl-C, SIGTERM or the run's signal) cut trial #${trial.number} short while the store could not record it; recorded by a later run.`,
              details: { worker: trial.lease?.owner },
            },
          }
        : stale,
    });
  }
  return ends;
};

/**
 * Marks the stale running trials of a study as failed with code `STALE_TRIAL` (the documented policy:
 * a trial whose worker died is never counted as complete and never waited on). Returns their numbers, and the
 * enqueued entries given up with them (see `entryAttempt`). A trial a stop its run's caller asked for cut short,
 * whose end the store could not record then (kept in this user's rescue folder), is marked failed `INTERRUPTED`
 * instead, with no attempt at its entry (`stopped`; see {@link staleTrialEnds}). Two processes may race here; the
 * loser's `TRIAL_ALREADY_FINISHED` is ignored.
 */
export const failStaleTrials = async (
  store: TrialStore,
  study: string,
  trials: readonly Trial[],
  ownWorker: string,
  now = new Date(),
): Promise<{ readonly failed: number[]; readonly skipped: SkippedEntry[]; readonly stopped: number[] }> => {
  const failed: number[] = [];
  const skipped: SkippedEntry[] = [];
  const stopped: number[] = [];
  for (const [number, end] of staleTrialEnds(study, trials, now, ownWorker)) {
    if (end.stopped) {
      try {
        await store.finishTrial(study, number, await stoppedEntry(store, study, number, end.outcome));
        stopped.push(number);
      } catch (error) {
        if ((error as { code?: string }).code !== 'TRIAL_ALREADY_FINISHED') throw error;
      }
      continue;
    }
    const attempt = await entryAttempt(store, study, number, end.outcome);
    try {
      await store.finishTrial(study, number, attempt.outcome);
      failed.push(number);
      if (attempt.skipped !== undefined) skipped.push(attempt.skipped);
    } catch (error) {
      if ((error as { code?: string }).code !== 'TRIAL_ALREADY_FINISHED') throw error;
    }
  }
  return { failed, skipped, stopped };
};

/**
 * The enqueued entries the next run gives back to the queue when it marks the trials of `trials` whose worker is
 * gone by `now` failed (`STALE_TRIAL`, see {@link staleTrialOutcome}): each that such a trial holds (by `taken`, the
 * store's `listTakenEntries`), unless only its lease lapsed (a worker on another host may still finish it) or the
 * trial is the entry's last attempt (see `ENTRY_ATTEMPTS`), which gives it up. By trial number, which is the
 * order the entries were taken in: they wait before the entries no trial took, so the first of them runs first.
 */
export const entriesGivenBack = (
  trials: readonly Trial[],
  now: Date,
  taken: readonly TakenEntry[],
): readonly TakenEntry[] =>
  trials.flatMap((trial) => {
    if (trial.state !== 'running') return [];
    const outcome = staleTrialOutcome(trial, now, '');
    const entry = taken.find((candidate) => candidate.trial === trial.number);
    if (outcome === undefined || entry === undefined || !endedUnrun(outcome)) return [];
    return attemptsBefore(taken, trials, trial.number, entry).length + 1 >= ENTRY_ATTEMPTS ? [] : [entry];
  });

// Trial 161: such a trial was marked STALE_TRIAL, the enqueued entry it had taken handed out again and run a second
// time, and the import that followed added the kept result beside it.
/**
 * The running trials among `trials` whose workers are gone (as `now` judges leases) and whose results this user's
 * rescue file keeps under their own workers (a worker that ended because the store could not record them: a
 * database outage longer than its retries). A run leaves them running, for `parzen import` to finish with those
 * results: each counts once, and an enqueued entry one took is not handed out again. Undefined when there are none.
 * `workerId`: the asking worker's (its own trials are not gone), or '' for a reader that is no worker.
 */
export const keptForImport = (
  study: string,
  trials: readonly Trial[],
  workerId: string,
  now: Date,
):
  | {
      /** The rescue file's path. */
      readonly file: string;
      /** The numbers of the trials it keeps a result of under their own workers, ascending. */
      readonly trials: readonly number[];
    }
  | undefined => {
  const stale = trials.flatMap((trial) =>
    trial.state === 'running' && staleTrialOutcome(trial, now, workerId) !== undefined
      ? [{ number: trial.number, worker: trial.lease?.owner }]
      : [],
  );
  if (stale.length === 0) return undefined;
  const rescued = rescuedAmong(study, stale);
  return rescued === undefined || rescued.ofWorker.length === 0
    ? undefined
    : { file: rescued.file, trials: rescued.ofWorker };
};
