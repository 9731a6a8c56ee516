import { createRandomSuggester } from '@parzen/algo-random';
import { fmin, type SpaceDefinition } from '@parzen/engine';
import { compileSpace } from '@parzen/engine/plugin';
import { createMedianPruner } from '@parzen/pruners';
import { beforeAll, describe, expect, it } from 'vitest';
import { trialRows, trialsCsvLines, trialsTableLines } from '../src/format-trials.js';
import { lastJsonLine, tempDir, writeIn } from './cli-harness.js';
import { cli } from './cli-in-process.js';

const space = { x: { type: 'uniform', low: 0, high: 1 } } as const satisfies SpaceDefinition;

/** A module objective that trains for 20 epochs, reporting each, and stops when told. */
const trainer = `export default async ({ x }, context) => {
  let loss;
  for (let step = 0; step < 20; step++) {
    loss = x + Math.exp(-step / 4);
    await context.report(step, loss);
    if (context.shouldPrune()) break;
  }
  return loss;
};
`;

/** A trainer that overfits: its loss falls until epoch 10, then rises by 0.02 per epoch. */
const overfitting = `export default async ({ x }, context) => {
  let loss;
  for (let step = 0; step < 20; step++) {
    loss = x + Math.exp(-step / 4) + 0.02 * Math.max(0, step - 10);
    await context.report(step, loss);
    if (context.shouldPrune()) {
      // Runs in the test's process (isolate: none): the test reads where trials were told to stop.
      (globalThis.prunedAt ??= []).push(step);
      break;
    }
  }
  return loss;
};
`;

let dir: string;
beforeAll(() => {
  dir = tempDir('parzen-pruning-');
  writeIn(dir, 'trainer.mjs', trainer);
  writeIn(dir, 'overfitting.mjs', overfitting);
});

/** A config of random search with the median pruner on the trainer module (memory store, seed 4). */
const trainerConfig = (name: string, extra: Record<string, unknown>) => ({
  name,
  seed: 4,
  space,
  objective: { use: 'module', options: { path: './trainer.mjs', isolate: 'none' } },
  suggester: { use: 'random' },
  store: { use: 'memory' },
  pruner: { use: 'median' },
  ...extra,
});

describe('pruning from a config', () => {
  it('"pruner": {"use": "median"} stops trials early and the summary counts them', async () => {
    const path = writeIn(
      dir,
      'prune.json',
      trainerConfig('prune', {
        reporters: [{ use: 'console', options: { trials: false } }],
        budget: { maxTrials: 30 },
      }),
    );
    const run = await cli('run', path);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const match = /(\d+) complete, 0 failed, (\d+) pruned/.exec(run.stdout);
    expect(match).not.toBeNull();
    expect(Number(match?.[1]) + Number(match?.[2])).toBe(30);
    expect(Number(match?.[2])).toBeGreaterThan(5);
  });

  it('a module objective in a worker thread that never asks shouldPrune(): its trials are pruned, and the run says why once', async () => {
    writeIn(
      dir,
      'deaf.mjs',
      'export default async ({ x }, { report }) => { let v = 0; for (let s = 1; s <= 5; s++) { v = x + 10 / s; await report(s, v); } return v; };\n',
    );
    const path = writeIn(
      dir,
      'deaf.json',
      trainerConfig('deaf', {
        objective: { use: 'module', options: { path: './deaf.mjs' } },
        reporters: [{ use: 'console', options: { trials: false } }],
        budget: { maxTrials: 12 },
      }),
    );
    const run = await cli('run', path);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/[1-9]\d* pruned/);
    const said = run.stderr.split('\n').filter((line) => line.includes('it did not ask shouldPrune()'));
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(
      /trial #\d+: the pruner said stop at step \d, and the objective went on to step 5 and returned a loss: .* A prune is final: the trial is recorded pruned with its value at step 5, not the loss it returned\. .* Said once per run\.$/,
    );
  });

  it('a matrix that pruned trials: the comparison table counts them in a pruned column', async () => {
    const path = writeIn(
      dir,
      'prune-matrix.json',
      trainerConfig('pm', { budget: { maxTrials: 20 }, matrix: { seed: [4, 5] } }),
    );
    const run = await cli('run', path, '--quiet');
    expect(run.code, run.stderr).toBe(0);
    const table = run.stdout.slice(run.stdout.lastIndexOf('variant'));
    const [head, row] = table.trim().split('\n');
    expect(head).toMatch(/^variant\s+runs\s+median best\s+best\s+worst\s+complete\s+failed\s+pruned$/);
    const cells = (row ?? '').trim().split(/\s{2,}/);
    expect(cells[1]).toBe('2');
    expect(Number(cells[5]) + Number(cells[6]) + Number(cells[7])).toBe(40);
    expect(Number(cells[7])).toBeGreaterThan(0);
    const json = await cli('run', path, '--json');
    expect(
      (lastJsonLine(json.stdout) as { comparison: { prunedTrials: number }[] }).comparison[0]?.prunedTrials,
    ).toBeGreaterThan(0);
  });

  it('"patient" wraps the pruner its options name: trials stop only once they stall', async () => {
    const path = writeIn(dir, 'patient.json', {
      name: 'patient',
      seed: 4,
      space,
      objective: { use: 'module', options: { path: './overfitting.mjs', isolate: 'none' } },
      suggester: { use: 'random' },
      store: { use: 'memory' },
      pruner: { use: 'patient', options: { patience: 2, minDelta: 0.01, pruner: { use: 'median' } } },
      reporters: [{ use: 'console', options: { trials: false } }],
      budget: { maxTrials: 20 },
    });
    const run = await cli('run', path);
    expect(run.code).toBe(0);
    // Every curve is lowest at epoch 10; its last 3 values are all worse than that by more than 0.01 only
    // from epoch 15 on, so no trial stops before, and the median pruner stops the worse half after.
    const steps = (globalThis as { prunedAt?: number[] }).prunedAt ?? [];
    expect(steps.length).toBeGreaterThan(0);
    expect(run.stdout).toContain(`, ${steps.length} pruned`);
    for (const step of steps) expect(step).toBeGreaterThanOrEqual(15);
  });

  it('"patient" wraps a pruner plugin the config loads, its options checked as a config\'s are', async () => {
    writeIn(
      dir,
      'stall-plugin.mjs',
      `export const manifests = [{
  kind: 'pruner',
  name: 'from-step',
  optionsSchema: { type: 'object', additionalProperties: false, properties: { step: { type: 'integer', minimum: 0, default: 12 } } },
  create: ({ step }) => ({ name: 'from-step', shouldPrune: (context) => context.step >= step }),
}];\n`,
    );
    const config = (name: string, inner: unknown) =>
      writeIn(dir, `${name}.json`, {
        name,
        seed: 4,
        space,
        objective: { use: 'module', options: { path: './overfitting.mjs', isolate: 'none' } },
        suggester: { use: 'random' },
        store: { use: 'memory' },
        plugins: ['./stall-plugin.mjs'],
        pruner: { use: 'patient', options: { patience: 2, minDelta: 0.01, pruner: inner } },
        reporters: [],
        budget: { maxTrials: 6 },
      });
    (globalThis as { prunedAt?: number[] }).prunedAt = [];
    const run = await cli('run', config('patient-plugin', { use: 'from-step' }), '--json');
    expect(run.code, run.stderr).toBe(0);
    // The plugin (default step 12) would stop every trial at epoch 12; patience holds it to epoch 15.
    expect((globalThis as { prunedAt?: number[] }).prunedAt).toEqual([15, 15, 15, 15, 15, 15]);
    expect(JSON.parse(run.stdout)).toMatchObject({ trials: { pruned: 6 } });

    const unknown = await cli('run', config('patient-unknown', { use: 'from-stp' }));
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('/pruner/options/pruner/use: expected one of the pruner plugins: ');
    expect(unknown.stderr).toContain('from-step');
    const bad = await cli('run', config('patient-bad', { use: 'from-step', options: { step: -1 } }));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('/pruner/options/pruner/options/step: expected an integer ≥ 0, found -1');
  });

  it('run --json counts the pruned trials', async () => {
    const path = writeIn(dir, 'json.json', trainerConfig('json', { reporters: [], budget: { maxTrials: 20 } }));
    const run = await cli('run', path, '--json');
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout.split('\n').at(-1) as string) as {
      trials: { complete: number; failed: number; pruned: number };
    };
    expect(summary.trials.pruned).toBeGreaterThan(0);
    expect(summary.trials.complete + summary.trials.pruned).toBe(20);
  });

  it('rejects unknown pruner options with their JSON pointer (exit code 2)', async () => {
    const path = writeIn(dir, 'bad.json', {
      name: 'bad',
      space,
      objective: { use: 'module', options: { path: './trainer.mjs' } },
      store: { use: 'memory' },
      pruner: { use: 'successive-halving', options: { reductionFactor: 1 } },
      budget: { maxTrials: 3 },
    });
    const run = await cli('run', path);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('/pruner/options/reductionFactor');
  });
});

describe('attrs of pruned trials', () => {
  it('a module in a worker thread that throws TrialPruned ends its trial pruned at its last value (trial 59)', async () => {
    // As `throw new TrialPruned()` from the package the module imports (here built by hand: its brand).
    writeIn(
      dir,
      'self-pruning.mjs',
      `export default async ({ x }, context) => {
  await context.report(0, x + 1);
  const error = new Error('diverged');
  error.name = 'TrialPruned';
  Object.defineProperty(error, Symbol.for('parzen.TrialPruned'), { value: true });
  throw error;
};
`,
    );
    const path = writeIn(
      dir,
      'self-pruning.json',
      trainerConfig('self-pruning', {
        objective: { use: 'module', options: { path: './self-pruning.mjs', isolate: 'worker' } },
        store: { use: 'jsonl', options: { path: './self-pruning.parzen.jsonl' } },
        pruner: { use: 'none' },
        budget: { maxTrials: 2 },
        reporters: [],
      }),
    );
    const ran = await cli('run', path);
    expect(ran.code, ran.stderr).toBe(0);
    const rows = JSON.parse((await cli('trials', path, '--json')).stdout) as {
      state: string;
      loss: number;
      params: { x: number };
    }[];
    expect(rows.map((row) => row.state)).toEqual(['pruned', 'pruned']);
    for (const row of rows) expect(row.loss).toBe(row.params.x + 1);
  });

  it('a told module returns {loss, attrs}: trials --json lists them, and export then import keeps them', async () => {
    writeIn(
      dir,
      'trainer-attrs.mjs',
      `export default async ({ x }, context) => {
  let loss;
  for (let step = 0; step < 20; step++) {
    loss = x + Math.exp(-step / 4);
    await context.report(step, loss);
    if (context.shouldPrune()) return { loss, attrs: { stoppedAt: step } };
  }
  return { loss, attrs: { stoppedAt: 20 } };
};
`,
    );
    const store = { use: 'jsonl', options: { path: './attrs.parzen.jsonl' } };
    const objective = { use: 'module', options: { path: './trainer-attrs.mjs', isolate: 'none' } };
    const path = writeIn(
      dir,
      'attrs.json',
      trainerConfig('attrs', { objective, store, budget: { maxTrials: 20 }, reporters: [] }),
    );
    expect((await cli('run', path)).code).toBe(0);
    const listed = await cli('trials', path, '--json');
    const rows = JSON.parse(listed.stdout) as { state: string; step: number; attrs?: { stoppedAt: number } }[];
    const pruned = rows.filter((row) => row.state === 'pruned');
    expect(pruned.length).toBeGreaterThan(0);
    for (const row of pruned) expect(row.attrs).toEqual({ stoppedAt: row.step });
    expect((await cli('export', path, '-o', `${dir}/attrs-export.jsonl`)).code).toBe(0);
    const copy = writeIn(
      dir,
      'attrs-copy.json',
      trainerConfig('attrs-copy', { objective, store, budget: { maxTrials: 20 }, reporters: [] }),
    );
    const imported = await cli('import', copy, `${dir}/attrs-export.jsonl`);
    expect(imported.code, imported.stderr).toBe(0);
    const copied = JSON.parse((await cli('trials', copy, '--json')).stdout) as typeof rows;
    expect(copied.filter((row) => row.state === 'pruned').map((row) => row.attrs)).toEqual(
      pruned.map((row) => row.attrs),
    );
  });
});

describe('parzen trials shows the last step', () => {
  it('as a column of the table, the CSV and a field of the JSON rows', async () => {
    const result = await fmin({
      space,
      suggester: createRandomSuggester(),
      pruner: createMedianPruner(),
      maxTrials: 12,
      seed: 2,
      objective: async ({ x }, context) => {
        let loss = 0;
        for (let step = 0; step < 20; step++) {
          loss = x + Math.exp(-step / 4);
          await context.report(step, loss);
          if (context.shouldPrune()) break;
        }
        return loss;
      },
    });
    const rows = trialRows('fmin', compileSpace(space), result.trials);
    const pruned = rows.find((row) => row.state === 'pruned');
    expect(pruned?.step).toBeLessThan(19);
    expect(rows.filter((row) => row.state === 'complete').every((row) => row.step === 19)).toBe(true);
    const table = [...trialsTableLines(rows)];
    expect(table[0]).toMatch(/#\s+state\s+loss\s+step\s+x/);
    const csv = [...trialsCsvLines(rows)];
    expect(csv[0]).toBe('study,number,state,loss,step,x,error_code,error_message,started_at,finished_at');
    expect(csv[(pruned?.number ?? 0) + 1]?.split(',')[4]).toBe(String(pruned?.step));
    expect(JSON.parse(JSON.stringify(rows))[pruned?.number ?? 0].step).toBe(pruned?.step);
  });
});
