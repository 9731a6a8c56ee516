import { describe, expect, it } from 'vitest';
import { inModuleLoad, ModuleLoadRefused } from './process-exits.js';

describe("a module's load on Parzen's thread (inModuleLoad)", () => {
  it('refuses only the load whose timer threw, not one loading beside it (a config lists two plugins)', async () => {
    const throwing = inModuleLoad(
      'Module `a`',
      () =>
        new Promise<string>(() =>
          setTimeout(() => {
            throw new Error('boom');
          }, 5),
        ),
    );
    const quiet = inModuleLoad(
      'Module `b`',
      () => new Promise<string>((resolve) => setTimeout(() => resolve('b'), 40)),
    );
    const refused = await throwing.catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ModuleLoadRefused);
    expect((refused as Error).message).toMatch(
      /^Module `a` failed to load: a timer or callback it started threw as it loaded: boom \(at .*process-exits\.test\.ts:\d+:\d+\)$/,
    );
    await expect(quiet).resolves.toBe('b');
  });
});

describe("an error of the host's own while a module loads on Parzen's thread (review 180)", () => {
  it('does not refuse the load, and reaches the listener the host has, as it would without the load', async () => {
    const heard: unknown[] = [];
    const host = (error: unknown): void => {
      heard.push(error);
    };
    process.on('uncaughtException', host);
    try {
      // Started before the load, so outside its async context: the host's, not the module's.
      setTimeout(() => {
        throw new Error('host bug');
      }, 5);
      const loaded = inModuleLoad(
        'Module `slow`',
        () => new Promise<string>((resolve) => setTimeout(() => resolve('slow'), 40)),
      );
      await expect(loaded).resolves.toBe('slow');
      expect(heard).toEqual([new Error('host bug')]);
    } finally {
      process.off('uncaughtException', host);
    }
  });
});
