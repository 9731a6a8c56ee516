import type { LoadedExperiment, MatrixVariant } from '@parzen/engine';
import type { StudySuggester } from '@parzen/engine/plugin';

/** A config file that could not be prepared, with the error. */
export interface ConfigProblem {
  readonly path: string;
  readonly error: unknown;
}

/** A config's study as prepared (a matrix gives several), before any problem stopped the command. */
export interface PreparedStudy {
  readonly configPath: string;
  readonly experiment: LoadedExperiment;
  /** The matrix variant it is, when known (notes on a value the matrix set point into the matrix). */
  readonly variant?: MatrixVariant;
  /** Its suggester as its study records it, when the checks made it. */
  readonly suggester?: StudySuggester;
}

/** Every config problem of a command, reported together before anything runs. */
export class ConfigProblems extends Error {
  override readonly name = 'ConfigProblems';
  /**
   * @param prepared the studies of the configs that passed their own checks (closed), so a command that
   *   reports the problems can say what the others hold
   */
  constructor(
    readonly problems: readonly ConfigProblem[],
    readonly prepared: readonly PreparedStudy[] = [],
  ) {
    super(problems.map((problem) => `${problem.path}: ${(problem.error as Error).message}`).join('\n'));
  }
}

/**
 * Runs `work` for the config at `path` (none: nothing to name); an error it throws is reported as that
 * config's problem, so messages and `--json` errors name the file.
 */
export const forConfig = async <T>(path: string | undefined, work: () => Promise<T>): Promise<T> => {
  try {
    return await work();
  } catch (error) {
    if (path === undefined || error instanceof ConfigProblems) throw error;
    throw new ConfigProblems([{ path, error }]);
  }
};
