import { describe, expect, it } from 'vitest';
import type { Suggester } from '../contracts/suggester.js';
import { sampleDistribution } from '../domain/sample-distribution.js';
import { fmin } from '../fmin.js';

const prior: Suggester = {
  name: 'prior',
  beginTrial: (context) => ({ sampleParam: (param) => sampleDistribution(param.distribution, context.rng) }),
};

describe('reporters of a run', () => {
  it("calls an async reporter's end once its onEvent calls have settled (trial 73: end, then fmin, came first)", async () => {
    const log: string[] = [];
    const result = await fmin({
      objective: (params) => params.x,
      space: { x: { type: 'uniform', low: 0, high: 1 } },
      suggester: prior,
      maxTrials: 3,
      reporters: [
        {
          name: 'slow',
          onEvent: async (event) => {
            await new Promise((resolve) => setTimeout(resolve, 20));
            log.push(event.type);
          },
          end: () => {
            log.push('end');
          },
        },
      ],
    });
    log.push('fmin resolved');
    expect(result.trials).toHaveLength(3);
    expect(log.at(-2)).toBe('end');
    expect(log.at(-1)).toBe('fmin resolved');
    expect(log.filter((entry) => entry === 'trial.finished')).toHaveLength(3);
    expect(log).toContain('study.finished');
  });
});
