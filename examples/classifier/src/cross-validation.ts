import type { Dataset } from './iris.js';

/** Trains on the given rows and returns a function that predicts the class of new rows. */
export type Train = (features: number[][], labels: number[]) => (features: number[][]) => number[];

/**
 * Stratified fold of each sample: the n-th sample of each class goes to fold n mod k, so every fold has
 * the classes in the data's proportions. Deterministic: the same data gives the same folds.
 */
export const stratifiedFolds = (labels: readonly number[], k: number): number[] => {
  const seen = new Map<number, number>();
  return labels.map((label) => {
    const n = seen.get(label) ?? 0;
    seen.set(label, n + 1);
    return n % k;
  });
};

/** k-fold cross-validation: the share of samples a model trained on the other folds classifies correctly. */
export const crossValidatedAccuracy = (train: Train, data: Dataset, k: number): number => {
  const folds = stratifiedFolds(data.labels, k);
  let correct = 0;
  for (let fold = 0; fold < k; fold++) {
    const inFold = (index: number) => folds[index] === fold;
    const rows = (keep: (index: number) => boolean) => data.features.flatMap((row, i) => (keep(i) ? [[...row]] : []));
    const labels = (keep: (index: number) => boolean) => data.labels.filter((_, i) => keep(i));
    const predict = train(
      rows((i) => !inFold(i)),
      labels((i) => !inFold(i)),
    );
    const expected = labels(inFold);
    predict(rows(inFold)).forEach((predicted, i) => {
      if (predicted === expected[i]) correct++;
    });
  }
  return correct / data.labels.length;
};
