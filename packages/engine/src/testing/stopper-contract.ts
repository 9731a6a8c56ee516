import { describe, expect, it } from 'vitest';
import type { StopContext, Stopper } from '../contracts/stopper.js';
import type { CompleteTrial, Direction, Trial } from '../domain/trial.js';
import { expectNamed } from './named.js';

/** How {@link describeStopperContract} exercises a stopper. */
export interface StopperContractOptions {
  /** A fresh stopper (or a promise of one: a manifest's `create`). */
  readonly create: () => Stopper | Promise<Stopper>;
  /**
   * Whether a maximize study of negated losses gets the same answers (default true). False for stoppers
   * with absolute bounds, which mean the same whatever the direction.
   */
  readonly mirrors?: boolean;
}

/** Losses that improve fast, then slowly, then not at all, with a failure now and then. */
const LOSSES: readonly (number | undefined)[] = Array.from({ length: 120 }, (_, i) =>
  i % 17 === 5 ? undefined : 0.1 + 2 / (1 + i) + (i > 60 ? 0.05 * ((i * 7919) % 13) : 0),
);

const trialOf = (number: number, loss: number | undefined, direction: Direction): Trial =>
  Object.freeze(
    loss === undefined
      ? {
          study: 'contract',
          number,
          state: 'failed' as const,
          internal: Object.freeze({}),
          startedAt: '',
          finishedAt: '',
          error: Object.freeze({ code: 'OBJECTIVE_THREW', message: 'boom' }),
        }
      : {
          study: 'contract',
          number,
          state: 'complete' as const,
          internal: Object.freeze({}),
          startedAt: '',
          finishedAt: '',
          loss: direction === 'maximize' ? -loss : loss,
        },
  );

/** The context after each trial of the study, as the run loop gives them (frozen: a stopper only reads). */
const contexts = (direction: Direction): StopContext[] => {
  const trials = LOSSES.map((loss, number) => trialOf(number, loss, direction));
  let best: CompleteTrial | undefined;
  return trials.map((trial, i) => {
    if (
      trial.state === 'complete' &&
      (best === undefined || (direction === 'maximize' ? trial.loss > best.loss : trial.loss < best.loss))
    )
      best = trial;
    return Object.freeze({
      study: 'contract',
      direction,
      trial: trial as StopContext['trial'],
      trials: Object.freeze(trials.slice(0, i + 1)),
      best,
    });
  });
};

const answers = (stopper: Stopper, list: readonly StopContext[]) => list.map((context) => stopper.shouldStop(context));

/**
 * The behaviour every stopper must have: it answers a reason (a string), `true`, or `undefined` / `false`;
 * it is a deterministic function of its context (no hidden state, no change to the context); and it
 * respects the study's direction (a maximize study of negated losses is answered the same).
 */
export const describeStopperContract = (name: string, options: StopperContractOptions): void => {
  const { create } = options;
  describe(`stopper contract: ${name}`, () => {
    it('has a name, a non-empty string (messages name the stopper by it)', async () => {
      expectNamed(await create(), 'stopper');
    });

    it('answers a string, a boolean or undefined, the same for the same context, with no state carried between calls', async () => {
      const list = contexts('minimize');
      const first = answers(await create(), list);
      for (const answer of first)
        expect(
          ['string', 'boolean', 'undefined'],
          'shouldStop must return a reason (a string), true or false, or undefined (not a promise: it is asked synchronously)',
        ).toContain(typeof answer);
      const reused = await create();
      answers(reused, [...list].reverse());
      const same =
        'the answers differ for the same contexts: a stopper must answer from its context alone (no state carried between calls, no clock or random draws in its reason, its input not changed)';
      expect(answers(reused, list), `${same} (the same stopper, asked again after other contexts)`).toEqual(first);
      expect(answers(await create(), list), `${same} (a second stopper from create)`).toEqual(first);
    });

    if (options.mirrors !== false) {
      it('respects the direction: a maximize study of negated losses gets the same answers', async () => {
        expect(
          answers(await create(), contexts('maximize')),
          'a maximize study with every loss negated must get the same answers (compare losses with lossToMinimize(loss, direction); or pass mirrors: false)',
        ).toEqual(answers(await create(), contexts('minimize')));
      });
    }
  });
};
