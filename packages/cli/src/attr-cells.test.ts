import { describe, expect, it } from 'vitest';
import { optionFromCell } from './attr-cells.js';

describe('optionFromCell', () => {
  it("reads a boolean choice written by Python (True) or a spreadsheet (TRUE), after the cell's own text (trial 87)", () => {
    const flags = [true, false];
    expect(['true', 'True', 'TRUE', 'false', 'False', 'FALSE'].map((cell) => optionFromCell(flags, cell))).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
    // An option that is that text is that option.
    expect(optionFromCell(['TRUE', true], 'TRUE')).toBe('TRUE');
    expect(optionFromCell(flags, 'yes')).toBe('yes');
  });
});
