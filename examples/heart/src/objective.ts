/**
 * The heart program's error as a `module` objective, for the `parzen` CLI (heart.cli.json): the params
 * object in, the error out. `parzen report --contour` calls the same function to draw the contours.
 */
import { HyperParameters } from './heart.js';

/** Sets the program's hyperparameters from the trial's params and runs it. */
export const objective = (params: { learningRate: number; sizeOfHiddenLayer: number }): number => {
  const hyperparameters = new HyperParameters();
  hyperparameters.learningRate = params.learningRate;
  hyperparameters.sizeOfHiddenLayer = params.sizeOfHiddenLayer;
  return hyperparameters.runAndGetError();
};
