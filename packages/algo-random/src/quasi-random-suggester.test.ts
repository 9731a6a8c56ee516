import { describeSuggesterContract } from '@parzen/engine/testing';
import { describe, expect, it } from 'vitest';
import { createQuasiRandomSuggester } from './quasi-random-suggester.js';

describeSuggesterContract('quasi-random', { create: createQuasiRandomSuggester });

describe('createQuasiRandomSuggester checks options given in code', () => {
  it('keeps its settings for the study (scrambled unless told not to)', () => {
    expect(createQuasiRandomSuggester().settings).toEqual({ scramble: true });
    expect(createQuasiRandomSuggester({ scramble: false }).settings).toEqual({ scramble: false });
  });

  it('a misspelt option and a wrong kind are CONFIG_INVALID by path', () => {
    expect(() => createQuasiRandomSuggester({ scrambled: true, scramble: 'no' } as never)).toThrow(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        issues: [
          expect.objectContaining({ pointer: '/scrambled', found: 'an unknown option `scrambled`' }),
          { pointer: '/scramble', expected: 'a value of type boolean', found: '"no"' },
        ],
      }),
    );
  });
});
