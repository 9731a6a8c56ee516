import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EvaluationContext } from '@parzen/engine/plugin';
import { testPluginContext } from '@parzen/engine/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CommandObjectiveOptions, commandObjectiveManifest, createCommandObjective } from './command-objective.js';

// The `command` objective's `logFile`: each trial's whole output kept in a file as it is printed (the trial
// itself keeps only the tails of its output).

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'parzen-log-file-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const options = (script: string, logFile?: string): CommandObjectiveOptions => ({
  command: [process.execPath, '-e', script],
  cwd: '.',
  env: {},
  inheritEnv: true,
  stdin: 'none',
  stderrTailChars: 10,
  pruneGraceSeconds: 5,
  ...(logFile === undefined ? {} : { logFile }),
});

const evaluation = (trialNumber: number): EvaluationContext => ({
  trialNumber,
  seed: 77,
  signal: new AbortController().signal,
  report: async () => {},
  shouldPrune: () => false,
});

// Prints to both streams, more than the kept tails hold, and its loss last.
const CHATTY = `
for (let i = 0; i < 3; i++) { console.log('epoch ' + i); console.error('warning ' + i); }
console.error('x'.repeat(5000));
console.log(0.25);
`;

describe('command objective logFile', () => {
  it("appends each trial's stdout and stderr, whole, between a line that opens the trial and one that closes it", async () => {
    const adapter = createCommandObjective(options(CHATTY, 'logs/{study}/trial-{trial}-{seed}.log'), {
      baseDir: dir,
      study: 'demo',
    });
    const result = await adapter.evaluate({}, evaluation(4));
    expect(result).toEqual({ status: 'ok', loss: 0.25 });
    const path = join(dir, 'logs', 'demo', 'trial-4-77.log');
    const lines = readFileSync(path, 'utf8').split('\n');
    expect(lines[0]).toMatch(/^\[parzen\] trial #4 of study "demo", started \d{4}-\d\d-\d\dT.*Z: .*node.* -e /);
    for (let i = 0; i < 3; i++) {
      expect(lines).toContain(`epoch ${i}`);
      expect(lines).toContain(`warning ${i}`);
    }
    expect(lines).toContain('x'.repeat(5000));
    expect(lines).toContain('0.25');
    // Each stream's own lines in the order printed (the two pipes are read as they come, so not merged in order).
    const stdoutLines = lines.filter((line) => /^(epoch|0\.25)/.test(line));
    expect(stdoutLines).toEqual(['epoch 0', 'epoch 1', 'epoch 2', '0.25']);
    expect(lines.at(-2)).toMatch(/^\[parzen\] trial #4: the program exited with code 0 after \d+\.\d s$/);
    expect(lines.at(-1)).toBe('');
    // The same trial number run again (a study started again with a new store), the file grows: the first run's output is kept.
    await adapter.evaluate({}, evaluation(4));
    const again = readFileSync(path, 'utf8');
    expect(again.match(/^\[parzen\] trial #4 of study/gm)).toHaveLength(2);
    expect(again.startsWith(lines.join('\n'))).toBe(true);
  });

  it('names the log in a failed trial, and closes a line the program left open', async () => {
    const adapter = createCommandObjective(
      options("process.stdout.write('half a line'); process.exit(3)", 'trial-{trial}.log'),
      { baseDir: dir, study: 's' },
    );
    const result = await adapter.evaluate({}, evaluation(9));
    const path = join(dir, 'trial-9.log');
    expect(result).toMatchObject({
      status: 'failed',
      error: { code: 'COMMAND_FAILED', details: { exitCode: 3, logFile: path } },
    });
    expect(readFileSync(path, 'utf8')).toMatch(
      /\nhalf a line\n\[parzen\] trial #9: the program exited with code 3 after \d+\.\d s\n$/,
    );
  });

  it('writes nothing and names no file without logFile', async () => {
    const result = await createCommandObjective(options('process.exit(2)'), { baseDir: dir, study: 's' }).evaluate(
      {},
      evaluation(1),
    );
    expect(result.status === 'failed' && result.error.details?.logFile).toBeUndefined();
  });

  it('refuses a parameter or unknown placeholder in logFile before any trial, with its pointer', () => {
    const create = (logFile: string) => () =>
      createCommandObjective(options('console.log(1)', logFile), { baseDir: dir, study: 's' });
    expect(create('logs/{lr}.log')).toThrow(
      /\/logFile: expected a path whose placeholders are \{trial\}, \{seed\} or \{study\}.*found `\{lr\}` in "logs\/\{lr\}.log"/s,
    );
    expect(create('logs/{trial}-{{x}}.log')).not.toThrow();
    // Review 151: a placeholder left open, and a folder meant, were taken as file names.
    expect(create('logs/{trial.log')).toThrow(
      /\/logFile: expected a path whose braces are placeholders, \{trial\}, \{seed\} or \{study\} .*found a lone `\{` in "logs\/\{trial.log"/s,
    );
    expect(create('logs/')).toThrow(
      /\/logFile: expected the path of a file .*found "logs\/", a folder: add a file name, such as "logs\/trial-\{trial\}.log"/s,
    );
  });

  it('keeps the trial when its log cannot be written, and says so once per run', async () => {
    // A file where the log's folder would be.
    writeFileSync(join(dir, 'blocked'), '');
    const context = testPluginContext({ baseDir: dir, study: 's' });
    const adapter = await commandObjectiveManifest.create(
      options('console.log(0.5)', 'blocked/trial-{trial}.log'),
      context,
    );
    expect(await adapter.evaluate({}, evaluation(1))).toEqual({ status: 'ok', loss: 0.5 });
    expect(await adapter.evaluate({}, evaluation(2))).toEqual({ status: 'ok', loss: 0.5 });
    expect(context.logged).toHaveLength(1);
    expect(context.logged[0]).toBe(
      `warn: trial #1: its output is not logged (logFile): could not open ${join(dir, 'blocked', 'trial-1.log')}: EEXIST: file already exists, mkdir '${join(dir, 'blocked')}'. The trials go on; their results are stored as before (said once per run).`,
    );
  });

  // Review 151: the log got the output decoded as UTF-8 (other bytes as U+FFFD), and pieces of lines of two
  // streams, or of two trials sharing the file, ran into one another.
  it('keeps the bytes as the program wrote them, UTF-8 or not', async () => {
    const adapter = createCommandObjective(
      options(
        'process.stdout.write(Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0xff, 0xfe, 0x0a])); console.log(1)',
        'bytes-{trial}.log',
      ),
      { baseDir: dir, study: 's' },
    );
    expect(await adapter.evaluate({}, evaluation(1))).toEqual({ status: 'ok', loss: 1 });
    const bytes = readFileSync(join(dir, 'bytes-1.log'));
    expect(bytes.includes(Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0xff, 0xfe, 0x0a]))).toBe(true);
  });

  it("writes each stream's lines whole, a line left open ended at the trial's end", async () => {
    const script =
      "process.stderr.write('err starts '); process.stdout.write('out starts '); setTimeout(() => { process.stdout.write('out ends\\n'); process.stderr.write('err never ends'); console.log(0.5); }, 50);";
    const adapter = createCommandObjective(options(script, 'lines-{trial}.log'), { baseDir: dir, study: 's' });
    expect(await adapter.evaluate({}, evaluation(1))).toEqual({ status: 'ok', loss: 0.5 });
    const lines = readFileSync(join(dir, 'lines-1.log'), 'utf8').split('\n');
    expect(lines.slice(1, -2).sort()).toEqual(['0.5', 'err starts err never ends', 'out starts out ends']);
  });

  it('marks each line with its trial in a file the trials share (no {trial} in its path)', async () => {
    const script = (name: string, wait: number) =>
      `process.stdout.write('${name} half '); setTimeout(() => { console.log('${name} rest'); console.log(0.5); }, ${wait});`;
    const two = createCommandObjective(options(script('B', 10), 'shared/all.log'), { baseDir: dir, study: 's' });
    const one = createCommandObjective(options(script('A', 150), 'shared/all.log'), { baseDir: dir, study: 's' });
    await Promise.all([one.evaluate({}, evaluation(1)), two.evaluate({}, evaluation(2))]);
    const lines = readFileSync(join(dir, 'shared', 'all.log'), 'utf8')
      .trimEnd()
      .split('\n');
    const output = lines.filter((line) => !line.startsWith('[parzen]'));
    expect(output.sort()).toEqual([
      '[trial #1] 0.5',
      '[trial #1] A half A rest',
      '[trial #2] 0.5',
      '[trial #2] B half B rest',
    ]);
    expect(lines.filter((line) => line.startsWith('[parzen]'))).toHaveLength(4);
  });

  // Review 152: reading bytes, a character split between two reads must still be decoded whole for the loss line.
  it('reads a loss line whose multibyte character comes in two reads', async () => {
    // In a file: braces in the command are placeholders, `}}` one brace.
    const program = join(dir, 'split-char.cjs');
    writeFileSync(
      program,
      `process.stdout.write('{"loss": 0.5, "attrs": {"note": "caf');
process.stdout.write(Buffer.from([0xc3]));
setTimeout(() => { process.stdout.write(Buffer.from([0xa9])); process.stdout.write('"}}\\n'); }, 100);
`,
    );
    const result = await createCommandObjective(
      { ...options(''), command: [process.execPath, program] },
      { baseDir: dir, study: 's' },
    ).evaluate({}, evaluation(1));
    expect(result).toEqual({ status: 'ok', loss: 0.5, attrs: { note: 'café' } });
  });

  // Review 152: a line over 64 KiB was cut inside a UTF-8 character, leaving the file invalid UTF-8.
  it('writes a line over 64 KiB in pieces cut between characters', async () => {
    const line = `x${'é'.repeat(70_000)}`; // 140,001 bytes: a cut at 64 KiB lands inside a character
    const program = join(dir, 'long-line.cjs');
    writeFileSync(program, `process.stdout.write('${line}'); console.log(); console.log(0.5);\n`);
    const adapter = createCommandObjective(
      { ...options(''), command: [process.execPath, program], logFile: 'long-{trial}.log' },
      { baseDir: dir, study: 's' },
    );
    expect(await adapter.evaluate({}, evaluation(1))).toEqual({ status: 'ok', loss: 0.5 });
    const text = readFileSync(join(dir, 'long-1.log'), 'utf8');
    expect(text).not.toContain('\ufffd');
    const pieces = text.split('\n').filter((piece) => /^[xé]/.test(piece));
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join('')).toBe(line);
  });

  it.skipIf(!existsSync('/proc/self'))(
    'says a log folder that cannot be made under /proc, and the trial runs (trial 160: the run spun)',
    async () => {
      const context = testPluginContext({ baseDir: dir, study: 's' });
      const adapter = await commandObjectiveManifest.create(
        options('console.log(0.5)', '/proc/parzen-nope/trial-{trial}.log'),
        context,
      );
      expect(await adapter.evaluate({}, evaluation(1))).toEqual({ status: 'ok', loss: 0.5 });
      expect(context.logged).toHaveLength(1);
      expect(context.logged[0]).toMatch(/could not open \/proc\/parzen-nope\/trial-1\.log: E[A-Z]+/);
    },
  );

  it('says in the closing line why the program was stopped (trial 160: "killed by SIGTERM" alone)', async () => {
    const adapter = createCommandObjective(
      { ...options('setTimeout(() => {}, 10000)', 'stopped-{trial}.log'), timeoutSeconds: 0.5 },
      { baseDir: dir, study: 's' },
    );
    expect((await adapter.evaluate({}, evaluation(1))).status).toBe('failed');
    expect(readFileSync(join(dir, 'stopped-1.log'), 'utf8')).toMatch(
      /\[parzen\] trial #1: the program was killed by SIGTERM after \d+\.\d s, stopped at its time limit \(timeoutSeconds\)\n$/,
    );
  });
});
