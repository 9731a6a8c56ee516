import type { RunResult } from '@parzen/engine/plugin';
import { describe, expect, it } from 'vitest';
import { runJson } from './summary-json.js';

const failedTrial = (number: number, code: string) => ({
  study: 's',
  number,
  state: 'failed' as const,
  error: { code, message: `${code} of #${number}` },
  internal: {},
  startedAt: '',
  finishedAt: '',
});

const result = (reason: RunResult['reason'], trials: readonly ReturnType<typeof failedTrial>[], existing = 0) =>
  ({
    reason,
    resumed: existing > 0,
    existingTrials: existing,
    summary: { study: 's', complete: 0, failed: trials.length, pruned: 0, running: 0 },
    trials,
  }) as unknown as RunResult;

describe('runJson', () => {
  it("adds the first failed trial's error when every trial of the run failed", () => {
    const all = [failedTrial(2, 'OBJECTIVE_THREW'), failedTrial(3, 'TIMEOUT')];
    expect(runJson(result('max-trials', all, 2))).toMatchObject({
      reason: 'max-trials',
      error: { trial: 2, code: 'OBJECTIVE_THREW', message: 'OBJECTIVE_THREW of #2' },
    });
  });

  it('says whether the run resumed the study, and how many trials it had then', () => {
    expect(runJson(result('max-trials', [], 0))).toMatchObject({ resumed: false, existingTrials: 0 });
    expect(runJson(result('max-trials', [], 20))).toMatchObject({ resumed: true, existingTrials: 20 });
  });

  it('names the facts as the events and RunResult do: `reason`, `existingTrials` (review 156)', () => {
    const json = runJson(result('max-trials', [], 5));
    expect(Object.keys(json)).toEqual(['study', 'trials', 'best', 'reason', 'resumed', 'existingTrials']);
  });

  it('adds none to a run a signal cut short, its trials failed as INTERRUPTED (review 133)', () => {
    const cut = [failedTrial(0, 'INTERRUPTED'), failedTrial(1, 'INTERRUPTED')];
    const json = runJson(result('interrupted', cut));
    expect(json).toMatchObject({ reason: 'interrupted' });
    expect(json).not.toHaveProperty('error');
  });
});
