/** Runs tasks one at a time in call order; a failed task does not stop later ones. */
export type SerialQueue = <T>(task: () => T | Promise<T>) => Promise<T>;

/** Creates a {@link SerialQueue}: the in-process half of the journal's locking (the file lock is the other). */
export const createSerialQueue = (): SerialQueue => {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(task: () => T | Promise<T>): Promise<T> => {
    const run = tail.then(task);
    tail = run.catch(() => undefined);
    return run;
  };
};
