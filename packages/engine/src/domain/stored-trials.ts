import { printable } from '../builtins/words.js';
import { describeValue, ParzenError } from '../errors.js';
import type { CompiledSpace, ParamNode } from './compile-space.js';
import { gridSteps, isInSupport } from './distribution.js';
import { describeSupport } from './params.js';
import type { Trial } from './trial.js';

/**
 * Whether a stored value is one some run of Parzen could have stored for `param`: a finite number within the
 * parameter's bounds (an integer where it must be one, an option index for a choice). Looser than the check of
 * a new suggestion: a value off a `q` grid, or a step past its ends (rounded otherwise by an older version), is
 * taken.
 */
const couldBeStored = (param: ParamNode, value: unknown): boolean => {
  if (typeof value !== 'number' || !Number.isFinite(value)) return false;
  const d = param.distribution;
  switch (d.kind) {
    case 'quniform':
    case 'qloguniform': {
      // A step past today's grid too: before 2026-12-02 a bound halfway between two steps was rounded outward
      // (quniform(0.5, 8.5, 1), Optuna's suggest_int(1, 8), stored 0; review 97: such studies were refused).
      const { first, last } = gridSteps(d);
      return value >= (first - 1.5) * d.q && value <= (last + 1.5) * d.q;
    }
    case 'qnormal':
      return true;
    case 'qlognormal':
      return value >= 0;
    default:
      // The other kinds as a new suggestion is checked (the one check of a value against its parameter).
      return isInSupport(d, value);
  }
};

/** What is wrong with one stored trial, in words (empty when nothing is). */
const trialProblems = (space: CompiledSpace, trial: Trial): string[] => {
  const problems: string[] = [];
  for (const [name, value] of Object.entries(trial.internal)) {
    const param = space.byName.get(name);
    // A name from the store as a terminal shows it (review 98: a forged name was printed raw).
    if (param === undefined) problems.push(`a parameter \`${printable(name, true)}\` the space does not have`);
    else if (!couldBeStored(param, value))
      problems.push(
        `\`${name}\` = ${describeValue(value)}, outside its ${param.distribution.kind} distribution (expected ${
          param.distribution.kind === 'categorical'
            ? `an option index from 0 to ${param.distribution.size - 1}`
            : describeSupport(param)
        })`,
      );
  }
  const loss = 'loss' in trial ? trial.loss : undefined;
  if ((trial.state === 'complete' || loss !== undefined) && (typeof loss !== 'number' || !Number.isFinite(loss)))
    problems.push(`loss ${describeValue(loss)}, not a finite number`);
  return problems;
};

/**
 * Each stored trial no run stores, in words (`trial #1: \`c\` = 99, outside ...`); empty when there is none.
 *
 * @throws `ParzenError` `STORE_CORRUPT` when the listing has a hole (no trial at a position): a store that read a
 * damaged file short, which nothing after it could read (it was a TypeError).
 */
const storedTrialProblems = (study: string, space: CompiledSpace, trials: readonly Trial[]): string[] => {
  const hole = trials.findIndex((trial) => typeof trial !== 'object' || trial === null);
  if (hole >= 0)
    throw new ParzenError(
      'STORE_CORRUPT',
      `Study ${printable(study, true)}: its store listed ${trials.length} trials with none at position ${hole} (a damaged store, read short?). Nothing was written. Restore the store from a backup; to save what is still readable of a JSONL journal or a SQLite database, read it with its \`salvage\` option (the read-only commands' \`--salvage\`: \`parzen export --store SPEC --salvage -o saved.jsonl\`, then \`parzen import\` it into a new store).`,
    );
  return trials.flatMap((trial) => {
    const problems = trialProblems(space, trial);
    return problems.length === 0 ? [] : [`trial #${trial.number}: ${problems.join('; ')}`];
  });
};

/** `study S: its store holds 2 trials that no run stores (...)` and what `then` says, then the first five. */
const holding = (study: string, problems: readonly string[], then: string): string => {
  const shown = problems.slice(0, 5);
  return (
    `study ${study}: its store holds ${problems.length === 1 ? 'a trial' : `${problems.length} trials`} that no run ` +
    `stores (a hand edit, or a damaged file?)${then}: ${shown.join('. ')}` +
    `${problems.length > shown.length ? `. And ${problems.length - shown.length} more` : ''}`
  );
};

/** How to go on with a study that holds such trials. */
const WAY_ON =
  'Correct or remove those records; or export the study (`parzen export`) and import the export into a new ' +
  'store with `--on-invalid skip`, which leaves them out.';

/**
 * What a read-only command says of the stored trials no run stores (it shows them as they are; runs refuse the
 * study), or undefined when every trial is one a run stores.
 */
export const storedTrialsNote = (study: string, space: CompiledSpace, trials: readonly Trial[]): string | undefined => {
  const problems = storedTrialProblems(study, space, trials);
  return problems.length === 0
    ? undefined
    : `${holding(printable(study, true), problems, '')}. \`run\` and \`resume\` refuse the study until then: ${WAY_ON}`;
};

/**
 * Refuses a study whose store holds trials no run of Parzen stores (a hand edit, a damaged or forged file;
 * read as they are, a journal line with a choice index 99 and a loss of -1e400 is a best of -Infinity,
 * and TPE then fails every later trial, blaming itself): `STORE_CORRUPT`, naming each such trial and what it holds,
 * before any trial runs. Nothing is written.
 */
export const checkStoredTrials = (study: string, space: CompiledSpace, trials: readonly Trial[]): void => {
  const bad = storedTrialProblems(study, space, trials);
  if (bad.length === 0) return;
  const said = holding(printable(study, true), bad, ', so it is not run');
  throw new ParzenError('STORE_CORRUPT', `S${said.slice(1)}. ${WAY_ON} Nothing was written.`);
};
