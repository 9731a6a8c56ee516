import { fmin } from '@parzen/engine';
import { createRng } from '@parzen/engine/plugin';
import { describeSuggesterContract } from '@parzen/engine/testing';
import { describe, expect, it } from 'vitest';
import { createAnnealSuggester } from './anneal-suggester.js';
import { sampleNeighbour } from './neighbour.js';

describeSuggesterContract('anneal', { create: () => createAnnealSuggester() });

describe('anneal', () => {
  it('keeps neighbours inside the prior and narrows them as shrinking falls', () => {
    const rng = createRng('neighbour');
    const distribution = { kind: 'uniform', low: -2, high: 2 } as const;
    const wide = Array.from({ length: 200 }, () => sampleNeighbour(distribution, 1.9, 1, rng));
    const narrow = Array.from({ length: 200 }, () => sampleNeighbour(distribution, 1.9, 0.05, rng));
    expect(wide.every((x) => x >= -2 && x <= 2)).toBe(true);
    expect(Math.min(...wide)).toBeLessThan(0.5);
    expect(narrow.every((x) => x >= 1.8 && x <= 2)).toBe(true);
  });

  it('concentrates its suggestions near the best trial as it goes', async () => {
    const result = await fmin({
      objective: ({ x }: { x: number }) => (x - 1.3) ** 2,
      space: { x: { type: 'uniform', low: -10, high: 10 } },
      suggester: createAnnealSuggester(),
      maxTrials: 80,
      seed: 7,
    });
    const xs = result.trials.map((trial) => trial.internal.x as number);
    const spread = (values: number[]) => values.reduce((sum, x) => sum + Math.abs(x - 1.3), 0) / values.length;
    expect(spread(xs.slice(-20))).toBeLessThan(spread(xs.slice(0, 20)) / 3);
    expect(result.best?.loss).toBeLessThan(0.05);
  });
});
