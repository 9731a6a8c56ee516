import { spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  linkSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname } from 'node:path';
import { STUDY_FILE_NAME_BYTES } from '@parzen/engine/plugin';
import { useTempDir } from '@parzen/test-kit';
import { describe, expect, it } from 'vitest';
import { createHeld, draftName, FileLock } from './file-lock.js';

const tempPath = useTempDir('lock');
const lockOptions = (path: string) => ({ path, timeoutMs: 2_000, staleMs: 5_000 });
const holder = (pid: number) => JSON.stringify({ pid, host: hostname(), at: new Date().toISOString() });
/** A holder as this version writes it: with the process's start (Linux: field 22 of /proc/<pid>/stat). */
const liveHolder = (pid: number) => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const start = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  return JSON.stringify({ pid, host: hostname(), at: new Date().toISOString(), start });
};

/** The pid of a process that has exited. */
const deadPid = (): number => {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
};

describe('FileLock', () => {
  it('lets one holder in at a time and hands over on release', async () => {
    const path = tempPath('a.lock');
    const first = new FileLock(lockOptions(path));
    const second = new FileLock(lockOptions(path));
    await first.acquire();
    const order: string[] = [];
    const waiting = second.acquire().then(() => order.push('second acquired'));
    await new Promise((resolve) => setTimeout(resolve, 30));
    order.push('first releases');
    first.release();
    await waiting;
    expect(order).toEqual(['first releases', 'second acquired']);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() });
    second.release();
    expect(existsSync(path)).toBe(false);
  });

  it('breaks a lock whose holder is a dead process on this host', async () => {
    const path = tempPath('dead.lock');
    writeFileSync(path, holder(deadPid()));
    const lock = new FileLock(lockOptions(path));
    await lock.acquire();
    expect(JSON.parse(readFileSync(path, 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  // A holder's start is read from /proc (Linux); without it a lock is judged by its age, as before.
  it.skipIf(!existsSync('/proc/self/stat'))(
    'never breaks the lock of a live holder on this host, however old; waits past the timeout (a paused process is not gone)',
    async () => {
      const path = tempPath('old.lock');
      writeFileSync(path, liveHolder(process.ppid));
      const past = new Date(Date.now() - 60_000);
      utimesSync(path, past, past);
      const waits: string[] = [];
      const lock = new FileLock({ path, timeoutMs: 100, staleMs: 5_000, onLongWait: (message) => waits.push(message) });
      let taken = false;
      const acquiring = lock.acquire().then(() => {
        taken = true;
      });
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(taken).toBe(false);
      expect(JSON.parse(readFileSync(path, 'utf8')).pid).toBe(process.ppid);
      expect(waits.some((message) => message.includes('a live process of this host (paused?)'))).toBe(true);
      rmSync(path); // the holder resumes and releases it
      await acquiring;
      lock.release();
    },
  );

  it.skipIf(!existsSync('/proc/self/ns/pid'))(
    "never breaks the lock of a live holder an earlier version wrote on this host (its namespace, no boot id: review 58), breaks another boot's by its age",
    async () => {
      const namespace = readlinkSync('/proc/self/ns/pid').replace(/^pid:\[(\d+)\]$/, 'pid-$1');
      const earlier = tempPath('earlier.lock');
      writeFileSync(earlier, JSON.stringify({ ...JSON.parse(liveHolder(process.ppid)), namespace }));
      const past = new Date(Date.now() - 60_000);
      utimesSync(earlier, past, past);
      let taken = false;
      const lock = new FileLock({ path: earlier, timeoutMs: 100, staleMs: 5_000 });
      const acquiring = lock.acquire().then(() => {
        taken = true;
      });
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(taken).toBe(false);
      rmSync(earlier);
      await acquiring;
      lock.release();
      // The same pid on another machine of this host name (another boot): judged by its age, so broken.
      const elsewhere = tempPath('elsewhere.lock');
      const other = {
        ...JSON.parse(liveHolder(process.ppid)),
        namespace,
        boot: '00000000-0000-4000-8000-000000000000',
      };
      writeFileSync(elsewhere, JSON.stringify(other));
      utimesSync(elsewhere, past, past);
      const breaking = new FileLock({ path: elsewhere, timeoutMs: 2_000, staleMs: 5_000 });
      await breaking.acquire();
      expect(JSON.parse(readFileSync(elsewhere, 'utf8')).pid).toBe(process.pid);
      breaking.release();
    },
  );

  it('breaks an old lock of a live pid written without its start (an older version): a reused pid would look alive', async () => {
    const path = tempPath('old-format.lock');
    writeFileSync(path, holder(process.ppid));
    const past = new Date(Date.now() - 60_000);
    utimesSync(path, past, past);
    const lock = new FileLock(lockOptions(path));
    await lock.acquire();
    expect(JSON.parse(readFileSync(path, 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('says, while it waits, that a lock naming no holder is broken once unchanged for staleMs (trial 112: unexplained)', async () => {
    const path = tempPath('garbage.lock');
    writeFileSync(path, 'garbage');
    const waits: string[] = [];
    const lock = new FileLock({ path, timeoutMs: 5_000, staleMs: 1_400, onLongWait: (message) => waits.push(message) });
    await lock.acquire();
    expect(waits).toEqual([
      `waiting for the lock ${path} (it names no holder: empty, or not written by Parzen, or a process died writing it; it is broken once unchanged for 1.4 s)`,
    ]);
    lock.release();
  });

  it('breaks a lock older than staleMs whose holder is on another host (its process table is not ours)', async () => {
    const path = tempPath('remote.lock');
    writeFileSync(path, JSON.stringify({ pid: process.ppid, host: `not-${hostname()}`, at: new Date().toISOString() }));
    const past = new Date(Date.now() - 60_000);
    utimesSync(path, past, past);
    const lock = new FileLock(lockOptions(path));
    await lock.acquire();
    expect(JSON.parse(readFileSync(path, 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  // The start of a process is read from /proc (Linux).
  it.skipIf(!existsSync('/proc/self/stat'))(
    'breaks a lock whose pid now belongs to a process that started later (the holder died, its pid reused)',
    async () => {
      const path = tempPath('reused.lock');
      writeFileSync(
        path,
        JSON.stringify({ pid: process.ppid, host: hostname(), at: new Date().toISOString(), start: '1' }),
      );
      const lock = new FileLock(lockOptions(path));
      await lock.acquire();
      expect(JSON.parse(readFileSync(path, 'utf8')).pid).toBe(process.pid);
      lock.release();
    },
  );

  it('waits for a live holder, then fails with STORE_FAILED naming it', async () => {
    const path = tempPath('live.lock');
    writeFileSync(path, holder(process.ppid));
    const lock = new FileLock({ path, timeoutMs: 150, staleMs: 60_000 });
    const error = await lock.acquire().then(
      () => undefined,
      (failure: { code?: string; message?: string }) => failure,
    );
    expect(error?.code).toBe('STORE_FAILED');
    expect(error?.message).toContain(`process ${process.ppid} on ${hostname()}`);
    expect(existsSync(path)).toBe(true);
  });

  it('does not remove a lock another process took after breaking ours', async () => {
    const path = tempPath('taken.lock');
    const lock = new FileLock(lockOptions(path));
    await lock.acquire();
    await new Promise((resolve) => setTimeout(resolve, 5)); // a later modification time, as a new holder's file would have
    writeFileSync(path, holder(process.ppid));
    lock.release();
    expect(JSON.parse(readFileSync(path, 'utf8')).pid).toBe(process.ppid);
  });

  // A process killed with SIGKILL while it breaks a stale lock leaves the breaker file behind. Its holder
  // is dead, so the next taker removes it at once instead of waiting out staleMs (10 s in the journal
  // store: under load the durability suite's kill -9 rounds hit this window and stalled 10 s each time).
  it('is not held up by a breaker file that a killed process left behind', async () => {
    const path = tempPath('breaker.lock');
    const dead = deadPid();
    writeFileSync(path, holder(dead));
    writeFileSync(`${path}.break`, holder(dead));
    const lock = new FileLock({ path, timeoutMs: 1_000, staleMs: 60_000 });
    await lock.acquire();
    expect(JSON.parse(readFileSync(path, 'utf8')).pid).toBe(process.pid);
    expect(existsSync(`${path}.break`)).toBe(false);
    lock.release();
  });

  it('a breaker file of a live process still waits (someone is breaking the lock right now)', async () => {
    const path = tempPath('live-breaker.lock');
    writeFileSync(path, holder(deadPid()));
    writeFileSync(`${path}.break`, holder(process.ppid));
    const lock = new FileLock({ path, timeoutMs: 150, staleMs: 60_000 });
    await expect(lock.acquire()).rejects.toMatchObject({ code: 'STORE_FAILED' });
  });

  it('never shows a lock file without its holder: it is written aside, then linked into place; no draft stays', async () => {
    const path = tempPath('drafted.lock');
    const lock = new FileLock(lockOptions(path));
    await lock.acquire();
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() });
    expect(readdirSync(dirname(path)).filter((name) => name.startsWith(basename(path)))).toEqual([basename(path)]);
    lock.release();
  });

  it("removes the drafts of a killed process when it breaks that process's lock, and keeps a live one's", async () => {
    const path = tempPath('drafts.lock');
    const dead = deadPid();
    writeFileSync(path, holder(dead));
    const deadDraft = `${path}.${hostname()}.${dead}.0.draft`;
    const liveDraft = `${path}.${hostname()}.${process.ppid}.3.draft`;
    writeFileSync(deadDraft, holder(dead));
    writeFileSync(liveDraft, holder(process.ppid));
    const lock = new FileLock(lockOptions(path));
    await lock.acquire();
    expect(existsSync(deadDraft)).toBe(false);
    expect(existsSync(liveDraft)).toBe(true);
    lock.release();
  });

  it('removes, at its first take, the draft of a process killed before it linked it (no lock to break)', async () => {
    const path = tempPath('unlinked-draft.lock');
    const deadDraft = `${path}.${hostname()}.${deadPid()}.0.draft`;
    writeFileSync(deadDraft, holder(1));
    const lock = new FileLock(lockOptions(path));
    await lock.acquire();
    expect(existsSync(deadDraft)).toBe(false);
    lock.release();
  });

  it("removes a draft with this process's pid from before it started (an earlier process's: review 76), not a new one", async () => {
    const path = tempPath('same-pid.lock');
    const old = `${path}.${hostname()}.${process.pid}.zz1.draft`;
    const recent = `${path}.${hostname()}.${process.pid}.zz2.draft`;
    writeFileSync(old, holder(process.pid));
    writeFileSync(recent, holder(process.pid));
    const hourAgo = Date.now() / 1000 - 3600 - process.uptime();
    utimesSync(old, hourAgo, hourAgo);
    const lock = new FileLock(lockOptions(path));
    await lock.acquire();
    expect(existsSync(old)).toBe(false);
    expect(existsSync(recent)).toBe(true);
    lock.release();
    rmSync(recent);
  });

  it('falls back on an exclusive create where the file system has no hard links (FAT, some shares)', () => {
    const path = tempPath('no-links.lock');
    const noLinks = (): never => {
      throw Object.assign(new Error('operation not permitted'), { code: 'EPERM' });
    };
    expect(createHeld(path, noLinks)).toEqual(expect.any(String));
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() });
    expect(createHeld(path, noLinks)).toBeUndefined(); // taken: the exclusive create fails too
    expect(readdirSync(dirname(path)).filter((name) => name.startsWith(basename(path)))).toEqual([basename(path)]);
  });

  it('leaves no draft and no empty lock when the holder cannot be written (trial 68: a full disk)', () => {
    const path = tempPath('full.lock');
    const full = (fd: number): never => {
      closeSync(fd);
      throw Object.assign(new Error('no space left on device, write'), { code: 'ENOSPC' });
    };
    expect(() => createHeld(path, linkSync, full)).toThrow('no space left');
    const noLinks = (): never => {
      throw Object.assign(new Error('operation not permitted'), { code: 'EPERM' });
    };
    // Without hard links the lock itself is written after the draft: removed too when that write fails.
    let writes = 0;
    const fullSecond = (fd: number): string => {
      if (writes++ === 0) {
        closeSync(fd);
        return 'draft';
      }
      return full(fd);
    };
    expect(() => createHeld(path, noLinks, fullSecond)).toThrow('no space left');
    expect(writes).toBe(2);
    expect(readdirSync(dirname(path)).filter((name) => name.startsWith(basename(path)))).toEqual([]);
  });

  it('names a draft within 255 bytes beside the longest study file a bare store names (a 64-byte host, a 7-digit pid)', () => {
    // Review 73: 180 left too little room, and a decimal draft count passed 255 after 10,000 locks taken.
    const journal = `${'s'.repeat(STUDY_FILE_NAME_BYTES - '.parzen.jsonl'.length)}.parzen.jsonl`;
    expect(Buffer.byteLength(journal)).toBe(STUDY_FILE_NAME_BYTES);
    for (const count of [0, 9_999, 10_000, 46_655, 46_656, 2 ** 40]) {
      const name = draftName(`${journal}.lock.break`, 'h'.repeat(64), 4_194_304, count);
      expect(Buffer.byteLength(name), name).toBeLessThanOrEqual(255);
    }
    // Distinct numbers while they stay below the wrap (one draft at a time per process needs no more).
    expect(draftName('a', 'h', 1, 35)).not.toBe(draftName('a', 'h', 1, 36));
  });

  it("passes over a draft name in use, leaving that file alone (another thread's: review 75)", () => {
    const path = tempPath('threads.lock');
    // Where this thread's count is: the draft a first lock was linked from names it.
    let seen = '';
    const probe = tempPath('probe.lock');
    createHeld(probe, (from, to) => {
      seen = from;
      linkSync(from, to);
    });
    const next = Number.parseInt(seen.split('.').at(-2) as string, 36) + 1;
    // Worker threads of one process count drafts from 0 each: their names may be taken when this one looks.
    const taken = Array.from({ length: 20 }, (_, n) => draftName(path, hostname(), process.pid, next + n));
    for (const name of taken) writeFileSync(name, 'another thread');
    expect(createHeld(path)).toBeDefined();
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ pid: process.pid });
    for (const name of taken) expect(readFileSync(name, 'utf8')).toBe('another thread');
    for (const name of taken) rmSync(name);
    expect(readdirSync(dirname(path)).filter((name) => name.startsWith(basename(path)))).toEqual([basename(path)]);
  });
});

describe('a lock in a folder the process may not write (trial 159: named an internal draft file, no remedy)', () => {
  it('says the folder must be writable and how to only read, not the draft file', async () => {
    // sysfs refuses a new file to anyone, root included (EACCES).
    const lock = new FileLock(lockOptions('/sys/parzen-test.parzen.jsonl.lock'));
    const error = await lock.acquire().then(
      () => undefined,
      (thrown: unknown) => thrown as { code?: string; message?: string },
    );
    expect(error?.code).toBe('STORE_FAILED');
    expect(error?.message).toBe(
      'Lock file `/sys/parzen-test.parzen.jsonl.lock`: this process may not create files in the folder `/sys`, where a writer of the journal takes its lock file (the journal itself may be writable). Make the folder writable, or point the store at a path in a writable folder (to only read a study, `parzen trials`, `best`, `studies`, `explain`, `export` and `report` need no write access).',
    );
    expect(error?.message).not.toContain('.draft');
  });
});
