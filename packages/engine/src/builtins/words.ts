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

/** Edits (insert, delete, change, swap two neighbours) between two words, ignoring case. */
const editDistance = (a: string, b: string): number => {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  const rows = Array.from({ length: x.length + 1 }, (_, i) =>
    Array.from({ length: y.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= x.length; i++)
    for (let j = 1; j <= y.length; j++) {
      const row = rows[i] as number[];
      const above = rows[i - 1] as number[];
      const change = x[i - 1] === y[j - 1] ? 0 : 1;
      row[j] = Math.min((above[j] as number) + 1, (row[j - 1] as number) + 1, (above[j - 1] as number) + change);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1])
        row[j] = Math.min(row[j] as number, ((rows[i - 2] as number[])[j - 2] as number) + 1);
    }
  return (rows[x.length] as number[])[y.length] as number;
};

/**
 * ` (did you mean `suggester`?)` for a misspelt name (`suggestor`, `maxTrails`, `concurency`): the one
 * known name a few edits away (at most a quarter of its length, at least one: `moreTrials` is not a misspelt `maxTrials`); empty when none is, or when
 * two are as close.
 */
export const didYouMean = (name: string, known: readonly string[]): string => {
  const allowed = Math.max(1, Math.floor(name.length / 4));
  // A name far longer than any known one is no misspelling (and its distances would cost time).
  if (name.length > 64) return '';
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  let tie = false;
  for (const candidate of known) {
    if (Math.abs(candidate.length - name.length) > allowed) continue;
    const distance = editDistance(name, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
      tie = false;
    } else if (distance === bestDistance) tie = true;
  }
  // A name that differs only in case is close too (`URL` for `url`): the given name is unknown, so never the same.
  return best === undefined || tie || bestDistance > allowed ? '' : ` (did you mean \`${best}\`?)`;
};
