import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { heartConfig, lastJsonLine, tempDir, writeIn, writeSignallingStore } from './cli-harness.js';
import { cli, cliIn } from './cli-in-process.js';

let dir: string;
beforeAll(() => {
  dir = tempDir('parzen-defects-');
});

const commandConfig = (name: string, options: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  writeIn(
    dir,
    `${name}.json`,
    heartConfig({ name, objective: { use: 'command', options }, budget: { maxTrials: 3 }, ...extra }),
  );

/**
 * A config whose objective is a module run on this thread (fast: no worker, no process per trial), in a memory
 * store unless `store` says.
 */
const moduleConfig = (name: string, source: string, budget: object = { maxTrials: 3 }, store?: object) => {
  writeIn(dir, `${name}.mjs`, source);
  return writeIn(
    dir,
    `${name}.json`,
    heartConfig({
      name,
      objective: { use: 'module', options: { path: `./${name}.mjs`, isolate: 'none' } },
      budget,
      ...(store === undefined ? {} : { store }),
    }),
  );
};

describe('command templates are checked against the space (issue 9, defect 4)', () => {
  it.each([
    [
      'an argv element',
      { command: [process.execPath, '-e', '1', '--lr={lrr}'] },
      '/objective/options/command/3',
      '{lrr}',
    ],
    ['an optional placeholder', { command: [process.execPath, '-e', '1', '{depth?}'] }, '/command/3', '{depth?}'],
    ['an env value', { command: [process.execPath, '-e', '1'], env: { LR: '{rate}' } }, '/env/LR', '{rate}'],
  ])('validate rejects %s naming a parameter the space does not have (exit 2)', async (_what, options, where, name) => {
    const path = commandConfig(`template-${name.replace(/\W/g, '')}`, options);
    const result = await cli('validate', path);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain(where);
    expect(result.stderr).toContain(
      `expected a parameter of the space (x, y) or a reserved name (trial, seed, study, params), found \`${name}\``,
    );
  });

  it('accepts parameters, conditional markers and the reserved names', async () => {
    const path = commandConfig('template-ok', {
      command: [process.execPath, '-e', '1', '{x}', '--y={y?}', '{trial}', '{study}', '{params}', '{{literal}}'],
      env: { X: '{x}' },
    });
    const result = await cli('validate', path);
    expect(result.code, result.stderr).toBe(0);
  });

  it('a run in which every trial failed exits 1 and says so', async () => {
    const path = moduleConfig('all-fail', 'export default () => { throw new Error("broken"); };');
    const result = await cli('run', path, '--quiet');
    expect(result.stdout).toMatch(/0 complete, 3 failed/);
    expect(result.stderr).toMatch(/every trial of study all-fail in this run failed/);
    expect(result.code).toBe(1);
    // And --json says it in the summary, not by the exit code alone (trial 125: a normal summary).
    const json = await cli('run', path, '--json');
    expect(json.code).toBe(1);
    expect(lastJsonLine(json.stdout)).toMatchObject({
      best: null,
      error: {
        trial: 0,
        code: 'OBJECTIVE_THREW',
        message: expect.stringMatching(/^broken/),
      },
    });
  });

  it('a rerun of a study every trial of which failed runs nothing and ends as the run before it: exit 1, said, in --json too', async () => {
    // Broken until a file `rerun-fixed` is beside it (a module is imported once a process).
    const path = moduleConfig(
      'rerun-fail',
      'import { existsSync } from "node:fs"; export default () => { if (!existsSync(new URL("./rerun-fixed", import.meta.url))) throw new Error("broken"); return 1; };',
      { maxTrials: 3 },
      { use: 'jsonl', options: { path: './rerun-fail.parzen.jsonl' } },
    );
    const fresh = await cli('run', path, '--quiet');
    expect(fresh.code).toBe(1);
    const rerun = await cli('run', path, '--quiet');
    expect(rerun.stdout).toMatch(/0 complete, 3 failed/);
    expect(rerun.stderr).toContain(
      `parzen: study rerun-fail has no successful trial, and nothing ran: it has its 3 trials already, all from earlier runs, and every one failed (the first to fail, #0: OBJECTIVE_THREW broken (at ${path.replace(/\.json$/, '.mjs')}:1:`,
    );
    expect(rerun.stderr).toContain(
      `; see \`parzen trials ${path}\`. Fix the objective, then --more-trials N runs N more.`,
    );
    expect(rerun.code).toBe(fresh.code);
    const json = await cli('run', path, '--json');
    expect(json.code).toBe(1);
    expect(lastJsonLine(json.stdout)).toMatchObject({
      best: null,
      resumed: true,
      existingTrials: 3,
      error: { trial: 0, code: 'OBJECTIVE_THREW', message: expect.stringMatching(/^broken/) },
    });
    // A rerun that runs more trials is judged by them: one that completes ends it well.
    writeIn(dir, 'rerun-fixed', '');
    const fixed = await cli('run', path, '--more-trials', '1', '--quiet');
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(fixed.stderr).not.toContain('no successful trial');
  });

  it('a rerun of a study whose trials were cut short (Ctrl-C twice) runs nothing and exits 0: not "every one failed" (review 149)', async () => {
    // The first call is stopped by two signals (the second records it INTERRUPTED at once); later calls complete.
    const path = moduleConfig(
      'rerun-cut',
      `let calls = 0;
export default () => {
  if (calls++ > 0) return 1;
  setImmediate(() => process.emit('SIGINT', 'SIGINT'));
  setTimeout(() => process.emit('SIGINT', 'SIGINT'), 300);
  return new Promise((resolve) => setTimeout(() => resolve(1), 5_000).unref());
};`,
      { maxTrials: 1 },
      { use: 'jsonl', options: { path: './rerun-cut.parzen.jsonl' } },
    );
    const cut = await cli('run', path, '--quiet');
    expect(cut.code, cut.stderr).toBe(130);
    expect(cut.stdout).toContain('0 complete, 1 failed');
    const rerun = await cli('run', path, '--json');
    expect(rerun.stderr).not.toContain('Fix the objective');
    expect(rerun.stderr).not.toContain('no successful trial');
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(lastJsonLine(rerun.stdout)).toMatchObject({ best: null, resumed: true, existingTrials: 1 });
    expect(lastJsonLine(rerun.stdout)).not.toHaveProperty('error');
  });

  it("says, under --quiet, what a failing command's program wrote on stderr (trial 62: only the progress lines had it)", async () => {
    const path = commandConfig('all-fail-command', {
      command: [process.execPath, '-e', 'console.error("oops: no GPU"); process.exit(1)'],
    });
    const result = await cli('run', path, '--quiet');
    expect(result.code).toBe(1);
    // Its message says the line (said once).
    expect(result.stderr).toMatch(
      /in this run failed \(the first to fail, #0: COMMAND_FAILED .* exited with code 1: oops: no GPU\.\)/,
    );
  });

  it('a run whose trials kept failing stops at maxConsecutiveFailures, says why and exits 1, even after a success', async () => {
    const path = moduleConfig(
      'late-fail',
      'export default (_, { trialNumber }) => { if (trialNumber > 0) throw new Error("GPU lost\\nat line 3"); return 1; };',
      { maxTrials: 50, maxConsecutiveFailures: 4 },
    );
    const result = await cli('run', path, '--json');
    expect(result.code, result.stderr).toBe(1);
    expect(JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '')).toMatchObject({
      trials: { complete: 1, failed: 4 },
      reason: 'failures',
      // Where it was thrown, the module's line (trial 54).
      stopMessage: `4 trials in a row failed, the last #4: OBJECTIVE_THREW GPU lost (at ${path.replace(/\.json$/, '.mjs')}:1:69)`,
    });
    expect(result.stderr).toMatch(
      /stopped \(4 trials in a row failed, the last #4: OBJECTIVE_THREW GPU lost \(at \S+late-fail\.mjs:1:69\)\): 1 complete, 4 failed/,
    );
    expect(result.stderr).toMatch(
      /late-fail stopped early because its trials kept failing \(budget\.maxConsecutiveFailures/,
    );
  });

  it('a run in which some trials complete exits 0', async () => {
    const path = moduleConfig(
      'some-fail',
      'export default (_, { trialNumber }) => { if (trialNumber === 1) throw new Error("one"); return 1; };',
    );
    const result = await cli('run', path, '--quiet');
    expect(result.stdout).toMatch(/2 complete, 1 failed/);
    expect(result.code, result.stderr).toBe(0);
  });
});

describe('a module objective at a concurrency far above the cores (trial 26: 1000 threads took 8 GB)', () => {
  it('is warned of once, with the way out for an objective that waits; isolate none is not', async () => {
    writeIn(dir, 'heart.mjs', 'export default ({ x, y }) => x * x + y * y;\n');
    const threads = writeIn(
      dir,
      'threads.json',
      heartConfig({
        name: 'threads',
        store: { use: 'jsonl', options: { path: './threads.jsonl' } },
        budget: { maxTrials: 1 },
      }),
    );
    expect((await cli('run', threads, '--quiet')).code).toBe(0);
    // At its limit: nothing runs, so no thread starts, but the config is what it is.
    const many = await cli('run', threads, '--quiet', '--concurrency', '1000');
    expect(many.code).toBe(0);
    expect(many.stderr).toMatch(
      /warning: .*threads\.json: concurrency 1000 runs up to 1000 worker threads of the module objective at once, on \d+ cores/,
    );
    expect(many.stderr).toContain('"isolate": "none" runs its trials on one thread');
    const onThread = writeIn(
      dir,
      'on-thread.json',
      heartConfig({
        name: 'on-thread',
        objective: { use: 'module', options: { path: './heart.mjs', isolate: 'none' } },
        budget: { maxTrials: 1 },
      }),
    );
    expect((await cli('run', onThread, '--quiet', '--concurrency', '1000')).stderr).not.toContain('worker threads');
    // A matrix over concurrency: said once, of its largest (review 28: of the first variant above the bound).
    const matrix = writeIn(
      dir,
      'threads-matrix.json',
      heartConfig({ name: 'tm', budget: { maxTrials: 1 }, matrix: { concurrency: [1, 20, 100] } }),
    );
    const varied = await cli('run', matrix, '--quiet');
    expect(varied.code, varied.stderr).toBe(0);
    expect(varied.stderr.match(/worker threads/g)).toHaveLength(1);
    expect(varied.stderr).toContain('concurrency 100 runs up to 100 worker threads');
  });
});

describe("run --json keeps stdout for its result (trial 58: a module objective's console.log broke `| jq`)", () => {
  it("sends a worker-thread objective's stdout to stderr, and back to stdout after the command", async () => {
    writeIn(dir, 'chatty.mjs', "export default ({ x }) => { console.log('hello from the objective'); return x; };");
    const path = writeIn(
      dir,
      'chatty.json',
      heartConfig({
        name: 'chatty',
        objective: { use: 'module', options: { path: './chatty.mjs' } },
        budget: { maxTrials: 2 },
      }),
    );
    const written = { stdout: '', stderr: '' };
    const capture = (stream: 'stdout' | 'stderr') =>
      vi.spyOn(process[stream], 'write').mockImplementation((chunk: string | Uint8Array) => {
        written[stream] += String(chunk);
        return true;
      });
    const [out, err] = [capture('stdout'), capture('stderr')];
    try {
      const json = await cli('run', path, '--json');
      expect(json.code, json.stderr).toBe(0);
      expect(written.stdout).not.toContain('hello from the objective');
      expect(written.stderr.match(/hello from the objective/g)).toHaveLength(2);
      written.stdout = '';
      written.stderr = '';
      const plain = await cli('run', path, '--more-trials', '1');
      expect(plain.code, plain.stderr).toBe(0);
      expect(written.stdout.match(/hello from the objective/g)).toHaveLength(1);
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  });
});

describe('flags that would be ignored or overruled without a word (trial 62)', () => {
  it('refuses a value flag given twice, and serve flags without --serve', async () => {
    writeIn(dir, 'heart.mjs', 'export default ({ x, y }) => x * x + y * y;\n');
    const config = writeIn(dir, 'flags.json', heartConfig({ name: 'flags', store: { use: 'jsonl' } }));
    const twice = await cli('run', config, '--seed', '1', '--seed=2');
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('--seed is given 2 times: give it once');
    // Two limits, the first reached ends the run: N more, never past a total (review 63: refused).
    const both = await cli('run', config, '--max-trials', '3', '--more-trials', '2', '--quiet');
    expect(both.code, both.stderr).toBe(0);
    // A repeatable flag is not counted.
    const out = join(dir, 'flags.html');
    expect((await cli('run', config, '--max-trials', '12', '--quiet')).code).toBe(0);
    const pairs = await cli('report', config, '-o', join(dir, 'pairs.html'), '--pair', 'x,y', '--pair', 'y,x');
    expect(pairs.code, pairs.stderr).toBe(0);
    // A cap the study already passed runs nothing (the progress line says why: progress-reporter.test.ts).
    const capped = await cli('run', config, '--max-trials', '3', '--more-trials', '2', '--json');
    expect(capped.code, capped.stderr).toBe(0);
    const served = await cli('report', config, '-o', out, '--port', '8080', '--interval', '5');
    expect(served.code).toBe(2);
    expect(served.stderr).toContain('--port and --interval are for --serve');
    const svg = await cli('report', config, '--format', 'svg', '-o', out);
    expect(svg.code).toBe(2);
    expect(svg.stderr).toContain('--format svg writes a folder of SVG files, and -o');
    expect(existsSync(out)).toBe(false);
  });

  it("refuses a flag as another option's value, and gives JSON errors only when --json is the flag (trial 88)", async () => {
    writeIn(dir, 'heart.mjs', 'export default ({ x, y }) => x * x + y * y;\n');
    const config = writeIn(dir, 'values.json', heartConfig({ name: 'values', store: { use: 'jsonl' } }));
    expect((await cli('run', config, '--max-trials', '3', '--quiet')).code).toBe(0);
    // `-o $OUT` with OUT empty: a file named `--json` was written, exit 0, nothing on stdout.
    const out = await cliIn(dir, 'export', config, '-o', '--json');
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('-o needs a value and got `--json`');
    expect(existsSync(join(dir, '--json'))).toBe(false);
    expect(out.stdout).toBe('');
    const study = await cli('trials', config, '--study', '--json');
    expect(study.code).toBe(2);
    expect(study.stdout).toBe('');
    // Meant as the value: said with `=`.
    const meant = await cli('trials', config, '--study=--json');
    expect(meant.code).toBe(1);
    expect(meant.stderr).toContain('--json');
    // Not the flag: after `--`, before the command, or to a command without it.
    for (const args of [
      ['run', config, '--', '--json'],
      ['--json', 'run', config],
      ['schema', '--json'],
    ]) {
      const run = await cli(...args);
      expect([args, run.code]).toEqual([args, 2]);
      expect([args, run.stdout]).toEqual([args, '']);
    }
    // The flag: errors as JSON.
    const json = await cli('trials', config, '--study', 'nope', '--json');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ errors: [{ code: 'STUDY_NOT_FOUND' }] });
  });

  it('says an unknown command asked for help is unknown, with its did-you-mean', async () => {
    for (const args of [
      ['help', 'runn'],
      ['runn', '--help'],
    ]) {
      const asked = await cli(...args);
      expect(asked.code).toBe(2);
      expect(asked.stderr).toContain("unknown command 'runn'");
      expect(asked.stderr).toContain('Did you mean run?');
    }
    expect((await cli('help', 'run')).code).toBe(0);
  });
});

describe('a signal that came while opening the store blocked the thread (review 73, left in stop 48)', () => {
  it('run starts no trial after it: exit 130, the objective never called', async () => {
    const own = tempDir('parzen-run-open-signal-');
    // As SQLite's open waits for another process's lock: the signal is delivered when the event loop turns.
    writeSignallingStore(own, 'blocking-open', 'openStudy');
    const calls = join(own, 'calls.txt');
    writeIn(
      own,
      'objective.mjs',
      `import { appendFileSync } from 'node:fs';
export default ({ x }) => { appendFileSync(${JSON.stringify(calls)}, 'called\\n'); return x; };
`,
    );
    const target = writeIn(
      own,
      'opened.json',
      heartConfig({
        name: 'opened',
        plugins: ['./blocking-open.mjs'],
        objective: { use: 'module', options: { path: './objective.mjs', isolate: 'none' } },
        store: { use: 'blocking-open' },
        budget: { maxTrials: 3 },
      }),
    );
    const out = await cli('run', target, '--json');
    expect(out.code, out.stderr).toBe(130);
    expect(existsSync(calls), 'the objective ran after the signal').toBe(false);
    expect(lastJsonLine(out.stdout)).toMatchObject({ trials: { complete: 0, failed: 0 }, reason: 'interrupted' });
  });
});

describe("a store's path that cannot be a file is bad input, said at its pointer (it was exit 1 at the first write)", () => {
  it('validate, run and trials: a path under a file, a folder; --store as typed', async () => {
    const own = tempDir('parzen-store-path-');
    writeIn(own, 'results.csv', 'x,loss\n');
    writeIn(own, 'heart.mjs', 'export default ({ x }) => x;\n');
    for (const use of ['jsonl', 'sqlite']) {
      const target = writeIn(
        own,
        `${use}.json`,
        heartConfig({ name: use, store: { use, options: { path: './results.csv/study.db' } } }),
      );
      for (const command of ['validate', 'run']) {
        const out = await cli(command, target, '--json');
        expect(out.code, out.stderr).toBe(2);
        expect(JSON.parse(out.stdout.trim().split('\n').at(-1) as string)).toMatchObject({
          errors: [{ code: 'CONFIG_INVALID', issues: [{ pointer: '/store/options/path' }] }],
        });
        expect(out.stderr).toContain('expected a path whose folders are folders');
      }
    }
    const folder = await cli('trials', '--store', `jsonl:${own}`);
    expect(folder.code, folder.stderr).toBe(2);
    expect(folder.stderr).toContain(`--store "jsonl:${own}": expected the path of a file the store keeps the study in`);
  });
});

describe('a plugin whose create() reads the store (trial 70)', () => {
  it('is told that the checking instance has no store, and what to do', async () => {
    const own = tempDir('parzen-store-in-create-');
    writeIn(
      own,
      'needs-store.mjs',
      `export const manifests = [{
  kind: 'stopper', name: 'needs-store', optionsSchema: { type: 'object' },
  create: (_options, context) => {
    context.services.get({ id: Symbol.for('parzen.service.store') });
    return { name: 'needs-store', shouldStop: () => undefined };
  },
}];
`,
    );
    writeIn(own, 'heart.mjs', 'export default ({ x }) => x;\n');
    const target = writeIn(
      own,
      'needs.json',
      heartConfig({ name: 'needs', plugins: ['./needs-store.mjs'], stopper: { use: 'needs-store' } }),
    );
    const out = await cli('validate', target);
    expect(out.code).not.toBe(0);
    expect(out.stderr).toContain(
      "No store is open yet: `parzen validate` and `parzen run` first create the config's suggester, pruner, stopper and objective to check them",
    );
    expect(out.stderr).toContain('or ask `services.has(SERVICES.store)` first');
  });
});

// Trial 149: a reporter cut off for throwing was said on stderr only; `run --json` had no trace of it.
describe('run --json names the reporters the run cut off for throwing', () => {
  it('in the result of one run, and in each run of a batch (one whose objective the preflight did not start)', async () => {
    writeIn(dir, 'heart.mjs', 'export default ({ x, y }) => x * x + y * y;\n');
    writeIn(
      dir,
      'grumpy.mjs',
      "export const manifests = [{ kind: 'reporter', name: 'grumpy', optionsSchema: { type: 'object' }, create: () => ({ name: 'grumpy', onEvent: (event) => { if (event.type === 'trial.finished') throw new Error('disk full'); } }) }];\n",
    );
    const onThread = (name: string, extra: Record<string, unknown>) =>
      writeIn(
        dir,
        `${name}.json`,
        heartConfig({
          name,
          objective: { use: 'module', options: { path: './heart.mjs', isolate: 'none' } },
          budget: { maxTrials: 3 },
          ...extra,
        }),
      );
    const grumpy = (name: string) => onThread(name, { plugins: ['./grumpy.mjs'], reporters: [{ use: 'grumpy' }] });
    const one = await cli('run', grumpy('grumpy-one'), '--json');
    expect(one.code, one.stderr).toBe(0);
    expect(one.stderr).toContain('reporter `grumpy` threw in onEvent, so it gets no more events');
    expect(lastJsonLine(one.stdout)).toMatchObject({
      trials: { complete: 3 },
      reportersCutOff: [{ reporter: 'grumpy', message: 'disk full' }],
    });
    const batch = await cli('run', grumpy('grumpy-a'), grumpy('grumpy-b'), '--json');
    expect(batch.code, batch.stderr).toBe(0);
    const { runs } = lastJsonLine(batch.stdout) as { runs: Record<string, unknown>[] };
    expect(runs.map((run) => run.reportersCutOff)).toEqual([
      [{ reporter: 'grumpy', message: 'disk full' }],
      [{ reporter: 'grumpy', message: 'disk full' }],
    ]);
    // A run whose reporters all worked has no such field.
    const quiet = onThread('calm', { reporters: [] });
    expect(lastJsonLine((await cli('run', quiet, '--json')).stdout)).not.toHaveProperty('reportersCutOff');
  });
});
