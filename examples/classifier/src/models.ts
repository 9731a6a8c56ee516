/**
 * The models to choose from, each with its own hyperparameters, built on the mljs packages. A model
 * is a `Train` function: fit on rows and labels, return a predictor.
 */
import { DecisionTreeClassifier } from 'ml-cart';
import KNN from 'ml-knn';
import LogisticRegression from 'ml-logistic-regression';
import { Matrix } from 'ml-matrix';
import { RandomForestClassifier } from 'ml-random-forest';
import type { Train } from './cross-validation.js';

/** A model and its hyperparameters (the `model` choice of the space and the sub-space of that option). */
export type ModelSettings =
  | { readonly model: 'knn'; readonly k: number }
  | { readonly model: 'decision-tree'; readonly treeMaxDepth: number; readonly minNumSamples: number }
  | {
      readonly model: 'random-forest';
      readonly nEstimators: number;
      readonly maxFeatures: number;
      readonly forestMaxDepth: number;
    }
  | { readonly model: 'logistic-regression'; readonly learningRate: number; readonly numSteps: number };

/** Everything a trial sets: the model, and whether features are standardized first. */
export type ClassifierSettings = ModelSettings & { readonly standardize: boolean };

const train = (settings: ModelSettings): Train => {
  switch (settings.model) {
    case 'knn':
      return (features, labels) => {
        const knn = new KNN(features, labels, { k: settings.k });
        return (rows) => knn.predict(rows);
      };
    case 'decision-tree':
      return (features, labels) => {
        const tree = new DecisionTreeClassifier({
          gainFunction: 'gini',
          maxDepth: settings.treeMaxDepth,
          minNumSamples: settings.minNumSamples,
        });
        tree.train(features, labels);
        return (rows) => tree.predict(rows);
      };
    case 'random-forest':
      return (features, labels) => {
        const forest = new RandomForestClassifier({
          nEstimators: settings.nEstimators,
          maxFeatures: settings.maxFeatures,
          treeOptions: { maxDepth: settings.forestMaxDepth },
          noOOB: true,
          seed: 42,
        });
        forest.train(features, labels);
        return (rows) => forest.predict(rows);
      };
    case 'logistic-regression':
      return (features, labels) => {
        const regression = new LogisticRegression({ learningRate: settings.learningRate, numSteps: settings.numSteps });
        regression.train(new Matrix(features), Matrix.columnVector(labels));
        return (rows) => regression.predict(new Matrix(rows));
      };
  }
};

/** Column means and standard deviations of the training rows. */
const columnStatistics = (rows: readonly number[][]): { mean: number[]; std: number[] } => {
  const columns = rows[0]?.length ?? 0;
  const mean = Array.from(
    { length: columns },
    (_, j) => rows.reduce((sum, row) => sum + (row[j] ?? 0), 0) / rows.length,
  );
  const std = mean.map(
    (m, j) => Math.sqrt(rows.reduce((sum, row) => sum + ((row[j] ?? 0) - m) ** 2, 0) / rows.length) || 1,
  );
  return { mean, std };
};

/** Wraps a model so it standardizes every feature with the training rows' mean and standard deviation. */
const standardized =
  (inner: Train): Train =>
  (features, labels) => {
    const { mean, std } = columnStatistics(features);
    const scale = (rows: number[][]) => rows.map((row) => row.map((x, j) => (x - (mean[j] ?? 0)) / (std[j] ?? 1)));
    const predict = inner(scale(features), labels);
    return (rows) => predict(scale(rows));
  };

/** The `Train` function of a trial's settings. */
export const classifier = (settings: ClassifierSettings): Train =>
  settings.standardize ? standardized(train(settings)) : train(settings);
