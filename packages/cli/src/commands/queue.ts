import {
  configEntryKeys,
  configEntryOf,
  openStudyScope,
  removeEnqueuedEntries,
  shellQuoted,
  withCleanup,
} from '@parzen/engine/host';
import {
  canonicalJson,
  compileSpace,
  configErrorUnder,
  type EnqueuedParams,
  type EnqueuedSelector,
  formatIssues,
  storeUnsupported,
  toExternalParams,
  toInternalParams,
} from '@parzen/engine/plugin';
import { forConfig } from '../config-problems.js';
import { CliError } from '../exit-codes.js';
import type { Output } from '../output.js';
import { type PreparedRun, prepareRuns } from '../prepare-runs.js';
import { parseStoreSpec, throwOfStoreFlag } from '../store-spec.js';
import { openStudyRecord } from '../study-trials.js';
import { formatTable } from '../text-table.js';

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
  readonly key?: string;
  /** An entry an earlier config's `enqueue` list queued that this config's list no longer has. */
  readonly unlisted?: true;
}

/** The one study of the config the command works on (a matrix's by `--study`). */
const studyOf = (path: string, runs: readonly PreparedRun[], study: string | undefined): PreparedRun => {
  const run = study === undefined && runs.length === 1 ? runs[0] : runs.find((r) => r.experiment.config.name === study);
  if (run !== undefined) return run;
  throw new CliError(
    `${path} describes ${runs.length === 1 ? 'study' : 'studies'} ${runs.map((r) => `\`${r.experiment.config.name}\``).join(', ')}: ${study === undefined ? 'pick one with --study NAME' : `none is named ${study}`}.`,
  );
};

/**
 * `parzen queue <config>`: the enqueued entries waiting in the config's study, in the order they are handed out,
 * each with its key, shown as a POSIX shell reads it back (a config's key has `"` and braces, which the shell takes
 * from a key pasted bare); `--remove KEY`, `--remove-params JSON` and `--remove-unlisted` take waiting entries out
 * of the queue, all or none (see `TrialStore.removeEnqueued`). Read-only without them; with them the store is opened
 * for writing only when there is something to remove, so a study or store that is not there is never created.
 */
export const showQueue = async (
  path: string,
  flags: QueueFlags,
  output: Output,
  /** Words given after the config: none is expected. */
  extra: readonly string[] = [],
): Promise<number> => {
  refuseExtraWords(extra, flags);
  return forConfig(path, async () => {
    const runs = await prepareRuns([path], {
      progress: { force: 'off' },
      reportersIdle: true,
      ...(flags.store === undefined ? {} : { overrides: { store: parseStoreSpec(flags.store) } }),
    });
    const { experiment } = studyOf(path, runs, flags.study);
    const { config } = experiment;
    const read = await openStudyRecord(experiment, true).catch(throwOfStoreFlag(flags.store));
    if (read.waiting === undefined) throw storeUnsupported(config.store.use, 'list enqueued entries', 'listEnqueued');
    // The params as the study keeps its space (a config edited since decodes them as the study was run).
    const space = compileSpace(read.study.space, '', { stored: true });
    const listed = new Set(configEntryKeys(config.enqueue ?? []));
    const unlisted = (key: string | undefined) =>
      key !== undefined && configEntryOf(key) !== undefined && !listed.has(key);
    const asJson = (entry: EnqueuedParams): EntryJson => ({
      params: toExternalParams(space, entry.internal),
      ...(entry.key === undefined ? {} : { key: entry.key }),
      ...(unlisted(entry.key) ? { unlisted: true as const } : {}),
    });
    refuseQuotesTaken(flags.remove ?? [], read.waiting);
    const keys = [
      ...new Set([
        ...(flags.remove ?? []),
        ...(flags.removeUnlisted === true
          ? read.waiting.flatMap((entry) => (unlisted(entry.key) ? [entry.key as string] : []))
          : []),
      ]),
    ];
    const selectors: EnqueuedSelector[] = [
      ...keys.map((key) => ({ key })),
      ...(flags.removeParams ?? []).map((text) => paramsSelector(space, config.name, text)),
    ];
    let removed: readonly EnqueuedParams[] = [];
    let waiting = read.waiting;
    if (selectors.length > 0)
      ({ removed, waiting } = await removeEntries(experiment, flags, selectors, space, read.waiting, output));
    const say = (line: string) => (flags.json === true ? output.note(line) : output.result(line));
    if (flags.removeUnlisted === true && selectors.length === 0)
      say(
        `study ${config.name}: no waiting entry is one an earlier config queued that ${path} no longer lists; nothing was removed.`,
      );
    if (removed.length > 0)
      say(
        `Removed ${entries(removed.length)} from the queue of study ${config.name}: ${removed.map((entry) => shown(asJson(entry))).join(', ')}.`,
      );
    // Removed, yet still in the config's list: `parzen validate` would count it as not yet run, though no run will.
    const stillListed = removed.filter((entry) => entry.key !== undefined && listed.has(entry.key));
    if (stillListed.length > 0) {
      const one = stillListed.length === 1;
      output.note(
        `parzen: note: ${path}'s enqueue list still has ${stillListed.map((entry) => JSON.stringify(asJson(entry).params)).join(', ')}: a run of it does not queue ${one ? 'it' : 'them'} again (${one ? 'its key stays' : 'their keys stay'} queued); take ${one ? 'it' : 'them'} out of the list too.`,
      );
    }
    if (waiting.length === 0) say(`study ${config.name}: no enqueued entry waits.`);
    else {
      say(
        `study ${config.name}: ${entries(waiting.length)} ${waiting.length === 1 ? 'waits' : 'wait'}, handed out in this order:`,
      );
      const rows = waiting.map((entry, index) => {
        const row = asJson(entry);
        return [
          String(index + 1),
          JSON.stringify(row.params),
          row.key === undefined ? '' : shellQuoted(row.key),
          row.unlisted === true ? `not in ${path}'s enqueue list` : '',
        ];
      });
      say(formatTable(['#', 'params', 'key', ''], rows, new Set([0])));
      if (selectors.length === 0)
        for (const line of howToRemove(commandOf(path, flags), waiting.map(asJson))) say(line);
    }
    if (flags.json === true)
      output.result(JSON.stringify({ study: config.name, waiting: waiting.map(asJson), removed: removed.map(asJson) }));
    return 0;
  });
};

/**
 * Refuses words past the config, naming a key the shell split apart: bash's brace expansion makes two words of
 * `--remove enqueue:{"model":"tree","x":0.2}#0` given without quotes (`enqueue:model:tree#0 enqueue:x:0.2#0`).
 */
const refuseExtraWords = (extra: readonly string[], flags: QueueFlags): void => {
  if (extra.length === 0) return;
  const listed = extra.map((word) => `\`${word}\``).join(', ');
  const split = [...(flags.remove ?? []), ...extra].some((word) => /^enqueue:.*#\d+$/s.test(word));
  throw new CliError(
    split
      ? `queue takes one config, and got ${listed} after it: the shell split a key given without quotes (its braces and comma). Give the key in single quotes, as \`parzen queue\` shows it (e.g. --remove 'enqueue:{"model":"tree","x":0.2}#0').`
      : `queue takes one config, and got ${listed} after it. Give one config (a flag's value with spaces goes in quotes).`,
  );
};

const entries = (count: number): string => (count === 1 ? '1 entry' : `${count} entries`);

/** An entry as a sentence names it: its params, and its key when it has one (as the listing shows it). */
const shown = (entry: EntryJson): string =>
  `${JSON.stringify(entry.params)}${entry.key === undefined ? '' : ` (key ${shellQuoted(entry.key)})`}`;

/** The command line that lists this queue again, as the user gave it (each argument quoted for the shell). */
const commandOf = (path: string, flags: QueueFlags): string =>
  [
    'parzen queue',
    shellQuoted(path),
    ...(flags.store === undefined ? [] : [`--store ${shellQuoted(flags.store)}`]),
    ...(flags.study === undefined ? [] : [`--study ${shellQuoted(flags.study)}`]),
  ].join(' ');

/**
 * How to take the listed entries out, each a command that can be pasted into a shell (review 151: a key pasted as
 * the listing showed it lost its double quotes, or was split in two by the shell's brace expansion): by the key of
 * the first that has one, quoted; by the params of the first without one; the marked ones all at once.
 */
const howToRemove = (command: string, waiting: readonly EntryJson[]): string[] => {
  const keyed = waiting.find((entry) => entry.key !== undefined);
  const keyless = waiting.find((entry) => entry.key === undefined);
  const marked = waiting.some((entry) => entry.unlisted === true);
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
const paramsSelector = (space: ReturnType<typeof compileSpace>, study: string, text: string): EnqueuedSelector => {
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
  experiment: PreparedRun['experiment'],
  flags: QueueFlags,
  selectors: readonly EnqueuedSelector[],
  space: ReturnType<typeof compileSpace>,
  before: readonly EnqueuedParams[],
  output: Output,
): Promise<{ readonly removed: readonly EnqueuedParams[]; readonly waiting: readonly EnqueuedParams[] }> => {
  const warn = (message: string) => output.note(`parzen: warning: ${message}`);
  const { name } = experiment.config;
  const scope = await openStudyScope(experiment);
  try {
    // Its config errors where run and validate say them: under /store/options, or of the --store flag.
    const store = await scope.create('store', experiment.config.store).catch((error: unknown) => {
      throw throwOfStoreFlag(flags.store)(configErrorUnder('/store/options', error));
    });
    // A close that fails is warned of; it never replaces what was removed, or the refusal.
    return await withCleanup(
      async () => {
        const removed = await removeEnqueuedEntries(store, name, space, selectors);
        const after = await store.listEnqueued?.(name).catch(() => undefined);
        return { removed, waiting: after ?? before.filter((entry) => !removed.some((gone) => sameEntry(gone, entry))) };
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
