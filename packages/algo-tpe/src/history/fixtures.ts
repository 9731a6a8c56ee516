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
