import { CliError, EXIT } from './exit-codes.js';
import type { PreparedRun } from './prepare-runs.js';

/** The run of a config's study a command works on: `--study NAME`'s, or the config's only one. */
export const pickedRun = (runs: readonly PreparedRun[], study: string | undefined): PreparedRun | undefined =>
  study === undefined && runs.length === 1 ? runs[0] : runs.find((run) => run.experiment.config.name === study);

/** The error when {@link pickedRun} finds none: the config's studies, and what to pick. */
export const noPickedRun = (path: string, runs: readonly PreparedRun[], study: string | undefined): CliError =>
  new CliError(
    `${path} describes ${runs.length === 1 ? 'study' : 'studies'} ${runs.map((run) => `\`${run.experiment.config.name}\``).join(', ')}: ${study === undefined ? 'pick one with --study NAME' : `none is named ${study}`}.`,
    EXIT.badInput,
    'CLI_INPUT',
    // A --study the config lacks is the flag's mistake (`file` null in --json); none given, the config's matrix.
    study === undefined ? {} : { flag: '--study' },
  );
