import type { CompiledSpace, ParamNode } from '../domain/compile-space.js';
import type { ParamAssignment } from '../domain/params.js';
import type { Rng } from '../domain/rng.js';
import type { Direction, Trial } from '../domain/trial.js';
import type { MaybePromise } from './maybe-promise.js';

/** What a suggester knows when it samples one trial. Plain data; the suggester never touches the store. */
export interface SuggestContext {
  readonly study: string;
  readonly direction: Direction;
  readonly seed: number;
  /** The number of the trial being sampled. */
  readonly trialNumber: number;
  readonly space: CompiledSpace;
  /**
   * Every other trial of the study ordered by number: finished ones (immutable) and running ones (their
   * params may still be empty), including trials of other worker processes.
   */
  readonly trials: readonly Trial[];
  /** The RNG of this trial, derived from (study seed, trial number, suggester name). */
  readonly rng: Rng;
  /**
   * Set when the run asked for explanations: the suggester may hand one per decision here and the engine
   * publishes it as a `suggestion.explained` event. Never required.
   */
  readonly explain?: (explanation: unknown) => void;
}

/**
 * A search algorithm. The engine walks the space in evaluation order; parameters the joint sample
 * covers come from it, every other active parameter from `sampleIndependent`. Values are internal:
 * numbers in the distribution's support, option indices for choices.
 *
 * @remarks A suggester may keep caches between calls (finished trials are immutable), but its results
 * must depend only on the context, so seeds reproduce studies.
 */
export interface Suggester {
  readonly name: string;
  /** Values for several parameters at once (multivariate models). Omit for independent algorithms. */
  sampleJoint?(context: SuggestContext): MaybePromise<ParamAssignment>;
  /** A value for one active parameter, given the values already decided in this trial. */
  sampleIndependent(context: SuggestContext, param: ParamNode, decided: ParamAssignment): MaybePromise<number>;
}
