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
