import { type EngineEvent, fmin, type ObjectiveFunction, type Pruner, type Trial } from '@parzen/engine';
import { type Suggester, sampleDistribution } from '@parzen/engine/plugin';
import { describe, expect, it } from 'vitest';
import { createHyperbandPruner } from './hyperband.js';
import { createMedianPruner } from './percentile.js';
import { createSuccessiveHalvingPruner } from './successive-halving.js';

const priorSuggester: Suggester = {
  name: 'prior',
  beginTrial: (context) => ({ sampleParam: (param) => sampleDistribution(param.distribution, context.rng) }),
};

const STEPS = 20;
const space = { x: { type: 'uniform', low: 0, high: 1 } } as const;

/**
 * A training loop: the loss at each epoch decays towards x. It awaits each report and stops when the pruner says so,
 * unless `awaits` is `false` (a synchronous loop: shouldPrune() is still false when it asks) or `stops` is `false`
 * (it goes on to the last step whatever the pruner says).
 */
const loop =
  ({ awaits = true, stops = true } = {}): ObjectiveFunction<{ x: number }> =>
  async ({ x }, context) => {
    let loss = Number.NaN;
    for (let step = 0; step < STEPS; step++) {
      loss = x + Math.exp(-step / 4);
      if (awaits) await context.report(step, loss);
      else void context.report(step, loss);
      if (stops && context.shouldPrune()) break;
    }
    return loss;
  };
const training = loop();

const steps = (trial: Trial) => trial.intermediate?.length ?? 0;

describe('a pruned run really stops early', () => {
  it('median: bad trials end pruned before their last step, the better ones complete', async () => {
    const events: EngineEvent[] = [];
    const result = await fmin({
      space,
      objective: training,
      suggester: priorSuggester,
      pruner: createMedianPruner(),
      maxTrials: 40,
      seed: 11,
      reporters: [{ name: 'collect', onEvent: (event) => void events.push(event) }],
    });
    const pruned = result.trials.filter((trial) => trial.state === 'pruned');
    const complete = result.trials.filter((trial) => trial.state === 'complete');
    expect(pruned.length).toBeGreaterThan(10);
    expect(complete.length + pruned.length).toBe(40);
    for (const trial of pruned) expect(steps(trial)).toBeLessThan(STEPS);
    for (const trial of complete) expect(steps(trial)).toBe(STEPS);
    // A trial better than every complete trial before it is never pruned, a pruned one is worse than one.
    const x = (trial: Trial) => trial.internal.x as number;
    for (const trial of result.trials) {
      const before = complete.filter((other) => other.number < trial.number).map(x);
      if (before.length >= 5 && x(trial) < Math.min(...before)) expect(trial.state).toBe('complete');
      if (trial.state === 'pruned') expect(x(trial)).toBeGreaterThan(Math.min(...before));
    }
    const best = result.trials.reduce((a, b) => (x(a) < x(b) ? a : b));
    expect(best.state).toBe('complete');
    expect(result.best?.number).toBe(best.number);
    const total = result.trials.reduce((sum, trial) => sum + steps(trial), 0);
    expect(total).toBeLessThan(0.7 * 40 * STEPS);
    expect(events.filter((event) => event.type === 'trial.reported')).toHaveLength(total);
  });

  it('successive halving and hyperband stop most trials at a rung', async () => {
    for (const pruner of [createSuccessiveHalvingPruner({ minResource: 1 }), createHyperbandPruner()]) {
      const result = await fmin({
        space,
        objective: training,
        suggester: priorSuggester,
        pruner,
        maxTrials: 40,
        seed: 5,
      });
      const pruned = result.trials.filter((trial) => trial.state === 'pruned');
      expect(pruned.length).toBeGreaterThan(10);
      for (const trial of pruned) expect(steps(trial)).toBeLessThan(STEPS);
    }
  });
});

describe('reports not awaited (a synchronous loop) are judged each at its own step', () => {
  const unawaited = loop({ awaits: false });
  const deaf = loop({ stops: false });
  /** The step each trial was first told to stop at, by trial number. */
  const toldAt = async (objective: ObjectiveFunction<{ x: number }>, pruner: () => Pruner) => {
    const told = new Map<number, number>();
    const warnings: string[] = [];
    // The steps each judgement was asked about, and the last step of the curve it was shown.
    const judged: { step: number; shown: number | undefined }[] = [];
    const inner = pruner();
    const result = await fmin({
      space,
      objective,
      suggester: priorSuggester,
      pruner: {
        name: inner.name,
        shouldPrune: (context) => {
          judged.push({ step: context.step, shown: context.trial.intermediate?.at(-1)?.step });
          return inner.shouldPrune(context);
        },
      },
      maxTrials: 30,
      seed: 5,
      onWarning: (message) => warnings.push(message),
      reporters: [
        {
          name: 'collect',
          onEvent: (event) => {
            if (event.type === 'trial.reported' && event.prune && !told.has(event.number))
              told.set(event.number, event.step);
          },
        },
      ],
    });
    return { told, warnings, result, judged };
  };
  for (const [name, pruner] of [
    ['successive halving', () => createSuccessiveHalvingPruner({ minResource: 1 })],
    ['hyperband', () => createHyperbandPruner()],
    ['median', () => createMedianPruner()],
  ] as const) {
    it(`${name}: the trials are told to stop at the steps an awaited loop is told, too late, and the run says so once`, async () => {
      const late = await toldAt(unawaited, pruner);
      const inTime = await toldAt(deaf, pruner);
      // Each judged on the curve up to the step it reported (before: the whole curve, judged at its last step).
      expect(late.judged.length).toBeGreaterThan(30);
      expect(late.judged.filter((at) => at.shown !== at.step)).toEqual([]);
      expect(late.told.size).toBeGreaterThan(5);
      // The median pruner compares with complete trials only, and the awaited loop's told trials end pruned, the
      // late ones complete: the same trials are told there only while no trial was told (the first one).
      if (name === 'median') expect([...late.told][0]).toEqual([...inTime.told][0]);
      else expect([...late.told]).toEqual([...inTime.told]);
      // Nothing stopped them: each keeps its own result.
      expect(late.result.trials.every((trial) => trial.state === 'complete')).toBe(true);
      const first = [...late.told][0] as [number, number];
      expect(late.warnings.filter((message) => message.includes('reports were not awaited'))).toEqual([
        `trial #${first[0]}: the pruner said stop at step ${first[1]} only after the objective had ended: its reports were not awaited, so shouldPrune() was still false, and the trial keeps its own result. Await each report (await context.report(step, value)) before asking shouldPrune(), so that trials stop early.`,
      ]);
    });
  }
});
