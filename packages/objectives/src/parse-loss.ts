import { clippedText, ownEntry, printable } from '@parzen/engine/plugin';
import { MAX_LINE_CHARS } from './line-feed.js';

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

/** Python's `json.dumps` writes these bare tokens for non-finite floats; JSON has no such numbers. */
const NON_FINITE_TOKEN = /^(NaN|-?Infinity)/;
const TOKEN_VALUES: Readonly<Record<string, number>> = {
  NaN: Number.NaN,
  Infinity: Number.POSITIVE_INFINITY,
  '-Infinity': Number.NEGATIVE_INFINITY,
};

/**
 * `JSON.parse`, but also reading the bare `NaN`, `Infinity` and `-Infinity` that Python writes
 * (`{"loss": NaN}`), so such a loss fails the trial as NaN or infinite rather than as missing. Tokens
 * inside strings are left alone.
 */
export const parseJsonWithNonFinite = (text: string): unknown => {
  let marked = '';
  let inString = false;
  for (let at = 0; at < text.length; at++) {
    const char = text[at] as string;
    if (inString) {
      marked += char;
      if (char === '\\') marked += text[++at] ?? '';
      else if (char === '"') inString = false;
      continue;
    }
    const token = NON_FINITE_TOKEN.exec(text.slice(at, at + 9))?.[1];
    if (token !== undefined) {
      marked += JSON.stringify(`\u0000${token}`);
      at += token.length - 1;
      continue;
    }
    if (char === '"') inString = true;
    marked += char;
  }
  return JSON.parse(marked, (_key, value: unknown) =>
    typeof value === 'string' && value.startsWith('\u0000') ? TOKEN_VALUES[value.slice(1)] : value,
  );
};

/**
 * Reads one stdout line as a result: a bare number (`nan` and `inf` as Python prints them too), a JSON
 * object with a `loss` field, or hyperopt's failed result `{"status": "fail", ...}`. Returns undefined for
 * any other line.
 */
export const parseLossLine = (line: string): unknown => {
  const text = line.trim();
  if (NUMBER.test(text)) return Number(text);
  // Its own entries only: a line `constructor` is no loss (an inherited member was taken for one).
  const special = ownEntry(SPECIAL, text.toLowerCase());
  if (special !== undefined) return special;
  // Only an object that names `loss`, or hyperopt's `"status": "fail"` (trial 55: that result with no loss was
  // "printed no loss"), can qualify: report lines and logs are passed over unparsed.
  // And `{"pruned": true}`: the program ended its own trial pruned (Optuna's `raise TrialPruned()`).
  if (!text.startsWith('{') || !(text.includes('loss') || text.includes('status') || text.includes('pruned')))
    return undefined;
  try {
    const value = parseJsonWithNonFinite(text);
    return typeof value === 'object' &&
      value !== null &&
      !Array.isArray(value) &&
      ('loss' in value ||
        (value as { status?: unknown }).status === 'fail' ||
        (value as { pruned?: unknown }).pruned === true)
      ? value
      : undefined;
  } catch {
    return undefined;
  }
};

/**
 * Lines end at `\n`, `\r\n` or a lone `\r`, as for report lines (`LineFeed`): a loss printed after a
 * progress bar that redrew its line with `\r` is a line of its own.
 */
const LINE_BREAK = /\r?\n|\r/;

/**
 * Follows a program's stdout line by line for its result: `found` is the last line that is a JSON object
 * with a `loss` field, or, when the program printed no such line, the last bare number (`nan` and `inf` as
 * Python prints them count, so they fail the trial as NaN or infinite instead of as missing). A bare number
 * printed after a `{"loss": x}` line is not the result (an epoch count printed last, say): it is ignored,
 * and `numberAfterLoss` holds it with its line as printed (the last one, unless a later `{"loss": x}` line came),
 * which the caller warns of.
 */
export const lossTracker = () => {
  let found: unknown;
  // The lines as printed, for messages (trial 130: `{"loss": 1e400}` was said only as a loss of Infinity).
  let foundLine: string | undefined;
  let failLastLine: string | undefined;
  let lossObjectSeen = false;
  let numberAfterLoss: { readonly value: number; readonly line: string } | undefined;
  // hyperopt's `{"status": "fail"}` (and `{"pruned": true}`) without a loss counts only as the last non-empty
  // line, and only when no loss line came before it (review 57: a JSON log line with `"status": "fail"` after
  // the loss failed a complete trial).
  let failLast: unknown;
  return {
    /** Reads one line; returns what it read as a loss (a number, an object with `loss`), if anything. */
    see(line: string): unknown {
      const parsed = parseLossLine(line);
      if (line.trim() !== '') failLast = undefined;
      if (parsed === undefined) return undefined;
      if (typeof parsed === 'object' && !('loss' in (parsed as object))) {
        // After a loss line, such a line is a log line (a loss line's own `status` still counts).
        if (!lossObjectSeen) {
          failLast = parsed;
          failLastLine = line.trim();
        }
        return lossObjectSeen ? undefined : parsed;
      }
      // A bare number after a `{"loss": x}` line is not the result: the JSON line stays, with its attrs.
      if (typeof parsed !== 'object' && lossObjectSeen) {
        numberAfterLoss = { value: parsed as number, line: line.trim() };
        return undefined;
      }
      found = parsed;
      foundLine = line.trim();
      if (typeof parsed === 'object') {
        lossObjectSeen = true;
        numberAfterLoss = undefined;
      }
      return parsed;
    },
    get found(): unknown {
      return failLast ?? found;
    },
    /** The line `found` was read from, as printed (trimmed). */
    get line(): string | undefined {
      return failLast === undefined ? foundLine : failLastLine;
    },
    /** The last bare number printed after the last `{"loss": x}` line, which was ignored, and its line as printed. */
    get numberAfterLoss(): { readonly value: number; readonly line: string } | undefined {
      return numberAfterLoss;
    },
  };
};

/** The result of a whole stdout at once, by the rule of `lossTracker`: the last line that is a JSON object with `loss`, else the last bare number; undefined when no line qualifies. */
export const findLossLine = (stdout: string): unknown => trackLossLines(stdout).found;

/** A {@link lossTracker} that has read a whole stdout. */
export const trackLossLines = (stdout: string): ReturnType<typeof lossTracker> => {
  const tracker = lossTracker();
  for (const line of stdout.split(LINE_BREAK)) tracker.see(line);
  return tracker;
};

/** How much of a program's last line a failure message quotes. */
const QUOTED_CHARS = 200;

/**
 * Says what a program that printed no loss printed last, for the `COMMAND_NO_LOSS` message: its last
 * non-empty stdout line (the start of it, if long), and, when that line looks like a loss object but is
 * not JSON (Python's `print({'loss': x})`, a number like `.5`), why it was not read.
 */
export const describeLastLine = (stdout: string): string => {
  const lines = stdout.split(LINE_BREAK).map((line) => line.trim());
  const last = lines.findLast((line) => line !== '');
  if (last === undefined) return 'it printed nothing on stdout';
  // The kept tail of stdout begins inside its last line: that line is longer than what Parzen keeps.
  if (stdout.startsWith('…') && !LINE_BREAK.test(stdout.slice(1).trimEnd()))
    return (
      `its last line is longer than the ${stdout.length - 1} characters of stdout kept for this message, so it is not shown; ` +
      `a loss line is read only up to ${MAX_LINE_CHARS.toLocaleString('en')} characters (a longer one is passed over): ` +
      'print the loss on a short line of its own (a bare number, or JSON with "loss" and small attrs), after any large output'
    );
  const lastNotJson = notJson(last);
  if (lastNotJson !== undefined) return `its last line was ${quotedLine(last)}, which is ${lastNotJson}`;
  // An earlier line that looks like a loss but is not JSON, the likely mistake (trial 130: `{'loss': 0.5}`
  // followed by `training finished` was not pointed at).
  const earlier = lines.slice(0, lines.lastIndexOf(last)).findLast((line) => notJson(line) !== undefined);
  const before =
    earlier === undefined
      ? ''
      : `; an earlier line, ${quotedLine(earlier)}, looks like a loss line but is ${notJson(earlier)}`;
  return `its last line was ${quotedLine(last)}${before}`;
};

/**
 * A program's line as a message quotes it: as printed (no JSON escapes: the message is for a person reading the
 * program's output), trimmed, its start if long, cut as every kept text is (`clippedText`), and with the characters a
 * terminal would obey written out (`printable`: a warning quoting `\x1b[2J` would clear the screen).
 */
export const quotedLine = (line: string): string => `\`${printable(clippedText(line.trim(), QUOTED_CHARS), true)}\``;

/** Why a line that looks like a loss object (`{` ... `loss`) is not read as one: it is not JSON; undefined otherwise. */
const notJson = (line: string): string | undefined => {
  if (!line.startsWith('{') || !line.includes('loss')) return undefined;
  try {
    parseJsonWithNonFinite(line);
    return undefined;
  } catch (error) {
    const python = line.includes("'loss'") ? `; print json.dumps({"loss": x}) in Python, not the dict` : '';
    return `not JSON (${(error as Error).message})${python}`;
  }
};
