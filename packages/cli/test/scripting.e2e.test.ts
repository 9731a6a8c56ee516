// `parzen` in shell pipelines and scripts, where the process behaviour is the point: a reader of stdout that went
// away, a Ctrl-C that stops a read command, and one that stops the script around a run.

import { execFileSync, spawn } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import * as harness from './cli-harness.js';
import { cli } from './cli-in-process.js';

const { cliPath, heartConfig, runParzen, signalOnceHeard, writeIn } = harness;

/** Each test's configs, the heart module and the engine a plugin there imports. */
const dir = harness.tempDir('parzen-scripting-e2e-');
beforeAll(() => {
  harness.requireBuiltCli();
  writeIn(dir, 'heart.mjs', harness.heartModule);
  harness.linkEngine(dir);
});

/**
 * Runs the built CLI with a stdout whose reader has gone before anything was written (`| (exec 0<&-; sleep 4)`: a
 * CI step's recorder that died), and collects its stderr and how it ended.
 */
const readerGone = (args: readonly string[]): Promise<{ code: number | null; stderr: string }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const deadline = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`parzen ${args.join(' ')} did not finish: ${stderr}`));
    }, 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(deadline);
      resolve({ code, stderr });
    });
  });

describe("a run whose stdout reader left before it wrote anything (a command objective's run writes nothing there)", () => {
  it('--json: says the result was lost and where the trials are, and exits 1 (OUTPUT_FAILED)', async () => {
    const config = writeIn(
      dir,
      'lost.json',
      heartConfig({ name: 'lost', store: { use: 'jsonl' }, budget: { maxTrials: 2 } }),
    );
    const run = await readerGone(['run', config, '--json']);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain(
      `parzen: OUTPUT_FAILED: the reader of stdout closed the pipe before the run's --json result was written, so it was lost, and the run exits 1; its trials are in its store: \`parzen best ${config} --json\` prints the study's result.`,
    );
    // Said once: not also as a reader that left while trials ran.
    expect(run.stderr).not.toContain('the run goes on to its end');
    expect(JSON.parse((await cli('trials', config, '--json')).stdout)).toHaveLength(2);
  });

  it("without --json: says the summary was lost, the run's own exit code kept", async () => {
    const config = writeIn(
      dir,
      'gone.json',
      heartConfig({ name: 'gone', store: { use: 'memory' }, budget: { maxTrials: 2 } }),
    );
    const run = await readerGone(['run', config]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(
      "parzen: the reader of stdout closed the pipe before the run's summary was written, so it was lost; its trials are gone with its memory store.",
    );
  });
});

describe('a read command stopped by Ctrl-C, with --json', () => {
  it('names the config it was given in the error line, as run does', async () => {
    // A store plugin that takes its time to load keeps `trials` busy until the signal comes.
    writeIn(
      dir,
      'slow-store.mjs',
      `import { createMemoryStore } from '@parzen/engine';
await new Promise((resolve) => setTimeout(resolve, 5000));
export const manifests = [{ kind: 'store', name: 'slow', optionsSchema: { type: 'object' }, create: () => createMemoryStore() }];
`,
    );
    const config = writeIn(
      dir,
      'slow.json',
      heartConfig({ name: 'slow', plugins: ['./slow-store.mjs'], store: { use: 'slow' } }),
    );
    const run = await runParzen(['trials', config, '--json'], {
      cwd: dir,
      onStart: (child) => signalOnceHeard(child, 'SIGINT', 700),
    });
    expect(run.stderr).toContain('parzen: interrupted (SIGINT): trials stopped.');
    expect(JSON.parse(run.stdout)).toEqual({
      errors: [
        {
          file: config,
          code: 'INTERRUPTED',
          message: 'interrupted (SIGINT): trials stopped.',
          issues: [],
        },
      ],
    });
  });
});

/** Whether `shell` can be run here (dash is `sh` on Debian, bash is everywhere a test runs). */
const hasShell = (shell: string): boolean => {
  try {
    execFileSync(shell, ['-c', 'true']);
    return true;
  } catch {
    return false;
  }
};

/**
 * Runs `script` with `shell` in a process group of its own (as a terminal's foreground job), and once the run in it
 * has finished a trial sends SIGINT to `target`: the whole group, as Ctrl-C at a terminal does, or the CLI alone.
 */
const stopScript = (
  shell: string,
  script: string,
  target: 'group' | 'parzen',
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> =>
  new Promise((resolve, reject) => {
    const child = spawn(shell, ['-c', script], { cwd: dir, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let sent = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      if (sent || !/trial #0 complete/.test(stderr) || child.pid === undefined) return;
      sent = true;
      const parzen = Number(execFileSync('pgrep', ['-P', String(child.pid)], { encoding: 'utf8' }).trim());
      process.kill(target === 'group' ? -child.pid : parzen, 'SIGINT');
    });
    const deadline = setTimeout(() => {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      reject(new Error(`${shell} -c ${script} did not finish: ${stderr}`));
    }, 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(deadline);
      resolve({ code, signal, stdout, stderr });
    });
  });

describe('Ctrl-C on a script that runs `parzen run`', () => {
  /** A study of 300 ms trials of its own (in memory: each test's run starts at trial #0). */
  const config = (name: string) => {
    writeIn(
      dir,
      'slow.mjs',
      'export default async ({ x }) => { await new Promise((r) => setTimeout(r, 300)); return x; };\n',
    );
    return harness.journalHeartConfig(dir, name, {
      objective: { use: 'module', options: { path: './slow.mjs' } },
      store: { use: 'memory' },
      budget: { maxTrials: 200 },
    });
  };

  for (const shell of ['bash', 'dash'])
    it.runIf(hasShell(shell))(
      `stops the ${shell} script too once the run has stopped and printed its result: nothing after it runs`,
      async () => {
        const script = `"${process.execPath}" "${cliPath}" run "${config(`slow-${shell}`)}" --json; echo "after rc=$?"`;
        const stopped = await stopScript(shell, script, 'group');
        expect(stopped.signal, stopped.stdout + stopped.stderr).toBe('SIGINT');
        expect(stopped.stdout).not.toContain('after');
        // The run stopped as before: its summary and --json result first.
        expect(stopped.stderr).toMatch(/Study slow-\w+ stopped \(interrupted\): \d+ complete, 0 failed/);
        expect(JSON.parse(stopped.stdout)).toMatchObject({ study: `slow-${shell}`, reason: 'interrupted' });
      },
    );

  it('a script that was not sent the signal itself goes on, and $? is 130', async () => {
    const script = `"${process.execPath}" "${cliPath}" run "${config('slow-parzen')}"; echo "after rc=$?"`;
    const stopped = await stopScript('bash', script, 'parzen');
    expect([stopped.code, stopped.signal], stopped.stderr).toEqual([0, null]);
    expect(stopped.stdout).toMatch(
      /Study slow-parzen stopped \(interrupted\): \d+ complete, 0 failed\n.*\nafter rc=130\n$/,
    );
  });
});
