/** The engine's warning where nobody asked for them elsewhere: a line on stderr, `parzen: warning: ...`. */
export const warnOnStderr = (message: string): void => {
  process.stderr.write(`parzen: warning: ${message}\n`);
};

/**
 * What a store says when it has raised its file's or database's format for what this version writes: a step
 * older Parzen versions cannot follow (taken without a word, a week's study would then refuse them).
 */
export const storeUpgradeNote = (store: string, from: number, to: number): string =>
  `${store} was upgraded from format version ${from} to ${to}: Parzen versions that know only version ${from} can no longer open it (nothing to do when every worker that shares it runs this Parzen; update those that do not).`;
