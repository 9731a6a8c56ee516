const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const SPECIAL: Readonly<Record<string, number>> = {
  nan: Number.NaN,
  inf: Number.POSITIVE_INFINITY,
  '+inf': Number.POSITIVE_INFINITY,
  '-inf': Number.NEGATIVE_INFINITY,
  infinity: Number.POSITIVE_INFINITY,
  '+infinity': Number.POSITIVE_INFINITY,
  '-infinity': Number.NEGATIVE_INFINITY,
};

const parseLine = (line: string): unknown => {
  const text = line.trim();
  if (NUMBER.test(text)) return Number(text);
  const special = SPECIAL[text.toLowerCase()];
  if (special !== undefined) return special;
  if (!text.startsWith('{')) return undefined;
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) && 'loss' in value ? value : undefined;
  } catch {
    return undefined;
  }
};

/**
 * Finds a program's result in its standard output: the last line that is a JSON object with a `loss`
 * field, or a bare number (`nan` and `inf` as Python prints them count, so they fail the trial as NaN
 * or infinite instead of as missing). Returns undefined when no line qualifies.
 */
export const findLossLine = (stdout: string): unknown => {
  const lines = stdout.split(/\r?\n/);
  for (let index = lines.length - 1; index >= 0; index--) {
    const parsed = parseLine(lines[index] ?? '');
    if (parsed !== undefined) return parsed;
  }
  return undefined;
};
