import type { StudySpec, TrialStore } from '@parzen/engine/plugin';
import { expect } from 'vitest';

const spec: StudySpec = {
  name: 'reports',
  direction: 'minimize',
  seed: 1,
  space: { x: { type: 'uniform', low: 0, high: 1 } },
};

/**
 * Two stores over the same data: what one reports (non-finite values too) and imports, the other sees on
 * its next `listTrials`, however it reads incrementally (a report must mark its trial as changed).
 */
export const expectReportsSeenIncrementally = async (open: () => TrialStore | Promise<TrialStore>): Promise<void> => {
  const a = await open();
  const b = await open();
  try {
    const report = a.reportIntermediate?.bind(a);
    const addTrials = a.addTrials?.bind(a);
    if (report === undefined || addTrials === undefined)
      throw new Error('the store has no reportIntermediate or addTrials');
    await a.openStudy(spec);
    await a.createTrial(spec.name);
    await a.createTrial(spec.name);
    expect((await b.listTrials(spec.name)).map((trial) => trial.intermediate)).toEqual([undefined, undefined]);
    await report(spec.name, 1, 5, Number.NaN);
    await report(spec.name, 1, 2, Number.NEGATIVE_INFINITY);
    await report(spec.name, 1, 2, 7); // kept: the first value of step 2
    await addTrials(spec.name, [{ internal: { x: 0.3 }, outcome: { state: 'complete', loss: 3 } }]);
    const seen = await b.listTrials(spec.name);
    expect(seen[0]?.intermediate).toBeUndefined();
    expect(seen[1]?.intermediate).toEqual([
      { step: 2, value: Number.NEGATIVE_INFINITY },
      { step: 5, value: Number.NaN },
    ]);
    expect(seen[2]).toMatchObject({ state: 'complete', loss: 3, internal: { x: 0.3 } });
  } finally {
    await a.close();
    await b.close();
  }
};
