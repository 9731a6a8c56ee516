import type { EngineEvent } from '@parzen/engine';
import { describe, expect, it } from 'vitest';
import {
  barBlocks,
  createProgressReporter,
  formatEta,
  type ProgressMode,
  pauseProgressBars,
  utf8Locale,
} from './progress-reporter.js';

const at = '2026-01-01T00:00:00.000Z';
const study = { name: 'demo', direction: 'minimize', seed: 0, space: {}, createdAt: at } as const;
const complete = (number: number, value: number): EngineEvent => ({
  type: 'trial.finished',
  at,
  trial: { study: 'demo', number, state: 'complete', loss: value, internal: {}, startedAt: at, finishedAt: at },
  params: {},
});
const events: EngineEvent[] = [
  { type: 'study.started', at, study, resumed: false, existingTrials: 0, failed: 0, pruned: 0, maxTrials: 4 },
  complete(0, 2.5),
  {
    type: 'trial.finished',
    at,
    trial: {
      study: 'demo',
      number: 1,
      state: 'failed',
      error: { code: 'COMMAND_FAILED', message: 'exited with code 3' },
      internal: {},
      startedAt: at,
      finishedAt: at,
    },
    params: {},
  },
  complete(2, 1.25),
  {
    type: 'trial.finished',
    at,
    trial: {
      study: 'demo',
      number: 3,
      state: 'pruned',
      loss: 4,
      internal: {},
      startedAt: at,
      finishedAt: at,
      intermediate: [
        { step: 0, value: 5 },
        { step: 1, value: 4 },
      ],
    },
    params: {},
  },
];

/** A stream that records what is written; `isTTY` decides what `auto` picks. */
const fakeStream = (isTTY: boolean) => {
  const chunks: string[] = [];
  const stream = {
    isTTY,
    columns: 120,
    write: (chunk: string) => chunks.push(chunk) > 0,
    cursorTo: () => true,
    clearLine: () => true,
    moveCursor: () => true,
    clearScreenDown: () => true,
    on: () => stream,
    removeListener: () => stream,
  };
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => chunks.join('') };
};

const play = async (
  mode: ProgressMode,
  isTTY: boolean,
  played: readonly EngineEvent[] = events,
  // A UTF-8 locale (the bar's blocks), not the test's own.
  env: NodeJS.ProcessEnv = { LANG: 'en_US.UTF-8' },
) => {
  const { stream, text } = fakeStream(isTTY);
  // The test's own environment (a CI job's CI=true) must not decide what `auto` picks here.
  const reporter = createProgressReporter(mode, stream, env);
  for (const event of played) reporter.onEvent(event);
  await reporter.end?.();
  return text();
};

describe('progress reporter', () => {
  it('prints a line per trial with counts and the best loss when not on a terminal', async () => {
    expect((await play('auto', false)).split('\n')).toEqual([
      'Starting study demo (0 trials so far, up to 4 trials)',
      'trial #0 complete, loss 2.5  [1/4 trials, 0 failed, best 2.5 (#0)]',
      'trial #1 failed (COMMAND_FAILED): exited with code 3  [2/4 trials, 1 failed, best 2.5 (#0)]',
      'trial #2 complete, loss 1.25  [3/4 trials, 1 failed, best 1.25 (#2)]',
      'trial #3 pruned at step 1, loss 4  [4/4 trials, 1 failed, 1 pruned, best 1.25 (#2)]',
      '',
    ]);
  });

  it('names the time budget on the start line when the run has one', async () => {
    const fresh = {
      type: 'study.started',
      at,
      study,
      resumed: false,
      existingTrials: 0,
      failed: 0,
      pruned: 0,
    } as const;
    const played: EngineEvent[] = [
      { ...fresh, maxTrials: 3, maxSeconds: 2 },
      { ...fresh, maxSeconds: 90 },
    ];
    expect((await play('lines', false, played)).split('\n').slice(0, 2)).toEqual([
      'Starting study demo (0 trials so far, up to 3 trials, time budget 2 s)',
      'Starting study demo (0 trials so far, time budget 90 s)',
    ]);
  });

  it("counts the study's trials and best as the suggestion saw them, other workers' too (trial 56)", async () => {
    const started = (number: number, finished: number, best?: { number: number; loss: number }): EngineEvent => ({
      type: 'trial.started',
      at,
      study: 'demo',
      number,
      params: {},
      internal: {},
      studyTrials: { finished, failed: 1, pruned: 0, ...(best === undefined ? {} : { best }) },
    });
    const played: EngineEvent[] = [
      { type: 'study.started', at, study, resumed: false, existingTrials: 0, failed: 0, pruned: 0, maxTrials: 10 },
      // Another worker finished #0 (1.5) and failed #1 before this one began #2.
      started(2, 2, { number: 0, loss: 1.5 }),
      complete(2, 2.5),
      // A snapshot older than this worker's own count never takes it back.
      started(3, 2, { number: 0, loss: 1.5 }),
      complete(3, 0.75),
    ];
    expect((await play('lines', false, played)).split('\n')).toEqual([
      'Starting study demo (0 trials so far, up to 10 trials)',
      'trial #2 complete, loss 2.5  [3/10 trials, 1 failed, best 1.5 (#0)]',
      'trial #3 complete, loss 0.75  [4/10 trials, 1 failed, best 0.75 (#3)]',
      '',
    ]);
  });

  it("counts other workers' running trials once they finish, not when a run joins them (review 60)", async () => {
    const played: EngineEvent[] = [
      {
        type: 'study.started',
        at,
        study,
        resumed: true,
        existingTrials: 4,
        failed: 0,
        pruned: 0,
        running: 4,
        maxTrials: 6,
      },
      complete(4, 1.5),
    ];
    expect((await play('lines', false, played)).split('\n')).toEqual([
      // Said apart, as the count below counts finished trials (trial 101: 9 so far, then [8/60]).
      'Resuming study demo, which was in the store already (4 trials so far, 4 of them marked running (by other workers, or ones that are gone), up to 6 trials)',
      'trial #4 complete, loss 1.5  [1/6 trials, 0 failed, best 1.5 (#4)]',
      '',
    ]);
  });

  it('resumes a study another worker made with no trial yet, saying it was in the store already (as --json says resumed)', async () => {
    const played: EngineEvent[] = [
      { type: 'study.started', at, study, resumed: true, existingTrials: 0, failed: 0, pruned: 0, maxTrials: 6 },
      complete(0, 1.5),
    ];
    expect((await play('lines', false, played)).split('\n')[0]).toBe(
      'Resuming study demo, which was in the store already (0 trials so far, up to 6 trials)',
    );
    // So too when its only trials run in the other workers (the usual race).
    const racing: EngineEvent[] = [
      {
        type: 'study.started',
        at,
        study,
        resumed: true,
        existingTrials: 1,
        running: 1,
        failed: 0,
        pruned: 0,
        maxTrials: 6,
      },
      complete(1, 1.5),
    ];
    expect((await play('lines', false, racing)).split('\n')[0]).toBe(
      'Resuming study demo, which was in the store already (1 trial so far, 1 of them marked running (by another worker, or one that is gone), up to 6 trials)',
    );
  });

  it('draws a bar with done/total, failures and the best loss on a terminal', async () => {
    const text = await play('auto', true);
    expect(text).toContain('4/4 trials | 1 failed | best 1.25 (#2) | ETA');
    expect(text).toContain(`${'█'.repeat(40)} 4/4 trials`);
  });

  it('draws the bar in ASCII when the locale is not UTF-8 (trial 159: blocks under LANG=C), LC_ALL, LC_CTYPE, LANG in turn', async () => {
    for (const env of [{}, { LANG: 'C' }, { LC_ALL: 'POSIX', LANG: 'en_US.UTF-8' }, { LC_CTYPE: 'de_DE.ISO-8859-1' }]) {
      const text = await play('bar', true, events, env);
      expect(text, JSON.stringify(env)).toContain(`${'='.repeat(40)} 4/4 trials`);
      expect(text, JSON.stringify(env)).not.toMatch(/[^\p{ASCII}]/u);
      expect(await play('bar', true, [resumed[0] as EngineEvent], env)).toContain('| ETA -');
    }
    for (const env of [{ LANG: 'C.UTF-8' }, { LC_ALL: 'en_US.utf8', LANG: 'C' }, { LC_ALL: '', LC_CTYPE: 'UTF-8' }])
      expect(await play('bar', true, events, env), JSON.stringify(env)).toContain(`${'█'.repeat(40)} 4/4 trials`);
    expect([utf8Locale({}, 'win32'), utf8Locale({}, 'linux'), utf8Locale({ LANG: 'C' }, 'darwin')]).toEqual([
      true,
      false,
      false,
    ]);
  });

  it('fits the bar to the terminal: fewer blocks, none on a narrow one (trial 88: 97 cells on 40 columns)', async () => {
    expect([undefined, 0, 120, 100, 80, 70, 69, 40].map(barBlocks)).toEqual([40, 40, 40, 40, 20, 10, 0, 0]);
    const { stream, text } = fakeStream(true);
    (stream as { columns: number }).columns = 40;
    const reporter = createProgressReporter('auto', stream, {});
    for (const event of events) reporter.onEvent(event);
    await reporter.end?.();
    expect(text()).toContain('4/4 trials | 1 failed | best 1.25 (#2) | ETA');
    expect(text()).not.toContain('█');
  });

  it("writes lines, not a bar, on a CI job's terminal and on a dumb one (trial 69: escape codes in CI logs)", async () => {
    for (const env of [{ CI: 'true' }, { CI: '1' }, { CI: 'woodpecker' }, { TERM: 'dumb' }]) {
      const text = await play('auto', true, events, env);
      expect(text, JSON.stringify(env)).not.toContain('\u001b');
      expect(text, JSON.stringify(env)).toBe(await play('auto', false));
    }
    // CI=false (or 0, or empty) is no CI; `bar` asked for is drawn anyway.
    for (const env of [{ CI: 'false' }, { CI: '0' }, { CI: '' }, { TERM: 'xterm-256color' }])
      expect(await play('auto', true, events, env), JSON.stringify(env)).toContain('4/4 trials | 1 failed');
    expect(await play('bar', true, events, { CI: 'true' })).toContain('4/4 trials | 1 failed');
  });

  it('writes a line per trial for `bar` where stderr is no terminal (a CI log showed no trial at all)', async () => {
    const lines = await play('lines', false);
    for (const env of [{ LANG: 'en_US.UTF-8' }, { CI: 'true' }]) {
      const text = await play('bar', false, events, env);
      expect(text, JSON.stringify(env)).not.toContain('\u001b');
      expect(text, JSON.stringify(env)).toBe(lines);
    }
    expect(lines).toContain('trial #3 pruned');
  });

  it('writes the first failure of each kind above the bar, the bar drawn again below (trial 40: reasons unseen)', async () => {
    const failure = (number: number, code: string): EngineEvent => ({
      type: 'trial.finished',
      at,
      trial: {
        study: 'demo',
        number,
        state: 'failed',
        error: { code, message: `${code.toLowerCase()} #${number}` },
        internal: {},
        startedAt: at,
        finishedAt: at,
      },
      params: {},
    });
    const started = events[0] as EngineEvent;
    const played = [started, failure(0, 'COMMAND_FAILED'), failure(1, 'COMMAND_FAILED'), failure(2, 'INTERRUPTED')];
    const text = await play('bar', true, [...played, failure(3, 'TIMEOUT')]);
    const lines = text.split('\n').filter((line) => line.startsWith('trial #'));
    expect(lines).toEqual([
      'trial #0 failed (COMMAND_FAILED): command_failed #0',
      'trial #3 failed (TIMEOUT): timeout #3',
    ]);
    expect(text).toContain('(the first failure of each kind is shown; `parzen trials CONFIG` lists them all)');
    // Each line starts below the stopped bar, and a bar is drawn again after it.
    expect(text).toContain('\u001b8\ntrial #0 failed');
    expect(text.slice(text.indexOf('trial #3'))).toContain('4/4 trials | 4 failed');
    // The CLI names its run's config file (the placeholder CONFIG, where other messages named the file).
    const { stream, text: named } = fakeStream(true);
    const reporter = createProgressReporter('bar', stream, { LANG: 'en_US.UTF-8' }, 'parzen trials tune.json');
    for (const event of played) reporter.onEvent(event);
    await reporter.end?.();
    expect(named()).toContain('(the first failure of each kind is shown; `parzen trials tune.json` lists them all)');
  });

  /** A resumed study of 10 trials (2 failed, 1 pruned, best 0.5 at #7) that runs 2 more, neither better. */
  const resumed: EngineEvent[] = [
    {
      type: 'study.started',
      at,
      study,
      resumed: true,
      existingTrials: 10,
      failed: 2,
      pruned: 1,
      best: { study: 'demo', number: 7, state: 'complete', loss: 0.5, internal: {}, startedAt: at, finishedAt: at },
      maxTrials: 12,
    },
    complete(10, 0.75),
    complete(11, 0.25),
  ];

  it('counts failures, prunes and the best of the whole study on a resume, as the summary does (lines)', async () => {
    expect((await play('lines', false, resumed)).split('\n')).toEqual([
      'Resuming study demo (10 trials so far, up to 12 trials)',
      'trial #10 complete, loss 0.75  [11/12 trials, 2 failed, 1 pruned, best 0.5 (#7)]',
      'trial #11 complete, loss 0.25  [12/12 trials, 2 failed, 1 pruned, best 0.25 (#11)]',
      '',
    ]);
  });

  it('says when a resumed study is already at its limit, and how to run more; a trial past it is counted, not as 11/5', async () => {
    const [started] = resumed;
    const full = [
      { ...(started as Extract<EngineEvent, { type: 'study.started' }>), existingTrials: 10, maxTrials: 5 },
      // A trial past the limit (a worker whose own limit was higher): counted, not as a fraction of the limit.
      complete(10, 0.25),
    ];
    expect((await play('lines', false, full)).split('\n')).toEqual([
      'Resuming study demo (10 trials so far, past its limit of 5 trials: nothing to run; --more-trials N runs N more)',
      'trial #10 complete, loss 0.25  [11 trials (limit 5), 2 failed, 1 pruned, best 0.25 (#10)]',
      '',
    ]);
    // At the limit exactly: "at" (a CI user read "30 trials so far, at its limit of 10" as a miscount).
    const at = [{ ...(full[0] as Extract<EngineEvent, { type: 'study.started' }>), maxTrials: 10 }];
    expect((await play('lines', false, at)).split('\n')[0]).toBe(
      'Resuming study demo (10 trials so far, at its limit of 10 trials: nothing to run; --more-trials N runs N more)',
    );
    // Enqueued entries waiting (trial 50): said, so the user knows what --more-trials runs first.
    const waiting = [{ ...(full[0] as Extract<EngineEvent, { type: 'study.started' }>), waitingEntries: 2 }];
    expect((await play('lines', false, waiting)).split('\n')[0]).toBe(
      'Resuming study demo (10 trials so far, past its limit of 5 trials: nothing to run; --more-trials N runs N more, the 2 enqueued entries waiting first)',
    );
    // With moreTrials too, maxTrials is the limit reached (review 64: the hint said to give --more-trials).
    const capped = [{ ...(full[0] as Extract<EngineEvent, { type: 'study.started' }>), moreTrials: 2 }];
    expect((await play('lines', false, capped)).split('\n')[0]).toBe(
      'Resuming study demo (10 trials so far, past its limit of 5 trials: nothing to run; its maxTrials (5) stops it before the 2 more asked for: raise it, or leave it out)',
    );
    // `--more-trials 0` (a script's computed count): nothing asked for, so no limit or more to raise.
    const none = [{ ...(full[0] as Extract<EngineEvent, { type: 'study.started' }>), maxTrials: 10, moreTrials: 0 }];
    expect((await play('lines', false, none)).split('\n')[0]).toBe(
      'Resuming study demo (10 trials so far, --more-trials 0: nothing to run)',
    );
  });

  it('counts failures and the best of the whole study on a resume (bar)', async () => {
    const [started, worse] = resumed as [EngineEvent, EngineEvent];
    const text = await play('bar', true, [started, worse]);
    expect(text).toContain('11/12 trials | 2 failed | best 0.5 (#7) | ETA');
  });

  it('pauses for a note, its last state left above it, and is drawn again below it (trial 35: notes overwritten)', async () => {
    const { stream, text } = fakeStream(true);
    const reporter = createProgressReporter('bar', stream);
    const [started, worse] = resumed as [EngineEvent, EngineEvent];
    reporter.onEvent(started);
    pauseProgressBars();
    const paused = text();
    // Stopped: the cursor back where the bar began (ESC 8), then a new line for the note.
    expect(paused).toContain('10/12 trials');
    expect(paused.endsWith('\u001b8\n')).toBe(true);
    stream.write('a note\n');
    reporter.onEvent(worse);
    await reporter.end?.();
    const after = text().slice(paused.length);
    // Below the note, a bar that starts there (ESC 7) with the new count, ended as any bar.
    expect(after.startsWith('a note\n\u001b7')).toBe(true);
    expect(after).toContain('11/12 trials');
    expect(after.endsWith('\u001b8\n')).toBe(true);
  });

  it("estimates the time left from this run's own trials: none before the first finishes (trial 35: ETA 0s)", async () => {
    const [started, worse] = resumed as [EngineEvent, EngineEvent];
    const before = await play('bar', true, [started]);
    expect(before).toContain('10/12 trials | 2 failed | best 0.5 (#7) | ETA –');
    // The study's start above the bar, as in lines (trial 125: a terminal had no "Resuming" line).
    expect(before.startsWith(`${(await play('lines', false, [started])).split('\n')[0]}\n`)).toBe(true);
    expect(before).toMatch(/^Resuming study \S+ \(10 trials so far, up to 12 trials\)\n/);
    expect(before).not.toContain('ETA 0s');
    expect(await play('bar', true, [started, worse])).toMatch(
      /11\/12 trials \| 2 failed \| best 0\.5 \(#7\) \| ETA \d+s/,
    );
    expect([formatEta(45_000), formatEta(70_000), formatEta(7_500_000)]).toEqual(['45s', '1m10s', '2h05m']);
  });

  it("appends the last line a failed command trial's program wrote on stderr (lines)", async () => {
    const failed: EngineEvent = {
      type: 'trial.finished',
      at,
      trial: {
        study: 'demo',
        number: 0,
        state: 'failed',
        error: {
          code: 'COMMAND_FAILED',
          message: 'exited with code 1',
          details: {
            exitCode: 1,
            stderrTail: 'Traceback (most recent call last):\n  ...\nValueError: lr must be > 0\n\n',
          },
        },
        internal: {},
        startedAt: at,
        finishedAt: at,
      },
      params: {},
    };
    const started = events[0] as EngineEvent;
    expect((await play('lines', false, [started, failed])).split('\n')[1]).toBe(
      'trial #0 failed (COMMAND_FAILED): exited with code 1 (stderr: ValueError: lr must be > 0)  [1/4 trials, 1 failed, best -]',
    );
    // What a terminal would obey is shown escaped (trial 93).
    const hostile = {
      ...failed,
      trial: { ...failed.trial, error: { code: 'OBJECTIVE_THREW', message: 'boom \u001b]0;T\u0007' } },
    } as EngineEvent;
    expect((await play('lines', false, [started, hostile])).split('\n')[1]).toBe(
      'trial #0 failed (OBJECTIVE_THREW): boom \\u001b]0;T\\u0007  [1/4 trials, 1 failed, best -]',
    );
  });

  it('says one trial, not 1 trials (lines and bar)', async () => {
    const once: EngineEvent[] = [
      { type: 'study.started', at, study, resumed: false, existingTrials: 0, failed: 0, pruned: 0, maxTrials: 1 },
      complete(0, 2.5),
    ];
    expect((await play('lines', false, once)).split('\n')).toEqual([
      'Starting study demo (0 trials so far, up to 1 trial)',
      'trial #0 complete, loss 2.5  [1/1 trial, 0 failed, best 2.5 (#0)]',
      '',
    ]);
    expect(await play('bar', true, once)).toContain('1/1 trial | 0 failed');
    const unbounded: EngineEvent[] = [
      { type: 'study.started', at, study, resumed: true, existingTrials: 1, failed: 0, pruned: 0 },
      complete(1, 2.5),
    ];
    expect((await play('lines', false, unbounded)).split('\n').slice(0, 2)).toEqual([
      'Resuming study demo (1 trial so far)',
      'trial #1 complete, loss 2.5  [2 trials, 0 failed, best 2.5 (#1)]',
    ]);
  });

  it('prints nothing when off', async () => {
    expect(await play('off', true)).toBe('');
  });
});
