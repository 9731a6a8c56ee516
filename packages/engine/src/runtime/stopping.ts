import type { Stopper } from '../contracts/stopper.js';
import type { StudySpec } from '../domain/study.js';
import { bestTrial, type FinishedTrial, type Trial } from '../domain/trial.js';
import { describeValue, ParzenError, refusedPromise } from '../errors.js';

/**
 * Asks the stopper after `finished`, with the study's trials as the store has them (other workers'
 * too; the run loop's mirror of the study, so the store is not listed in full after every trial).
 * `runFrom` is the first trial number of this run. Returns its reason to stop, or undefined. A stopper that throws, or answers with something other
 * than a string or undefined, is a `STOPPER_FAILED` error (it stops the run like a suggester's).
 */
export const askStopper = (
  stopper: Stopper,
  spec: StudySpec,
  trials: readonly Trial[],
  finished: FinishedTrial,
  runFrom: number,
): string | undefined => {
  let answer: unknown;
  try {
    answer = stopper.shouldStop({
      study: spec.name,
      direction: spec.direction,
      trial: finished,
      trials,
      best: bestTrial(trials, spec.direction),
      runFrom,
    });
  } catch (error) {
    throw new ParzenError(
      'STOPPER_FAILED',
      `Stopper \`${stopper.name}\` failed after trial #${finished.number}: ${error instanceof Error ? error.message : String(error)}`,
      { plugin: stopper.name, cause: error },
    );
  }
  if (answer === undefined || answer === '' || answer === false) return undefined;
  // A reason of only spaces stops as `true` does, named by the stopper (trial 148: the summary read "stopped (   )").
  if (answer === true || (typeof answer === 'string' && answer.trim() === '')) return `${stopper.name} said stop`;
  if (typeof answer !== 'string')
    throw new ParzenError(
      'STOPPER_FAILED',
      `Stopper \`${stopper.name}\` answered ${refusedPromise(answer) ? 'a Promise (a rule is synchronous)' : describeValue(answer)}; ` +
        'expected a reason to stop (a non-empty string) or true to stop, undefined, false or "" to go on.',
      { plugin: stopper.name },
    );
  return answer;
};
