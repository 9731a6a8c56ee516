import {
  configEntryKeys,
  configEntryOf,
  openStudyScope,
  removeEnqueuedEntries,
  withCleanup,
} from '@parzen/engine/host';
import {
  compileSpace,
  configErrorUnder,
  type EnqueuedParams,
  type EnqueuedSelector,
  storeUnsupported,
  toExternalParams,
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
 * each with its key; `--remove KEY` and `--remove-unlisted` take waiting entries out of the queue, all or none (see
 * `TrialStore.removeEnqueued`). Read-only without them; with them the store is opened for writing only when there
 * is something to remove, so a study or store that is not there is never created.
 */
export const showQueue = async (path: string, flags: QueueFlags, output: Output): Promise<number> =>
  forConfig(path, async () => {
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
    const keys = [
      ...new Set([
        ...(flags.remove ?? []),
        ...(flags.removeUnlisted === true
          ? read.waiting.flatMap((entry) => (unlisted(entry.key) ? [entry.key as string] : []))
          : []),
      ]),
    ];
    let removed: readonly EnqueuedParams[] = [];
    if (keys.length > 0) removed = await removeEntries(experiment, flags, keys, space, output);
    const removedKeys = new Set(removed.map((entry) => entry.key));
    const waiting = keys.length === 0 ? read.waiting : read.waiting.filter((entry) => !removedKeys.has(entry.key));
    const say = (line: string) => (flags.json === true ? output.note(line) : output.result(line));
    if (flags.removeUnlisted === true && keys.length === 0)
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
          row.key ?? '',
          row.unlisted === true ? `not in ${path}'s enqueue list` : '',
        ];
      });
      say(formatTable(['#', 'params', 'key', ''], rows, new Set([0])));
      if (keys.length === 0)
        say(
          `Take one out with \`parzen queue ${path} --remove KEY\`${waiting.some((entry) => unlisted(entry.key)) ? ', or those the config no longer lists with --remove-unlisted' : ''}.`,
        );
    }
    if (flags.json === true)
      output.result(JSON.stringify({ study: config.name, waiting: waiting.map(asJson), removed: removed.map(asJson) }));
    return 0;
  });

const entries = (count: number): string => (count === 1 ? '1 entry' : `${count} entries`);

/** An entry as a sentence names it: its params, and its key when it has one. */
const shown = (entry: EntryJson): string =>
  `${JSON.stringify(entry.params)}${entry.key === undefined ? '' : ` (key ${entry.key})`}`;

/** Takes the entries of `keys` out of the study's queue, in a store opened for writing (see `removeEnqueuedEntries`). */
const removeEntries = async (
  experiment: PreparedRun['experiment'],
  flags: QueueFlags,
  keys: readonly string[],
  space: ReturnType<typeof compileSpace>,
  output: Output,
): Promise<readonly EnqueuedParams[]> => {
  const warn = (message: string) => output.note(`parzen: warning: ${message}`);
  const scope = await openStudyScope(experiment);
  try {
    // Its config errors where run and validate say them: under /store/options, or of the --store flag.
    const store = await scope.create('store', experiment.config.store).catch((error: unknown) => {
      throw throwOfStoreFlag(flags.store)(configErrorUnder('/store/options', error));
    });
    const selectors: EnqueuedSelector[] = keys.map((key) => ({ key }));
    // A close that fails is warned of; it never replaces what was removed, or the refusal.
    return await withCleanup(
      () => removeEnqueuedEntries(store, experiment.config.name, space, selectors),
      () => store.close(),
      `the \`${experiment.config.store.use}\` store could not be closed`,
    );
  } finally {
    await scope.close(warn);
  }
};
