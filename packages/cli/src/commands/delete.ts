import type { Trial, TrialStore } from '@parzen/engine';
import {
  cleanUpQuietly,
  deleteStudyIn,
  openStudyScope,
  runsUnderLiveLease,
  shellQuoted,
  studyInRun,
  withCleanup,
} from '@parzen/engine/host';
import {
  configErrorUnder,
  countByState,
  type RunningTrial,
  type StudyRecord,
  storeUnsupported,
} from '@parzen/engine/plugin';
import { commandOf } from '../command-words.js';
import { forConfig } from '../config-problems.js';
import { CliError, EXIT } from '../exit-codes.js';
import type { Output } from '../output.js';
import { blameStoreFlag } from '../store-spec.js';
import { type InspectTarget, inspectTargets, missingOfTarget, openTargetStore, storeIdentity } from './inspect.js';

/** Flags of `parzen delete`. */
export interface DeleteFlags {
  readonly store?: string;
  readonly study?: string;
  /** Delete without asking (scripts, CI: where there is no terminal to ask at). */
  readonly yes?: boolean;
  /** Delete even while live workers run its trials. */
  readonly force?: boolean;
  readonly json?: boolean;
}

/** The study as read before it is deleted: its record, trials and the entries waiting in its queue. */
interface StudyToDelete {
  readonly record: StudyRecord;
  readonly trials: readonly Trial[];
  readonly waiting: number;
  /** The store in words: its kind and its file (or server). */
  readonly where: string;
}

/** The one study the command deletes: the config's (a matrix's by `--study`), or `--study` in `--store`. */
const targetOf = async (path: string | undefined, flags: DeleteFlags): Promise<InspectTarget> => {
  if (path === undefined && flags.store === undefined)
    throw new CliError('Give a config, or --store SPEC with --study NAME (the study to delete).');
  // Never the store's only study by default, as the read commands take it: a deletion names what it deletes.
  if (path === undefined && flags.study === undefined)
    throw new CliError(
      `--store without a config needs --study NAME, the study to delete (\`${commandOf('studies', undefined, { store: flags.store as string }).command}\` lists the store's studies).`,
    );
  const targets = await inspectTargets(path, flags, { checked: false });
  const [target] = targets;
  if (target !== undefined && targets.length === 1) return target;
  const names = targets.map((each) => each.study ?? '?');
  throw new CliError(
    flags.study === undefined
      ? `${path} describes ${targets.length} studies (${names.join(', ')}): pick the one to delete with --study NAME.`
      : `${path}'s matrix keeps its studies in ${targets.length} stores: give the one to delete --study ${flags.study} from with --store SPEC.`,
  );
};

/** The store in words, as the question and the result name it: its kind and its file, or its server. */
const storeWords = (target: InspectTarget, store: TrialStore): string => {
  const { shown } = storeIdentity(target);
  const where = (store as { readonly where?: unknown }).where;
  switch (target.store.use) {
    case 'jsonl':
      return `JSONL journal ${shown}`;
    case 'sqlite':
      return `SQLite database ${shown}`;
    case 'postgres':
      return typeof where === 'string' ? `PostgreSQL database ${where}` : 'its PostgreSQL database';
    default:
      return shown.startsWith('its ') ? shown.slice(4) : `the \`${target.store.use}\` store at ${shown}`;
  }
};

/** Reads the study (read-only) to say what the deletion would take; a missing one names those the store holds. */
const readStudy = async (target: InspectTarget): Promise<StudyToDelete> => {
  const name = target.study as string;
  const store = await openTargetStore(target).catch(async (error: unknown) => {
    throw await missingOfTarget(error, target);
  });
  try {
    // Said before anything is asked: a store plugin that cannot delete.
    if (store.deleteStudy === undefined)
      throw storeUnsupported(target.store.use, 'delete a study', 'deleteStudy', true);
    const record = await store.getStudy(name);
    const trials = await store.listTrials(name);
    const waiting = (await store.listEnqueued?.(name))?.length ?? 0;
    return { record, trials, waiting, where: storeWords(target, store) };
  } catch (error) {
    throw await missingOfTarget(error, target, store);
  } finally {
    await cleanUpQuietly(() => store.close(), `the \`${target.store.use}\` store could not be closed`);
  }
};

/** `12 trials (10 complete, 1 pruned, 1 failed, 0 running)`. */
const trialWords = (counts: Readonly<Record<Trial['state'], number>>): string => {
  const total = counts.complete + counts.pruned + counts.failed + counts.running;
  return `${total === 1 ? '1 trial' : `${total} trials`} (${counts.complete} complete, ${counts.pruned} pruned, ${counts.failed} failed, ${counts.running} running)`;
};

const entryWords = (waiting: number): string =>
  waiting === 0 ? '' : `, ${waiting === 1 ? '1 enqueued entry' : `${waiting} enqueued entries`} waiting`;

/** Deletes the study from its store opened for writing (see `deleteStudyIn`). */
const deleteFromStore = async (target: InspectTarget, force: boolean, output: Output) => {
  const scope = await openStudyScope(target.experiment);
  try {
    const store = await scope.create('store', target.store).catch((error: unknown) => {
      const placed = configErrorUnder('/store/options', error);
      throw target.storeFlag === undefined ? placed : blameStoreFlag(placed, target.storeFlag);
    });
    // A close that fails is warned of; it never replaces the deletion, or its refusal.
    return await withCleanup(
      () => deleteStudyIn(store, target.study as string, force, '--force'),
      () => store.close(),
      `the \`${target.store.use}\` store could not be closed`,
    );
  } finally {
    await scope.close((message) => output.note(`parzen: warning: ${message}`));
  }
};

/**
 * `parzen delete [config]`: deletes one study from its store, with its trials, intermediate values and enqueued
 * entries, in one atomic step of the store (`TrialStore.deleteStudy`). The study is read first (read-only) to say
 * what goes: at a terminal the command asks, naming the study, its store and its trials (an answer other than y or
 * yes deletes nothing, exit 0); elsewhere (a script, CI) it deletes only with `--yes` (else exit 2, nothing deleted). A study whose trials live workers run is refused
 * (`STUDY_IN_RUN`, exit 1) unless `--force`, decided again in the deletion's own step.
 */
export const deleteStudyCommand = async (path: string | undefined, flags: DeleteFlags, output: Output) =>
  forConfig(path, async (): Promise<number> => {
    const target = await targetOf(path, flags);
    const name = target.study as string;
    const study = await readStudy(target);
    const now = new Date();
    const live = study.trials.filter(
      (trial): trial is RunningTrial => trial.state === 'running' && runsUnderLiveLease(trial, now),
    );
    if (live.length > 0 && flags.force !== true) throw studyInRun(name, live, '--force');
    const { command, password } = commandOf('export', path, flags);
    const copy = `\`${command} -o ${shellQuoted(`${name}.export.jsonl`)}\` (its finished trials, which \`parzen import\` reads back${password})`;
    const what = `study ${name} from ${study.where}: ${trialWords(countByState(study.trials))}${entryWords(study.waiting)}`;
    if (flags.yes !== true) {
      const asked = output.ask?.(
        `Delete ${what}?\nIt cannot be undone; to keep a copy first: ${copy}.\nDelete study ${name}? [y/N] `,
      );
      if (asked === undefined)
        throw new CliError(
          `There is no terminal to ask at (a script, a pipe or CI), so nothing was deleted: add --yes to delete ${what}. To keep a copy first: ${copy}.`,
        );
      const answer = await asked;
      if (answer === undefined) {
        output.note('parzen: stopped; nothing was deleted.');
        return EXIT.sigint;
      }
      // Declined: what was asked is done (as `rm -i` answered no), no error of the study's or the input's.
      if (!/^y(es)?$/i.test(answer.trim())) {
        output.note(`parzen: nothing was deleted: study ${name} stays as it is (only y or yes deletes it).`);
        if (flags.json === true)
          output.result(
            JSON.stringify({
              study: name,
              store: target.store.use,
              deleted: false,
              trials: countByState(study.trials),
            }),
          );
        return EXIT.ok;
      }
    }
    const deleted = await deleteFromStore(target, flags.force === true, output);
    // Said on stderr, as `export -o` says what it wrote: stdout is for data (with --json, the JSON line alone).
    output.note(
      `Deleted study ${name} from ${study.where}: ${trialWords(deleted.trials)}${entryWords(study.waiting)}.`,
    );
    if (target.store.use === 'jsonl')
      output.note(
        "parzen: note: the journal keeps the deleted study's lines (it only grows); to reclaim the space, move the studies you keep to a new journal (see the store-file README, The file).",
      );
    if (flags.json === true)
      output.result(JSON.stringify({ study: name, store: target.store.use, deleted: true, trials: deleted.trials }));
    return EXIT.ok;
  });
