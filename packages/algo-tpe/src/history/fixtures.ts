import type { Trial } from '@parzen/engine/plugin';

/** A finished test trial with a learning curve (value at step 0, 1, …); its loss is the last value. */
export const curveTrial = (number: number, state: 'complete' | 'pruned', values: number[], x = number): Trial =>
  ({
    study: 's',
    number,
    state,
    internal: { x },
    intermediate: values.map((value, step) => ({ step, value })),
    loss: values.at(-1) as number,
    startedAt: '',
    finishedAt: '',
  }) as Trial;

/**
 * `count` complete trials over x, y in [0, 1] (a golden-ratio walk) and a choice `model` (alternating),
 * scored along the valley x + y = 1: (x + y − 1)² · 20 + (x − y)² + model.
 */
export const valleyTrials = (count: number): Trial[] =>
  Array.from({ length: count }, (_, number) => {
    const x = (number * 0.618034) % 1;
    const y = (number * 0.414214) % 1;
    const model = number % 2;
    return {
      study: 's',
      number,
      state: 'complete',
      internal: { x, y, model },
      loss: valleyLoss(x, y, model),
      startedAt: '',
      finishedAt: '',
    };
  });

/** The valley's loss: (x + y − 1)² · 20 + (x − y)² + model (model 0 or 1). */
export const valleyLoss = (x: number, y: number, model: number): number => (x + y - 1) ** 2 * 20 + (x - y) ** 2 + model;
