import { describe, expect, it } from 'vitest';
import { formatSummary } from '../builtins/console-reporter.js';
import { compileSpace } from '../domain/compile-space.js';
import { uniform } from '../domain/space-builder.js';
import type { Trial } from '../domain/trial.js';
import { summarize } from './summarize.js';

const at = '2026-12-06T00:00:00.000Z';
const base = { study: 's', internal: { x: 0.5 }, startedAt: at } as const;
const failed = (number: number, code: string): Trial =>
  ({ ...base, number, state: 'failed', error: { code, message: code }, finishedAt: at }) as Trial;

describe('summarize: failed trials a stopped run left unfinished (trial 126)', () => {
  const space = compileSpace({ x: uniform(0, 1) });
  const complete: Trial = { ...base, number: 0, state: 'complete', loss: 1, finishedAt: at };

  it('counts INTERRUPTED and STALE_TRIAL as unfinished, not an objective that failed', () => {
    const trials = [complete, failed(1, 'STALE_TRIAL'), failed(2, 'INTERRUPTED'), failed(3, 'OBJECTIVE_FAILED')];
    const summary = summarize('s', 'minimize', space, trials);
    expect([summary.complete, summary.failed, summary.unfinished]).toEqual([1, 3, 2]);
    expect(formatSummary(summary).split('\n')[0]).toBe(
      'Study s: 1 complete, 3 failed (2 of them cut short: a stopped run, a lost worker or an interrupted trial)',
    );
  });

  it('says "all of them" when every failure is one, and nothing when none is', () => {
    const all = summarize('s', 'minimize', space, [complete, failed(1, 'STALE_TRIAL'), failed(2, 'STALE_TRIAL')]);
    expect(formatSummary(all).split('\n')[0]).toBe(
      'Study s: 1 complete, 2 failed (all of them cut short: a stopped run, a lost worker or an interrupted trial)',
    );
    // One such trial is not "all of them" (review 138).
    const one = summarize('s', 'minimize', space, [complete, failed(1, 'INTERRUPTED')]);
    expect(formatSummary(one).split('\n')[0]).toBe(
      'Study s: 1 complete, 1 failed (cut short: a stopped run, a lost worker or an interrupted trial)',
    );
    const none = summarize('s', 'minimize', space, [complete, failed(1, 'OBJECTIVE_FAILED')]);
    expect(none.unfinished).toBe(0);
    expect(formatSummary(none).split('\n')[0]).toBe('Study s: 1 complete, 1 failed');
  });
});
