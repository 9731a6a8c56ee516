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
