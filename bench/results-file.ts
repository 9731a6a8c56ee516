/**
 * What the benchmark scripts that write results files (`tpe-suite.ts`, `tpe-quality.ts`) share: the record of
 * when, at which commit and on what machine a run was made; the refusal of `--write` for a slice without a file
 * of its own; and the hand-written readings of the file a rerun replaces, kept.
 */
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { machineNote } from './run-flags.js';

/** When, at which commit and on what machine a run was made, as its results file and its JSON record it. */
export interface RunRecord {
  /** The day the run started, `YYYY-MM-DD` (UTC). */
  readonly date: string;
  /** The checkout's commit (short hash), with `+dirty` when tracked files differ from it; `unknown` outside git. */
  readonly commit: string;
  /** `2 cores (CPU model), node v20.20.2` */
  readonly machine: string;
  /** The load averages (1, 5 and 15 min) when the run started, and when it ended once it has. */
  readonly load: { readonly start: readonly number[]; readonly end?: readonly number[] };
}

const repository = fileURLToPath(new URL('..', import.meta.url));

/** The checkout's short commit hash, `+dirty` when a tracked file differs from it; `unknown` when git cannot say. */
export const commitOf = (dir: string = repository): string => {
  try {
    const git = (...args: string[]) =>
      execFileSync('git', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const hash = git('log', '-1', '--format=%h');
    return git('status', '--porcelain=v1', '--untracked-files=no') === '' ? hash : `${hash}+dirty`;
  } catch {
    return 'unknown';
  }
};

const loads = (): number[] => loadavg().map((load) => Number(load.toFixed(1)));

/** The record of a run starting now. */
export const startRecord = (): RunRecord => ({
  date: new Date().toISOString().slice(0, 10),
  commit: commitOf(),
  machine: machineNote(),
  load: { start: loads() },
});

/** The same record, with the load averages at its end. */
export const endRecord = (record: RunRecord): RunRecord => ({ ...record, load: { ...record.load, end: loads() } });

/**
 * The record as a results file says it: `2026-12-07, commit 286994b9+dirty; 2 cores (AMD EPYC), node v20.20.2;
 * load average 0.6 / 2.0 / 2.7 at the start, 1.1 / 1.9 / 2.6 at the end`.
 */
export const describeRecord = (record: RunRecord): string => {
  const triple = (values: readonly number[]) => values.map((value) => value.toFixed(1)).join(' / ');
  const end = record.load.end === undefined ? '' : `, ${triple(record.load.end)} at the end`;
  return `${record.date}, commit ${record.commit}; ${record.machine}; load average ${triple(record.load.start)} at the start${end}`;
};

/** How much of a default results file's content a run covers: `flag` chose `chosen` of the file's `whole`. */
export interface SliceOf {
  readonly flag: string;
  readonly chosen: number;
  readonly whole: number;
  /** What is counted: `problems of the half`, `seeds`. */
  readonly what: string;
}

/**
 * Why `--write` without `--out` is refused, or undefined: a run that covers less than the default results file
 * (`file`) holds (fewer problems, seeds or algorithms) would replace that file whole with a slice.
 */
export const sliceRefusal = (file: string, slices: readonly SliceOf[]): string | undefined => {
  const cut = slices.filter((slice) => slice.chosen < slice.whole);
  if (cut.length === 0) return undefined;
  const said = cut.map((slice) => `${slice.flag}: ${slice.chosen} of ${slice.whole} ${slice.what}`).join(', ');
  return `--write without --out would replace ${file}, a full run's file, with a slice (${said}): give --out FILE for the slice's own file, or leave out ${cut.map((slice) => slice.flag).join(' and ')}`;
};

/**
 * The line after which a results file's hand-written readings go: `--write` keeps it and everything after it
 * when it writes the file again, and ends every file it writes with it.
 */
export const READINGS_MARK = '<!-- readings: kept by --write -->';

/**
 * The text `--write` writes over `previous` (the file as it was, undefined when there was none): `generated`,
 * then the mark and the readings after it in `previous`. A previous file without the mark has nothing marked to
 * keep: `warning` then says that its text was replaced whole.
 */
export const withReadings = (
  generated: string,
  previous: string | undefined,
  file: string,
): { text: string; warning?: string } => {
  const lines = (previous ?? '').replace(/\r\n/g, '\n').split('\n');
  const at = lines.findIndex((line) => line.trim() === READINGS_MARK);
  const body = generated.trimEnd();
  if (at >= 0) return { text: `${body}\n\n${lines.slice(at).join('\n').trimEnd()}\n` };
  const text = `${body}\n\n${READINGS_MARK}\n`;
  if (previous === undefined || previous.trim() === '') return { text };
  return {
    text,
    warning: `${file} had no line ${READINGS_MARK}, so nothing in it was kept: its text is replaced whole (git diff shows what went). A reading written after that line, which the new file ends with, is kept by the next --write.`,
  };
};
