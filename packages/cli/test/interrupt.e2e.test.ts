import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { thisProcess } from '@parzen/engine/plugin';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  goneWithin,
  hangModule,
  heartConfig,
  heartModule,
  journalHeartConfig,
  lastJsonLine,
  linkEngine,
  requireBuiltCli,
  runParzen,
  signalWhen,
  signalWhenFile,
  tempDir,
  writeIn,
} from './cli-harness.js';
import { cli } from './cli-in-process.js';

interface TrialJson {
  state: string;
  error?: { code: string };
}

let dir: string;
beforeAll(() => {
  requireBuiltCli();
  dir = tempDir('parzen-interrupt-');
  writeIn(
    dir,
    'slow.mjs',
    'export default async ({ x }) => { await new Promise((r) => setTimeout(r, 150)); return x * x; };\n',
  );
  writeIn(dir, 'hang.mjs', hangModule);
});

const slowConfig = (name: string) =>
  writeIn(
    dir,
    `${name}.json`,
    heartConfig({
      name,
      objective: { use: 'module', options: { path: './slow.mjs' } },
      store: { use: 'jsonl', options: { path: `./${name}.jsonl` } },
      budget: { maxTrials: 1000 },
    }),
  );

/**
 * `parzen run` of study `name` (config file `file`, `extra` added) whose trial's program hangs, with no grace period,
 * stopped by one Ctrl-C once the program runs. A folder of its own: the tests run concurrently, and the hanging
 * program writes hang.pid where it runs.
 */
const stoppedHanging = async (name: string, file: string, extra: Record<string, unknown> = {}) => {
  const own = tempDir(`parzen-${name}-`);
  writeIn(own, 'hang.mjs', hangModule);
  const path = writeIn(
    own,
    file,
    heartConfig({
      name,
      objective: { use: 'command', options: { command: ['node', 'hang.mjs'] } },
      store: { use: 'jsonl', options: { path: `./${name}.jsonl` } },
      gracePeriodSeconds: 0,
      budget: { maxTrials: 5 },
      ...extra,
    }),
  );
  const run = await runParzen(['run', path], { cwd: own, onStart: signalWhenFile(join(own, 'hang.pid'), ['SIGINT']) });
  return { path, run };
};

/** The trials a run left, listed in-process (the listing is not what this file tests). */
const listTrials = async (path: string) => lastJsonLine((await cli('trials', path, '--json')).stdout) as TrialJson[];

describe.concurrent('Ctrl-C and SIGTERM', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)(
    '%s stops after the running trial, prints the summary and ends by the signal ($? %i)',
    async (signal, _code) => {
      const path = slowConfig(`stop-${signal}`);
      const run = await runParzen(['run', path, '--json'], {
        cwd: dir,
        onStart: signalWhen(/trial #1 complete/, [signal]),
      });
      expect(run.signal, run.stderr).toBe(signal);
      expect(run.stderr).toMatch(
        new RegExp(`${signal}: letting running trials finish \\(up to 30 s, the grace period\\)`),
      );
      // stderr is no terminal here (a log file, a CI job): no blank line before the note (a user trial's logs had one).
      expect(run.stderr).not.toMatch(/\n\n(SIGINT|SIGTERM): /);
      // How to stop at once, in the terms of the signal received (trial 29: SIGTERM was told to press Ctrl-C).
      expect(run.stderr).toContain(
        signal === 'SIGINT' ? '(press Ctrl-C again to stop now)' : '(send SIGTERM again to stop now)',
      );
      expect(run.stderr).toMatch(/Study stop-SIG\w+ stopped \(interrupted\): \d+ complete, 0 failed/);
      const summary = lastJsonLine(run.stdout) as { trials: { complete: number; failed: number }; reason: string };
      expect(summary.reason).toBe('interrupted');
      const trials = await listTrials(path);
      expect(trials.every((trial) => trial.state === 'complete')).toBe(true);
      expect(trials.length).toBe(summary.trials.complete);
      expect(trials.length).toBeGreaterThanOrEqual(2);
      expect(trials.length).toBeLessThan(1000);
    },
  );

  it('with no grace period one Ctrl-C stops at once, and says so (trial 35: it said it let trials finish)', async () => {
    const { path, run } = await stoppedHanging('nograce', 'nograce.json');
    expect(run.signal, run.stderr).toBe('SIGINT');
    expect(run.stderr).toContain(
      'SIGINT: stopping; running trials are recorded as interrupted at once (gracePeriodSeconds is 0).',
    );
    expect(run.stderr).not.toContain('letting running trials finish');
    const trials = await listTrials(path);
    expect(trials.map((trial) => [trial.state, trial.error?.code])).toEqual([['failed', 'INTERRUPTED']]);
  });

  it('one Ctrl-C stops at once when only the suggester is busy (one that never settles), within the grace period', async () => {
    const own = tempDir('parzen-deciding-');
    writeIn(own, 'heart.mjs', heartModule);
    // Its suggestion never settles; it writes deciding.txt once asked, so the signal comes while it decides.
    writeIn(
      own,
      'stuck.mjs',
      `import { writeFileSync } from 'node:fs';
export const manifests = [{ kind: 'suggester', name: 'stuck', optionsSchema: { type: 'object' },
  create: () => ({ name: 'stuck', beginTrial: () => ({ sampleParam: () => { writeFileSync('deciding.txt', ''); return new Promise(() => {}); } }) }) }];\n`,
    );
    const path = writeIn(
      own,
      'stuck.json',
      heartConfig({
        name: 'stuck',
        plugins: ['./stuck.mjs'],
        suggester: { use: 'stuck' },
        store: { use: 'jsonl', options: { path: './stuck.jsonl' } },
        budget: { maxTrials: 3 },
      }),
    );
    let signalled = 0;
    const run = await runParzen(['run', path], {
      cwd: own,
      onStart: (child) => {
        signalWhenFile(join(own, 'deciding.txt'), ['SIGINT'])(child);
        const poll = setInterval(() => {
          if (!existsSync(join(own, 'deciding.txt'))) return;
          clearInterval(poll);
          signalled = Date.now();
        }, 50);
        child.on('close', () => clearInterval(poll));
      },
    });
    const took = Date.now() - signalled;
    expect(run.signal, run.stderr).toBe('SIGINT');
    // The grace period (30 s) is for running trials; none ran.
    expect(took).toBeLessThan(10_000);
    expect(run.stderr).toContain(
      "trial #0 failed (INTERRUPTED): The run was stopped while the suggester decided trial #0's params; the trial ends without them.",
    );
    expect(run.stderr).not.toContain('stopping now');
    const trials = await listTrials(path);
    expect(trials.map((trial) => [trial.state, trial.error?.code])).toEqual([['failed', 'INTERRUPTED']]);
  });

  // The note's command said `parzen queue CONFIG --remove ...`: the config's path is what the user runs it with.
  it('a Ctrl-C that cuts short an enqueued entry says the command that takes it out, with the config file it ran', async () => {
    const { path, run } = await stoppedHanging('stopped-entry', 'stopped entry.json', {
      enqueue: [{ x: 0.5, y: 0.5 }],
    });
    expect(run.signal, run.stderr).toBe('SIGINT');
    expect(run.stderr).toContain('the stop cut short trial #0, which ran the enqueued entry {"x":0.5,"y":0.5}');
    expect(run.stderr).toContain(`(\`parzen queue '${path}' --remove 'enqueue:{"x":0.5,"y":0.5}#0'\`, in code`);
    expect(run.stderr).not.toContain('parzen queue CONFIG');
  });

  it("a third Ctrl-C exits at once when a store's close never settles (review 50: the process hung)", async () => {
    const own = tempDir('parzen-third-signal-');
    // The plugin imports `@parzen/engine` as a third-party package would, from the folder of its config.
    linkEngine(own);
    writeIn(
      own,
      'slow.mjs',
      'export default async ({ x }) => { await new Promise((r) => setTimeout(r, 150)); return x * x; };\n',
    );
    writeIn(
      own,
      'stuck-store.mjs',
      `import { createMemoryStore } from '@parzen/engine';
export const manifests = [{
  kind: 'store',
  name: 'stuck',
  optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
  create: () => {
    const store = createMemoryStore();
    // A close that never settles, and keeps the process alive.
    return Object.assign(Object.create(store), { ...store, name: 'stuck', close: () => new Promise(() => setInterval(() => {}, 1000)) });
  },
}];
`,
    );
    const path = writeIn(
      own,
      'stuck.json',
      heartConfig({
        name: 'stuck',
        plugins: ['./stuck-store.mjs'],
        objective: { use: 'module', options: { path: './slow.mjs' } },
        store: { use: 'stuck' },
        budget: { maxTrials: 1000 },
      }),
    );
    const run = await runParzen(['run', path], {
      cwd: own,
      onStart: signalWhen(/trial #1 complete/, ['SIGINT', 'SIGINT', 'SIGINT']),
      timeoutMs: 30_000,
    });
    expect(run.signal, run.stderr).toBe('SIGINT');
    expect(run.stderr).toContain(
      'SIGINT: stopping now (press Ctrl-C again to exit without waiting for the stores and objectives to close).',
    );
    expect(run.stderr).toContain('SIGINT: exiting without waiting for the stores and objectives to close.');
    // The exit was the third signal's doing, not the cleanup's own time limit (10 s), which says when it runs out:
    // told by what the run printed, not by a clock a loaded machine slows.
    expect(run.stderr).not.toMatch(/did not finish in \d+ s; going on without it/);
  });

  it('a second Ctrl-C stops at once: the hanging trial is recorded as interrupted and its processes are killed', async () => {
    const path = writeIn(
      dir,
      'hang.json',
      heartConfig({
        name: 'hang',
        objective: { use: 'command', options: { command: ['node', 'hang.mjs'] } },
        store: { use: 'jsonl', options: { path: './hang.jsonl' } },
        budget: { maxTrials: 5 },
        // Longer than the run may take (30 s): that it ended at all is the second Ctrl-C's doing, without timing
        // it from the start, which a loaded machine slows.
        gracePeriodSeconds: 600,
      }),
    );
    const run = await runParzen(['run', path], {
      cwd: dir,
      onStart: signalWhenFile(join(dir, 'hang.pid'), ['SIGINT', 'SIGINT']),
      timeoutMs: 30_000,
    });
    expect(run.signal, run.stderr).toBe('SIGINT');
    expect(run.stderr).toContain('SIGINT: stopping now');
    expect(run.stdout).toMatch(/Study hang stopped \(interrupted\): 0 complete, 1 failed/);
    const trials = await listTrials(path);
    expect(trials.map((trial) => [trial.state, trial.error?.code])).toEqual([['failed', 'INTERRUPTED']]);
    const grandchild = Number(readFileSync(join(dir, 'hang.pid'), 'utf8'));
    expect(await goneWithin([grandchild])).toEqual([]);
  });

  // Trial 153: the program got SIGKILL alone, so it could not save a checkpoint. A save slower than the engine's
  // usual second of waiting shows that neither the run's end nor Parzen's exit cuts the grace period short.
  it('a second Ctrl-C gives a command program SIGTERM, and time to save a checkpoint, before SIGKILL', async () => {
    const own = tempDir('parzen-checkpoint-');
    writeIn(
      own,
      'ckpt.mjs',
      `import { writeFileSync } from 'node:fs';
process.on('SIGTERM', () => setTimeout(() => { writeFileSync('saved.txt', 'saved'); console.log('{"loss": 0.5}'); process.exit(0); }, 1500));
writeFileSync('ckpt.pid', String(process.pid));
setInterval(() => {}, 1000);\n`,
    );
    const path = writeIn(
      own,
      'ckpt.json',
      heartConfig({
        name: 'ckpt',
        // A grace period far past the save: a loaded machine may run the program's timer late, and SIGKILL must
        // not come first. The program's own exit ends the wait, so the test takes no longer for it.
        objective: { use: 'command', options: { command: ['node', 'ckpt.mjs'], pruneGraceSeconds: 60 } },
        store: { use: 'jsonl', options: { path: './ckpt.jsonl' } },
        budget: { maxTrials: 5 },
      }),
    );
    const run = await runParzen(['run', path], {
      cwd: own,
      onStart: signalWhenFile(join(own, 'ckpt.pid'), ['SIGINT', 'SIGINT']),
    });
    expect(run.signal, run.stderr).toBe('SIGINT');
    expect(readFileSync(join(own, 'saved.txt'), 'utf8')).toBe('saved');
    // Interrupted all the same, though it exited 0 with a loss.
    expect(run.stderr).toMatch(
      /trial #0 failed \(INTERRUPTED\): .* its process group got SIGTERM, and it exited with code 0/,
    );
    const trials = await listTrials(path);
    expect(trials.map((trial) => [trial.state, trial.error?.code])).toEqual([['failed', 'INTERRUPTED']]);
  });

  it('Ctrl-C during the first study of a batch names the studies that did not start', async () => {
    const [first, second, third] = ['batch-a', 'batch-b', 'batch-c'].map(slowConfig);
    const run = await runParzen(['run', first as string, second as string, third as string], {
      cwd: dir,
      onStart: signalWhen(/trial #1 complete/, ['SIGINT']),
    });
    expect(run.signal, run.stderr).toBe('SIGINT');
    expect(run.stdout).toMatch(/Study batch-a stopped \(interrupted\)/);
    expect(run.stderr).toMatch(
      /interrupted \(SIGINT\) before 2 studies \(batch-b, batch-c\) started: they did not run/,
    );
  });

  it('Ctrl-C during a matrix names at most three studies that did not start, and explains only the labels in its table (trial 72)', async () => {
    const path = writeIn(
      dir,
      'mx.json',
      heartConfig({
        name: 'mx',
        objective: { use: 'module', options: { path: './slow.mjs' } },
        store: { use: 'jsonl', options: { path: './mx.jsonl' } },
        budget: { maxTrials: 1000 },
        matrix: { suggester: [{ use: 'random' }, { use: 'tpe', options: { startupTrials: 3 } }], seed: [1, 2, 3] },
      }),
    );
    const run = await runParzen(['run', path], { cwd: dir, onStart: signalWhen(/trial #1 complete/, ['SIGINT']) });
    expect(run.signal, run.stderr).toBe('SIGINT');
    expect(run.stderr).toContain(
      'interrupted (SIGINT) before 5 studies (mx.suggester-random.seed-2, mx.suggester-random.seed-3, mx.suggester-tpe-',
    );
    expect(run.stderr).toMatch(/ and 2 more\) started: they did not run/);
    expect(run.stdout).toMatch(/mx suggester=random\s+1\s/);
    expect(run.stdout).not.toContain('where suggester tpe-');
  });

  it('Ctrl-C while the objective module is still loading says nothing ran and exits 130 at once, writing nothing; --json ends in the error', async () => {
    const marker = join(dir, 'loading.marker');
    writeIn(
      dir,
      'slow-load.mjs',
      `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, '');\n` +
        'await new Promise((r) => setTimeout(r, 600_000));\nexport default ({ x }) => x * x;\n',
    );
    const path = journalHeartConfig(dir, 'slow-load', {
      objective: { use: 'module', options: { path: './slow-load.mjs' } },
    });
    const run = await runParzen(['run', path, '--json'], {
      cwd: dir,
      onStart: signalWhenFile(marker, ['SIGINT']),
      timeoutMs: 30_000,
    });
    expect(run.signal, run.stderr).toBe('SIGINT');
    expect(run.stderr).toMatch(
      /interrupted \(SIGINT\) while preparing the run: no trial had started, no store was written/,
    );
    // With --json the last stdout line says it too (user trial: stdout was empty).
    expect(lastJsonLine(run.stdout)).toEqual({
      errors: [
        {
          file: path,
          code: 'INTERRUPTED',
          message: 'interrupted (SIGINT) while preparing the run: no trial had started, no store was written.',
          issues: [],
        },
      ],
    });
    expect(run.stderr).not.toMatch(/ at .*\.js:\d+/);
    // The module's 10-minute top-level await was not waited for: the run ended (within the 30 s above), without
    // timing it from the start, which a loaded machine slows.
    expect(existsSync(join(dir, 'slow-load.parzen.jsonl'))).toBe(false);
  });

  it("a SIGTERM a module sends itself as it loads on Parzen's thread stops the run (143), not is lost (review 180: the run went on, exit 0)", async () => {
    writeIn(dir, 'kills-itself.mjs', 'process.kill(process.pid);\nexport default ({ x }) => x * x;\n');
    const path = journalHeartConfig(dir, 'kills-itself', {
      objective: { use: 'module', options: { path: './kills-itself.mjs', isolate: 'none' } },
    });
    const run = await runParzen(['run', path], { cwd: dir, timeoutMs: 30_000 });
    expect(run.signal, run.stderr).toBe('SIGTERM');
    expect(run.stderr).toMatch(/SIGTERM/);
    expect(`${run.stdout}${run.stderr}`).not.toMatch(/trial #\d+ complete/);
  });

  it('Ctrl-C while another live process holds the journal lock stops at once, writing nothing; --json ends in the error', async () => {
    // The holder: this live process, named with its start as a lock file names its holder, so the lock is never
    // broken as stale. (A holder named without it, judged by the lock's age, was broken 10 s on: a loaded machine
    // took that long to start the run and say it waits, and the run went on.)
    const path = slowConfig('locked');
    writeFileSync(join(dir, 'locked.jsonl.lock'), JSON.stringify({ ...thisProcess(), at: new Date().toISOString() }));
    const run = await runParzen(['run', path, '--json'], {
      cwd: dir,
      // The store says it is waiting after a second; Ctrl-C then.
      onStart: signalWhen(/waiting for the lock .*locked\.jsonl\.lock \(held by pid \d+.*\); Ctrl-C stops/, ['SIGINT']),
    });
    expect(run.signal, run.stderr).toBe('SIGINT');
    // Before, Ctrl-C did not stop the wait: the run went on waiting for the lock.
    expect(run.stderr).not.toMatch(/(Starting|Resuming) study locked/);
    expect(run.stderr).toMatch(
      /study locked: Stopped while waiting for the lock .*locked\.jsonl\.lock \(held by pid \d+/,
    );
    expect(readFileSync(join(dir, 'locked.jsonl'), 'utf8')).toBe('');
    const { errors } = lastJsonLine(run.stdout) as { errors: { file: string; code: string; message: string }[] };
    expect(errors).toEqual([
      {
        file: path,
        code: 'INTERRUPTED',
        message: expect.stringMatching(/^Stopped while waiting for the lock /),
        issues: [],
      },
    ]);
  });
});

describe('a live worker whose lease lapsed (paused with SIGSTOP, as Ctrl-Z does)', () => {
  it('keeps its trial: a run started meanwhile on this host does not take it over, and both finish', async () => {
    const own = tempDir('parzen-paused-');
    writeIn(
      own,
      'slow.mjs',
      `import { writeFileSync } from 'node:fs';
export default async ({ x }, { trialNumber }) => {
  writeFileSync(new URL('./started-' + trialNumber, import.meta.url), '');
  await new Promise((resolve) => setTimeout(resolve, 1500));
  return x;
};\n`,
    );
    const path = writeIn(
      own,
      'paused.json',
      heartConfig({
        name: 'paused',
        objective: { use: 'module', options: { path: './slow.mjs' } },
        store: { use: 'jsonl', options: { path: './paused.parzen.jsonl' } },
        leaseSeconds: 0.5,
        budget: { maxTrials: 1 },
      }),
    );
    let second: Awaited<ReturnType<typeof cli>> | undefined;
    const first = await runParzen(['run', path, '--json'], {
      cwd: own,
      onStart: (child) => {
        const poll = setInterval(() => {
          try {
            readFileSync(join(own, 'started-0'));
          } catch {
            return;
          }
          clearInterval(poll);
          child.kill('SIGSTOP');
          // Its lease (0.5 s) lapses while it is stopped; another run starts, then the first goes on.
          setTimeout(async () => {
            second = await cli('run', path, '--more-trials', '1', '--json');
            child.kill('SIGCONT');
          }, 1000);
        }, 20);
      },
      // Two runs one after the other, the second waiting for the first's lock: slow on a loaded machine.
      timeoutMs: 45_000,
    });
    expect(first.code, first.stderr).toBe(0);
    expect(second?.code, second?.stderr).toBe(0);
    const trials = JSON.parse((await cli('trials', path, '--json')).stdout) as TrialJson[];
    expect(trials.map((trial) => trial.state)).toEqual(['complete', 'complete']);
  });
});
