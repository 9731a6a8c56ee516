import { statSync } from 'node:fs';
import { type LoadedExperiment, ParzenError, type StudyRecord } from '@parzen/engine';
import {
  checkSameStudyWithDeletion,
  configEntryKeys,
  countOf,
  leftoverEntriesNote,
  notesInVariant,
  openStudyScope,
  PARZEN_VERSION,
  seedChange,
  studySuggester,
  suggesterChange,
  takenConfigEntries,
  versionChange,
} from '@parzen/engine/host';
import { canonicalJson, checkStoredTrials, type StudySuggester } from '@parzen/engine/plugin';
import { runFileOf } from '../command-words.js';
import { ConfigProblems, type PreparedStudy } from '../config-problems.js';
import { listNames } from '../list-names.js';
import { legendText, studyNameLegend } from '../matrix-legend.js';
import { studiesHeldBeside } from '../missing-study.js';
import { notesLogger, type Output } from '../output.js';
import {
  caseVariantNote,
  closeStarted,
  foreignStoreFileNote,
  perStudyFileName,
  prepareRuns,
  storeFile,
} from '../prepare-runs.js';
import { errorEntry, reportError } from '../report-error.js';
import { studyDeletion } from '../space-mismatch.js';
import { foldStudyNotes, studyTemplate } from '../study-notes.js';
import { readStudiesHeld } from '../study-trials.js';
import { suggesterLabel, suggesterWords } from '../suggester-label.js';

/** `, NAME VALUE`, unless every variant has the default (`none`, or `byDefault`). */
const optional = (name: string, value: string, byDefault = 'none'): string =>
  value === byDefault ? '' : `, ${name} ${value}`;

/** `, 2 enqueued trials`, unless no variant enqueues any. */
const enqueued = (value: string): string => (value === '0 enqueued trials' ? '' : `, ${value}`);

/** Of a config's enqueued entries, how many the study's trials took, and how many were removed from its queue. */
interface EntryCounts {
  readonly taken: number;
  readonly removed: number;
}

/**
 * `8 enqueued trials`, and when the study is in its store how many of them its trials already took (by the
 * rule a run queues them with: an entry a trial took is not run again) and how many were taken out of its queue
 * (`parzen queue --remove`: no run runs them, their keys staying queued): `(all 8 already ran in study par)`,
 * `, 3 not yet run (5 already ran in study par)`, `, 1 not yet run (5 already ran in study par, 2 removed from its
 * queue: no run runs them)`.
 */
const enqueuedOf = (run: PreparedStudy, counts: EntryCounts | undefined): string => {
  const { name, enqueue } = run.experiment.config;
  const total = enqueue?.length ?? 0;
  const counted = countOf(total, 'enqueued trial');
  if (counts === undefined || total === 0) return counted;
  const { taken, removed } = counts;
  const gone = removed === 0 ? '' : `, ${removed} removed from its queue: no run runs ${removed === 1 ? 'it' : 'them'}`;
  const left = total - taken - removed;
  const ran =
    taken === 0
      ? `none ran yet in study ${name}`
      : `${taken === total ? (total === 1 ? 'it' : `all ${total}`) : taken} already ran in study ${name}`;
  // How many are still to run, unless all are (none ran, none was removed) or none is.
  const notYet = left === 0 || left === total ? '' : `, ${left} not yet run`;
  return `${counted}${notYet} (${ran}${gone})`;
};

/**
 * What a run of the config would say of the settings of the suggester the study in its store was created with, when
 * the config's suggester is the same one under other settings; undefined when they are the same, when the config
 * names another suggester (said apart), or the study was recorded without settings. The config's suggester is made
 * as a run makes it (any suggester, not TPE alone: a quasi-random study's `scramble` changed unsaid).
 */
const suggesterNote = async (experiment: LoadedExperiment, study: StudyRecord): Promise<string | undefined> => {
  const choice = experiment.config.suggester;
  if (study.suggester === undefined || study.suggester.name !== choice.use) return undefined;
  let suggester: StudySuggester;
  try {
    const scope = await openStudyScope(experiment);
    try {
      suggester = studySuggester(await scope.create('suggester', choice));
    } finally {
      await scope.close();
    }
  } catch (error) {
    // Made once already by the checks: a second failure is said of this config, not of the whole command (review 127).
    return `the settings of suggester \`${choice.use}\` could not be compared with those study ${study.name} was created with: ${(error as Error).message}`;
  }
  return suggesterChange(study.name, study.suggester, suggester, {
    than: "the config's",
    uses: "A run of this config uses the config's.",
  });
};

/** What a valid config holds, for `validate`'s line and its `--json` entry. */
interface ValidFile {
  readonly entry: { file: string; studies: string[]; notes?: string[]; legend?: string[] };
  /** `study NAME; 2 parameters, objective ..., suggester ...` (a matrix: its variants). */
  readonly holds: string;
  /** What the labels of a matrix's study names stand for ({@link studyNameLegend}); empty when each shows its value. */
  readonly legend: readonly string[];
  readonly notes: readonly string[];
}

/**
 * Describes the config at `path` from its prepared studies (undefined: none were prepared); `taken`, for a study
 * its store holds, how many of the config's enqueued entries its trials took.
 */
const describeFile = (
  path: string,
  mine: readonly PreparedStudy[],
  taken: (run: PreparedStudy) => EntryCounts | undefined = () => undefined,
): ValidFile | undefined => {
  const first = mine[0]?.experiment;
  if (first === undefined) return undefined;
  // What the variants of a matrix have: each distinct value once (`suggester random | tpe`).
  const each = (describe: (experiment: LoadedExperiment, run: PreparedStudy) => string): string =>
    [...new Set(mine.map((run) => describe(run.experiment, run)))].join(' | ');
  const what =
    `${each(({ space }) => countOf(space.params.length, 'parameter'))}, ` +
    `objective ${each(({ config }) => config.objective.use)}, suggester ${each(({ config }, run) => (run.suggester === undefined ? config.suggester.use : suggesterLabel(suggesterWords(run.suggester))))}, ` +
    `store ${each(({ config }) => config.store.use)}, budget ${each(({ config }) => JSON.stringify(config.budget))}` +
    // What the config sets beyond those, so a mistyped pruner or a forgotten concurrency shows here too.
    optional(
      'pruner',
      each(({ config }) => config.pruner?.use ?? 'none'),
    ) +
    optional(
      'stopper',
      each(({ config }) => config.stopper?.use ?? 'none'),
    ) +
    optional(
      'concurrency',
      each(({ config }) => String(config.concurrency ?? 1)),
      '1',
    ) +
    enqueued([...new Set(mine.map((run) => enqueuedOf(run, taken(run))))].join(' | '));
  const studies =
    mine.length > 1
      ? `${mine.length} matrix variants (${listNames(mine.map((run) => run.experiment.config.name))})`
      : `study ${first.config.name}`;
  // Options that do nothing where they are (a run warns of them too), once for a matrix's variants.
  const notes = foldStudyNotes(
    // A note on a value the matrix set at the variant's place in the matrix, the store's notes (a trial budget spent)
    // as the config's own.
    mine.flatMap((run) =>
      (run.variant === undefined
        ? (run.experiment.notes ?? [])
        : notesInVariant(run.experiment.notes ?? [], run.variant)
      ).map((note) => {
        const { name } = run.experiment.config;
        return { study: name, template: studyTemplate(name, `${note.pointer}: ${note.message}`) };
      }),
    ),
  );
  // What the labels of the matrix's study names stand for (a digest such as `tpe-1985c9`), as the comparison says it.
  const legend = studyNameLegend(mine.flatMap((run) => (run.variant === undefined ? [] : [run.variant])));
  return {
    entry: {
      file: path,
      studies: mine.map((run) => run.experiment.config.name),
      ...(notes.length === 0 ? {} : { notes }),
      ...(legend.length === 0 ? {} : { legend }),
    },
    holds: `${studies}; ${what}`,
    notes,
    legend,
  };
};

/**
 * Says the problems, then the files that passed their own checks (trial 58: a mix gave only the errors; trial 87:
 * still so without --json), with what they hold as a valid file's line and entry do; the checks across files (two
 * configs of one study) run once every file is valid.
 */
const reportProblems = async (
  error: ConfigProblems,
  paths: readonly string[],
  output: Output,
  json: boolean,
  /** The stores' reads of `error.prepared`, in its order, when the caller has them (a study found to mismatch). */
  known?: Awaited<ReturnType<typeof readStudiesHeld>>,
): Promise<number> => {
  const code = reportError(error, false, output);
  const failed = new Set(error.problems.map((problem) => problem.path));
  const passed = paths.filter((path) => !failed.has(path));
  // What a valid file's studies in their stores bring, as when every file is valid (trial 125: a spent budget's
  // note was left out when another file failed).
  const mine = error.prepared.filter((run) => passed.includes(run.configPath));
  const reads =
    known === undefined
      ? await readStudiesHeld(mine.map((run) => run.experiment))
      : mine.map((run) => known[error.prepared.indexOf(run)] as (typeof known)[number]);
  const { held, takenOf } = await withStoreNotes(mine, reads);
  // Refused by a check across the files (one study twice, a study its store holds otherwise), the others were
  // checked with them too (review 91).
  const across = error.problems.every((problem) =>
    ['STUDY_RUN_TWICE', 'STUDY_MISMATCH', 'STORE_CORRUPT'].includes((problem.error as { code?: string }).code ?? ''),
  );
  const described = passed.map((path) => ({
    path,
    valid: describeFile(
      path,
      held.filter((run) => run.configPath === path),
      (run) => takenOf.get(run),
    ),
  }));
  // Its notes on stderr, as when every file is valid (review 97: `--json` had them, text not; review 133: with
  // --json, stderr had none).
  for (const { path, valid } of described) for (const note of valid?.notes ?? []) output.note(`${path}: note: ${note}`);
  if (!json) {
    for (const { path, valid } of described) {
      const holds = valid === undefined ? '' : `: ${valid.holds}`;
      output.result(
        across
          ? `${path}: valid${holds}`
          : `${path}: valid on its own${holds} (checked with the others once they are valid too)`,
      );
      if (valid !== undefined && valid.legend.length > 0) output.result(legendText(valid.legend));
    }
    return code;
  }
  output.result(
    JSON.stringify({
      errors: error.problems.map((problem) => errorEntry(problem.error, problem.path)),
      valid: described.map(({ path, valid }) => valid?.entry ?? { file: path }),
    }),
  );
  return code;
};

/**
 * The run with a note that its store could not be read (trial 153: a PostgreSQL store on a closed port or with a
 * wrong password was said valid without a word, its study not compared), unless the store only lacks the study; then
 * the note that the study's own store file holds only other studies, if it does ({@link foreignStoreFileNote}).
 */
const unreadNote = (run: PreparedStudy, error: unknown): PreparedStudy => {
  if (error instanceof ParzenError && error.code === 'STUDY_NOT_FOUND') {
    const held = studiesHeldBeside(error) ?? [];
    const said = [
      { pointer: '/store', message: foreignStoreFileNote(run.experiment, held) },
      { pointer: '/name', message: caseVariantNote(run.experiment.config.name, held) },
    ].flatMap(({ pointer, message }) => (message === undefined ? [] : [{ pointer, message }]));
    if (said.length === 0) return run;
    const notes = [...(run.experiment.notes ?? []), ...said];
    return { ...run, experiment: { ...run.experiment, notes } };
  }
  const { name, store } = run.experiment.config;
  const note = {
    pointer: '/store',
    message: `the \`${store.use}\` store could not be read, so study ${name} was not compared with what it holds (a study already there must have the same space and direction; \`run\` checks that when it opens the store): ${error instanceof Error ? error.message : String(error)}`,
  };
  return { ...run, experiment: { ...run.experiment, notes: [...(run.experiment.notes ?? []), note] } };
};

/**
 * The runs with what a run of each would say of the study its store holds (its `reads`, in the same order) as notes:
 * another suggester or settings than the study was created with, another seed, entries left waiting, a trial
 * budget already spent; and how many of each config's enqueued entries the study's trials took.
 */
const withStoreNotes = async (
  runs: readonly PreparedStudy[],
  reads: Awaited<ReturnType<typeof readStudiesHeld>>,
): Promise<{ held: PreparedStudy[]; takenOf: Map<PreparedStudy, EntryCounts> }> => {
  // What `run` would say of the study its store holds (trials 104 and 110: validate said nothing of it): another
  // suggester than the one the study was created with, a trial budget already spent.
  // The suggester's settings changed since the study began.
  const changes = await Promise.all(
    runs.map((run, at) => {
      const read = reads[at];
      return read === undefined || !('value' in read) || read.value === undefined
        ? undefined
        : suggesterNote(run.experiment, read.value.study);
    }),
  );
  const held = runs.map((run, at) => {
    const read = reads[at];
    if (read !== undefined && !('value' in read)) return unreadNote(run, read.error);
    if (read === undefined || read.value === undefined) return run;
    const { config } = run.experiment;
    const { study, trials } = read.value;
    const settingsChange = changes[at];
    const rebuilt = versionChange(config.name, study.parzenVersion, PARZEN_VERSION, 'a run of this config');
    const reseeded = seedChange(config.name, study.seed, config.seed, {
      who: 'a run of this config uses',
      keep: `set "seed": ${study.seed}`,
    });
    const spent = config.budget.maxTrials !== undefined && trials.length >= config.budget.maxTrials;
    // Entries an earlier config queued that this one no longer lists: they run first (trial 119: validate was silent).
    const leftover =
      read.value.waiting === undefined
        ? undefined
        : leftoverEntriesNote(config.name, read.value.waiting, config.enqueue, spent, {
            path: run.configPath,
            // A matrix's study is named (the config describes several).
            ...(runs.filter((other) => other.configPath === run.configPath).length > 1 ? { study: config.name } : {}),
          });
    const extra = [
      ...(settingsChange === undefined ? [] : [{ pointer: '/suggester/options', message: settingsChange }]),
      // As a run warns of it (trial 117: validate said nothing of another seed).
      ...(reseeded === undefined ? [] : [{ pointer: '/seed', message: reseeded }]),
      // As a run warns of it (trial 154: validate said nothing of a study another Parzen build created).
      ...(rebuilt === undefined ? [] : [{ pointer: '/store', message: rebuilt }]),
      ...(study.suggester !== undefined && study.suggester.name !== config.suggester.use
        ? [
            {
              pointer: '/suggester',
              message: `study ${config.name} was created with suggester \`${study.suggester.name}\`; a run of this config uses \`${config.suggester.use}\` and adds its trials to the same study (to compare the two, give it another study name or store)`,
            },
          ]
        : []),
      ...(leftover === undefined ? [] : [{ pointer: '/enqueue', message: leftover }]),
      ...(spent
        ? [
            {
              pointer: '/budget/maxTrials',
              message: `study ${config.name} has ${countOf(trials.length, 'trial')} already, so a run of this config adds none (maxTrials ${config.budget.maxTrials} counts every trial of the study: raise it, or run with --more-trials N)`,
            },
          ]
        : []),
    ];
    return extra.length === 0
      ? run
      : { ...run, experiment: { ...run.experiment, notes: [...(run.experiment.notes ?? []), ...extra] } };
  });
  // Of the config's enqueued entries, those the study's trials took, by the keys a run queues them with; not one
  // whose copy waits without its key (a suggester failed on its trial, and the run queued it again to run next:
  // review 126), until a trial takes that copy (review 127: "none ran yet" after it had run). And those taken out of
  // its queue (review 151: counted as not yet run, though no run runs them).
  const takenOf = new Map<PreparedStudy, EntryCounts>(
    held.flatMap((run, at) => {
      const read = reads[at];
      const value = read !== undefined && 'value' in read ? read.value : undefined;
      if (value?.taken === undefined) return [];
      const copies = new Set(
        (value.waiting ?? []).flatMap((entry) => (entry.key === undefined ? [canonicalJson(entry.internal)] : [])),
      );
      const ran = value.taken.filter((entry) => !copies.has(canonicalJson(entry.internal)));
      const entries = run.experiment.config.enqueue ?? [];
      const removed = new Set((value.removed ?? []).flatMap((entry) => entry.key ?? []));
      const counts = {
        taken: takenConfigEntries(entries, ran),
        removed: configEntryKeys(entries).filter((key) => removed.has(key)).length,
      };
      return [[run, counts] as const];
    }),
  );
  return { held, takenOf };
};

/**
 * A `jsonl` or `sqlite` store's file that is here and cannot be read as the store it names (`STORE_CORRUPT`: no
 * journal, no database, a damaged one): `run` stops on it wherever it runs, so `validate` fails as `run` would, with
 * the same code and message and the config's pointer to the store; undefined for any other error (a store it cannot
 * reach, a PostgreSQL server down, may be reachable where the workers run: that stays a note).
 */
const unreadableStoreFile = (run: PreparedStudy, error: unknown): ParzenError | undefined => {
  if (!(error instanceof ParzenError) || error.code !== 'STORE_CORRUPT') return undefined;
  const { use } = run.experiment.config.store;
  const file = perStudyFileName(use) === undefined ? undefined : storeFile(run.experiment);
  if (file === undefined || statSync(file, { throwIfNoEntry: false })?.isFile() !== true) return undefined;
  return new ParzenError('STORE_CORRUPT', error.message, {
    issues: [
      {
        pointer: '/store/options/path',
        expected: `a file the \`${use}\` store can read (${use === 'jsonl' ? 'a Parzen journal' : 'a SQLite database'}), or a path with no file yet, for a run to create`,
        found: `\`${file}\`, a file it cannot read`,
      },
    ],
    cause: error,
  });
};

export const validateConfigs = async (paths: readonly string[], output: Output, json = false): Promise<number> => {
  let runs: Awaited<ReturnType<typeof prepareRuns>>;
  try {
    runs = await prepareRuns(paths, {
      preflight: true,
      oneRunPerStudy: true,
      progress: { force: 'off' },
      logger: notesLogger(output),
    });
  } catch (error) {
    if (!(error instanceof ConfigProblems)) throw error;
    return reportProblems(error, paths, output, json);
  }
  await closeStarted(runs);
  // A study its store already holds with another direction or space: the run would refuse it before any
  // trial (STUDY_MISMATCH), so validate says so now (a store that cannot be read is noted, and left to the run,
  // unless it is a local file that is no store).
  const reads = await readStudiesHeld(runs.map((run) => run.experiment));
  // A local store file that is no store: the run would stop on it too (a CI lint step passed, and the job failed).
  const said = new Set<string>();
  const mismatched = runs.flatMap((run, at) => {
    const read = reads[at];
    if (read !== undefined && !('value' in read)) {
      const error = unreadableStoreFile(run, read.error);
      // Once per config and message (a matrix's variants share their store file).
      const key = `${run.configPath}\n${error?.message}`;
      if (error === undefined || said.has(key)) return [];
      said.add(key);
      return [{ path: run.configPath, error }];
    }
    if (read === undefined || read.value === undefined) return [];
    const { name, direction, space, seed } = run.experiment.config;
    // A matrix's study is named, as in the commands a run suggests.
    const file = runFileOf(run, {});
    try {
      checkSameStudyWithDeletion(
        read.value.study,
        { name, direction, space, seed },
        studyDeletion(file, read.value.trials),
      );
      // Trials no run stores, which the run would refuse too (review 97: validate said such a config valid).
      checkStoredTrials(name, run.experiment.space, read.value.trials);
      return [];
    } catch (error) {
      return [{ path: run.configPath, error }];
    }
  });
  if (mismatched.length > 0) return reportProblems(new ConfigProblems(mismatched, runs), paths, output, json, reads);
  const { held, takenOf } = await withStoreNotes(runs, reads);
  const valid: ValidFile['entry'][] = [];
  for (const path of paths) {
    const described = describeFile(
      path,
      held.filter((run) => run.configPath === path),
      (run) => takenOf.get(run),
    );
    if (described === undefined) continue;
    for (const note of described.notes) output.note(`${path}: note: ${note}`);
    valid.push(described.entry);
    const said = [
      `${path}: valid: ${described.holds}`,
      ...(described.legend.length === 0 ? [] : [legendText(described.legend)]),
    ];
    for (const line of said)
      if (json) output.note(line);
      else output.result(line);
  }
  if (json) output.result(JSON.stringify({ valid }));
  return 0;
};
