/**
 * The program being tuned: logistic regression trained by mini-batch gradient descent on a fixed,
 * seeded two-class data set, scored by its log-loss on held-out data. It knows nothing of Parzen.
 */

/** The hyperparameters of one training run. */
export interface TrainingSettings {
  readonly learningRate: number;
  readonly epochs: number;
  readonly l2: number;
  readonly batchSize: number;
  /** Plain gradient steps, or steps with momentum `beta`. */
  readonly optimizer: 'sgd' | 'momentum';
  readonly beta?: number;
}

const FEATURES = 6;

/** A small deterministic generator (mulberry32), so the data and the shuffles are the same every run. */
const generator = (seed: number) => {
  let state = seed >>> 0;
  return (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

interface Example {
  readonly x: readonly number[];
  readonly y: 0 | 1;
}

/** Two overlapping Gaussian classes with one uninformative feature and noisy labels. */
const makeData = (count: number, seed: number): Example[] => {
  const random = generator(seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const weights = [1.5, -2, 0.8, 0, 0.5, -1.2];
  return Array.from({ length: count }, () => {
    const x = Array.from({ length: FEATURES }, gaussian);
    const margin = x.reduce((sum, value, i) => sum + value * (weights[i] ?? 0), 0.3);
    const label = margin + gaussian() > 0 ? 1 : 0;
    return { x, y: label };
  });
};

const TRAIN = makeData(300, 1);
const VALIDATION = makeData(200, 2);

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
const predict = (w: readonly number[], x: readonly number[]): number =>
  sigmoid(x.reduce((sum, value, i) => sum + value * (w[i] ?? 0), w[FEATURES] ?? 0));

/** Mean log-loss of weights `w` on `data` (probabilities clipped away from 0 and 1). */
const logLoss = (w: readonly number[], data: readonly Example[]): number => {
  let total = 0;
  for (const { x, y } of data) {
    const p = Math.min(1 - 1e-12, Math.max(1e-12, predict(w, x)));
    total -= y === 1 ? Math.log(p) : Math.log(1 - p);
  }
  return total / data.length;
};

/** Trains on the training set and returns the validation log-loss (lower is better). */
export const trainAndScore = (settings: TrainingSettings): number => {
  const w = new Array<number>(FEATURES + 1).fill(0);
  const velocity = new Array<number>(FEATURES + 1).fill(0);
  const beta = settings.optimizer === 'momentum' ? (settings.beta ?? 0.9) : 0;
  const random = generator(7);
  const order = TRAIN.map((_, i) => i);
  for (let epoch = 0; epoch < settings.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    for (let start = 0; start < order.length; start += settings.batchSize) {
      const batch = order.slice(start, start + settings.batchSize).map((i) => TRAIN[i] as Example);
      const gradient = w.map((weight, k) => (k < FEATURES ? settings.l2 * weight : 0));
      for (const { x, y } of batch) {
        const error = predict(w, x) - y;
        for (let k = 0; k < FEATURES; k++) gradient[k] = (gradient[k] ?? 0) + (error * (x[k] ?? 0)) / batch.length;
        gradient[FEATURES] = (gradient[FEATURES] ?? 0) + error / batch.length;
      }
      for (let k = 0; k <= FEATURES; k++) {
        velocity[k] = beta * (velocity[k] ?? 0) + (gradient[k] ?? 0);
        w[k] = (w[k] ?? 0) - settings.learningRate * (velocity[k] ?? 0);
      }
    }
  }
  return logLoss(w, VALIDATION);
};
