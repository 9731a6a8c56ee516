import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// An uncaught exception is process behaviour (Node ends the process), so this runs fmin in a child
// process, on the built packages.
const packages = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const built = (name: string) => pathToFileURL(join(packages, name, 'dist', 'index.js')).href;

let dir: string;
beforeAll(() => {
  for (const name of ['engine', 'algo-random'])
    if (!existsSync(join(packages, name, 'dist', 'index.js')))
      throw new Error(`packages/${name} is not built: run \`pnpm build\` first.`);
  dir = mkdtempSync(join(tmpdir(), 'parzen-stray-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (objective: string, { host = '', concurrency = 1 } = {}) => {
  const script = join(dir, `run-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(
    script,
    `import { fmin } from '${built('engine')}';
import { createRandomSuggester } from '${built('algo-random')}';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
${host}
const result = await fmin({
  space: { x: { type: 'uniform', low: 0, high: 1 } },
  suggester: createRandomSuggester(),
  maxTrials: 4,
  concurrency: ${concurrency},
  objective: ${objective},
});
console.log(JSON.stringify({ trials: result.trials.map((t) => [t.number, t.state, t.error?.code ?? null, t.error?.message ?? null]) }));
`,
  );
  return spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 30_000 });
};

describe('an error an in-code objective throws outside its call', () => {
  it('fails the trial running when a timer throws, and the study goes on', () => {
    const child = run(`async ({ x }, context) => {
      if (context.trialNumber === 1) setTimeout(() => { throw new Error('late boom'); }, 0);
      await sleep(30);
      return x;
    }`);
    expect(child.status, child.stderr).toBe(0);
    const { trials } = JSON.parse(child.stdout.trim().split('\n').at(-1) as string) as { trials: unknown[][] };
    expect(trials.map((trial) => trial.slice(0, 3))).toEqual([
      [0, 'complete', null],
      [1, 'failed', 'OBJECTIVE_CRASHED'],
      [2, 'complete', null],
      [3, 'complete', null],
    ]);
    expect(trials[1]?.[3]).toMatch(
      /threw outside its call \(in a timer or a callback\) while this trial ran: late boom/,
    );
  });

  it('fails the trial on a rejected promise nobody awaits, too', () => {
    const child = run(`async ({ x }, context) => {
      if (context.trialNumber === 2) Promise.reject(new Error('lost promise'));
      await sleep(30);
      return x;
    }`);
    expect(child.status, child.stderr).toBe(0);
    const { trials } = JSON.parse(child.stdout.trim().split('\n').at(-1) as string) as { trials: unknown[][] };
    expect(trials[2]?.slice(0, 3)).toEqual([2, 'failed', 'OBJECTIVE_CRASHED']);
    expect(trials[2]?.[3]).toMatch(/lost promise/);
    expect(trials.filter((trial) => trial[1] === 'complete')).toHaveLength(3);
  });

  it('fails only the trial whose objective threw, when several run at once (concurrency 2)', () => {
    const child = run(
      `async ({ x }, context) => {
        if (context.trialNumber === 0) setTimeout(() => { throw new Error('from trial 0'); }, 10);
        await sleep(60);
        return x;
      }`,
      { concurrency: 2 },
    );
    expect(child.status, child.stderr).toBe(0);
    const { trials } = JSON.parse(child.stdout.trim().split('\n').at(-1) as string) as { trials: unknown[][] };
    expect(trials.map((trial) => trial.slice(0, 3))).toEqual([
      [0, 'failed', 'OBJECTIVE_CRASHED'],
      [1, 'complete', null],
      [2, 'complete', null],
      [3, 'complete', null],
    ]);
  });

  it("leaves an error of the host's own code to the host's uncaughtException listener, failing no trial", () => {
    const host = `const seen = [];
process.on('uncaughtException', (error) => seen.push(error.message));
setTimeout(() => { throw new Error('service bug'); }, 40);
setTimeout(() => { Promise.reject(new Error('service rejection')); }, 70);
process.on('exit', () => console.log(JSON.stringify({ seen })));`;
    const child = run(
      `async ({ x }) => {
        await sleep(30);
        return x;
      }`,
      { host },
    );
    expect(child.status, child.stderr).toBe(0);
    const lines = child.stdout.trim().split('\n');
    const { trials } = JSON.parse(lines.at(-2) as string) as { trials: unknown[][] };
    expect(trials.map((trial) => trial[1])).toEqual(['complete', 'complete', 'complete', 'complete']);
    expect(JSON.parse(lines.at(-1) as string)).toEqual({ seen: ['service bug', 'service rejection'] });
  });

  it('without a listener of the host, an error traced to no objective fails the trial running then (as before)', () => {
    const child = run(
      `async ({ x }, context) => {
        await sleep(30);
        return x;
      }`,
      { host: "setTimeout(() => { throw new Error('untraced'); }, 45);" },
    );
    expect(child.status, child.stderr).toBe(0);
    const { trials } = JSON.parse(child.stdout.trim().split('\n').at(-1) as string) as { trials: unknown[][] };
    expect(trials.filter((trial) => trial[2] === 'OBJECTIVE_CRASHED')).toHaveLength(1);
    expect(trials.filter((trial) => trial[1] === 'complete')).toHaveLength(3);
  });
});
