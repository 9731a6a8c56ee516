import type { ObjectiveBehaviour } from '../testing/objective-contract.js';
import { describeObjectiveContract } from '../testing/objective-contract.js';
import { createFunctionObjective, type ObjectiveFunction } from './function-objective.js';

/** The contract's behaviours as objective functions (see `ObjectiveBehaviour`). */
const behaviours: Record<ObjectiveBehaviour, ObjectiveFunction> = {
  loss: ({ x }) => x as number,
  attrs: ({ x }) => ({ loss: x as number, attrs: { x, tag: 'contract', list: [1, 'two', null, true] } }),
  throws: () => {
    throw new Error('contract failure');
  },
  nan: () => Number.NaN,
  infinite: () => Number.POSITIVE_INFINITY,
  // @ts-expect-error: a loss that is no number, refused at run time (as from JavaScript)
  notANumber: () => ({ loss: 'low' }),
  badAttrs: ({ x }) => ({ loss: x as number, attrs: { bad: Number.NaN } }),
  statusFail: ({ x }) => ({ loss: x as number, status: 'fail' }),
  reports: async (_, { report }) => {
    for (const [step, value] of [1, 0.5, 0.25, 0.125, 0.0625].entries()) await report(step, value);
    return 0.0625;
  },
  keepsReporting: async (_, { report, shouldPrune }) => {
    for (let step = 0; ; step++) {
      await report(step, step + 1);
      if (shouldPrune()) return step + 1;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  },
  honoursAbort: (_, { signal }) =>
    new Promise((_resolve, reject) => {
      const stop = () => reject(new Error('stopped by its signal'));
      if (signal.aborted) stop();
      else signal.addEventListener('abort', stop, { once: true });
    }),
  // Not run (`forcedStop`): a function on Parzen's own thread cannot be stopped; the run loop abandons it.
  ignoresAbort: () => new Promise(() => {}),
};

describeObjectiveContract('function', {
  create: (behaviour) => createFunctionObjective(behaviours[behaviour]),
  without: ['forcedStop'],
});
