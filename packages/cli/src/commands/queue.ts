import { existsSync } from 'node:fs';
import {
  configEntryKeys,
  configEntryOf,
  openStudyScope,
  removeEnqueuedEntries,
  shellQuoted,
  withCleanup,
} from '@parzen/engine/host';
import {
  type CompiledSpace,
  canonicalJson,
  compileSpace,
  configErrorUnder,
  type EnqueuedParams,
  type EnqueuedSelector,
  formatIssues,
  ParzenError,
  storeUnsupported,
  toExternalParams,
  toInternalParams,
} from '@parzen/engine/plugin';
import { storeFlagWords } from '../command-words.js';
import { forConfig } from '../config-problems.js';
import { CliError } from '../exit-codes.js';
import { askedByRun, StudyMissing } from '../missing-study.js';
import type { Output } from '../output.js';
import { noPickedRun, pickedRun } from '../pick-run.js';
import { type PreparedRun, prepareRuns } from '../prepare-runs.js';
import { parseStoreSpec, throwOfStoreFlag } from '../store-spec.js';
import { openStudyRecord } from '../study-trials.js';
import { formatTable } from '../text-table.js';
import { storeFlagStudy } from './inspect.js';

/** Flags of `parzen queue`. */
export interface QueueFlags {
  /** Keys of waiting entries to take out of the queue. */
  readonly remove?: readonly string[];
  /** Params (JSON objects, as the listing shows them): every waiting entry with exactly these is taken out. */
  readonly removeParams?: readonly string[];
  /** Take out every waiting entry an earlier config's `enqueue` list queued that this config's no longer has. */
  readonly removeUnlisted?: boolean;
  readonly store?: string;
  readonly study?: string;
  readonly json?: boolean;
}

/** A waiting (or removed) entry as `--json` gives it. */
interface EntryJson {
  readonly params: Readonly<Record<string, unknown>>;
  /** Null for an entry queued without a key (every key is always there, for a script's `.key`). */
  readonly key: string | null;
  /** An entry an earlier config's `enqueue` list queued that this config's list no longer has. */
  readonly unlisted: boolean;
}

/** The one study of the config the command works on (a matrix's by `--study`). */
const studyOf = (path: string, runs: readonly PreparedRun[], study: string | undefined): PreparedRun => {
  const run = pickedRun(runs, study);
  if (run !== undefined) return run;
  throw noPickedRun(path, runs, study);
};

/** The study `parzen queue` works on: as its store keeps it, the entries waiting, and where to write. */
interface QueueTarget {
  /** The study's name. */
  readonly study: string;
  /** Its space as the study keeps it (a config edited since decodes the entries as the study was run). */
  readonly space: CompiledSpace;
  readonly waiting: readonly EnqueuedParams[];
  /**
   * The config, with the keys its `enqueue` list queues, and its entries the store has not queued yet (a run of it
   * queues them when it starts); none with `--store` alone.
   */
  readonly config?: {
    readonly path: string;
    readonly listed: ReadonlySet<string>;
    readonly unqueued: readonly EntryJson[];
  };
  /** The experiment whose store a removal opens for writing (its `store` choice). */
  readonly experiment: PreparedRun['experiment'];
}

/**
 * `parzen queue [config]`: the enqueued entries waiting in the config's study (or, with `--store` alone, the store's
 * study: `--study`, or its only one), in the order they are handed out, each with its key, shown as a POSIX shell
 * reads it back (a config's key has `"` and braces, which the shell takes from a key pasted bare); `--remove KEY`,
 * `--remove-params JSON` and `--remove-unlisted` take waiting entries out of the queue, all or none (see
 * `TrialStore.removeEnqueued`). Read-only without them; with them the store is opened for writing only when there is
 * something to remove, so a study or store that is not there is never created.
 */
export const showQueue = async (
  path: string | undefined,
  flags: QueueFlags,
  output: Output,
  /** Words given after the config: none is expected. */
  extra: readonly string[] = [],
): Promise<number> => {
  refuseExtraWords(path, extra, flags);
  if (path !== undefined)
    return forConfig(path, async () => listAndRemove(await configTarget(path, flags), flags, output));
  if (flags.store === undefined)
    throw new CliError(
      'Give a config, or --store SPEC (e.g. parzen queue --store jsonl:./study.parzen.jsonl), with --study NAME when the store holds several studies.',
    );
  if (flags.removeUnlisted === true)
    throw new CliError(
      "--remove-unlisted takes out the entries an earlier config queued that a config's enqueue list no longer has: give that config (parzen queue CONFIG --remove-unlisted).",
    );
  const { study, experiment } = await storeFlagStudy(flags.store, flags.study, output);
  if (study.waiting === undefined)
    throw storeUnsupported(experiment.config.store.use, 'list enqueued entries', 'listEnqueued');
  return listAndRemove(
    { study: study.record.name, space: study.space, waiting: study.waiting, experiment },
    flags,
    output,
  );
};

/** The config's study (a matrix's by `--study`), read from its store (or `--store`'s). */
const configTarget = async (path: string, flags: QueueFlags): Promise<QueueTarget> => {
  const runs = await prepareRuns([path], {
    progress: { force: 'off' },
    reportersIdle: true,
    ...(flags.store === undefined ? {} : { overrides: { store: parseStoreSpec(flags.store) } }),
  });
  const run = studyOf(path, runs, flags.study);
  const { experiment } = run;
  const { config } = experiment;
  const entries = config.enqueue ?? [];
  const read = await openStudyRecord(experiment, true, undefined, askedByRun(run, flags))
    .catch(beforeFirstRun(path, entries.length))
    .catch(throwOfStoreFlag(flags.store));
  if (read.waiting === undefined) throw storeUnsupported(config.store.use, 'list enqueued entries', 'listEnqueued');
  // The keys the store has seen: it queues none of them again (waiting, taken by a trial, or taken out of the queue).
  const seen = new Set(
    [...read.waiting, ...(read.taken ?? []), ...(read.removed ?? [])].flatMap((entry) => entry.key ?? []),
  );
  const keys = configEntryKeys(entries);
  return {
    study: config.name,
    space: compileSpace(read.study.space, '', { stored: true }),
    waiting: read.waiting,
    config: {
      path,
      listed: new Set(keys),
      unqueued: entries.flatMap((entry, index) =>
        seen.has(keys[index] as string) ? [] : [{ params: entry, key: keys[index] as string, unlisted: false }],
      ),
    },
    experiment,
  };
};

/**
 * A study no run has made yet, of a config that lists `enqueue` entries: said with them (trial 162: before the first
 * run the config's entries were not mentioned), since they are queued when a run starts.
 */
const beforeFirstRun =
  (path: string, count: number) =>
  (error: unknown): never => {
    if (count === 0 || !(error instanceof StudyMissing)) throw error;
    throw new StudyMissing(
      {
        ...error.facts,
        after: `${path} lists ${entries(count)} to enqueue: a run of it queues ${count === 1 ? 'it' : 'them'} when it starts, to run before any sampled trial.`,
      },
      error,
    );
  };

/** Lists the target's queue, after taking out what the flags say. */
const listAndRemove = async (target: QueueTarget, flags: QueueFlags, output: Output): Promise<number> => {
  const { study, space, config } = target;
  const listed = config?.listed ?? new Set<string>();
  const unlisted = (key: string | undefined) =>
    config !== undefined && key !== undefined && configEntryOf(key) !== undefined && !listed.has(key);
  const asJson = (entry: EnqueuedParams): EntryJson => ({
    params: toExternalParams(space, entry.internal),
    key: entry.key ?? null,
    unlisted: unlisted(entry.key),
  });
  refuseQuotesTaken(flags.remove ?? [], target.waiting);
  const keys = [
    ...new Set([
      ...(flags.remove ?? []),
      ...(flags.removeUnlisted === true
        ? target.waiting.flatMap((entry) => (unlisted(entry.key) ? [entry.key as string] : []))
        : []),
    ]),
  ];
  const selectors: EnqueuedSelector[] = [
    ...keys.map((key) => ({ key })),
    ...(flags.removeParams ?? []).map((text) => paramsSelector(space, study, text)),
  ];
  let removed: readonly EnqueuedParams[] = [];
  let waiting = target.waiting;
  // The flag each selector came from, which a refusal's issues name (trial 167: `/0` read as a place in the config).
  const flagOf = (index: number): string => {
    const key = keys[index];
    if (key === undefined) return `--remove-params ${(flags.removeParams ?? [])[index - keys.length] ?? ''}`;
    return (flags.remove ?? []).includes(key) ? `--remove ${key}` : '--remove-unlisted';
  };
  if (selectors.length > 0)
    ({ removed, waiting } = await removeEntries(target, flags, selectors, output).catch((error: unknown) => {
      throw error instanceof ParzenError && error.code === 'ENTRY_NOT_WAITING'
        ? new ParzenError(error.code, error.message, {
            issues: error.issues.map((issue) => ({
              ...issue,
              pointer: '',
              found: `${flagOf(Number(issue.pointer.slice(1)))}: ${issue.found}`,
            })),
          })
        : error;
    }));
  const say = (line: string) => (flags.json === true ? output.note(line) : output.result(line));
  if (flags.removeUnlisted === true && selectors.length === 0)
    say(
      `study ${study}: no waiting entry is one an earlier config queued that ${config?.path} no longer lists; nothing was removed.`,
    );
  if (removed.length > 0)
    say(
      `Removed ${entries(removed.length)} from the queue of study ${study}: ${removed.map((entry) => shown(asJson(entry))).join(', ')}.`,
    );
  // Removed, yet still in the config's list: a run of it does not queue it again (`parzen validate` counts it removed).
  const stillListed = removed.filter((entry) => entry.key !== undefined && listed.has(entry.key));
  if (stillListed.length > 0) {
    const one = stillListed.length === 1;
    output.note(
      `parzen: note: ${config?.path}'s enqueue list still has ${stillListed.map((entry) => JSON.stringify(asJson(entry).params)).join(', ')}: a run of it does not queue ${one ? 'it' : 'them'} again (${one ? 'its key stays' : 'their keys stay'} queued); take ${one ? 'it' : 'them'} out of the list too.`,
    );
  }
  // The config's entries the store has not queued yet (trial 162: "no enqueued entry waits" before the first run
  // of a config listing two): a run of the config queues them when it starts.
  const unqueued = config?.unqueued ?? [];
  const toQueue =
    unqueued.length === 0
      ? ''
      : `${config?.path} lists ${entries(unqueued.length)} not queued yet: a run of it queues ${unqueued.length === 1 ? 'it' : 'them'} when it starts (${unqueued.map((entry) => JSON.stringify(entry.params)).join(', ')})`;
  if (waiting.length === 0) say(`study ${study}: no enqueued entry waits${toQueue === '' ? '' : `; ${toQueue}`}.`);
  else {
    say(
      `study ${study}: ${entries(waiting.length)} ${waiting.length === 1 ? 'waits' : 'wait'}, handed out in this order:`,
    );
    const rows = waiting.map((entry, index) => {
      const row = asJson(entry);
      return [
        String(index + 1),
        JSON.stringify(row.params),
        row.key === null ? '' : shellQuoted(row.key),
        row.unlisted ? `not in ${config?.path}'s enqueue list` : '',
      ];
    });
    say(formatTable(['#', 'params', 'key', ''], rows, new Set([0])));
    if (selectors.length === 0)
      for (const line of howToRemove(commandOf(config?.path, flags), waiting.map(asJson))) say(line);
    if (toQueue !== '') say(`Also, ${toQueue}, after those waiting.`);
  }
  if (flags.json === true)
    output.result(
      JSON.stringify({
        study,
        waiting: waiting.map(asJson),
        removed: removed.map(asJson),
        ...(config === undefined ? {} : { unqueued }),
      }),
    );
  return 0;
};

/**
 * Refuses words that are no config (the command takes one, or none with `--store`), naming a key the shell split
 * apart: bash's brace expansion makes two words of `--remove enqueue:{"model":"tree","x":0.2}#0` given without
 * quotes (`enqueue:model:tree#0 enqueue:x:0.2#0`), the second taken for the config, or past it.
 */
const refuseExtraWords = (path: string | undefined, extra: readonly string[], flags: QueueFlags): void => {
  const keyLike = (word: string) => /^enqueue:.*#\d+$/s.test(word);
  // With --store and --remove, a word where no config file is may be the rest of a key split at a space (trial 160:
  // `--remove quarter, adam?` was "adam?: no such config file").
  const splitRest =
    path !== undefined && flags.store !== undefined && (flags.remove?.length ?? 0) > 0 && !existsSync(path);
  const stray = [...(path !== undefined && (keyLike(path) || splitRest) && !existsSync(path) ? [path] : []), ...extra];
  if (stray.length === 0) return;
  // Brace expansion leaves no brace in a piece.
  const piece = (word: string) => keyLike(word) && !word.includes('{');
  const pieces = stray.some(piece) ? [...(flags.remove ?? []), ...stray].filter(piece) : [];
  const quoted = (words: readonly string[]) => words.map((word) => `\`${word}\``).join(', ');
  throw new CliError(
    pieces.length > 0
      ? `the shell split a key given without quotes (at the comma between its braces): ${quoted(pieces)} are its pieces. Give the key in single quotes, as \`parzen queue\` shows it (e.g. --remove 'enqueue:{"model":"tree","x":0.2}#0').`
      : `queue takes one config${flags.store === undefined ? '' : ' (or none, with --store)'}, and got ${quoted(stray)} besides. If that is the rest of a key the shell split at a space, give the key in single quotes, as \`parzen queue\` shows it; a config is one word (a path with spaces goes in quotes).`,
  );
};

const entries = (count: number): string => (count === 1 ? '1 entry' : `${count} entries`);

/** An entry as a sentence names it: its params, and its key when it has one (as the listing shows it). */
const shown = (entry: EntryJson): string =>
  `${JSON.stringify(entry.params)}${entry.key === null ? '' : ` (key ${shellQuoted(entry.key)})`}`;

/** The command line that lists this queue again, as the user gave it (each argument quoted for the shell). */
const commandOf = (path: string | undefined, flags: QueueFlags): string =>
  [
    'parzen queue',
    ...(path === undefined ? [] : [shellQuoted(path)]),
    ...(flags.store === undefined ? [] : [storeFlagWords(flags.store)]),
    ...(flags.study === undefined ? [] : [`--study ${shellQuoted(flags.study)}`]),
  ].join(' ');

/**
 * How to take the listed entries out, each a command that can be pasted into a shell (review 151: a key pasted as
 * the listing showed it lost its double quotes, or was split in two by the shell's brace expansion): by the key of
 * the first that has one, quoted; by the params of the first without one; the marked ones all at once.
 */
const howToRemove = (command: string, waiting: readonly EntryJson[]): string[] => {
  const keyed = waiting.find((entry) => entry.key !== null);
  const keyless = waiting.find((entry) => entry.key === null);
  const marked = waiting.some((entry) => entry.unlisted);
  return [
    ...(keyed === undefined
      ? []
      : [
          `Take one out by its key, in the quotes shown: \`${command} --remove ${shellQuoted(keyed.key as string)}\`${marked ? '; those the config no longer lists, all at once, with --remove-unlisted' : ''}.`,
        ]),
    ...(keyless === undefined
      ? []
      : [
          `An entry without a key, by its params (every waiting entry with exactly these): \`${command} --remove-params ${shellQuoted(JSON.stringify(keyless.params))}\`.`,
        ]),
  ];
};

/**
 * Refuses a `--remove` key that is no waiting entry's, but is one once its double quotes are taken out: the shell
 * took them from a key given without single quotes (`--remove enqueue:{"x":0.7}#0` reaches Parzen as
 * `enqueue:{x:0.7}#0`), and the refusal's "none was queued with it" would mislead.
 */
const refuseQuotesTaken = (keys: readonly string[], waiting: readonly EnqueuedParams[]): void => {
  for (const key of keys) {
    if (waiting.some((entry) => entry.key === key)) continue;
    const meant = waiting.find((entry) => entry.key !== undefined && entry.key.replaceAll('"', '') === key)?.key;
    if (meant !== undefined)
      throw new CliError(
        `--remove ${key}: no entry waits with this key; did you mean ${shellQuoted(meant)}? The shell took the key's double quotes: give it in single quotes, as \`parzen queue\` shows it.`,
      );
  }
};

/** The selector of `--remove-params TEXT`: its params (a JSON object, as the listing shows them), checked. */
const paramsSelector = (space: CompiledSpace, study: string, text: string): EnqueuedSelector => {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CliError(
      `--remove-params ${text}: not JSON. Give the entry's params as \`parzen queue\` shows them, a JSON object in single quotes: --remove-params '{"x":0.25}'.`,
    );
  }
  const { internal, issues } = toInternalParams(space, value, '', { partial: true });
  if (issues.length > 0)
    throw new CliError(
      `--remove-params ${text}: no entry of study ${study} can have these params:\n${formatIssues(issues)}`,
    );
  return { internal };
};

/**
 * Takes the entries `selectors` pick out of the study's queue, in a store opened for writing (see
 * `removeEnqueuedEntries`); resolves to those removed and the entries waiting after (as the store lists them then).
 */
const removeEntries = async (
  target: QueueTarget,
  flags: QueueFlags,
  selectors: readonly EnqueuedSelector[],
  output: Output,
): Promise<{ readonly removed: readonly EnqueuedParams[]; readonly waiting: readonly EnqueuedParams[] }> => {
  const warn = (message: string) => output.note(`parzen: warning: ${message}`);
  const { experiment, study, space } = target;
  const scope = await openStudyScope(experiment);
  try {
    // Its config errors where run and validate say them: under /store/options, or of the --store flag.
    const store = await scope.create('store', experiment.config.store).catch((error: unknown) => {
      throw throwOfStoreFlag(flags.store)(configErrorUnder('/store/options', error));
    });
    // A close that fails is warned of; it never replaces what was removed, or the refusal.
    return await withCleanup(
      async () => {
        const removed = await removeEnqueuedEntries(store, study, space, selectors);
        const after = await store.listEnqueued?.(study).catch(() => undefined);
        const left = target.waiting.filter((entry) => !removed.some((gone) => sameEntry(gone, entry)));
        return { removed, waiting: after ?? left };
      },
      () => store.close(),
      `the \`${experiment.config.store.use}\` store could not be closed`,
    );
  } finally {
    await scope.close(warn);
  }
};

/** Whether two listed entries are the same one: the same key, or both without one and the same values. */
const sameEntry = (a: EnqueuedParams, b: EnqueuedParams): boolean =>
  a.key === b.key && (a.key !== undefined || canonicalJson(a.internal) === canonicalJson(b.internal));
