import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
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

const run = (objective: string, extra = '') => {
  const script = join(dir, `run-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(
    script,
    `import { fmin } from '${built('engine')}';
import { createRandomSuggester } from '${built('algo-random')}';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const result = await fmin({
  space: { x: { type: 'uniform', low: 0, high: 1 } },
  suggester: createRandomSuggester(),
  maxTrials: 4,
  objective: ${objective},${extra}
});
console.log(JSON.stringify({ trials: result.trials.map((t) => [t.number, t.state, t.error?.code ?? null, t.error?.message ?? null]) }));
`,
  );
  return spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 30_000 });
};

/** The trials the child printed last: number, state, error code, error message. */
const trialsOf = (child: { readonly stdout: string }): unknown[][] =>
  (JSON.parse(child.stdout.trim().split('\n').at(-1) as string) as { trials: unknown[][] }).trials;

describe('an error an in-code objective throws outside its call', () => {
  it('fails the trial running when a timer throws, and the study goes on', () => {
    const child = run(`async ({ x }, context) => {
      if (context.trialNumber === 1) setTimeout(() => { throw new Error('late boom'); }, 0);
      await sleep(30);
      return x;
    }`);
    expect(child.status, child.stderr).toBe(0);
    const trials = trialsOf(child);
    expect(trials.map((trial) => trial.slice(0, 3))).toEqual([
      [0, 'complete', null],
      [1, 'failed', 'OBJECTIVE_CRASHED'],
      [2, 'complete', null],
      [3, 'complete', null],
    ]);
    expect(trials[1]?.[3]).toMatch(
      /threw outside its call \(in a timer or a callback\) while this trial ran: late boom/,
    );
    // Said, not only recorded (trial 38: a service's own bug showed up only in trial records).
    expect(child.stderr).toMatch(/warning: trial #1 failed: .*late boom.*pass catchStrayErrors: false/);
  });

  it('fails only the trial whose call started the timer, not the trial evaluating beside it (concurrency 2)', () => {
    const child = run(
      `async ({ x }, context) => {
      if (context.trialNumber === 0) setTimeout(() => { throw new Error('own boom'); }, 10);
      await sleep(80);
      return x;
    }`,
      '\n  concurrency: 2,',
    );
    expect(child.status, child.stderr).toBe(0);
    const trials = trialsOf(child);
    expect(trials.map((trial) => trial[2] ?? trial[1])).toEqual([
      'OBJECTIVE_CRASHED',
      'complete',
      'complete',
      'complete',
    ]);
    expect(trials[0]?.[3]).toMatch(/while this trial ran: own boom/);
  });

  it('says an error from a timer an ended trial left behind as a warning naming that trial, and the trial running then completes', () => {
    const child = run(`async ({ x }, context) => {
      if (context.trialNumber === 0) { setTimeout(() => { throw new Error('late boom 0'); }, 30); return x; }
      await sleep(100);
      return x;
    }`);
    expect(child.status, child.stderr).toBe(0);
    const trials = trialsOf(child);
    expect(trials.map((trial) => trial[1])).toEqual(['complete', 'complete', 'complete', 'complete']);
    expect(child.stderr).toMatch(
      /warning: an error was thrown by a timer or callback trial #0's objective left behind, after that trial ended \(no trial failed for it\): late boom 0/,
    );
    expect(child.stderr).not.toMatch(/trial #1 failed/);
  });

  it('with catchStrayErrors: false leaves such an error to the process: Node ends it (trial 38)', () => {
    const child = run(
      `async ({ x }, context) => {
      if (context.trialNumber === 1) setTimeout(() => { throw new Error('my service bug'); }, 0);
      await sleep(30);
      return x;
    }`,
      '\n  catchStrayErrors: false,',
    );
    expect(child.status).toBe(1);
    expect(child.stderr).toMatch(/Error: my service bug/);
    expect(child.stdout).toBe('');
  });

  it('fails the trial on a rejected promise nobody awaits, too', () => {
    const child = run(`async ({ x }, context) => {
      if (context.trialNumber === 2) Promise.reject(new Error('lost promise'));
      await sleep(30);
      return x;
    }`);
    expect(child.status, child.stderr).toBe(0);
    const trials = trialsOf(child);
    expect(trials[2]?.slice(0, 3)).toEqual([2, 'failed', 'OBJECTIVE_CRASHED']);
    expect(trials[2]?.[3]).toMatch(/lost promise/);
    expect(trials.filter((trial) => trial[1] === 'complete')).toHaveLength(3);
  });

  it('names a refused report the objective did not await, not "a timer or a callback" (user trial 27)', () => {
    const child = run(`async ({ x }, context) => {
      if (context.trialNumber === 1) context.report(-1, x);
      await sleep(30);
      return x;
    }`);
    expect(child.status, child.stderr).toBe(0);
    const trials = trialsOf(child);
    expect(trials[1]?.slice(0, 3)).toEqual([1, 'failed', 'OBJECTIVE_CRASHED']);
    expect(trials[1]?.[3]).toMatch(
      /^A report\(step, value\) the objective did not await was refused while this trial ran: report\(step, value\): step must be/,
    );
  });
});

describe("process.exit() called by an in-code objective (on Parzen's own thread)", () => {
  it('during its call, or from a timer it started that fires during the call: only that trial fails, and fmin goes on', () => {
    const child = run(
      `async ({ x }, context) => {
      if (context.trialNumber === 1) process.exit(0);
      if (context.trialNumber === 2) { setTimeout(() => process.exit(5), 5); await sleep(60); }
      else await sleep(20);
      return x;
    }`,
      '\n  concurrency: 2,',
    );
    expect(child.status, child.stderr).toBe(0);
    const trials = trialsOf(child);
    expect(trials.map((trial) => trial.slice(0, 3))).toEqual([
      [0, 'complete', null],
      [1, 'failed', 'OBJECTIVE_EXITED'],
      [2, 'failed', 'OBJECTIVE_EXITED'],
      [3, 'complete', null],
    ]);
    expect(trials[1]?.[3]).toMatch(
      /called process\.exit\(0\) during the trial, on Parzen's own thread.*only the trial failed/,
    );
    expect(trials[2]?.[3]).toMatch(/called process\.exit\(5\)/);
  });

  it("from a timer after fmin returned: Node's own process.exit (the run is over)", () => {
    const child = run(`async ({ x }, context) => {
      if (context.trialNumber === 3) setTimeout(() => process.exit(7), 200);
      return x;
    }`);
    expect(child.status).toBe(7);
    expect(child.stderr).toBe('');
  });
});

describe("a console reporter whose stdout's reader went away (node tune.js | head -2)", () => {
  it('stops printing, and the study runs to its end and exits 0 (each trial blamed the objective for EPIPE, then a crash)', async () => {
    const script = join(dir, 'piped.mjs');
    writeFileSync(
      script,
      `import { createConsoleReporter, fmin } from '${built('engine')}';
import { createRandomSuggester } from '${built('algo-random')}';
const result = await fmin({
  space: { x: { type: 'uniform', low: 0, high: 1 } },
  suggester: createRandomSuggester(),
  maxTrials: 300,
  reporters: [createConsoleReporter()],
  objective: async ({ x }) => { await new Promise((resolve) => setImmediate(resolve)); return x; },
});
process.stderr.write(\`done \${result.trials.length}\\n\`);
`,
    );
    const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    // The reader takes the first chunk and goes away, as head does.
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code, stderr).toBe(0);
    expect(stderr).toBe('done 300\n');
  });

  it('says once that stdout failed (a full disk), runs every trial, and exits 1, not 0 (review 28)', async () => {
    const full = openSync('/dev/full', 'w');
    try {
      const child = spawn(process.execPath, [join(dir, 'piped.mjs')], { stdio: ['ignore', full, 'pipe'] });
      let stderr = '';
      child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk;
      });
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(code, stderr).toBe(1);
      expect(stderr).toBe(
        'parzen: writing to stdout failed (ENOSPC: no space left on device, write): the console reporter stopped printing, and the process will exit 1.\n' +
          'done 300\n',
      );
    } finally {
      closeSync(full);
    }
  });
});

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
    // A TIMEOUT, what happened (the listener's exit, to save and quit, answered it).
    expect(JSON.parse(child.stdout)).toEqual([
      [0, 'failed', 'TIMEOUT'],
      [1, 'complete', null],
    ]);
  });

  it("reaches a host's wrapper installed between two runs, from the second run's reporter", () => {
    const script = join(dir, 'between.mjs');
    writeFileSync(
      script,
      `import { fmin } from '${built('engine')}';
import { createRandomSuggester } from '${built('algo-random')}';
const study = (reporters) => fmin({
  space: { x: { type: 'uniform', low: 0, high: 1 } },
  suggester: createRandomSuggester(),
  maxTrials: 2,
  objective: ({ x }) => x,
  reporters,
});
await study([]);
const previous = process.exit;
process.exit = (code) => { console.log('wrapper'); return previous(code); };
await study([{ name: 'stopper', onEvent: (e) => { if (e.type === 'trial.finished') process.exit(4); } }]);
console.log('after the runs');
`,
    );
    const child = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 30_000 });
    // Was: Node's exit at once, the wrapper never called.
    expect(child.stdout).toBe('wrapper\n');
    expect(child.status).toBe(4);
  });
});

describe("the host's own uncaught error while a module loads on Parzen's thread (inModuleLoad)", () => {
  it('ends the process as Node would (its stack trace, exit code 1), not refuses the load, when the host has no listener of its own (review 180)', () => {
    const slow = join(dir, 'slow-load.mjs');
    writeFileSync(slow, 'await new Promise((resolve) => setTimeout(resolve, 300));\nexport default 1;\n');
    const script = join(dir, 'host-bug.mjs');
    writeFileSync(
      script,
      `import { inModuleLoad } from '${pathToFileURL(join(packages, 'engine', 'dist', 'plugin.js')).href}';
setTimeout(() => { throw new Error('HOST bug'); }, 50);
try {
  await inModuleLoad('Module \`./slow-load.mjs\`', () => import(${JSON.stringify(pathToFileURL(slow).href)}));
  console.error('loaded');
} catch (error) {
  console.error('refused:', error.message);
}
`,
    );
    const child = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 30_000 });
    expect(child.status, child.stderr).toBe(1);
    expect(child.stderr).toMatch(/Error: HOST bug\n\s+at Timeout\._onTimeout \(.*host-bug\.mjs:2:/);
    expect(child.stderr).not.toMatch(/refused|loaded/);
  });
});
