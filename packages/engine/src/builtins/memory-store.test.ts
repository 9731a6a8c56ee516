import { expect, it } from 'vitest';
import { describeStoreContract } from '../testing/store-contract.js';
import { createMemoryStore, ownHandle, reopenedHandle } from './memory-store.js';

// A second handle on the same studies, as a run or a Study takes (ownHandle): told of a study deleted under it.
// Reopened after a close as a file store's file is: an open handle (ownHandle's is closed with the store it is made from).
describeStoreContract('memory', { create: createMemoryStore, reopen: reopenedHandle, keepsParzenVersion: true });

// A store that keeps no Parzen version (a third-party one written before it) passes without `keepsParzenVersion`
// (review 147: the suite made the field mandatory for every store).
describeStoreContract('memory keeping no Parzen version', {
  create: () => {
    const store = createMemoryStore();
    return { ...store, openStudy: ({ parzenVersion: _, ...spec }) => store.openStudy(spec) };
  },
});

it('adds 150,000 trials at once (one by one: push(...trials) overflowed the stack)', async () => {
  const store = createMemoryStore();
  await store.openStudy({
    name: 'big',
    direction: 'minimize',
    seed: 1,
    space: { x: { type: 'uniform', low: 0, high: 1 } },
  });
  const rows = Array.from({ length: 150_000 }, (_, i) => ({
    internal: { x: i / 150_000 },
    outcome: { state: 'complete' as const, loss: i },
  }));
  const added = await store.addTrials?.('big', rows);
  expect(added).toHaveLength(150_000);
  const listed = await store.listTrials('big');
  expect(listed.at(-1)?.number).toBe(149_999);
});

// A run's own handle on a store whose method a test replaced (to inject a fault) went around the replacement.
it('gives a run another handle, but a store whose methods were replaced, or one wrapping it, as it is', () => {
  const store = createMemoryStore();
  expect(ownHandle(store)).not.toBe(store);
  store.reportIntermediate = async () => {};
  expect(ownHandle(store)).toBe(store);
  const wrapped = { ...createMemoryStore() };
  expect(ownHandle(wrapped)).toBe(wrapped);
});

it('refuses options given from JavaScript, which it takes none of, by path (they failed at the first trial)', () => {
  expect(() => createMemoryStore({ name: 'x' } as never)).toThrow(
    expect.objectContaining({
      code: 'CONFIG_INVALID',
      message:
        'Invalid memory store arguments:\n  /: expected nothing (a memory store takes no options), or a clock for tests (an object with a `now` method), found {"name":"x"}',
      issues: [expect.objectContaining({ pointer: '' })],
    }),
  );
  expect(() => createMemoryStore({ now: () => new Date(0) })).not.toThrow();
});
