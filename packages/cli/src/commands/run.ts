import { existsSync, readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import {
  type EngineEvent,
  formatSummary,
  type InterruptHandlers,
  installInterruptHandlers,
  openStoreForReading,
  ParzenError,
  type RunResult,
  runLoadedExperiment,
} from '@parzen/engine';
import { countOf, failureNote, printable, stopWords, studyCommand, variantLegend } from '@parzen/engine/host';
import {
  checkSameStudy,
  earlierTrialsEnded,
  type FailedTrial,
  failedRun,
  type StudyRecord,
} from '@parzen/engine/plugin';
import { keepClosedJournals } from '@parzen/store-file';
import { commandOf, runFileOf, storeFlagWords } from '../command-words.js';
import {
  type BatchOutcome,
  compareOutcomes,
  formatComparison,
  mixedDirections,
  snapshotNote,
  unevenNotes,
  versusFirstNote,
} from '../comparison.js';
import { ConfigProblems } from '../config-problems.js';
import { saidWithTrialsKept } from '../disk-full.js';
import { takeEarlySignal } from '../early-signals.js';
import { CliError, EXIT } from '../exit-codes.js';
import { exitAfterFlush } from '../flush-streams.js';
import { listNames } from '../list-names.js';
import { legendText } from '../matrix-legend.js';
import { askedByRun, missingTogether, studiesHeldBeside } from '../missing-study.js';
import { notesLogger, type Output, onStdoutGone } from '../output.js';
import type { ConfigOverrides } from '../overrides.js';
import {
  caseVariantNote,
  closeStarted,
  foreignStoreFileNote,
  type PreparedRun,
  perStudyFileName,
  prepareRuns,
  storeFile,
  storeKeepsNothing,
} from '../prepare-runs.js';
import { problemKey } from '../problem-key.js';
import { pauseProgressBars, waitingFirst } from '../progress-reporter.js';
import { errorEntry } from '../report-error.js';
import { withStudyDeletion } from '../space-mismatch.js';
import { blameStoreFlag, parseStoreSpec, storeFlag } from '../store-spec.js';
import { foldStudyNotes, STUDY_SLOT } from '../study-notes.js';
import { type Read, readStudyRecords } from '../study-trials.js';
import { inSpaceOrder, type ReporterCutOff, runJson, summaryJson } from '../summary-json.js';

/** The flags of `parzen run` and `parzen resume`. */
export interface RunFlags {
  readonly seed?: number;
  readonly maxTrials?: number;
  readonly moreTrials?: number;
  readonly maxSeconds?: number;
  readonly concurrency?: number;
  readonly store?: string;
  readonly json?: boolean;
  readonly quiet?: boolean;
  /** Only the study of this name (one of a matrix's). */
  readonly study?: string;
}

/** The config overrides the run flags ask for (`--store` parsed against the working directory). */
export const overridesFrom = (flags: RunFlags): ConfigOverrides => ({
  ...(flags.seed === undefined ? {} : { seed: flags.seed }),
  ...(flags.maxTrials === undefined ? {} : { maxTrials: flags.maxTrials }),
  // `--more-trials 0` is checked as 1 (a config's moreTrials starts at 1), then set to 0 (see noTrialsToRun).
  ...(flags.moreTrials === undefined ? {} : { moreTrials: Math.max(1, flags.moreTrials) }),
  ...(flags.maxSeconds === undefined ? {} : { maxSeconds: flags.maxSeconds }),
  ...(flags.concurrency === undefined ? {} : { concurrency: flags.concurrency }),
  ...(flags.store === undefined ? {} : { store: parseStoreSpec(flags.store) }),
});

/**
 * The run's summary for people. Under `--quiet`, which drops the progress's "Starting study", a study this run
 * started in a store that keeps it says so on its first line (trial 104: a misspelt store folder started the
 * study afresh, and nothing said so).
 */
const humanSummary = (result: RunResult, run: PreparedRun, flags: RunFlags): string => {
  const quiet = flags.quiet === true;
  const kept = keptAfterRun(run);
  const said =
    formatSummary(result.summary, stopWords(result.reason, result.stopMessage)) + waitingNote(result, run, flags, kept);
  if (!quiet || result.resumed || !kept) return said;
  const [first, ...rest] = said.split('\n');
  return [`${first} (a new study: this run started it)`, ...rest].join('\n');
};

/**
 * The enqueued entries a run left waiting, as the next run's start line words them (trial 165: a run at its
 * maxTrials left a config's entry unrun, unsaid: the user believed the baseline ran). After Ctrl-C too: the stop's
 * warning names only an entry whose trial it cut short (a second Ctrl-C), and a first Ctrl-C lets the running trials
 * finish, cutting none short, so the entries that had not started went unsaid.
 */
const waitingNote = (
  { waitingEntries, reason, trials }: RunResult,
  run: PreparedRun,
  flags: RunFlags,
  kept: boolean,
): string => {
  if (waitingEntries === undefined) return '';
  const one = waitingEntries === 1;
  // Review 179: a run stopped (Ctrl-C) in its budget's last trial leaves a study the next run of the same command
  // finds at its limit, running nothing; a moreTrials budget counts from the next run's start, so that one runs more.
  const budget = run.experiment.config.budget;
  const atLimit =
    reason === 'max-trials' ||
    (budget?.moreTrials === undefined && budget?.maxTrials !== undefined && trials.length >= budget.maxTrials);
  // Review 155: a store that keeps nothing has no queue left to list or resume.
  if (!kept)
    return `\n${waitingEntries} enqueued ${one ? 'entry' : 'entries'} did not run, and ${one ? 'is' : 'are'} gone with the study (its ${run.experiment.config.store.use} store keeps nothing after the run)${atLimit ? `: a run with a higher budget.maxTrials (--max-trials) runs ${one ? 'it' : 'them'}` : ''}.`;
  const next = atLimit
    ? `--more-trials N runs N more, ${waitingFirst(waitingEntries)}`
    : `the next run runs ${one ? 'it' : 'them'} first`;
  return `\n${waitingEntries} enqueued ${one ? 'entry' : 'entries'} did not run and ${one ? 'waits' : 'wait'} in the queue (\`${studyCommand('queue', runFileOf(run, flags))}\` lists ${one ? 'it' : 'them'}): ${next}.`;
};

/** Whether the run's store keeps the study after the run: not the memory store, nor SQLite's `:memory:` database. */
const keptAfterRun = (run: PreparedRun): boolean => !storeKeepsNothing(run.experiment.config.store);

/**
 * What to look at when every trial of a run failed: the first failure's error, and where to list the
 * rest (`parzen trials`, with the run's `--store`), unless the study was kept in memory and is gone.
 */
const firstFailure = (first: FailedTrial, run: PreparedRun, flags: RunFlags): string => {
  // With what the program said on stderr, or where the error was thrown: under --quiet this line is all there is
  // (trial 62: the progress lines had it, the summary not).
  const message = `${first.error.code} ${printable(first.error.message.split('\n')[0] ?? '', true)}${failureNote(first.error.details, first.error.message)}`;
  const error = ` (the first to fail, #${first.number}: ${message})`;
  if (run.experiment.config.store.use === 'memory') return `${error}; its memory store kept nothing to list.`;
  return `${error}; see \`${studyCommand('trials', runFileOf(run, flags))}\`.`;
};

const checkStudiesExist = async (
  runs: readonly PreparedRun[],
  /** Each run's study as its store keeps it (`readStudyRecords`), in the order of `runs`. */
  reads: readonly Read<StudyRecord>[],
  output: Output,
  flags: RunFlags,
): Promise<readonly PreparedRun[]> => {
  /** The command that starts the studies never started: `parzen run` with the configs and the run's `--store`. */
  const rerun = (paths: readonly string[]) => commandOf('run', paths, flags).command;
  const notFound = (read: Read<StudyRecord> | undefined) =>
    read?.error instanceof ParzenError && read.error.code === 'STUDY_NOT_FOUND';
  // A store that cannot be read is said as it is (as a run would say it).
  const broken = reads.find((read) => 'error' in read && read.error !== undefined && !notFound(read));
  if (broken !== undefined) throw broken.error;
  const present = runs.filter((_, at) => !notFound(reads[at]));
  const missing = runs.filter((_, at) => notFound(reads[at]));
  const first = reads.find(notFound)?.error;
  if (present.length === 0 && first !== undefined) {
    // One sentence naming the study and its store and the run that starts it (trial: "Nothing to resume: No study
    // at ...", two sentences glued, the store's own words with another command's placeholder); a batch's studies
    // together.
    const paths = [...new Set(runs.map((run) => run.configPath))];
    const error = missingTogether(reads.map((read) => read.error));
    // One config: the error names its file, as run's errors do (trial 88: no `file` in --json).
    throw paths.length === 1 ? new ConfigProblems([{ path: paths[0] as string, error }]) : error;
  }
  // A batch stopped part way (trial 72: "Nothing to resume" while one of its studies was 20 of 150 trials
  // in): the studies it started are resumed, those it never started are said and left to `parzen run`.
  if (missing.length > 0) {
    const names = missing.map((run) => run.experiment.config.name);
    const one = names.length === 1;
    output.note(
      `parzen: ${one ? 'study' : `${names.length} studies`} ${listNames(names)} ${one ? 'was' : 'were'} never started, so ${one ? 'it is' : 'they are'} not resumed: \`${rerun([...new Set(missing.map((run) => run.configPath))])}\` starts ${one ? 'it' : 'them'} and continues the others.`,
    );
    await closeStarted(missing);
  }
  return present;
};

/**
 * Refuses a batch any of whose studies its store holds with another direction or space, before any of them
 * runs (trial 72: with the space edited, each stored study failed in turn while the new variants of the
 * matrix were created with the new space, so that neither the old config nor the new one ran cleanly after).
 * A store that cannot be read leaves only its own studies unchecked (review 79), for their runs to say. One
 * config alone is left to its run, which refuses it the same way before any trial.
 */
const refuseMismatchedStudies = async (
  runs: readonly PreparedRun[],
  reads: readonly Read<StudyRecord>[],
  flags: RunFlags,
): Promise<void> => {
  if (runs.length < 2) return;
  const refused: { run: PreparedRun; error: ParzenError }[] = [];
  runs.forEach((run, at) => {
    const read = reads[at];
    if (read === undefined || !('value' in read)) return;
    const { name, direction, space, seed } = run.experiment.config;
    try {
      checkSameStudy(read.value, { name, direction, space, seed });
    } catch (error) {
      if (error instanceof ParzenError) refused.push({ run, error });
      else throw error;
    }
  });
  const [first] = refused;
  if (first === undefined) return;
  const names = refused.map(({ run }) => run.experiment.config.name);
  // The first said as a run of it alone says it: with the command that deletes its study (first when it has no
  // complete trial, else after the recipe that carries trials over).
  const amended = await withStudyDeletion(first.error, first.run.experiment, runFileOf(first.run, flags));
  const said = amended instanceof ParzenError ? amended : first.error;
  throw new ParzenError(
    'STUDY_MISMATCH',
    `${refused.length === 1 ? '1 study' : `${refused.length} studies`} of this batch ${refused.length === 1 ? 'is' : 'are'} stored with another direction or search space (${listNames(names)}); nothing ran. The first: ${said.message}`,
    { issues: said.issues },
  );
};

/**
 * Each run's row of the comparison: its variant (the study name, without a matrix), followed by its
 * config file when configs of different files have that name (`cmp (tpe.json)`, `cmp (random.json)`),
 * so their runs are not counted as one variant's.
 */
const variantLabels = (runs: readonly PreparedRun[]): string[] => {
  const files = new Map<string, Set<string>>();
  for (const { variant, configPath } of runs)
    files.set(variant.variant, (files.get(variant.variant) ?? new Set()).add(configPath));
  return runs.map(({ variant, configPath }) =>
    (files.get(variant.variant)?.size ?? 0) > 1 ? `${variant.variant} (${configPath})` : variant.variant,
  );
};

/**
 * The notes of a batch's configs (`study NAME: POINTER: MESSAGE`, as a run says them), each config's in turn, those
 * of a matrix's studies that differ only in the study's name said once for all of them.
 */
const batchNotes = (runs: readonly PreparedRun[]): string[] =>
  [...new Set(runs.map((run) => run.configPath))].flatMap((path) =>
    foldStudyNotes(
      runs
        .filter((run) => run.configPath === path)
        .flatMap(({ experiment }) =>
          (experiment.notes ?? []).map((note) => ({
            study: experiment.config.name,
            template: `${STUDY_SLOT}: ${note.pointer}: ${note.message}`,
          })),
        ),
    ),
  );

/** Runs the prepared runs in turn until done or interrupted; in a batch a failing run does not stop the rest. */
const executeRuns = async (
  runs: readonly PreparedRun[],
  interrupts: InterruptHandlers,
  report: (result: RunResult, run: PreparedRun) => void,
  output: Output,
  flags: RunFlags,
  /** Told when a run is stopped by a signal before its study opened (while it waited for a lock). */
  onStoppedWaiting: (error: unknown) => void,
): Promise<BatchOutcome[]> => {
  const outcomes: BatchOutcome[] = [];
  const labels = variantLabels(runs);
  // A batch's notes on its configs are said once, before its runs: a matrix's folded as validate folds them (each
  // run said them again, once per study).
  const batch = runs.length > 1;
  if (batch) for (const line of batchNotes(runs)) output.note(`parzen: warning: ${line}`);
  for (const [index, run] of runs.entries()) {
    if (interrupts.signal.aborted) {
      const left = runs.slice(index);
      const names = left.map((waiting) => waiting.experiment.config.name);
      output.note(
        `parzen: interrupted (${interrupts.received()}) before ${
          left.length === 1 ? `study ${names[0]}` : `${left.length} studies (${listNames(names)})`
        } started: ${left.length === 1 ? 'it' : 'they'} did not run.`,
      );
      await closeStarted(left);
      break;
    }
    const { config } = run.experiment;
    const base = {
      variant: labels[index] as string,
      study: config.name,
      direction: config.direction,
      configPath: run.configPath,
      problem: problemKey(config.space, config.objective),
    };
    try {
      // The reporters the run cuts off for throwing, for --json (heard on the run's bus).
      const reportersCutOff: ReporterCutOff[] = [];
      // A batch's studies were read beforehand, and their notes said (noteForeignStoreFiles).
      const foreign = runs.length === 1 ? foreignFileWatch(run, output) : undefined;
      const controls = {
        signal: interrupts.signal,
        forceSignal: interrupts.forceSignal,
        onWarning: (message: string) => {
          // Below the progress bar, not under it (a bar's cursor restore wrote over it).
          pauseProgressBars();
          output.note(`parzen: warning: ${message}`);
        },
        // The objective the preflight built, so it is not built twice.
        ...(run.started === undefined ? {} : { started: run.started }),
        // Named in the commands its warnings suggest, with the flags that find the same study.
        configFile: runFileOf(run, flags),
        onEvent: (event: EngineEvent) => {
          if (event.type === 'plugin.failed')
            reportersCutOff.push({ reporter: event.plugin, message: event.error.message });
          foreign?.started(event);
        },
      };
      const experiment = batch ? { ...run.experiment, notes: [] } : run.experiment;
      const ran = await runLoadedExperiment(experiment, controls).finally(() => foreign?.done());
      // In the study's order of the parameters, as its trial lines, `trials` and `best` (review 41).
      const result = { ...ran, summary: inSpaceOrder(ran.space, ran.summary) };
      // --json's waitingEntries counts entries left in the queue: none in a store that keeps nothing (review 155).
      const { waitingEntries: _gone, ...forgotten } = result;
      outcomes.push({ ...base, result: keptAfterRun(run) ? result : forgotten, reportersCutOff });
      report(result, run);
      const failed = failedRun(result);
      if (failed !== undefined && !interrupts.signal.aborted)
        output.note(
          failed.number < result.existingTrials
            ? // A rerun that ran nothing ends as the run before it did (it exited 0 and said nothing of the failures).
              `parzen: study ${base.study} has no successful trial, and nothing ran: it has its ${countOf(result.existingTrials, 'trial')} already, all from earlier runs, and ${earlierTrialsEnded(result)}${firstFailure(failed, run, flags)} Fix the objective, then --more-trials N runs N more.`
            : `parzen: every trial of study ${base.study} in this run failed${firstFailure(failed, run, flags)}`,
        );
      // The run's own message says why and what is left (the objective could not start: no limit to raise).
      if (result.reason === 'failures' && !(result.stopMessage ?? '').includes('could not start the objective'))
        output.note(
          `parzen: study ${base.study} stopped early because its trials kept failing (budget.maxConsecutiveFailures; unset, 10 before any trial of the run worked): fix the objective and run again (a run counts afresh), or raise the limit if much of the space fails.`,
        );
    } catch (thrown) {
      // Another search space: with the command that deletes the study (the first step when it has no complete trial).
      // A full disk: with the finished trials it kept, and what to do (trial lines alone said nothing of them).
      const error = await withStudyDeletion(
        await saidWithTrialsKept(thrown, run.experiment),
        run.experiment,
        runFileOf(run, flags),
      );
      // Told to stop while the store waited for another process's lock: nothing ran, nothing is lost.
      if (interrupts.signal.aborted && error instanceof ParzenError && error.code === 'INTERRUPTED') {
        output.note(`parzen: study ${base.study}: ${error.message}`);
        onStoppedWaiting(error);
        await closeStarted(runs.slice(runs.indexOf(run) + 1));
        break;
      }
      // One run: the error is the command's, reported with the config it came from.
      // A store the --store flag chose: its problem is the flag's (the config may have no `store`).
      if (runs.length === 1)
        throw new ConfigProblems([
          {
            path: run.configPath,
            error: flags.store === undefined ? error : blameStoreFlag(error, storeFlag(flags.store)),
          },
        ]);
      outcomes.push({ ...base, error });
      output.note(`parzen: study ${base.study} stopped with an error: ${(error as Error).message}`);
    }
  }
  return outcomes;
};

/** A variant's matrix values without the seed (runs of one variant differ only in it). */
const withoutSeed = (values: Readonly<Record<string, unknown>>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(values).filter(([key]) => key.replace(/^\//, '') !== 'seed'));

/**
 * After a batch: the comparison table; with `--json` the table on stderr and one line `{"comparison": [...], "runs":
 * [...]}` on stdout.
 */
const printComparison = (
  outcomes: readonly BatchOutcome[],
  flags: RunFlags,
  output: Output,
  legend: readonly string[] = [],
  /** What each variant's matrix set, seed aside, by variant label (its row in `--json`). */
  valuesOf: ReadonlyMap<string, Readonly<Record<string, unknown>>> = new Map(),
  /** `--json` lines of runs that did not run (`--more-trials 0` on studies not made yet), after the others. */
  notRun: readonly Record<string, unknown>[] = [],
  /** What each matrix variant's matrix set, the seed too, by {@link runKey} (its `runs` line in `--json`). */
  runValues: ReadonlyMap<string, Readonly<Record<string, unknown>>> = new Map(),
): void => {
  const mixed = mixedDirections(outcomes);
  if (mixed !== undefined)
    output.note(
      `parzen: no comparison table: the studies do not share a direction (${mixed}), so their best losses cannot be ranked together.`,
    );
  const rows = mixed === undefined ? compareOutcomes(outcomes) : [];
  if (mixed !== undefined && flags.json !== true) return;
  // With --json the table is for people too, on stderr with the rest of the human summary (a CI user's log of
  // a batch had every study's summary and not the comparison).
  const human = (line: string) => (flags.json === true ? output.note(line) : output.result(line));
  // With --json --quiet stderr carries only warnings and errors: the table is left to the JSON.
  if (rows.length > 0 ? !(flags.json === true && flags.quiet === true) : flags.json !== true) {
    human(`${flags.quiet === true ? '' : '\n'}${formatComparison(rows)}`);
    if (legend.length > 0) human(legendText(legend));
    const tested = versusFirstNote(rows);
    if (tested !== undefined) human(tested);
  }
  // Said with --json too, on stderr (trial 64: a script plotted a median of a 30-trial and a 1-trial run, unsaid).
  // Runs of one variant with different trial counts (an interrupted run), or with more trials failed or cut
  // short than other runs of their length: not like for like (trials 36 and 72).
  for (const note of unevenNotes(outcomes)) output.note(note);
  const snapshot = snapshotNote(outcomes);
  if (snapshot !== undefined) output.note(snapshot);
  if (flags.json !== true) return;
  const runs = outcomes.map((outcome) =>
    outcome.result === undefined
      ? // The run's error as `--json` words errors elsewhere, with its code (trial 36: a script string-matched).
        { study: outcome.study, reason: 'error', error: errorEntry(outcome.error, outcome.configPath) }
      : runJson(outcome.result, outcome.reportersCutOff),
  );
  // A matrix variant's with what its matrix set, the seed too, as `best --json` gives it (to pivot by).
  runs.forEach((line, at) => {
    const outcome = outcomes[at] as BatchOutcome;
    const values = runValues.get(runKey(outcome.configPath, outcome.study));
    if (values !== undefined) runs[at] = { ...line, values };
  });
  runs.push(...notRun);
  // Each row with what its variant set (trial 36: a digest label such as tpe-045746 said nothing to a script).
  const described = rows.map((row) => ({ ...row, values: valuesOf.get(row.variant) ?? {} }));
  output.result(JSON.stringify({ comparison: described, runs }));
};

/**
 * A matrix variant whose study is not in its store yet, while the study earlier versions named it is
 * (variants are named by their value now): said before it runs, so its trials starting from 0 is no mystery.
 */
const noteLegacyStudies = async (runs: readonly PreparedRun[], output: Output): Promise<void> => {
  for (const run of runs) {
    const legacy = run.variant.legacyStudy;
    if (legacy === undefined) continue;
    let store: Awaited<ReturnType<typeof openStoreForReading>> | undefined;
    try {
      store = await openStoreForReading(run.experiment);
      const exists = (name: string) =>
        (store as NonNullable<typeof store>).getStudy(name).then(
          () => true,
          () => false,
        );
      if (!(await exists(run.variant.study)) && (await exists(legacy)))
        output.note(
          `parzen: the store holds study ${legacy}, the name earlier versions gave this variant; this run starts ${run.variant.study} ` +
            `(a variant is now named by its value alone, so a reordered or cut list cannot mix two). Read the old one with --study ${legacy}.`,
        );
    } catch {
      // A store that cannot be read here is said when the run opens it.
    } finally {
      await store?.close();
    }
  }
};

/**
 * Says when a study's own store file holds other studies but not it ({@link foreignStoreFileNote}), from the
 * studies read already (`reads`, a batch's or a resume's); a single run's is said when it starts
 * ({@link foreignFileWatch}).
 */
const noteForeignStoreFiles = (runs: readonly PreparedRun[], reads: readonly Read<StudyRecord>[], output: Output) => {
  for (const [at, run] of runs.entries()) {
    const read = reads[at];
    if (read?.error === undefined) continue;
    const held = studiesHeldBeside(read.error) ?? [];
    const notes = [
      ownStoreFile(run) ? foreignStoreFileNote(run.experiment, held) : undefined,
      caseVariantNote(run.experiment.config.name, held),
    ];
    for (const note of notes) if (note !== undefined) output.note(`parzen: note: ${run.configPath}: ${note}.`);
  }
};

/** The file of a bare `jsonl` or `sqlite` store (named after the study), when it is there. */
const ownStoreFile = (run: PreparedRun): boolean => {
  const { store } = run.experiment.config;
  const file = storeFile(run.experiment);
  return (
    perStudyFileName(store.use) !== undefined &&
    store.options?.path === undefined &&
    file !== undefined &&
    existsSync(file)
  );
};

/**
 * For a run with no study read beforehand: the foreign-file note, looked for only when the run's own open of the
 * store says it started the study anew in a file that was there (review 155: listing every run's file beforehand
 * parsed a 20,000-trial journal twice, +0.55 s at each start). `started` hears the run's events; `done` waits for
 * the look.
 */
const foreignFileWatch = (run: PreparedRun, output: Output) => {
  const there = ownStoreFile(run);
  // A store that others share is looked at too, for a study whose name differs only in case from one it holds.
  const shared = run.experiment.config.store.use !== 'memory';
  let look: Promise<void> | undefined;
  const started = (event: EngineEvent) => {
    if (!(there || shared) || event.type !== 'study.started' || event.resumed || look !== undefined) return;
    look = (async () => {
      let opened: Awaited<ReturnType<typeof openStoreForReading>> | undefined;
      try {
        opened = await openStoreForReading(run.experiment);
        const mine = run.experiment.config.name;
        const held = ((await opened.listStudies?.()) ?? []).map((study) => study.name).filter((name) => name !== mine);
        const notes = [there ? foreignStoreFileNote(run.experiment, held) : undefined, caseVariantNote(mine, held)];
        for (const note of notes) if (note !== undefined) output.note(`parzen: note: ${run.configPath}: ${note}.`);
      } catch {
        // A store that cannot be read here: the run says what it meets.
      } finally {
        await opened?.close().catch(() => undefined);
      }
    })();
  };
  return { started, done: async () => look };
};

/**
 * Whether `held` is a matrix variant's study name with its keys in another order: the config's name, then
 * exactly the variant's `key-label` parts, each once, in any order (a match on whole parts, so a value with a
 * dot in it is not cut: review 68; any number of keys: review 69).
 */
const isReordered = (run: PreparedRun, held: string): boolean => {
  const parts = run.variant.parts ?? [];
  const mine = run.experiment.config.name;
  if (parts.length < 2 || held === mine) return false;
  const base = mine.slice(0, mine.length - parts.join('.').length - 1);
  if (!held.startsWith(`${base}.`)) return false;
  const used = new Array<boolean>(parts.length).fill(false);
  const match = (rest: string, left: number): boolean => {
    if (left === 0) return rest === '';
    return parts.some((part, at) => {
      if (used[at] || !rest.startsWith(part)) return false;
      const after = rest.slice(part.length);
      if (left > 1 ? !after.startsWith('.') : after !== '') return false;
      used[at] = true;
      const found = match(left > 1 ? after.slice(1) : after, left - 1);
      used[at] = false;
      return found;
    });
  };
  return match(held.slice(base.length + 1), parts.length);
};

/**
 * Refuses a batch whose matrix variants are not in their stores while a store holds the same variant under
 * its keys' earlier order (a variant is named after its keys in the order they are written): run, it would
 * start every study over (trial 64: writing the matrix keys in another order reran a 56-study batch).
 */
const refuseReorderedStudies = async (runs: readonly PreparedRun[]): Promise<void> => {
  const names = new Set(runs.map((run) => run.experiment.config.name));
  const found: string[] = [];
  // Each shared store read once (a batch's studies often share one journal).
  const byStore = new Map<string, PreparedRun[]>();
  // The files beside each config folder, listed once (review 68: a listing per variant cost seconds).
  const listed = new Map<string, readonly string[]>();
  const filesIn = (folder: string): readonly string[] => {
    let files = listed.get(folder);
    if (files === undefined) {
      files = existsSync(folder) ? readdirSync(folder) : [];
      listed.set(folder, files);
    }
    return files;
  };
  for (const run of runs) {
    const { store, name } = run.experiment.config;
    if ((run.variant.parts ?? []).length < 2 || store.use === 'memory') continue;
    // A bare `jsonl` or `sqlite` store keeps each study in a file named after it, beside the config.
    const named = perStudyFileName(store.use);
    if (named !== undefined && store.options?.path === undefined) {
      const folder = run.experiment.baseDir;
      if (existsSync(join(folder, named(name)))) continue;
      const suffix = named('');
      const held = filesIn(folder)
        .filter((file) => file.endsWith(suffix))
        .map((file) => file.slice(0, -suffix.length))
        .find((other) => !names.has(other) && isReordered(run, other));
      if (held !== undefined) found.push(`${name} (held as ${held}, in ${named(held)})`);
      continue;
    }
    const key = `${run.experiment.baseDir}\u0000${JSON.stringify(store)}`;
    byStore.set(key, [...(byStore.get(key) ?? []), run]);
  }
  for (const group of byStore.values()) {
    let store: Awaited<ReturnType<typeof openStoreForReading>> | undefined;
    try {
      store = await openStoreForReading((group[0] as PreparedRun).experiment);
      const heldNames = new Set(((await store.listStudies?.()) ?? []).map((record) => record.name));
      for (const run of group) {
        const mine = run.experiment.config.name;
        if (heldNames.has(mine)) continue;
        const held = [...heldNames].find((other) => !names.has(other) && isReordered(run, other));
        if (held !== undefined) found.push(`${mine} (held as ${held})`);
      }
    } catch {
      // A store that cannot be read here (not made yet, say) is said when the run opens it.
    } finally {
      await store?.close();
    }
  }
  if (found.length === 0) return;
  throw new CliError(
    `${found.length === 1 ? 'Study' : `${found.length} studies`} ${listNames(found)} ${found.length === 1 ? 'is' : 'are'} not in the store, which holds ${found.length === 1 ? 'it' : 'them'} under the matrix keys' earlier order: a variant is named after its keys in the order they are written, so this run would start ${found.length === 1 ? 'it' : 'them'} over. ` +
      'Write the matrix keys in their earlier order to continue, or give the config another name to start afresh.',
  );
};

/** Worker threads one machine core can usefully run before a `module` objective's threads only add memory. */
const THREADS_PER_CORE = 4;

/**
 * A `module` objective runs each trial in a worker thread of its own (tens of MB each), so a concurrency far
 * above the machine's cores costs memory and gains nothing for a computing objective (concurrency 1000 took
 * 8 GB): said once per config, with the way out for an objective that waits (on I/O, a remote service).
 */
const noteThreadCount = (runs: readonly PreparedRun[], output: Output): void => {
  const cores = availableParallelism();
  // The largest such concurrency of each config (a matrix may vary it).
  const largest = new Map<string, number>();
  for (const { configPath, experiment } of runs) {
    const { concurrency = 1, objective } = experiment.config;
    const isolate = (objective.options as { isolate?: unknown } | undefined)?.isolate;
    if (objective.use !== 'module' || isolate === 'none' || concurrency <= THREADS_PER_CORE * cores) continue;
    largest.set(configPath, Math.max(concurrency, largest.get(configPath) ?? 0));
  }
  for (const [configPath, concurrency] of largest)
    output.note(
      `parzen: warning: ${configPath}: concurrency ${concurrency} runs up to ${concurrency} worker threads of the module objective at once, ` +
        `on ${cores} cores: each takes memory (tens of MB), and a computing objective gains nothing past a few per core. ` +
        'For an objective that waits (on I/O, a remote service), "isolate": "none" runs its trials on one thread.',
    );
};

/**
 * With `--json`, the last stdout line of a run stopped by a signal before it had a summary to print:
 * `{"errors": [{"file", "code": "INTERRUPTED", "message"}]}`, as other failures say it (the file when one
 * config was given).
 */
const interruptedJson = (message: string, paths: readonly string[], output: Output, exitCode: number): void => {
  const error = new CliError(message, exitCode, 'INTERRUPTED');
  output.result(JSON.stringify({ errors: [errorEntry(error, paths.length === 1 ? paths[0] : undefined)] }));
};

/** A line of its own after a terminal's `^C` echo; in a log file (stderr no terminal) no blank line before it. */
const signalLead = (): string => (process.stderr.isTTY === true ? '\n' : '');

/**
 * Ctrl-C (SIGTERM, SIGHUP) while the configs are checked and objectives loaded, before any study is
 * opened for writing: nothing has run and no store was written, so the command says so (with `--json`
 * on stdout too) and exits with the signal's code at once (an objective module still loading cannot be
 * waited for). A signal that came while the CLI itself loaded ({@link takeEarlySignal}) is handled so
 * now. Returns the function that hands signals back (to the run's own handlers).
 */
const exitOnSignalWhilePreparing = (paths: readonly string[], flags: RunFlags, output: Output): (() => void) => {
  const handlers = installInterruptHandlers((name, count) => {
    const code = handlers.exitCode() ?? EXIT.studyError;
    if (count === 1) {
      const message = `interrupted (${name}) while preparing the run: no trial had started, no store was written.`;
      output.note(`${signalLead()}parzen: ${message}`);
      if (flags.json === true) interruptedJson(message, paths, output, code);
    }
    void exitAfterFlush(code);
  });
  const early = takeEarlySignal();
  // Sent again, now that the handlers above hear it.
  if (early !== undefined) process.kill(process.pid, early);
  return handlers.dispose;
};

/**
 * `parzen run <config...>` and `parzen resume <config>`: validates every config (and matrix variant)
 * first, then runs them in turn. One run prints its summary (with `--json`, one JSON line last); several
 * print a comparison table (median best per variant). Ctrl-C stops gracefully and exits 130 (143 on
 * SIGTERM) after printing what finished.
 */
export const runConfigs = async (
  paths: readonly string[],
  flags: RunFlags,
  output: Output,
  resume = false,
): Promise<number> => {
  // With --json, stdout carries the result only: module objectives' own output goes to stderr (trial 58),
  // set before their threads start (a preflight may start them), and back after the command.
  const objectives = flags.json === true ? await import('@parzen/objectives/host') : undefined;
  objectives?.routeObjectiveStdout('stderr');
  try {
    const preparing = exitOnSignalWhilePreparing(paths, flags, output);
    try {
      const prepared = await prepareStudies(paths, flags, output, resume);
      if (prepared.runs.length === 0) {
        preparing();
        return nothingRan(prepared, flags, output);
      }
      // The run's signal handlers take over from the preparing ones with no moment between (review 180: a SIGTERM
      // a module sent itself as it loaded, still pending when the preparing listeners went, was lost, as Node drops
      // a signal whose last listener is removed; the run went on and exited 0).
      return await runPrepared(prepared.runs, paths, flags, output, prepared.batch, prepared.leftOut, preparing);
    } finally {
      preparing();
    }
  } finally {
    objectives?.routeObjectiveStdout('stdout');
  }
};

/** What {@link prepareStudies} made ready to run. */
interface PreparedStudies {
  readonly runs: readonly PreparedRun[];
  /** Whether the command is a batch (a comparison at its end): several runs, before any was left out. */
  readonly batch: boolean;
  /** The runs `--more-trials 0` left out, their studies not made yet. */
  readonly leftOut: readonly PreparedRun[];
}

/**
 * The prepared runs of `paths` (every config checked, objectives loaded); for `resume`, only existing studies; with
 * `--more-trials 0`, none whose study does not exist yet.
 */
const prepareStudies = async (
  paths: readonly string[],
  flags: RunFlags,
  output: Output,
  resume: boolean,
): Promise<PreparedStudies> => {
  if (flags.study !== undefined && paths.length > 1)
    throw new CliError(
      `--study picks one study of a config (one of a matrix's): give one config with it, not ${paths.length}.`,
    );
  const runs = await prepareRuns(paths, {
    overrides: overridesFrom(flags),
    ...(flags.study === undefined ? {} : { study: flags.study }),
    preflight: true,
    oneRunPerStudy: true,
    // Below the progress bar, not under it (a bar's cursor restore wrote over it).
    logger: notesLogger(output, pauseProgressBars),
    ...(flags.quiet === true ? { progress: { force: 'off' as const } } : {}),
    // The CLI prints each run's summary itself; a config's `console` reporter adds its trial lines only,
    // none under --quiet, and on stderr when stdout carries JSON.
    console: {
      summary: false,
      ...(flags.quiet === true ? { off: true } : {}),
      ...(flags.json === true ? { stream: 'stderr' as const } : {}),
    },
  });
  await noteLegacyStudies(runs, output);
  // Each study as its store keeps it, read once for the checks below that need it (a batch's, a resume's).
  let reads: readonly Read<StudyRecord>[] = [];
  try {
    await refuseReorderedStudies(runs);
    if (runs.length > 1 || resume || flags.moreTrials === 0)
      reads = await readStudyRecords(
        runs.map((run) => run.experiment),
        runs.map((run) => askedByRun(run, flags)),
      );
    await refuseMismatchedStudies(runs, reads, flags);
    noteForeignStoreFiles(runs, reads, output);
  } catch (error) {
    await closeStarted(runs);
    throw error;
  }
  noteThreadCount(runs, output);
  const ready = flags.moreTrials === 0 ? noTrialsToRun(runs) : runs;
  // A matrix that sets the seed overrides the flag (as documented): said, not silent (trial 36); so does one that
  // sets the trial count (trial 64: --max-trials was dropped without a word) or the time limit.
  // A matrix key may be written as a pointer (`/seed`, `/budget/maxTrials`; review 67: those were missed).
  const notUsed = (flag: string | undefined, keys: readonly string[], what: string) => {
    if (flag === undefined) return;
    const configs = [...new Set(runs.filter((run) => matrixSets(run, keys)).map((run) => run.configPath))];
    if (configs.length > 0)
      output.note(
        `parzen: warning: ${flag} is not used by ${configs.join(', ')}: ${configs.length === 1 ? 'its matrix sets' : 'their matrices set'} the ${what} of each run.`,
      );
  };
  notUsed(flags.seed === undefined ? undefined : `--seed ${flags.seed}`, ['seed'], 'seed');
  notUsed(
    flags.maxTrials !== undefined
      ? `--max-trials ${flags.maxTrials}`
      : flags.moreTrials !== undefined
        ? `--more-trials ${flags.moreTrials}`
        : undefined,
    // Not used where the matrix sets the same count or the whole budget (a variant's other count applies beside it).
    flags.maxTrials !== undefined ? ['budget', 'budget/maxTrials'] : MORE_TRIALS_KEYS,
    'budget',
  );
  notUsed(
    flags.maxSeconds === undefined ? undefined : `--max-seconds ${flags.maxSeconds}`,
    ['budget', 'budget/maxSeconds'],
    'budget',
  );
  if (resume) {
    try {
      const present = await checkStudiesExist(ready, reads, output, flags);
      return { runs: present, batch: present.length > 1, leftOut: [] };
    } catch (error) {
      await closeStarted(runs);
      throw error;
    }
  }
  if (flags.moreTrials !== 0) return { runs: ready, batch: ready.length > 1, leftOut: [] };
  // `--more-trials 0` on a study not made yet ran nothing and created it empty: left out, said, and not created.
  const isNew = (at: number) => {
    const { error } = reads[at] ?? {};
    return error instanceof ParzenError && error.code === 'STUDY_NOT_FOUND';
  };
  const leftOut = ready.filter((run, at) => !matrixSets(run, MORE_TRIALS_KEYS) && isNew(at));
  if (leftOut.length > 0) {
    const names = (kept: boolean) =>
      leftOut.filter((run) => keptAfterRun(run) === kept).map((run) => run.experiment.config.name);
    const stored = names(true);
    if (stored.length > 0)
      output.note(
        stored.length === 1
          ? `parzen: study ${stored[0]} does not exist yet, and --more-trials 0 runs no trial: nothing ran, and the study was not created.`
          : `parzen: studies ${listNames(stored)} do not exist yet, and --more-trials 0 runs no trial: nothing ran in them, and they were not created.`,
      );
    // A store in memory keeps nothing after its run: its study never exists before one, and "not created" told of a
    // study a later run could find.
    const inMemory = names(false);
    if (inMemory.length > 0)
      output.note(
        `parzen: ${inMemory.length === 1 ? `study ${inMemory[0]} is` : `studies ${listNames(inMemory)} are`} kept in memory, where nothing outlasts a run: each run starts ${inMemory.length === 1 ? 'it' : 'them'} empty, and --more-trials 0 runs no trial, so nothing ran (a store such as --store jsonl keeps a study for --more-trials to add to).`,
      );
    await closeStarted(leftOut);
  }
  return { runs: ready.filter((run) => !leftOut.includes(run)), batch: ready.length > 1, leftOut };
};

/**
 * A command with no run left (`--more-trials 0`, every study not made yet): exit 0, as for a zero count a script
 * computed; with `--json`, the line a run would print, a new study's with no trial (a batch's, with no row).
 */
const nothingRan = (prepared: PreparedStudies, flags: RunFlags, output: Output): number => {
  if (flags.json !== true) return EXIT.ok;
  const lines = prepared.leftOut.map(newStudyJson);
  output.result(JSON.stringify(prepared.batch ? { comparison: [], runs: lines } : lines[0]));
  return EXIT.ok;
};

/** A run's key among a batch's: its config and study (two configs kept in memory may name one study). */
const runKey = (configPath: string | undefined, study: string): string => `${configPath ?? ''}\u0000${study}`;

/** A matrix variant's values, the seed too (`values` of its `--json` line), by {@link runKey}; none without a matrix. */
const matrixValuesOf = (runs: readonly PreparedRun[]): Map<string, Readonly<Record<string, unknown>>> =>
  new Map(
    runs.flatMap(({ configPath, variant }) =>
      Object.keys(variant.values).length === 0 ? [] : [[runKey(configPath, variant.study), variant.values] as const],
    ),
  );

/** The `--json` line of a run `--more-trials 0` left out: a new study's, with no trial (the study was not made). */
const newStudyJson = ({ experiment: { config }, variant }: PreparedRun): Record<string, unknown> => ({
  ...summaryJson(
    {
      study: config.name,
      direction: config.direction,
      complete: 0,
      failed: 0,
      pruned: 0,
      running: 0,
      best: undefined,
      bestParams: undefined,
    },
    'max-trials',
  ),
  resumed: false,
  existingTrials: 0,
  ...(Object.keys(variant.values).length === 0 ? {} : { values: variant.values }),
});

/**
 * The matrix keys that replace the flag's `moreTrials` in a variant: the whole `budget`, or its `moreTrials`. A
 * variant that sets only `/budget/maxTrials` keeps the flag's count (the stand-in 1), so it is set to 0 too.
 */
const MORE_TRIALS_KEYS = ['budget', 'budget/moreTrials'];

/** Whether the run's matrix variant sets one of `keys` (a matrix entry wins over the run's flags). */
const matrixSets = (run: PreparedRun, keys: readonly string[]): boolean =>
  Object.keys(run.variant.values).some((key) => keys.includes(key.replace(/^\//, '')));

/**
 * `--more-trials 0` (a script's computed count, `$((want - have))`, when the study has them all): each run the
 * flag applies to runs no trial, as a rerun at its limit does (its progress says so), and prints its study's summary. The config schema's
 * `moreTrials` starts at 1, so the configs were checked with 1, and the count is set to 0 here.
 */
const noTrialsToRun = (runs: readonly PreparedRun[]): readonly PreparedRun[] =>
  runs.map((run) => {
    if (matrixSets(run, MORE_TRIALS_KEYS)) return run;
    const { config } = run.experiment;
    return {
      ...run,
      experiment: { ...run.experiment, config: { ...config, budget: { ...config.budget, moreTrials: 0 } } },
    };
  });

/** Runs the prepared runs with the run's Ctrl-C handling, then prints the summary or the comparison. */
const runPrepared = async (
  runs: readonly PreparedRun[],
  paths: readonly string[],
  flags: RunFlags,
  output: Output,
  /** Whether to end with a comparison: several runs were prepared (before any was left out). */
  batch = runs.length > 1,
  /** The runs `--more-trials 0` left out (their studies not made yet), which `--json` lists after the others. */
  leftOut: readonly PreparedRun[] = [],
  /** Removes the signal handlers that were listening until now, once the run's own listen. */
  handOver: () => void = () => undefined,
): Promise<number> => {
  // What the first signal does depends on the grace period (trial 35: with 0 the notice promised to let
  // running trials finish, and they were interrupted at once): one for every run, or each run's own.
  const graces = new Set(runs.map((run) => run.experiment.config.gracePeriodSeconds));
  const grace = graces.size === 1 ? [...graces][0] : undefined;
  const again = (name: string) => (name === 'SIGINT' ? 'press Ctrl-C again' : `send ${name} again`);
  const lead = signalLead();
  const interrupts = installInterruptHandlers((name, count) => {
    pauseProgressBars();
    // A third signal: out at once, cleanup or not (review 50: a store whose close never settled held the
    // process after the second); the trials were recorded as interrupted at the second.
    if (count > 2) {
      output.note(`${lead}${name}: exiting without waiting for the stores and objectives to close.`);
      void exitAfterFlush(interrupts.exitCode() ?? EXIT.studyError);
      return;
    }
    output.note(
      count > 1
        ? `${lead}${name}: stopping now (${again(name)} to exit without waiting for the stores and objectives to close).`
        : grace === 0
          ? `${lead}${name}: stopping; running trials are recorded as interrupted at once (gracePeriodSeconds is 0).`
          : `${lead}${name}: letting running trials finish (up to ${grace === undefined ? "the run's gracePeriodSeconds" : `${grace} s, the grace period`}), then stopping (${again(name)} to stop now).`,
    );
  });
  handOver();
  // Whether the command's last output (a run's summary, a batch's comparison) is being written: a reader of stdout
  // that goes away from then on is said once that output is flushed, not as one that left while trials ran.
  let atLastOutput = false;
  // A run's summary is for people: on stdout, or on stderr when stdout carries JSON; a quiet batch shows only the
  // table. With --json --quiet, stdout's JSON is the summary, and stderr carries only warnings and errors.
  const report = (result: RunResult, run: PreparedRun) => {
    if (!batch) atLastOutput = true;
    if (flags.quiet === true && (batch || flags.json === true)) return;
    if (flags.json === true) output.note(humanSummary(result, run, flags));
    else output.result(humanSummary(result, run, flags));
  };
  let outcomes: BatchOutcome[];
  let stoppedWaiting: unknown;
  // A study's journal store leaves what it read to the next study's on the same file (trial 136: each study of a
  // 1,000-study matrix read the whole journal again, a minute for a rerun with nothing to run).
  const releaseJournals = keepClosedJournals();
  // Trial 149: said, so that an EPIPE is not taken for the objective's error (it was, in a script's runCli).
  let saidGone = false;
  const unlisten = onStdoutGone(() => {
    if (atLastOutput) return;
    saidGone = true;
    output.note(
      `parzen: the reader of stdout closed the pipe (\`| head\`): the run goes on to its end, and what it or an objective prints on stdout from now on is dropped${flags.json === true ? ', the --json result too (so the run exits 1 where it would have exited 0)' : ''}.`,
    );
  });
  try {
    outcomes = await executeRuns(runs, interrupts, report, output, flags, (error) => {
      stoppedWaiting = error;
    });
  } catch (error) {
    unlisten();
    throw error;
  } finally {
    releaseJournals();
    interrupts.dispose();
  }
  atLastOutput = true;
  const single = outcomes[0]?.result;
  const singleCutOff = outcomes[0]?.reportersCutOff;
  if (batch)
    printComparison(
      outcomes,
      flags,
      output,
      // Only the labels of rows in the table (trial 72: a run stopped before the tpe studies still explained
      // their label).
      variantLegend(
        runs.filter((run) => outcomes.some((o) => o.study === run.variant.study)).map((run) => run.variant),
      ),
      new Map(runs.map(({ variant }) => [variant.variant, withoutSeed(variant.values)])),
      leftOut.map(newStudyJson),
      matrixValuesOf(runs),
    );
  else if (flags.json === true && single !== undefined) output.result(JSON.stringify(runJson(single, singleCutOff)));
  // Stopped before the study opened (waiting for another process's lock): no summary, the error instead.
  else if (flags.json === true && stoppedWaiting !== undefined)
    output.result(JSON.stringify({ errors: [errorEntry(stoppedWaiting, paths[0])] }));
  const failed = outcomes.some(
    (outcome) =>
      outcome.error !== undefined ||
      (outcome.result !== undefined &&
        (failedRun(outcome.result) !== undefined || outcome.result.reason === 'failures')),
  );
  const code = interrupts.exitCode() ?? (failed ? EXIT.studyError : EXIT.ok);
  // Whether the last output reached stdout's reader: one that left by now (a CI step's recorder that died) lost it.
  await output.flushResults?.();
  unlisten();
  if (output.readerGone?.() !== true) return code;
  if (!saidGone) output.note(lastOutputLost(runs, flags));
  // The --json result is the command's output for a script: lost, the command failed, as `export -o` fails then.
  return flags.json === true && code === EXIT.ok ? EXIT.studyError : code;
};

/**
 * Said when stdout's reader went away before the run's summary (a batch's comparison) was written, unsaid until then:
 * what was lost, and where the results are.
 */
const lastOutputLost = (runs: readonly PreparedRun[], flags: RunFlags): string => {
  const json = flags.json === true;
  const what = `${runs.length > 1 ? "the batch's" : "the run's"} ${json ? '--json result' : runs.length > 1 ? 'comparison' : 'summary'}`;
  const kept = runs.filter(keptAfterRun);
  const where =
    kept.length === 0
      ? `its trials are gone with ${runs.length > 1 ? 'the memory stores' : 'its memory store'}`
      : runs.length === 1
        ? `its trials are in its store: \`${studyCommand('best', runFileOf(runs[0] as PreparedRun, flags))}${json ? ' --json' : ''}\` prints the study's result`
        : `their trials are in their stores: \`parzen best\` with the same configs${flags.store === undefined ? '' : ` and ${storeFlagWords(flags.store)}`} prints each study's best`;
  return `parzen: ${json ? 'OUTPUT_FAILED: ' : ''}the reader of stdout closed the pipe before ${what} was written, so it was lost${json ? ', and the run exits 1' : ''}; ${where}.`;
};
