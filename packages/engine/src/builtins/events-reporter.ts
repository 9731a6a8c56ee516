import { closeSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { assertOptions } from '../api-options.js';
import { endsWithSeparator, resolveConfigPath } from '../config/paths.js';
import { defineReporter } from '../contracts/manifest.js';
import type { Reporter } from '../contracts/reporter.js';
import { describeValue, didYouMean, invalidConfig } from '../errors.js';
import type { EngineEvent, EngineEventType } from '../events/engine-event.js';
import { makeFolder } from '../runtime/make-folder.js';

/** Every event type, as a config may name them (the `EngineEvent` union's `type`s). */
export const EVENT_TYPES: readonly EngineEventType[] = [
  'study.started',
  'trial.started',
  'trial.reported',
  'trial.finished',
  'study.improved',
  'suggestion.explained',
  'study.finished',
  'plugin.failed',
];

/** Options of `{ "use": "events", "options": { "path": "events.jsonl" } }`. */
export interface EventsReporterOptions {
  /** The file the events are appended to, one JSON line each (relative to the config's folder). */
  readonly path: string;
  /** The event types to write (default: every one). */
  readonly types?: readonly EngineEventType[];
}

/** The JSON Schema of the `events` reporter's options. */
const EVENTS_OPTIONS_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['path'],
  properties: {
    path: {
      type: 'string',
      minLength: 1,
      description: "The file the events are appended to, relative to the config's folder (its folder is made).",
    },
    types: {
      type: 'array',
      items: { enum: [...EVENT_TYPES] },
      uniqueItems: true,
      minItems: 1,
      description: 'The event types to write (default: every one).',
    },
  },
} as const;

/** JSON that keeps what JSON cannot say: ±Infinity and NaN as the strings `"Infinity"`, `"-Infinity"`, `"NaN"`. */
const eventJson = (event: EngineEvent): string =>
  JSON.stringify(event, (_, value: unknown) =>
    typeof value === 'number' && !Number.isFinite(value) ? String(value) : value,
  );

/**
 * A reporter that appends each event (or those of `types`) to a file as one JSON line: the run's record for tools, and
 * the one place a config's `"explain": true` shows (no other built-in reporter shows its `suggestion.explained`
 * events). The file is checked at creation (its folder made), opened at a run's first event and closed at its end, and
 * written as each event comes, so a run cut short keeps what it wrote.
 */
export const createEventsReporter = (options: EventsReporterOptions, baseDir = process.cwd()): Reporter => {
  // Options given in code are checked as a config's are (trial 54: `types: ["trial.finish"]` wrote an empty
  // file without a word).
  assertOptions(EVENTS_OPTIONS_SCHEMA, options, 'events reporter', 'events');
  const known: readonly string[] = EVENT_TYPES;
  const unknown = (Array.isArray(options.types) ? (options.types as unknown[]) : []).flatMap((type, index) =>
    typeof type === 'string' && known.includes(type)
      ? []
      : [
          {
            pointer: `/types/${index}`,
            expected: `one of the event types (${EVENT_TYPES.join(', ')})`,
            found: `${describeValue(type)}${typeof type === 'string' ? didYouMean(type, known) : ''}`,
          },
        ],
  );
  if (unknown.length > 0) throw invalidConfig('options for the events reporter', unknown);
  // A folder's path names no file (review 89: `sub/dir/` made a file `dir` from code).
  if (endsWithSeparator(options.path))
    throw invalidConfig('options for the events reporter', [
      {
        pointer: '/path',
        expected: 'a file the events can be appended to',
        found: `"${options.path}", a folder's path (it ends with a slash)`,
      },
    ]);
  const path = resolveConfigPath(baseDir, options.path);
  const wanted = new Set<string>(options.types ?? EVENT_TYPES);
  // Opened to check it now (closed at once: one made and never used held its file open, trial 73), then
  // for each run at its first event and closed at its end: one reporter serves runs one after another, and
  // runs at once (one that ends first closes it; the next event of another opens it again), appending.
  let fd: number | undefined;
  try {
    makeFolder(dirname(path));
    closeSync(openSync(path, 'a'));
  } catch (error) {
    // Said as the option's fault (review 40: Node's bare EISDIR), with what was found there.
    const code = (error as NodeJS.ErrnoException).code;
    const found =
      code === 'EISDIR' ? `a folder at ${path}` : `${path}, which cannot be written (${(error as Error).message})`;
    throw invalidConfig('options for the events reporter', [
      { pointer: '/path', expected: 'a file the events can be appended to', found },
    ]);
  }
  return {
    name: 'events',
    onEvent: (event) => {
      if (!wanted.has(event.type)) return;
      try {
        fd ??= openSync(path, 'a');
      } catch (error) {
        // Its folder removed since, say: said as the file's, the run's warning names the reporter (review 80).
        throw new Error(`cannot append to ${path}: ${(error as Error).message}`);
      }
      writeSync(fd, `${eventJson(event)}\n`);
    },
    end: () => {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
};

/** The `events` reporter plugin (see {@link createEventsReporter}). */
export const eventsReporterManifest = defineReporter<EventsReporterOptions>({
  name: 'events',
  description:
    'Appends each event of the run to a file as one JSON line (the suggestion.explained events of "explain": true among them; ±Infinity and NaN written as strings).',
  optionsSchema: EVENTS_OPTIONS_SCHEMA,
  create: (options, context) => createEventsReporter(options, context.baseDir),
});
