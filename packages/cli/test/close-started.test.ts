import { describe, expect, it } from 'vitest';
import { closeStarted } from '../src/prepare-runs.js';

describe('closeStarted (review 77: one failing close stopped the rest)', () => {
  it('closes every run it is given, even when one objective fails to close', async () => {
    const closed: string[] = [];
    const run = (name: string, fails: boolean) => ({
      experiment: { config: { objective: { use: 'module' } } },
      started: {
        objective: {
          close: async () => {
            closed.push(`objective ${name}`);
            if (fails) throw new Error(`${name} close failed`);
          },
        },
        scope: {
          close: async () => {
            closed.push(`scope ${name}`);
          },
        },
      },
    });
    const warnings: string[] = [];
    const result = await closeStarted([run('a', true), run('b', false)] as never, (message) =>
      warnings.push(message),
    ).then(
      () => 'ok',
      (e: Error) => e.message,
    );
    expect(warnings).toEqual(['the `module` objective could not be closed: a close failed']);
    expect(closed).toEqual(['objective a', 'scope a', 'objective b', 'scope b']);
    expect(result).toBe('ok');
  });
});
