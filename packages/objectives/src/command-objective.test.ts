import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { createMemoryStore } from '@parzen/engine';
import {
  compileSpace,
  type EvaluationContext,
  type EvaluationResult,
  runStudy,
  type SpaceDefinition,
  type Suggester,
  sampleDistribution,
  shellQuoted,
} from '@parzen/engine/plugin';
import { testPluginContext } from '@parzen/engine/testing';
import { goneWithin } from '@parzen/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CommandObjectiveOptions,
  commandObjectiveManifest,
  createCommandObjective,
  interpretCommandOutcome,
} from './command-objective.js';
import { defaultSearchPath } from './find-executable.js';
import { type CommandOutcome, runCommand } from './run-command.js';

let dir: string;
/** A program's outcome as `runCommand` gives it: exit 0 after 5 ms, nothing printed, unless told otherwise. */
const outcomeOf = (over: Partial<CommandOutcome>): CommandOutcome => ({
  exitCode: 0,
  signal: null,
  stdout: '',
  stderr: '',
  timedOut: false,
  aborted: false,
  terminated: false,
  graceExpired: false,
  lineFailed: false,
  durationMs: 5,
  ...over,
});

const options = (command: string[], extra: Partial<CommandObjectiveOptions> = {}): CommandObjectiveOptions => ({
  command,
  cwd: '.',
  env: {},
  inheritEnv: true,
  stdin: 'json',
  stderrTailChars: 4000,
  pruneGraceSeconds: 5,
  ...extra,
});
const evaluate = (
  opts: CommandObjectiveOptions,
  params: Record<string, number | string> = { x: 2 },
  signal = new AbortController().signal,
  context: Partial<EvaluationContext> = {},
) =>
  createCommandObjective(opts, { baseDir: dir, study: 'unit' }).evaluate(params, {
    trialNumber: 3,
    seed: 1,
    signal,
    report: async () => {},
    shouldPrune: () => false,
    ...context,
  });

/** Trial `trialNumber` of an objective made from the manifest, with `{ x: 1 }`. */
const trialOf = (objective: { evaluate: ReturnType<typeof createCommandObjective>['evaluate'] }, trialNumber: number) =>
  objective.evaluate(
    { x: 1 },
    { trialNumber, seed: 1, signal: new AbortController().signal, report: async () => {}, shouldPrune: () => false },
  );

/**
 * A fake evaluation context that records reports (each taking a little time, to show they are awaited
 * one at a time) and says "prune" once `pruneAt` has been reported.
 */
const recorder = (pruneAt = Number.POSITIVE_INFINITY) => {
  const reports: [number, number][] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let prunedAtMs: number | undefined;
  const context: Partial<EvaluationContext> = {
    report: async (step, value) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await (step % 500 === 0 ? new Promise((resolve) => setTimeout(resolve, 2)) : Promise.resolve());
      reports.push([step, value]);
      inFlight--;
    },
    shouldPrune: () => {
      const prune = (reports.at(-1)?.[0] ?? -1) >= pruneAt;
      if (prune) prunedAtMs ??= Date.now();
      return prune;
    },
  };
  return { context, reports, maxInFlight: () => maxInFlight, prunedAtMs: () => prunedAtMs };
};
const details = (result: EvaluationResult) => (result.status === 'failed' ? (result.error.details ?? {}) : {});
/** Checks the pid in the file is gone (a killed process takes a little while to go; up to 5 s). */
const expectGone = async (pidFile: string) => {
  expect(await goneWithin([Number(readFileSync(pidFile, 'utf8'))])).toEqual([]);
};
/** A signal that aborts once `pidFile` exists (the program under test has started what it starts). */
const stopWhen = (pidFile: string): AbortSignal => {
  const stop = new AbortController();
  const poll = setInterval(() => {
    if (existsSync(pidFile)) {
      clearInterval(poll);
      stop.abort();
    }
  }, 20);
  return stop.signal;
};
const hasPython = (() => {
  try {
    execFileSync('python3', ['--version']);
    return true;
  } catch {
    return false;
  }
})();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'parzen-command-'));
  writeFileSync(
    join(dir, 'echo.mjs'),
    `let input = '';
process.stdin.on('data', (c) => (input += c)).on('end', () => {
  const stdin = JSON.parse(input);
  console.log('some log line');
  console.log(JSON.stringify({ loss: stdin.x * 10, argv: process.argv.slice(2), env: [process.env.PARZEN_PARAM_X, process.env.PARZEN_TRIAL, process.env.PARZEN_STUDY, process.env.PARZEN_PARAMS, process.env.EXTRA, process.env.PARZEN_SEED], cwd: process.cwd() }));
});`,
  );
  writeFileSync(
    join(dir, 'spawner.mjs'),
    `import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
writeFileSync(process.argv[2], String(child.pid));
setInterval(() => {}, 1000);`,
  );
  // Reports one step every 20 ms forever, with a grandchild in its group; on SIGTERM it says so and exits
  // 0 (unless told to ignore SIGTERM).
  writeFileSync(
    join(dir, 'trainer.mjs'),
    `import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
const [pidFile, mode] = process.argv.slice(2);
process.on('SIGTERM', () => {
  if (mode === 'stubborn') return;
  console.error('got SIGTERM at step ' + step);
  if (mode === 'checkpoint') console.log(JSON.stringify({ loss: 9, attrs: { checkpoint: 'ckpt/' + step + '.pt' } }));
  if (mode === 'attrs-only') console.log(JSON.stringify({ attrs: { checkpoint: 'ckpt/' + step + '.pt' } }));
  if (mode === 'nan-attrs') console.log('{"attrs": {"f1": NaN}}');
  if (mode === 'null-loss') console.log(JSON.stringify({ loss: null, attrs: { checkpoint: 'ckpt/' + step + '.pt' } }));
  process.exit(0);
});
const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
writeFileSync(pidFile, String(child.pid));
let step = 0;
if (mode === 'malformed') console.log(JSON.stringify({ step: -1, value: 1 }));
setInterval(() => console.log(JSON.stringify({ step: step++, value: 1 / step })), 20);`,
  );
  writeFileSync(
    join(dir, 'heart.py'),
    'import sys\nx = float(sys.argv[1])\nprint("training...")\nprint(-((x**2 - 1)**3))\n',
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A command objective that runs the node program given as its `program` param, with the warnings it logs
 * (`context.logged`); `run(program, trialNumber, prune)` evaluates one trial whose pruner says `prune`.
 */
/** A node program printing `lines`, one each. */
const printing = (lines: readonly string[]): string =>
  lines.map((line) => `console.log(${JSON.stringify(line)})`).join('; ');

/** Runs node programs as a command objective's trials; `reported` holds the (step, value) reports stored. */
const programRunner = async () => {
  const context = testPluginContext({ baseDir: dir, study: 's' });
  const adapter = await commandObjectiveManifest.create(options([process.execPath, '-e', '{program}']), context);
  const reported: [number, number][] = [];
  const run = (program: string, trialNumber: number, prune = false) =>
    adapter.evaluate({ program } as never, {
      trialNumber,
      seed: 1,
      signal: new AbortController().signal,
      report: async (step: number, value: number) => {
        reported.push([step, value]);
      },
      shouldPrune: () => prune,
    });
  return { context, run, reported };
};

/** Holds this process still (its event loop blocked, as SIGSTOP holds it) for `ms`, `after` ms from now. */
const holdStill = (after: number, ms: number): void => {
  setTimeout(() => {
    const until = Date.now() + ms;
    while (Date.now() < until);
  }, after);
};

describe('command objective', () => {
  it('says once that a parameter named trial, study or params is what the template gets (trial 52: unsaid)', async () => {
    const space = compileSpace({
      trial: { type: 'uniform', low: 0, high: 1 },
      x: { type: 'uniform', low: 0, high: 1 },
    });
    const logged = testPluginContext({ baseDir: dir, study: 's' });
    await commandObjectiveManifest.create(options([process.execPath, 'echo.mjs', '{trial}', '{study}']), {
      ...logged,
      space,
    });
    expect(logged.logged).toEqual([
      "warn: the command's {trial} is the parameter of that name, not the trial's number (PARZEN_TRIAL in its environment): a parameter wins over a reserved placeholder.",
    ]);
    const quiet = testPluginContext({ baseDir: dir, study: 's' });
    await commandObjectiveManifest.create(options([process.execPath, 'echo.mjs', '{x}', '{trial}']), {
      ...quiet,
      space: compileSpace({ x: { type: 'uniform', low: 0, high: 1 } }),
    });
    expect(quiet.logged).toEqual([]);
    // Literal braces are no placeholder (review 54).
    const literal = testPluginContext({ baseDir: dir, study: 's' });
    await commandObjectiveManifest.create(options([process.execPath, 'echo.mjs', '{{trial}}']), { ...literal, space });
    expect(literal.logged).toEqual([]);
    // A placeholder inside braces of code is one (review 55: `{loss: {trial}}` was missed).
    const inCode = testPluginContext({ baseDir: dir, study: 's' });
    await commandObjectiveManifest.create(options([process.execPath, '-e', 'x = {loss: {trial}}']), {
      ...inCode,
      space,
    });
    expect(inCode.logged).toHaveLength(1);
  });

  it('passes params on stdin, in env and argv, and reads the last loss line', async () => {
    const result = await evaluate(
      options([process.execPath, 'echo.mjs', '--x', '{x}', '{trial}'], { env: { EXTRA: 'e' } }),
    );
    expect(result.status).toBe('ok');
    if (result.status !== 'ok') return;
    expect(result.loss).toBe(20);
    expect(result.attrs).toEqual({ argv: ['--x', '2', '3'], env: ['2', '3', 'unit', '{"x":2}', 'e', '1'], cwd: dir });
  });

  it("gives the program the trial's seed as {seed} and PARZEN_SEED (trial 157: it had none to seed its training)", async () => {
    const result = await evaluate(
      options([process.execPath, 'echo.mjs', '--seed={seed}'], { env: { EXTRA: '{seed}' } }),
      { x: 2 },
      undefined,
      { seed: 4242 },
    );
    expect(result).toMatchObject({
      status: 'ok',
      attrs: { argv: ['--seed=4242'], env: ['2', '3', 'unit', '{"x":2}', '4242', '4242'] },
    });
  });

  it.runIf(hasPython)('runs a python3 program and reads a bare number', async () => {
    const result = await evaluate(options(['python3', 'heart.py', '{x}']));
    expect(result).toEqual({ status: 'ok', loss: -27 });
  });

  it('fails a non-zero exit with the exit code and the tail of stderr', async () => {
    const result = await evaluate(
      options([process.execPath, '-e', 'console.error("x".repeat(50) + "boom"); console.log(1); process.exit(3)'], {
        stderrTailChars: 10,
      }),
    );
    expect(result.status).toBe('failed');
    if (result.status !== 'failed') return;
    expect(result.error.code).toBe('COMMAND_FAILED');
    expect(result.error.message).toMatch(/exited with code 3/);
    expect(details(result)).toMatchObject({ exitCode: 3, signal: null, stderrTail: '…xxxxxboom\n' });
    // It had printed a loss (trial 40: a crash at exit lost it, unsaid); one that printed none says nothing of it.
    // Its last stderr line, as the kept tail has it, is said first.
    expect(result.error.message).toContain(
      'exited with code 3: …xxxxxboom, after printing a line read as its loss (`1`, kept in error.details.lossLine): a program that ends with an error fails its trial whatever it printed; if that line was its result, end it with exit code 0 once it is out',
    );
    expect(details(result)).toMatchObject({ lossLine: '1' });
    const silent = await evaluate(options([process.execPath, '-e', 'process.exit(3)']));
    expect(silent.status === 'failed' && silent.error.message).toMatch(/exited with code 3\.$/);
  });

  // The README said it: a failed trial's message (trials --json, code) lacked why the program failed.
  it("says in the message the program's last stderr line, trimmed and shortened; the tail stays in details", async () => {
    const traceback =
      'console.error("Traceback (most recent call last):\\n  File \\"train.py\\", line 3\\nValueError: bad lr  \\n\\n"); process.exit(1)';
    const result = await evaluate(options([process.execPath, '-e', traceback]));
    expect(result.status === 'failed' && result.error.code).toBe('COMMAND_FAILED');
    expect(result.status === 'failed' && result.error.message).toMatch(/` exited with code 1: ValueError: bad lr\.$/);
    expect(details(result)).toMatchObject({ stderrTail: expect.stringContaining('Traceback (most recent call last)') });
    // A long line is cut (120 characters, the last one …); one ending with a period gets no second.
    const long = await evaluate(options([process.execPath, '-e', 'console.error("e".repeat(500)); process.exit(2)']));
    expect(long.status === 'failed' && long.error.message).toMatch(/exited with code 2: e{119}…\.$/);
    const period = await evaluate(options([process.execPath, '-e', 'console.error("No such file."); process.exit(2)']));
    expect(period.status === 'failed' && period.error.message).toMatch(/exited with code 2: No such file\.$/);
  });

  it('fails garbage output, keeping the end of stdout', async () => {
    const result = await evaluate(options([process.execPath, '-e', 'console.log("all good, loss is low")']));
    expect(result.status === 'failed' && result.error.code).toBe('COMMAND_NO_LOSS');
    expect(details(result)).toMatchObject({ exitCode: 0, stdoutTail: 'all good, loss is low\n' });
    expect(result.status === 'failed' && result.error.message).toMatch(
      /printed no loss: expected .*; its last line was `all good, loss is low`\.$/,
    );
  });

  it.skipIf(process.platform === 'win32')(
    'says when processes left in the group at the exit were killed (trial 130: a `&` job, unsaid)',
    async () => {
      const result = await evaluate(
        options(['/bin/sh', '-c', 'echo starting; (sleep 1; echo 0.5) &'], { stdin: 'none' }),
      );
      expect(result.status === 'failed' && result.error.code).toBe('COMMAND_NO_LOSS');
      expect(result.status === 'failed' && result.error.message).toMatch(
        /its last line was `starting`; processes it had started were still running in its process group when it exited, and were killed then \(.*wait.*\)\.$/,
      );
      // Review 138: a child that had ended but was not reaped (a zombie; here `true`, whose parent became `sleep`,
      // which never waits) is nothing left running, and is not said to be (on Linux, where /proc tells).
      if (process.platform === 'linux') {
        const zombie = await evaluate(
          options(['/bin/sh', '-c', 'echo done; true & exec sleep 0.3'], { stdin: 'none' }),
        );
        expect(zombie.status === 'failed' && zombie.error.message).toMatch(/its last line was `done`\.$/);
      }
      // A program that waits for its job leaves none: nothing is said of it.
      const waited = await evaluate(options(['/bin/sh', '-c', 'echo starting; (echo done) & wait'], { stdin: 'none' }));
      expect(waited.status === 'failed' && waited.error.message).toMatch(/its last line was `done`\.$/);
    },
  );

  it('reads the loss line however much the program prints after it', async () => {
    // 200 KB of logs after the loss: more than the 64 KiB tail of stdout that is kept.
    const program =
      'console.log(JSON.stringify({ loss: 0.5 })); for (let i = 0; i < 4000; i++) console.log("teardown log " + "x".repeat(40));';
    const result = await evaluate(options([process.execPath, '-e', program]));
    expect(result).toEqual({ status: 'ok', loss: 0.5 });
  });

  it('reads a loss printed after a progress line redrawn with a lone \\r', async () => {
    const program = 'for (let i = 0; i < 3; i++) process.stdout.write("epoch " + i + "\\r"); console.log(0.25);';
    const result = await evaluate(options([process.execPath, '-e', program]));
    expect(result).toEqual({ status: 'ok', loss: 0.25 });
  });

  it('fails a NaN loss as NaN, keeping the details', async () => {
    const result = await evaluate(options([process.execPath, '-e', 'console.log("nan")']));
    expect(result.status === 'failed' && result.error.code).toBe('OBJECTIVE_NAN');
    expect(details(result)).toMatchObject({ exitCode: 0 });
  });

  it('quotes the line the program printed in an OBJECTIVE_* failure (trial 130: `{"loss": 1e400}` read as Infinity)', async () => {
    const infinite = await evaluate(options([process.execPath, '-e', printing(['{"loss": 1e400}', 'done'])]));
    expect(infinite.status === 'failed' && infinite.error).toMatchObject({
      code: 'OBJECTIVE_INFINITE',
      message: expect.stringMatching(
        /^The objective returned a loss of Infinity.* `.*` printed `\{"loss": 1e400\}`\.$/,
      ),
    });
    const text = await evaluate(options([process.execPath, '-e', printing(['{"loss": "0.5"}'])]));
    expect(text.status === 'failed' && text.error.message).toMatch(/ printed `\{"loss": "0\.5"\}`\.$/);
    const nan = await evaluate(options([process.execPath, '-e', 'console.log("nan")']));
    expect(nan.status === 'failed' && nan.error.message).toMatch(/ printed `nan`\.$/);
  });

  it('fills in the options a config would default, when code leaves them out (review 156: a TypeError without cwd)', async () => {
    const program = `let d = ''; process.stdin.on('data', (c) => { d += c; }).on('end', () =>
      console.log(process.cwd() === ${JSON.stringify(dir)} && JSON.parse(d).x === 1 ? 0.5 : 2))`;
    const bare = createCommandObjective(
      { command: [process.execPath, '-e', program] },
      { baseDir: dir, study: 'unit' },
    );
    const context = { trialNumber: 0, seed: 1, signal: new AbortController().signal, report: async () => {} };
    // The program runs in the config's folder (`cwd` "."), its params on stdin.
    expect(await bare.evaluate({ x: 1 }, { ...context, shouldPrune: () => false })).toMatchObject({
      status: 'ok',
      loss: 0.5,
    });
    await bare.close?.();
  });

  it('kills the whole process group on timeout', async () => {
    const pidFile = join(dir, 'timeout.pid');
    const started = Date.now();
    const result = await evaluate(options([process.execPath, 'spawner.mjs', pidFile], { timeoutSeconds: 1.5 }));
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result.status === 'failed' && result.error.code).toBe('TIMEOUT');
    // In seconds, naming the option, as the engine's trialTimeoutSeconds says it (review 156: "ran longer than").
    expect(result.status === 'failed' && result.error.message).toMatch(
      /^`.*spawner\.mjs .*` ran past its time limit of 1\.5 s \(`timeoutSeconds: 1\.5`\); its process group got SIGTERM/,
    );
    // SIGTERM first (trial 153), which ends a program that does not handle it.
    expect(details(result)).toMatchObject({ signal: 'SIGTERM' });
    await expectGone(pidFile);
  });

  it.skipIf(process.platform === 'win32')(
    'ends a trial when its program exits, though a process it started outside its group still holds stdout',
    async () => {
      // `setsid` puts the helper in a session of its own, out of reach of the group kill; it keeps the pipe.
      const script = join(dir, 'daemon.sh');
      writeFileSync(script, '#!/bin/sh\nsetsid sleep 8 &\necho 0.5\nsleep 0.3\n', { mode: 0o755 });
      const started = Date.now();
      const result = await evaluate(options(['/bin/sh', script], { timeoutSeconds: 3 }));
      // It was a TIMEOUT after 9.6 s (the helper's lifetime), or took 8 s without a timeout.
      expect(result).toMatchObject({ status: 'ok', loss: 0.5 });
      expect(Date.now() - started).toBeLessThan(2900);
      // A helper that keeps writing after the program exited: the pipes close after 5 s of it (review 26:
      // the trial stayed open for the helper's whole life, past its timeout).
      const chattyScript = join(dir, 'chatty.sh');
      writeFileSync(
        chattyScript,
        '#!/bin/sh\nsetsid sh -c "while true; do echo noise; sleep 0.1; done" &\necho 0.25\nsleep 0.3\n',
      );
      const chatty = Date.now();
      const late = await runCommand({ argv: ['/bin/sh', chattyScript], cwd: dir, env: process.env, stderrTail: 100 });
      expect(Date.now() - chatty).toBeGreaterThanOrEqual(4500);
      expect(Date.now() - chatty).toBeLessThan(8000);
      expect(late.stdout).toMatch(/^0\.25\nnoise\n/);
      // (The program waits a moment so that the helper is in its own session before the group is killed;
      // the helper dies of SIGPIPE at its next write once the pipes are closed.)
    },
  );

  it('kills the process group when the evaluation is aborted', async () => {
    const pidFile = join(dir, 'abort.pid');
    const result = await evaluate(options([process.execPath, 'spawner.mjs', pidFile]), { x: 1 }, stopWhen(pidFile));
    expect(result.status === 'failed' && result.error.code).toBe('INTERRUPTED');
    await expectGone(pidFile);
  });

  // Trial 130: a loss printed before a slow teardown was lost without a word on TIMEOUT and INTERRUPTED, and
  // the config's trialTimeoutSeconds (the engine's limit) and an interruption kept no details at all.
  const lateTeardown = `console.error('working...'); console.log('{"loss": 0.33}'); setTimeout(() => {}, 10000);`;
  const lossKept =
    /, after printing a line read as its loss \(`\{"loss": 0\.33\}`, kept in error\.details\.lossLine\): a program still running when its trial is stopped fails it whatever it printed; if that line was its result, end the program once it is out/;

  it('says and keeps a loss the program printed before its own timeoutSeconds killed it (trial 130)', async () => {
    const result = await evaluate(
      // The limit leaves a loaded machine time to start Node and print (1 s did not, once, under load).
      options([process.execPath, '-e', lateTeardown], { timeoutSeconds: 2.5, stdin: 'none' }),
    );
    expect(result.status === 'failed' && result.error.code).toBe('TIMEOUT');
    expect(result.status === 'failed' && result.error.message).toMatch(lossKept);
    expect(details(result)).toMatchObject({
      lossLine: '{"loss": 0.33}',
      stderrTail: 'working...\n',
      signal: 'SIGTERM',
    });
  });

  // Review 138: the message and details showed the parsed value re-serialised, so `inf` read as `null`.
  it('quotes and keeps the loss line as the program printed it, cut when long (review 138)', () => {
    const ended = (stdout: string, exitCode: number | null, timedOut: boolean) =>
      interpretCommandOutcome(
        outcomeOf({ exitCode, signal: timedOut ? 'SIGKILL' : null, stdout, timedOut }),
        ['prog'],
        3,
      );
    const inf = ended('inf\n', null, true);
    expect(inf.status === 'failed' && inf.error.message).toContain(
      'after printing a line read as its loss (`inf`, kept in',
    );
    expect(inf.status === 'failed' && inf.error.details).toMatchObject({ lossLine: 'inf' });
    const nan = ended('{"loss": NaN}\n', 3, false);
    expect(nan.status === 'failed' && nan.error.code).toBe('COMMAND_FAILED');
    expect(nan.status === 'failed' && nan.error.message).toContain(
      'after printing a line read as its loss (`{"loss": NaN}`, kept in',
    );
    expect(nan.status === 'failed' && nan.error.details).toMatchObject({ lossLine: '{"loss": NaN}' });
    // A program still training (epoch counts, log lines) is not told it printed its loss, nor, when it printed
    // more after that line, how to end once the loss is out.
    const epochs = ended('1\n2\n3\n', null, true);
    expect(epochs.status === 'failed' && epochs.error.message).toMatch(
      /its process group got SIGTERM, and it was killed by SIGKILL, after printing a line read as its loss \(`3`, kept in error\.details\.lossLine\): a program still running when its trial is stopped fails it whatever it printed; if that line was its result, end the program once it is out \(in Python: .*\)\.$/,
    );
    const logged = ended('{"epoch": 3, "loss": 0.5}\nsaving checkpoint\n', null, true);
    expect(logged.status === 'failed' && logged.error.message).toMatch(
      /, after printing a line read as its loss \(`\{"epoch": 3, "loss": 0\.5\}`, kept in error\.details\.lossLine\) and more after it: a program still running when its trial is stopped fails it whatever it printed\.$/,
    );
    // Where /proc cannot tell a running member from a zombie, the leftover group is said cautiously.
    const maybe = interpretCommandOutcome(outcomeOf({ stdout: 'done\n', leftRunning: 'maybe' }), ['prog']);
    expect(maybe.status === 'failed' && maybe.error.message).toMatch(
      /its last line was `done`; its process group still had members when it exited \(processes it had started, or ones that had ended but were not yet waited for\), which were killed then: if it put a job in the background/,
    );
    const long = `{"loss": 0.5, "attrs": {"note": "${'x'.repeat(3000)}"}}`;
    const cut = ended(`${long}\n`, 1, false);
    const kept = cut.status === 'failed' ? (cut.error.details?.lossLine as string) : '';
    // Cut as a thrown message is, with the one wording of a cut (it was `...`, its own way).
    expect(kept).toBe(`${long.slice(0, 1000)}… (${long.length - 1000} more characters cut)`);
    expect(cut.status === 'failed' && cut.error.message).toContain(
      `(\`${long.slice(0, 200)}… (${long.length - 200} more characters cut)\`, kept in`,
    );
    // Review 139: cut by characters, never inside one (half an emoji was kept).
    const rockets = `{"loss": 0.5, "attrs": {"note": "${'🚀'.repeat(1000)}"}}`;
    const emoji = ended(`${rockets}\n`, 1, false);
    const keptEmoji = emoji.status === 'failed' ? (emoji.error.details?.lossLine as string) : '';
    expect(keptEmoji).toBe(
      `${Array.from(rockets).slice(0, 1000).join('')}… (${Array.from(rockets).length - 1000} more characters cut)`,
    );
    expect(keptEmoji).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    // Review 140: 600 rockets are 1,200 UTF-16 units but fewer than 1,000 characters: kept whole, not cut.
    const fewer = `{"loss": 0.5, "note": "${'🚀'.repeat(600)}"}`;
    const whole = ended(`${fewer}\n`, 1, false);
    expect(whole.status === 'failed' && whole.error.details?.lossLine).toBe(fewer);
    // Review 139: a loss line longer than the kept tail of stdout is that whole tail, not a line "and more after it".
    const huge = `{"loss": 0.5, "attrs": {"note": "${'y'.repeat(70_000)}"}}`;
    const tail = huge.slice(-65_536);
    const timedOut = interpretCommandOutcome(
      outcomeOf({ exitCode: null, signal: 'SIGKILL', stdout: `…${tail}\n`, timedOut: true }),
      ['prog'],
      3,
      { graceSeconds: 5, lossLine: { found: 0.5, line: huge } },
    );
    expect(timedOut.status === 'failed' && timedOut.error.message).not.toContain('and more after it');
    expect(timedOut.status === 'failed' && timedOut.error.message).toContain(
      'if that line was its result, end the program',
    );
  });

  /** One trial of `program` as a study run, with the run's own options (a time limit, a stop signal). */
  const runOneTrial = async (
    name: string,
    program: string,
    run: { trialTimeoutMs?: number; signal?: AbortSignal },
    extra: Partial<CommandObjectiveOptions> = {},
  ) => {
    const definition = { x: { type: 'uniform', low: 0, high: 1 } } as const;
    const result = await runStudy({
      spec: { name, direction: 'minimize', seed: 1, space: definition },
      space: compileSpace(definition),
      store: createMemoryStore(),
      suggester: {
        name: 'prior',
        beginTrial: (context) => ({ sampleParam: (param) => sampleDistribution(param.distribution, context.rng) }),
      },
      objective: createCommandObjective(options([process.execPath, '-e', program], { stdin: 'none', ...extra }), {
        baseDir: dir,
        study: name,
      }),
      budget: { maxTrials: 1 },
      ...(run.signal === undefined ? {} : { signal: run.signal, gracePeriodMs: 0 }),
      ...(run.trialTimeoutMs === undefined ? {} : { trialTimeoutMs: run.trialTimeoutMs }),
    });
    const [trial] = result.trials;
    return trial?.state === 'failed' ? trial.error : undefined;
  };

  it("keeps the command's details and a printed loss in the engine's TIMEOUT and INTERRUPTED (trial 130)", async () => {
    // The limit leaves a loaded machine time to start Node and print (1 s did not, once, under load).
    const timedOut = await runOneTrial('engine-timeout', lateTeardown, { trialTimeoutMs: 2500 });
    expect(timedOut?.code).toBe('TIMEOUT');
    expect(timedOut?.message).toMatch(
      /^The objective ran past its time limit of 2\.5 s \(`trialTimeoutMs: 2500`\)\. `.*` was stopped; its process group got SIGTERM, which ended it/,
    );
    expect(timedOut?.message).toMatch(lossKept);
    expect(timedOut?.details).toMatchObject({
      command: [process.execPath, '-e', lateTeardown],
      exitCode: null,
      signal: 'SIGTERM',
      stderrTail: 'working...\n',
      lossLine: '{"loss": 0.33}',
    });
    expect(timedOut?.details?.durationMs).toEqual(expect.any(Number));
    // Stopped once the loss is out (a fixed delay raced Node's start on a loaded machine).
    const printed = join(dir, 'late-teardown-printed');
    const interrupted = await runOneTrial(
      'engine-interrupt',
      `${lateTeardown} require('node:fs').writeFileSync(${JSON.stringify(printed)}, '');`,
      { signal: stopWhen(printed) },
    );
    expect(interrupted?.code).toBe('INTERRUPTED');
    expect(interrupted?.message).toMatch(lossKept);
    expect(interrupted?.details).toMatchObject({
      signal: 'SIGTERM',
      stderrTail: 'working...\n',
      lossLine: '{"loss": 0.33}',
    });
    // Without a loss line, nothing is said of one.
    const silent = await runOneTrial('engine-silent', 'setTimeout(() => {}, 10000);', { trialTimeoutMs: 500 });
    expect(silent?.message).toMatch(/was stopped; its process group got SIGTERM, which ended it\.$/);
    expect(silent?.details).not.toHaveProperty('lossLine');
  });

  // Trial 153: a run's stop (Ctrl-C past its grace period, a second Ctrl-C) sent the group SIGKILL alone, so a
  // program could not save its checkpoint, though a prune sends SIGTERM first.
  it.skipIf(process.platform === 'win32')(
    "gives a program SIGTERM at the run's stop, and SIGKILL pruneGraceSeconds later if it is still running (trial 153)",
    async () => {
      // A program that saves a checkpoint, prints a loss and exits 0 on SIGTERM; a child in its group ignores it.
      // The run stops once the child says it ignores SIGTERM (its pid file, written after its handler: a fixed
      // 100 ms let a slow start die of the SIGTERM instead), and the program has its handler before it starts it.
      const saved = join(dir, 'checkpoint.txt');
      const childPid = join(dir, 'checkpoint-child.pid');
      const ignoring = `process.on('SIGTERM', () => {}); require('node:fs').writeFileSync(${JSON.stringify(childPid)}, String(process.pid)); setInterval(() => {}, 1000)`;
      const checkpointing = `const { spawn } = require('node:child_process');
const fs = require('node:fs');
process.on('SIGTERM', () => { fs.writeFileSync(${JSON.stringify(saved)}, 'saved'); console.log('{"loss": 0.5}'); process.exit(0); });
spawn(process.execPath, ['-e', ${JSON.stringify(ignoring)}], { stdio: 'ignore' });
setInterval(() => {}, 1000);`;
      // A grace period far longer than the save takes on a loaded machine (0.5 s let SIGKILL come first): the
      // program's exit ends the wait, and its group's SIGKILL then takes the child.
      const interrupted = await runOneTrial(
        'stop-checkpoint',
        checkpointing,
        { signal: stopWhen(childPid) },
        { pruneGraceSeconds: 30 },
      );
      expect(readFileSync(saved, 'utf8')).toBe('saved');
      await expectGone(childPid);
      // Still interrupted, though it exited 0 with a loss: the loss is kept in its details, not the trial's.
      expect(interrupted?.code).toBe('INTERRUPTED');
      expect(interrupted?.message).toMatch(
        /was stopped; its process group got SIGTERM, and it exited with code 0, after printing a line read as its loss/,
      );
      expect(interrupted?.details).toMatchObject({ exitCode: 0, signal: null, lossLine: '{"loss": 0.5}' });
      // A program that ignores SIGTERM gets SIGKILL once pruneGraceSeconds have run out, and the engine waits
      // for it (its details are the program's).
      const pidFile = join(dir, 'stubborn.pid');
      // Its handler before its pid file: until a listener is added, SIGTERM's default action ends the process.
      const stubborn = `process.on('SIGTERM', () => {});
require('node:fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); setInterval(() => {}, 1000);`;
      const started = Date.now();
      const killed = await runOneTrial(
        'stop-stubborn',
        stubborn,
        { signal: stopWhen(pidFile) },
        { pruneGraceSeconds: 0.4 },
      );
      expect(Date.now() - started).toBeGreaterThanOrEqual(400);
      await expectGone(pidFile);
      expect(killed?.code).toBe('INTERRUPTED');
      expect(killed?.message).toMatch(/its process group got SIGTERM, then SIGKILL after the 0\.4 s grace period\.$/);
      expect(killed?.details).toMatchObject({ exitCode: null, signal: 'SIGKILL' });
    },
  );

  it('fails a trial whose program cannot start (a templated program name)', async () => {
    const result = await evaluate(options(['{tool}']), { tool: 'no-such-program-xyz' });
    expect(result.status === 'failed' && result.error.code).toBe('COMMAND_NOT_STARTED');
    expect(result.status === 'failed' && result.error.message).toMatch(/ENOENT/);
    // Where it was looked for, as validate says it, not spawn's bare words alone; the name once (it was said
    // three times: "`p` could not start: `p` is not on PATH (searched ...) (spawn p ENOENT)").
    expect(result.status === 'failed' && result.error.message).toMatch(
      /^The command could not start \(ENOENT\): `no-such-program-xyz` is not on PATH \(searched [^()]+\)$/,
    );
  });

  /** A trial's context that reports and prunes nothing. */
  const quietContext = () => ({
    trialNumber: 0,
    seed: 1,
    signal: new AbortController().signal,
    report: async () => {},
    shouldPrune: () => false,
  });

  it('says a working folder removed mid-run, not the program, when a trial cannot start', async () => {
    const folder = join(dir, 'gone-folder');
    mkdirSync(folder);
    const objective = createCommandObjective(options(['sh', '-c', 'echo 1'], { cwd: folder }), {
      baseDir: dir,
      study: 'unit',
    });
    rmSync(folder, { recursive: true });
    const result = await objective.evaluate({}, quietContext());
    expect(result.status === 'failed' && result.error.message).toBe(
      `The command could not start (ENOENT): its working folder ${folder} is not there`,
    );
  });

  it("says a script's missing #! interpreter when a trial cannot start (the spawn blames the script)", async () => {
    const script = join(dir, 'interpreter-gone.sh');
    writeFileSync(script, '#!/bin/sh\necho 1\n', { mode: 0o755 });
    const objective = createCommandObjective(options([script]), { baseDir: dir, study: 'unit' });
    // The interpreter goes away after the objective checked the script (an environment changed mid-run).
    writeFileSync(script, '#!/no/such/interpreter\necho 1\n', { mode: 0o755 });
    const result = await objective.evaluate({}, quietContext());
    expect(result.status === 'failed' && result.error.message).toBe(
      `The command could not start (ENOENT): the interpreter \`/no/such/interpreter\` on the #! line of ${script} does not exist`,
    );
  });

  it('says where a program it had found is missing when a trial starts (moved or deleted mid-run)', async () => {
    const script = join(dir, 'gone.sh');
    writeFileSync(script, '#!/bin/sh\necho 1\n', { mode: 0o755 });
    const objective = createCommandObjective(options([script]), { baseDir: dir, study: 'unit' });
    rmSync(script);
    const result = await objective.evaluate({}, quietContext());
    expect(result.status === 'failed' && result.error.code).toBe('COMMAND_NOT_STARTED');
    expect(result.status === 'failed' && result.error.message).toBe(
      `The command could not start (ENOENT): no executable file at ${script}`,
    );
  });

  // Trial 130: a 140 KB choice value failed every trial with a bare `spawn E2BIG`, and no option kept the
  // params out of the environment; validate passed it, and one holding NUL.
  it.skipIf(process.platform !== 'linux')(
    'refuses before the start a value too long for an environment string or argument, saying which and what to do',
    async () => {
      const long = 'A'.repeat(140_000);
      const result = await evaluate(options([process.execPath, '-e', 'process.stdin.resume()']), { prompt: long });
      expect(result.status === 'failed' && result.error.code).toBe('COMMAND_BAD_ARGS');
      expect(result.status === 'failed' && result.error.message).toBe(
        `\`${process.execPath}\` was not started: environment variable PARZEN_PARAMS (140,028 bytes), environment variable PARZEN_PARAM_PROMPT (140,021 bytes) are longer than the 131,072 bytes Linux allows one argument or environment string (NAME=value included). To pass such values, read the params from stdin (the default, "stdin": "json") and set "paramsInEnv": false in the objective's options, so they are not put in its environment.`,
      );
      // With paramsInEnv false, the program reads it from stdin.
      const reads =
        'let s = ""; process.stdin.on("data", (c) => (s += c)).on("end", () => console.log(process.env.PARZEN_PARAMS === undefined ? JSON.parse(s).prompt.length / 1e6 : 99))';
      const fromStdin = await evaluate(options([process.execPath, '-e', reads], { paramsInEnv: false }), {
        prompt: long,
      });
      expect(fromStdin).toMatchObject({ status: 'ok', loss: 0.14 });
      // In argv: that argument is named, and stdin advised (not PARZEN_PARAMS, which paramsInEnv false turned off: review 138).
      const inArgv = await evaluate(options([process.execPath, '-e', '', '--p={prompt}'], { paramsInEnv: false }), {
        prompt: long,
      });
      expect(inArgv.status === 'failed' && inArgv.error.message).toMatch(
        /: argument 3 \(140,005 bytes\) is longer than .* take the value from stdin instead of the argv template\.$/,
      );
      // NUL, and many values each under the limit but over the total (E2BIG from the spawn itself).
      const nul = await evaluate(options([process.execPath, '-e', '']), { sep: 'a\u0000b' });
      expect(nul.status === 'failed' && nul.error.message).toMatch(
        /was not started: environment variable PARZEN_PARAM_SEP holds a NUL character, which no program can be given\./,
      );
      const many = Object.fromEntries(Array.from({ length: 40 }, (_, index) => [`P${index}`, 'B'.repeat(120_000)]));
      const total = await evaluate(options([process.execPath, '-e', ''], { env: many }));
      expect(total.status === 'failed' && total.error).toMatchObject({
        code: 'COMMAND_BAD_ARGS',
        message: expect.stringMatching(
          /could not start: spawn E2BIG, its arguments and environment together \([\d,]+ bytes\) are more than the system allows \(getconf ARG_MAX\); the largest: environment variable P\d+ \(120,00\d bytes\), .*\. Pass large values on stdin, or start Parzen with a smaller environment\.$/,
        ),
      });
    },
  );

  it.skipIf(process.platform !== 'linux')(
    'refuses, before any trial, a choice option holding NUL or too long for an environment string (trial 130)',
    () => {
      const create =
        (space: SpaceDefinition, extra: Partial<CommandObjectiveOptions> = {}) =>
        () =>
          commandObjectiveManifest.create(options([process.execPath, '-e', ''], extra), {
            ...testPluginContext({ baseDir: dir, study: 's' }),
            space: compileSpace(space),
          });
      const long = 'A'.repeat(140_000);
      const space: SpaceDefinition = {
        prompt: { type: 'choice', options: [long, 'short'] },
        sep: {
          type: 'choice',
          options: ['-', { value: 'x', space: { inner: { type: 'choice', options: ['ok', 'a\u0000b'] } } }],
        },
      };
      expect(create(space)).toThrow(
        /\/space\/prompt\/options\/0: expected an option of at most 131,072 bytes as PARZEN_PARAM_PROMPT=value .*found 140,021 bytes: pass it on stdin \(the default\) with "paramsInEnv": false/,
      );
      expect(create(space)).toThrow(
        /\/space\/sep\/options\/1\/space\/inner\/options\/1: expected an option without a NUL character/,
      );
      // Kept out of the environment and the template, they reach the program on stdin: fine.
      expect(create(space, { paramsInEnv: false })).not.toThrow();
      expect(create(space, { paramsInEnv: false, command: [process.execPath, '-e', '', '{prompt}'] })).toThrow(
        /\/space\/prompt\/options\/0: .* and without \{prompt\} in the command or env/,
      );
      // Review 138: PARZEN_PARAMS holds the value JSON-escaped: 66,000 quotes fit as PARZEN_PARAM_Q, not there.
      const quotes = { q: { type: 'choice', options: ['"'.repeat(66_000), 'ok'] } } as const;
      expect(create(quotes)).toThrow(
        /\/space\/q\/options\/0: expected an option of at most 131,072 bytes as PARZEN_PARAMS=\{\.\.\.\} \(the JSON of the params, where `"`, `\\` and control characters take two bytes or more, up to six\).*found 132,\d{3} bytes: pass it on stdin/,
      );
      expect(create(quotes, { paramsInEnv: false })).not.toThrow();
      // Two choices that each fit, but not together in PARZEN_PARAMS, in every trial.
      const pair = {
        a: { type: 'choice', options: ['a'.repeat(70_000)] },
        b: { type: 'choice', options: ['b'.repeat(70_000), 'b'.repeat(80_000)] },
      } as const;
      expect(create(pair)).toThrow(
        /\/space: expected choice params whose values together fit in PARZEN_PARAMS, .*found at least 140,0\d\d bytes in every trial \(the shortest options of `a`, `b`\): read the params from stdin \(the default\) and set "paramsInEnv": false/,
      );
      expect(create(pair, { paramsInEnv: false })).not.toThrow();
      // Review 139: the shortest option by bytes, not characters (40,000 `€` are 120,000 bytes in UTF-8).
      const euros = {
        p: { type: 'choice', options: ['€'.repeat(40_000), 'a'.repeat(41_000)] },
        q: { type: 'choice', options: ['€'.repeat(40_000), 'a'.repeat(41_000)] },
      } as const;
      expect(create(euros)).not.toThrow();
      // Review 139: `{params}` in the command puts the JSON of the params in an argument, also without the
      // environment.
      const viaParams = { command: [process.execPath, '-e', '', '{params}'], paramsInEnv: false } as const;
      expect(create(space, viaParams)).toThrow(
        /\/space\/prompt\/options\/0: expected an option of at most 131,072 bytes as \{params\} \(the JSON of the params\) in the command.* and without \{params\} in the command or env/,
      );
      expect(create(pair, viaParams)).toThrow(
        /\/space: expected choice params whose values together fit in \{params\}, .*and take \{params\} out of the command or env/,
      );
      expect(create(pair, viaParams)).not.toThrow(/paramsInEnv/);
      // Review 140: `{q}` and `{params}` both: the longer, escaped JSON is measured.
      expect(create(quotes, { ...viaParams, command: [process.execPath, '-e', '', '{q}', '{params}'] })).toThrow(
        /\/space\/q\/options\/0: expected an option of at most 131,072 bytes as \{params\}/,
      );
      // Review 141: as an argument `{params}` has no `PARZEN_PARAMS=` before it: 131,060 bytes of JSON fit.
      const edge = {
        a: { type: 'choice', options: ['a'.repeat(65_500)] },
        b: { type: 'choice', options: ['b'.repeat(65_545)] },
      } as const;
      expect(JSON.stringify({ a: 'a'.repeat(65_500), b: 'b'.repeat(65_545) })).toHaveLength(131_060);
      expect(create(edge, viaParams)).not.toThrow();
      expect(create(edge)).toThrow(/\/space: expected choice params whose values together fit in PARZEN_PARAMS/);
      // Review 141: through `{params}` alone a NUL is written as \u0000, which any program can be given.
      const nulOnly = { n: { type: 'choice', options: ['a\u0000b', 'c'] } } as const;
      expect(create(nulOnly, viaParams)).not.toThrow();
      expect(create(nulOnly)).toThrow(/\/space\/n\/options\/0: expected an option without a NUL character/);
      // Review 140: a parameter named `params` is what `{params}` gives: nothing of all the params is measured.
      const named = { params: { type: 'choice', options: ['a', 'b'] }, ...pair } as const;
      expect(create(named, { ...viaParams, command: [process.execPath, '-e', '', '{params}'] })).not.toThrow();
    },
  );

  // Review 138: a literal no program can be given failed trial after trial, each told to use stdin.
  it('refuses a literal argv element or env value no program can be given, before any trial (review 138)', () => {
    const create = (extra: Partial<CommandObjectiveOptions>) => () =>
      createCommandObjective(options([process.execPath, '-e', 'print(0.5)', 'a\u0000b'], extra), {
        baseDir: dir,
        study: 's',
      });
    expect(create({})).toThrow(
      /\/command\/3: expected an argument without a NUL character .*found a NUL character at character 2: remove it/,
    );
    expect(create({})).not.toThrow(/stdin/);
    expect(create({ command: [process.execPath, '-e', '1'], env: { A: 'x\u0000{x}' } })).toThrow(
      /\/env\/A: expected an environment string without a NUL character/,
    );
    if (process.platform === 'linux')
      expect(create({ command: [process.execPath, '-e', `//${'x'.repeat(140_000)}`, '{x}'] })).toThrow(
        /\/command\/2: expected an argument of at most 131,072 bytes, its terminating NUL included .*found 140,003 bytes: put the text in a file/,
      );
  });

  it('fails a trial whose template names an unknown parameter', async () => {
    const result = await evaluate(options([process.execPath, '{nope}']));
    expect(result.status === 'failed' && result.error.code).toBe('COMMAND_TEMPLATE');
  });

  it('warns once, at its second such trial, when every report came as the program ended (trial 40: buffered stdout, nothing pruned)', async () => {
    // A program that writes its reports at the end (as Python's buffered print does): one write, so one read
    // however loaded the machine is. Told at its second trial, naming the first, once.
    const buffered = await programRunner();
    const atEnd = `setTimeout(() => process.stdout.write('{"step":0,"value":1}\\n{"step":1,"value":0.5}\\n{"loss":0.5}\\n'), 1100)`;
    expect(await buffered.run(atEnd, 1)).toMatchObject({ status: 'ok', loss: 0.5 });
    expect(buffered.context.logged).toEqual([]);
    expect(await buffered.run(atEnd, 3)).toMatchObject({ status: 'ok', loss: 0.5 });
    expect(await buffered.run(atEnd, 4)).toMatchObject({ status: 'ok', loss: 0.5 });
    expect(buffered.context.logged).toHaveLength(1);
    expect(buffered.context.logged[0]).toMatch(
      /^warn: trial #3: its 2 reports all arrived as the program ended, after \d+\.\d s, as trial #1's did: its stdout looks buffered \(or it printed them all at its end\), so a pruner sees them too late to stop it\. Flush each report as it is made \(Python: print\(\.\.\., flush=True\)\)/,
    );
    // One that flushes each report as it goes, 600 ms apart (more than a loaded machine holds a process back):
    // never told. Reports closer together, read together on a loaded machine, are buffered-stdout.test.ts's.
    const flushed = await programRunner();
    const asItGoes = `console.log('{"step":0,"value":1}'); setTimeout(() => console.log('{"step":1,"value":0.5}'), 600); setTimeout(() => console.log('{"loss":0.5}'), 1200)`;
    expect(await flushed.run(asItGoes, 0)).toMatchObject({ status: 'ok', loss: 0.5 });
    expect(await flushed.run(asItGoes, 1)).toMatchObject({ status: 'ok', loss: 0.5 });
    expect(flushed.context.logged).toEqual([]);
  });

  it('says nothing of buffering when this process held still while the reports came (trial 117: a worker stopped with SIGSTOP)', async () => {
    const { context, run } = await programRunner();
    // Flushed reports, while this process is held still (as SIGSTOP holds it): they wait in the pipe, then come
    // together; twice, as a buffered program's would at its second trial.
    const flushed = `const say = (line, at) => setTimeout(() => console.log(line), at); say('{"step":0,"value":1}', 300); say('{"step":1,"value":0.5}', 500); say('{"loss":0.5}', 900)`;
    for (const trial of [0, 1]) {
      const held = run(flushed, trial);
      holdStill(150, 1400);
      expect(await held).toMatchObject({ status: 'ok', loss: 0.5 });
    }
    expect(context.logged).toEqual([]);
    // A buffered program is still told, though this process paused earlier in its trials (review 126: any pause in
    // the trial spared it).
    const other = await programRunner();
    const atEnd = `setTimeout(() => process.stdout.write('{"step":0,"value":1}\\n{"step":1,"value":0.5}\\n{"loss":0.5}\\n'), 1600)`;
    for (const trial of [1, 2]) {
      const late = other.run(atEnd, trial);
      holdStill(100, 700);
      expect(await late).toMatchObject({ status: 'ok', loss: 0.5 });
    }
    expect(other.context.logged).toHaveLength(1);
    expect(other.context.logged[0]).toMatch(/^warn: trial #2: its 2 reports all arrived as the program ended/);
  });

  it('a program whose reports and loss all came as it ended is not stopped by a prune decided then: its loss stands (issue 11)', async () => {
    const { run } = await programRunner();
    // Buffered output (Python's print to a pipe): everything in one write as the program ends; the pruner
    // answers at once (an in-memory store) and says stop at the first report.
    const buffered = `setTimeout(() => process.stdout.write('{"step":0,"value":1}\\n{"step":1,"value":0.5}\\n{"loss":0.5}\\n'), 300)`;
    expect(await run(buffered, 0, true)).toMatchObject({ status: 'ok', loss: 0.5, finishedBeforePrune: true });
    // A program that prints a number after each report and runs on is still stopped, a moment later.
    const numbers = `let step = 0; setInterval(() => { console.log(JSON.stringify({ step, value: 1 })); console.log(String(step++)); }, 50)`;
    const started = Date.now();
    expect(await run(numbers, 1, true)).toMatchObject({ status: 'failed', error: { code: 'PRUNED' } });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('a program that prints {"pruned": true} last ends its own trial pruned, its attrs kept (trial 59)', async () => {
    const { run } = await programRunner();
    const diverged = `console.log('{"step":0,"value":1}'); console.log('{"pruned": true, "attrs": {"why": "nan"}}')`;
    const pruned = await run(diverged, 0);
    expect(pruned).toMatchObject({ status: 'failed', error: { code: 'PRUNED', details: { attrs: { why: 'nan' } } } });
    // A pruned line that is also a report ends the trial at that report; its step and value are not attrs.
    const asReport = `console.log('{"step":0,"value":1}'); console.log('{"pruned": true, "step": 1, "value": 0.5, "why": "nan"}')`;
    const ended = await run(asReport, 4);
    expect(ended).toMatchObject({ status: 'failed', error: { code: 'PRUNED', details: { attrs: { why: 'nan' } } } });
    expect(ended.status === 'failed' && ended.error.details?.attrs).toEqual({ why: 'nan' });
    // A loss on the same line does not complete it (review 62).
    const withLoss = `console.log('{"step":0,"value":1}'); console.log('{"pruned": true, "loss": 3}')`;
    expect(await run(withLoss, 3)).toMatchObject({ status: 'failed', error: { code: 'PRUNED' } });
    // After a loss line it is a log line: the loss stands.
    const logged = `console.log('{"loss": 0.5}'); console.log('{"pruned": true}')`;
    expect(await run(logged, 1)).toMatchObject({ status: 'ok', loss: 0.5 });
    // Only as the last line: a loss after it stands too.
    const later = `console.log('{"pruned": true}'); console.log('{"loss": 0.25}')`;
    expect(await run(later, 2)).toMatchObject({ status: 'ok', loss: 0.25 });
  });

  it('warns when the pruner stopped a trial on reports that came all at once after a second with none before (trial 49)', async () => {
    const { context, run } = await programRunner();
    // A flushed program pruned at its first report, early: nothing to say.
    const flushed = `console.log('{"step":0,"value":1}'); setTimeout(() => {}, 20000)`;
    expect(await run(flushed, 0, true)).toMatchObject({ status: 'failed', error: { code: 'PRUNED' } });
    expect(context.logged).toEqual([]);
    // Two reports in one write after a second: buffered output, judged late (the program may have ended).
    const burst = `setTimeout(() => process.stdout.write('{"step":0,"value":1}\\n{"step":1,"value":0.5}\\n'), 1100); setTimeout(() => {}, 20000)`;
    expect(await run(burst, 1, true)).toMatchObject({ status: 'failed', error: { code: 'PRUNED' } });
    expect(context.logged).toEqual([]);
    expect(await run(burst, 2, true)).toMatchObject({ status: 'failed', error: { code: 'PRUNED' } });
    expect(await run(burst, 3, true)).toMatchObject({ status: 'failed', error: { code: 'PRUNED' } });
    expect(context.logged).toHaveLength(1);
    expect(context.logged[0]).toMatch(
      /^warn: trial #2: it was pruned at step 0 on a report that came with 1 other all at once, after \d+\.\d s with none before, as trial #1's reports came: its stdout looks buffered/,
    );
  });

  it('stores no report after the loss line, and says a report that is not JSON, once per run each (trial 106)', async () => {
    const { context, run, reported } = await programRunner();
    const program = printing([
      '{"step": 0, "value": 0.5}',
      '{"step": 1, "value": }',
      '{"loss": 0.4}',
      '{"step": 99, "value": 0.1}',
    ]);
    expect(await run(program, 0)).toMatchObject({ status: 'ok', loss: 0.4 });
    expect(reported).toEqual([[0, 0.5]]);
    expect(await run(program, 1)).toMatchObject({ status: 'ok', loss: 0.4 });
    expect(reported).toEqual([
      [0, 0.5],
      [0, 0.5],
    ]);
    expect(context.logged).toEqual([
      'warn: trial #0: the line `{"step": 1, "value": }` looks like a report but is not JSON (one JSON object a line: {"step": n, "value": x}), so it is not read as one and no pruner sees it (said once per run).',
      'warn: trial #0: the report `{"step": 99, "value": 0.1}` came after its result, the last {"loss": ...} line, so it is not stored and no pruner saw it (a trial\'s reports end at its result; said once per run).',
    ]);
    // A program that logs loss lines as it trains: its reports between them are its own, the result the last
    // loss line (review 110: they were dropped from the first loss line on).
    reported.length = 0;
    const logs = printing([
      '{"step": 0, "value": 0.9}',
      '{"epoch": 0, "loss": 0.9}',
      '{"step": 1, "value": 0.7}',
      '{"epoch": 1, "loss": 0.7}',
      '{"step": 2, "value": 0.5}',
      '{"loss": 0.5}',
    ]);
    expect(await run(logs, 2)).toMatchObject({ status: 'ok', loss: 0.5 });
    expect(reported).toEqual([
      [0, 0.9],
      [1, 0.7],
      [2, 0.5],
    ]);
    expect(context.logged).toHaveLength(2);
    // A bare number after the last loss line is no result: the report before it came after the result.
    reported.length = 0;
    const trailing = printing(['{"step": 0, "value": 0.9}', '{"loss": 0.9}', '{"step": 1, "value": 0.7}', '0.7']);
    expect(await run(trailing, 3)).toMatchObject({ status: 'ok', loss: 0.9 });
    expect(reported).toEqual([[0, 0.9]]);
    expect(context.logged).toHaveLength(3);
    expect(context.logged[2]).toMatch(
      /^warn: trial #3: the program printed the bare number `0\.7` after its \{"loss": \.\.\.\} line; `0\.7` was ignored/,
    );
  });

  it('says once per run when reports are printed as Python dicts or written on stderr, which are not read (trial 49)', async () => {
    const { context, run } = await programRunner();
    const dict = `console.log("{'step': 0, 'value': 100.0}"); console.log("{'step': 1, 'value': 90.0}"); console.log(0.5)`;
    expect(await run(dict, 0)).toMatchObject({ status: 'ok', loss: 0.5 });
    expect(await run(dict, 1)).toMatchObject({ status: 'ok', loss: 0.5 });
    expect(context.logged).toEqual([
      `warn: trial #0: the line \`{'step': 0, 'value': 100.0}\` looks like a report but is not JSON (a Python dict printed as it is), so it is not read as one and no pruner sees it: print(json.dumps({"step": step, "value": value}), flush=True).`,
    ]);
    // Each mistake is said once, the one not hiding the other (review 51).
    expect(await run(`console.error('{"step": 0, "value": 3}'); console.log(0.5)`, 2)).toMatchObject({ status: 'ok' });
    expect(context.logged).toHaveLength(2);
    const other = await programRunner();
    expect(await other.run(`console.error('{"step": 0, "value": 3}'); console.log(0.5)`, 4)).toMatchObject({
      status: 'ok',
      loss: 0.5,
    });
    expect(other.context.logged).toEqual([
      `warn: trial #4: the program wrote the report \`{"step": 0, "value": 3}\` on stderr; reports are read from stdout only, so no pruner saw it (Python's logging writes to stderr: print the report instead).`,
    ]);
  });

  it('warns of buffered reports however long each report takes to store (trial 43: a disk store hid it)', async () => {
    const context = testPluginContext({ baseDir: dir, study: 's' });
    const atEnd = `setTimeout(() => process.stdout.write('{"step":0,"value":1}\\n{"step":1,"value":0.5}\\n{"loss":0.5}\\n'), 1100)`;
    const adapter = await commandObjectiveManifest.create(options([process.execPath, '-e', '{program}']), context);
    const evaluate = (trialNumber: number) =>
      adapter.evaluate({ program: atEnd } as never, {
        trialNumber,
        seed: 1,
        signal: new AbortController().signal,
        // A slow durable store: each report is stored, 200 ms, before the next line is handled. The reports came
        // as the program exited, however long they then took to store (a loaded machine stores slowly too).
        report: () => new Promise((resolve) => setTimeout(resolve, 200)),
        shouldPrune: () => false,
      });
    expect(await evaluate(4)).toMatchObject({ status: 'ok', loss: 0.5 });
    expect(await evaluate(5)).toMatchObject({ status: 'ok', loss: 0.5 });
    expect(context.logged).toHaveLength(1);
    expect(context.logged[0]).toMatch(
      /^warn: trial #5: its 2 reports all arrived as the program ended, after \d+\.\d s, as trial #4's did/,
    );
  });

  it("says once that a bare flag before another parameter's {x?} stays (review 40: a switch was dropped)", async () => {
    const context = testPluginContext({ baseDir: dir, study: 's' });
    createCommandObjective(options([process.execPath, '--verbose', '{ckpt?}', '--m', '{m?}']), context);
    expect(context.logged).toEqual([
      "warn: the command keeps `--verbose` when {ckpt?} is left out (the parameter is inactive): only a flag of the parameter's own name goes with it (`--ckpt`). If `--verbose` is that parameter's flag, write the two as one element, `--verbose={ckpt?}`.",
    ]);
  });

  // Trial 162: only a run said it; `parzen validate`, where a config is checked, did not (as it notes a lone `}}`).
  it("notes a bare flag before {C?} in a config's notes, at its element, and its objective does not warn again", async () => {
    const context = testPluginContext({ baseDir: dir, study: 's' });
    const c = { C: { type: 'uniform', low: 0, high: 1 } } as const;
    const space = compileSpace({
      m: { type: 'choice', options: ['a', 'b'] },
      model: { type: 'choice', options: [{ value: 'svm', space: c }, 'tree'] },
    });
    const command = options([process.execPath, '--mode', '{m?}', '--verbose', '{C?}']);
    // Not of {m?}: the space always has m (trial 43: it can't be left out).
    expect(commandObjectiveManifest.notes?.(command, {}, { space })).toEqual([
      {
        pointer: '/command/3',
        message: expect.stringMatching(/^the command keeps `--verbose` when \{C\?\} is left out/),
      },
    ]);
    await commandObjectiveManifest.create(command, { ...context, space });
    expect(context.logged).toEqual([]);
    // Made in code, the objective says it itself.
    createCommandObjective(command, { ...context, space });
    expect(context.logged).toEqual([
      expect.stringMatching(/^warn: the command keeps `--verbose` when \{C\?\} is left out/),
    ]);
  });

  it('keeps a {"loss": x} line, with its attrs, over a bare number printed after it, and says once which number was ignored', async () => {
    const context = testPluginContext({ baseDir: dir, study: 's' });
    const adapter = await commandObjectiveManifest.create(
      options(['sh', '-c', `echo '{"loss": 0.7, "acc": 0.9}'; echo 'Total epochs:'; echo 100`]),
      context,
    );
    const run = (trialNumber: number) =>
      adapter.evaluate(
        { x: 1 },
        {
          trialNumber,
          seed: 1,
          signal: new AbortController().signal,
          report: async () => {},
          shouldPrune: () => false,
        },
      );
    expect(await run(0)).toEqual({ status: 'ok', loss: 0.7, attrs: { acc: 0.9 } });
    expect(await run(1)).toEqual({ status: 'ok', loss: 0.7, attrs: { acc: 0.9 } });
    await adapter.close?.();
    expect(context.logged).toEqual([
      'warn: trial #0: the program printed the bare number `100` after its {"loss": ...} line; `100` was ignored, not taken as the loss: once a {"loss": ...} line is printed, that line is the result (a later {"loss": ...} line replaces it; a bare number is the loss only when no such line was printed). If `100` is the loss, print it as {"loss": 100} (said once per run).',
    ]);
  });

  it('says once when the output is not UTF-8 (Latin-1), and in the error when a UTF-16 output gave no loss (trial 183)', async () => {
    const context = testPluginContext({ baseDir: dir, study: 's' });
    // Latin-1 `ö` is the byte F6; a U+FFFD printed as UTF-8 is no decoding error.
    const latin1 =
      'process.stdout.write(Buffer.concat([Buffer.from(\'{"loss": 1, "note": "gr\'), Buffer.from([0xf6]), Buffer.from(\'\\uFFFD"}\\n\')]))';
    const adapter = await commandObjectiveManifest.create(options([process.execPath, '-e', latin1]), context);
    const run = (trialNumber: number) => trialOf(adapter, trialNumber);
    expect(await run(0)).toEqual({ status: 'ok', loss: 1, attrs: { note: 'gr\uFFFD\uFFFD' } });
    expect(await run(1)).toMatchObject({ status: 'ok' });
    await adapter.close?.();
    expect(context.logged).toEqual([
      "warn: trial #0: its output is not UTF-8 (bytes that are no UTF-8, such as Latin-1's or Windows-1252's ö and ß, were read as U+FFFD, �), and Parzen reads a program's output as UTF-8: print UTF-8 (in Python, set PYTHONIOENCODING=utf-8 in the objective's env, or call sys.stdout.reconfigure(encoding='utf-8') first); what it printed that is no UTF-8 is read as U+FFFD, in its attrs too (said once per run).",
    ]);
    // UTF-8 with a printed U+FFFD: nothing said.
    const quiet = testPluginContext({ baseDir: dir, study: 's' });
    const utf8 = await commandObjectiveManifest.create(
      options([process.execPath, '-e', 'console.log(JSON.stringify({ loss: 1, note: "gr\\u00f6\\uFFFD" }))']),
      quiet,
    );
    expect(await trialOf(utf8, 0)).toMatchObject({ status: 'ok' });
    await utf8.close?.();
    expect(quiet.logged).toEqual([]);
    const utf16 = await evaluate(
      options([process.execPath, '-e', "process.stdout.write(Buffer.from('{\"loss\": 0.5}\\n', 'utf16le'))"]),
    );
    expect(utf16.status === 'failed' && utf16.error.message).toMatch(
      /its last line was `[^`]*`; its output is UTF-16, it seems \(every other byte is NUL\), and Parzen reads a program's output as UTF-8: print UTF-8 \(in Python, set PYTHONIOENCODING=utf-8/,
    );
  });

  it('quotes the ignored bare number as printed, and gives no JSON advice for one JSON has not (nan)', async () => {
    const said = async (printed: string) => {
      const context = testPluginContext({ baseDir: dir, study: 's' });
      const adapter = await commandObjectiveManifest.create(
        options(['sh', '-c', `echo '{"loss": 0.7}'; echo '${printed}'`]),
        context,
      );
      const trial = { trialNumber: 0, seed: 1, signal: new AbortController().signal };
      await adapter.evaluate({ x: 1 }, { ...trial, report: async () => {}, shouldPrune: () => false });
      await adapter.close?.();
      return context.logged.join('\n');
    };
    expect(await said('100.0')).toContain(
      'printed the bare number `100.0` after its {"loss": ...} line; `100.0` was ignored, not taken as the loss: ',
    );
    expect(await said('100.0')).toContain('If `100.0` is the loss, print it as {"loss": 100.0} (said once per run).');
    const nan = await said('nan');
    expect(nan).toContain('the bare number `nan` after');
    expect(nan).toContain(
      'Were `nan` the loss, the trial would fail: a loss must be a finite number (said once per run).',
    );
    expect(nan).not.toContain('NaN');
  });

  it('refuses to start when the program is not found, saying where it looked', () => {
    const create = () =>
      commandObjectiveManifest.create(
        options(['no-such-program-xyz']),
        testPluginContext({ baseDir: dir, study: 's' }),
      );
    expect(create).toThrow(/`no-such-program-xyz` is not on PATH \(searched /);
    const relative = () =>
      commandObjectiveManifest.create(options(['./missing.sh']), testPluginContext({ baseDir: dir, study: 's' }));
    expect(relative).toThrow(`no executable file at ${join(dir, 'missing.sh')} (relative to the command's cwd`);
    const absolute = () =>
      commandObjectiveManifest.create(
        options([join(dir, 'missing.sh')]),
        testPluginContext({ baseDir: dir, study: 's' }),
      );
    expect(absolute).toThrow(new RegExp(`no executable file at ${join(dir, 'missing.sh')}$`));
  });

  it.skipIf(process.platform === 'win32')(
    "looks a program up as spawn does without a PATH (the default path) or with an empty one (the command's folder), and says which",
    async () => {
      const create =
        (command: string[], env: Record<string, string> = {}) =>
        () =>
          commandObjectiveManifest.create(
            options(command, { env, inheritEnv: false }),
            testPluginContext({ baseDir: dir, study: 's' }),
          );
      // No PATH (inheritEnv false, as `env -u PATH parzen run`): spawn finds sh on the default path, and so does the check.
      expect(create(['sh', '-c', 'echo 0.5'])).not.toThrow();
      expect(await evaluate(options(['sh', '-c', 'echo 0.5'], { inheritEnv: false }))).toMatchObject({ loss: 0.5 });
      expect(create(['no-such-program-xyz'])).toThrow(
        `\`no-such-program-xyz\` is not on the default search path ${defaultSearchPath()} (PATH is not set, so a program is looked for there, as spawn and execvp do)`,
      );
      // PATH "": spawn looks in the command's folder alone.
      writeFileSync(join(dir, 'here-tool'), '#!/bin/sh\necho 0.25\n', { mode: 0o755 });
      expect(create(['here-tool'], { PATH: '' })).not.toThrow();
      expect(await evaluate(options(['here-tool'], { env: { PATH: '' }, inheritEnv: false }))).toMatchObject({
        loss: 0.25,
      });
      expect(create(['sh', '-c', 'echo 1'], { PATH: '' })).toThrow(
        `\`sh\` is not in the command's folder ${dir} (PATH is empty, so a program is looked for there alone, as spawn and execvp do)`,
      );
      expect(spawnSync('sh', ['-c', 'true'], { cwd: dir, env: { PATH: '' } }).error).toMatchObject({ code: 'ENOENT' });
      // An empty entry of a PATH is the command's folder too.
      expect(create(['here-tool'], { PATH: '/nowhere:' })).not.toThrow();
    },
  );

  it('knows the default search path of each C library and system', () => {
    expect(defaultSearchPath('linux', () => true)).toBe('/bin:/usr/bin');
    expect(defaultSearchPath('linux', () => false)).toBe('/usr/local/bin:/bin:/usr/bin');
    expect(defaultSearchPath('darwin')).toBe('/usr/bin:/bin');
  });

  it('checks the program that env runs before the first trial (trial 40: exit 127 at every trial)', () => {
    const create = (command: string[]) => () =>
      commandObjectiveManifest.create(options(command), testPluginContext({ baseDir: dir, study: 's' }));
    expect(create(['/usr/bin/env', 'A=1', 'python9.99', 'train.py'])).toThrow(
      /\/command\/2: expected a program that env can run, found `python9\.99` is not on PATH/,
    );
    // What env is given after an option of its own is not checked (-u takes a name, -S a whole command).
    expect(create(['env', '-u', 'HOME', process.execPath, '-e', '1'])).not.toThrow();
    expect(create(['env', 'A=1', 'node', '-e', 'console.log(1)'])).not.toThrow();
    // On the PATH env sets, when it sets one (review 41).
    const folder = dirname(process.execPath);
    expect(create(['env', `PATH=${folder}`, basename(process.execPath), '-e', '1'])).not.toThrow();
    expect(create(['env', 'PATH=/nowhere', basename(process.execPath), '-e', '1'])).toThrow(/searched \/nowhere/);
    // A relative entry is the command's folder's (the config's here), not the one parzen started in.
    expect(create(['env', 'PATH=bin', 'tool', '-e', '1'])).toThrow(`searched ${join(dir, 'bin')})`);
    // The program itself on a relative PATH of the objective's env: the command's folder's too (review 43).
    const relative = () =>
      commandObjectiveManifest.create(
        options(['tool'], { env: { PATH: 'bin' }, inheritEnv: false }),
        testPluginContext({ baseDir: dir, study: 's' }),
      );
    expect(relative).toThrow(`searched ${join(dir, 'bin')})`);
  });

  it.skipIf(process.platform === 'win32')('says how to run a script without its executable bit (trial 40)', () => {
    writeFileSync(join(dir, 'noexec.py'), 'print(1)\n', { mode: 0o644 });
    const create = () =>
      commandObjectiveManifest.create(options(['./noexec.py']), testPluginContext({ baseDir: dir, study: 's' }));
    expect(create).toThrow(
      `a file that may not be executed at ${join(dir, 'noexec.py')} (relative to the command's cwd ${dir}): make it executable (chmod +x ${join(dir, 'noexec.py')}), or name its interpreter first ("python3", "./noexec.py")`,
    );
    // Its #! line names the interpreter; a path with a space is quoted (review 40).
    writeFileSync(join(dir, 'run it'), '#!/bin/sh\necho 1\n', { mode: 0o644 });
    const shell = () =>
      commandObjectiveManifest.create(options(['./run it']), testPluginContext({ baseDir: dir, study: 's' }));
    expect(shell).toThrow(`(chmod +x '${join(dir, 'run it')}'), or name its interpreter first ("/bin/sh", "./run it")`);
    writeFileSync(join(dir, 'split.py'), '#!/usr/bin/env -S PYTHONUNBUFFERED=1 python3 -u\nprint(1)\n', {
      mode: 0o644,
    });
    const split = () =>
      commandObjectiveManifest.create(options(['./split.py']), testPluginContext({ baseDir: dir, study: 's' }));
    expect(split).toThrow('or name its interpreter first ("python3", "./split.py")');
  });

  it.skipIf(process.platform === 'win32')(
    'refuses a script whose #! line cannot run: CRLF line endings, a missing interpreter, one missing on PATH through env',
    () => {
      const script = (name: string, text: string) => {
        writeFileSync(join(dir, name), text, { mode: 0o755 });
        return () =>
          commandObjectiveManifest.create(options([`./${name}`]), testPluginContext({ baseDir: dir, study: 's' }));
      };
      // Each failed every trial with `spawn ./x ENOENT`, for a script that exists.
      expect(script('crlf.sh', '#!/bin/sh\r\necho 1\r\n')).toThrow(/has Windows line endings \(CRLF\)/);
      expect(script('py9.sh', '#!/usr/bin/python9\nprint(1)\n')).toThrow(
        /the interpreter `\/usr\/bin\/python9` on the #! line of .* does not exist/,
      );
      expect(script('env9.sh', '#!/usr/bin/env python9\nprint(1)\n')).toThrow(
        /runs `python9` through env, and `python9` is not on PATH/,
      );
      expect(script('fine.sh', '#!/bin/sh\necho 1\n')).not.toThrow();
      // With no PATH at all (inheritEnv false), env searches the system's default path, and so does the check.
      writeFileSync(join(dir, 'env-sh.sh'), '#!/usr/bin/env sh\necho 1\n', { mode: 0o755 });
      expect(() =>
        commandObjectiveManifest.create(
          options(['./env-sh.sh'], { inheritEnv: false }),
          testPluginContext({ baseDir: dir, study: 's' }),
        ),
      ).not.toThrow();
    },
  );

  it('refuses a conditional parameter without ?, but not one under every option of its choice', () => {
    const create = (space: SpaceDefinition) => () =>
      commandObjectiveManifest.create(options([process.execPath, '-e', '0', '{C}']), {
        ...testPluginContext({ baseDir: dir, study: 's' }),
        space: compileSpace(space),
      });
    const c = { C: { type: 'uniform', low: 0, high: 1 } } as const;
    expect(create({ model: { type: 'choice', options: [{ value: 'svm', space: c }, 'tree'] } })).toThrow(
      'expected `{C?}`, which leaves the argument out when `C` is inactive (it is conditional: active only in some branches of `model`',
    );
    // Under both options of `model`: active in every trial.
    expect(
      create({
        model: {
          type: 'choice',
          options: [
            { value: 'svm', space: c },
            { value: 'lr', space: c },
          ],
        },
      }),
    ).not.toThrow();
    // Beside 13 boolean choices (8192 assignments, no longer enumerated): still conditional.
    const flags = Object.fromEntries(
      Array.from({ length: 13 }, (_, i) => [`b${i}`, { type: 'choice', options: [true, false] }] as const),
    );
    expect(
      create({ ...flags, model: { type: 'choice', options: [{ value: 'svm', space: c }, 'tree'] } } as SpaceDefinition),
    ).toThrow('it is conditional: active only in some branches of `model`');
  });

  it('refuses an element whose conditional placeholders are never active together (left out of every trial)', () => {
    const lr = (high: number) => ({ type: 'loguniform', low: 1e-5, high }) as const;
    const space = compileSpace({
      model: {
        type: 'choice',
        options: [
          'rf',
          {
            value: 'mlp',
            space: {
              hidden: { type: 'choice', options: [64, 128] },
              optimizer: {
                type: 'choice',
                options: [
                  { value: 'adam', space: { adam_lr: lr(0.1) } },
                  { value: 'sgd', space: { sgd_lr: lr(1) } },
                ],
              },
            },
          },
        ],
      },
    });
    const create = (command: string[], env?: Record<string, string>) => () =>
      commandObjectiveManifest.create(options([process.execPath, '-e', '0', ...command], env ? { env } : {}), {
        ...testPluginContext({ baseDir: dir, study: 's' }),
        space,
      });
    const refused = (command: string[], env?: Record<string, string>) => {
      try {
        create(command, env)();
      } catch (error) {
        return (error as { issues?: unknown }).issues;
      }
      return undefined;
    };
    expect(refused(['--lr={adam_lr?}{sgd_lr?}'])).toEqual([
      {
        pointer: '/command/3',
        expected:
          'placeholders that are active in the same trial: `adam_lr` and `sgd_lr` never are (they sit in different ' +
          'options of `optimizer`), so the argument is left out of every trial; write one element per parameter ' +
          '("--lr={adam_lr?}", "--lr={sgd_lr?}"): each trial gets the one of its branch',
        found: '"--lr={adam_lr?}{sgd_lr?}"',
      },
    ]);
    expect(refused([], { LR: '{sgd_lr?}{adam_lr?}' })).toEqual([
      expect.objectContaining({
        pointer: '/env/LR',
        expected: expect.stringContaining(
          'so the variable is left out of every trial; write one variable per parameter',
        ),
      }),
    ]);
    // Active together (both under model = "mlp", optimizer = "adam"), or one element each: accepted.
    expect(create(['--x={hidden?}:{adam_lr?}', '--lr={adam_lr?}', '--lr={sgd_lr?}'])).not.toThrow();
  });

  it("refuses to start when its working folder is missing (every trial would fail with the spawn's ENOENT)", () => {
    const create = (cwd: string) => () =>
      commandObjectiveManifest.create(
        options([process.execPath, '-e', '0'], { cwd }),
        testPluginContext({ baseDir: dir, study: 's' }),
      );
    expect(create('nodir')).toThrow(`/cwd: expected an existing folder, found nothing at ${join(dir, 'nodir')}`);
    writeFileSync(join(dir, 'a-file'), '');
    expect(create('a-file')).toThrow('found a file at');
    expect(create('.')).not.toThrow();
  });
});

/** Runs `trainer.mjs` (in `mode`) with a context that prunes at `pruneAt`; times the stop from the decision. */
const runTrainer = async (mode: string, pruneAt?: number, extra: Partial<CommandObjectiveOptions> = {}) => {
  const pidFile = join(dir, `${mode}.pid`);
  const fake = recorder(pruneAt);
  const started = Date.now();
  const result = await evaluate(
    options([process.execPath, 'trainer.mjs', pidFile, mode], extra),
    { x: 1 },
    undefined,
    fake.context,
  );
  const stopMs = Date.now() - (fake.prunedAtMs() ?? started);
  return { result, stopMs, pidFile, reports: fake.reports };
};

describe('command objective: reports and pruning', () => {
  it('passes 10,000 report lines to the context in order, one at a time, and still reads the final loss', async () => {
    const program = `for (let step = 0; step < 10000; step++) {
  console.log(JSON.stringify({ step, value: step / 10000 }));
  if (step % 1000 === 0) console.log('epoch ' + step + ' done {"step"');
}
console.log(JSON.stringify({ step: 10000, value: 1, loss: 0.25, epochs: 10000 }));
console.log('bye');`;
    const fake = recorder();
    const result = await evaluate(options([process.execPath, '-e', program]), { x: 1 }, undefined, fake.context);
    expect(result).toEqual({ status: 'ok', loss: 0.25, attrs: { step: 10000, value: 1, epochs: 10000 } });
    expect(fake.reports).toHaveLength(10000);
    expect(fake.reports.every(([step, value], index) => step === index && value === index / 10000)).toBe(true);
    expect(fake.maxInFlight()).toBe(1);
  });

  it('stops the process group with SIGTERM when shouldPrune turns true, grandchild included', async () => {
    const { result, stopMs, pidFile, reports } = await runTrainer('polite', 3);
    expect(result.status === 'failed' && result.error.code).toBe('PRUNED');
    expect(result.status === 'failed' && result.error.message).toMatch(
      /^The pruner stopped the trial at step 3 \(value 0\.25\): `.*trainer\.mjs .*` got SIGTERM on its process group and exited with code 0\.$/,
    );
    expect(details(result)).toMatchObject({ step: 3, value: 0.25, exitCode: 0, signal: null });
    expect(details(result).stderrTail).toMatch(/^got SIGTERM at step \d+\n$/);
    expect(reports.map(([step]) => step)).toEqual([0, 1, 2, 3]); // later lines are not reports any more
    expect(stopMs).toBeLessThan(2000); // well within the 5 s grace period
    await expectGone(pidFile);
  });

  it('keeps in the PRUNED details the attrs of a result line printed on SIGTERM, for the pruned trial (trial 59)', async () => {
    const { result, pidFile } = await runTrainer('checkpoint', 2);
    expect(result.status === 'failed' && result.error.code).toBe('PRUNED');
    expect(details(result)).toMatchObject({ step: 2, attrs: { checkpoint: expect.stringMatching(/^ckpt\/\d+\.pt$/) } });
    await expectGone(pidFile);
    // An attrs line of any shape (review 61: only a finite loss's line gave them).
    for (const mode of ['attrs-only', 'null-loss']) {
      const other = await runTrainer(mode, 1);
      expect(details(other.result), mode).toMatchObject({
        attrs: { checkpoint: expect.stringMatching(/^ckpt\/\d+\.pt$/) },
      });
    }
    // Attrs that are not JSON: refused, and said why (review 62: dropped without a word).
    const nan = await runTrainer('nan-attrs', 1);
    expect(details(nan.result)).not.toHaveProperty('attrs');
    expect(details(nan.result).attrsRefused).toMatch(/\/attrs\/f1 is NaN/);
    // A program that prints no result line: no attrs.
    const polite = await runTrainer('polite', 1);
    expect(details(polite.result)).not.toHaveProperty('attrs');
  });

  it('sends SIGKILL after the grace period to a program that ignores SIGTERM', async () => {
    const { result, stopMs, pidFile } = await runTrainer('stubborn', 1, { pruneGraceSeconds: 0.6 });
    expect(result.status === 'failed' && result.error.code).toBe('PRUNED');
    expect(result.status === 'failed' && result.error.message).toMatch(
      /got SIGTERM on its process group and was killed by SIGKILL after the 0\.6 s grace period\.$/,
    );
    expect(details(result)).toMatchObject({ step: 1, signal: 'SIGKILL' });
    expect(stopMs).toBeGreaterThanOrEqual(600);
    expect(stopMs).toBeLessThan(3000);
    await expectGone(pidFile);
  });

  it('fails the trial on a malformed report line, quoting it, and stops the program', async () => {
    const { result, stopMs, pidFile, reports } = await runTrainer('malformed');
    expect(result.status === 'failed' && result.error.code).toBe('COMMAND_BAD_REPORT');
    expect(result.status === 'failed' && result.error.message).toMatch(
      /printed a malformed report line `\{"step":-1,"value":1\}`: "step" must be a non-negative integer up to 2\^53 − 1 \(an epoch, an iteration\); found -1; its process group was stopped\.$/,
    );
    expect(details(result)).toMatchObject({ line: '{"step":-1,"value":1}', exitCode: 0 });
    expect(reports).toEqual([]);
    expect(stopMs).toBeLessThan(4000); // from the start: SIGTERM at the bad line, not a timeout
    await expectGone(pidFile);
  });

  it('keeps a long malformed report line cut as a loss line is (it was kept whole, up to a megabyte)', async () => {
    const long = `{"step":-1,"value":1,"note":"${'x'.repeat(3000)}"}`;
    const result = await evaluate(options([process.execPath, '-e', `console.log(${JSON.stringify(long)})`]));
    expect(result.status === 'failed' && result.error.code).toBe('COMMAND_BAD_REPORT');
    expect(details(result).line).toBe(`${long.slice(0, 1000)}… (${long.length - 1000} more characters cut)`);
  });

  /**
   * Runs `body` (after it writes its pid) as a one-trial study whose pruner always says stop, with a store
   * slower than the program's exit (a disk): the first report is stored once Parzen has reaped the program
   * (`kill(pid, 0)` fails), so the prune decision comes after its exit, every time.
   */
  const pruneAfterExit = async (name: string, body: string, storeDelayMs?: number) => {
    const pidFile = join(dir, `${name}.pid`);
    const program = `require('node:fs').writeFileSync(process.argv[1], String(process.pid));\n${body}`;
    const store = createMemoryStore();
    const reportIntermediate = store.reportIntermediate?.bind(store);
    const reaped = () => {
      try {
        process.kill(Number(readFileSync(pidFile, 'utf8')), 0);
        return false;
      } catch {
        return true;
      }
    };
    // With `storeDelayMs`, the first report is stored that long after it came instead (the program may live on).
    let delayed = false;
    store.reportIntermediate = async (...args) => {
      if (storeDelayMs === undefined) while (!reaped()) await new Promise((resolve) => setTimeout(resolve, 5));
      else if (!delayed) await new Promise((resolve) => setTimeout(resolve, storeDelayMs));
      delayed = true;
      await reportIntermediate?.(...args);
    };
    const prior: Suggester = {
      name: 'prior',
      beginTrial: (context) => ({ sampleParam: (param) => sampleDistribution(param.distribution, context.rng) }),
    };
    const definition = { x: { type: 'uniform', low: 0, high: 1 } } as const;
    const result = await runStudy({
      spec: { name, direction: 'minimize', seed: 1, space: definition },
      space: compileSpace(definition),
      store,
      suggester: prior,
      objective: createCommandObjective(options([process.execPath, '-e', program, pidFile], { stdin: 'none' }), {
        baseDir: dir,
        study: name,
      }),
      pruner: { name: 'always', shouldPrune: () => true },
      budget: { maxTrials: 1 },
    });
    return result.trials[0];
  };
  const twoReports = '{"step":0,"value":1}\\n{"step":1,"value":0.5}\\n';

  it('completes a trial whose reports all arrived as it exited, with its loss and every report (a prune after exit stops nothing)', async () => {
    // Python without flush: the reports and the loss all come at once, as the program ends.
    const trial = await pruneAfterExit('buffered', `process.stdout.write('${twoReports}{"loss":0.25}\\n');`);
    expect(trial).toMatchObject({
      state: 'complete',
      loss: 0.25,
      intermediate: [
        { step: 0, value: 1 },
        { step: 1, value: 0.5 },
      ],
    });
  });

  it('completes a program that closed its stdout after its loss, though it still runs: the prune stops nothing (review 45)', async () => {
    // Its reports and loss, then stdout closed; it lingers (teardown) and then leaves a mark it was not killed.
    const body = `const fs = require('node:fs');
fs.writeSync(1, '${twoReports}{"loss":0.25}\\n');
fs.closeSync(1);
setTimeout(() => fs.writeFileSync(process.argv[1] + '.done', 'ok'), 800);`;
    const trial = await pruneAfterExit('lingering', body, 300);
    expect(trial).toMatchObject({ state: 'complete', loss: 0.25 });
    expect(existsSync(join(dir, 'lingering.pid.done'))).toBe(true);
  });

  it('fails, not prunes, a program that failed on its own before a prune reached it (review 45)', async () => {
    const crashed = await pruneAfterExit(
      'crashed',
      `process.stdout.write('${twoReports}{"loss":0.25}\\n', () => process.exit(1));`,
    );
    expect(crashed).toMatchObject({ state: 'failed', error: { code: 'COMMAND_FAILED' } });
    const silent = await pruneAfterExit('silent', `process.stdout.write('${twoReports}done\\n');`);
    expect(silent).toMatchObject({ state: 'failed', error: { code: 'COMMAND_NO_LOSS' } });
  });

  it('fails the trial when the context refuses a report', async () => {
    const result = await evaluate(
      options([process.execPath, '-e', 'console.log(JSON.stringify({ step: 1, value: 2 })); console.log(7)']),
      { x: 1 },
      undefined,
      {
        report: async () => {
          throw new Error('the store is gone');
        },
      },
    );
    expect(result.status === 'failed' && result.error.code).toBe('REPORT_FAILED');
    expect(result.status === 'failed' && result.error.message).toMatch(/was not accepted: the store is gone/);
  });
});

describe('the command as messages show it', () => {
  it('is quoted so that a shell reads back the same argv (trial 40: spaces and quotes could not be pasted)', () => {
    const argv = ['python3', 'my scripts/train me.py', "it's", '--lr=1e-3', '', '$HOME', 'a"b', '-1.5e-7', 'größe'];
    expect(argv.map(shellQuoted).join(' ')).toBe(
      `python3 'my scripts/train me.py' 'it'\\''s' --lr=1e-3 '' '$HOME' 'a"b' -1.5e-7 'größe'`,
    );
    const echoed = execFileSync('sh', ['-c', `printf '%s\\n' ${argv.map(shellQuoted).join(' ')}`], {
      encoding: 'utf8',
    });
    expect(echoed.split('\n').slice(0, -1)).toEqual(argv);
  });
});

// Review 155: the README said Python's `logging`, like `print`, raises BrokenPipeError on a pipe nobody reads; it
// catches the error (handleError) and goes on.
describe('the README on a Python program whose stdout and stderr nobody reads', () => {
  it.runIf(hasPython)('print raises BrokenPipeError, logging does not: as the README says', () => {
    const program = [
      'import logging, sys, time',
      'time.sleep(0.3)',
      'said = []',
      'try:',
      '    print("saving", flush=True); said.append("print ok")',
      'except BrokenPipeError:',
      '    said.append("print raised")',
      'try:',
      '    logging.warning("saving"); said.append("logging ok")',
      'except BrokenPipeError:',
      '    said.append("logging raised")',
      'sys.exit(0 if said == ["print raised", "logging ok"] else 1)',
    ].join('\n');
    // Both pipes closed by their reader before the program writes.
    const ran = spawnSync('bash', ['-c', 'python3 -c "$0" 2>&1 | true; echo "$PIPESTATUS" >&2', program], {
      encoding: 'utf8',
    });
    expect(ran.stderr.trim()).toBe('0');
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8').replace(/\s+/g, ' ');
    expect(readme).toContain('in Python, `print` raises `BrokenPipeError`');
    expect(readme).toContain('`logging` catches it and goes on');
  });
});
