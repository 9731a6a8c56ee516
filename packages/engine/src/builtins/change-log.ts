import type { TrialChanges } from '../contracts/store.js';
import type { Trial } from '../domain/trial.js';

/**
 * `listTrialsSince` for a store that keeps its trials in memory with a change log (the number of every
 * trial written, in write order): the cursor is a position in the log; each changed trial comes once,
 * in number order, as it is now.
 */
export const trialsChangedSince = (
  changes: readonly number[],
  trials: readonly (Trial | undefined)[],
  cursor?: string,
): TrialChanges => {
  const since = cursor === undefined ? 0 : Number(cursor);
  const numbers = [...new Set(changes.slice(since))].sort((a, b) => a - b);
  return { trials: numbers.map((number) => trials[number] as Trial), cursor: String(changes.length) };
};
