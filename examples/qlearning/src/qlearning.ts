/**
 * The program being tuned, in the seed's style: a class holding every hyperparameter with its default,
 * and `runAndGetError()`, which trains and returns the error to minimise. It knows nothing of Parzen.
 *
 *   npx tsx examples/qlearning/src/qlearning.ts     # train once with the defaults and print the result
 */
import { evaluatePolicy, trainAgent } from './agent.js';
import { MAX_STEPS } from './cartpole.js';

/** Seed of the training run (exploration, start states, replay draws, double-Q coin flips). */
export const TRAINING_SEED = 1;
/** Evaluation: the greedy policy plays this many episodes, with start states drawn from `EVALUATION_SEED`. */
export const EVALUATION_EPISODES = 20;
export const EVALUATION_SEED = 1000;

/** The agent's knobs with their defaults (the seed's Q-learning names; the "layer sizes" are table bins). */
export class HyperParameters {
  learningRate = 0.1;
  useDoubleQLearning = false;
  positionBins = 1;
  velocityBins = 1;
  angleBins = 6;
  angularVelocityBins = 3;
  futureDiscountMax = 0.99;
  futureDiscountIncrement = 0.01;
  recallMemorySize = 20;
  recallMemoryNumExperiencesPerRecall = 200;
  numEpochs = 4;

  /** Trains a fresh agent and returns the error: minus its mean return over the evaluation episodes. */
  runAndGetError(): number {
    const policy = trainAgent(
      {
        learningRate: this.learningRate,
        useDoubleQLearning: this.useDoubleQLearning,
        bins: [this.positionBins, this.velocityBins, this.angleBins, this.angularVelocityBins],
        futureDiscountMax: this.futureDiscountMax,
        futureDiscountIncrement: this.futureDiscountIncrement,
        recallMemorySize: this.recallMemorySize,
        recallMemoryNumExperiencesPerRecall: this.recallMemoryNumExperiencesPerRecall,
        numEpochs: this.numEpochs,
      },
      TRAINING_SEED,
    );
    return -evaluatePolicy(policy, EVALUATION_EPISODES, EVALUATION_SEED);
  }
}

const main = (): void => {
  const hyperparameters = new HyperParameters();
  const started = performance.now();
  const error = hyperparameters.runAndGetError();
  const ms = Math.round(performance.now() - started);
  console.log(
    `mean return ${-error} of ${EVALUATION_EPISODES} evaluation episodes (best ${MAX_STEPS}), trained in ${ms} ms`,
  );
};

if (process.argv[1]?.endsWith('qlearning.ts') || process.argv[1]?.endsWith('qlearning.js')) main();
