// Types for the mljs packages that ship none (only what this example uses).

declare module 'ml-knn' {
  /** k-nearest neighbours over a k-d tree (Euclidean distance unless `distance` is given). */
  export default class KNN {
    constructor(
      dataset: number[][],
      labels: number[],
      options?: { k?: number; distance?: (a: number[], b: number[]) => number },
    );
    predict(dataset: number[][]): number[];
  }
}

declare module 'ml-cart' {
  /** A CART decision tree. */
  export class DecisionTreeClassifier {
    constructor(options?: { gainFunction?: 'gini'; maxDepth?: number; minNumSamples?: number });
    train(trainingSet: number[][], labels: number[]): void;
    predict(dataset: number[][]): number[];
  }
}

declare module 'ml-logistic-regression' {
  import type { Matrix } from 'ml-matrix';
  /** One-vs-rest logistic regression trained by gradient descent. */
  export default class LogisticRegression {
    constructor(options?: { numSteps?: number; learningRate?: number });
    train(features: Matrix, labels: Matrix): void;
    predict(features: Matrix): number[];
  }
}
