import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  cliPath,
  heartConfig,
  journalHeartConfig,
  requireBuiltCli,
  runParzen,
  signalOnceHeard,
  tempDir,
  writeIn,
} from './cli-harness.js';

let dir: string;
beforeAll(() => {
  requireBuiltCli();
  dir = tempDir('parzen-defects-');
  writeIn(dir, 'package.json', { type: 'module' });
});

/** A TypeScript suggester plugin (type annotations, so only a TypeScript loader reads it) that always picks the middle. */
const middleSuggester = `const middle = (low: number, high: number): number => (low + high) / 2;
export const manifests = [{
  kind: 'suggester' as const,
  name: 'middle',
  optionsSchema: { type: 'object', additionalProperties: false, properties: { shift: { type: 'number', default: 0 } } },
  create: () => ({ name: 'middle', beginTrial: () => ({ sampleParam: () => middle(-1, 1) }) }),
}];\n`;

// Only the built CLI shows this: vitest's module runner imports `.ts` files by itself.
describe('schema with a TypeScript plugin (issue 9, defect 2)', () => {
  it('prints the schema of a config whose plugin is a .ts file, as run and validate accept it', async () => {
    writeIn(dir, 'middle.ts', middleSuggester);
    writeIn(dir, 'heart.mjs', 'export default ({ x, y }) => x + y;\n');
    const path = writeIn(
      dir,
      'ts-plugin.json',
      heartConfig({ plugins: ['./middle.ts'], suggester: { use: 'middle' } }),
    );
    const validate = await runParzen(['validate', path], { cwd: dir });
    expect(validate.code, validate.stderr).toBe(0);
    const schema = await runParzen(['schema', path], { cwd: dir });
    expect(schema.code, schema.stderr).toBe(0);
    expect(schema.stderr).not.toMatch(/Unknown file extension/);
    const parsed = JSON.parse(schema.stdout) as { properties: { suggester: { oneOf: { properties: object }[] } } };
    expect(JSON.stringify(parsed.properties.suggester)).toContain('"const":"middle"');
  });
});

describe('a .ts plugin in a folder whose package.json says "type": "commonjs" (npm init -y)', () => {
  it('loads and runs, as a .ts objective there does (was a "require() ES Module in a cycle" error)', async () => {
    const cjs = tempDir('parzen-cjs-plugin-');
    writeIn(cjs, 'package.json', { name: 'tuning', version: '1.0.0', type: 'commonjs' });
    writeIn(cjs, 'middle.ts', middleSuggester);
    writeIn(cjs, 'objective.ts', 'export default ({ x, y }: { x: number; y: number }) => x + y;\n');
    const path = writeIn(
      cjs,
      'middle.json',
      heartConfig({
        plugins: ['./middle.ts'],
        suggester: { use: 'middle' },
        objective: { use: 'module', options: { path: './objective.ts' } },
        budget: { maxTrials: 2 },
      }),
    );
    const run = await runParzen(['run', path, '--json'], { cwd: cjs });
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ trials: { complete: 2 }, best: { params: { x: 0, y: 0 } } });
  });
});

// Only a real process shows this: in a test runner something else keeps the event loop alive.
describe('an objective module that ends its thread or never finishes loading (user trial 26)', () => {
  it('is bad input (exit 2) with a message, not a silent exit 13', async () => {
    writeIn(dir, 'exits.mjs', 'process.exit(4);\nexport default () => 1;\n');
    writeIn(dir, 'hangs.mjs', 'await new Promise(() => {});\nexport default () => 1;\n');
    const exits = writeIn(
      dir,
      'exits.json',
      heartConfig({ objective: { use: 'module', options: { path: './exits.mjs' } } }),
    );
    const hangs = writeIn(
      dir,
      'hangs.json',
      heartConfig({ objective: { use: 'module', options: { path: './hangs.mjs' } } }),
    );
    const validate = await runParzen(['validate', exits], { cwd: dir });
    expect(validate.code).toBe(2);
    expect(validate.stderr).toContain(
      'ended its thread while loading (exit code 4: process.exit(4) at its top level?)',
    );
    const run = await runParzen(['run', hangs, '--json'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('"errors"');
    expect(run.stderr).toContain('never finished loading: a top-level await in it');
  });
});

describe('a command objective the system cannot start: too many open files (trial 53)', () => {
  it('fails those trials as COMMAND_NOT_STARTED with what to do, stops after 3 in a row, keeps the rest: no crash (exit 1)', async () => {
    const path = writeIn(
      dir,
      'fd.json',
      heartConfig({
        name: 'fd',
        objective: { use: 'command', options: { command: ['sh', '-c', 'sleep 1; echo 1'] } },
        store: { use: 'jsonl', options: { path: './fd.jsonl' } },
        budget: { maxTrials: 150 },
        concurrency: 120,
        reporters: [],
      }),
    );
    // Process behaviour is the point: a soft limit of 300 open files, which 120 programs' pipes exceed.
    const { spawn } = await import('node:child_process');
    const run = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(
        'sh',
        ['-c', `ulimit -n 300 && exec "${process.execPath}" "${cliPath}" run "${path}" --json`],
        {
          cwd: dir,
          stdio: ['ignore', 'ignore', 'pipe'],
        },
      );
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk;
      });
      const deadline = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`parzen run did not finish: ${stderr}`));
      }, 60_000);
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(deadline);
        resolve({ code, stderr });
      });
    });
    expect(run.stderr).not.toMatch(/Unhandled 'error' event|setEncoding|\n\s+at /);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(
      /stopped \(3 trials in a row could not start the objective, the last #\d+: COMMAND_NOT_STARTED .* could not start: spawn sh EMFILE \(the system ran out of open files: lower the config's concurrency, or raise the limit, ulimit -n\)/,
    );
    const trials = await runParzen(['trials', path, '--json'], { cwd: dir });
    const states = (JSON.parse(trials.stdout) as { state: string; error?: { code: string } }[]).map((trial) =>
      trial.state === 'failed' ? trial.error?.code : trial.state,
    );
    // Every trial started ended: nothing left running by a crash. Known gap (seen once in seven full suites, a
    // clean-clone CI run among them): with the file table full, a started program's output can be lost, and its
    // trial ends COMMAND_NO_LOSS, blamed on the program; said in the stop's note, tolerated here so CI is not
    // left to chance, and nothing else is.
    expect(states.length).toBeLessThan(150);
    expect(states.filter((state) => state === 'COMMAND_NOT_STARTED').length).toBeGreaterThanOrEqual(3);
    expect(
      states.filter((state) => state !== 'complete' && state !== 'COMMAND_NOT_STARTED' && state !== 'COMMAND_NO_LOSS'),
    ).toEqual([]);
  });
});

// A pipe is what is being read: `zcat trials.jsonl.gz | parzen import config.json -` (was: "Cannot read -").
describe('import - (standard input)', () => {
  const piped = (args: readonly string[], input: string) =>
    runParzen(args, {
      cwd: dir,
      onStart: (child) => {
        child.stdin?.end(input);
      },
    });

  it('reads JSON lines or a CSV from standard input, and names it so in messages', async () => {
    writeIn(dir, 'heart.mjs', 'export default ({ x, y }) => x + y;\n');
    const config = journalHeartConfig(dir, 'stdin-import');
    const jsonl = await piped(
      ['import', config, '-'],
      '{"params": {"x": 0.5, "y": -1}, "loss": -0.5}\n{"params": {"x": 1, "y": 1}, "loss": 2}\n',
    );
    expect(jsonl.code, jsonl.stderr).toBe(0);
    // A shell pipe whose writer is not ready at once (review 60: `zcat ... |` failed with EAGAIN).
    writeIn(
      dir,
      'later.jsonl',
      '{"params": {"x": 0.25, "y": 0.5}, "loss": 0.75}\n{"params": {"x": 0.5, "y": 0.5}, "loss": 1}\n',
    );
    const slow = spawnSync(
      'sh',
      ['-c', `(sleep 0.4; cat later.jsonl) | "${process.execPath}" "${cliPath}" import "${config}" - --json`],
      { cwd: dir, encoding: 'utf8', timeout: 30_000 },
    );
    expect(slow.status, slow.stderr).toBe(0);
    expect((JSON.parse(slow.stdout) as { imported: number[] }).imported).toHaveLength(2);
    const csv = await piped(['import', config, '-'], 'x,y,loss\n-1.5,0.25,-1.25\n');
    expect(csv.code, csv.stderr).toBe(0);
    const listed = await runParzen(['trials', config, '--json'], { cwd: dir });
    expect(listed.code, listed.stderr).toBe(0);
    const losses = (JSON.parse(listed.stdout) as { loss: number }[]).map((trial) => trial.loss);
    expect(losses.sort((a, b) => a - b)).toEqual([-1.25, -0.5, 0.75, 1, 2]);
    const bad = await piped(['import', config, '-'], '{"params": {"x": 9, "y": 0}, "loss": 1}\n');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^parzen: standard input: 1 of 1 line cannot be imported/m);
    const array = await piped(['import', config, '-'], '[{"params": {"x": 0.5, "y": -1}, "loss": -0.5}]\n');
    expect(array.code).toBe(2);
    expect(array.stderr).toMatch(/standard input is a JSON array; import reads JSON lines/);
    const empty = await piped(['import', config, '-'], '');
    expect(empty.code, empty.stderr).toBe(0);
    expect(empty.stderr).toMatch(/standard input is empty/);
  });

  it('hears Ctrl-C while standard input has not ended: nothing imported, ends by SIGINT ($? 130; review 61)', async () => {
    const config = journalHeartConfig(dir, 'stdin-interrupted');
    const started = Date.now();
    const run = await runParzen(['import', config, '-'], {
      cwd: dir,
      onStart: (child) => {
        child.stdin?.write('{"params": {"x": 0.25, "y": 0.5}, "loss": 0.75}\n');
        signalOnceHeard(child, 'SIGINT', 500);
      },
    });
    expect(run.signal, run.stderr).toBe('SIGINT');
    expect(run.stderr).toMatch(/interrupted \(SIGINT\): nothing was imported/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('a read command hears Ctrl-C: said, with --json as an error line, ends by SIGINT ($? 130; trial 68: silent)', async () => {
    // validate starts the objective: a module that takes its time to load keeps the command busy.
    writeIn(dir, 'slow-load.mjs', 'await new Promise((r) => setTimeout(r, 5000));\nexport default ({ x }) => x;\n');
    const config = writeIn(
      dir,
      'slow-load.json',
      heartConfig({ name: 'slow-load', objective: { use: 'module', options: { path: './slow-load.mjs' } } }),
    );
    const run = await runParzen(['validate', config, '--json'], {
      cwd: dir,
      onStart: (child) => signalOnceHeard(child, 'SIGINT', 700),
    });
    expect(run.signal, run.stderr).toBe('SIGINT');
    expect(run.stderr).toContain('parzen: interrupted (SIGINT): validate stopped');
    // The one line, without an empty line before it (review 73).
    expect(run.stdout.split('\n')).toHaveLength(2);
    expect(JSON.parse(run.stdout.split('\n')[0] as string)).toMatchObject({
      errors: [{ code: 'INTERRUPTED' }],
    });
  });

  it('refuses a config read from standard input too', async () => {
    const config = JSON.stringify(heartConfig({ store: { use: 'jsonl', options: { path: 'x.jsonl' } } }));
    const run = await piped(['import', '/dev/stdin', '-'], config);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/both standard input/);
  });
});
