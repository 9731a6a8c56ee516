import { expect, it } from 'vitest';
import { PAGE_SCRIPT } from '../src/page-script.js';

/** The page's own `show` (how the best trial and the table print a value), taken out of the script. */
const show = new Function(`${/function show\(v\) \{[\s\S]*?\n {2}\}/.exec(PAGE_SCRIPT)?.[0]}; return show;`)() as (
  value: unknown,
) => string;

it('prints numbers past 2^53 to 6 significant digits, like fractions (trial 28: 1.0000005021455725e+300)', () => {
  expect(show(1.0000005021455725e300)).toBe('1e+300');
  expect(show(-2.5e20)).toBe('-2.5e+20');
  expect(show(41)).toBe('41');
  expect(show(0.123456789)).toBe('0.123457');
  expect(show('svm')).toBe('svm');
  expect(show(null)).toBe('');
});
