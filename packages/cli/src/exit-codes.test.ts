import { ParzenError } from '@parzen/engine';
import { describe, expect, it } from 'vitest';
import { ConfigProblems } from './config-problems.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { reportError } from './report-error.js';

describe('exit codes', () => {
  it('follows causes down to a store error, and stops at a `cause` of null instead of throwing', () => {
    const store = new ParzenError('STORE_FAILED', 'disk full');
    expect(exitCodeFor(new ParzenError('PLUGIN_INVALID', 'wrapped', { cause: store }))).toBe(EXIT.studyError);
    const nullCause = new Error('plain', { cause: null });
    expect(exitCodeFor(nullCause)).toBe(EXIT.studyError);
    expect(exitCodeFor(new ParzenError('CONFIG_INVALID', 'bad', { cause: nullCause }))).toBe(EXIT.badInput);
    expect(exitCodeFor('a thrown string')).toBe(EXIT.studyError);
  });

  it('bad input is 2 for the bad-input codes not covered above, a space built in code included', () => {
    const codes = ['SPACE_INVALID', 'CONFIG_UNKNOWN_PLUGIN', 'PLUGIN_LOAD_FAILED', 'PLUGIN_DUPLICATE'] as const;
    for (const code of codes) expect(exitCodeFor(new ParzenError(code, 'bad')), code).toBe(EXIT.badInput);
    expect(exitCodeFor(new ParzenError('SUGGESTER_FAILED', 'no'))).toBe(EXIT.studyError);
  });

  it('a store, study or trial error beneath bad input makes it a study error (1)', () => {
    for (const code of ['STORE_FAILED', 'STUDY_MISMATCH', 'TRIAL_ALREADY_FINISHED'] as const) {
      const wrapped = new ParzenError('PLUGIN_INVALID', 'x', { cause: new ParzenError(code, 'beneath') });
      expect(exitCodeFor(wrapped), code).toBe(EXIT.studyError);
    }
  });

  it('several configs failing differently: the highest code, so bad input (2) wins over a study error (1)', () => {
    const output = { result: () => undefined, note: () => undefined };
    const invalid = { path: 'a.json', error: new ParzenError('CONFIG_INVALID', 'bad') };
    const store = { path: 'b.json', error: new ParzenError('STORE_FAILED', 'disk full') };
    expect(reportError(new ConfigProblems([invalid, store]), false, output)).toBe(EXIT.badInput);
    expect(reportError(new ConfigProblems([store, invalid]), false, output)).toBe(EXIT.badInput);
    expect(reportError(new ConfigProblems([store, store]), false, output)).toBe(EXIT.studyError);
  });

  it('reports an error whose cause is null as an error, not a crash', () => {
    const lines: string[] = [];
    const output = { result: (line: string) => lines.push(line), note: () => undefined };
    const error = new ParzenError('STUDY_MISMATCH', 'the study differs', { cause: null });
    // ParzenError drops an undefined cause but keeps null.
    expect(error.cause).toBeNull();
    expect(reportError(error, true, output)).toBe(EXIT.studyError);
    expect(JSON.parse(lines.at(-1) as string)).toEqual({
      errors: [{ file: null, code: 'STUDY_MISMATCH', message: 'the study differs', issues: [] }],
    });
  });
});
