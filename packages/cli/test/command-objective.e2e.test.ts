import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { goneWithin, lastJsonLine, requireBuiltCli, runParzen, tempDir, writeIn } from './cli-harness.js';
import { cli } from './cli-in-process.js';

interface TrialJson {
  number: number;
  state: string;
  loss?: number;
  params: Record<string, number>;
  attrs?: Record<string, unknown>;
  error?: { code: string; message: string; details?: Record<string, unknown> };
}

const hasPython = (() => {
  try {
    execFileSync('python3', ['--version']);
    return true;
  } catch {
    return false;
  }
})();

let dir: string;
beforeAll(() => {
  requireBuiltCli();
  dir = tempDir('parzen-command-e2e-');
  writeIn(
    dir,
    'quadratic.mjs',
    `let input = '';
process.stdin.on('data', (chunk) => (input += chunk)).on('end', () => {
  const fromStdin = JSON.parse(input).x;
  const fromArgv = Number(process.argv[process.argv.indexOf('--x') + 1]);
  const fromEnv = Number(process.env.PARZEN_PARAM_X);
  if (fromStdin !== fromArgv || fromArgv !== fromEnv) { console.error('params disagree'); process.exit(9); }
  console.log('training with x =', fromArgv);
  console.log(JSON.stringify({ loss: (fromArgv - 1) ** 2, trial: Number(process.env.PARZEN_TRIAL) }));
});\n`,
  );
  writeIn(
    dir,
    'crash.mjs',
    "console.log('0.5');\nconsole.error('Traceback: something broke in layer 3');\nprocess.exit(3);\n",
  );
  writeIn(dir, 'garbage.mjs', "console.log('accuracy: high');\nconsole.log('{not json');\n");
  writeIn(
    dir,
    'hang.mjs',
    `import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
writeFileSync(\`pids/\${process.env.PARZEN_TRIAL}.pid\`, String(child.pid));
setInterval(() => {}, 1000);\n`,
  );
  execFileSync('mkdir', ['-p', join(dir, 'pids')]);
  writeIn(
    dir,
    'heart.py',
    'import argparse\np = argparse.ArgumentParser()\np.add_argument("--x", type=float)\np.add_argument("--y", type=float)\na = p.parse_args()\nprint("error:")\nprint(-((a.x**2 + a.y**2 - 1)**3 - a.x**2 * a.y**3))\n',
  );
});

const config = (name: string, objective: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  name,
  seed: 2,
  space: { x: { type: 'uniform', low: -2, high: 2 } },
  objective: { use: 'command', options: objective },
  suggester: { use: 'random' },
  store: { use: 'jsonl', options: { path: `./${name}.jsonl` } },
  budget: { maxTrials: 3 },
  ...extra,
});

const runAndList = async (
  name: string,
  objective: Record<string, unknown>,
  extra: Record<string, unknown> = {},
  spawned = false,
) => {
  const path = writeIn(dir, `${name}.json`, config(name, objective, extra));
  // The CLI runs in-process unless the test reads what a trial prints on stderr (the command's working
  // directory is the config's folder either way); the objectives are real child processes, which is what
  // this file tests.
  const run = spawned ? await runParzen(['run', path, '--json'], { cwd: dir }) : await cli('run', path, '--json');
  const trials = lastJsonLine((await cli('trials', path, '--json')).stdout) as TrialJson[];
  // A run in which every trial failed exits 1 (issue 9); otherwise 0.
  expect(run.code, run.stderr).toBe(trials.every((trial) => trial.state === 'failed') ? 1 : 0);
  return { run, trials };
};

describe.concurrent('the command objective with real child processes', () => {
  it('passes params on stdin, env and argv to a node script and reads its loss', async () => {
    const { trials } = await runAndList('node-ok', { command: ['node', 'quadratic.mjs', '--x', '{x}'] });
    expect(trials).toHaveLength(3);
    for (const trial of trials) {
      expect(trial.state).toBe('complete');
      expect(trial.loss).toBeCloseTo(((trial.params.x as number) - 1) ** 2, 12);
      expect(trial.attrs).toEqual({ trial: trial.number });
    }
  });

  it.runIf(hasPython)('tunes a python3 program that knows nothing of the tuner', async () => {
    const { trials } = await runAndList(
      'python-ok',
      { command: ['python3', 'heart.py', '--x', '{x}', '--y', '{y}'] },
      {
        space: { x: { type: 'uniform', low: -2, high: 2 }, y: { type: 'uniform', low: -2, high: 2 } },
      },
    );
    for (const { state, loss, params } of trials) {
      const { x, y } = params as { x: number; y: number };
      expect(state).toBe('complete');
      expect(loss).toBeCloseTo(-((x ** 2 + y ** 2 - 1) ** 3 - x ** 2 * y ** 3), 9);
    }
  });

  it('records a non-zero exit as a failed trial with the exit code and the tail of stderr', async () => {
    const { run, trials } = await runAndList('crash', { command: ['node', 'crash.mjs'] }, {}, true);
    expect(lastJsonLine(run.stdout)).toMatchObject({ trials: { complete: 0, failed: 3 }, best: null });
    expect(run.stderr).toMatch(/trial #0 failed \(COMMAND_FAILED\): `node crash.mjs` exited with code 3/);
    expect(trials[0]?.error).toMatchObject({
      code: 'COMMAND_FAILED',
      details: {
        exitCode: 3,
        signal: null,
        stderrTail: 'Traceback: something broke in layer 3\n',
        command: ['node', 'crash.mjs'],
      },
    });
  });

  it('records unreadable output as a failed trial', async () => {
    const { trials } = await runAndList('garbage', { command: ['node', 'garbage.mjs'] });
    expect(trials.map((trial) => trial.error?.code)).toEqual(['COMMAND_NO_LOSS', 'COMMAND_NO_LOSS', 'COMMAND_NO_LOSS']);
    expect(trials[0]?.error?.details?.stdoutTail).toBe('accuracy: high\n{not json\n');
  });

  it('kills the whole process group of a trial that runs past its timeout', async () => {
    const started = Date.now();
    const { trials } = await runAndList(
      'hang',
      { command: ['node', 'hang.mjs'], timeoutSeconds: 1.5 },
      { budget: { maxTrials: 2 } },
    );
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(trials.map((trial) => [trial.error?.code, trial.error?.details?.signal])).toEqual([
      ['TIMEOUT', 'SIGTERM'],
      ['TIMEOUT', 'SIGTERM'],
    ]);
    const pids = readdirSync(join(dir, 'pids')).map((file) => Number(readFileSync(join(dir, 'pids', file), 'utf8')));
    expect(pids).toHaveLength(2);
    expect(await goneWithin(pids)).toEqual([]);
  });
});
