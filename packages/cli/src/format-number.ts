import { shownNumber } from '@parzen/engine/host';

/** A loss or parameter for people: six significant digits, no trailing zeros; other values as JSON. */
export const formatNumber = (value: unknown): string => {
  // An integer in full (trial 52: randint draws showed as 9007200000000000, a value never drawn).
  if (typeof value === 'number') return shownNumber(value);
  if (typeof value === 'string') return value;
  return JSON.stringify(value) ?? '';
};
