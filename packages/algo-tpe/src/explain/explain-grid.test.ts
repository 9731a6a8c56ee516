import { compileSpace } from '@parzen/engine/plugin';
import { describe, expect, it } from 'vitest';
import { explainGrid } from './explain-grid.js';

describe('explainGrid', () => {
  it("starts a qlognormal's grid at q, not 0, which its log axis cannot place (trial 95: the chart collapsed)", () => {
    const space = compileSpace({ x: { type: 'qlognormal', mu: 1, sigma: 1, q: 0.1 } });
    const grid = explainGrid((space.byName.get('x') ?? { distribution: undefined }).distribution as never, 101);
    expect(grid[0]).toBe(0.1);
    expect(grid.every((value) => value > 0)).toBe(true);
    // A lognormal's grid was never at 0.
    const plain = compileSpace({ x: { type: 'lognormal', mu: 1, sigma: 1 } });
    expect(explainGrid(plain.params[0]?.distribution as never, 11)[0]).toBeGreaterThan(0);
  });
});
