import { existsSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { countOf, PARZEN_VERSION, presentSuggester, printable, shellQuoted, trialToRow } from '@parzen/engine/host';
import {
  activeParamNames,
  type CompiledSpace,
  type FinishedTrial,
  type ImportedTrialRow,
  toExternalParams,
} from '@parzen/engine/plugin';
import { commandOf } from '../command-words.js';
import { forConfig } from '../config-problems.js';
import { CliError } from '../exit-codes.js';
import { listNames } from '../list-names.js';
import type { Output } from '../output.js';
import { configInputs, existingOutput, refuseOverwritingInputs, writeOutputFile } from '../output-file.js';
import type { WhereCondition } from '../parse-flags.js';
import { EXPORT_VERSION, type ExportHeader } from '../trial-file.js';
import { loadStudies } from './inspect.js';
import { whereEntries, whereText, whereTrials } from './trials-where.js';

/** Flags of `parzen export`. */
export interface ExportFlags {
  readonly output?: string;
  readonly store?: string;
  readonly study?: string;
  readonly salvage?: boolean;
  /** Refused (export writes JSONL only), with the command that writes CSV. */
  readonly csv?: boolean;
  /** With `-o`: print what was written as one JSON line last on stdout (see {@link ExportJson}). */
  readonly json?: boolean;
  /** `export --where model=mlp`: only the trials whose parameters have these values, all of them (as `trials`). */
  readonly where?: readonly WhereCondition[];
}

/** `export --json`'s line: the file written, and what was left out of it. */
export interface ExportJson {
  readonly study: string;
  /** The file written (absolute). */
  readonly output: string;
  /** The number of trials written (each a line after the header): with `--where`, of the matching trials. */
  readonly trials: number;
  /**
   * Trials not written, by number: running ones, and (with --salvage) those whose params were lost; with `--where`,
   * of the matching trials (the others are in neither list).
   */
  readonly leftOut: { readonly running: readonly number[]; readonly salvaged: readonly number[] };
  /** Non-finite values left out of the lines (a pruned trial's loss, an intermediate value): JSON has none. */
  readonly nonFinite: number;
}

/** A row as JSON can hold it: a non-finite loss (a pruned trial's) or intermediate value is left out. */
const finiteRow = (row: ImportedTrialRow): { row: ImportedTrialRow; dropped: number } => {
  const intermediate = row.intermediate?.filter((point) => Number.isFinite(point.value));
  const keepLoss = row.loss === undefined || Number.isFinite(row.loss);
  const dropped = (keepLoss ? 0 : 1) + (row.intermediate?.length ?? 0) - (intermediate?.length ?? 0);
  if (dropped === 0) return { row, dropped };
  const { loss, intermediate: _, ...rest } = row;
  return {
    row: {
      ...rest,
      ...(keepLoss && loss !== undefined ? { loss } : {}),
      ...(intermediate?.length ? { intermediate } : {}),
    },
    dropped,
  };
};

const exportLines = (header: ExportHeader, space: CompiledSpace, trials: readonly FinishedTrial[]) => {
  let dropped = 0;
  const lines = [JSON.stringify(header)];
  for (const trial of trials) {
    const finite = finiteRow(trialToRow(space, trial));
    dropped += finite.dropped;
    lines.push(JSON.stringify(finite.row));
  }
  return { lines, dropped };
};

/**
 * The file the suggested `parzen trials --csv > FILE` writes: the CSV file `-o` named (a .tsv name as .csv), else
 * `trials.csv`; in the working directory when its folder does not exist, which a shell's `>` does not create
 * (export's `-o` does), with a word saying so.
 */
const csvFile = (output: string | undefined, extension: string | undefined): { file: string; moved: string } => {
  if (output === undefined || extension === undefined) return { file: 'trials.csv', moved: '' };
  const named = extension === 'csv' ? output : output.replace(/\.tsv$/i, '.csv');
  if (existsSync(dirname(resolve(named)))) return { file: named, moved: '' };
  return { file: basename(named), moved: `; the folder ${dirname(named)} does not exist, so this writes it here` };
};

/**
 * Refuses CSV asked of export (`--csv`, or `-o` naming a .csv or .tsv file, which got JSONL under that name unsaid:
 * trial 153), pointing at `parzen trials --csv`, whose CSV `import` reads back, as a command that works as shown.
 */
const refuseCsv = (path: string | undefined, flags: ExportFlags): void => {
  const extension = flags.output === undefined ? undefined : /\.(csv|tsv)$/i.exec(flags.output)?.[1]?.toLowerCase();
  if (flags.csv !== true && extension === undefined) return;
  // The store the export would have read: the config's, or --store's (with a config too), without a URL's password
  // (review 149: masked, the command failed as shown).
  const { command, password } = commandOf('trials', path, flags);
  const asked = flags.csv === true ? '--csv' : `-o ${flags.output}`;
  const { file, moved } = csvFile(flags.output, extension);
  throw new CliError(
    `${asked}: \`parzen export\` writes JSONL only (a file for \`parzen import\`)${flags.csv === true ? '' : ", whatever the file's name"}; ` +
      `CSV comes from \`${command} --csv > ${shellQuoted(file)}\` (its rows import too${extension === 'tsv' ? '; there is no TSV' : ''}${moved}${password}). Nothing was written.`,
  );
};

/** `-o`: the file to write, refused before the store is read when it is a folder (its parent folders are created). */
const exportPath = (flag: string, config: string | undefined): string => {
  const file = resolve(flag);
  if (existingOutput(file)?.isDirectory() === true)
    throw new CliError(`-o: ${file} is a folder; give the file to write (such as ${resolve(file, 'export.jsonl')}).`);
  refuseOverwritingInputs(file, configInputs(config === undefined ? [] : [config]));
  return file;
};

/**
 * `parzen export [config] [-o file]`: the study's finished trials as JSONL, to move them to another store
 * (`parzen import`). The first line describes the study (`{"parzen":"export","version":1,"study":...}`);
 * then one line per finished trial, params as the objective sees them. Running trials are left out. The
 * store is opened read-only, as for `parzen trials`.
 */
export const exportStudy = async (path: string | undefined, flags: ExportFlags, output: Output): Promise<number> => {
  const { store, study } = flags;
  // `-` reads standard input for import; here it would name a file `-` (trial 68).
  if (flags.output === '-')
    throw new CliError(
      '-o -: without -o the export goes to standard output: leave -o out (parzen export CONFIG > FILE).',
    );
  if (flags.json === true && flags.output === undefined)
    throw new CliError(
      '--json describes the file export writes, and without -o the export itself goes to stdout: add -o FILE, or leave out --json.',
    );
  const target = flags.output === undefined ? undefined : exportPath(flags.output, path);
  // After the check of the config's own files: the CSV command it names writes to `-o`'s file.
  refuseCsv(path, flags);
  const studies = await forConfig(path, async () => {
    const found = await loadStudies(
      path,
      {
        ...(store === undefined ? {} : { store }),
        ...(study === undefined ? {} : { study }),
        ...(flags.salvage === true ? { salvage: true } : {}),
        waiting: true,
      },
      output,
    );
    if (found.length !== 1)
      throw new CliError(
        `The config describes ${found.length} studies (a matrix: ${found.map(({ record }) => record.name).join(', ')}); ` +
          'export one at a time with --study NAME.',
      );
    return found;
  });
  // With --where, the matching trials only: the header's count, the notes and --json then describe those.
  const [filtered] = whereTrials(studies, flags.where);
  const { record, space, trials, waiting: studyWaiting = [] } = filtered as (typeof studies)[number];
  // And the entries a matching trial could run: the header's keys describe the part exported, not the whole study.
  const waiting = whereEntries(space, studyWaiting, flags.where);
  const where = flags.where === undefined || flags.where.length === 0 ? undefined : whereText(flags.where);
  const allFinished = trials.filter((trial): trial is FinishedTrial => trial.state !== 'running');
  // A salvaged journal may have lost a trial's params line but not its finish: such a trial does not fit
  // the space, and `import` (all or nothing) would refuse the whole file for it. Left out, and said.
  const complete = (trial: FinishedTrial) =>
    flags.salvage !== true || activeParamNames(space, trial.internal).every((name) => name in trial.internal);
  const finished = allFinished.filter(complete);
  const lost = allFinished.filter((trial) => !complete(trial));
  if (lost.length > 0)
    output.note(
      `parzen: left out ${lost.length} salvaged trial(s) whose params were lost (${lost.map((trial) => `#${trial.number}`).join(', ')}).`,
    );
  const { name, direction, seed, suggester, parzenVersion } = record;
  const header: ExportHeader = {
    parzen: 'export',
    version: EXPORT_VERSION,
    study: {
      name,
      direction,
      seed,
      space: record.space,
      // Its settings under their present names (TPE's `compat` is `profile`), as every other command reads them.
      ...(suggester === undefined ? {} : { suggester: presentSuggester(suggester) }),
      // The Parzen version that created the study ("unknown": its store kept none), and the one exporting.
      parzenVersion: parzenVersion ?? 'unknown',
    },
    exportedBy: PARZEN_VERSION,
    ...(waiting.some((entry) => entry.key !== undefined)
      ? { enqueued: { waiting: waiting.flatMap((entry) => entry.key ?? []) } }
      : {}),
    trials: finished.length,
    // A part of the study, said in the file: an import of it is then told from a move of the whole study.
    ...(where === undefined ? {} : { where }),
  };
  // Trial 74: entries waiting in the study vanished on a move, unsaid.
  if (waiting.length > 0)
    output.note(
      `parzen: ${waiting.length === 1 ? '1 enqueued entry waits' : `${waiting.length} enqueued entries wait`} in study ${name}${
        // Review 179: under --where the count is of the entries a matching trial could run, not the study's.
        waiting.length === studyWaiting.length
          ? ''
          : ` that a trial where ${where} could run (of ${studyWaiting.length} waiting)`
      } (${listNames(
        waiting.map((entry) => JSON.stringify(toExternalParams(space, entry.internal))),
      )}): an export carries finished trials only. The moved study's config queues the entries of its \`enqueue\` list again (an import does not take them for run); any other (queued in code, or by an earlier version of the config) must be queued again there.`,
    );
  const { lines, dropped } = exportLines(header, space, finished);
  const running = trials.filter((trial) => trial.state === 'running').map((trial) => trial.number);
  if (running.length > 0)
    output.note(
      `parzen: left out ${running.length} running trial(s) (${running.map((number) => `#${number}`).join(', ')}): only finished trials are exported` +
        // Review 81: an entry a running trial held was neither waiting nor in the file, and an imported trial
        // with its values was then taken for its run.
        ' (an enqueued entry one of them runs is in neither: an imported trial with its values would be taken for its run).' +
        // Trial 74: imported, the later trials took the left-out numbers, and the copy's next trial drew again
        // what an imported one had (random streams follow trial numbers).
        (allFinished.some((trial) => trial.number > (running[0] as number))
          ? ' An import numbers the trials after them anew, so a copy that runs on draws again params some of them were drawn with: for a copy to continue, export once they have ended.'
          : ''),
    );
  if (dropped > 0) output.note(`parzen: left out ${dropped} non-finite value(s) (JSON has no NaN or Infinity).`);
  const held = (studies[0] as (typeof studies)[number]).trials.length;
  if (where !== undefined && trials.length === 0)
    output.note(
      `parzen: no trials where ${where} (of ${countOf(held, 'trial')}): the export has its header line only.`,
    );
  if (flags.output === undefined) {
    for (const line of lines) output.result(line);
    return 0;
  }
  await writeOutputFile(target as string, lines);
  output.note(
    printable(
      `Exported ${countOf(finished.length, 'trial')} of study ${name}${where === undefined ? '' : ` (trials where ${where})`} to ${flags.output}.`,
    ),
  );
  if (flags.json === true) {
    const line: ExportJson = {
      study: name,
      output: target as string,
      trials: finished.length,
      leftOut: {
        running,
        salvaged: lost.map((trial) => trial.number),
      },
      nonFinite: dropped,
    };
    output.result(JSON.stringify(line));
  }
  return 0;
};
