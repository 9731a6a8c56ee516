import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  goneWithin,
  hangModule,
  heartConfig,
  lastJsonLine,
  requireBuiltCli,
  runParzen,
  signalWhen,
  signalWhenFile,
  tempDir,
  writeIn,
} from './cli-harness.js';
import { cli } from './cli-in-process.js';

interface TrialJson {
  number: number;
  state: string;
  error?: { code: string };
}

let dir: string;
beforeAll(() => {
  requireBuiltCli();
  dir = tempDir('parzen-adversarial-signals-');
  // 500 ms of synchronous blocking per trial: the event loop of the thread running it never turns
  // meanwhile. Atomics.wait blocks the thread as a busy loop would, without spending the CPU.
  writeIn(
    dir,
    'busy.mjs',
    'export default ({ x }) => { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500); return x; };\n',
  );
  writeIn(
    dir,
    'unruly.mjs',
    `export default async ({ x }, { trialNumber }) => {
  if (trialNumber === 0) { setTimeout(() => { throw new Error('thrown in a timer'); }, 1); await new Promise((r) => setTimeout(r, 10000)); }
  if (trialNumber === 1) process.exit(0);
  if (trialNumber === 2) for (;;) {}
  return x;
};\n`,
  );
  writeIn(dir, 'hang.mjs', hangModule);
});

const trialsOf = async (path: string) => JSON.parse((await cli('trials', path, '--json')).stdout) as TrialJson[];

describe.concurrent('signals reach a run whose module objective is synchronous (a worker thread runs it)', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)(
    '%s stops a run of 500 ms synchronous trials after the running one, with the summary, ending by the signal ($? %i)',
    async (signal, _code) => {
      const path = writeIn(
        dir,
        `busy-${signal}.json`,
        heartConfig({
          name: `busy-${signal}`,
          objective: { use: 'module', options: { path: './busy.mjs' } },
          store: { use: 'jsonl', options: { path: `./busy-${signal}.jsonl` } },
          budget: { maxTrials: 30 },
        }),
      );
      const run = await runParzen(['run', path, '--json'], {
        cwd: dir,
        onStart: signalWhen(/trial #0 complete/, [signal]),
      });
      expect(run.signal, run.stderr).toBe(signal);
      expect(run.stderr).toMatch(new RegExp(`Study busy-${signal} stopped \\(interrupted\\): \\d+ complete, 0 failed`));
      expect(lastJsonLine(run.stdout)).toMatchObject({ reason: 'interrupted' });
      const trials = await trialsOf(path);
      expect(trials.every((trial) => trial.state === 'complete')).toBe(true);
      // After the running one: once the signal was heard (its note), one trial more at most ended, and none began
      // after it. Counted from the note, not from when this test sent the signal: a loaded machine may read the
      // progress late, and trials go on meanwhile.
      const note = new RegExp(`^${signal}: letting running trials finish.*$`, 'm');
      expect(run.stderr).toMatch(note);
      const [before = '', after = ''] = run.stderr.split(note);
      const ended = (text: string) => text.match(/^trial #\d+ complete/gm)?.length ?? 0;
      expect(ended(after), run.stderr).toBeLessThanOrEqual(1);
      expect(trials).toHaveLength(ended(before) + ended(after));
    },
  );
});

describe.concurrent('an objective cannot take the study down', () => {
  it('a throw in a timer, process.exit(0) and an endless loop past the trial timeout fail only their trials', async () => {
    const path = writeIn(
      dir,
      'unruly.json',
      heartConfig({
        name: 'unruly',
        objective: { use: 'module', options: { path: './unruly.mjs' } },
        store: { use: 'jsonl', options: { path: './unruly.jsonl' } },
        budget: { maxTrials: 5 },
        // Long enough that a worker thread slow to start on a loaded machine still crashes or exits
        // before the timeout; the endless loop (trial 2) is what it is for.
        trialTimeoutSeconds: 3,
      }),
    );
    // Three worker threads started afresh and a 3 s timeout: slow on a loaded machine.
    const run = await runParzen(['run', path, '--json'], { cwd: dir, timeoutMs: 45_000 });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(lastJsonLine(run.stdout)).toMatchObject({ trials: { complete: 2, failed: 3 } });
    const trials = await trialsOf(path);
    expect(trials.map((trial) => trial.error?.code ?? trial.state)).toEqual([
      'OBJECTIVE_CRASHED',
      'OBJECTIVE_EXITED',
      'TIMEOUT',
      'complete',
      'complete',
    ]);
  });
});

describe.concurrent('SIGHUP (a closed ssh session)', () => {
  it('records the running trial as interrupted after the grace period, kills its process group and exits 129', async () => {
    const path = writeIn(
      dir,
      'hup.json',
      heartConfig({
        name: 'hup',
        objective: { use: 'command', options: { command: [process.execPath, 'hang.mjs'] } },
        store: { use: 'jsonl', options: { path: './hup.jsonl' } },
        budget: { maxTrials: 5 },
        gracePeriodSeconds: 1,
      }),
    );
    const pidFile = join(dir, 'hang.pid');
    const run = await runParzen(['run', path], {
      cwd: dir,
      onStart: signalWhenFile(pidFile, ['SIGHUP']),
    });
    expect(run.signal, run.stderr).toBe('SIGHUP');
    expect(run.stderr).toMatch(/SIGHUP: letting running trials finish/);
    expect(run.stdout).toMatch(/Study hup stopped \(interrupted\): 0 complete, 1 failed/);
    expect((await trialsOf(path)).map((trial) => [trial.state, trial.error?.code])).toEqual([
      ['failed', 'INTERRUPTED'],
    ]);
    expect(await goneWithin([Number(readFileSync(pidFile, 'utf8'))])).toEqual([]);
  });
});
