import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { logGaussMass } from '@parzen/engine/plugin';
import { createJsonlStore } from '@parzen/store-file';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatNextSuggestion } from '../src/commands/explain.js';
import { journalHeartConfig, tempDir, writeIn } from './cli-harness.js';
import { cliIn } from './cli-in-process.js';

let dir: string;
beforeAll(() => {
  dir = tempDir('parzen-explain-');
  writeIn(dir, 'heart.mjs', 'export default ({ x, y }) => (x - 0.5) ** 2 + (y + 1) ** 2;\n');
});

/** Two continuous parameters and a choice of three. */
const xyKind = {
  x: { type: 'uniform', low: -2, high: 2 },
  y: { type: 'uniform', low: -2, high: 2 },
  kind: { type: 'choice', options: ['a', 'b', 'c'] },
} as const;

const lastTrial = async (config: string) => {
  const listed = await cliIn(dir, 'trials', config, '--json');
  expect(listed.code, listed.stderr).toBe(0);
  return (JSON.parse(listed.stdout) as { number: number; params: Record<string, number> }[]).at(-1);
};

/** Trials #0 to #count − 1, complete, each one's loss its number. */
const completeTrials = (count: number) =>
  Array.from({ length: count }, (_, number) => ({
    study: 's',
    number,
    state: 'complete' as const,
    loss: number,
    internal: { x: 0.5 },
    startedAt: '2026-01-01T00:00:00Z',
    finishedAt: '2026-01-01T00:00:01Z',
  }));

/** The text of a model-phase explanation that decided nothing (its fields given), of a minimized study. */
const formatModel = (
  fields: Readonly<Record<string, unknown>>,
  trials: readonly unknown[],
  running = 0,
  pruned: 'rank' | 'impute' | 'ignore' = 'rank',
) =>
  formatNextSuggestion(
    's',
    'minimize',
    {
      trialNumber: 30,
      params: { x: 0.5 },
      running,
      pruned,
      explanation: {
        suggester: 'tpe',
        profile: 'parzen',
        trialNumber: 30,
        phase: 'model',
        startupTrials: 10,
        aboveWeight: 0.65,
        params: [],
        ...fields,
      },
    } as never,
    trials as never,
  );

/** A member of a joint decision of `group` (its candidate 0 chosen), for the runner-up's words. */
const jointMember =
  (group: string[]) => (name: string, kind: string, grid: number[], x: number[], scores: number[]) => ({
    name,
    kind,
    group,
    below: [0],
    above: [1],
    grid: { x: grid, logL: grid.map(() => 0), logG: grid.map(() => 0) },
    candidates: { x, logL: x.map(() => 0), logG: x.map(() => 0), score: scores },
    aboveWeight: 0.65,
    winner: { index: 0, value: x[0], score: scores[0] },
  });

/** The text of a model-phase explanation of 30 complete trials whose decision is `params` (a joint one). */
const jointModel = (params: readonly unknown[]) =>
  formatModel(
    { observed: 30, finished: 30, gamma: 0.1, split: 'linear', nBelow: 3, below: [0, 1, 2], params },
    completeTrials(30),
  );

describe('parzen explain (trial 57: no way from the CLI to see why TPE picks the next params)', () => {
  // Trial 162: two imported trials of equal best loss were "a tie of many trials (a plateau)", the rule unsaid.
  it('says how many trials tie at the best loss, against the number of good trials, when the tie left none good', async () => {
    const config = writeIn(dir, 'tied.json', {
      name: 'tied',
      space: { x: xyKind.x, y: xyKind.y },
      objective: { use: 'module', options: { path: './heart.mjs' } },
      store: { use: 'jsonl', options: { path: './tied.jsonl' } },
      budget: { maxTrials: 10 },
    });
    const rows = [0.31, 0.42, 0.2, 0.15, 0.1, 0.1].map((loss, i) => `${i / 10},${-i / 10},${loss}`);
    const csv = writeIn(dir, 'tied.csv', `x,y,loss\n${rows.join('\n')}\n`);
    expect((await cliIn(dir, 'import', config, csv)).code).toBe(0);
    const text = await cliIn(dir, 'explain', config);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(
      'From 6 trials observed: none is good, as the best loss, 0.1, is a tie of 2 trials, at least twice the 1 good trial the split picks, and ties: "above" leaves such a plateau out of it; so l(x) is the prior alone and g(x) is built from them all.',
    );
  });

  it('writes bidirectional overrides and isolates in names and options escaped, as trials does (trial 183)', async () => {
    writeIn(
      dir,
      'sum.mjs',
      "export default (p) => (typeof p['lr\\u202eevil'] === 'number' ? p['lr\\u202eevil'] : 0);\n",
    );
    const config = writeIn(dir, 'bidi.json', {
      name: 'bidi',
      seed: 1,
      space: {
        'lr\u202eevil': { type: 'uniform', low: 0, high: 1 },
        'x\u2067y': { type: 'choice', options: ['a\u202eb', 'c'] },
      },
      objective: { use: 'module', options: { path: './sum.mjs', isolate: 'none' } },
      budget: { maxTrials: 6 },
      store: { use: 'jsonl', options: { path: './bidi.parzen.jsonl' } },
    });
    expect((await cliIn(dir, 'run', config, '--quiet')).code).toBe(0);
    for (const asked of [[], ['--trial', '5']]) {
      const explained = await cliIn(dir, 'explain', config, ...asked);
      expect(explained.code, explained.stderr).toBe(0);
      expect(`${explained.stdout}${explained.stderr}`).not.toMatch(/[\u202e\u2067]/);
      expect(explained.stdout).toContain('lr\\u202eevil');
      expect(explained.stdout).toContain('"a\\u202eb"');
    }
    // --json is JSON as it is: the names as they are.
    const json = await cliIn(dir, 'explain', config, '--json');
    expect(Object.keys((JSON.parse(json.stdout) as { params: object }).params)).toContain('lr\u202eevil');
  });

  it("gives the params the study's next trial gets, exactly, and how TPE chose them", async () => {
    const config = journalHeartConfig(dir, 'explained', {
      suggester: { use: 'tpe' },
      budget: { maxTrials: 14 },
    });
    const ran = await cliIn(dir, 'run', config, '--quiet');
    expect(ran.code, ran.stderr).toBe(0);
    const json = await cliIn(dir, 'explain', config, '--json');
    expect(json.code, json.stderr).toBe(0);
    const next = JSON.parse(json.stdout) as {
      trialNumber: number;
      params: Record<string, number>;
      explanation: { phase: string; below: number[]; params: { name: string }[] };
    };
    expect(next.trialNumber).toBe(14);
    expect(next.explanation.phase).toBe('model');
    expect(next.explanation.params.map((param) => param.name).sort()).toEqual(['x', 'y']);
    const text = await cliIn(dir, 'explain', config);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/the next trial, #14, would get/);
    expect(text.stdout).toContain(`x = `);
    expect(text.stdout).toMatch(/l\(x\) is built from the \d+ best \(#\d+ /);
    // Where the number of good trials came from (trial 166: γ was never said, in the text or in --json).
    expect(next.explanation).toMatchObject({
      gamma: 0.15,
      split: 'linear',
      explore: { trials: 50, gamma: 0.15, belowBandwidth: 0.5 },
      nBelow: 3,
    });
    expect(text.stdout).toContain(
      "The number of good trials is γ = 0.15 of the 14 trials observed, rounded up: 3. This γ is the explore setting's, used for the trials before #50.",
    );
    // A joint decision is said once, its chosen point beside the runner-up's (trial 166: the group's figures repeated
    // on every member's row, and a one-sentence legend of 900 characters).
    expect(text.stdout).toContain(
      'x and y were decided together, as one joint decision: of 24 candidates drawn from l(x), the one of highest score won.',
    );
    expect(text.stdout).toMatch(/^ +chosen +runner-up +candidates drawn$/m);
    expect(text.stdout).toMatch(/^x +\S+ +\S+ +-?[\d.e-]+ to -?[\d.e-]+$/m);
    expect(text.stdout).toMatch(/^score +\S+ +\S+$/m);
    expect(text.stdout).not.toMatch(/^param /m);
    const notes = text.stdout.slice(text.stdout.indexOf('Each decision draws')).trimEnd().split('\n');
    for (const note of notes) expect(note.length).toBeLessThan(200);
    expect(text.stdout).not.toContain('+N:');
    expect(text.stdout).not.toContain('log-scale');
    // Read-only: explaining wrote nothing, and the run that follows draws exactly what it said.
    expect((await lastTrial(config))?.number).toBe(13);
    const more = await cliIn(dir, 'run', config, '--more-trials', '1', '--quiet');
    expect(more.code, more.stderr).toBe(0);
    const trial = await lastTrial(config);
    expect(trial?.number).toBe(14);
    expect(trial?.params).toEqual(next.params);
    // With --store and no config, from what the store kept.
    const stored = await cliIn(dir, 'explain', '--store', 'jsonl:explained.parzen.jsonl', '--json');
    expect(stored.code, stored.stderr).toBe(0);
    expect((JSON.parse(stored.stdout) as { trialNumber: number }).trialNumber).toBe(15);
  });

  it("shows each decision's w when the decisions weigh g differently (trial 87: only --json had it)", async () => {
    const config = journalHeartConfig(dir, 'weights', {
      space: xyKind,
      suggester: { use: 'tpe', options: { grouping: 'independent' } },
      budget: { maxTrials: 12 },
    });
    expect((await cliIn(dir, 'run', config, '--quiet')).code).toBe(0);
    const json = JSON.parse((await cliIn(dir, 'explain', config, '--json')).stdout) as {
      explanation: { params: { name: string; aboveWeight: number }[] };
    };
    const weight = Object.fromEntries(json.explanation.params.map((param) => [param.name, param.aboveWeight]));
    expect(weight).toEqual({ x: 0.65, y: 0.65, kind: 1 });
    const text = (await cliIn(dir, 'explain', config)).stdout;
    expect(text).toMatch(/^param +value +candidates +log l +log g +w +score /m);
    expect(text).toMatch(/^kind +\S+ +\d+ +\S+ +\S+ +1 /m);
    expect(text).toMatch(/^x +\S+ +\d+ +\S+ +\S+ +0\.65 /m);
    expect(text).toContain('w as each decision shows it.');
  });

  it("says when the next trial is in TPE's start-up phase", async () => {
    const config = journalHeartConfig(dir, 'early', { suggester: { use: 'tpe' } });
    expect((await cliIn(dir, 'run', config, '--quiet')).code).toBe(0);
    const text = await cliIn(dir, 'explain', config);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(
      /#3, would get\n {2}x = .*\nIt falls in TPE's start-up phase, which lasts until 5 trials have finished \(3 so far\)/,
    );
    // Running trials a counted lie makes observed are not finished ones (review 86: "10 of 5 trials observed").
    const startup = (
      trialNumber: number,
      running: number,
      fields: Readonly<Record<string, unknown>>,
      trials: unknown[],
    ) =>
      formatNextSuggestion(
        'early',
        'minimize',
        {
          trialNumber,
          params: { x: 0.5 },
          running,
          explanation: { suggester: 'tpe', trialNumber, phase: 'startup', nBelow: 0, below: [], params: [], ...fields },
        } as never,
        trials as never,
      );
    const line = startup(
      10,
      6,
      { profile: 'parzen', observed: 10, finished: 4, startupTrials: 5, aboveWeight: 0.65 },
      [],
    );
    expect(line).toContain("It falls in TPE's start-up phase, which lasts until 5 trials have finished (4 so far)");
    // Failed trials the profile leaves out of the count (failed: "ignore") are said (review 157: "4 so far" beside 6).
    const failedTrials = [
      ...completeTrials(4),
      ...[4, 5].map((number) => ({
        study: 's',
        number,
        state: 'failed' as const,
        error: { code: 'OBJECTIVE_THREW', message: 'broken' },
        internal: { x: 0.5 },
        startedAt: '2026-01-01T00:00:00Z',
        finishedAt: '2026-01-01T00:00:01Z',
      })),
    ];
    const withFailed = startup(
      6,
      0,
      { profile: 'optuna', observed: 4, finished: 4, startupTrials: 10, aboveWeight: 1 },
      failedTrials,
    );
    expect(withFailed).toContain(
      'lasts until 10 trials have finished (4 so far: 2 failed trials before it do not count)',
    );
  });

  it('says the split rule that gave the number of good trials: γ of n or of √n, and the cap (trial 166)', () => {
    const said = (split: 'linear' | 'sqrt', gamma: number, observed: number, nBelow: number, explore?: object) =>
      formatModel(
        {
          observed,
          finished: observed,
          gamma,
          split,
          nBelow,
          below: Array.from({ length: nBelow }, (_, i) => i),
          ...(explore === undefined ? {} : { explore }),
        },
        completeTrials(observed),
      );
    // A γ of the options' own beside an explore phase that gives none is not the explore setting's (review 157).
    const ownGamma = said('linear', 0.2, 30, 6, { trials: 50, belowBandwidth: 0.5 });
    expect(ownGamma).toContain('The number of good trials is γ = 0.2 of the 30 trials observed, rounded up: 6.');
    expect(ownGamma).not.toContain('explore setting');
    const exploreGamma = said('linear', 0.15, 30, 5, { trials: 50, gamma: 0.15 });
    expect(exploreGamma).toContain("This γ is the explore setting's, used for the trials before #50.");
    expect(said('sqrt', 0.25, 100, 3)).toContain(
      'The number of good trials is γ = 0.25 of the square root of the 100 trials observed (√100), rounded up: 3.',
    );
    expect(said('linear', 0.1, 400, 25)).toContain(
      'The number of good trials is γ = 0.1 of the 400 trials observed, rounded up (40), at most 25 (maxBelow).',
    );
  });

  it("says a joint decision's runner-up next to the chosen point is the same setting, nearly, not a close call", () => {
    const member = jointMember(['lr', 'layers']);
    const said = (scores: number[]) =>
      jointModel([
        // The runner-up's lr 0.00313 beside the chosen 0.00315 on a log scale of 1e-5 to 1, the same layers.
        member('lr', 'loguniform', [1e-5, 0.001, 1], [0.00315, 0.00313, 0.3], scores),
        member('layers', 'uniformint', [1, 3, 6], [3, 3, 5], scores),
      ]);
    const note =
      'The runner-up is next to the chosen point (each number within 0.1% of its range, each choice the same)';
    expect(said([0, -0.1, -0.5])).toContain(note);
    // A runner-up elsewhere is a second setting that came close: nothing said.
    expect(said([0, -0.5, -0.1])).not.toContain(note);
  });

  // A qloguniform parameter's drawn grid starts at 0 when its low rounds to 0 (low 0.1, q 1): its values are still
  // drawn in logs, so 1 and 9, nearly a power of ten apart, are two settings, not one.
  it('does not say a log-scale runner-up a decade from the chosen point is next to it when the grid holds 0', () => {
    const member = jointMember(['units', 'layers']);
    const scores = [0, -0.1, -0.5];
    const said = jointModel([
      member('units', 'qloguniform', [0, 1, 2, 5000, 10000], [1, 9, 3000], scores),
      member('layers', 'uniformint', [1, 3, 6], [3, 3, 5], scores),
    ]);
    expect(said).not.toContain('The runner-up is next to the chosen point');
  });

  // Trial 166: the kernel column named #30, the sixth good trial of six, which the list hid behind "…".
  it('lists every good trial when they are few, and always those a kernel names', () => {
    const decided = (kernel: number) => ({
      name: 'x',
      kind: 'uniform',
      below: [],
      above: [],
      candidates: { x: [0.5], logL: [0], logG: [0], score: [0] },
      aboveWeight: 0.65,
      winner: { index: 0, value: 0.5, score: 0, kernel: { trial: kernel, share: 0.5 } },
    });
    const said = (good: number, kernel: number) =>
      formatModel(
        {
          observed: 30,
          finished: 30,
          gamma: 0.1,
          split: 'linear',
          nBelow: good,
          below: Array.from({ length: good }, (_, i) => i),
          params: [decided(kernel)],
        },
        completeTrials(30),
      );
    expect(said(8, 7)).toContain('the 8 best (#0 0, #1 1, #2 2, #3 3, #4 4, #5 5, #6 6, #7 7), g(x)');
    expect(said(12, 9)).toContain('the 12 best (#0 0, #1 1, #2 2, #3 3, #4 4, …, #9 9, …), g(x)');
    expect(said(12, 11)).toContain('the 12 best (#0 0, #1 1, #2 2, #3 3, #4 4, …, #11 11), g(x)');
  });

  // Trial 166: two running trials in g(x) as "worst" were "the others", read as the other finished trials.
  it('says the running trials g(x) is built from, and what the constant liar counts them as', () => {
    const trials = [
      ...completeTrials(28),
      ...[28, 29].map((number) => ({
        study: 's',
        number,
        state: 'running' as const,
        internal: { x: 0.5 },
        startedAt: '2026-01-01T00:00:00Z',
      })),
    ];
    const said = (constantLiar: unknown, observed: number, below: number[]) =>
      formatModel(
        { observed, finished: 28, running: [28, 29], constantLiar, gamma: 0.15, split: 'linear', nBelow: 5, below },
        trials,
        2,
      );
    const worst = said('worst', 28, [0, 1, 2, 3, 4]);
    expect(worst).toContain('g(x) from the other 23 and the 2 running trials.');
    expect(worst).toContain(
      'The 2 running trials count as worse than any finished trial (constantLiar "worst"): in g(x) only, and not among the 28 observed.',
    );
    // A finite lie ranks them with the finished trials: one can be good, the other is in g(x).
    const mean = said('mean', 30, [0, 1, 2, 3, 28]);
    expect(mean).toContain('#28 without a loss of their own), g(x) from the other 24 and the running trial.');
    expect(mean).toContain(
      'The 2 running trials count at the complete trials\' mean loss (constantLiar "mean"), ranked by loss among the complete trials, among the 30 observed.',
    );
    const ignored = said(false, 28, [0, 1, 2, 3, 4]);
    expect(ignored).toContain('g(x) from the others.');
    expect(ignored).toContain('The 2 running trials are left out (constantLiar false): in neither l(x) nor g(x).');
  });

  it('says how the pruned trials counted in the split, under each pruned setting', () => {
    const trials = completeTrials(30).map((trial, at) =>
      at % 3 === 2 ? { ...trial, state: 'pruned' as const, intermediate: [{ step: 1, value: at }] } : trial,
    );
    const split = (pruned: 'rank' | 'impute' | 'ignore', seen: readonly unknown[] = trials) =>
      formatModel(
        { observed: 30, finished: 30, gamma: 0.15, split: 'linear', nBelow: 5, below: [0, 1, 3, 4, 6] },
        seen,
        0,
        pruned,
      );
    expect(split('rank')).toContain(
      'From 30 trials observed (10 of them pruned, ranked after every complete trial: pruned "rank"): l(x) is built from the 5 best',
    );
    expect(split('impute')).toContain(
      'From 30 trials observed (10 of them pruned, ranked among the complete trials at a loss estimated from their reports where one can be, after them all otherwise: pruned "impute"): l(x)',
    );
    expect(split('ignore')).toContain('From 30 trials observed (the 10 pruned trials left out: pruned "ignore"): l(x)');
    // No pruned trial: nothing said of them.
    expect(split('rank', completeTrials(30))).toContain('From 30 trials observed: l(x) is built from the 5 best');
  });

  it('says where running trials rank against pruned ones, as the split ranks them under each pruned setting', () => {
    const running = [28, 29].map((number) => ({
      study: 's',
      number,
      state: 'running' as const,
      internal: { x: 0.5 },
      startedAt: '2026-01-01T00:00:00Z',
    }));
    const prunedTrials = completeTrials(28).map((trial, at) =>
      at % 2 === 0 ? trial : { ...trial, state: 'pruned' as const, intermediate: [{ step: 1, value: at }] },
    );
    const said = (constantLiar: unknown, pruned: 'rank' | 'impute' | 'ignore', trials: readonly unknown[]) =>
      formatModel(
        {
          observed: 30,
          finished: 28,
          running: [28, 29],
          constantLiar,
          gamma: 0.15,
          split: 'linear',
          nBelow: 5,
          below: [0, 2, 4, 6, 8],
        },
        trials,
        2,
        pruned,
      ).split('\n');
    const withPruned = [...prunedTrials, ...running];
    // A finite lie: among the complete trials; under rank before every pruned one, under impute beside the estimated.
    expect(said('mean', 'rank', withPruned)).toContain(
      'The 2 running trials count at the complete trials\' mean loss (constantLiar "mean"), ranked by loss among the complete trials, ahead of every pruned trial, among the 30 observed.',
    );
    expect(said(0.5, 'impute', withPruned)).toContain(
      'The 2 running trials count at a loss of 0.5 (constantLiar 0.5), ranked by loss among the complete trials and the pruned ones whose loss is estimated (the other pruned trials rank after them all), among the 30 observed.',
    );
    // Ignored pruned trials rank nowhere: not named.
    expect(said('best', 'ignore', withPruned)).toContain(
      'The 2 running trials count at the complete trials\' best loss (constantLiar "best"), ranked by loss among the complete trials, among the 30 observed.',
    );
    // +∞ ranks after the pruned trials too, not only after the trials with a loss.
    expect(said('infinite', 'rank', withPruned)).toContain(
      'The 2 running trials count at a loss of +∞ (constantLiar "infinite"), among the 30 observed: ranked after every complete and pruned trial, so in l(x) only when those are too few to fill its set.',
    );
    expect(said('infinite', 'rank', [...completeTrials(28), ...running])).toContain(
      'The 2 running trials count at a loss of +∞ (constantLiar "infinite"), among the 30 observed: ranked after every complete trial, so in l(x) only when those are too few to fill its set.',
    );
    // A mean of no complete loss: the split takes them at +∞.
    const onlyPruned = [...prunedTrials.filter((trial) => trial.state === 'pruned'), ...running];
    expect(said('mean', 'rank', onlyPruned)).toContain(
      'The 2 running trials count at a loss of +∞ (constantLiar "mean", with no complete trial\'s loss to take the mean of), among the 30 observed: ranked after every complete and pruned trial, so in l(x) only when those are too few to fill its set.',
    );
  });

  it('says that no trial has a loss when every trial failed, not that l(x) is built from the 0 best (trial 77)', async () => {
    writeIn(dir, 'fails.mjs', 'export default () => { throw new Error("always"); };\n');
    const config = journalHeartConfig(dir, 'failing', {
      suggester: { use: 'tpe' },
      objective: { use: 'module', options: { path: './fails.mjs', isolate: 'none' } },
      budget: { maxTrials: 6, maxConsecutiveFailures: 100 },
    });
    expect((await cliIn(dir, 'run', config, '--quiet')).code).toBe(1);
    const text = await cliIn(dir, 'explain', config);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(
      /No trial has a loss yet \(every trial observed failed\): l\(x\) and g\(x\) are the prior alone/,
    );
    expect(text.stdout).not.toMatch(/built from the 0 best/);
  });

  it('says how many failed trials are outside the split and steer through log P(finish)', async () => {
    writeIn(
      dir,
      'fails-high.mjs',
      'export default ({ x }) => { if (x > 0.6) throw new Error("diverged"); return (x - 0.3) ** 2; };\n',
    );
    const config = journalHeartConfig(dir, 'fails-high', {
      space: { x: { type: 'uniform', low: 0, high: 1 } },
      suggester: { use: 'tpe' },
      objective: { use: 'module', options: { path: './fails-high.mjs', isolate: 'none' } },
      budget: { maxTrials: 14, maxConsecutiveFailures: 100 },
    });
    await cliIn(dir, 'run', config, '--quiet');
    const listed = JSON.parse((await cliIn(dir, 'trials', config, '--json')).stdout) as { state: string }[];
    const failed = listed.filter((trial) => trial.state === 'failed').length;
    const complete = listed.filter((trial) => trial.state === 'complete').length;
    expect(failed).toBeGreaterThan(1);
    const text = await cliIn(dir, 'explain', config);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(`From ${complete} trials observed:`);
    expect(text.stdout).toContain(
      `${failed} trials that failed at their params are not among them: failures steer decisions away from where trials fail (log P(finish) below).`,
    );
    const json = JSON.parse((await cliIn(dir, 'explain', config, '--json')).stdout) as {
      explanation: { observed: number; failures?: number };
    };
    expect(json.explanation).toMatchObject({ observed: complete, failures: failed });
    // Failures outside the failure model's window (older than its latest trials) steer nothing: said so, not that
    // they steer (review 123: the reason given was that no failed trial had the parameters).
    const stale = formatNextSuggestion(
      'old-failures',
      'minimize',
      {
        trialNumber: 300,
        params: { x: 0.5 },
        running: 0,
        explanation: {
          suggester: 'tpe',
          profile: 'parzen',
          trialNumber: 300,
          phase: 'model',
          observed: 296,
          finished: 300,
          failures: 4,
          startupTrials: 5,
          aboveWeight: 0.65,
          nBelow: 1,
          below: [7],
          params: [],
        },
      } as never,
      [
        {
          study: 'old-failures',
          number: 7,
          state: 'complete',
          loss: 0.5,
          internal: { x: 0.5 },
          startedAt: '2026-01-01T00:00:00Z',
          finishedAt: '2026-01-01T00:00:01Z',
        },
      ],
    );
    expect(stale).toContain(
      "4 trials that failed at their params are not among them: they steer no decision of this trial: the failure model reads the latest finished or failed trials that have a decision's parameters, and none of those failed.",
    );
  });

  it('refuses a study another suggester runs, as a user error', async () => {
    const config = journalHeartConfig(dir, 'random-study');
    expect((await cliIn(dir, 'run', config, '--quiet')).code).toBe(0);
    const refused = await cliIn(dir, 'explain', config);
    expect(refused.code).toBe(2);
    // What was expected and what was found, and where: the config's suggester.
    expect(refused.stderr).toContain(
      `parzen: ${config}: /suggester/use: expected "tpe" (explain shows how TPE decides), found "random". Study random-study was created with it too.`,
    );
    // Created with random search: the store would say the same, so no --store (trial 113: it was offered).
    expect(refused.stderr).toContain('explain them with a config that names "tpe".');
    expect(refused.stderr).not.toMatch(/\n\s+at /);
    // A TPE study whose config names random search now (trial 110): the store keeps it as TPE's.
    const tpeFirst = journalHeartConfig(dir, 'tpe-first', { suggester: { use: 'tpe' } });
    expect((await cliIn(dir, 'run', tpeFirst, '--quiet')).code).toBe(0);
    journalHeartConfig(dir, 'tpe-first', { suggester: { use: 'random' } });
    const offered = await cliIn(dir, 'explain', tpeFirst, '--json');
    expect(offered.stderr).toContain(
      '/suggester/use: expected "tpe" (explain shows how TPE decides), found "random". Study tpe-first was created with the `tpe` suggester. If TPE ran its trials before, explain them with a config that names "tpe", or with --store SPEC and no config (the study as its store keeps it: created with TPE).',
    );
    // --json gives the same as an issue, its code unchanged.
    expect(JSON.parse(offered.stdout.trim().split('\n').at(-1) ?? '')).toMatchObject({
      errors: [
        {
          code: 'CONFIG_INVALID',
          issues: [{ pointer: '/suggester/use', expected: '"tpe" (explain shows how TPE decides)', found: '"random"' }],
        },
      ],
    });
  });

  it("explains what run does with the config: its seed over the stored one, a dead worker's trial failed first (review 60)", async () => {
    const first = journalHeartConfig(dir, 'reseeded', { suggester: { use: 'tpe' }, budget: { maxTrials: 12 } });
    expect((await cliIn(dir, 'run', first, '--quiet')).code).toBe(0);
    // The same study, another seed; and a trial a killed worker left running (a pid that is not alive).
    const config = writeIn(dir, 'reseeded-99.json', {
      ...(JSON.parse((await import('node:fs')).readFileSync(first, 'utf8')) as object),
      seed: 99,
    });
    const store = createJsonlStore({ path: join(dir, 'reseeded.parzen.jsonl') });
    await store.createTrial('reseeded', {
      lease: { owner: `${hostname()}:2147483646:gone`, expiresAt: new Date(Date.now() + 60_000).toISOString() },
    });
    await store.close();
    const json = await cliIn(dir, 'explain', config, '--json');
    expect(json.code, json.stderr).toBe(0);
    expect(json.stderr).toMatch(/#12 was left running by a worker that is gone: counted as failed \(STALE_TRIAL\)/);
    const next = JSON.parse(json.stdout) as { trialNumber: number; params: Record<string, number>; stale: number[] };
    expect(next.trialNumber).toBe(13);
    expect(next.stale).toEqual([12]);
    const more = await cliIn(dir, 'run', config, '--more-trials', '1', '--quiet');
    expect(more.code, more.stderr).toBe(0);
    expect((await lastTrial(config))?.params).toEqual(next.params);
  });

  it("names the enqueued entry a dead worker's trial gives back as the next trial's, before the one that waits, as run runs them", async () => {
    const config = journalHeartConfig(dir, 'given-back', { suggester: { use: 'tpe' }, budget: { maxTrials: 6 } });
    expect((await cliIn(dir, 'run', config, '--quiet')).code).toBe(0);
    // Two entries queued; a worker whose process is gone took the first.
    const store = createJsonlStore({ path: join(dir, 'given-back.parzen.jsonl') });
    await store.enqueue('given-back', [{ internal: { x: 0.5, y: 0.5 } }, { internal: { x: -0.25, y: 1 } }]);
    await store.createTrial('given-back', {
      lease: { owner: `${hostname()}:2147483646:gone`, expiresAt: new Date(Date.now() + 60_000).toISOString() },
    });
    await store.close();
    const explained = await cliIn(dir, 'explain', config);
    expect(explained.code, explained.stderr).toBe(0);
    expect(explained.stderr).toContain(
      '#6 was left running by a worker that is gone: counted as failed (STALE_TRIAL), as the next run marks it first (the enqueued entry it ran then runs again first).',
    );
    expect(explained.stderr).toContain(
      '#7, the next trial, runs the enqueued entry that a trial whose worker is gone gives back, before those that wait (x = 0.5, y = 0.5) instead:',
    );
    const more = await cliIn(dir, 'run', config, '--more-trials', '1', '--quiet');
    expect(more.code, more.stderr).toBe(0);
    expect((await lastTrial(config))?.params).toEqual({ x: 0.5, y: 0.5 });
  });

  it('lists the below set best first in a maximize study, and says when enqueued entries go first', async () => {
    const config = journalHeartConfig(dir, 'maximized', {
      direction: 'maximize',
      suggester: { use: 'tpe' },
      budget: { maxTrials: 30 },
      enqueue: [{ x: 0.1, y: 0.2 }],
    });
    expect((await cliIn(dir, 'run', config, '--quiet')).code).toBe(0);
    const text = await cliIn(dir, 'explain', config);
    expect(text.code, text.stderr).toBe(0);
    const listed = /l\(x\) is built from the \d+ best \(([^)]*)\)/.exec(text.stdout)?.[1] ?? '';
    const losses = [...listed.matchAll(/#\d+ (-?[\d.e+-]+)/g)].map((match) => Number(match[1]));
    expect(losses.length).toBeGreaterThan(1);
    expect(losses).toEqual([...losses].sort((a, b) => b - a));
    // Its entry ran as the first trial: nothing to say. A new entry runs next, and explain says so (review 61).
    expect(text.stderr).not.toMatch(/enqueued entry/);
    const more = writeIn(dir, 'maximized-more.json', {
      ...(JSON.parse((await import('node:fs')).readFileSync(config, 'utf8')) as object),
      enqueue: [{ x: 0.1, y: 0.2 }, { x: -0.5 }],
    });
    const json = await cliIn(dir, 'explain', more, '--json');
    expect(json.code, json.stderr).toBe(0);
    expect((JSON.parse(json.stdout) as { enqueued?: unknown }).enqueued).toEqual({ x: -0.5 });
    expect(json.stderr).toMatch(/#30, the next trial, runs the enqueued entry that waits \(x = -0\.5\) instead/);
  });

  it('says a study stored without its suggester was made before they were recorded, not run by "unknown" (trial 63)', async () => {
    const at = '2026-11-30T00:00:00.000Z';
    const study = { name: 'old', direction: 'minimize', seed: 1, space: { x: { type: 'uniform', low: 0, high: 1 } } };
    const lines = [
      { op: 'journal', format: 'parzen-jsonl', version: 1 },
      { op: 'study', study: { ...study, createdAt: at } },
      { op: 'trial', study: 'old', number: 0, startedAt: at },
      { op: 'params', study: 'old', number: 0, params: { x: 0.25 } },
      { op: 'finish', study: 'old', number: 0, outcome: { state: 'complete', loss: 1 }, finishedAt: at },
    ];
    const journal = writeIn(dir, 'old.parzen.jsonl', `${lines.map((line) => JSON.stringify(line)).join('\n')}\n`);
    const said = await cliIn(dir, 'explain', '--store', `jsonl:${journal}`);
    expect(said.code).toBe(2);
    expect(said.stderr).toContain('was stored without the suggester its trials were drawn with');
    expect(said.stderr).not.toContain('unknown');
  });

  it('says a partial entry whose values trials have runs first when the store never ran it (review 62, review 118)', async () => {
    const config = journalHeartConfig(dir, 'partial', { suggester: { use: 'tpe' }, budget: { maxTrials: 8 } });
    expect((await cliIn(dir, 'run', config, '--quiet')).code).toBe(0);
    const x = (await lastTrial(config))?.params.x as number;
    const partial = writeIn(dir, 'partial-entry.json', {
      ...(JSON.parse((await import('node:fs')).readFileSync(config, 'utf8')) as object),
      enqueue: [{ x }],
    });
    const text = await cliIn(dir, 'explain', partial);
    expect(text.code, text.stderr).toBe(0);
    // The store lists the entries its trials ran (none here): it runs first, said as such, no longer guessed at.
    expect(text.stderr).toMatch(/#8, the next trial, runs the enqueued entry that waits \(x = [^)]+\) instead/);
    expect(text.stderr).not.toContain('does not tell which');
    expect(text.stderr).not.toMatch(/\((trial|review) \d+/); // no note of ours leaks into a message (trial 67)
    // And it does run first: the store had never queued it.
    expect((await cliIn(dir, 'run', partial, '--more-trials', '1', '--quiet')).code).toBe(0);
    expect((await lastTrial(partial))?.params.x).toBe(x);
  });

  it('explains with --seed what run --seed draws', async () => {
    const config = journalHeartConfig(dir, 'seeded', { suggester: { use: 'tpe' }, budget: { maxTrials: 10 } });
    expect((await cliIn(dir, 'run', config, '--quiet')).code).toBe(0);
    const json = await cliIn(dir, 'explain', config, '--seed', '5', '--json');
    expect(json.code, json.stderr).toBe(0);
    const next = JSON.parse(json.stdout) as { params: Record<string, number> };
    // Trial 166: another seed than the study's was not said, and a past trial's replay listed four guesses.
    const own = (JSON.parse(readFileSync(config, 'utf8')) as { seed?: number }).seed ?? 0;
    expect(own).not.toBe(5);
    expect(json.stderr).toContain(
      `parzen: note: --seed 5 is not the seed study seeded was created with (${own}): the params below are those a run with --seed 5 would draw next; without --seed, explain draws with seed ${own}, as run would.`,
    );
    // The report draws the next suggestion with the config's seed, not this one.
    const text = await cliIn(dir, 'explain', config, '--seed', '5');
    expect(text.stdout).toContain(
      `\`parzen report\` draws the next suggestion with seed ${own}, not with seed 5 as here, so its figures can differ from these; --json gives these in full.`,
    );
    expect(text.stdout).not.toContain('draws these densities');
    expect((await cliIn(dir, 'explain', config, '--seed', String(own))).stdout).toContain(
      "`parzen report` draws these densities, and past trials' (`--trial N` for one); --json gives these in full.",
    );
    const past = await cliIn(dir, 'explain', config, '--seed', '5', '--trial', '8');
    expect(past.code, past.stderr).toBe(0);
    expect(past.stdout).toContain(
      `instead: study seeded was created with seed ${own}, which gives this trial's params (explain without --seed replays with it).`,
    );
    expect(past.stdout).not.toContain('or its params were written otherwise');
    // report replays with the study's own seed: its densities are not these of --seed 5.
    expect(past.stdout).toContain(
      `\`parzen report --trial 8\` draws this trial's densities replayed with the study's own seed, ${own}, not with seed 5 as here, so its figures can differ from these; --json gives these in full.`,
    );
    expect(past.stdout).not.toContain('draws these densities');
    // With the study's own seed, the report draws these very densities.
    const ownSeed = await cliIn(dir, 'explain', config, '--seed', String(own), '--trial', '8');
    expect(ownSeed.stdout).toContain('`parzen report --trial 8` draws these densities; --json gives them in full.');
    expect((await cliIn(dir, 'run', config, '--seed', '5', '--more-trials', '1', '--quiet')).code).toBe(0);
    expect((await lastTrial(config))?.params).toEqual(next.params);
  });
});

describe('parzen explain on a joint decision of many parameters (trial 95: 152 names on every row)', () => {
  it("shows each decision's runner-up (the best score at another value) and the kernel of l(x) behind the choice, the group's for a joint one (trial 105)", async () => {
    const config = journalHeartConfig(dir, 'runner-up', {
      space: xyKind,
      suggester: { use: 'tpe', options: { grouping: 'independent' } },
      budget: { maxTrials: 12 },
    });
    expect((await cliIn(dir, 'run', config, '--quiet')).code).toBe(0);
    type Decision = {
      name: string;
      group?: string[];
      candidates: { x: number[]; score: number[] };
      winner: {
        index: number;
        value: number;
        score: number;
        kernel?: { trial: number | null; share: number; trials?: (number | null)[] };
      };
      l: {
        truncation: string;
        low: number;
        high: number;
        weights: number[];
        mus: number[];
        sigmas: number[];
        trials: (number | null)[];
      };
    };
    const decisions = async (path: string) =>
      (JSON.parse((await cliIn(dir, 'explain', path, '--json')).stdout) as { explanation: { params: Decision[] } })
        .explanation.params;
    // The expected runner-up, from the candidates: the best score among those at another point of the decision.
    const expected = (params: Decision[], param: Decision) => {
      const members = params.filter((other) => (param.group ?? [param.name]).includes(other.name));
      const i = param.winner.index;
      const others = param.candidates.score.filter((_, j) =>
        members.some((member) => member.candidates.x[j] !== member.candidates.x[i]),
      );
      return Math.max(...others);
    };
    const cell = (text: string, name: string, title: string) => {
      const lines = text.split('\n');
      const header = lines.find((line) => line.startsWith('param '))?.split(/ {2,}/) ?? [];
      const row = lines.find((line) => line.startsWith(`${name} `))?.split(/ {2,}/) ?? [];
      return row[header.indexOf(title)];
    };
    const column = (text: string, name: string) => Number(cell(text, name, 'runner-up'));
    const kernelCell = (kernel: Decision['winner']['kernel']) =>
      `${kernel?.trial === null ? 'prior' : `#${kernel?.trial}`}${kernel?.trials === undefined ? '' : ` +${kernel.trials.length - 1}`} ${Math.round((kernel?.share ?? 0) * 100)}%`;
    const alone = await decisions(config);
    const text = (await cliIn(dir, 'explain', config)).stdout;
    expect(text).toMatch(/^param +value +candidates +log l +log g +w +score +runner-up +kernel +good\/others$/m);
    // A choice's candidates repeat its options: the runner-up is another option's, never the winner's twin.
    const kind = alone.find((param) => param.name === 'kind') as Decision;
    expect(kind.candidates.x.filter((x) => x === kind.candidates.x[kind.winner.index]).length).toBeGreaterThan(1);
    for (const param of alone) {
      const runnerUp = expected(alone, param);
      expect(runnerUp).toBeLessThanOrEqual(param.winner.score);
      expect(column(text, param.name)).toBeCloseTo(runnerUp, 4);
      expect(cell(text, param.name, 'kernel')).toBe(kernelCell(param.winner.kernel));
    }
    // The kernel of l(x) with the largest share at x's chosen value, by hand from l's components (each cut to
    // the bounds and renormalised): a good trial's (by its number), or the prior's.
    const x = alone.find((param) => param.name === 'x') as Decision;
    const { l } = x;
    expect(l.truncation).toBe('kernel');
    const terms = l.weights.map((weight, k) => {
      const mu = l.mus[k] as number;
      const sigma = l.sigmas[k] as number;
      const mass = Math.exp(logGaussMass((l.low - mu) / sigma, (l.high - mu) / sigma));
      return (weight * Math.exp(-0.5 * ((x.winner.value - mu) / sigma) ** 2)) / sigma / mass;
    });
    const strongest = terms.indexOf(Math.max(...terms));
    expect(x.winner.kernel?.trial).toBe(l.trials[strongest]);
    expect(x.winner.kernel?.share).toBeCloseTo((terms[strongest] as number) / terms.reduce((a, b) => a + b, 0), 10);
    // Joint: one runner-up for the group, a candidate that differs in x, in y or in kind.
    const joint = journalHeartConfig(dir, 'runner-up-joint', {
      space: xyKind,
      suggester: { use: 'tpe' },
      budget: { maxTrials: 12 },
    });
    expect((await cliIn(dir, 'run', joint, '--quiet')).code).toBe(0);
    const together = await decisions(joint);
    const jointText = (await cliIn(dir, 'explain', joint)).stdout;
    for (const param of together) expect([...(param.group ?? [])].sort()).toEqual(['kind', 'x', 'y']);
    // Said once, the chosen point beside the runner-up's (trial 166: the group's figures on every row).
    const blockRow = (label: string) =>
      jointText
        .split('\n')
        .find((line) => line.startsWith(`${label} `))
        ?.split(/ {2,}/)
        .map((cell) => cell.trim());
    const [lead] = together as [Decision];
    const runnerUp = expected(together, lead);
    expect(Number(blockRow('score')?.[2])).toBeCloseTo(runnerUp, 4);
    expect(Number(blockRow('score')?.[1])).toBeCloseTo(lead.winner.score, 4);
    const second = lead.candidates.score.findIndex(
      (score, j) => score === runnerUp && together.some((p) => p.candidates.x[j] !== p.candidates.x[lead.winner.index]),
    );
    for (const param of together) {
      const options = (param as Decision & { options?: string[] }).options;
      const read = (cell: string | undefined) =>
        options === undefined ? Number(cell) : options.indexOf(JSON.parse(cell ?? ''));
      expect(read(blockRow(param.name)?.[1])).toBeCloseTo(param.winner.value, 4);
      expect(read(blockRow(param.name)?.[2])).toBeCloseTo(param.candidates.x[second] as number, 4);
    }
    // The group's kernel, said once (of the joint l, not of a member's marginal).
    expect(new Set(together.map((param) => JSON.stringify(param.winner.kernel))).size).toBe(1);
    const { kernel } = lead.winner;
    expect(jointText).toContain(
      `The kernel of l(x) strongest at the chosen point is ${kernel?.trial === null ? "the prior's" : `#${kernel?.trial}'s`}`,
    );
    expect(jointText).toContain(`: ${Math.round((kernel?.share ?? 0) * 100)}% of l(x) there.`);
    // A joint kernel by hand (review 111: taken from g, the test above still passed): two parameters on their own
    // axes, so l is Σ_k w_k Π_j N(x_j; μ_kj, σ_kj) / mass_kj, each member's description giving its μ_kj and σ_kj.
    const plain = journalHeartConfig(dir, 'kernel-joint', {
      suggester: { use: 'tpe', options: { frame: 'axes' } },
      budget: { maxTrials: 12 },
    });
    expect((await cliIn(dir, 'run', plain, '--quiet')).code).toBe(0);
    const members = await decisions(plain);
    expect(members.map((param) => param.group)).toEqual([
      ['x', 'y'],
      ['x', 'y'],
    ]);
    const [first] = members as [Decision];
    const products = first.l.weights.map((weight, k) =>
      members.reduce((product, { l, winner }) => {
        const mu = l.mus[k] as number;
        const sigma = l.sigmas[k] as number;
        const mass = Math.exp(logGaussMass((l.low - mu) / sigma, (l.high - mu) / sigma));
        return (product * Math.exp(-0.5 * ((winner.value - mu) / sigma) ** 2)) / sigma / mass;
      }, weight),
    );
    const top = products.indexOf(Math.max(...products));
    for (const { winner } of members) {
      expect(winner.kernel?.trial).toBe(first.l.trials[top]);
      expect(winner.kernel?.share).toBeCloseTo((products[top] as number) / products.reduce((a, b) => a + b, 0), 10);
    }
  });

  it('says where candidates were passed over as repeats, the reason a runner-up can score above the value chosen', async () => {
    // `c` opens nothing and is the best: every `c` is a repeat of the first, so TPE passes over candidates of it.
    writeIn(dir, 'leaf.mjs', "export default ({ model, x }) => (model === 'c' ? 0 : 1 + x);\n");
    const config = journalHeartConfig(dir, 'repeats', {
      space: {
        model: {
          type: 'choice',
          options: [{ value: 'a', space: { x: { type: 'uniform', low: 0, high: 1 } } }, 'c'],
        },
      },
      objective: { use: 'module', options: { path: './leaf.mjs', isolate: 'none' } },
      suggester: { use: 'tpe' },
      budget: { maxTrials: 12 },
    });
    expect((await cliIn(dir, 'run', config, '--quiet')).code).toBe(0);
    const json = JSON.parse((await cliIn(dir, 'explain', config, '--json')).stdout) as {
      explanation: { params: { name: string; skippedRepeats?: number; winner: { score: number } }[] };
    };
    const model = json.explanation.params.find((param) => param.name === 'model');
    expect(model?.skippedRepeats).toBeGreaterThan(0);
    const text = (await cliIn(dir, 'explain', config)).stdout;
    expect(text).toContain(
      `model: ${model?.skippedRepeats} candidate${model?.skippedRepeats === 1 ? ' was' : 's were'} passed over because`,
    );
    expect(text).toContain('so the runner-up may score higher than the value chosen.');
    // Once per decision: a joint group's members do not each say it (review 111: three members, three sentences).
    writeIn(dir, 'pair.mjs', "export default ({ u, v }) => (u === 'p' && v === 'r' ? 0 : 1);\n");
    const pair = journalHeartConfig(dir, 'repeats-joint', {
      space: { u: { type: 'choice', options: ['p', 'q', 'w'] }, v: { type: 'choice', options: ['r', 's', 't'] } },
      objective: { use: 'module', options: { path: './pair.mjs', isolate: 'none' } },
      suggester: { use: 'tpe' },
      budget: { maxTrials: 8 },
    });
    expect((await cliIn(dir, 'run', pair, '--quiet')).code).toBe(0);
    const jointJson = JSON.parse((await cliIn(dir, 'explain', pair, '--json')).stdout) as {
      explanation: { params: { name: string; group?: string[]; skippedRepeats?: number }[] };
    };
    expect(jointJson.explanation.params.map((param) => [param.name, param.group])).toEqual([
      ['u', ['u', 'v']],
      ['v', ['u', 'v']],
    ]);
    expect(jointJson.explanation.params.map((param) => (param.skippedRepeats ?? 0) > 0)).toEqual([true, true]);
    const jointText = (await cliIn(dir, 'explain', pair)).stdout;
    expect(jointText.split('passed over because').length - 1).toBe(1);
    // Named by the group's members (trial 111: a note naming one of four left the other rows unexplained).
    expect(jointText).toMatch(/^u, v \(decided together\): \d+ candidates? (was|were) passed over because/m);
  });

  it('explains a past trial with --trial N: its suggestion replayed from the trials before it (trial 108)', async () => {
    const config = journalHeartConfig(dir, 'past', {
      suggester: { use: 'tpe' },
      budget: { maxTrials: 14 },
      enqueue: [{ x: 0.25, y: -0.75 }],
    });
    expect((await cliIn(dir, 'run', config, '--quiet')).code).toBe(0);
    const listed = JSON.parse((await cliIn(dir, 'trials', config, '--json')).stdout) as {
      number: number;
      params: Record<string, number>;
    }[];
    type Past = {
      trialNumber: number;
      params: Record<string, number>;
      stored: Record<string, number>;
      reproduced: boolean;
      explanation: { phase: string };
    };
    const past = async (number: number) => {
      const out = await cliIn(dir, 'explain', config, '--trial', String(number), '--json');
      expect(out.code, out.stderr).toBe(0);
      return JSON.parse(out.stdout) as Past;
    };
    // #0 ran the enqueued entry: the replay draws otherwise, and says so.
    const first = await past(0);
    expect(first.stored).toEqual({ x: 0.25, y: -0.75 });
    expect(first.reproduced).toBe(false);
    expect(first).toMatchObject({ enqueued: { x: 0.25, y: -0.75 }, enqueuedAll: true });
    const said = await cliIn(dir, 'explain', config, '--trial', '0');
    expect(said.stdout).toMatch(/^Study past, TPE \(profile parzen\): trial #0 got\n {2}x = 0\.25, y = -0\.75\n/);
    expect(said.stdout).toContain(
      'The store lists them all as given to it, not drawn (an enqueued entry naming them all',
    );
    expect(said.stdout).not.toContain('draws x =');
    // Every other trial, start-up and model-based alike, is the replay's draw exactly.
    for (const trial of listed.slice(1)) {
      const replayed = await past(trial.number);
      expect(replayed.trialNumber).toBe(trial.number);
      expect(replayed.stored).toEqual(trial.params);
      expect(replayed.params).toEqual(trial.params);
      expect(replayed.reproduced).toBe(true);
      expect(replayed.explanation.phase).toBe(trial.number < 5 ? 'startup' : 'model');
    }
    const text = await cliIn(dir, 'explain', config, '--trial', '13');
    expect(text.stdout).toMatch(/^Study past, TPE \(profile parzen\): trial #13 got\n/);
    expect(text.stdout).toContain('`parzen report --trial 13` draws these densities');
    expect(text.stdout).not.toContain('draws x =');
    expect(text.stdout).toContain('x and y were decided together, as one joint decision: of 24 candidates');
    // How the trial then turned out (trial 166: never said), its loss as `trials` lists it.
    const loss = (JSON.parse((await cliIn(dir, 'trials', config, '--json')).stdout) as { loss: number }[])[13]?.loss;
    expect(text.stdout.trimEnd().split('\n').at(-1)).toMatch(/^Trial #13 then ended complete, loss -?[\d.e+-]+\.$/);
    expect(typeof loss).toBe('number');
    const missing = await cliIn(dir, 'explain', config, '--trial', '14');
    expect(missing.code).toBe(2);
    // The next trial's number: explain without --trial shows it (trial 166).
    expect(missing.stderr).toBe(
      'parzen: --trial 14: study past has no trial #14 (its trials are #0 to #13). Without --trial, explain shows the next trial, #14.',
    );
    const beyond = await cliIn(dir, 'explain', config, '--trial', '15');
    expect(beyond.stderr).toBe('parzen: --trial 15: study past has no trial #15 (its trials are #0 to #13).');
  });

  it("explains a past trial with the store's TPE settings when the config's changed and miss it (trial 116)", async () => {
    const created = { suggester: { use: 'tpe', options: { gamma: 0.5 } }, budget: { maxTrials: 9 } };
    const config = journalHeartConfig(dir, 'changed', created);
    expect((await cliIn(dir, 'run', config, '--quiet')).code).toBe(0);
    // The config edited afterwards, not run: its settings draw trial #8 otherwise.
    journalHeartConfig(dir, 'changed', { ...created, suggester: { use: 'tpe', options: { candidates: 1 } } });
    const out = await cliIn(dir, 'explain', config, '--trial', '8', '--json');
    expect(out.code, out.stderr).toBe(0);
    const past = JSON.parse(out.stdout) as { reproduced: boolean; settings: string; params: unknown; stored: unknown };
    expect(past).toMatchObject({ reproduced: true, settings: 'store' });
    expect(past.params).toEqual(past.stored);
    expect(out.stderr).toContain(
      "parzen: note: trial #8 is explained with the TPE settings study changed was created with (its store's, as report replays it): they give its params, the config's do not.",
    );
    // Another seed as well: the stored seed is tried with the stored settings, as report replays them (review 124).
    journalHeartConfig(dir, 'changed', {
      ...created,
      seed: 7,
      suggester: { use: 'tpe', options: { candidates: 1 } },
    });
    const reseeded = await cliIn(dir, 'explain', config, '--trial', '8', '--json');
    expect(JSON.parse(reseeded.stdout)).toMatchObject({ reproduced: true, settings: 'store' });
    expect(reseeded.stderr).toContain('is explained with the TPE settings and seed (1) study changed was created with');
    // --seed given: that seed, with the stored settings (review 125: the retry was skipped).
    const flagSeed = await cliIn(dir, 'explain', config, '--trial', '8', '--seed', '1', '--json');
    expect(JSON.parse(flagSeed.stdout)).toMatchObject({ reproduced: true, settings: 'store' });
    // A study random search began and TPE went on with: the stored seed alone (review 125: only TPE's studies).
    const mixed = journalHeartConfig(dir, 'mixed', { suggester: { use: 'random' }, budget: { maxTrials: 6 } });
    expect((await cliIn(dir, 'run', mixed, '--quiet')).code).toBe(0);
    journalHeartConfig(dir, 'mixed', { suggester: { use: 'tpe' }, budget: { maxTrials: 10 } });
    expect((await cliIn(dir, 'run', mixed, '--quiet')).code).toBe(0);
    journalHeartConfig(dir, 'mixed', { seed: 4, suggester: { use: 'tpe' }, budget: { maxTrials: 10 } });
    const mixedPast = await cliIn(dir, 'explain', mixed, '--trial', '8', '--json');
    expect(mixedPast.code, mixedPast.stderr).toBe(0);
    expect(JSON.parse(mixedPast.stdout)).toMatchObject({ reproduced: true, settings: 'store' });
    expect(mixedPast.stderr).toContain(
      "is explained with the seed (1) study mixed was created with (its store's, as report replays it): it gives its params, the config's does not.",
    );
    // With --store alone the settings are the store's from the start.
    const stored = await cliIn(
      dir,
      'explain',
      '--store',
      `jsonl:${join(dir, 'changed.parzen.jsonl')}`,
      '--trial',
      '8',
      '--json',
    );
    expect(stored.code, stored.stderr).toBe(0);
    expect(JSON.parse(stored.stdout)).toMatchObject({ reproduced: true, settings: 'store' });
    // The next suggestion stays the config's, as the next run draws it.
    const next = await cliIn(dir, 'explain', config, '--json');
    expect(next.stderr).not.toContain('is explained with the TPE settings');
    // Settings that still give the trial are kept as they are: the config's.
    journalHeartConfig(dir, 'changed', created);
    const same = JSON.parse((await cliIn(dir, 'explain', config, '--trial', '8', '--json')).stdout) as {
      settings: string;
      reproduced: boolean;
    };
    expect(same).toMatchObject({ reproduced: true, settings: 'config' });
  });

  it('explains a partly enqueued trial with the values its entry fixed, TPE choosing the rest (trial 111)', async () => {
    const base = { suggester: { use: 'tpe' }, budget: { maxTrials: 8 } };
    const config = journalHeartConfig(dir, 'partly', base);
    expect((await cliIn(dir, 'run', config, '--quiet')).code).toBe(0);
    // Resumed with an entry fixing x: trial #8 runs it, after the start-up phase, and TPE chooses y.
    journalHeartConfig(dir, 'partly', { ...base, budget: { maxTrials: 9 }, enqueue: [{ x: 0.3 }] });
    expect((await cliIn(dir, 'run', config, '--quiet')).code).toBe(0);
    const stored = await lastTrial(config);
    expect(stored?.number).toBe(8);
    expect(stored?.params.x).toBe(0.3);
    const out = await cliIn(dir, 'explain', config, '--trial', '8', '--json');
    expect(out.code, out.stderr).toBe(0);
    const past = JSON.parse(out.stdout) as {
      params: Record<string, number>;
      reproduced: boolean;
      enqueued: Record<string, number>;
      enqueuedAll: boolean;
      explanation: { phase: string; params: { name: string }[] };
    };
    // Replayed with x kept: the y TPE chose is the y explained, and x is no decision of TPE's.
    expect(past).toMatchObject({ params: stored?.params, reproduced: true, enqueued: { x: 0.3 }, enqueuedAll: false });
    expect(past.explanation.phase).toBe('model');
    expect(past.explanation.params.map((param) => param.name)).toEqual(['y']);
    const text = await cliIn(dir, 'explain', config, '--trial', '8');
    expect(text.stdout).toContain('An enqueued entry gave it x = 0.3; TPE chose the rest');
    expect(text.stdout).not.toContain('draws x =');
    // Moved to a SQLite store (export, import with the config's entry): still the entry's own values (review 115).
    const exported = join(dir, 'partly-export.jsonl');
    expect((await cliIn(dir, 'export', config, '-o', exported)).code).toBe(0);
    const moved = journalHeartConfig(dir, 'partly-moved', {
      ...base,
      name: 'partly',
      budget: { maxTrials: 9 },
      enqueue: [{ x: 0.3 }],
      store: { use: 'sqlite', options: { path: './partly-moved.db' } },
    });
    const imported = await cliIn(dir, 'import', moved, exported);
    expect(imported.code, imported.stderr).toBe(0);
    const again = await cliIn(dir, 'explain', moved, '--trial', '8', '--json');
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ reproduced: true, enqueued: { x: 0.3 }, enqueuedAll: false });
  });

  it('says the TPE settings a config changed since the study began, as run says them (trial 113: unsaid)', async () => {
    const edited = journalHeartConfig(dir, 'edited', { suggester: { use: 'tpe' }, budget: { maxTrials: 6 } });
    expect((await cliIn(dir, 'run', edited, '--quiet')).code).toBe(0);
    const same = await cliIn(dir, 'explain', edited);
    expect(same.stderr).not.toContain('settings than the config');
    journalHeartConfig(dir, 'edited', { suggester: { use: 'tpe', options: { gamma: 0.3 } }, budget: { maxTrials: 6 } });
    const said = await cliIn(dir, 'explain', edited);
    expect(said.code, said.stderr).toBe(0);
    expect(said.stderr).toContain(
      'parzen: warning: study edited was created with other `tpe` settings than the config\'s: `gamma` was 0.1, now 0.3; `explore` was {"belowBandwidth":0.5,"gamma":0.15,"trials":50}, now {"belowBandwidth":0.5,"trials":50}, its `gamma` giving way to the top-level `gamma`. explain uses the config\'s, as the next run would (report replays the study\'s own). To go on as the study began, give the suggester these options: {"gamma":0.1,"explore":{"trials":50,"gamma":0.15,"belowBandwidth":0.5}}.',
    );
  });

  it('names the suggester a study was created with when a replay differs, and offers --store only for a TPE one (trial 113)', async () => {
    const switched = journalHeartConfig(dir, 'switched', { suggester: { use: 'random' }, budget: { maxTrials: 6 } });
    expect((await cliIn(dir, 'run', switched, '--quiet')).code).toBe(0);
    const refused = await cliIn(dir, 'explain', switched);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('If TPE ran its trials before, explain them with a config that names "tpe".');
    journalHeartConfig(dir, 'switched', { suggester: { use: 'tpe' }, budget: { maxTrials: 8 } });
    expect((await cliIn(dir, 'run', switched, '--quiet')).code).toBe(0);
    // Trial 2 was random search's.
    const early = await cliIn(dir, 'explain', switched, '--trial', '2');
    expect(early.code, early.stderr).toBe(0);
    expect(early.stdout).toContain(
      'instead: the study was created with the `random` suggester, which may have drawn this trial (a run with TPE came later); or the trial was suggested with other settings',
    );
  });

  it("matches the heart example README's explain --trial 82 block (kept true as the output changes)", async () => {
    const example = join(__dirname, '..', '..', '..', 'examples', 'heart');
    const readme = readFileSync(join(example, 'README.md'), 'utf8');
    const block = /<!-- explain-trial-82 -->\n```text\n([\s\S]*?)\n```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    const store = `jsonl:${join(tempDir('parzen-heart-explain-'), 'heart.parzen.jsonl')}`;
    const ran = await cliIn(example, 'run', 'heart.cli.json', '--store', store, '--quiet');
    expect(ran.code, ran.stderr).toBe(0);
    const said = await cliIn(example, 'explain', 'heart.cli.json', '--store', store, '--trial', '82');
    expect(said.code, said.stderr).toBe(0);
    // The table, without the legend the README leaves out.
    expect(said.stdout.split('\n').slice(0, block?.split('\n').length).join('\n')).toBe(block);
  });

  it("prints a sum's rounding residue as 0 (trial 111: a choice of one option showed log g 2.22045e-16)", async () => {
    writeIn(dir, 'counts.mjs', 'export default ({ n, r }) => Math.abs(n - 3) + Math.abs(r - 2);\n');
    const config = journalHeartConfig(dir, 'one-option', {
      seed: 3,
      space: {
        single: { type: 'choice', options: ['only'] },
        n: { type: 'uniformint', low: 0, high: 8 },
        r: { type: 'randint', low: 0, high: 6 },
      },
      objective: { use: 'module', options: { path: './counts.mjs', isolate: 'none' } },
      suggester: { use: 'tpe', options: { profile: 'hyperopt' } },
      budget: { maxTrials: 30 },
    });
    expect((await cliIn(dir, 'run', config, '--quiet')).code).toBe(0);
    const text = (await cliIn(dir, 'explain', config)).stdout;
    const row = text.split('\n').find((line) => line.startsWith('single '));
    expect(row).toBeDefined();
    expect(row).not.toMatch(/e-1[0-9]/);
  });

  it('names a large group by its size, its members once each, as rows of its block', async () => {
    const names = Array.from({ length: 8 }, (_, i) => `p${i}`);
    writeIn(dir, 'sum.mjs', 'export default (p) => Object.values(p).reduce((a, b) => a + b, 0);\n');
    const config = journalHeartConfig(dir, 'wide-joint', {
      space: Object.fromEntries(names.map((name) => [name, { type: 'uniform', low: 0, high: 1 }])),
      objective: { use: 'module', options: { path: './sum.mjs', isolate: 'none' } },
      suggester: { use: 'tpe', options: { profile: 'optuna5' } },
      budget: { maxTrials: 12 },
    });
    expect((await cliIn(dir, 'run', config, '--quiet')).code).toBe(0);
    const text = await cliIn(dir, 'explain', config);
    expect(text.code, text.stderr).toBe(0);
    for (const name of names) expect(text.stdout).toMatch(new RegExp(`^${name} +\\S+ +\\S+ +\\S+ to \\S+$`, 'm'));
    expect(text.stdout).toContain('These 8 parameters were decided together, as one joint decision');
    expect(text.stdout).not.toContain('with p1, p2');
  });

  // A user read a choice's kernel cell `#6 +2 50%` at "b" as "b was chosen because it resembles #6", when #6 and
  // the other good trials took "a" (a choice's kernel spreads weight over every option); and "From 1 trials".
  it("says which option a choice's strongest kernel's trials took when it is not the chosen one", async () => {
    writeIn(
      dir,
      'branches.mjs',
      "export default (p) => p.x ** 2 + p.y ** 2 + (p.model === 'a' ? (p.a1 - 0.3) ** 2 + (p.a2 - p.a1) ** 2 : 0.5 + p.b);\n",
    );
    const config = journalHeartConfig(dir, 'kernel-elsewhere', {
      seed: 3,
      space: {
        x: { type: 'uniform', low: -2, high: 2 },
        y: { type: 'uniform', low: -2, high: 2 },
        model: {
          type: 'choice',
          options: [
            {
              value: 'a',
              space: { a1: { type: 'uniform', low: 0, high: 1 }, a2: { type: 'uniform', low: 0, high: 1 } },
            },
            { value: 'b', space: { b: { type: 'uniform', low: 0, high: 1 } } },
          ],
        },
      },
      objective: { use: 'module', options: { path: './branches.mjs', isolate: 'none' } },
      suggester: { use: 'tpe', options: { grouping: 'independent' } },
      budget: { maxTrials: 20 },
    });
    expect((await cliIn(dir, 'run', config, '--quiet')).code).toBe(0);
    const row = async (trial: number) => {
      const text = await cliIn(dir, 'explain', config, '--trial', String(trial));
      expect(text.code, text.stderr).toBe(0);
      return text.stdout.split('\n').find((line) => line.startsWith('model ')) ?? '';
    };
    // Trial 18 chose "b" with l(x) mostly from good trials that took "a": the cell says so.
    expect(await row(18)).toMatch(/^model +"b" .* #6 \+2 \d+% \(at "a"\) /);
    // Trial 17 chose "a", as its strongest kernel's trials did: nothing added.
    const same = await row(17);
    expect(same).toMatch(/^model +"a" .* #6 \+2 \d+% /);
    expect(same).not.toContain('(at ');
    const trials = JSON.parse((await cliIn(dir, 'trials', config, '--json')).stdout) as {
      number: number;
      params: Record<string, unknown>;
    }[];
    expect(trials.find((trial) => trial.number === 6)?.params.model).toBe('a');
    const one = journalHeartConfig(dir, 'one-observed', {
      suggester: { use: 'tpe', options: { startupTrials: 1 } },
      budget: { maxTrials: 2 },
    });
    expect((await cliIn(dir, 'run', one, '--quiet')).code).toBe(0);
    const early = await cliIn(dir, 'explain', one, '--trial', '1');
    expect(early.stdout).toContain('From 1 trial observed: l(x) is built from the 1 best');
  });
});

describe('parzen explain on a tree space (conditional parameters)', () => {
  // A user read "Decided alone: adam_lr" before the decisions that made adam_lr active, with no word of its branch,
  // and a joint decision's kernel line naming good trials that took another model than the one chosen.
  it('says the decisions in the order decided, each with its branch, and the option a joint kernel took', () => {
    const knn = { name: 'model', index: 2, value: 'knn' };
    const member = jointMember(['scale', 'model']);
    const scores = [0.5, 0.1];
    const counted = { below: [0, 1, 2], above: [3, 4, 5, 6] };
    const scale = {
      ...member('scale', 'categorical', [0, 1], [0, 0], scores),
      options: ['standard', 'minmax'],
      ...counted,
    };
    const model = {
      ...member('model', 'categorical', [0, 1, 2], [2, 0], scores),
      options: ['svm', 'rf', 'knn'],
      ...counted,
    };
    const kernel = { trial: 1, share: 0.81, trials: [1, 2] };
    const k = {
      name: 'k',
      kind: 'uniformint',
      below: [0],
      above: [5],
      candidates: { x: [50, 3], logL: [-4, -4.5], logG: [-4.1, -4.2], score: [-1.3, -1.8] },
      aboveWeight: 0.65,
      winner: { index: 0, value: 50, score: -1.3 },
      given: [knn],
      trialsGiven: [knn],
    };
    // Trials #1 and #2 took "svm" (index 0) and "standard"; #0 took "knn".
    const trials = completeTrials(8).map((trial) => ({
      ...trial,
      internal: { scale: 0, model: trial.number === 1 || trial.number === 2 ? 0 : 2 },
    }));
    const text = formatModel(
      {
        observed: 8,
        finished: 8,
        gamma: 0.25,
        split: 'linear',
        nBelow: 3,
        below: [0, 1, 2],
        params: [
          { ...scale, winner: { ...scale.winner, kernel } },
          { ...model, winner: { ...model.winner, kernel } },
          k,
        ],
      },
      trials,
    );
    const lines = text.split('\n');
    const at = (start: string) => lines.findIndex((line) => line.startsWith(start));
    // The choice's decision first, then the parameter its option made active, said with its branch.
    expect(at('scale and model were decided together, as one joint decision')).toBeGreaterThan(0);
    expect(at('Decided alone, given model = "knn":')).toBeGreaterThan(
      at('scale and model were decided together, as one joint decision'),
    );
    expect(at('k ')).toBe(at('Decided alone, given model = "knn":') + 2);
    expect(lines[at('k ') + 1]).toBe('good/others count the trials with model = "knn" only.');
    // The joint kernel's trials took "svm", not the chosen "knn" (and the chosen scale): said, as (at "svm") says it.
    expect(text).toContain(
      `The kernel of l(x) strongest at the chosen point is #1's and 1 more good trial's (one kernel, at one option or integer): 81% of l(x) there, though those trials took model = "svm", not "knn" (a choice's kernel gives its other options some weight too). l(x) is built from 3 good trials, g(x) from 4 others.`,
    );
    expect(text).not.toContain('scale = "standard", not');
  });

  it('says a joint decision of a branch with its branch, and whose trials it counted when names are shared', () => {
    const mlp = { name: 'model', index: 0, value: 'mlp' };
    const sgd = { name: 'optimizer', index: 1, value: 'sgd' };
    const member = jointMember(['lr', 'momentum']);
    const scores = [0, -0.5];
    const text = jointModel([
      { ...member('lr', 'loguniform', [1e-5, 1], [0.001, 0.1], scores), given: [mlp, sgd], trialsGiven: [sgd] },
      { ...member('momentum', 'uniform', [0, 1], [0.5, 0.9], scores), given: [mlp, sgd], trialsGiven: [sgd] },
    ]);
    expect(text).toContain(
      'lr and momentum were decided together, given model = "mlp", optimizer = "sgd", as one joint decision',
    );
    expect(text).toContain(
      'l(x) is built from 1 good trial, g(x) from 1 other: the trials with optimizer = "sgd", whichever option of model they took (optimizer is a parameter of several branches).',
    );
  });

  it('explains a tree study: each branch after the choice that made it active, with its branch and trials', async () => {
    writeIn(
      dir,
      'tree.mjs',
      "export default (p) => (p.scale === 'minmax' ? 0.1 : 0) + (p.model === 'svm' ? Math.abs(Math.log10(p.C)) / 4 + (p.kernel === 'rbf' ? Math.abs(Math.log10(p.gamma) + 2) / 8 : 0.3) : 0.2 + Math.abs(p.depth - 6) / 20);\n",
    );
    const config = journalHeartConfig(dir, 'tree-order', {
      seed: 5,
      space: {
        scale: { type: 'choice', options: ['standard', 'minmax'] },
        model: {
          type: 'choice',
          options: [
            {
              value: 'svm',
              space: {
                C: { type: 'loguniform', low: 0.01, high: 100 },
                kernel: {
                  type: 'choice',
                  options: [{ value: 'rbf', space: { gamma: { type: 'loguniform', low: 1e-4, high: 1 } } }, 'linear'],
                },
              },
            },
            { value: 'rf', space: { depth: { type: 'uniformint', low: 2, high: 20 } } },
          ],
        },
      },
      objective: { use: 'module', options: { path: './tree.mjs', isolate: 'none' } },
      suggester: { use: 'tpe', options: { grouping: 'independent' } },
      budget: { maxTrials: 25 },
    });
    expect((await cliIn(dir, 'run', config, '--quiet')).code).toBe(0);
    const listed = JSON.parse((await cliIn(dir, 'trials', config, '--json')).stdout) as {
      number: number;
      params: Record<string, unknown>;
    }[];
    const rbf = listed.filter((trial) => trial.number >= 10 && trial.params.kernel === 'rbf').at(-1);
    expect(rbf).toBeDefined();
    const said = await cliIn(dir, 'explain', config, '--trial', String(rbf?.number));
    expect(said.code, said.stderr).toBe(0);
    const lines = said.stdout.split('\n');
    const at = (start: string) => lines.findIndex((line) => line.startsWith(start));
    // The top-level decisions, then svm's, then rbf's: each table headed by its branch.
    expect(at('Decided alone:')).toBeGreaterThan(0);
    expect(at('model ')).toBeGreaterThan(at('Decided alone:'));
    expect(at('Decided alone, given model = "svm":')).toBeGreaterThan(at('model '));
    expect(at('kernel ')).toBeGreaterThan(at('Decided alone, given model = "svm":'));
    expect(at('Decided alone, given model = "svm", kernel = "rbf":')).toBeGreaterThan(at('kernel '));
    expect(at('gamma ')).toBeGreaterThan(at('Decided alone, given model = "svm", kernel = "rbf":'));
    expect(said.stdout).toContain('good/others count the trials with model = "svm", kernel = "rbf" only.');
    // gamma's good/others are the rbf trials among those before it: the good ones and the others.
    const json = JSON.parse((await cliIn(dir, 'explain', config, '--trial', String(rbf?.number), '--json')).stdout);
    const gamma = json.explanation.params.find((param: { name: string }) => param.name === 'gamma');
    expect(gamma.given).toEqual([
      { name: 'model', index: 0, value: 'svm' },
      { name: 'kernel', index: 0, value: 'rbf' },
    ]);
    expect(gamma.trialsGiven).toEqual(gamma.given);
    const before = listed.filter((trial) => trial.number < (rbf?.number as number));
    const rbfBefore = before.filter((trial) => trial.params.kernel === 'rbf').map((trial) => trial.number);
    expect([...gamma.below, ...gamma.above].sort((a: number, b: number) => a - b)).toEqual(rbfBefore);
    expect(gamma.below).toEqual(json.explanation.below.filter((number: number) => rbfBefore.includes(number)));
    const row = lines[at('gamma ')] ?? '';
    expect(row).toMatch(new RegExp(` ${gamma.below.length}/${gamma.above.length}$`));
  });
});
