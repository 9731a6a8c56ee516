import { beforeAll, describe, expect, it } from 'vitest';
import { heartModule, journalHeartConfig, tempDir, writeIn } from './cli-harness.js';
import { cli } from './cli-in-process.js';

let dir: string;
beforeAll(() => {
  dir = tempDir('parzen-validate-suggester-');
  writeIn(dir, 'heart.mjs', heartModule);
});

describe("validate's suggester line", () => {
  it("names TPE's grouping where a variant gives one other than its profile's, so the variants do not read as one", async () => {
    const path = journalHeartConfig(dir, 'groupings', {
      matrix: {
        suggester: [
          { use: 'tpe' },
          { use: 'tpe', options: { grouping: 'joint' } },
          { use: 'tpe', options: { profile: 'optuna5' } },
          { use: 'tpe', options: { profile: 'optuna5', grouping: 'independent' } },
        ],
      },
    });
    const result = await cli('validate', path);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(
      'suggester tpe (parzen) | tpe (parzen, grouping joint) | tpe (optuna5) | tpe (optuna5, grouping independent), store jsonl',
    );
  });

  it('names every TPE setting a variant gives other than its profile fills in, in the order its study keeps them', async () => {
    const path = journalHeartConfig(dir, 'settings', {
      matrix: {
        suggester: [
          { use: 'tpe', options: { gamma: 0.2 } },
          { use: 'tpe', options: { constantLiar: false, grouping: 'joint', belowBandwidth: 0.5, aboveWeight: 1 } },
          // The profile's own aboveWeight and constant liar read as the profile.
          { use: 'tpe', options: { profile: 'optuna5', aboveWeight: 1, constantLiar: 'worst', startupTrials: 20 } },
          // gamma written holds for every trial, the profile's explore phase aside: named even at the profile's value.
          { use: 'tpe', options: { gamma: 0.1, pruned: 'impute' } },
          // Beside an explore phase of its own, that gamma changes nothing: the same settings read the same.
          { use: 'tpe', options: { gamma: 0.1, explore: { trials: 10 } } },
        ],
      },
    });
    const result = await cli('validate', path);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(
      'suggester tpe (parzen, gamma 0.2) | tpe (parzen, aboveWeight 1, belowBandwidth 0.5, constantLiar false, grouping joint) | ' +
        'tpe (optuna5, startupTrials 20) | tpe (parzen, gamma 0.1, pruned impute) | tpe (parzen, explore {"trials":10}), store jsonl',
    );
  });

  it("leaves out a grouping that is the profile's own: the same settings read the same", async () => {
    const path = journalHeartConfig(dir, 'own-grouping', {
      suggester: { use: 'tpe', options: { profile: 'optuna5', grouping: 'joint' } },
    });
    const result = await cli('validate', path);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('suggester tpe (optuna5), store jsonl');
  });

  it("points a store's note on a value the matrix set at the matrix, as the config's own notes are", async () => {
    const path = journalHeartConfig(dir, 'spent', { matrix: { 'budget/maxTrials': [2, 3] } });
    expect((await cli('run', path, '--quiet')).code).toBe(0);
    const result = await cli('validate', path);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('note: /matrix/budget~1maxTrials/0: study spent.maxTrials-2 has 2 trials already');
    expect(result.stderr).toContain('note: /matrix/budget~1maxTrials/1: study spent.maxTrials-3 has 3 trials already');
    expect(result.stderr).not.toContain('note: /budget/maxTrials:');
  });
});
