import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EngineEvent, StopReason } from '../events/engine-event.js';
import { createConsoleReporter, formatSummary } from './console-reporter.js';

const at = '2026-01-01T00:00:00.000Z';
const study = { name: 'demo', direction: 'minimize', seed: 0, space: {}, createdAt: at } as const;

/** The lines the console reporter writes on stdout for `events`. */
const linesOf = (events: readonly EngineEvent[]): string[] => {
  const written: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => written.push(String(chunk)) > 0);
  const reporter = createConsoleReporter();
  for (const event of events) reporter.onEvent(event);
  vi.restoreAllMocks();
  return written.join('').split('\n').slice(0, -1);
};

afterEach(() => vi.restoreAllMocks());

describe('the console reporter', () => {
  it('says why the run stopped as the CLI does: nothing for a run that used its trial budget, words for the rest (trial 171)', () => {
    const summary = {
      study: 'fmin',
      direction: 'minimize',
      complete: 18,
      failed: 2,
      pruned: 0,
      running: 0,
      best: undefined,
      bestParams: undefined,
    } as const;
    const finished = (reason: StopReason, stopMessage?: string): EngineEvent => ({
      type: 'study.finished',
      at,
      reason,
      ...(stopMessage === undefined ? {} : { stopMessage }),
      summary,
    });
    expect(
      linesOf([
        finished('max-trials'),
        finished('max-seconds'),
        finished('stopper', 'no improvement of 1% in 50 trials'),
        finished('interrupted'),
      ]).filter((line) => line.startsWith('Study')),
    ).toEqual([
      'Study fmin: 18 complete, 2 failed',
      'Study fmin stopped (its time budget, maxSeconds, ran out): 18 complete, 2 failed',
      'Study fmin stopped (no improvement of 1% in 50 trials): 18 complete, 2 failed',
      'Study fmin stopped (interrupted): 18 complete, 2 failed',
    ]);
  });

  it("appends the last line a failed command trial's program wrote on stderr", () => {
    const failed: EngineEvent = {
      type: 'trial.finished',
      at,
      trial: {
        study: 'demo',
        number: 4,
        state: 'failed',
        error: {
          code: 'COMMAND_FAILED',
          message: 'exited with code 1',
          details: {
            exitCode: 1,
            stderrTail: 'Traceback (most recent call last):\n  ...\nValueError: lr must be > 0\n',
          },
        },
        internal: {},
        startedAt: at,
        finishedAt: at,
      },
      params: {},
    };
    expect(linesOf([failed])).toEqual([
      'trial #4 failed (COMMAND_FAILED): exited with code 1 (stderr: ValueError: lr must be > 0)',
    ]);
  });

  it('keeps a failed trial without stderr as it was', () => {
    const failed: EngineEvent = {
      type: 'trial.finished',
      at,
      trial: {
        study: 'demo',
        number: 0,
        state: 'failed',
        error: { code: 'OBJECTIVE_FAILED', message: 'boom' },
        internal: {},
        startedAt: at,
        finishedAt: at,
      },
      params: {},
    };
    expect(linesOf([failed])).toEqual(['trial #0 failed (OBJECTIVE_FAILED): boom']);
    // What a terminal would obey is shown escaped (trial 93: the window title, a cleared screen).
    const hostile = { ...failed, trial: { ...failed.trial, error: { code: 'X', message: 'a\u001b[2Jb\u202e' } } };
    expect(linesOf([hostile as EngineEvent])).toEqual(['trial #0 failed (X): a\\u001b[2Jb\\u202e']);
  });

  it('shows a pruned trial with its params, as a complete one (user trial 27: only its loss)', () => {
    const pruned: EngineEvent = {
      type: 'trial.finished',
      at,
      trial: {
        study: 'demo',
        number: 4,
        state: 'pruned',
        loss: 0.769404,
        intermediate: [{ step: 1, value: 0.769404 }],
        internal: { lr: 0.01 },
        startedAt: at,
        finishedAt: at,
      },
      params: { lr: 0.01, model: 'svm' },
    };
    expect(linesOf([pruned])).toEqual(['trial #4 pruned at step 1 loss 0.769404  lr=0.01 model="svm"']);
  });

  it("shows the best trial's attrs in the summary, each value cut short", () => {
    const best = {
      study: 'demo',
      number: 3,
      state: 'complete',
      loss: 0.25,
      internal: { x: 1 },
      startedAt: at,
      finishedAt: at,
    } as const;
    const summary = {
      study: 'demo',
      direction: 'minimize' as const,
      complete: 4,
      failed: 0,
      pruned: 0,
      running: 0,
      bestParams: { x: 1 },
    };
    expect(formatSummary({ ...summary, best })).toBe('Study demo: 4 complete, 0 failed\nBest trial #3: loss 0.25  x=1');
    // A stop message quoting an objective's error and a forged parameter name, escaped (review 98).
    expect(
      formatSummary(
        { ...summary, best, bestParams: { 'x\u001b[2J': 1 } },
        '2 in a row failed: boom \u001b]0;T\u0007\r',
      ),
    ).toBe(
      'Study demo stopped (2 in a row failed: boom \\u001b]0;T\\u0007\\u000d): 4 complete, 0 failed\nBest trial #3: loss 0.25  x\\u001b[2J=1',
    );
    // An integer in full, others to 6 significant digits (review 54: 2717056653417026 showed as 2717060000000000).
    expect(formatSummary({ ...summary, best, bestParams: { n: 2717056653417026, y: 0.123456789 } })).toBe(
      'Study demo: 4 complete, 0 failed\nBest trial #3: loss 0.25  n=2717056653417026 y=0.123457',
    );
    const curve = Array.from({ length: 50 }, (_, index) => index);
    expect(formatSummary({ ...summary, best: { ...best, attrs: { acc: 0.91, curve } } })).toBe(
      'Study demo: 4 complete, 0 failed\nBest trial #3: loss 0.25  x=1\n' +
        `  attrs: acc=0.91 curve=${JSON.stringify(curve).slice(0, 60)}…`,
    );
    // Cut by characters, not UTF-16 units: an emoji is never split into a broken half (review 28).
    const emoji = '🚀'.repeat(70);
    const line = formatSummary({ ...summary, best: { ...best, attrs: { note: emoji } } }).split('\n')[2];
    expect(line).toBe(`  attrs: note="${'🚀'.repeat(59)}…`);
    expect(line).not.toContain('\uFFFD');
  });

  it('says 1 trial, not 1 trials, when it resumes a study', () => {
    const resumed = (existingTrials: number): EngineEvent => ({
      type: 'study.started',
      at,
      study,
      resumed: true,
      existingTrials,
      failed: 0,
      pruned: 0,
    });
    // A study another worker just made, with no finished trial yet, is said to be there, as `resumed` is true (it
    // said "Starting", while the run's --json said resumed); a new one starts.
    expect(
      linesOf([
        { ...resumed(0), resumed: false } as EngineEvent,
        resumed(0),
        { ...resumed(1), running: 1 } as EngineEvent,
        resumed(1),
        resumed(2),
      ]),
    ).toEqual([
      'Starting study demo',
      'Resuming study demo, which was in the store already (no finished trial yet)',
      'Resuming study demo, which was in the store already (no finished trial yet)',
      'Resuming study demo with 1 trial',
      'Resuming study demo with 2 trials',
    ]);
  });

  it("checks options given in code as a config's (trial 54: `{ trails: false }` printed every trial)", () => {
    expect(() => createConsoleReporter({ trails: false } as never)).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringContaining('trails') }),
    );
    expect(() => createConsoleReporter({ stream: 'stdrr' } as never)).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringContaining('stream') }),
    );
    expect(createConsoleReporter({ trials: false, stream: 'stderr' }).name).toBe('console');
  });
});
