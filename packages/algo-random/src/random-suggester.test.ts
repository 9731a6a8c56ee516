import { describeSuggesterContract } from '@parzen/engine/testing';
import { describe, expect, it } from 'vitest';
import { createRandomSuggester } from './random-suggester.js';

describeSuggesterContract('random', { create: createRandomSuggester });

describe('createRandomSuggester checks options given in code', () => {
  it('takes none: any given from JavaScript is CONFIG_INVALID by path, as the other factories say', () => {
    expect(createRandomSuggester({}).name).toBe('random');
    // An Optuna user's RandomSampler(seed=1): the seed is the study's, and was ignored without a word; then refused
    // without saying so (trial 171). The heading names the plugin and its kind, as every plugin's does.
    expect(() => createRandomSuggester({ seed: 1 } as never)).toThrow(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        plugin: 'random',
        message:
          "Invalid options for the random suggester:\n  /seed: expected no options, found an unknown option `seed` (the seed is the study's, not a plugin's: `createStudy({ seed })`, `fmin({ seed })`, `Study.open({ seed })`)",
        issues: [
          {
            pointer: '/seed',
            expected: 'no options',
            found:
              "an unknown option `seed` (the seed is the study's, not a plugin's: `createStudy({ seed })`, `fmin({ seed })`, `Study.open({ seed })`)",
          },
        ],
      }),
    );
    expect(() => createRandomSuggester(5 as never)).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });
});
