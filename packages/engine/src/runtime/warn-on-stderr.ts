/** The engine's warning where nobody asked for them elsewhere: a line on stderr, `parzen: warning: ...`. */
export const warnOnStderr = (message: string): void => {
  process.stderr.write(`parzen: warning: ${message}\n`);
};

/**
 * What a store says when it has raised its file's or database's format for what this version writes: a step
 * older Parzen versions cannot follow (taken without a word, a week's study would then refuse them).
 * `lazily`: the store keeps the lowest version its records need and raised it for a record that needs more
 * (a JSONL journal this very version wrote, then given imported trials), not for having been written by an
 * older version.
 */
export const storeUpgradeNote = (store: string, from: number, to: number, lazily = false): string =>
  `${store} ${lazily ? `now has format version ${to}, for a record that needs it (it had ${from}, the lowest its records needed until now)` : `was upgraded from format version ${from} to ${to}`}: Parzen versions that cannot read format version ${to} can no longer open it (nothing to do when every worker that shares it runs this Parzen; update those that do not).`;
