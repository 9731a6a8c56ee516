import { describe, expect, it } from 'vitest';
import { applyOverrides } from './overrides.js';

const config = { name: 'x', seed: 1, budget: { maxTrials: 6, patience: 10 } };

describe('applyOverrides', () => {
  it('replaces the trial-count rules of the budget and keeps the others', () => {
    expect(applyOverrides(config, { moreTrials: 2 })).toEqual({
      name: 'x',
      seed: 1,
      budget: { patience: 10, moreTrials: 2 },
    });
    expect(applyOverrides(config, { maxTrials: 50 })).toEqual({
      name: 'x',
      seed: 1,
      budget: { patience: 10, maxTrials: 50 },
    });
    expect(applyOverrides({ ...config, budget: { moreTrials: 3 } }, { maxTrials: 9 })).toMatchObject({
      budget: { maxTrials: 9 },
    });
  });

  // A CI user had no way to give a run a time limit from the command line.
  it("sets the budget's time limit from --max-seconds, the other rules kept", () => {
    expect(applyOverrides({ ...config, budget: { maxTrials: 6, maxSeconds: 600 } }, { maxSeconds: 30 })).toEqual({
      name: 'x',
      seed: 1,
      budget: { maxTrials: 6, maxSeconds: 30 },
    });
    expect(applyOverrides({ name: 'y' }, { maxSeconds: 0.5 })).toEqual({ name: 'y', budget: { maxSeconds: 0.5 } });
  });

  it('sets seed, concurrency and store, and leaves the config itself alone', () => {
    const changed = applyOverrides(config, { seed: 4, concurrency: 2, store: { use: 'memory' } });
    expect(changed).toMatchObject({ seed: 4, concurrency: 2, store: { use: 'memory' }, budget: { maxTrials: 6 } });
    expect(config.seed).toBe(1);
  });
});
