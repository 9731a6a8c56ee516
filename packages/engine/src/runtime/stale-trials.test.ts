import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import {
  createWorkerId,
  holdWorkerId,
  isStale,
  lapsedWorker,
  leaseOwner,
  processStart,
  staleness,
  staleTrialEnds,
  staleTrialOutcome,
  thisProcess,
  workerOf,
} from './stale-trials.js';
import { recordStop } from './study-session.js';

const now = new Date();
const expired = new Date(now.getTime() - 1000).toISOString();
const valid = new Date(now.getTime() + 60_000).toISOString();
const here = hostname();
const ownStart = processStart('self');

/** The pid of a process that has ended. */
const deadPid = (): number => {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
};

describe('isStale (which running trials a starting run takes over)', () => {
  it('never the trial of a live worker on this host, even with its lease expired (busy or paused)', () => {
    const parent = process.ppid; // a live process other than this one
    const start = processStart(parent);
    const owner = `${here}:${parent}:another-run${start === undefined ? '' : `:${start}`}`;
    expect(isStale({ owner, expiresAt: expired }, now, 'me')).toBe(false);
    // An owner id without the process start (older versions, or no /proc): the live pid decides.
    expect(isStale({ owner: `${here}:${parent}:another-run`, expiresAt: expired }, now, 'me')).toBe(false);
  });

  it('in this very process: not while the run that owns it goes on; at once when that run is over', () => {
    const owner = `${here}:${process.pid}:earlier-run${ownStart === undefined ? '' : `:${ownStart}`}`;
    const release = holdWorkerId(owner);
    expect(isStale({ owner, expiresAt: expired }, now, 'me')).toBe(false);
    release();
    expect(isStale({ owner, expiresAt: valid }, now, 'me')).toBe(true);
  });

  it("another thread's of this very process: by its lease, as another host's (its runs are that thread's to know)", () => {
    const known = ownStart === undefined ? '' : `:${ownStart}`;
    const other = `${here}:${process.pid}:other-thread${known}:t${threadId + 1}`;
    expect(staleness({ owner: other, expiresAt: valid }, now, 'me')).toBeUndefined();
    expect(staleness({ owner: other, expiresAt: expired }, now, 'me')).toBe('lapsed');
    // An owner that names no thread is the main thread's (as earlier versions wrote every owner).
    const main = `${here}:${process.pid}:main-thread${known}`;
    expect(staleness({ owner: main, expiresAt: valid }, now, 'me')).toBe(threadId === 0 ? 'gone' : undefined);
    // A run of this thread names it (none on the main thread), and is judged as a run of this process was.
    const mine = createWorkerId();
    expect(leaseOwner(mine)).toMatchObject({ host: here, pid: process.pid, thread: threadId });
    expect(mine.endsWith(`:t${threadId}`)).toBe(threadId !== 0);
    const release = holdWorkerId(mine);
    expect(staleness({ owner: mine, expiresAt: expired }, now, 'me')).toBeUndefined();
    release();
    expect(staleness({ owner: mine, expiresAt: valid }, now, 'me')).toBe('gone');
  });

  it('says a lapsed lease of another thread of this process as that, not as a worker on another host', () => {
    const known = ownStart === undefined ? '' : `:${ownStart}`;
    const uuid = '0e2b6a43-58f1-4b0a-9d3c-6f1d2b7a9c10';
    expect(lapsedWorker(`${here}:${process.pid}:${uuid}${known}:t${threadId + 1}`)).toBe(
      `thread ${threadId + 1} of this process`,
    );
    if (threadId !== 0)
      expect(lapsedWorker(`${here}:${process.pid}:${uuid}${known}`)).toBe('the main thread of this process');
    // Another host's: as workerOf says it; an id Parzen did not make, by its host.
    expect(lapsedWorker(`elsewhere:17655:${uuid}:t2`)).toBe('thread 2 of the process 17655 on host elsewhere');
    expect(lapsedWorker('elsewhere:1:x')).toBe('a worker on host elsewhere');
  });

  it('reads the thread of an owner whatever fields of its process it has', () => {
    expect(leaseOwner('h:12:u:t3')).toEqual({ host: 'h', pid: 12, thread: 3 });
    expect(leaseOwner('h:12:u:900:t3')).toEqual({ host: 'h', pid: 12, start: '900', thread: 3 });
    expect(leaseOwner('h:12:u:900:pid-4:b00t-1d:t3')).toMatchObject({ namespace: 'pid-4', boot: 'b00t-1d', thread: 3 });
    expect(leaseOwner('h:12:u:900:pid-4:b00t-1d')).toMatchObject({ boot: 'b00t-1d', thread: 0 });
    expect(leaseOwner('h:12:t3')).toMatchObject({ pid: 12, thread: 0 }); // a UUID field, not a thread
    expect(workerOf('h:12:6a34edef-0000-4000-8000-000000000000:900:t3')).toBe('thread 3 of the process 12 on host h');
  });

  it('at once the trial of a worker on this host whose process is gone, lease or not', () => {
    expect(isStale({ owner: `${here}:${deadPid()}:gone`, expiresAt: valid }, now, 'me')).toBe(true);
  });

  it('the trial of a worker whose pid now belongs to a process that started at another time', () => {
    if (ownStart === undefined) return; // no process table with start times here (not Linux)
    const owner = `${here}:${process.pid}:reused:${Number(ownStart) - 1}`;
    expect(isStale({ owner, expiresAt: valid }, now, 'me')).toBe(true);
  });

  it('a worker in another pid namespace with this host name (a container): by its lease, as another host', () => {
    const owner = `${here}:${process.ppid}:in-a-container:1:pid-1`;
    expect(isStale({ owner, expiresAt: valid }, now, 'me')).toBe(false);
    expect(isStale({ owner, expiresAt: expired }, now, 'me')).toBe(true);
  });

  it('a worker on another machine with this host name and pid namespace (another boot): by its lease (trial 56)', () => {
    let namespace: string;
    let boot: string;
    try {
      namespace = readlinkSync('/proc/self/ns/pid').replace(/^pid:\[(\d+)\]$/, 'pid-$1');
      boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    } catch {
      return; // no /proc here (not Linux)
    }
    // What a worker with a pid that does not run here writes on a machine of the same name: the host's own
    // pid namespace has one number on every Linux machine, and the boot id tells the machines apart.
    const owner = `${here}:${deadPid()}:same-name:1:${namespace}:00000000-0000-4000-8000-000000000000`;
    expect(isStale({ owner, expiresAt: valid }, now, 'me')).toBe(false);
    expect(isStale({ owner, expiresAt: expired }, now, 'me')).toBe(true);
    // This machine's own workers carry its boot id in a field of its own (the namespace as before).
    expect(createWorkerId().endsWith(`:${namespace}:${boot}`)).toBe(true);
    expect(isStale({ owner: `${here}:${deadPid()}:gone:1:${namespace}:${boot}`, expiresAt: valid }, now, 'me')).toBe(
      true,
    );
    // A worker of an earlier version on this machine (no boot id) is judged as before (review 58: it was
    // taken for another machine's, and its dead workers' trials waited for their leases).
    expect(isStale({ owner: `${here}:${deadPid()}:older:1:${namespace}`, expiresAt: valid }, now, 'me')).toBe(true);
    expect(thisProcess()).toMatchObject({ namespace, boot });
  });

  it('the trial of a worker on another host when its lease expired, not before', () => {
    expect(isStale({ owner: 'elsewhere:1:x', expiresAt: expired }, now, 'me')).toBe(true);
    expect(isStale({ owner: 'elsewhere:1:x', expiresAt: valid }, now, 'me')).toBe(false);
  });

  it('a lease that expires exactly now is expired; one a millisecond later is not', () => {
    const at = new Date('2026-03-01T12:00:00.000Z');
    expect(isStale({ owner: 'elsewhere:1:x', expiresAt: at.toISOString() }, at, 'me')).toBe(true);
    expect(isStale({ owner: 'elsewhere:1:x', expiresAt: '2026-03-01T12:00:00.001Z' }, at, 'me')).toBe(false);
  });

  it("never this run's own trials, nor a trial without a lease (ask/tell)", () => {
    expect(isStale({ owner: 'me', expiresAt: expired }, now, 'me')).toBe(false);
    expect(isStale(undefined, now, 'me')).toBe(false);
  });
});

describe('isStale and zombies', () => {
  it('takes the trial of an owner that exited but was not reaped (a zombie) as gone', async () => {
    if (processStart('self') === undefined) return; // no /proc here
    const { spawn } = await import('node:child_process');
    // A child that exits at once; this process does not reap it while the event loop is blocked below.
    const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    const pid = child.pid as number;
    const deadline = Date.now() + 5000;
    let zombie = false;
    while (!zombie && Date.now() < deadline) {
      try {
        zombie = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z') ?? false;
      } catch {
        break;
      }
    }
    if (!zombie) return; // reaped already: nothing to show on this machine
    expect(isStale({ owner: `${here}:${pid}:zombie`, expiresAt: valid }, now, 'me')).toBe(true);
    await new Promise((resolve) => child.on('exit', resolve));
  });
});

describe('the STALE_TRIAL message', () => {
  it('says the worker as its process and host, the id after it (trial 104: its pid namespace was read as the pid)', () => {
    const owner = 'gone-host:17655:0b7c2f1e-5b1a-4d3e-9f00-1234567890ab:1000368:pid-4026531836';
    const trial = {
      study: 's',
      number: 3,
      state: 'running' as const,
      internal: {},
      startedAt: '2026-01-01T00:00:00.000Z',
      lease: { owner, expiresAt: '2026-01-01T00:01:00.000Z' },
    };
    expect(staleTrialOutcome(trial, new Date('2026-01-01T00:02:00.000Z'), 'me')).toMatchObject({
      state: 'failed',
      error: {
        code: 'STALE_TRIAL',
        message: `Its worker, the process 17655 on host gone-host, stopped renewing its lease, which lapsed; its result, if it comes, is kept as a new trial (worker id ${owner}).`,
        // The worker as the lease names it, which an import of a rescue file matches its lines' workers with.
        details: { worker: owner, lease: 'lapsed' },
      },
    });
    // A worker known to have ended: it may have finished the trial and failed to record its end (trial 161: "without
    // finishing it" of a worker whose store was down).
    const ended = `${hostname()}:${spawnSync(process.execPath, ['-e', '0']).pid}:0b7c2f1e-5b1a-4d3e-9f00-1234567890ab`;
    const gone = { ...trial, lease: { owner: ended, expiresAt: '2026-01-01T00:03:00.000Z' } };
    expect(staleTrialOutcome(gone, new Date('2026-01-01T00:02:00.000Z'), 'me')).toMatchObject({
      error: {
        message: expect.stringMatching(
          /^Left running by the process \d+ on host .*, which stopped before the store recorded its end \(worker id .*\)\.$/,
        ),
      },
    });
    // An id another program wrote is said once, as it is (review 108: "worker batch-7 ... (worker id batch-7)").
    const foreign = { ...trial, lease: { owner: 'node:1234', expiresAt: trial.lease.expiresAt } };
    expect(staleTrialOutcome(foreign, new Date('2026-01-01T00:02:00.000Z'), 'me')).toMatchObject({
      error: {
        message:
          'Its worker, worker node:1234, stopped renewing its lease, which lapsed; its result, if it comes, is kept as a new trial.',
        details: { worker: 'node:1234' },
      },
    });
  });
});

describe('staleTrialEnds (what a run marks a running trial whose worker is gone with)', () => {
  it('INTERRUPTED for a trial whose stop the rescue folder keeps, STALE_TRIAL else, a lapsed lease too', () => {
    const gone = `${here}:${deadPid()}:0b7c2f1e-5b1a-4d3e-9f00-1234567890ab`;
    const lapsed = 'other-host:17655:0b7c2f1e-5b1a-4d3e-9f00-1234567890ab';
    const running = (number: number, owner: string, expiresAt = valid) => ({
      study: 'stopped ends',
      number,
      state: 'running' as const,
      internal: {},
      startedAt: '2026-01-01T00:00:00.000Z',
      lease: { owner, expiresAt },
    });
    const trials = [
      running(0, gone),
      running(1, gone),
      running(2, lapsed, expired),
      // A live worker on this host: not gone, whatever its lease says.
      running(3, `${here}:${process.ppid}:live`, expired),
    ];
    // A rescue folder of this test's own, under a temporary folder of its own.
    const temporary = mkdtempSync(join(tmpdir(), 'parzen-stale-ends-'));
    const before = process.env.TMPDIR;
    process.env.TMPDIR = temporary;
    try {
      // Stops of trials 1 and 2 kept (the run of trial 2's worker on another host could not record it either).
      expect(recordStop('stopped ends', 1, gone)).toBe(true);
      expect(recordStop('stopped ends', 2, lapsed)).toBe(true);
      const ends = staleTrialEnds('stopped ends', trials, now, '');
      expect(
        [...ends].map(([number, end]) => [
          number,
          end.stopped,
          end.outcome.state === 'failed' && end.outcome.error.code,
        ]),
      ).toEqual([
        [0, false, 'STALE_TRIAL'],
        [1, true, 'INTERRUPTED'],
        // Its worker may still finish it: not marked as stopped on another host's word.
        [2, false, 'STALE_TRIAL'],
      ]);
    } finally {
      if (before === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = before;
      rmSync(temporary, { recursive: true, force: true });
    }
  });
});
