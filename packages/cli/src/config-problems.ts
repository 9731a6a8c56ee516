/** A config file that could not be prepared, with the error. */
export interface ConfigProblem {
  readonly path: string;
  readonly error: unknown;
}

/** Every config problem of a command, reported together before anything runs. */
export class ConfigProblems extends Error {
  override readonly name = 'ConfigProblems';
  constructor(readonly problems: readonly ConfigProblem[]) {
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
