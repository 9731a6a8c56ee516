/** Where a command writes: results on stdout, progress and notes on stderr. */
export interface Output {
  /** A line of the command's result (stdout). */
  result(line: string): void;
  /** A line for people (stderr). */
  note(line: string): void;
}

/** The real streams: stdout for results, stderr for notes. */
export const processOutput: Output = {
  result: (line) => {
    process.stdout.write(`${line}\n`);
  },
  note: (line) => {
    process.stderr.write(`${line}\n`);
  },
};
