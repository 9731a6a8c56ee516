import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Output } from '../src/output.js';
import { runCli } from '../src/program.js';
import { cliPath, heartConfig, heartModule, requireBuiltCli, tempDir, writeIn } from './cli-harness.js';

// Process behaviour is the point here: a pipe whose reader is slow. Node queues what a full pipe cannot
// take, and an exit before that queue drains loses the rest while still exiting 0.

const captured = (): Output & { text: () => string } => {
  const lines: string[] = [];
  return { result: (line) => lines.push(line), note: () => {}, text: () => lines.map((line) => `${line}\n`).join('') };
};

/** Spawns the built CLI and reads its stdout slowly: nothing for 400 ms, then 16 KiB chunks with pauses. */
const readSlowly = (args: readonly string[], cwd: string): Promise<{ code: number | null; stdout: string }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], { cwd, stdio: ['ignore', 'pipe', 'ignore'] });
    const chunks: Buffer[] = [];
    child.stdout.pause();
    const pump = (): void => {
      let chunk = child.stdout.read(16 * 1024) as Buffer | null;
      if (chunk === null) chunk = child.stdout.read() as Buffer | null;
      if (chunk !== null) chunks.push(chunk);
    };
    let timer: NodeJS.Timeout | undefined;
    let settled = false;
    setTimeout(() => {
      if (!settled) timer = setInterval(pump, 5);
    }, 400);
    const deadline = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`parzen ${args.join(' ')} did not finish`));
    }, 60_000);
    child.on('error', reject);
    // Done when the child has exited and its stdout has ended, in either order (under load the pump may
    // read the last bytes, and the stream end, before the exit event arrives).
    let exitCode: number | null | undefined;
    let ended = false;
    const settle = (): void => {
      if (exitCode === undefined || !ended) return;
      settled = true;
      clearTimeout(deadline);
      clearInterval(timer);
      resolve({ code: exitCode, stdout: Buffer.concat(chunks).toString('utf8') });
    };
    child.stdout.on('end', () => {
      ended = true;
      settle();
    });
    child.on('exit', (code) => {
      exitCode = code;
      // The child is gone; whatever it wrote is in the pipe now: read the rest at once.
      child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
      child.stdout.resume();
      settle();
    });
  });

/**
 * Spawns `node ...args` with piped stdio, reads its first stdout chunk, then closes the pipe as `head -1` does;
 * resolves with its exit code, stderr and that first chunk, or rejects when it has not ended within `ms`.
 */
const closeAfterFirstChunk = (
  args: readonly string[],
  cwd: string,
  ms = 30_000,
): Promise<{ code: number | null; stderr: string; first: string }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, stdio: 'pipe' });
    let stderr = '';
    let first = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.stdout.once('data', (chunk: Buffer) => {
      first = chunk.toString('utf8');
      child.stdout.destroy();
    });
    const deadline = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`node ${args.join(' ')} did not finish ${ms / 1000} s after its reader went away`));
    }, ms);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(deadline);
      resolve({ code, stderr, first });
    });
  });

let dir: string;
let config: string;
beforeAll(async () => {
  requireBuiltCli();
  dir = tempDir('parzen-pipe-');
  writeIn(dir, 'heart.mjs', heartModule);
  config = writeIn(
    dir,
    'heart.json',
    heartConfig({ store: { use: 'jsonl', options: { path: './heart.jsonl' } }, budget: { maxTrials: 5000 } }),
  );
  // A 5,000-trial study, made by one import (running 5,000 trials took most of this file's time).
  const lines = Array.from({ length: 5000 }, (_, i) => {
    const [x, y] = [Math.sin(i) * 2, Math.cos(i * 1.7) * 2];
    return JSON.stringify({ params: { x, y }, loss: (x - 0.3) ** 2 + (y + 0.4) ** 2 });
  });
  const results = writeIn(dir, 'results.jsonl', lines.join('\n'));
  expect(await runCli(['node', 'parzen', 'import', config, results], captured())).toBe(0);
  const summary = captured();
  expect(await runCli(['node', 'parzen', 'best', config], summary)).toBe(0);
  expect(summary.text()).toContain('5000 complete');
}, 120_000);

describe.concurrent('output to a slow pipe', () => {
  for (const format of ['--json', '--csv', 'table'] as const) {
    it(`parzen trials ${format} writes every byte of a 5,000-trial study`, async () => {
      const args = ['trials', config, ...(format === 'table' ? [] : [format])];
      const expected = captured();
      expect(await runCli(['node', 'parzen', ...args], expected)).toBe(0);
      expect(expected.text().length).toBeGreaterThan(200_000);
      const piped = await readSlowly(args, dir);
      expect(piped.code).toBe(0);
      expect(piped.stdout.length).toBe(expected.text().length);
      expect(piped.stdout).toBe(expected.text());
    });
  }
});

describe.concurrent("a module objective's own output (isolate: worker, trial 53)", () => {
  const chattyConfig = (name: string, objectiveOptions: Record<string, unknown> = {}, lines = 3000) => {
    writeIn(
      dir,
      `${name}.mjs`,
      `export default (params, { trialNumber }) => { for (let i = 0; i < ${lines}; i++) console.log(\`trial \${trialNumber} line \${i} \${'z'.repeat(100)}\`); return params.x; };`,
    );
    return writeIn(
      dir,
      `${name}.json`,
      heartConfig({
        name,
        objective: { use: 'module', options: { path: `./${name}.mjs`, ...objectiveOptions } },
        store: { use: 'memory' },
        budget: { maxTrials: 4 },
        reporters: [],
      }),
    );
  };

  it.each([
    ['a thread per run', {}],
    ['threads kept for reuse (review 57)', { reuseThreads: true }],
  ])('reaches a slow pipe whole: every line of every trial (the last trials were lost), %s', async (_, extra) => {
    const piped = await readSlowly(['run', chattyConfig(`chatty-${Object.keys(extra).length}`, extra)], dir);
    expect(piped.code).toBe(0);
    const counts = new Map<string, number>();
    for (const line of piped.stdout.split('\n'))
      if (line.startsWith('trial '))
        counts.set(line.split(' ')[1] as string, (counts.get(line.split(' ')[1] as string) ?? 0) + 1);
    expect(Object.fromEntries(counts)).toEqual({ 0: 3000, 1: 3000, 2: 3000, 3: 3000 });
  });

  it('a trial stopped for its timeout in a synchronous loop: what it printed before reaches stdout (it was lost)', async () => {
    writeIn(
      dir,
      'chatty-stuck.mjs',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the module's own template literal, written as text.
      'export default (params, { trialNumber }) => { for (let i = 0; i < 3000; i++) console.log(`trial ${trialNumber} line ${i}`); if (trialNumber === 1) { const end = Date.now() + 30000; while (Date.now() < end); } return params.x; };',
    );
    const config = writeIn(
      dir,
      'chatty-stuck.json',
      heartConfig({
        name: 'chatty-stuck',
        objective: { use: 'module', options: { path: './chatty-stuck.mjs' } },
        store: { use: 'memory' },
        budget: { maxTrials: 3 },
        // 2 s, not 1: on a loaded machine (the full suite beside a build) a trial writing 3 MB took over 1 s
        // with the reader reading; the stall below stays well past it.
        trialTimeoutSeconds: 2,
        reporters: [],
      }),
    );
    const piped = await readSlowly(['run', config], dir);
    expect(piped.code).toBe(0);
    const counts = new Map<string, number>();
    for (const line of piped.stdout.split('\n'))
      if (line.startsWith('trial '))
        counts.set(line.split(' ')[1] as string, (counts.get(line.split(' ')[1] as string) ?? 0) + 1);
    expect(Object.fromEntries(counts)).toEqual({ 0: 3000, 1: 3000, 2: 3000 });
  });

  it('a reader that stops reading for a while fails no trial (review 56: trials waited for it and timed out)', async () => {
    // 3 MB a trial (review 58: past a million characters waiting, the threads waited and the trials timed out).
    const config = chattyConfig('chatty-stalled', {}, 25_000);
    const stalled = JSON.parse(readFileSync(config, 'utf8')) as Record<string, unknown>;
    writeFileSync(
      config,
      JSON.stringify({
        ...stalled,
        // 2 s, not 1: on a loaded machine (the full suite beside a build) a trial writing 3 MB took over 1 s
        // with the reader reading; the stall below stays well past it.
        trialTimeoutSeconds: 2,
        store: { use: 'jsonl', options: { path: './stalled.jsonl' } },
      }),
    );
    const child = spawn(process.execPath, [cliPath, 'run', config], { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'] });
    child.stdout.pause();
    let lines = 0;
    const code = await new Promise<number | null>((resolve) => {
      // Nothing read for 5 s (the objective's 100,000 lines fill the pipe at once), then everything.
      setTimeout(() => {
        child.stdout.on('data', (chunk: Buffer) => {
          lines += chunk.toString('utf8').split('\n').length - 1;
        });
        child.stdout.resume();
      }, 5000);
      child.on('close', resolve);
    });
    expect(code).toBe(0);
    expect(lines).toBeGreaterThanOrEqual(100_000);
    const trials = captured();
    expect(await runCli(['node', 'parzen', 'trials', config, '--csv'], trials)).toBe(0);
    expect(trials.text().match(/,complete,/g)).toHaveLength(4);
  });

  it('does not hold the run when the reader goes away (run | head -1): the run ends, exit 0', async () => {
    const piped = await closeAfterFirstChunk([cliPath, 'run', chattyConfig('chatty-head')], dir);
    expect(piped.code).toBe(0);
    // What happened, once: not an error of the objective, whose output goes nowhere now.
    expect(
      piped.stderr.match(/parzen: the reader of stdout closed the pipe \(`\| head`\): the run goes on/g),
    ).toHaveLength(1);
  });
});

describe.concurrent('output to a reader that goes away', () => {
  it('parzen trials --csv | head -1: exits 0 without a stack when the reader closes the pipe early', async () => {
    const result = await closeAfterFirstChunk([cliPath, 'trials', config, '--csv'], dir);
    expect(result.first.split('\n')[0]).toMatch(/^study,number,state,loss/);
    expect(result.stderr).not.toContain('EPIPE');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.code).toBe(0);
  });

  // Trial 159: the write failed after the study was read, so a CI script branching on 2 ("fix your flags") was misled.
  it('export -o FIFO whose reader leaves: OUTPUT_FAILED, exit 1 (was CLI_INPUT, 2), said on stderr too', async () => {
    const fifo = join(dir, 'export.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const reader = spawn('head', ['-c', '10', fifo], { stdio: 'ignore' });
    const result = spawnSync(process.execPath, [cliPath, 'export', config, '-o', fifo, '--json'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 60_000,
    });
    reader.kill();
    expect(result.status, result.stderr).toBe(1);
    expect(result.stderr).toContain(`parzen: -o: cannot write ${fifo}: EPIPE`);
    expect(JSON.parse(result.stdout.trim().split('\n').at(-1) as string)).toMatchObject({
      errors: [{ code: 'OUTPUT_FAILED' }],
    });
  });

  it('export -o /dev/stdout --json into a pipe closed early: exit 1; the error line has no reader, stderr says it', async () => {
    // Through a shell's pipe: a spawned child's stdio pipe is a socket, which /dev/stdout cannot open (ENXIO).
    const quoted = [process.execPath, cliPath, 'export', config].map((word) => `'${word}'`).join(' ');
    const result = spawnSync('bash', ['-c', `${quoted} -o /dev/stdout --json | head -c 10; exit \${PIPESTATUS[0]}`], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.stdout).toBe('{"parzen":');
    expect(result.status, result.stderr).toBe(1);
    expect(result.stderr).toContain('parzen: -o: cannot write /dev/stdout: EPIPE');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

// One at a time, not beside the tests above: the machine's load is what their timings are about.
describe('runCli called from a script, its stdout piped to a reader that goes away', () => {
  // Trial 149: a script calling runCli had no listener on stdout: an objective's console.log into the closed pipe
  // was an uncaught EPIPE, said as "the objective threw outside its call" (on this thread), or a crash.
  it.each([
    ['on this thread', 'none'],
    ['in a worker thread', 'worker'],
  ])(
    'runCli from a script: an objective printing %s into a closed pipe is no error of the objective',
    async (_, isolate) => {
      writeIn(
        dir,
        'loud.mjs',
        "export default ({ x }) => { for (let i = 0; i < 2000; i++) console.log('line ' + i); return x; };\n",
      );
      const loud = writeIn(
        dir,
        `loud-${isolate}.json`,
        heartConfig({
          name: `loud-${isolate}`,
          objective: { use: 'module', options: { path: './loud.mjs', isolate } },
          store: { use: 'memory' },
          budget: { maxTrials: 10 },
        }),
      );
      const script = writeIn(
        dir,
        'run-cli.mjs',
        `import { runCli } from ${JSON.stringify(pathToFileURL(join(dirname(cliPath), 'index.js')).href)};\n` +
          "process.exitCode = await runCli(['node', 'parzen', ...process.argv.slice(2)]);\n",
      );
      const piped = await closeAfterFirstChunk([script, 'run', loud], dir);
      expect(piped.stderr).not.toContain('threw outside its call');
      expect(piped.stderr).not.toContain('EPIPE');
      expect(piped.stderr.match(/parzen: the reader of stdout closed the pipe/g)).toHaveLength(1);
      expect(piped.stderr).toContain('[10/10 trials, 0 failed');
      expect(piped.code).toBe(0);
    },
  );
});

describe.skipIf(!existsSync('/dev/full'))('stdout that cannot be written (a full disk under > out.json)', () => {
  it('is said in one line on stderr, without a stack trace; the command fails (exit 1, or its own error code)', () => {
    const dir = tempDir('parzen-full-');
    writeIn(dir, 'heart.mjs', heartModule);
    const good = writeIn(dir, 'good.json', heartConfig({ name: 'full', store: { use: 'memory' } }));
    const bad = writeIn(dir, 'bad.json', heartConfig({ name: 'bad', budget: { maxTrials: -1 } }));
    const full = openSync('/dev/full', 'w');
    try {
      const run = (args: readonly string[]) =>
        spawnSync(process.execPath, [cliPath, ...args], {
          cwd: dir,
          stdio: ['ignore', full, 'pipe'],
          encoding: 'utf8',
        });
      // Its output is incomplete: `parzen export > backup.jsonl && ...` must not go on.
      const ok = run(['validate', good, '--json']);
      expect(ok.status, ok.stderr).toBe(1);
      expect(ok.stderr.match(/parzen: cannot write to stdout: ENOSPC/g)).toHaveLength(1);
      expect(ok.stderr).not.toMatch(/\n\s+at /);
      const refused = run(['validate', bad, '--json']);
      expect(refused.status).toBe(2);
      expect(refused.stderr).toContain('parzen: cannot write to stdout: ENOSPC');
      expect(refused.stderr).not.toMatch(/\n\s+at /);
    } finally {
      closeSync(full);
    }
  });
});
