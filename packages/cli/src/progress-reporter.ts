import type { Direction, EngineEvent, Reporter } from '@parzen/engine';
import { countOf, failureNote, printable } from '@parzen/engine/host';
import { defineReporter, isBetter } from '@parzen/engine/plugin';
import { Presets, SingleBar } from 'cli-progress';
import { formatNumber } from './format-number.js';

/**
 * `auto`: a bar on a terminal (not in CI, not with `TERM=dumb`), plain lines otherwise; `bar`: a bar on any terminal,
 * plain lines where there is none (a pipe, a file); `off` prints nothing.
 */
export type ProgressMode = 'auto' | 'bar' | 'lines' | 'off';

/** Options of `{ "use": "progress" }` in a config. */
export interface ProgressOptions {
  /** How progress is shown ({@link ProgressMode}); default `auto`. */
  readonly mode: ProgressMode;
}

/** What the CLI decides for every progress reporter of a run (`--quiet` forces `off`). */
export interface ProgressSettings {
  /** The mode every progress reporter takes whatever its config says (`off` under `--quiet`); unset: the config's. */
  readonly force?: ProgressMode;
  /** Where progress is written; default stderr. */
  readonly stream?: NodeJS.WriteStream;
  /** The command that lists the run's trials, named under its first failure (`parzen trials tune.json`). */
  readonly trialsCommand?: string;
}

interface ProgressState {
  total: number | undefined;
  done: number;
  failed: number;
  pruned: number;
  direction: Direction;
  bestValue: number | undefined;
  best: string;
}

const initialState = (): ProgressState => ({
  total: undefined,
  done: 0,
  failed: 0,
  pruned: 0,
  direction: 'minimize',
  bestValue: undefined,
  best: '-',
});

const describeTrial = (event: Extract<EngineEvent, { type: 'trial.finished' }>): string => {
  const { trial } = event;
  if (trial.state === 'complete') return `trial #${trial.number} complete, loss ${formatNumber(trial.loss)}`;
  if (trial.state === 'failed')
    return `trial #${trial.number} failed (${trial.error.code}): ${printable(trial.error.message)}${failureNote(trial.error.details, trial.error.message)}`;
  const step = trial.intermediate?.at(-1)?.step;
  return `trial #${trial.number} pruned${step === undefined ? '' : ` at step ${step}`}${trial.loss === undefined ? '' : `, loss ${formatNumber(trial.loss)}`}`;
};

/** `[3/20 trials, ...]`: the noun agrees with the total when there is one (`1/1 trial`), else with the count. */
const counts = (state: ProgressState): string => {
  // Past the limit (a worker whose own limit was higher, --more-trials) the count is not a fraction of it.
  const done =
    state.total === undefined
      ? countOf(state.done, 'trial')
      : state.done > state.total
        ? `${countOf(state.done, 'trial')} (limit ${state.total})`
        : `${state.done}/${countOf(state.total, 'trial')}`;
  return `[${done}, ${state.failed} failed${state.pruned > 0 ? `, ${state.pruned} pruned` : ''}, best ${state.best}]`;
};

const update = (state: ProgressState, event: EngineEvent): void => {
  if (event.type === 'study.started') {
    // Counts and best start from the study's (earlier runs included, as the summary's); then this process's
    // own finished trials add to them, and each trial's start brings in the other workers' (below).
    state.total = event.maxTrials;
    // Finished ones: other workers' running trials count once they finish (review 60: a worker that joined
    // four running trials counted them done, and showed 6/6 with 2 finished).
    state.done = event.existingTrials - (event.running ?? 0);
    state.failed = event.failed;
    state.pruned = event.pruned;
    state.direction = event.study.direction;
    if (event.best !== undefined) {
      state.bestValue = event.best.loss;
      state.best = `${formatNumber(event.best.loss)} (#${event.best.number})`;
    }
  } else if (event.type === 'trial.started' && event.studyTrials !== undefined) {
    // The study as this trial's suggestion saw it: other workers' finished trials count too (trial 56: a
    // worker of four showed its own count and best). Never back: this process's own finished trials may be
    // newer than the snapshot.
    const study = event.studyTrials;
    state.done = Math.max(state.done, study.finished);
    state.failed = Math.max(state.failed, study.failed);
    state.pruned = Math.max(state.pruned, study.pruned);
    if (study.best !== undefined && isBetter(study.best.loss, state.bestValue, state.direction)) {
      state.bestValue = study.best.loss;
      state.best = `${formatNumber(study.best.loss)} (#${study.best.number})`;
    }
  } else if (event.type === 'trial.finished') {
    const { trial } = event;
    state.done += 1;
    if (trial.state === 'failed') state.failed += 1;
    if (trial.state === 'pruned') state.pruned += 1;
    // Tracked here rather than from `study.improved`, which comes after the trial's line.
    if (trial.state === 'complete' && isBetter(trial.loss, state.bestValue, state.direction)) {
      state.bestValue = trial.loss;
      state.best = `${formatNumber(trial.loss)} (#${trial.number})`;
    }
  }
};

/** How the next run takes `count` waiting enqueued entries: `the 2 enqueued entries waiting first`. */
export const waitingFirst = (count: number): string =>
  `the ${count === 1 ? 'enqueued entry' : `${count} enqueued entries`} waiting first`;

/** The line a study's start is said with: `Resuming study heart (16 trials so far, up to 18 trials)`. */
const startLine = (state: ProgressState, event: Extract<EngineEvent, { type: 'study.started' }>): string => {
  const limit =
    state.total === undefined
      ? ''
      : event.moreTrials === 0
        ? ', --more-trials 0: nothing to run'
        : event.existingTrials >= state.total
          ? `, ${event.existingTrials > state.total ? 'past' : 'at'} its limit of ${countOf(state.total, 'trial')}: nothing to run; ${
              // With moreTrials too, maxTrials is the limit reached (review 64: the hint said to give --more-trials).
              event.moreTrials === undefined
                ? '--more-trials N runs N more'
                : `its maxTrials (${state.total}) stops it before the ${event.moreTrials} more asked for: raise it, or leave it out`
            }${event.waitingEntries === undefined ? '' : `, ${waitingFirst(event.waitingEntries)}`}`
          : `, up to ${countOf(state.total, 'trial')}`;
  return (
    // Running ones said apart: the progress counts finished trials (trial 101: 9 so far, then [8/60]). A study the
    // store held already is resumed, as `--json`'s `resumed` says; with no finished trial yet (another worker, or a
    // run stopped before its first trial, made it), the line says why there is nothing to resume yet ("Starting"
    // beside `"resumed": true` read as two answers to one question).
    `${event.resumed ? 'Resuming' : 'Starting'} study ${event.study.name}${event.resumed && event.existingTrials <= (event.running ?? 0) ? ', which was in the store already' : ''} (${countOf(event.existingTrials, 'trial')} so far${
      // "Marked": a trial whose worker is gone (its result in a rescue file) is counted too, and the warning above
      // says so; "running in other workers" read as if one still ran it.
      (event.running ?? 0) > 0
        ? `, ${event.running} of them marked running (${event.running === 1 ? 'by another worker, or one that is gone' : 'by other workers, or ones that are gone'})`
        : ''
    }${limit}${event.maxSeconds === undefined ? '' : `, time budget ${event.maxSeconds} s`})`
  );
};

const linesReporter = (stream: NodeJS.WriteStream): Reporter => {
  const state = initialState();
  // What a store or an objective gives (a study's name, an error) as a terminal shows it (review 98).
  const write = (line: string) => stream.write(`${printable(line)}\n`);
  return {
    name: 'progress',
    onEvent: (event) => {
      update(state, event);
      if (event.type === 'study.started') {
        write(startLine(state, event));
      } else if (event.type === 'trial.finished') write(`${describeTrial(event)}  ${counts(state)}`);
      // A plugin.failed event is said by the run's warning (the bus says each, heard or not).
    },
  };
};

/** The bars being drawn, so that a note can be written below them. */
const drawing = new Set<{ pause(): void }>();

/**
 * Pauses every progress bar being drawn, leaving its last state on its line, so that the note written next
 * (Ctrl-C's, a warning) starts below it; a paused bar is drawn again, below the note, when its next trial
 * finishes. A bar puts the cursor back where it began when it stops, so a note written while it was drawn
 * was overwritten by what came after (the summary over the Ctrl-C notice, the bar redrawn after
 * the summary).
 */
export const pauseProgressBars = (): void => {
  for (const bar of drawing) bar.pause();
};

/** A duration as the bar shows it: `45s`, `1m10s`, `2h05m`. */
export const formatEta = (ms: number): string => {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(seconds / 3600)}h${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}m`;
};

/** What the bar writes after its blocks: about 60 cells (the best loss and the ETA vary). */
const BAR_TEXT = '{value}/{total} {trials} | {failed} failed | best {best} | ETA {left}';

/**
 * The bar's blocks for a terminal `columns` wide: 40, fewer so the counts, best loss and ETA fit beside them, none
 * below 70 columns (on 40 columns, 97 cells written with wrapping off show only the blocks).
 */
export const barBlocks = (columns: number | undefined): number =>
  columns === undefined || !(columns > 0) ? 40 : columns < 70 ? 0 : Math.min(40, columns - 60);

/**
 * Whether the locale's character set is UTF-8, as the C library picks the locale: the first of `LC_ALL`,
 * `LC_CTYPE` and `LANG` that is set and not empty (none: the "C" locale, ASCII). On Windows, whose console
 * takes Unicode whatever they say, yes.
 */
export const utf8Locale = (env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): boolean => {
  if (platform === 'win32') return true;
  const locale = [env.LC_ALL, env.LC_CTYPE, env.LANG].find((value) => value !== undefined && value !== '');
  return locale !== undefined && /utf-?8/i.test(locale);
};

/**
 * The bar's characters: Unicode blocks and an en dash for "no ETA yet" in a UTF-8 locale, ASCII otherwise
 * (trial 159: `LANG=C` on a serial console or a CI log viewer showed the blocks as mojibake).
 */
const barGlyphs = (env: NodeJS.ProcessEnv) =>
  utf8Locale(env) ? { ...Presets.shades_classic, noEta: '–' } : { ...Presets.legacy, noEta: '-' };

const barReporter = (stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv, trialsCommand: string): Reporter => {
  const state = initialState();
  const blocks = barBlocks(stream.columns);
  const { noEta, ...glyphs } = barGlyphs(env);
  const bar = new SingleBar(
    {
      stream,
      format: blocks === 0 ? BAR_TEXT : `{bar} ${BAR_TEXT}`,
      ...(blocks === 0 ? {} : { barsize: blocks }),
      hideCursor: true,
    },
    glyphs,
  );
  let started = false;
  let paused = false;
  const shownCodes = new Set<string>();
  const handle = {
    pause: () => {
      if (started && !paused) bar.stop();
      paused = true;
    },
  };
  // The ETA from this run's own pace: none before its first trial finishes (trial 35: a resumed study's
  // bar said "ETA 0s" then, from the earlier runs' trials counted as done at once).
  let startedAt = 0;
  let doneAtStart = 0;
  const eta = (): string => {
    const done = state.done - doneAtStart;
    if (state.total === undefined || done <= 0) return noEta;
    return formatEta((Math.max(0, state.total - state.done) * (Date.now() - startedAt)) / done);
  };
  // The noun agrees with the total the bar shows (the budget, or the trials done once past it).
  const payload = () => ({
    trials: Math.max(state.total ?? 0, state.done) === 1 ? 'trial' : 'trials',
    failed: state.failed,
    best: state.best,
    // Not `eta`: cli-progress fills that token itself.
    left: eta(),
  });
  return {
    name: 'progress',
    onEvent: (event) => {
      update(state, event);
      if (event.type === 'study.started') {
        // Above the bar, as the lines say it (trial 125: a terminal never saw that a study was resumed, nor its limit).
        stream.write(`${printable(startLine(state, event))}\n`);
        started = true;
        startedAt = Date.now();
        doneAtStart = state.done;
        bar.start(state.total ?? 0, state.done, payload());
        paused = false;
        drawing.add(handle);
      } else if (event.type === 'trial.finished') {
        if (!started) return;
        // The first failure of each kind above the bar (trial 40: on a terminal a failing branch showed only as
        // a count, its reason nowhere); an interrupted trial is the user's own Ctrl-C.
        const { trial } = event;
        if (trial.state === 'failed' && trial.error.code !== 'INTERRUPTED' && !shownCodes.has(trial.error.code)) {
          shownCodes.add(trial.error.code);
          handle.pause();
          stream.write(
            `${printable(describeTrial(event))}${shownCodes.size === 1 ? `\n  (the first failure of each kind is shown; \`${trialsCommand}\` lists them all)` : ''}\n`,
          );
        }
        if (state.total !== undefined && state.done > state.total) bar.setTotal(state.done);
        if (paused) {
          // Drawn again below the notes written while it was paused.
          bar.start(Math.max(state.total ?? 0, state.done), state.done, payload());
          paused = false;
        } else bar.update(state.done, payload());
      }
      // A plugin.failed event is said by the run's warning, written below the bar (see pauseProgressBars).
    },
    end: () => {
      if (started && !paused) bar.stop();
      started = false;
      drawing.delete(handle);
    },
  };
};

/**
 * Whether `auto` draws a bar on `stream`: a terminal, but not a CI job's (`CI` set, as every CI service sets
 * it: some give jobs a pseudo-terminal) nor one that cannot move the cursor (`TERM=dumb`): their logs would get
 * escape codes and no line per trial.
 */
export const drawsBar = (stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): boolean => {
  const inCi = !['', '0', 'false'].includes((env.CI ?? '').toLowerCase());
  return stream.isTTY === true && !inCi && env.TERM !== 'dumb';
};

/** The progress reporter: a cli-progress bar (done/total, failures, best loss, ETA) or one line per trial. */
export const createProgressReporter = (
  mode: ProgressMode,
  stream: NodeJS.WriteStream = process.stderr,
  /** The environment `auto` reads `CI` and `TERM` from, and the bar the locale (`LC_ALL`, `LC_CTYPE`, `LANG`). */
  env: NodeJS.ProcessEnv = process.env,
  /** The command that lists the trials, with the run's config file (`parzen trials CONFIG` without one). */
  trialsCommand = 'parzen trials CONFIG',
): Reporter => {
  if (mode === 'off') return { name: 'progress', onEvent: () => undefined };
  // `bar` asked for where there is no terminal (a pipe, a file, a CI log) gives lines, as `auto` does there: a bar
  // drawn with cursor moves into a log showed no trial at all. On a terminal, `bar` is drawn even in CI.
  const bar = stream.isTTY === true && (mode === 'bar' || (mode === 'auto' && drawsBar(stream, env)));
  return bar ? barReporter(stream, env, trialsCommand) : linesReporter(stream);
};

/** `{ "use": "progress", "options": { "mode": "auto" } }`, with the CLI's `--quiet` applied. */
export const progressReporterManifest = (settings: ProgressSettings = {}) =>
  defineReporter<ProgressOptions>({
    name: 'progress',
    description:
      'Progress on stderr: a bar on a terminal (trials, failures, best loss, ETA; the first failure of each kind written above it), else (a pipe, a file, CI, TERM=dumb) a line per trial.',
    optionsSchema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        mode: {
          enum: ['auto', 'bar', 'lines', 'off'],
          default: 'auto',
          description:
            'auto: a bar on a terminal (not in CI, not with TERM=dumb), else a line per trial; bar: a bar on any terminal (CI and TERM=dumb too), a line per trial where stderr is no terminal (a pipe, a file); lines; or off.',
        },
      },
    },
    create: (options) =>
      createProgressReporter(settings.force ?? options.mode, settings.stream, process.env, settings.trialsCommand),
  });
