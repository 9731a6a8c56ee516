import { ParzenError } from '@parzen/engine';
import { describe, expect, it } from 'vitest';
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

  it('reports an error whose cause is null as an error, not a crash', () => {
    const lines: string[] = [];
    const output = { result: (line: string) => lines.push(line), note: () => undefined };
    const error = new ParzenError('STUDY_MISMATCH', 'the study differs', { cause: null });
    // ParzenError drops an undefined cause but keeps null.
    expect(error.cause).toBeNull();
    expect(reportError(error, true, output)).toBe(EXIT.studyError);
    expect(JSON.parse(lines.at(-1) as string)).toEqual({
      errors: [{ code: 'STUDY_MISMATCH', message: 'the study differs' }],
    });
  });
});
