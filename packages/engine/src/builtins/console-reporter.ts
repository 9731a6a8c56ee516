import { defineReporter } from '../contracts/manifest.js';
import type { Reporter } from '../contracts/reporter.js';
import type { EngineEvent, StudySummary } from '../events/engine-event.js';
import { countOf, stderrNote } from './words.js';

/** Options of the `console` reporter. */
export interface ConsoleReporterOptions {
  /** Print a line per finished trial (default true); the summary is always printed. */
  readonly trials?: boolean;
  /** Where lines go (default `'stdout'`). */
  readonly stream?: 'stdout' | 'stderr';
}

const format = (value: unknown): string =>
  typeof value === 'number' ? String(Number(value.toPrecision(6))) : JSON.stringify(value);
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
      const shown = format(value);
      return `${name}=${shown.length > ATTR_CHARS ? `${shown.slice(0, ATTR_CHARS)}…` : shown}`;
    })
    .join(' ');

/** The final summary as printed: counts, the best trial, its params and its attrs. */
export const formatSummary = (summary: StudySummary, reason?: string): string => {
  const lines = [
    `Study ${summary.study}${reason === undefined ? '' : ` stopped (${reason})`}: ${summary.complete} complete, ${summary.failed} failed` +
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
  return lines.join('\n');
};

const describe = (event: EngineEvent): string | undefined => {
  switch (event.type) {
    case 'trial.finished': {
      const { trial } = event;
      const head = `trial #${trial.number}`;
      if (trial.state === 'complete') return `${head} loss ${format(trial.loss)}  ${formatParams(event.params)}`;
      if (trial.state === 'failed')
        return `${head} failed (${trial.error.code}): ${trial.error.message}${stderrNote(trial.error.details)}`;
      const step = trial.intermediate?.at(-1)?.step;
      return `${head} pruned${step === undefined ? '' : ` at step ${step}`}${trial.loss === undefined ? '' : ` loss ${format(trial.loss)}`}  ${formatParams(event.params)}`;
    }
    case 'study.started':
      return event.resumed
        ? `Resuming study ${event.study.name} with ${countOf(event.existingTrials, 'trial')}`
        : `Starting study ${event.study.name}`;
    case 'plugin.failed':
      return `plugin ${event.plugin} failed during ${event.phase}: ${event.error.message}`;
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

/** A line per trial and a final summary with the best params and loss. */
export const createConsoleReporter = (
  options: ConsoleReporterOptions = {},
  settings: ConsoleReporterSettings = {},
): Reporter => {
  const stream = settings.stream ?? options.stream;
  const write = (line: string) => (stream === 'stderr' ? process.stderr : process.stdout).write(`${line}\n`);
  if (settings.off === true) return { name: 'console', onEvent: () => undefined };
  return {
    name: 'console',
    onEvent: (event) => {
      if (event.type === 'study.finished') {
        if (settings.summary !== false) write(formatSummary(event.summary, event.stopMessage ?? event.reason));
      } else if (event.type !== 'trial.finished' || options.trials !== false) {
        const line = describe(event);
        if (line !== undefined) write(line);
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
    optionsSchema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        trials: { type: 'boolean', default: true, description: 'Print a line per finished trial.' },
        stream: { enum: ['stdout', 'stderr'], default: 'stdout', description: 'Where its lines go.' },
      },
    },
    create: (options) => createConsoleReporter(options, settings),
  });

/** The `console` reporter plugin: a line per finished trial and a summary at the end. */
export const consoleReporterManifest = consoleReporterManifestWith();
