/** A count with its noun, singular for one: `1 trial`, `3 trials`. */
export const countOf = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? '' : 's'}`;

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
  const line = tail
    .split(/\r?\n/)
    .findLast((text) => text.trim() !== '')
    ?.trim();
  if (line === undefined) return '';
  return ` (stderr: ${line.length > STDERR_LINE_CHARS ? `${line.slice(0, STDERR_LINE_CHARS - 1)}…` : line})`;
};
