import { describe, expect, it } from 'vitest';
import { cleanUpQuietly, withCleanup } from './with-cleanup.js';

describe('withCleanup and cleanUpQuietly', () => {
  it("keep the body's result or error, and say a failed cleanup in one line", async () => {
    const warnings: string[] = [];
    const warn = (message: string) => warnings.push(message);
    const failing = () => {
      throw new Error('the disk went away\n    at somewhere (store.js:1:1)');
    };
    await expect(withCleanup(async () => 42, failing, 'closing', warn)).resolves.toBe(42);
    await expect(
      withCleanup(
        async () => {
          throw new Error('refused');
        },
        failing,
        'closing',
        warn,
      ),
    ).rejects.toThrow('refused');
    expect(warnings).toEqual(['closing: the disk went away', 'closing: the disk went away']);
  });

  it('go on without a cleanup that never settles, after the time limit, with a warning (review 50)', async () => {
    const warnings: string[] = [];
    const started = Date.now();
    await cleanUpQuietly(
      () => new Promise(() => {}),
      'closing the store',
      (message) => warnings.push(message),
      50,
    );
    expect(Date.now() - started).toBeLessThan(2000);
    expect(warnings).toEqual(['closing the store: it did not finish in 0.05 s; going on without it']);
    // A cleanup that settles in time says nothing.
    await cleanUpQuietly(
      async () => undefined,
      'closing',
      (message) => warnings.push(message),
      50,
    );
    expect(warnings).toHaveLength(1);
  });
});
