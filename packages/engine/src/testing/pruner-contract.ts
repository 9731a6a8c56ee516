import { describe, expect, it } from 'vitest';
import type { PruneContext, Pruner } from '../contracts/pruner.js';
import type { Direction, IntermediateValue, RunningTrial, Trial } from '../domain/trial.js';
import { expectNamed } from './named.js';

/** How {@link describePrunerContract} exercises a pruner. */
export interface PrunerContractOptions {
  /** A fresh pruner (or a promise of one: a manifest's `create`). */
  readonly create: () => Pruner | Promise<Pruner>;
  /**
   * Whether the pruner judges a trial against the others (default true). Pruners that judge a trial
   * alone (threshold, patience) are exempt from "never prunes a trial with no competitors".
   */
  readonly comparesTrials?: boolean;
  /**
   * Whether a maximize study with every value negated gets the same decisions (default true). False
   * for pruners with absolute bounds (threshold), which mean the same whatever the direction.
   */
  readonly mirrors?: boolean;
}

const STEPS = 30;

const point = (step: number, value: number): IntermediateValue => Object.freeze({ step, value });

/** A learning curve that decays from `start` towards `floor` (what most training losses look like). */
const decaying = (start: number, floor: number, rate: number, steps = STEPS): IntermediateValue[] =>
  Array.from({ length: steps }, (_, step) => point(step, floor + (start - floor) * Math.exp(-rate * step)));

const base = (number: number) => ({ study: 'contract', number, internal: Object.freeze({}), startedAt: '' });

const completeTrial = (number: number, curve: readonly IntermediateValue[]): Trial =>
  Object.freeze({
    ...base(number),
    state: 'complete' as const,
    loss: (curve.at(-1) as IntermediateValue).value,
    finishedAt: '',
    intermediate: Object.freeze([...curve]),
  });

const runningTrial = (number: number, curve: readonly IntermediateValue[]): RunningTrial =>
  Object.freeze({ ...base(number), state: 'running' as const, intermediate: Object.freeze([...curve]) });

const flipped = (curve: readonly IntermediateValue[], direction: Direction) =>
  direction === 'maximize' ? curve.map((p) => point(p.step, -p.value)) : curve;

const completed = new Map<string, readonly Trial[]>();

/** `count` complete trials with decaying curves of varied quality (deterministic), built once. */
const completeTrials = (count: number, direction: Direction): readonly Trial[] => {
  const key = `${count}/${direction}`;
  let trials = completed.get(key);
  if (trials === undefined) {
    trials = Array.from({ length: count }, (_, i) => {
      const floor = 0.2 + ((i * 7919) % 97) / 97;
      return completeTrial(i, flipped(decaying(2 + floor, floor, 0.15 + ((i * 31) % 7) / 40), direction));
    });
    completed.set(key, trials);
  }
  return trials;
};

/** A study of `count` complete trials and a running trial `count` whose curve is `curve` so far. */
const study = (count: number, curve: readonly IntermediateValue[], direction: Direction = 'minimize') => {
  const trial = runningTrial(count, flipped(curve, direction));
  const context: PruneContext = Object.freeze({
    study: 'contract',
    direction,
    trial,
    step: (curve.at(-1) as IntermediateValue).step,
    trials: Object.freeze([...completeTrials(count, direction), trial]),
  });
  return context;
};

/** Every prefix of a curve, as the contexts a trial is judged in report after report. */
const prefixes = (count: number, curve: readonly IntermediateValue[], direction: Direction = 'minimize') =>
  curve.map((_, i) => study(count, curve.slice(0, i + 1), direction));

const decisions = (pruner: Pruner, contexts: readonly PruneContext[]) =>
  contexts.map((context) => pruner.shouldPrune(context));

/** A curve far worse than every complete trial's, and getting worse: any pruner should stop it. */
const terrible = Array.from({ length: STEPS }, (_, step) => point(step, 50 + step));
const good = decaying(1.5, 0.05, 0.3);
/** At step 0 where the complete trials start (about 2.7), then as `terrible`. */
const fallsBehind = [point(0, 2.7), ...terrible.slice(1)];

/** What the same-decisions checks say when they fail. */
const STATE =
  'the decisions differ for the same contexts: a pruner must decide from its context alone (no state carried between calls, no random draws of its own, its input not changed)';

/**
 * The behaviour every pruner must have: its answer is a deterministic function of its context (what it
 * keeps between calls only spares work; it changes nothing it is given), never prunes a trial with no competitors (for pruners that compare trials),
 * eventually prunes a trial far worse than all others, lets a trial better than all others run, and
 * respects the study's direction (a maximize study of negated values is judged the same).
 */
export const describePrunerContract = (name: string, options: PrunerContractOptions): void => {
  const { create } = options;
  describe(`pruner contract: ${name}`, () => {
    it('has a name, a non-empty string (messages name the pruner by it)', async () => {
      expectNamed(await create(), 'pruner');
    });

    it('returns booleans, decides the same for the same context, with no state carried between calls', async () => {
      const contexts = [...prefixes(30, terrible), ...prefixes(30, good), ...prefixes(8, decaying(3, 1, 0.1))];
      const first = decisions(await create(), contexts);
      for (const decision of first)
        expect(
          typeof decision,
          'shouldPrune must return true or false (not a promise: it is asked synchronously)',
        ).toBe('boolean');
      const reused = await create();
      decisions(reused, [...contexts].reverse());
      expect(decisions(reused, contexts), `${STATE} (the same pruner, asked again after other trials)`).toEqual(first);
      expect(decisions(await create(), contexts), `${STATE} (a second pruner from create)`).toEqual(first);
    });

    it('eventually prunes a trial far worse than every complete trial', async () => {
      const pruned = decisions(await create(), prefixes(40, terrible));
      expect(pruned, 'a trial whose every value is far worse than every complete trial was never pruned').toContain(
        true,
      );
    });

    // Trial 45.
    it('eventually prunes a trial that starts as the others do and then falls far behind them', async () => {
      // A pruner that judged only the first step passed the test above. (A trial that starts better than the
      // others is not asked: the median rule, as Optuna's, judges a trial by its best value so far.)
      for (const count of [30, 41])
        expect(
          decisions(await create(), prefixes(count, fallsBehind)),
          `as trial #${count}, a trial that fell far behind every complete trial after its first steps was never pruned`,
        ).toContain(true);
    });

    // Trial 45.
    it('lets a trial better than every complete trial run to its end, whatever its number', async () => {
      // Judged as trial 5 … 41 (its number is the count of trials before it): a pruner that pruned
      // odd-numbered trials passed when only trial 40 was judged.
      for (let count = 5; count <= 41; count++)
        expect(
          decisions(await create(), prefixes(count, good)),
          `as trial #${count}, a trial better than every complete trial at every step was pruned`,
        ).not.toContain(true);
    });

    if (options.comparesTrials !== false) {
      it('never prunes a trial with no competitors', async () => {
        const pruner = await create();
        for (const curve of [terrible, good]) {
          for (const context of prefixes(0, curve))
            expect(
              pruner.shouldPrune(context),
              `step ${context.step}: a trial was pruned with no other trial to compare it with (or pass comparesTrials: false)`,
            ).toBe(false);
        }
      });
    }

    if (options.mirrors !== false) {
      it('respects the direction: a maximize study of negated values gets the same decisions', async () => {
        for (const curve of [terrible, good, decaying(2.5, 0.8, 0.2), decaying(2, 0.3, 0.05)]) {
          for (const count of [3, 12, 40]) {
            const minimize = decisions(await create(), prefixes(count, curve, 'minimize'));
            const maximize = decisions(await create(), prefixes(count, curve, 'maximize'));
            expect(
              maximize,
              `${count} trials before it: a maximize study with every value negated must get the same decisions (judge values with lossToMinimize(value, direction); or pass mirrors: false)`,
            ).toEqual(minimize);
          }
        }
      });
    }
  });
};
