import type { Trial } from '@parzen/engine';
import { describe, expect, it } from 'vitest';
import { buildReport, explainPastSuggestion, replaySuggestions, trialsBefore } from '../src/index.js';
import { pageCharts } from '../src/plugin.js';
import { mixedObjective, mixedSpace, runTpeStudy } from './fixtures.js';

describe('replaySuggestions', () => {
  it("reproduces every stored TPE suggestion from the stored trials and each trial's random stream", async () => {
    // Univariate TPE: one explanation per parameter (the default decides these top-level ones as one group).
    const tpe = { startupTrials: 8, grouping: 'independent' } as const;
    const study = await runTpeStudy(40, { space: mixedSpace, objective: mixedObjective, tpe });
    const replay = await replaySuggestions(study, { every: 5 });
    expect(replay.sameSuggester).toBe(true);
    expect(replay.every).toBe(5);
    // Trials 5 was in the start-up phase (8 start-up trials); 10, 15, ..., 35 and the last, 39, were TPE's.
    expect(replay.startupSkipped).toBe(1);
    expect(replay.snapshots.map((s) => s.trialNumber)).toEqual([10, 15, 20, 25, 30, 35, 39]);
    for (const snapshot of replay.snapshots) {
      expect(snapshot.reproduced).toBe(true);
      expect(snapshot.explanation.params.map((p) => p.name).sort()).toEqual(['kind', 'lr', 'x']);
      for (const param of snapshot.explanation.params) expect(param.winner.value).toBe(snapshot.stored[param.name]);
    }
  });

  it('adds the last trial when it is off the spacing, so the report shows where TPE is now (trial 108; with `every` too, trial 166)', async () => {
    const tpe = { startupTrials: 8, grouping: 'independent' } as const;
    const study = await runTpeStudy(47, { space: mixedSpace, objective: mixedObjective, tpe });
    // 47 trials: every ceil(47 / 10) = 5, so 10, 15, ..., 45, and the last trial, #46.
    const replay = await replaySuggestions(study);
    expect(replay.every).toBe(5);
    expect(replay.last).toBe(46);
    expect(replay.snapshots.map((s) => s.trialNumber)).toEqual([10, 15, 20, 25, 30, 35, 40, 45, 46]);
    expect(replay.snapshots.every((snapshot) => snapshot.reproduced)).toBe(true);
    const text = (await buildReport(study)).sections.find((s) => s.id === 'tpe')?.text.join(' ');
    expect(text).toContain('One snapshot after every 5 trials and one at the last trial, #46;');
    // An explicit spacing too (trial 166: --every 10 stopped at #50 of 60, the default went on to #59).
    const spaced = await replaySuggestions(study, { every: 5 });
    expect(spaced.last).toBe(46);
    expect(spaced.snapshots.map((s) => s.trialNumber)).toEqual([10, 15, 20, 25, 30, 35, 40, 45, 46]);
    // Trials asked for by number: alone, only those; with `every`, beside the spaced ones; one the study lacks, said.
    const asked = await replaySuggestions(study, { trials: [33, 12, 99] });
    expect(asked.snapshots.map((s) => s.trialNumber)).toEqual([12, 33]);
    expect(asked).toMatchObject({ spaced: false, trials: [12, 33], missing: [99] });
    expect(asked.snapshots.every((snapshot) => snapshot.reproduced)).toBe(true);
    const both = await replaySuggestions(study, { every: 20, trials: [33] });
    expect(both.snapshots.map((s) => s.trialNumber)).toEqual([20, 33, 40, 46]);
    const askedText = (await buildReport(study, { trials: [33, 12, 99] })).sections
      .find((s) => s.id === 'tpe')
      ?.text.join(' ');
    expect(askedText).toContain(
      'Snapshots at the trials 12, 33 asked for (the study has no trial 99 with params: nothing was chosen there to draw).',
    );
    const bothText = (await buildReport(study, { every: 20, trials: [33] })).sections
      .find((s) => s.id === 'tpe')
      ?.text.join(' ');
    expect(bothText).toContain(
      'One snapshot after every 20 trials and one at the last trial, #46, and at the trial 33 asked for',
    );
    // In the start-up phase still: no snapshot of it, and none claimed (review 111). 12 trials: every 2, the
    // last (#11) off the spacing.
    const fewer = await runTpeStudy(12, {
      space: mixedSpace,
      objective: mixedObjective,
      tpe: { startupTrials: 20, grouping: 'independent' },
    });
    const startup = await replaySuggestions(fewer);
    expect(startup.every).toBe(2);
    expect(startup.snapshots).toEqual([]);
    expect(startup.last).toBeUndefined();
    // On the spacing already: no second snapshot of it.
    const onGrid = await replaySuggestions({ ...study, trials: study.trials.filter((trial) => trial.number <= 45) });
    expect(onGrid.last).toBeUndefined();
    expect(onGrid.snapshots.at(-1)?.trialNumber).toBe(45);
  });

  it('explains a past trial as its suggester saw the study: a trial that finished after it started, as running', async () => {
    const tpe = { startupTrials: 5, grouping: 'independent' } as const;
    const study = await runTpeStudy(12, { space: mixedSpace, objective: mixedObjective, tpe });
    const sequential = await explainPastSuggestion(study, 10);
    expect(sequential?.running).toBe(0);
    expect(sequential?.reproduced).toBe(true);
    // #9 finished only after #10 started (two workers): the replay sees it running, as #10's suggester did.
    const ten = study.trials.find((trial) => trial.number === 10) as Trial;
    const overlapping = {
      ...study,
      trials: study.trials.map((trial) =>
        trial.number === 9 && trial.state !== 'running'
          ? { ...trial, finishedAt: new Date(Date.parse(ten.startedAt) + 1).toISOString() }
          : trial,
      ),
    };
    const past = await explainPastSuggestion(overlapping, 10);
    expect(past?.running).toBe(1);
    expect(past?.stored).toEqual(sequential?.stored);
    // Not a trial with params: nothing to explain.
    expect(await explainPastSuggestion(study, 99)).toBeUndefined();
  });

  it('says what pruned trials were to the split it replayed: the `pruned` setting, rank by default', async () => {
    const tpe = { startupTrials: 5, grouping: 'independent' } as const;
    const study = await runTpeStudy(8, { space: mixedSpace, objective: mixedObjective, tpe });
    expect((await explainPastSuggestion(study, 7))?.pruned).toBe('rank');
    const imputing = { ...study, suggester: { use: 'tpe', options: { ...tpe, pruned: 'impute' } } };
    expect((await explainPastSuggestion(imputing, 7))?.pruned).toBe('impute');
  });

  it('says when snapshots fell in the start-up phase because earlier trials overlap in time (trial 57: imported ones were called start-up draws)', async () => {
    const tpe = { startupTrials: 8, grouping: 'independent' } as const;
    const study = await runTpeStudy(30, { space: mixedSpace, objective: mixedObjective, tpe });
    // As an import of a file whose trials all ran from 10:00 to 10:05 leaves them.
    const overlapping = {
      ...study,
      trials: study.trials.map((trial) => ({
        ...trial,
        startedAt: '2026-01-01T10:00:00.000Z',
        finishedAt: '2026-01-01T10:05:00.000Z',
      })),
    } as typeof study;
    const replay = await replaySuggestions(overlapping, { every: 5 });
    expect(replay.snapshots).toEqual([]);
    expect(replay.startupSkipped).toBe(6);
    expect(replay.overlapSkipped).toBe(5); // trial 5 would be in start-up anyway (8 start-up trials)
    const text = (await buildReport(overlapping, { every: 5 })).sections.find((s) => s.id === 'tpe')?.text.join(' ');
    expect(text).toContain(
      'Not enough trials past TPE’s start-up phase to replay. At 5 of them, earlier trials were still running',
    );
    expect(text).toContain(
      'in a parallel run, TPE was still in it there too; trials imported with overlapping start and finish times',
    );
    // The study as run: its trials do not overlap, and nothing is said.
    expect((await replaySuggestions(study, { every: 5 })).overlapSkipped).toBe(0);
  });

  it('replays a study stored with a TPE option this version does not know, leaving it out and saying so', async () => {
    const tpe = { startupTrials: 8, grouping: 'independent' } as const;
    const study = await runTpeStudy(20, { space: mixedSpace, objective: mixedObjective, tpe });
    const older = { ...study, suggester: { use: 'tpe', options: { ...tpe, multivariate: true } } };
    const replay = await replaySuggestions(older, { every: 10 });
    expect(replay.unknownOptions).toEqual(['multivariate']);
    expect(replay.options).toEqual({ ...tpe, explain: true });
    expect(replay.snapshots.map((s) => s.reproduced)).toEqual([true, true]);
    const page = await buildReport(older, { every: 10 });
    expect(page.sections.find((s) => s.id === 'tpe')?.text.join(' ')).toContain('include `multivariate`');
  });

  it('replays multivariate TPE: joint choices reproduced, curves sliced through the chosen point', async () => {
    const tpe = { startupTrials: 8, grouping: 'joint' } as const;
    const study = await runTpeStudy(30, { space: mixedSpace, objective: mixedObjective, tpe });
    const replay = await replaySuggestions(study, { every: 10 });
    expect(replay.snapshots.map((s) => s.trialNumber)).toEqual([10, 20, 29]);
    for (const snapshot of replay.snapshots) {
      expect(snapshot.joint?.names.length).toBeGreaterThan(1);
      expect(snapshot.reproduced).toBe(true);
    }
    const page = await buildReport(study, { every: 10 });
    const joint = replay.snapshots[0]?.joint?.names ?? [];
    for (const name of joint) {
      const chart = pageCharts(page).find((c) => [`density-${name}`, `categorical-${name}`].includes(c.id));
      expect(chart?.description).toContain('Decided jointly');
    }
    const text = page.sections.find((s) => s.id === 'tpe')?.text.join(' ');
    expect(text).toContain('3 of 3 replayed suggestions');
    expect(text).toContain('principal axes');
    // On the parameters' own axes (frame: "axes") the page does not say they were turned, and still reproduces.
    const axes = await runTpeStudy(30, {
      space: mixedSpace,
      objective: mixedObjective,
      tpe: { ...tpe, frame: 'axes' },
    });
    const axesText = (await buildReport(axes, { every: 10 })).sections.find((s) => s.id === 'tpe')?.text.join(' ');
    expect(axesText).toContain('3 of 3 replayed suggestions');
    expect(axesText).not.toContain('principal axes');
    // One continuous parameter beside a choice: nothing to turn, so the page does not say it turned anything.
    const single = await runTpeStudy(30, {
      space: { x: mixedSpace.x, kind: mixedSpace.kind } as typeof mixedSpace,
      objective: (p) => ((p.x as number) - 0.5) ** 2 + (p.kind === 'b' ? 0 : 1),
      tpe,
    });
    const singleText = (await buildReport(single, { every: 10 })).sections.find((s) => s.id === 'tpe')?.text.join(' ');
    expect(singleText).toContain('jointly');
    expect(singleText).not.toContain('principal axes');
  });

  it('replays the default on a space of 10 parameters, decided in two blocks drawn from the study seed', async () => {
    const space = Object.fromEntries(
      Array.from({ length: 10 }, (_, i) => [`x${i}`, { type: 'uniform', low: -1, high: 1 }]),
    ) as Record<string, { type: 'uniform'; low: number; high: number }>;
    const objective = (p: Readonly<Record<string, unknown>>) =>
      Object.values(p).reduce<number>((sum, v, i) => sum + ((v as number) - 0.05 * i) ** 2, 0);
    const study = await runTpeStudy(30, { space, objective, tpe: {}, seed: 7 });
    const replay = await replaySuggestions(study, { every: 10 });
    expect(replay.snapshots.map((s) => s.trialNumber)).toEqual([10, 20, 29]);
    for (const snapshot of replay.snapshots) {
      expect(snapshot.reproduced).toBe(true);
      const blocks = snapshot.explanation.groups ?? [];
      expect(blocks.map((block) => block.length)).toEqual([5, 5]);
      // The joint slices are the blocks' models: each slice names its own block, not all 10 parameters.
      for (const slice of snapshot.joint?.slices ?? []) expect(slice.group).toHaveLength(5);
      expect(snapshot.joint?.slices).toHaveLength(10);
    }
    const page = await buildReport(study, { every: 10 });
    const text = page.sections.find((s) => s.id === 'tpe')?.text.join(' ');
    expect(text).toContain('TPE decided 2 groups of parameters jointly');
    expect(text).toContain("principal axes of that decision's good trials");
  });

  it("draws the score TPE used: log l − w · log g with the study's aboveWeight", async () => {
    const spec = (aboveWeight?: number) => async () => {
      const tpe = {
        startupTrials: 8,
        grouping: 'independent' as const,
        ...(aboveWeight === undefined ? {} : { aboveWeight }),
      };
      const study = await runTpeStudy(20, { space: mixedSpace, objective: mixedObjective, tpe });
      const replay = await replaySuggestions(study, { every: 10 });
      expect(replay.snapshots.every((snapshot) => snapshot.reproduced)).toBe(true);
      const page = await buildReport(study, { every: 10 });
      const chart = pageCharts(page).find((c) => c.id === 'density-x');
      const text = page.sections.find((s) => s.id === 'tpe')?.text.join(' ');
      return JSON.stringify(chart) + (text ?? '');
    };
    const byDefault = await spec()();
    expect(byDefault).toContain('datum.l - datum.k * datum.g');
    expect(byDefault).toContain('"k":0.65');
    expect(byDefault).toContain('log l(x) − 0.65·log g(x)');
    // The fixture's objective fails for x > 1.7: the score TPE used adds log P(a trial there finishes).
    expect(byDefault).toContain('the score log l − 0.65·log g + log P(a trial there finishes) (black)');
    expect(byDefault).toContain(
      'trials had failed before, and the score also multiplies the ratio by P(a trial there finishes)',
    );
    expect(byDefault).toContain(
      'the largest l(x)/g(x)^0.65 (the aboveWeight option), or l(x)/g(x) for a decision over choices and unordered integers only (the discreteAboveWeight option).',
    );
    const classic = await spec(1)();
    expect(classic).toContain('"k":1');
    expect(classic).not.toContain('"k":0.65');
    expect(classic).toContain('log l(x) − log g(x)');
    expect(classic).toContain('the score log l − log g + log P(a trial there finishes) (black)');
    expect(classic).toContain('the largest l(x)/g(x). ');
  });

  it('draws each row with the weight its decision used when the explore option changes it mid-study', async () => {
    const tpe = {
      startupTrials: 5,
      grouping: 'independent' as const,
      explore: { trials: 20, aboveWeight: 1 },
    };
    const study = await runTpeStudy(40, { space: mixedSpace, objective: mixedObjective, tpe });
    const page = await buildReport(study, { every: 10 });
    const chart = JSON.stringify(pageCharts(page).find((c) => c.id === 'density-x'));
    const text = page.sections.find((s) => s.id === 'tpe')?.text.join(' ') ?? '';
    // Rows after 10 (explore: w = 1) and after 20, 30 (w = 0.65).
    expect(chart).toContain('"a":10,"x"');
    expect(chart).toMatch(/"a":10,[^}]*"k":1[,}]/);
    expect(chart).toMatch(/"a":30,[^}]*"k":0.65[,}]/);
    // The fixture fails for x > 1.7: under failed "avoid" the score adds log P(finishes), lowest there.
    const f = (x: string) => Number(new RegExp(`"a":30,"x":${x},[^}]*"f":(-?[\\d.e-]+)`).exec(chart)?.[1]);
    expect(f('1\\.72')).toBeLessThan(f('-1') - 1); // far lower where trials failed than where they finished
    expect(chart).toContain('datum.l - datum.k * datum.g + (isValid(datum.f) ? datum.f : 0)');
    expect(chart).toContain('log P(a trial there finishes) compares where they failed with where trials finished');
    expect(chart).toContain('+ log P(finishes)');
    expect(chart).toContain('the score log l − w·log g (w = 1 after 10; w = 0.65 after 20, 30, 39)');
    expect(text).toContain(
      'l(x)/g(x)^w, with w = 1 in the rows after 10 and w = 0.65 in the rows after 20, 30, 39 (the explore option sets it for the first trials, aboveWeight after)',
    );
  });

  it('says where avoidRepeats passed over candidates, and where every candidate repeated a tried trial', async () => {
    // 3 × 2 = 6 settings and 10 trials: TPE passes over tried settings, then, with all 6 tried, must repeat.
    const space = {
      a: { type: 'choice', options: [0, 1, 2] },
      b: { type: 'choice', options: [0, 1] },
    } as const;
    const study = await runTpeStudy(10, {
      space,
      objective: (p) => (p.a as number) + (p.b as number),
      tpe: { startupTrials: 2 },
    });
    const replay = await replaySuggestions(study, { every: 1 });
    expect(replay.snapshots.every((snapshot) => snapshot.reproduced)).toBe(true);
    const avoided = replay.snapshots.filter((s) => s.explanation.params.some((p) => (p.skippedRepeats ?? 0) > 0));
    const repeated = replay.snapshots.filter((s) => s.explanation.params.some((p) => p.repeated === true));
    expect(avoided.length).toBeGreaterThan(0);
    expect(repeated.map((s) => s.trialNumber)).toEqual([6, 7, 8, 9]);
    const text = (await buildReport(study, { every: 1 })).sections.find((s) => s.id === 'tpe')?.text.join(' ');
    expect(text).toContain(
      `In ${avoided.length} of them (trial${avoided.length === 1 ? '' : 's'} ${avoided.map((s) => s.trialNumber).join(', ')}) TPE passed over candidates that would have repeated a tried trial exactly`,
    );
    expect(text).toContain(
      'In 4 of them (trials 6, 7, 8, 9) every candidate TPE drew would have repeated a tried trial, so it kept its best one',
    );
  });

  it('replays with TPE defaults, and says so, when the study used another suggester', async () => {
    const study = await runTpeStudy(30, { tpe: { startupTrials: 5 } });
    const replay = await replaySuggestions({ ...study, suggester: { use: 'random' } });
    expect(replay.sameSuggester).toBe(false);
    expect(replay.options).toEqual({});
    expect(replay.snapshots.length).toBeGreaterThan(0);
  });

  it('shows trials that finished after the target started as running (what a parallel worker saw)', () => {
    const finished = (number: number, finishedAt: string): Trial => ({
      study: 's',
      number,
      state: 'complete',
      internal: { x: number },
      loss: number,
      startedAt: '2026-01-01T00:00:00.000Z',
      finishedAt,
    });
    const target: Trial = {
      study: 's',
      number: 2,
      state: 'running',
      internal: {},
      startedAt: '2026-01-01T00:00:05.000Z',
    };
    const view = trialsBefore(
      [
        finished(0, '2026-01-01T00:00:01.000Z'),
        finished(1, '2026-01-01T00:00:09.000Z'),
        target,
        finished(3, '2026-01-01T00:00:03.000Z'),
      ],
      target,
    );
    expect(view.map((t) => [t.number, t.state])).toEqual([
      [0, 'complete'],
      [1, 'running'],
    ]);
    expect(view[1]?.internal).toEqual({ x: 1 });
  });
});
