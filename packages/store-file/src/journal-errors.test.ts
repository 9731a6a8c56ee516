import { describe, expect, it } from 'vitest';
import { describeForeignLine, showLine } from './journal-errors.js';

describe('showLine', () => {
  it('names an invisible byte order mark, and counts characters in the right number', () => {
    // Review 72: a line of only the mark read `"﻿" (1 characters)`.
    expect(showLine('\uFEFF')).toBe('"\\uFEFF" (1 character)');
    expect(showLine('\uFEFF{"op"')).toBe('"\\uFEFF{\\"op\\"" (6 characters)');
    expect(showLine('')).toBe('"" (0 characters)');
  });

  it('shows NUL padding and cuts a long line, counting the whole line', () => {
    expect(showLine('\u0000\u0000')).toBe('"\\u0000\\u0000" (2 characters)');
    const long = 'x'.repeat(100);
    expect(showLine(long)).toBe(`"${'x'.repeat(60)}..." (100 characters)`);
  });
});

describe('describeForeignLine (trial 93: the first line of any file a store path named was quoted)', () => {
  it('says the shape of a line that is not a journal record, never its words', () => {
    expect(describeForeignLine('SECRET_TOKEN=abc123')).toBe('text that is not JSON (19 characters)');
    expect(describeForeignLine('{"name": "heart", "token": "s3cret"}')).toBe(
      'a JSON object of 2 fields, none of them `op` (36 characters)',
    );
    expect(describeForeignLine('{')).toBe('`{` (the start of pretty-printed JSON: a config?)');
    expect(describeForeignLine('[1, 2]')).toBe('a JSON array (6 characters)');
    expect(describeForeignLine('\u0000\u0001ELF')).toBe('binary data (5 characters)');
    // Review 98: an `op` of another kind, null, a byte order mark, a Windows line end.
    expect(describeForeignLine('{"op": "launch"}')).toBe(
      "a JSON object of 1 field whose `op` is no journal record's (16 characters)",
    );
    expect(describeForeignLine('null')).toBe('JSON null (4 characters)');
    expect(describeForeignLine('\uFEFFname: x\r')).toBe('a byte order mark, then text that is not JSON (7 characters)');
    for (const line of ['SECRET_TOKEN=abc123', '{"token": "s3cret"}'])
      expect(describeForeignLine(line)).not.toMatch(/abc123|s3cret/);
  });
});
