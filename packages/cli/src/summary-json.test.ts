import { describe, expect, it } from 'vitest';
import { summaryJson } from './summary-json.js';

const summary = {
  study: 'par',
  direction: 'minimize' as const,
  complete: 21,
  failed: 0,
  pruned: 17,
  running: 2,
  best: undefined,
  bestParams: undefined,
};

describe('summaryJson', () => {
  it("counts the trials other workers still run, so the counts add up to the study's (trial 35)", () => {
    expect(summaryJson(summary, 'max-trials').trials).toEqual({ complete: 21, failed: 0, pruned: 17, running: 2 });
  });

  it('gives every count, 0 too, as studies --json does (trials 87/88: `trials.pruned` was missing when 0)', () => {
    expect(summaryJson({ ...summary, pruned: 0, running: 0 }).trials).toEqual({
      complete: 21,
      failed: 0,
      pruned: 0,
      running: 0,
    });
  });
});
