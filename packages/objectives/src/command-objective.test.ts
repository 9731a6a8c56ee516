import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EvaluationResult } from '@parzen/engine/plugin';
import { testPluginContext } from '@parzen/engine/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CommandObjectiveOptions, commandObjectiveManifest, createCommandObjective } from './command-objective.js';

let dir: string;
const options = (command: string[], extra: Partial<CommandObjectiveOptions> = {}): CommandObjectiveOptions => ({
  command,
  cwd: '.',
  env: {},
  inheritEnv: true,
  stdin: 'json',
  stderrTailChars: 4000,
  ...extra,
});
const evaluate = (
  opts: CommandObjectiveOptions,
  params: Record<string, number | string> = { x: 2 },
  signal = new AbortController().signal,
) =>
  createCommandObjective(opts, { baseDir: dir, study: 'unit' }).evaluate(params, {
    trialNumber: 3,
    signal,
    report: async () => {},
    shouldPrune: () => false,
  });
const details = (result: EvaluationResult) => (result.status === 'failed' ? (result.error.details ?? {}) : {});
/** Alive and not a zombie (a killed orphan may wait for a reaper that never comes in a container). */
const isAlive = (pid: number) => {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
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
  console.log(JSON.stringify({ loss: stdin.x * 10, argv: process.argv.slice(2), env: [process.env.PARZEN_PARAM_X, process.env.PARZEN_TRIAL, process.env.PARZEN_STUDY, process.env.PARZEN_PARAMS, process.env.EXTRA], cwd: process.cwd() }));
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
  writeFileSync(
    join(dir, 'heart.py'),
    'import sys\nx = float(sys.argv[1])\nprint("training...")\nprint(-((x**2 - 1)**3))\n',
  );
});

describe('command objective', () => {
  it('passes params on stdin, in env and argv, and reads the last loss line', async () => {
    const result = await evaluate(
      options([process.execPath, 'echo.mjs', '--x', '{x}', '{trial}'], { env: { EXTRA: 'e' } }),
    );
    expect(result.status).toBe('ok');
    if (result.status !== 'ok') return;
    expect(result.value).toBe(20);
    expect(result.attributes).toEqual({ argv: ['--x', '2', '3'], env: ['2', '3', 'unit', '{"x":2}', 'e'], cwd: dir });
  });

  it.runIf(hasPython)('runs a python3 program and reads a bare number', async () => {
    const result = await evaluate(options(['python3', 'heart.py', '{x}']));
    expect(result).toEqual({ status: 'ok', value: -27 });
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
  });

  it('fails garbage output, keeping the end of stdout', async () => {
    const result = await evaluate(options([process.execPath, '-e', 'console.log("all good, loss is low")']));
    expect(result.status === 'failed' && result.error.code).toBe('COMMAND_NO_LOSS');
    expect(details(result)).toMatchObject({ exitCode: 0, stdoutTail: 'all good, loss is low\n' });
  });

  it('fails a NaN loss as NaN, keeping the details', async () => {
    const result = await evaluate(options([process.execPath, '-e', 'console.log("nan")']));
    expect(result.status === 'failed' && result.error.code).toBe('OBJECTIVE_NAN');
    expect(details(result)).toMatchObject({ exitCode: 0 });
  });

  it('kills the whole process group on timeout', async () => {
    const pidFile = join(dir, 'timeout.pid');
    const started = Date.now();
    const result = await evaluate(options([process.execPath, 'spawner.mjs', pidFile], { timeoutSeconds: 1.5 }));
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result.status === 'failed' && result.error.code).toBe('TIMEOUT');
    expect(details(result)).toMatchObject({ signal: 'SIGKILL' });
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(isAlive(grandchild)).toBe(false);
  });

  it('kills the process group when the evaluation is aborted', async () => {
    const pidFile = join(dir, 'abort.pid');
    const controller = new AbortController();
    const poll = setInterval(() => {
      if (existsSync(pidFile)) {
        clearInterval(poll);
        controller.abort();
      }
    }, 50);
    const result = await evaluate(options([process.execPath, 'spawner.mjs', pidFile]), { x: 1 }, controller.signal);
    expect(result.status === 'failed' && result.error.code).toBe('INTERRUPTED');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(isAlive(Number(readFileSync(pidFile, 'utf8')))).toBe(false);
  });

  it('fails a trial whose program cannot start (a templated program name)', async () => {
    const result = await evaluate(options(['{tool}']), { tool: 'no-such-program-xyz' });
    expect(result.status === 'failed' && result.error.code).toBe('COMMAND_NOT_STARTED');
    expect(result.status === 'failed' && result.error.message).toMatch(/ENOENT/);
  });

  it('fails a trial whose template names an unknown parameter', async () => {
    const result = await evaluate(options([process.execPath, '{nope}']));
    expect(result.status === 'failed' && result.error.code).toBe('COMMAND_TEMPLATE');
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
    expect(relative).toThrow(`no executable file at ${join(dir, 'missing.sh')}`);
  });
});
