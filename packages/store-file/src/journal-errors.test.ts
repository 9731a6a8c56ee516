import { describe, expect, it } from 'vitest';
import { showLine } from './journal-errors.js';

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
