import { ParzenError } from '@parzen/engine';
import { printable } from '@parzen/engine/host';
import { ConfigProblems } from './config-problems.js';
import { CliError, exitCodeFor } from './exit-codes.js';
import type { Output } from './output.js';

export const errorEntry = (error: unknown, file?: string): Record<string, unknown> => {
  const place = error instanceof CliError ? error.place : {};
  const issues = error instanceof ParzenError ? error.issues : (place.issues ?? []);
  // A flag's mistake names no file, whichever config it was found with (as documented for `--json` errors).
  const named = place.flag !== undefined ? undefined : (file ?? place.file);
  // Every key always there (review: a script's `.errors[0].issues[]` failed on errors without issues): `file`
  // null when the error is no one config file's, `issues` empty when it has none.
  return {
    file: named ?? null,
    code: error instanceof ParzenError || error instanceof CliError ? error.code : 'UNEXPECTED',
    message: error instanceof Error ? error.message : String(error),
    // The pointer, what was expected and found (a plugin's `absolute` mark is how the pointer was placed).
    issues: issues.map(({ pointer, expected, found }) => ({ pointer, expected, found })),
  };
};

/** Fields a command's `--json` error line has beside `errors` (import's `studyTakenOut`), by the error they go with. */
const jsonFields = new WeakMap<object, Readonly<Record<string, unknown>>>();

/**
 * `error`, whose `--json` error line is to have `fields` beside `errors` (what a script needs to know of what the
 * failed command did: import's `studyTakenOut`). An error that is no object has none.
 */
export const withJsonFields = <E>(error: E, fields: Readonly<Record<string, unknown>>): E => {
  if (typeof error === 'object' && error !== null && Object.keys(fields).length > 0) jsonFields.set(error, fields);
  return error;
};

/** Whether `PARZEN_DEBUG` asks for the stacks behind errors (set, and none of empty, 0, false, no, off). */
const debugging = (): boolean =>
  !['', '0', 'false', 'no', 'off'].includes((process.env.PARZEN_DEBUG ?? '').toLowerCase());

/**
 * The stack of what caused `error` (a plugin's own exception behind `SUGGESTER_FAILED`, say), and of
 * what caused that, for `PARZEN_DEBUG=1`: a user's mistake needs no stack, a plugin's author does.
 */
const causeStacks = (error: unknown): string[] => {
  const stacks: string[] = [];
  let cause = error instanceof Error ? error.cause : undefined;
  for (let depth = 0; cause !== undefined && depth < 10; depth++) {
    stacks.push(`caused by: ${cause instanceof Error ? (cause.stack ?? cause.message) : String(cause)}`);
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  return stacks;
};

/**
 * Prints an error on stderr (`parzen: <file>: <message>`, config issues one per line with their JSON
 * pointer; control characters and bidirectional overrides escaped, {@link printable}) and, with `--json`, as the last
 * stdout line `{"errors": [{file, code, message, issues}]}` (and the fields {@link withJsonFields} gave the error).
 * With `PARZEN_DEBUG=1`, each error's causes follow with their stacks.
 * Returns the exit code.
 */
export const reportError = (error: unknown, json: boolean, output: Output): number => {
  const problems = error instanceof ConfigProblems ? error.problems : [{ path: undefined, error }];
  for (const problem of problems) {
    const message = problem.error instanceof Error ? problem.error.message : String(problem.error);
    const where = problem.path === undefined || message.startsWith(problem.path) ? '' : `${problem.path}: `;
    // Names from the config or the store as a terminal shows them (trial 183: report --pair's error listed a
    // parameter named with U+202E raw, and the terminal reordered the line), as the commands' own lines are.
    output.note(printable(`parzen: ${where}${message}`));
    if (
      !(problem.error instanceof ParzenError || problem.error instanceof CliError) &&
      problem.error instanceof Error
    ) {
      output.note(problem.error.stack ?? '');
    } else if (debugging()) for (const stack of causeStacks(problem.error)) output.note(stack);
  }
  if (json) {
    // One flag's mistake found with each of several configs is one error (its `file` null in each).
    const entries = problems.map((problem) => JSON.stringify(errorEntry(problem.error, problem.path)));
    const fields = typeof error === 'object' && error !== null ? jsonFields.get(error) : undefined;
    const beside = fields === undefined ? '' : `,${JSON.stringify(fields).slice(1, -1)}`;
    output.result(`{"errors":[${[...new Set(entries)].join(',')}]${beside}}`);
  }
  return Math.max(...problems.map((problem) => exitCodeFor(problem.error)));
};
