import type { LoadedExperiment } from '@parzen/engine';
import { countOf } from '@parzen/engine/host';
import { checkSameStudy } from '@parzen/engine/plugin';
import { ConfigProblems } from '../config-problems.js';
import { listNames } from '../list-names.js';
import { notesLogger, type Output } from '../output.js';
import { closeStarted, prepareRuns } from '../prepare-runs.js';
import { errorEntry, reportError } from '../report-error.js';
import { readStudyRecords } from '../study-trials.js';

/** `, NAME VALUE`, unless every variant has the default (`none`, or `byDefault`). */
const optional = (name: string, value: string, byDefault = 'none'): string =>
  value === byDefault ? '' : `, ${name} ${value}`;

/** `, 2 enqueued trials`, unless no variant enqueues any. */
const enqueued = (value: string): string => (value === '0 enqueued trials' ? '' : `, ${value}`);

/**
 * Says the problems, then the files that passed their own checks (trial 58: a mix gave only the errors; trial 87:
 * still so without --json); the checks across files (two configs of one study) run once every file is valid.
 */
const reportProblems = (error: ConfigProblems, paths: readonly string[], output: Output, json: boolean): number => {
  const code = reportError(error, false, output);
  const failed = new Set(error.problems.map((problem) => problem.path));
  const passed = paths.filter((path) => !failed.has(path));
  // Refused by a check across the files (one study twice, a study its store holds otherwise), the others were
  // checked with them too (review 91).
  const across = error.problems.every((problem) =>
    ['STUDY_RUN_TWICE', 'STUDY_MISMATCH'].includes((problem.error as { code?: string }).code ?? ''),
  );
  if (!json) {
    for (const path of passed)
      output.result(`${path}: valid${across ? '' : ' on its own (checked with the others once they are valid too)'}`);
    return code;
  }
  output.result(
    JSON.stringify({
      errors: error.problems.map((problem) => errorEntry(problem.error, problem.path)),
      valid: passed.map((file) => ({ file })),
    }),
  );
  return code;
};

/**
 * `parzen validate <config...>`: checks each config like `run` does (schema, space, plugin options, the
 * objective's module or program) without running a trial, and says what would run.
 */
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
  // trial (STUDY_MISMATCH), so validate says so now (a store that cannot be read is left to the run).
  const reads = await readStudyRecords(runs.map((run) => run.experiment));
  const mismatched = runs.flatMap((run, at) => {
    const read = reads[at];
    if (read === undefined || !('value' in read) || read.value === undefined) return [];
    const { name, direction, space, seed } = run.experiment.config;
    try {
      checkSameStudy(read.value, { name, direction, space, seed });
      return [];
    } catch (error) {
      return [{ path: run.configPath, error }];
    }
  });
  if (mismatched.length > 0) return reportProblems(new ConfigProblems(mismatched), paths, output, json);
  const valid: { file: string; studies: string[]; notes?: string[] }[] = [];
  for (const path of paths) {
    const mine = runs.filter((run) => run.configPath === path);
    const first = mine[0]?.experiment;
    if (first === undefined) continue;
    // What the variants of a matrix have: each distinct value once (`suggester random | tpe`).
    const each = (describe: (experiment: LoadedExperiment) => string): string =>
      [...new Set(mine.map((run) => describe(run.experiment)))].join(' | ');
    const what =
      `${each(({ space }) => countOf(space.params.length, 'parameter'))}, ` +
      `objective ${each(({ config }) => config.objective.use)}, suggester ${each(({ config }) => config.suggester.use)}, ` +
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
      enqueued(each(({ config }) => countOf(config.enqueue?.length ?? 0, 'enqueued trial')));
    const studies =
      mine.length > 1
        ? `${mine.length} matrix variants (${listNames(mine.map((run) => run.experiment.config.name))})`
        : `study ${first.config.name}`;
    // Options that do nothing where they are (a run warns of them too), once for a matrix's variants.
    const notes = new Set(
      mine.flatMap((run) => (run.experiment.notes ?? []).map((note) => `${note.pointer}: ${note.message}`)),
    );
    for (const note of notes) output.note(`${path}: note: ${note}`);
    valid.push({
      file: path,
      studies: mine.map((run) => run.experiment.config.name),
      ...(notes.size === 0 ? {} : { notes: [...notes] }),
    });
    if (json) output.note(`${path}: valid: ${studies}; ${what}`);
    else output.result(`${path}: valid: ${studies}; ${what}`);
  }
  if (json) output.result(JSON.stringify({ valid }));
  return 0;
};
