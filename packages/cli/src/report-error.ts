import { ParzenError } from '@parzen/engine';
import { ConfigProblems } from './config-problems.js';
import { CliError, exitCodeFor } from './exit-codes.js';
import type { Output } from './output.js';

const errorEntry = (error: unknown, file?: string): Record<string, unknown> => ({
  ...(file === undefined ? {} : { file }),
  code: error instanceof ParzenError || error instanceof CliError ? error.code : 'UNEXPECTED',
  message: error instanceof Error ? error.message : String(error),
  ...(error instanceof ParzenError && error.issues.length > 0 ? { issues: error.issues } : {}),
});

/**
 * Prints an error on stderr (`parzen: <file>: <message>`, config issues one per line with their JSON
 * pointer) and, with `--json`, as the last stdout line `{"errors": [{file, code, message, issues}]}`.
 * Returns the exit code.
 */
export const reportError = (error: unknown, json: boolean, output: Output): number => {
  const problems = error instanceof ConfigProblems ? error.problems : [{ path: undefined, error }];
  for (const problem of problems) {
    const message = problem.error instanceof Error ? problem.error.message : String(problem.error);
    const where = problem.path === undefined || message.startsWith(problem.path) ? '' : `${problem.path}: `;
    output.note(`parzen: ${where}${message}`);
    if (
      !(problem.error instanceof ParzenError || problem.error instanceof CliError) &&
      problem.error instanceof Error
    ) {
      output.note(problem.error.stack ?? '');
    }
  }
  if (json)
    output.result(JSON.stringify({ errors: problems.map((problem) => errorEntry(problem.error, problem.path)) }));
  return Math.max(...problems.map((problem) => exitCodeFor(problem.error)));
};
