import { describe, expect, it } from 'vitest';
import { CliError } from './exit-codes.js';
import { reportError } from './report-error.js';

describe('reportError', () => {
  it('writes a name with a bidirectional override or a control character escaped (trial 183: report --pair)', () => {
    const notes: string[] = [];
    const results: string[] = [];
    const output = { note: (line: string) => notes.push(line), result: (line: string) => results.push(line) };
    const message = '--pair "nope,x": expected two different numeric parameters of the space (lr\u202eevil\u001b[2J)';
    expect(reportError(new CliError(message), true, output)).toBe(2);
    expect(notes).toEqual([
      'parzen: --pair "nope,x": expected two different numeric parameters of the space (lr\\u202eevil\\u001b[2J)',
    ]);
    // The --json line keeps the message as it is (JSON escapes what it must).
    expect((JSON.parse(results[0] as string) as { errors: { message: string }[] }).errors[0]?.message).toBe(message);
  });
});
