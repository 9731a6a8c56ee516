/** A loss or parameter for people: six significant digits, no trailing zeros; other values as JSON. */
export const formatNumber = (value: unknown): string => {
  if (typeof value === 'number') return Number.isFinite(value) ? String(Number(value.toPrecision(6))) : String(value);
  if (typeof value === 'string') return value;
  return JSON.stringify(value) ?? '';
};
