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
