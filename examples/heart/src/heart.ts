/**
 * The program being tuned. It knows nothing of Parzen: it has hyperparameters with defaults, runs and
 * reports an error to minimise. (The seed blog post's stand-in for a training script.)
 */

/** The seed's heart-shaped error surface: -((x² + y² − 1)³ − x²·y³). Its minimum on [-2, 2]² is -375 at (±2, -2). */
export const heart = (x: number, y: number): number => -((x ** 2 + y ** 2 - 1) ** 3 - x ** 2 * y ** 3);

/** The knobs of the program, with their defaults. */
export class HyperParameters {
  learningRate = 1;
  sizeOfHiddenLayer = 1;

  /** Runs "training" and returns the training error (lower is better). */
  runAndGetError(): number {
    return heart(this.learningRate, this.sizeOfHiddenLayer);
  }
}

const main = (): void => {
  const hyperparameters = new HyperParameters();
  console.log(`error with the defaults: ${hyperparameters.runAndGetError()}`);
};

if (process.argv[1]?.endsWith('heart.js')) main();
