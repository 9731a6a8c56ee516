import { assertOptions } from '../api-options.js';
import { defineReporter } from '../contracts/manifest.js';
import type { Reporter } from '../contracts/reporter.js';
import type { EngineEvent, StopReason, StudySummary } from '../events/engine-event.js';
import { cutShortNote } from '../runtime/summarize.js';
import { countOf, failureNote, printable, shownNumber } from './words.js';

/** Options of the `console` reporter. */
export interface ConsoleReporterOptions {
  /** Print a line per finished trial (default true); the summary is always printed. */
  readonly trials?: boolean;
  /** Where lines go (default `'stdout'`). */
  readonly stream?: 'stdout' | 'stderr';
}

// Review 54: a randint draw showed as 2717060000000000.
const format = (value: unknown): string => (typeof value === 'number' ? shownNumber(value) : JSON.stringify(value));
const formatParams = (params: Readonly<Record<string, unknown>>): string =>
  Object.entries(params)
    .map(([name, value]) => `${name}=${format(value)}`)
    .join(' ');

/** How many characters of one attr's value the summary shows (a whole learning curve would flood it). */
const ATTR_CHARS = 60;

/** A trial's attrs on one line, each value cut to {@link ATTR_CHARS} characters. */
const formatAttrs = (attrs: Readonly<Record<string, unknown>>): string =>
  Object.entries(attrs)
    .map(([name, value]) => {
      // Cut by code points, so a character outside the BMP (an emoji) is never split in two.
      const shown = Array.from(format(value));
      return `${name}=${shown.length > ATTR_CHARS ? `${shown.slice(0, ATTR_CHARS).join('')}…` : shown.join('')}`;
    })
    .join(' ');

/** Why a run stopped, in words, for the reasons whose words are fixed. */
const STOP_WORDS: Readonly<Record<Exclude<StopReason, 'max-trials'>, string>> = {
  'max-seconds': 'its time budget, maxSeconds, ran out',
  'loss-threshold': "its best loss reached the budget's lossThreshold",
  patience: "no better trial within the budget's patience",
  failures: 'too many trials failed in a row',
  stopper: 'its stopper said stop',
  interrupted: 'interrupted',
  error: 'an error',
};

/**
 * Why a run stopped, as its summary says it (`Study NAME stopped (WORDS): ...`), the same in the CLI and the
 * console reporter: a stopper's own words or the failures that stopped it (`stopMessage`), the budget's rule in
 * words; undefined for a run that ran the trials its budget allowed (`max-trials`), which did not stop early.
 */
export const stopWords = (reason: StopReason, stopMessage?: string): string | undefined =>
  reason === 'max-trials'
    ? undefined
    : (reason === 'stopper' || reason === 'failures') && stopMessage !== undefined
      ? stopMessage
      : STOP_WORDS[reason];

/**
 * The final summary as printed: counts, the best trial, its params and its attrs; `reason`, why the run stopped
 * in words ({@link stopWords}), makes its first line `Study NAME stopped (REASON): ...`.
 */
export const formatSummary = (summary: StudySummary, reason?: string): string => {
  const lines = [
    `Study ${summary.study}${reason === undefined ? '' : ` stopped (${reason})`}: ${summary.complete} complete, ${summary.failed} failed` +
      // Trial 126: "11 complete, 23 failed" after a kill read like lost work; 23 were cut off, not failures. "A
      // run", which may be an earlier one (trial 131: "its run" read as this run's doing in every later summary).
      cutShortNote(summary.unfinished ?? 0, summary.failed) +
      (summary.pruned > 0 ? `, ${summary.pruned} pruned` : '') +
      (summary.running > 0 ? `, ${summary.running} running` : ''),
  ];
  if (summary.best === undefined) lines.push('No trial completed.');
  else {
    lines.push(
      `Best trial #${summary.best.number}: loss ${format(summary.best.loss)}  ${formatParams(summary.bestParams ?? {})}`,
    );
    const { attrs } = summary.best;
    if (attrs !== undefined && Object.keys(attrs).length > 0) lines.push(`  attrs: ${formatAttrs(attrs)}`);
  }
  // A stop message quoting an objective's error, names from a store (review 98: the stop line was raw).
  return printable(lines.join('\n'));
};

const describe = (event: EngineEvent): string | undefined => {
  switch (event.type) {
    case 'trial.finished': {
      const { trial } = event;
      const head = `trial #${trial.number}`;
      if (trial.state === 'complete') return `${head} loss ${format(trial.loss)}  ${formatParams(event.params)}`;
      if (trial.state === 'failed')
        return `${head} failed (${trial.error.code}): ${printable(trial.error.message)}${failureNote(trial.error.details, trial.error.message)}`;
      const step = trial.intermediate?.at(-1)?.step;
      return `${head} pruned${step === undefined ? '' : ` at step ${step}`}${trial.loss === undefined ? '' : ` loss ${format(trial.loss)}`}  ${formatParams(event.params)}`;
    }
    case 'study.started':
      // As `resumed` says (a run's --json, the progress reporter): a study the store held resumes, and one with no
      // finished trial yet (made by another worker started together, its trials running there) is said to be there.
      return !event.resumed
        ? `Starting study ${event.study.name}`
        : event.existingTrials > (event.running ?? 0)
          ? `Resuming study ${event.study.name} with ${countOf(event.existingTrials, 'trial')}`
          : `Resuming study ${event.study.name}, which was in the store already (no finished trial yet)`;
    default:
      return undefined;
  }
};

/**
 * What a host imposes on every `console` reporter a config lists, over the config's options. The CLI
 * uses it so that `--quiet` means quiet, `--json` keeps stdout for JSON, and the summary it prints
 * itself is not printed twice.
 */
export interface ConsoleReporterSettings {
  /** Print nothing at all. */
  readonly off?: boolean;
  /** Where lines go, whatever the config says. */
  readonly stream?: 'stdout' | 'stderr';
  /** Print the final summary (default true). */
  readonly summary?: boolean;
}

/** Errors of writing to a reader that went away (`node tune.js | head -3` after three lines). */
const READER_GONE = new Set(['EPIPE', 'ERR_STREAM_DESTROYED', 'ERR_STREAM_WRITE_AFTER_END']);

/**
 * Whether a stream error says its reader went away (`| head -1` closed the pipe: EPIPE, or a write after
 * the stream ended) rather than that writing failed (a full disk): there is nobody left to tell.
 */
export const isReaderGone = (error: { readonly code?: string | undefined }): boolean =>
  READER_GONE.has(error.code ?? '');

/** The streams a console reporter has written to, and whether they broke (one listener each per process). */
const broken = new Map<NodeJS.WriteStream, { gone: boolean }>();

/**
 * Writes a line unless the stream broke. A pipe whose reader went away makes the stream emit `error`,
 * which without a listener ends the process (or, with an objective on this thread, was blamed on the
 * objective once per trial); the first write to a stream adds one listener for the process, which marks
 * it broken: the study goes on, printing nothing more there (its store keeps every trial). Another error
 * (a full disk) is the host's to say when it listens too (the CLI says it once and exits 1); else it is
 * said once here and the process exits 1, not 0: a program whose output failed must not look fine.
 */
const writeLine = (target: NodeJS.WriteStream, line: string): void => {
  let state = broken.get(target);
  if (state === undefined) {
    const known = { gone: false };
    state = known;
    broken.set(target, known);
    const onError = (error: NodeJS.ErrnoException): void => {
      const first = !known.gone;
      known.gone = true;
      // The reader went away, or the host (the CLI) listens too and says it: nothing more to do here.
      if (!first || isReaderGone(error)) return;
      if (target.listeners('error').some((listener) => listener !== onError)) return;
      if (target !== process.stderr)
        process.stderr.write(
          `parzen: writing to stdout failed (${error.message}): the console reporter stopped printing, and the process will exit 1.\n`,
        );
      process.once('exit', (code) => {
        if (code === 0) process.exitCode = 1;
      });
    };
    target.on('error', onError);
  }
  if (state.gone || target.destroyed) return;
  target.write(`${line}\n`);
};

/** The options of the `console` reporter, in a config and in code. */
const CONSOLE_OPTIONS_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    trials: { type: 'boolean', default: true, description: 'Print a line per finished trial.' },
    stream: { enum: ['stdout', 'stderr'], default: 'stdout', description: 'Where its lines go.' },
  },
} as const;

/** A line per trial and a final summary with the best params and loss. */
export const createConsoleReporter = (
  options: ConsoleReporterOptions = {},
  settings: ConsoleReporterSettings = {},
): Reporter => {
  // Options given in code are checked as a config's are (trial 54: `{ trails: false }` printed every trial).
  assertOptions(CONSOLE_OPTIONS_SCHEMA, options, 'console reporter', 'console');
  const stream = settings.stream ?? options.stream;
  const write = (line: string) => writeLine(stream === 'stderr' ? process.stderr : process.stdout, line);
  if (settings.off === true) return { name: 'console', onEvent: () => undefined };
  return {
    name: 'console',
    onEvent: (event) => {
      if (event.type === 'study.finished') {
        if (settings.summary !== false) write(formatSummary(event.summary, stopWords(event.reason, event.stopMessage)));
      } else if (event.type !== 'trial.finished' || options.trials !== false) {
        const line = describe(event);
        // Names and values from a store or an objective (review 98: a forged parameter name was raw).
        if (line !== undefined) write(printable(line));
      }
    },
  };
};

/** The `console` reporter plugin with a host's {@link ConsoleReporterSettings} over each config's options. */
export const consoleReporterManifestWith = (settings: ConsoleReporterSettings = {}) =>
  defineReporter<ConsoleReporterOptions>({
    name: 'console',
    description:
      'Prints a line per trial and a summary at the end (under `parzen run`: the trial lines only, the CLI prints the summary; on stderr with --json; nothing with --quiet).',
    optionsSchema: CONSOLE_OPTIONS_SCHEMA,
    create: (options) => createConsoleReporter(options, settings),
  });

/** The `console` reporter plugin: a line per finished trial and a summary at the end. */
export const consoleReporterManifest = consoleReporterManifestWith();
