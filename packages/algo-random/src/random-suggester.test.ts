import { describeSuggesterContract } from '@parzen/engine/testing';
import { describe, expect, it } from 'vitest';
import { createRandomSuggester } from './random-suggester.js';

describeSuggesterContract('random', { create: createRandomSuggester });

describe('createRandomSuggester checks options given in code', () => {
  it('takes none: any given from JavaScript is CONFIG_INVALID by path, as the other factories say', () => {
    expect(createRandomSuggester({}).name).toBe('random');
    // An Optuna user's RandomSampler(seed=1): the seed is the study's, and was ignored without a word.
    expect(() => createRandomSuggester({ seed: 1 } as never)).toThrow(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        plugin: 'random',
        message: 'Invalid random options:\n  /seed: expected no options, found an unknown option `seed`',
        issues: [{ pointer: '/seed', expected: 'no options', found: 'an unknown option `seed`' }],
      }),
    );
    expect(() => createRandomSuggester(5 as never)).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });
});
