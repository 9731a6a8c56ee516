import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '@parzen/cli';
import { describe, expect, it } from 'vitest';
import { evaluatePolicy, tableRow, trainAgent } from './agent.js';
import { MAX_STEPS, playEpisode, stepCartPole } from './cartpole.js';
import objective from './objective.js';
import { HyperParameters } from './qlearning.js';
import { seededRandom } from './random.js';
import { ReplayMemory } from './replay-memory.js';

const here = dirname(fileURLToPath(import.meta.url));
const example = join(here, '..');

/** Runs the `parzen` CLI in-process; returns the exit code and the result lines (stdout). */
const parzen = async (...args: string[]) => {
  const lines: string[] = [];
  const code = await runCli(['node', 'parzen', ...args], { result: (line) => lines.push(line), note: () => {} });
  return { code, lines, last: JSON.parse(lines.at(-1) ?? 'null') };
};

const settings = (overrides: Partial<HyperParameters> = {}) => Object.assign(new HyperParameters(), overrides);

describe('CartPole', () => {
  it('lets the pole fall when the cart is always pushed the same way, and ends the episode', () => {
    let state = [0, 0, 0, 0] as const as readonly [number, number, number, number];
    let steps = 0;
    for (let failed = false; !failed; steps++) ({ state, failed } = stepCartPole(state, 1));
    expect(state[2]).toBeLessThan(-0.2); // pushed right, the pole falls to the left
    expect(steps).toBeGreaterThan(5);
    expect(steps).toBeLessThan(20);
  });

  it('caps an episode at MAX_STEPS for a policy that balances', () => {
    // A hand-written controller: push towards where the pole is falling.
    const balance = playEpisode(([, , theta, thetaDot]) => (theta + 0.5 * thetaDot > 0 ? 1 : 0), seededRandom(3));
    expect(balance).toBe(MAX_STEPS);
    expect(playEpisode(() => 0, seededRandom(3))).toBeLessThan(15);
  });

  it('bins states into table rows', () => {
    expect(tableRow([0, 0, 0, 0], [1, 1, 1, 1])).toBe(0);
    expect(tableRow([0, 0, 0.2, 3.4], [1, 1, 6, 3])).toBe(5 * 3 + 2);
    expect(tableRow([0, 0, -1, -9], [1, 1, 6, 3])).toBe(0);
  });
});

describe('the recall memory', () => {
  it('holds the latest episodes and forgets the oldest whole', () => {
    const memory = new ReplayMemory(2, 10);
    for (const [episode, length] of [3, 4, 5].entries()) {
      for (let i = 0; i < length; i++) memory.push(episode, 0, 0, false);
      memory.endEpisode();
    }
    expect(memory.length).toBe(9);
    const seen = new Set<number>();
    memory.recall(200, seededRandom(1), (state) => seen.add(state));
    expect([...seen].sort()).toEqual([1, 2]);
  });
});

describe('the Q-learning agent', () => {
  it('learns to balance with its defaults, and not with a learning rate of 1e-5', () => {
    expect(-settings().runAndGetError()).toBeGreaterThan(100);
    expect(-settings({ learningRate: 1e-5 }).runAndGetError()).toBeLessThan(30);
  });

  it('learns with double Q-learning too, and is a function of its settings and seeds', () => {
    const double = settings({ useDoubleQLearning: true, learningRate: 0.5 });
    expect(-double.runAndGetError()).toBeGreaterThan(100);
    expect(double.runAndGetError()).toBe(double.runAndGetError());
    const policy = trainAgent(
      {
        ...double,
        bins: [double.positionBins, double.velocityBins, double.angleBins, double.angularVelocityBins],
      },
      1,
    );
    expect(evaluatePolicy(policy, 5, 7)).toBe(evaluatePolicy(policy, 5, 7));
  });

  it('keeps the program free of tuning code, and the objective rejects unknown keys', () => {
    for (const file of ['qlearning.ts', 'agent.ts', 'cartpole.ts', 'objective.ts'])
      expect(readFileSync(join(here, file), 'utf8')).not.toContain('@parzen/');
    expect(() => objective({ learningRat: 0.1 })).toThrow(/learningRat.*not a field of HyperParameters/);
  });
});

describe('tuning it with the parzen CLI', () => {
  it('runs experiment.json; the best loss is the agent’s real evaluation of the best params', async () => {
    const run = await parzen(
      'run',
      join(example, 'experiment.json'),
      '--max-trials',
      '5',
      '--store',
      'memory',
      '--json',
      '--quiet',
    );
    expect(run.code).toBe(0);
    expect(run.last.trials).toEqual({ complete: 5, failed: 0, pruned: 0, running: 0 });
    expect(Object.keys(run.last.best.params).sort()).toEqual(Object.keys(new HyperParameters()).sort());
    expect(run.last.best.loss).toBe(objective(run.last.best.params));
    expect(run.last.best.loss).toBeLessThan(0);
  });

  it('compare.json expands to random, univariate TPE and the default TPE over ten seeds', async () => {
    const check = await parzen('validate', join(example, 'compare.json'), '--json');
    expect(check.code).toBe(0);
    const studies = (check.last.valid as { studies: string[] }[])[0]?.studies;
    expect(studies).toHaveLength(30);
    expect(studies).toContain('qlearning-compare.suggester-tpe.seed-10');
  });
});
