import { expect } from 'vitest';

/**
 * What the contract suites check of every suggester, pruner and stopper: a `name`, a non-empty string (a study
 * records a suggester by it; messages name a pruner or stopper by it). Fails the test with what was found.
 */
export const expectNamed = (instance: unknown, kind: 'suggester' | 'pruner' | 'stopper'): void => {
  const name = (instance as { readonly name?: unknown } | null)?.name;
  expect(
    typeof name === 'string' && name.trim() !== '',
    `a ${kind}'s name must be a non-empty string; found ${typeof name === 'string' ? JSON.stringify(name) : String(name)}`,
  ).toBe(true);
};
