/**
 * A number as summaries and tables show it: an integer a number holds exactly in full (a randint draw), any
 * other to 6 significant digits.
 */
export const shownNumber = (value: number): string =>
  Number.isSafeInteger(value) || !Number.isFinite(value) ? String(value) : String(Number(value.toPrecision(6)));

/** A count with its noun, singular for one: `1 trial`, `3 trials`. */
export const countOf = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? '' : 's'}`;

/** ANSI escape sequences (colours, cursor moves) as terminals read them. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the escape character is what it matches.
const ANSI_ESCAPE = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;

/** The most of a stderr line a table or progress line shows. */
const STDERR_LINE_CHARS = 120;

/**
 * The last line a failed `command` trial's program wrote on stderr (its `details.stderrTail`), as
 * ` (stderr: ...)`, shortened; empty when there is none. What the console reporter, the CLI's progress
 * lines and `parzen trials` append to a failed trial.
 */
export const stderrNote = (details: unknown): string => {
  const tail = (details as { stderrTail?: unknown } | undefined)?.stderrTail;
  if (typeof tail !== 'string') return '';
  // Progress bars rewrite a line with \r; colours are ANSI escape sequences: neither belongs in a table.
  const line = tail
    .replace(ANSI_ESCAPE, '')
    .split(/\r\n|\r|\n/)
    .findLast((text) => text.trim() !== '')
    ?.trim();
  if (line === undefined) return '';
  return ` (stderr: ${line.length > STDERR_LINE_CHARS ? `${line.slice(0, STDERR_LINE_CHARS - 1)}…` : line})`;
};
