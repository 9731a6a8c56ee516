import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { choice, loguniform, option, type Trial, uniform } from '@parzen/engine';
import { describe, expect, it } from 'vitest';
import { asTheNextRunSeesThem, suggestionWords } from '../src/host.js';
import {
  buildReport,
  type Chart,
  explainNextSuggestion,
  type ReportPage,
  type ReportStudy,
  type Section,
} from '../src/index.js';
import { mixedObjective, mixedSpace, runTpeStudy } from './fixtures.js';

const nextSection = (page: ReportPage): Section | undefined => page.sections.find((s) => s.id === 'next');
const marks = (c: Chart, mark: string) => c.marks.find((m) => m.mark === mark)?.count;

/** A trial running now, at `internal`, its worker's lease lapsed at `expiresAt` (another host's: it is not ours). */
const running = (study: ReportStudy, internal: Trial['internal'], expiresAt?: string): Trial => ({
  study: study.name,
  number: study.trials.length,
  state: 'running',
  internal,
  startedAt: '2026-01-01T00:00:00.000Z',
  ...(expiresAt === undefined ? {} : { lease: { owner: 'another-host:4242', expiresAt } }),
});

describe('the report\'s "Next suggestion"', () => {
  it("draws the params `parzen explain`'s function gives the next trial, with a past trial's charts, said in its words", async () => {
    const study = await runTpeStudy(30, { space: mixedSpace, objective: mixedObjective, tpe: { startupTrials: 8 } });
    const page = await buildReport(study, { every: 10 });
    const ids = page.sections.map((s) => s.id);
    // After the past trials' replay, before the slice plots.
    expect(ids.indexOf('next')).toBe(ids.indexOf('tpe') + 1);
    const section = nextSection(page) as Section;
    expect(section.title).toBe('Next suggestion');
    const next = (await explainNextSuggestion(study)) as NonNullable<Awaited<ReturnType<typeof explainNextSuggestion>>>;
    expect(next.trialNumber).toBe(30);
    const words = suggestionWords(next, study.trials, study.direction);
    expect(section.text[0]).toBe(
      `The next trial, #30, would get x = ${Number((next.params.x as number).toPrecision(6))}, lr = ${Number((next.params.lr as number).toPrecision(6))}, kind = ${JSON.stringify(next.params.kind)} (TPE, profile parzen), if no other trial finishes first: computed as \`parzen explain\` computes it (nothing is stored).`,
    );
    // The split and its size, as explain prints them.
    expect(words.split).toMatch(/^From 29 trials observed: l\(x\) is built from the \d+ best \(#/);
    expect(section.text).toContain(words.split);
    expect(section.text).toContain(words.size);
    // No branches: no order of them said.
    expect(section.text.filter((said) => said.startsWith('TPE decides the parameters'))).toEqual([]);
    // One chart per parameter, each one row (the next trial), its chosen value marked, as a past trial's.
    expect(section.charts.map((c) => c.id)).toEqual(['next-density-x', 'next-density-lr', 'next-categorical-kind']);
    const [x, , kind] = section.charts as [Chart, Chart, Chart];
    expect(x.title).toBe("TPE's next suggestion: x");
    expect(x.description).toMatch(/^For the next trial, #30, from the trials so far: log l\(x\)/);
    expect(x.description).toContain('the value TPE would choose (vertical line');
    expect(marks(x, 'line')).toBe(3);
    expect(marks(x, 'rule')).toBe(1);
    const rows = (x.spec as { data: { values: Record<string, unknown>[] } }).data.values;
    expect(rows.filter((row) => row.w !== undefined)).toEqual([
      { a: 30, w: next?.explanation.params.find((p) => p.name === 'x')?.winner.value },
    ]);
    expect(kind.description).toContain('▼ marks the option TPE would choose');
    // The past trials' charts are titled as before.
    expect(page.sections.find((s) => s.id === 'tpe')?.charts[0]?.title).toBe('What TPE saw: x');
  });

  it('says the start-up phase in words and draws no chart while TPE is in it', async () => {
    const study = await runTpeStudy(3);
    const section = nextSection(await buildReport(study)) as Section;
    expect(section.charts).toEqual([]);
    expect(section.text[1]).toBe(
      "It falls in TPE's start-up phase, which lasts until 5 trials have finished (3 so far): the next trial's params are drawn by the quasi-random start-up suggester, not by the model, so there is no model to draw yet.",
    );
  });

  it('says the running trials and the constant liar as explain does, and counts a trial whose worker is gone as failed', async () => {
    const study = await runTpeStudy(20, { tpe: { startupTrials: 5, constantLiar: 'mean' } });
    const now = new Date('2026-06-01T00:00:00.000Z');
    const live = running(study, { x: 0.1, y: 0.2 }, '2026-06-01T00:05:00.000Z');
    const withRunning = { ...study, trials: [...study.trials, live] };
    const section = nextSection(await buildReport(withRunning, { now })) as Section;
    expect(section.text[0]).toMatch(/^The next trial, #21, would get .* \(TPE, profile parzen; 1 trial running\)/);
    expect(section.text).toContain(
      'The running trial counts at the complete trials\' mean loss (constantLiar "mean"), ranked by loss among the complete trials, among the 21 observed.',
    );
    // Its worker gone (the lease lapsed), the next run fails it first: so does the page, as explain does.
    const gone = running(study, { x: 0.1, y: 0.2 }, '2026-05-01T00:00:00.000Z');
    const stale = { ...study, trials: [...study.trials, gone] };
    const staleSection = nextSection(await buildReport(stale, { now })) as Section;
    expect(staleSection.text).toContain(
      '#20 was left running by a worker that is gone: counted as failed (STALE_TRIAL), as the next run marks it first (an enqueued entry it ran, if any, then runs again first, which the store alone knows).',
    );
    expect(staleSection.text.join(' ')).not.toContain('running trial');
    const seen = asTheNextRunSeesThem(stale.trials, now);
    expect(seen.stale).toEqual([20]);
    const next = await explainNextSuggestion({ ...stale, trials: seen.trials });
    expect(staleSection.text).toContain(
      suggestionWords(next as NonNullable<typeof next>, seen.trials, 'minimize').split,
    );
  });

  it('says an enqueued entry waiting runs first, as explain does', async () => {
    const study = await runTpeStudy(12);
    const section = nextSection(await buildReport({ ...study, waiting: [{ x: 0.25, y: -1 }] })) as Section;
    expect(section.text[0]).toContain(
      "#12, the next trial, runs the enqueued entry that waits (x = 0.25, y = -1) instead: TPE decides only what it leaves out, and the draw shown here is TPE's for #12 without it.",
    );
  });

  it("leaves running, as a run does, a dead worker's trial whose result this user's rescue file keeps", async () => {
    const study = await runTpeStudy(12);
    const now = new Date('2026-06-01T00:00:00.000Z');
    const owner = `${hostname()}:999999999:gone`;
    const dead: Trial = {
      ...(running(study, { x: 0.5, y: 0.5 }) as Trial & { state: 'running' }),
      lease: { owner, expiresAt: '2026-06-01T00:05:00.000Z' },
    };
    const name = `rescued-${process.pid}-${Date.now()}`;
    const taken = [{ trial: 12, internal: { x: 0.5, y: 0.5 }, key: 'a' }];
    const trials = [...study.trials, dead];
    // Without the rescue file: failed, and its entry given back.
    expect(asTheNextRunSeesThem(trials, now, taken, name)).toMatchObject({ stale: [12], givenBack: [{ x: 0.5 }] });
    const folder = join(tmpdir(), `parzen-unrecorded-${userInfo().username}`);
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    const file = join(folder, `${name}.jsonl`);
    try {
      writeFileSync(file, `${JSON.stringify({ unrecorded: { study: name, trial: 12, worker: owner } })}\n`, {
        mode: 0o600,
      });
      // Its result kept for `parzen import`: the run leaves it running, and its entry stays with it.
      const seen = asTheNextRunSeesThem(trials, now, taken, name);
      expect(seen).toMatchObject({ stale: [], givenBack: [] });
      expect(seen.trials.at(-1)?.state).toBe('running');
    } finally {
      rmSync(file, { force: true });
    }
  });

  it("says the entry a dead worker's trial gives back runs first, before the one that waits, as the next run runs them", async () => {
    const study = await runTpeStudy(12);
    const now = new Date('2026-06-01T00:00:00.000Z');
    // A worker of this host whose process has ended held the entry x = 0.5 (its lease not yet lapsed).
    const dead: Trial = {
      ...(running(study, { x: 0.5, y: 0.5 }) as Trial & { state: 'running' }),
      lease: { owner: `${hostname()}:999999999:gone`, expiresAt: '2026-06-01T00:05:00.000Z' },
    };
    const held = { ...study, trials: [...study.trials, dead], waiting: [{ x: 0.25, y: -1 }] };
    const taken = [{ trial: 12, internal: { x: 0.5, y: 0.5 }, key: 'a' }];
    const section = nextSection(await buildReport({ ...held, takenEntries: taken }, { now })) as Section;
    expect(section.text[0]).toContain(
      '#13, the next trial, runs the enqueued entry that a trial whose worker is gone gives back, before those that wait (x = 0.5, y = 0.5) instead:',
    );
    expect(section.text).toContain(
      '#12 was left running by a worker that is gone: counted as failed (STALE_TRIAL), as the next run marks it first (the enqueued entry it ran then runs again first).',
    );
    // Only its lease lapsed (a worker on another host, which may still finish it): the entry stays with it.
    const lapsed: Trial = {
      ...(dead as Trial & { state: 'running' }),
      lease: { owner: 'another-host:4242', expiresAt: '2026-05-01T00:00:00.000Z' },
    };
    const elsewhere = nextSection(
      await buildReport({ ...held, trials: [...study.trials, lapsed], takenEntries: taken }, { now }),
    ) as Section;
    expect(elsewhere.text[0]).toContain('#13, the next trial, runs the enqueued entry that waits (x = 0.25, y = -1)');
    expect(elsewhere.text).toContain(
      '#12 was left running by a worker that is gone: counted as failed (STALE_TRIAL), as the next run marks it first.',
    );
  });

  it('a study of random search says there is no model to draw; `next: false` leaves the section out', async () => {
    const study = await runTpeStudy(12);
    const random = nextSection(await buildReport({ ...study, suggester: { use: 'random' } })) as Section;
    expect(random.charts).toEqual([]);
    expect(random.text).toEqual([
      "This study's suggester is `random` (random search: every trial drawn at random from the space, whatever the trials before it gave), not TPE: there is no model of the trials so far to draw, so no next suggestion is explained (`parzen explain` explains the next trial of a TPE study).",
    ]);
    const off = await buildReport(study, { next: false });
    expect(nextSection(off)).toBeUndefined();
    expect(off.sections.map((s) => s.id)).toEqual(['overview', 'pairs', 'tpe', 'params']);
  });

  it('in a conditional space, charts the parameters the next trial sets and says the others', async () => {
    const space = {
      x: uniform(-2, 2),
      model: choice([option('svm', { C: uniform(0, 10) }), option('tree', { depth: uniform(1, 20) })]),
    };
    // Every tree beats every svm: TPE goes on with trees, and the next trial sets no C.
    const study = await runTpeStudy(30, {
      space,
      objective: (p) => ((p.x as number) - 0.5) ** 2 + (p.model === 'svm' ? 5 : Math.abs((p.depth as number) - 7) / 10),
      tpe: { startupTrials: 8 },
    });
    const next = await explainNextSuggestion(study);
    expect(next?.params.model).toBe('tree');
    const section = nextSection(await buildReport(study)) as Section;
    expect(section.charts.map((c) => c.id).sort()).toEqual(
      ['next-categorical-model', 'next-density-depth', 'next-density-x'].sort(),
    );
    expect(section.text).toContain(
      'No chart for `C`: the next trial does not set it (the branch of a choice that holds it is not chosen).',
    );
  });

  it("in a tree space, says and charts the decisions in explain's order, each branch's parameter with its branch", async () => {
    const space = {
      x: uniform(-2, 2),
      model: choice([
        option('svm', { C: uniform(0, 10), kernel: choice([option('rbf', { gamma: loguniform(1e-4, 1) }), 'linear']) }),
        option('tree', { depth: uniform(1, 20) }),
      ]),
      y: uniform(0, 1),
    };
    // The rbf svms are best: the next trial takes that branch, two choices deep.
    const study = await runTpeStudy(30, {
      space,
      objective: (p) => ((p.x as number) - 0.5) ** 2 + (p.model === 'svm' ? (p.kernel === 'rbf' ? 0 : 1) : 5),
      tpe: { startupTrials: 8 },
    });
    const next = await explainNextSuggestion(study);
    expect(next?.params).toMatchObject({ model: 'svm', kernel: 'rbf' });
    const section = nextSection(await buildReport(study)) as Section;
    // The space lists x, model, C, kernel, gamma, depth, y; TPE decides the top level first, then each branch.
    expect(next?.explanation.params.map((param) => param.name)).toEqual(['x', 'model', 'y', 'C', 'kernel', 'gamma']);
    expect(section.text).toContain(
      'TPE decides the parameters in this order, as `parzen explain` says them, each parameter of a choice\'s branch after the choice and under its option: `x`, `model` and `y`; given model = "svm": `C` and `kernel`; given model = "svm", kernel = "rbf": `gamma`. The charts below follow that order.',
    );
    // Two joint decisions, said as two (one list of all their names read as one decision).
    expect(next?.explanation.groups?.filter((group) => group.length > 1)).toEqual([
      ['x', 'model', 'y'],
      ['C', 'kernel'],
    ]);
    expect(section.text.join(' ')).toContain(
      "TPE decides 2 groups of parameters, each jointly (x, model, y; C, kernel): their curves are slices of each group's joint l and g along each parameter",
    );
    expect(section.charts.map((c) => [c.id, c.title, c.spec.title])).toEqual(
      [
        ['next-density-x', 'x'],
        ['next-categorical-model', 'model'],
        ['next-density-y', 'y'],
        ['next-density-c', 'C (given model = "svm")'],
        ['next-categorical-kernel', 'kernel (given model = "svm")'],
        ['next-density-gamma', 'gamma (given model = "svm", kernel = "rbf")'],
      ].map(([id, title]) => [id, `TPE's next suggestion: ${title}`, `TPE's next suggestion: ${title}`]),
    );
  });
});

describe('a trial asked for that the study does not have yet', () => {
  it('is awaited on a served page (`awaitTrials`), and said missing otherwise, as before', async () => {
    const study = await runTpeStudy(20);
    const served = await buildReport(study, { trials: [30], awaitTrials: true });
    const awaited =
      'Trial #30, asked for, is not in the study yet (its last trial is #19): this page draws its suggestion once the study gets there, as it reads the study again. No trial is running now: a run of the study brings it.';
    expect(served.sections.find((s) => s.id === 'tpe')?.text).toEqual([awaited]);
    expect(served.notes).toContain(awaited);
    const written = await buildReport(study, { trials: [30] });
    expect(written.sections.find((s) => s.id === 'tpe')?.text).toEqual([
      'No trial to replay: the study has no trial 30 with params.',
    ]);
    // Once the study gets there, it is drawn.
    const later = await runTpeStudy(31);
    const drawn = await buildReport(later, { trials: [30], awaitTrials: true });
    expect(drawn.notes.join(' ')).not.toContain('not in the study yet');
    expect(drawn.sections.find((s) => s.id === 'tpe')?.charts.map((c) => c.id)).toEqual(['density-x', 'density-y']);
  });
});

describe('where the shared explain words are exported', () => {
  it("the CLI's helpers are in `@parzen/report/host`, not on the root a page's author reads", async () => {
    const root = Object.keys(await import('../src/index.js'));
    const host = Object.keys(await import('../src/host.js'));
    for (const name of ['asTheNextRunSeesThem', 'suggestionWords']) {
      expect(root).not.toContain(name);
      expect(host).toContain(name);
    }
  });
});
