/** How the page shows values: numbers in its table and best trial, parameter axes. */
import { expect, it } from 'vitest';
import { paramScale } from '../src/charts/common.js';
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

it("draws a randint's axis over the integers it can take (trial 28: randint(1, 10) ran 1–8, as drawn so far)", () => {
  expect(paramScale({ kind: 'randint', low: 1, high: 10 })).toEqual({ zero: false, domain: [1, 9], nice: false });
  expect(paramScale({ kind: 'uniformint', low: 1, high: 10 })).toEqual({ zero: false, domain: [1, 10], nice: false });
});
