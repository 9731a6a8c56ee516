import type { Output } from '../src/output.js';
import { runCli } from '../src/program.js';

/** What an in-process CLI call returned and wrote. */
export interface InProcessRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `parzen ...args` in-process (no spawn) and collects what it writes. */
export const cli = async (...args: string[]): Promise<InProcessRun> => {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const output: Output = { result: (line) => stdout.push(line), note: (line) => stderr.push(line) };
  const code = await runCli(['node', 'parzen', ...args], output);
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
};

/**
 * Runs `parzen ...args` in-process from the working directory `dir` (relative paths resolve there), then
 * returns to the previous one. Safe because a Vitest worker runs one test file at a time, each test to
 * its end before the next; nothing in the CLI reads the working directory after it returns.
 */
export const cliIn = async (dir: string, ...args: string[]): Promise<InProcessRun> => {
  const previous = process.cwd();
  process.chdir(dir);
  try {
    return await cli(...args);
  } finally {
    process.chdir(previous);
  }
};
