/** The engine's warning where nobody asked for them elsewhere: a line on stderr, `parzen: warning: ...`. */
export const warnOnStderr = (message: string): void => {
  process.stderr.write(`parzen: warning: ${message}\n`);
};
