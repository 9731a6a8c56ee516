/**
 * The objective Parzen calls (a `module` objective): the seed's `objective(args)`, which copies each
 * parameter onto a fresh `HyperParameters` and returns `runAndGetError()`. Like the program, it knows
 * nothing of Parzen: it is a function of a plain object.
 */
import { HyperParameters } from './qlearning.js';

/** Trains and evaluates an agent with `params`; the key of each must be a field of `HyperParameters`. */
const objective = (params: Readonly<Record<string, unknown>>): number => {
  const hyperparameters = new HyperParameters();
  for (const [key, value] of Object.entries(params)) {
    if (!(key in hyperparameters)) {
      const known = Object.keys(hyperparameters).join(', ');
      throw new Error(`The space has "${key}", which is not a field of HyperParameters (${known}).`);
    }
    Object.assign(hyperparameters, { [key]: value });
  }
  return hyperparameters.runAndGetError();
};

export default objective;
