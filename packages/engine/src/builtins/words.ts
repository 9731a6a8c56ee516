/**
 * A number as summaries and tables show it: an integer a number holds exactly in full (a randint draw), any
 * other to 6 significant digits, and at least every digit of its integer part and one after the point
 * (123456789.12 does not show as 123457000, a rounded value that reads as an exact integer). Float noise
 * (2.9999999999999996) still shows as 3.
 */
export const shownNumber = (value: number): string => {
  if (Number.isSafeInteger(value) || !Number.isFinite(value)) return String(value);
  // An integer past 2^53 is shown rounded, in exponent form so that it does not read as exact (review 87).
  if (Number.isInteger(value)) return Number(value.toPrecision(6)).toExponential();
  const whole = Math.abs(value) < 1 ? 0 : Math.trunc(Math.abs(value)).toString().length;
  return String(Number(value.toPrecision(Math.min(17, Math.max(6, whole + 1)))));
};

/** Milliseconds as a message says a limit: in seconds, to 6 significant digits (`1500` is `1.5 s`, `40` is `0.04 s`). */
export const limitInSeconds = (ms: number): string => `${Number((ms / 1000).toPrecision(6))} s`;

/** Milliseconds as a message says a wait: in seconds to a tenth, `1.4 s`, `10 s`. */
export const inSeconds = (ms: number): string => `${Math.round(ms / 100) / 10} s`;

/**
 * What trials run before a parameter was added to the space need to fit it, after "give each row" (an import that
 * finds every row lacking it, and a study refused for a space grown since it began, say it alike).
 */
export const VALUE_THEY_RAN_WITH = 'the value the earlier runs used (a field in its params, or a column)';

/**
 * An argument as a POSIX shell reads it back: as it is when it is only safe characters, else in single quotes (a
 * `'` in it as `'\''`), so that a command a message prints can be pasted as it is: `parzen queue q.json --remove
 * 'enqueue:{"x":0.7}#0'`, whose double quotes and braces the shell would otherwise take.
 */
export const shellQuoted = (argument: string): string =>
  /^[\w@%+=:,./-]+$/u.test(argument) ? argument : `'${argument.replaceAll("'", "'\\''")}'`;

// Trial 161: a URL that did not parse (a typo in its port, no host, an unclosed `[`, `postgres:` without `//`) was quoted
// with its password in clear, on stderr and twice in `run --json`.
/**
 * A URL (or a store's `--store` text) as a message may quote it: a password in it written `***`, whether or not it
 * parses. Of one that parses with `//`, the password the parser finds; of any other, everything from the first `:` after
 * the `//` (or after `postgres:`, or from the start) to the last `@` (a user's name may hold an `@`, and a password that
 * breaks the URL may hold `/`, `?` or `#`). The value of every `password=` parameter, too. Text with neither is returned
 * as it is.
 */
export const passwordMasked = (url: string): string => {
  const parameters = (text: string): string => text.replace(/((?:^|[?&;\s])password=)[^&;\s]*/gi, '$1***');
  const hierarchical = /^[a-z][a-z\d+.-]*:\/\//i.test(url);
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (hierarchical && parsed !== undefined) {
    if (parsed.password === '') return parameters(url);
    parsed.password = '***';
    return parameters(parsed.toString());
  }
  const at = url.lastIndexOf('@');
  if (at < 0) return parameters(url);
  const slashes = url.indexOf('//');
  // After `//`; else after a postgres scheme (`postgres:ann:pw@h`; `postgres:ann@h` has none), else from the start
  // (`ann:pw@h`, as `postgres:` is cut from the text `--store postgres:URL` gives).
  const start = slashes >= 0 && slashes < at ? slashes + 2 : (/^postgres(?:ql)?:/i.exec(url)?.[0].length ?? 0);
  const colon = url.indexOf(':', start);
  if (colon < 0 || colon > at) return parameters(url);
  return `${url.slice(0, colon + 1)}***${parameters(url.slice(at))}`;
};

/** A count with its noun, singular for one: `1 trial`, `3 trials`. */
export const countOf = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? '' : 's'}`;

/**
 * Characters a terminal obeys instead of showing: C0 controls but tab and line feed (escape sequences start with
 * ESC; a carriage return rewrites the line), DEL, C1 controls and the bidirectional overrides and isolates (they
 * reorder what follows; the marks that right-to-left text uses stay).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what it matches.
const UNPRINTABLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what it matches.
const UNPRINTABLE_OR_NEWLINE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text from a trial or a store (an objective's error message, a study's name) as a terminal line shows it: the
 * characters a terminal would obey written as `\u001b` (else an error message could set the window title, clear the
 * screen and make links, and a journal's study name split a table row). `oneLine`: a line feed too (a table cell; a tab
 * too). Everything else is as it was.
 */
export const printable = (text: string, oneLine = false): string => {
  const pattern = oneLine ? UNPRINTABLE_OR_NEWLINE : UNPRINTABLE;
  pattern.lastIndex = 0;
  if (!pattern.test(text)) return text;
  // Windows line ends are line ends on a terminal's lines (review 98: each line ended in \u000d).
  const lines = oneLine ? text : text.replaceAll('\r\n', '\n');
  return lines.replace(pattern, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
};

/** ANSI escape sequences (colours, cursor moves) as terminals read them. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the escape character is what it matches.
const ANSI_ESCAPE = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;

/**
 * The most of one piece of an objective's own text a failed trial keeps in a field that lines show: a thrown
 * error's message, a `command` objective's loss line (characters).
 */
export const KEPT_TEXT_CHARS = 1000;

/** How many UTF-16 units the character at `at` of `text` takes: 2 for a surrogate pair (an emoji), else 1. */
const unitsAt = (text: string, at: number): number => {
  const code = text.charCodeAt(at);
  const next = text.charCodeAt(at + 1);
  return code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff ? 2 : 1;
};

/** Splits text into what a person reads as one character each (an accented letter, a flag, a family emoji). */
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Where a cut at UTF-16 unit `end` of `text` falls back to so no character is split: the start of the grapheme cluster
 * holding `end` (a base letter keeps its accent, a flag its two halves). Only a window around the cut is segmented: a
 * message of megabytes is not read whole.
 */
const clusterStart = (text: string, end: number): number => {
  const from = Math.max(0, end - 64);
  let start = from;
  for (const { index } of graphemes.segment(text.slice(from, Math.min(text.length, end + 64)))) {
    if (from + index > end) break;
    start = from + index;
  }
  // A cluster longer than the window (64 marks on one letter): cut where the count said.
  return start === from && from > 0 ? end : start;
};

/**
 * `text` as a failed trial keeps it: whole when at most `limit` characters, else its first `limit` characters or fewer and
 * `… (N more characters cut)`, so a message holding a tensor's repr is not repeated whole on every line. The one
 * wording of a cut, wherever an objective's text is kept or quoted (a thrown message, a command's loss line). Counted
 * in Unicode code points (an emoji is one, never half kept, not two UTF-16 units); the cut falls between whole
 * characters as a person reads them (an accent stays with its letter, a flag and a family emoji whole).
 */
export const clippedText = (text: string, limit = KEPT_TEXT_CHARS): string => {
  if (text.length <= limit) return text;
  let end = 0;
  for (let kept = 0; kept < limit && end < text.length; kept++) end += unitsAt(text, end);
  if (end >= text.length) return text;
  end = clusterStart(text, end);
  let more = 0;
  for (let at = end; at < text.length; more++) at += unitsAt(text, at);
  return `${text.slice(0, end)}… (${more} more ${more === 1 ? 'character' : 'characters'} cut)`;
};

/** The most of a stderr line a table or progress line shows. */
const STDERR_LINE_CHARS = 120;

/**
 * The last line that is not blank of a program's stderr (`tail`, its end) as one line shows it: progress-bar
 * rewrites and colours taken out, trimmed, control characters escaped, and at most 120 characters (its end cut,
 * `…`); undefined when it wrote no such line.
 */
export const lastStderrLine = (tail: string): string | undefined => {
  // Progress bars rewrite a line with \r; colours are ANSI escape sequences: neither belongs in a line.
  const line = tail
    .replace(ANSI_ESCAPE, '')
    .split(/\r\n|\r|\n/)
    .findLast((text) => text.trim() !== '')
    ?.trim();
  if (line === undefined) return undefined;
  // By characters, never inside one (review 139: half an emoji was stored).
  const chars = Array.from(line);
  return printable(chars.length > STDERR_LINE_CHARS ? `${chars.slice(0, STDERR_LINE_CHARS - 1).join('')}…` : line);
};

/**
 * What a failed trial's details add to its message where a line shows it (the console reporter, the CLI's
 * progress lines, `parzen trials`): the last line a `command` trial's program wrote on stderr (its
 * `details.stderrTail`), as ` (stderr: ...)`, shortened, unless `message` says that line already (a
 * `COMMAND_FAILED` trial's does); or where a thrown error came from (its
 * `errorName` and `thrownAt`), as ` (TypeError at /home/me/objective.mjs:3:17)`, or ` (TypeError at an unknown
 * place)` when its stack has no place of the user's code; or, for an Error given
 * to `study.tell` (`told`), that it was and where it was created (its `thrownAt`, or `createdAt` as older
 * builds stored it), as ` (TypeError passed to tell(), created at /home/me/service.mjs:40:9)`: a service's
 * `new Error(message)` is not where an objective threw. Else nothing.
 */
export const failureNote = (details: unknown, message?: string): string => {
  const {
    stderrTail: tail,
    errorName,
    thrownAt,
    createdAt,
    told,
    stack,
  } = (details ?? {}) as {
    stderrTail?: unknown;
    errorName?: unknown;
    thrownAt?: unknown;
    createdAt?: unknown;
    told?: unknown;
    stack?: unknown;
  };
  if (typeof tail !== 'string') {
    const name = typeof errorName === 'string' ? errorName : '';
    if (told === true) {
      const place = thrownAt ?? createdAt;
      const created = typeof place === 'string' ? `, created at ${place}` : '';
      return ` (${name === '' ? '' : `${name} `}passed to tell()${created})`;
    }
    // An Error whose stack has no place of the user's code (trial 171: Parzen's own file was named instead).
    const at = typeof thrownAt === 'string' ? `at ${thrownAt}` : typeof stack === 'string' ? 'at an unknown place' : '';
    return name === '' && at === '' ? '' : ` (${[name, at].filter((part) => part !== '').join(' ')})`;
  }
  const line = lastStderrLine(tail);
  // Left out when the message already ends its first part with it (a command's "exited with code 1: LINE"): a
  // short line found anywhere in it (`loss`) is not that (review 153).
  return line === undefined || message?.includes(`: ${line}`) === true ? '' : ` (stderr: ${line})`;
};
