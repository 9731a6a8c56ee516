import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// How the process ends is the point, so fmin runs in a child process, on the built packages.
const packages = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const built = (name: string) => pathToFileURL(join(packages, name, 'dist', 'index.js')).href;

let dir: string;
beforeAll(() => {
  for (const name of ['engine', 'algo-random'])
    if (!existsSync(join(packages, name, 'dist', 'index.js')))
      throw new Error(`packages/${name} is not built: run \`pnpm build\` first.`);
  dir = mkdtempSync(join(tmpdir(), 'parzen-exit-wrap-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("a host's own process.exit, wrapped during a run", () => {
  it('ends the process with the host code after the run, and after a second run too', () => {
    const script = join(dir, 'host.mjs');
    writeFileSync(
      script,
      `import { fmin } from '${built('engine')}';
import { createRandomSuggester } from '${built('algo-random')}';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const study = () => fmin({
  space: { x: { type: 'uniform', low: 0, high: 1 } },
  suggester: createRandomSuggester(),
  maxTrials: 3,
  objective: async ({ x }) => { await sleep(20); return x; },
});
// A host that wraps process.exit while Parzen's run holds it (a logging library loaded meanwhile), from its own
// timer, started before the run.
let wrapped = 0;
setTimeout(() => {
  const previous = process.exit;
  process.exit = (code) => { wrapped++; console.log('wrapped ' + wrapped); return previous(code); };
}, 10);
await study();
await study();
process.exit(5);
`,
    );
    const child = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 30_000 });
    expect(child.stderr).toBe('');
    expect(child.stdout.trim()).toBe('wrapped 1');
    expect(child.status).toBe(5);
  });

  it("is the host's from a reporter, though an objective's report() emitted the event", () => {
    const script = join(dir, 'reporter.mjs');
    writeFileSync(
      script,
      `import { fmin } from '${built('engine')}';
import { createRandomSuggester } from '${built('algo-random')}';
await fmin({
  space: { x: { type: 'uniform', low: 0, high: 1 } },
  suggester: createRandomSuggester(),
  maxTrials: 3,
  objective: async ({ x }, { report }) => { await report(0, x); return x; },
  reporters: [{ name: 'stopper', onEvent: (e) => { if (e.type === 'trial.reported') process.exit(7); } }],
});
console.log('after the run');
`,
    );
    const child = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 30_000 });
    // Was: trial #0 failed OBJECTIVE_EXITED, the run went on, exit code 0.
    expect(child.stdout).toBe('');
    expect(child.status).toBe(7);
  });

  it("is the trial's from the objective's abort listener, which Parzen's timeout fires", () => {
    const script = join(dir, 'abort.mjs');
    writeFileSync(
      script,
      `import { fmin } from '${built('engine')}';
import { createRandomSuggester } from '${built('algo-random')}';
const result = await fmin({
  space: { x: { type: 'uniform', low: 0, high: 1 } },
  suggester: createRandomSuggester(),
  maxTrials: 2,
  trialTimeoutMs: 100,
  objective: ({ x }, { signal, trialNumber }) => {
    if (trialNumber === 0) signal.addEventListener('abort', () => process.exit(0));
    return new Promise((resolve) => setTimeout(() => resolve(x), trialNumber === 0 ? 2000 : 1));
  },
});
console.log(JSON.stringify(result.trials.map((t) => [t.number, t.state, t.error?.code ?? null])));
`,
    );
    const child = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 30_000 });
    // Was: the run ended there, exit code 0, nothing printed.
    expect(child.status, child.stderr).toBe(0);
    expect(JSON.parse(child.stdout)).toEqual([
      [0, 'failed', 'OBJECTIVE_EXITED'],
      [1, 'complete', null],
    ]);
  });
});
