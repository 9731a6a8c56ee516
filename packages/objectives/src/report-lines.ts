import type { EvaluationContext } from '@parzen/engine/plugin';
import { parseJsonWithNonFinite, quotedLine } from './parse-loss.js';

/** An intermediate value a program printed: `{"step": 3, "value": 0.41}`. */
export interface Report {
  readonly step: number;
  readonly value: number;
}

/** What a stdout line is to the report protocol: a report, a malformed report (why), or neither. */
export type ReportLine = { readonly report: Report } | { readonly problem: string } | undefined;

const shown = (value: unknown): string => {
  if (typeof value === 'number') return String(value);
  return JSON.stringify(value) ?? String(value);
};

/**
 * Reads one stdout line as a report. A report is a line holding one JSON object with both a `step` and
 * a `value` field and no `loss` field (a `loss` line is the result, never a report); its other fields
 * are ignored. `step` must be a non-negative integer and `value` a finite number, otherwise the line is
 * a malformed report (`problem` says what is wrong). Any other line is not a report (undefined).
 */
export const parseReportLine = (line: string): ReportLine => {
  const text = line.trim();
  if (!text.startsWith('{') || !text.includes('"step"') || !text.includes('"value"')) return undefined;
  let parsed: unknown;
  try {
    parsed = parseJsonWithNonFinite(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const fields = parsed as Record<string, unknown>;
  if (!('step' in fields) || !('value' in fields) || 'loss' in fields) return undefined;
  const { step, value } = fields;
  if (typeof step !== 'number' || !Number.isSafeInteger(step) || step < 0)
    return {
      problem: `"step" must be a non-negative integer up to 2^53 − 1 (an epoch, an iteration); found ${shown(step)}${
        typeof step === 'number' && Number.isInteger(step) && step > 0
          ? ' (beyond 2^53 − 1, integers lose their exact value)'
          : ''
      }`,
    };
  if (typeof value !== 'number' || !Number.isFinite(value))
    return { problem: `"value" must be a finite number; found ${shown(value)}` };
  return { report: { step, value } };
};

/**
 * Whether a stdout line reads as a report someone meant but is not JSON (`{"step": 1, "value": }`, two reports on
 * one line): not a report, so no pruner sees it; the `command` objective says so once per run.
 */
export const brokenReport = (line: string): boolean => {
  const text = line.trim();
  if (!text.startsWith('{') || !text.includes('"step"') || !text.includes('"value"')) return false;
  try {
    parseJsonWithNonFinite(text);
    return false;
  } catch {
    return true;
  }
};

/** A stdout line that looked like a report but was not a valid one; it fails the trial. */
export class MalformedReportError extends Error {
  constructor(
    readonly line: string,
    readonly problem: string,
  ) {
    // As printed, so it can be found in the program's output (its quotes were JSON-escaped: \"step\").
    super(`malformed report line ${quotedLine(line)}: ${problem}`);
  }
}

/** Reads a program's report lines for one trial and passes them to its evaluation context. */
export interface ReportReader {
  /**
   * Handles one stdout line read at `readAt` (`Date.now()`; now when not given); resolves after a report
   * is stored and the prune decision read.
   */
  readonly onLine: (line: string, readAt?: number) => Promise<void>;
  /** Fires when the pruner says stop (the program is then sent SIGTERM). */
  readonly prune: AbortSignal;
  /** The report at which the pruner said stop, if it did. */
  readonly prunedAt: () => Report | undefined;
  /**
   * The report at which the pruner said stop when the program had already finished on its own (nothing
   * was stopped: its later reports are stored too, and its own result stands).
   */
  readonly prunedLate: () => Report | undefined;
  /**
   * When each report line was read from the program (`Date.now()`), in order: not when it was handled, so
   * reports that came together stay together however long storing the earlier ones took. Those
   * read after a prune are counted too, though not passed on (they tell a burst of buffered output).
   */
  readonly readAt: readonly number[];
}

/**
 * How long a prune decision waits for the program to end when it has already printed a loss: buffered output read all
 * at once as the program ended (Python's `print`, say) brings the loss line before the stream's end, and an instant
 * decision stopped a finished program, its loss lost.
 */
export const LATE_PRUNE_WINDOW_MS = 250;

/**
 * The report side of the `command` objective: each report line is passed to `context.report` (awaited),
 * then `context.shouldPrune()` is asked; when it says stop, `prune` fires and later lines are ignored,
 * unless `finished()` says the program had already finished on its own (see {@link ReportReader.prunedLate}).
 * When `lossLines()` (the loss lines read so far, ahead of the reports handled) is not 0, the program may
 * be ending: the decision waits up to {@link LATE_PRUNE_WINDOW_MS} for `finished()` first.
 * A malformed report line throws {@link MalformedReportError}.
 */
export const createReportReader = (
  context: EvaluationContext,
  finished: () => boolean = () => false,
  lossLines: () => number = () => 0,
): ReportReader => {
  const prune = new AbortController();
  let prunedAt: Report | undefined;
  let prunedLate: Report | undefined;
  const readAt: number[] = [];
  return {
    prune: prune.signal,
    prunedAt: () => prunedAt,
    prunedLate: () => prunedLate,
    readAt,
    onLine: async (line, at) => {
      const read = parseReportLine(line);
      if (read === undefined) return;
      if (prune.signal.aborted) {
        if ('report' in read) readAt.push(at ?? Date.now());
        return;
      }
      if ('problem' in read) throw new MalformedReportError(line, read.problem);
      readAt.push(at ?? Date.now());
      await context.report(read.report.step, read.report.value);
      if (context.shouldPrune()) {
        // A loss line already read (lines are read ahead of the reports handled): the program may have
        // finished, its output buffered and read all at once; a short wait tells, and a program still
        // running (one that prints numbers as it goes, say) is stopped after it.
        if (!finished() && lossLines() > 0) {
          const until = Date.now() + LATE_PRUNE_WINDOW_MS;
          while (!finished() && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 10));
        }
        // Decided when the decision is acted on, not by how the program then ends: one that already exited
        // (or closed its stdout after its loss) has nothing left to stop.
        if (prune.signal.aborted) return;
        if (finished()) {
          prunedLate ??= read.report;
          return;
        }
        prunedAt = read.report;
        prune.abort();
      }
    },
  };
};
