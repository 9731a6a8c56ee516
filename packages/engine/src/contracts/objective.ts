import type { ExternalParams } from '../domain/params.js';
import type { ErrorInfo } from '../domain/trial.js';

/**
 * What an objective gets besides the params: the trial number, a seed for its own randomness, an abort
 * signal, and `report` of intermediate values for pruning.
 */
export interface EvaluationContext {
  /** The number of the trial being evaluated. */
  readonly trialNumber: number;
  /**
   * The seed to give the objective's own randomness (weight initialisation, data shuffling, dropout, noise):
   * an integer in [0, 2^32) derived from the study's seed and the trial number, so a trial run again in a
   * study with the same seed (a resume, a rerun) gets the same value, and every other trial, or a study with
   * another seed, another one. Seeding training with it keeps results reproducible, and makes params
   * evaluated twice (an enqueued re-run) two independent draws of their noise.
   */
  readonly seed: number;
  /**
   * Aborted on timeout, or when the run is interrupted (its signal aborted and the grace period over);
   * adapters kill their work when it fires.
   */
  readonly signal: AbortSignal;
  /**
   * Records an intermediate value (a point of a learning curve) at `step`, a non-negative integer such as
   * an epoch. It is stored with the trial, and the study's pruner then decides whether the trial should
   * stop; read that decision with {@link EvaluationContext.shouldPrune}. Resolves once stored. A second
   * report of a step keeps the first value (as a store does); a report after the trial ended is not
   * stored, with a warning. A value the store fails to record past its own retries (a database down for
   * longer) does not fail the trial: it is written when the store answers again (before the trial's next
   * value, or when it ends), said once per trial, and the pruner is not asked at that step.
   */
  readonly report: (step: number, value: number) => Promise<void>;
  /**
   * Whether the pruner, at the latest report, said this trial should stop. An objective that sees `true`
   * stops its work and returns (or throws); the trial ends `pruned` with its last reported value.
   */
  readonly shouldPrune: () => boolean;
}

/** What an adapter reports. A failure is a value, not a throw (a throw is turned into one anyway). */
export type EvaluationResult =
  | {
      /** The evaluation gave a loss: the trial completes (or ends pruned, when the pruner had said stop). */
      readonly status: 'ok';
      /** The loss, a finite number (`interpretObjectiveValue` turns NaN or an infinity into a failure). */
      readonly loss: number;
      /** Extra JSON values stored with the trial next to its loss; absent when none. */
      readonly attrs?: Readonly<Record<string, unknown>>;
      /**
       * The objective had already finished on its own when the pruner's stop reached it (a program whose
       * buffered reports arrived as it exited): nothing was stopped, so the trial ends as the objective
       * did (complete with its loss, or failed) instead of `pruned`.
       */
      readonly finishedBeforePrune?: boolean;
    }
  | {
      /** The evaluation gave no loss: the trial fails with `error`. */
      readonly status: 'failed';
      /** Why: a stable code (`OBJECTIVE_THREW`, `TIMEOUT`, a plugin's own) and a message. */
      readonly error: ErrorInfo;
      /** As for an ok result: a failure the objective had reached on its own before a prune could stop it. */
      readonly finishedBeforePrune?: boolean;
    };

/**
 * What an objective adapter's `evaluate` gets: the {@link EvaluationContext} it hands on to the user's
 * objective, and `setUp`, which only the adapter sees.
 */
export interface AdapterContext extends EvaluationContext {
  /**
   * Waits for `work`, the adapter's own set-up for this trial (the `module` objective: a worker thread
   * loading the module), with the trial's time limit paused meanwhile: a load is not the trial's
   * computation, and a limit kept short for the computation would fail the trials that load a
   * thread. With a limit, a set-up has its own bound, the limit or 60 s, whichever is longer (the trial then
   * fails `TIMEOUT`, with `what`, default "the objective's set-up", in its message); without one, nothing
   * bounds it, as nothing bounds the trial. The run's interruption aborts the signal during a set-up as at
   * any time: an adapter ends its set-up then. The engine gives it to every evaluation of a run; a context
   * made outside a run may leave it out (an adapter then awaits `work` itself). `bounded`: the adapter bounds `work`
   * itself (the `module` objective's `loadTimeoutSeconds`), so the engine only pauses the limit meanwhile.
   */
  readonly setUp?: <T>(work: Promise<T>, what?: string, options?: { readonly bounded?: boolean }) => Promise<T>;
}

/** Runs the user's program for one set of params and reads its loss. */
export interface ObjectiveAdapter {
  /** The objective plugin's name (`function`, `module`, `command`), which error messages name. */
  readonly name: string;
  /**
   * True when the objective's code runs on Parzen's own thread (a function; a module with `isolate:
   * "none"`): an error it throws outside its call (a timer, a callback) then fails the trial whose call started
   * it (`OBJECTIVE_CRASHED`), or is a warning when that trial has ended, instead of ending the process.
   */
  readonly sharesThread?: boolean;
  /**
   * True when `evaluate` returns soon after its signal aborts, with what it knows (the `command` objective
   * kills its process group and returns the command, its stderr tail, a loss it had printed). When the engine
   * stops such a trial (its time limit, the run's interruption), it waits for that result up to a limit counted
   * from the stop: a second plus {@link abortGraceMs}, and longer by as much as this process was held meanwhile,
   * up to that limit again (so that a result that arrived while a starved process could not read it is kept; for
   * the `command` objective at most 2 × (1 s + `pruneGraceSeconds`) in all). A failed one's `error.details` are
   * kept in the trial's `TIMEOUT` or `INTERRUPTED` error, and its message follows the engine's. Otherwise the
   * engine's failure is the trial's at once.
   */
  readonly settlesOnAbort?: boolean;
  /**
   * With `settlesOnAbort`: how long (ms) it may take beyond that second to return once its signal aborts (the
   * `command` objective gives its program `pruneGraceSeconds` between SIGTERM and SIGKILL). The engine waits
   * that much longer for its result, and counts a timed-out evaluation as abandoned only after it.
   */
  readonly abortGraceMs?: number;
  /** Evaluates one set of params (as the objective sees them); a failure is a `failed` result, not a throw. */
  evaluate(params: ExternalParams, context: AdapterContext): Promise<EvaluationResult>;
  /** Releases what the adapter holds (workers, processes) once the run is over. */
  close?(): Promise<void>;
}
