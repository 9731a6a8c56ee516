// What a user trial of quasi-random search found wrong or confusing in validate, run, explain and report (trial 158).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { heartConfig, heartModule, journalHeartConfig, lastJsonLine, tempDir, writeIn } from './cli-harness.js';
import { cli, cliIn } from './cli-in-process.js';

let dir: string;
beforeAll(() => {
  dir = tempDir('parzen-trial-158-');
  writeIn(dir, 'heart.mjs', heartModule);
});

describe('a seed matrix over the plain Halton sequence (C4)', () => {
  it('validate and run warn once that the seeds change nothing, naming the studies; scrambled or random: no warning', async () => {
    const config = writeIn(
      dir,
      'seeds.json',
      heartConfig({
        name: 'seeds',
        budget: { maxTrials: 3 },
        matrix: {
          suggester: [
            { use: 'random' },
            { use: 'quasi-random', options: { scramble: false } },
            { use: 'quasi-random' },
          ],
          seed: [1, 2, 3],
        },
      }),
    );
    const warning = '/matrix/seed: the seeds change nothing in seeds.suggester-quasi-random-';
    for (const command of [['validate'], ['run', '--quiet']]) {
      const said = await cli(...command, config);
      expect(said.code, said.stderr).toBe(0);
      const lines = said.stderr.split('\n').filter((line) => line.includes(warning));
      expect(lines, said.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(
        /\.seed-1 to seeds\.suggester-quasi-random-[0-9a-f]+\.seed-3: quasi-random with scramble: false/,
      );
      expect(lines[0]).toContain(
        'so these 3 studies run one design 3 times and the comparison would count them as independent runs',
      );
    }
    // The same matrix without the unscrambled suggester: nothing to say.
    const scrambled = writeIn(
      dir,
      'scrambled.json',
      heartConfig({
        name: 'scrambled',
        budget: { maxTrials: 3 },
        matrix: { suggester: [{ use: 'random' }, { use: 'quasi-random' }], seed: [1, 2] },
      }),
    );
    const quiet = await cli('validate', scrambled);
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(quiet.stderr).not.toContain('change nothing');
  });
});

describe('explain on a start-up trial (C5, C6)', () => {
  let enqueued: string;
  beforeAll(async () => {
    // Six entries naming both params, one naming x only: trials 0-5 given, 6 half given, the rest drawn.
    enqueued = journalHeartConfig(dir, 'given', {
      suggester: { use: 'tpe', options: { startupTrials: 8 } },
      budget: { maxTrials: 9 },
      enqueue: [...[0, 1, 2, 3, 4, 5].map((i) => ({ x: i / 10, y: i / 10 })), { x: 0.5 }],
    });
    const run = await cli('run', enqueued, '--quiet');
    expect(run.code, run.stderr).toBe(0);
  });

  it('says a trial an entry gave every param was not drawn, without then saying it was drawn by the start-up suggester', async () => {
    const text = await cli('explain', enqueued, '--trial', '4');
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('The store lists them all as given to it, not drawn');
    expect(text.stdout).toContain(
      "It falls in TPE's start-up phase, which lasts until 8 trials have finished (4 so far), where a trial no entry gives is drawn by the quasi-random start-up suggester, not by the model: nothing more to explain.",
    );
    expect(text.stdout).not.toMatch(/: drawn by the/);
  });

  it('says which params of a partly given trial the start-up suggester drew, and names it', async () => {
    const partly = await cli('explain', enqueued, '--trial', '6');
    expect(partly.code, partly.stderr).toBe(0);
    expect(partly.stdout).toContain(
      "An enqueued entry gave it x = 0.5; TPE's quasi-random start-up suggester chose the rest",
    );
    // Which Halton point (review 162): trial n takes point n, said when the replay gives the stored values.
    expect(partly.stdout).toContain(
      ": the params the entry left out were drawn by the quasi-random start-up suggester from point 6 of the seed's scrambled Halton sequence (trial n takes point n; replayed, point 6 gives the stored values), not by the model",
    );
    const drawn = await cli('explain', enqueued, '--trial', '7');
    expect(drawn.stdout).toContain(
      ": drawn by the quasi-random start-up suggester from point 7 of the seed's scrambled Halton sequence (trial n takes point n; replayed, point 7 gives the stored values), not by the model",
    );
    const json = lastJsonLine((await cli('explain', enqueued, '--trial', '7', '--json')).stdout) as {
      explanation: { phase: string; startup: string };
      haltonPoint?: number;
    };
    expect(json.explanation).toMatchObject({ phase: 'startup', startup: 'quasi-random' });
    expect(json.haltonPoint).toBe(7);
  });

  it('names no Halton point where the replay does not give the stored values, nor for a trial an entry gave', async () => {
    // Another seed draws other points: which one the trial took cannot be told, so none is named.
    const other = await cli('explain', enqueued, '--trial', '7', '--seed', '99');
    expect(other.code, other.stderr).toBe(0);
    expect(other.stdout).toContain('draws ');
    expect(other.stdout).toContain(': drawn by the quasi-random start-up suggester, not by the model');
    expect(other.stdout).not.toContain('Halton');
    const json = lastJsonLine((await cli('explain', enqueued, '--trial', '7', '--seed', '99', '--json')).stdout);
    expect(json).toMatchObject({ reproduced: false });
    expect(json).not.toHaveProperty('haltonPoint');
    const given = lastJsonLine((await cli('explain', enqueued, '--trial', '4', '--json')).stdout);
    expect(given).not.toHaveProperty('haltonPoint');
  });

  it('names random start-up when the options choose it', async () => {
    const config = journalHeartConfig(dir, 'randomstart', {
      suggester: { use: 'tpe', options: { startup: 'random' } },
    });
    expect((await cliIn(dir, 'run', config, '--quiet')).code).toBe(0);
    const next = await cli('explain', config);
    expect(next.stdout).toContain(
      "It falls in TPE's start-up phase, which lasts until 5 trials have finished (3 so far): drawn by the random start-up suggester, not by the model",
    );
  });
});

describe('the report on enqueued trials (C7)', () => {
  it('counts a trial an entry gave every param apart from the replayed suggestions, as the store records it', async () => {
    // Six entries with TPE's default start-up (5): trials 1-4 fall in start-up, 5 after it but given, 6-8 drawn.
    const config = journalHeartConfig(dir, 'baselines', {
      suggester: { use: 'tpe' },
      budget: { maxTrials: 9 },
      enqueue: [0, 1, 2, 3, 4, 5].map((i) => ({ x: i / 10, y: i / 10 })),
    });
    expect((await cli('run', config, '--quiet')).code).toBe(0);
    const out = join(dir, 'baselines.html');
    const made = await cli('report', config, '-o', out, '--every', '1');
    expect(made.code, made.stderr).toBe(0);
    const html = readFileSync(out, 'utf8');
    const said = /Replayed with the study's TPE options[^<]*/.exec(html)?.[0];
    expect(said).toContain('3 of 3 replayed suggestions equal the stored params exactly.');
    expect(said).toContain(
      'Trial 5 ran an enqueued entry that gave it every param, as the store records: TPE drew none there, and its row marks what it would have drawn.',
    );
    expect(said).not.toContain('does not:');
    expect(html).toContain(
      "4 fell in TPE's start-up phase (each given by an enqueued entry, not by the model: nothing to explain)",
    );
  });
});
