import type { CompiledSpace, ParamNode } from '../domain/compile-space.js';
import type { ParamAssignment } from '../domain/params.js';
import type { Rng } from '../domain/rng.js';
import type { Direction, FinishedTrial, RunningTrial } from '../domain/trial.js';
import type { MaybePromise } from './maybe-promise.js';

/** What a suggester knows when it begins a trial. Plain data; the suggester never touches the store. */
export interface SuggestContext {
  /** The name of the study (the key its store keeps it under). */
  readonly study: string;
  /** Whether a lower or a higher loss is better (`lossToMinimize` turns a loss into one to minimize). */
  readonly direction: Direction;
  /** The run's study seed; `rng` is already derived from it. */
  readonly seed: number;
  /** The number of the trial being sampled. */
  readonly trialNumber: number;
  /** The study's search space, compiled. */
  readonly space: CompiledSpace;
  /**
   * The study's finished trials (complete, failed, pruned), ordered by number. The trials are immutable;
   * the array does not change while `beginTrial` and its sampler run, but the run loop grows it in place
   * afterwards (copying a large study for every trial would cost more than the suggestion), so a suggester
   * that keeps it for a later trial keeps a copy.
   */
  readonly history: readonly FinishedTrial[];
  /**
   * The other trials running now, from this process and from other workers, ordered by number. Their
   * `internal` values are the ones they were given (empty while a trial is still being sampled).
   */
  readonly running: readonly RunningTrial[];
  /** The RNG of this trial, derived from (study seed, trial number, suggester name). */
  readonly rng: Rng;
  /**
   * Set when the run asked for explanations: the suggester may hand one per trial here and the engine
   * publishes it as a `suggestion.explained` event. Never required.
   */
  readonly explain?: (explanation: unknown) => void;
  /**
   * Aborts when the run is asked to stop (a first Ctrl-C, the caller's signal, a forced stop): the engine then stops
   * waiting for this suggestion (a trial decided after a stop never runs), and the trial fails `INTERRUPTED`. A
   * suggester that waits on something (a service, a worker) may listen to it to stop that work. The engine does not
   * wait for such a suggestion to settle: the same suggester object, used again at once (the next `ask`, a new run),
   * may begin another trial while this one still works, so a suggester that keeps state between trials should end
   * or drop this work when the signal aborts (a waiting engine would hang behind a suggester that never settles).
   */
  readonly signal?: AbortSignal;
}

/**
 * How one trial's parameters are decided, returned by {@link Suggester.beginTrial}. The engine walks the
 * space in evaluation order (a choice before its sub-space) and asks the sampler for each active
 * parameter: a whole group at once when the walk reaches the group's first parameter, every other
 * parameter on its own. Values are internal: numbers in the distribution's support, option indices for
 * choices.
 */
export interface TrialSampler {
  /**
   * Parameters decided jointly, as groups of names. Each group's parameters must be active together
   * (the same activation conditions), such as the parameters every trial has, or the parameters of one
   * branch. A parameter belongs to at most one group.
   */
  readonly groups?: readonly (readonly string[])[];
  /**
   * Values for every parameter of `group` (active ones, in evaluation order), given the values decided so far,
   * by name, and for no other parameter: a value for one it was not given fails the trial
   * (`SUGGESTER_OUT_OF_SPACE`, and the run stops), as a member left out does.
   */
  sampleGroup?(group: readonly ParamNode[], decided: ParamAssignment): MaybePromise<ParamAssignment>;
  /**
   * Optional: the parameters to decide jointly with `param`, asked when the walk reaches an active parameter
   * outside every group, given the values decided so far: a group that only the walk can tell (the
   * parameters of the branch a choice just took, one of them also active in other branches, say). Names
   * outside every group, `param` among them, all active with it. The engine leaves out those already
   * decided and those an enqueued entry fixes (their values are in `decided`) and calls `sampleGroup` with
   * the rest, or `sampleParam` when `param` alone is left; undefined: `sampleParam`.
   */
  groupAt?(param: ParamNode, decided: ParamAssignment): readonly string[] | undefined;
  /** A value for one active parameter outside every group, given the values decided so far. */
  sampleParam(param: ParamNode, decided: ParamAssignment): MaybePromise<number>;
  /** Called once with the trial's internal values after the walk (to publish an explanation, say). */
  end?(internal: ParamAssignment): void;
}

/**
 * A search algorithm. The engine begins each trial once with the study's history and the running
 * trials; the suggester returns the {@link TrialSampler} that decides that trial's parameters while the
 * engine walks the space.
 *
 * @remarks A suggester may keep caches between trials (finished trials are immutable), but its results
 * must depend only on the context, so seeds reproduce studies.
 */
export interface Suggester {
  /**
   * The suggester's name (`tpe`, `random`): with the study seed and the trial number it picks each trial's
   * random stream, a study keeps it, and errors name it. Keep it stable, or seeds stop reproducing studies.
   */
  readonly name: string;
  /**
   * The settings it runs with, every default filled in (JSON data). A new study keeps them; a later run
   * of the study whose suggester's settings differ warns, naming what changed and the options that would
   * restore them. Optional: a suggester without settings is compared by name only.
   */
  readonly settings?: Readonly<Record<string, unknown>>;
  /**
   * Optional: what may surprise in this space with these settings (the plain Halton sequence of `quasi-random`
   * in many dimensions, say), each a sentence. A run says each once when it starts (`Study.open` when it opens),
   * through its warnings, prefixed with the study; nothing is refused. One that throws is said as a warning too.
   */
  warnings?(space: CompiledSpace): readonly string[];
  /** Begins a trial: returns the sampler that decides this trial's params. */
  beginTrial(context: SuggestContext): MaybePromise<TrialSampler>;
}
