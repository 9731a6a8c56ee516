import type { Rng } from '@parzen/engine/plugin';
import { argmax, argmaxWhere, scoreCandidates } from '../math/score.js';
import { logFinishing } from './failures.js';
import type { Model } from './models.js';

/** How a group of parameters was decided: the candidates, their log l, log g and scores, and the winner. */
export interface Decision {
  /** Candidate values, one array per parameter of the group. */
  readonly candidates: readonly Float64Array[];
  /** log l at each candidate: the density of the below (good) trials. */
  readonly logL: Float64Array;
  /** log g at each candidate: the density of the above trials. */
  readonly logG: Float64Array;
  /** log P(a trial there finishes), added to the scores, when the model has failures (`failed: "avoid"`). */
  readonly logFinishing?: Float64Array;
  /** Each candidate's score, log l − w · log g (plus `logFinishing`): the highest wins. */
  readonly scores: Float64Array;
  /** Index of the winning candidate (the first of tied maxima). */
  readonly index: number;
  /** The winner's value of each parameter. */
  readonly values: readonly number[];
  /**
   * With repeats avoided: how many candidates were passed over because they would have repeated a tried
   * trial: every candidate of the batches drawn before the winner's, and those of the winner's batch that
   * scored higher. Absent when none was, and when every batch repeated (then `repeated` is set).
   */
  readonly skippedRepeats?: number;
  /** With repeats avoided: every candidate of every batch would have repeated a tried trial, so the winner does. */
  readonly repeated?: true;
}

/** log l − w · log g at each candidate, plus log P(a trial there finishes) when failures count. */
export const decisionScores = (
  logL: Float64Array,
  logG: Float64Array,
  aboveWeight: number,
  finishing: Float64Array | undefined,
): Float64Array => {
  const scores = scoreCandidates(logL, logG, aboveWeight);
  if (finishing !== undefined)
    for (let i = 0; i < scores.length; i++) scores[i] = (scores[i] as number) + (finishing[i] as number);
  return scores;
};

/**
 * Scores given candidates under a model and picks the best: the deterministic half of a TPE step,
 * callable on injected candidates. `exact` adds the constants that do not move the argmax.
 */
export const scoreModelCandidates = (model: Model, candidates: readonly Float64Array[], exact = false): Decision => {
  const logL = model.below.logPdf(candidates, exact);
  const logG = model.above.logPdf(candidates, exact);
  const finishing = model.failures === undefined ? undefined : logFinishing(model.failures, candidates);
  const scores = decisionScores(logL, logG, model.aboveWeight, finishing);
  const index = Math.max(0, argmax(scores));
  const values = candidates.map((column) => column[index] as number);
  return {
    candidates,
    logL,
    logG,
    ...(finishing === undefined ? {} : { logFinishing: finishing }),
    scores,
    index,
    values,
  };
};

/** A full TPE step: `count` candidates drawn from l(x), then the argmax of log l − w · log g (+ log P(finishes)). */
export const decide = (model: Model, rng: Rng, count: number, exact = false): Decision =>
  scoreModelCandidates(model, model.below.sample(rng, count), exact);

/** Further batches of candidates drawn when every candidate of a batch would repeat a tried trial. */
export const REPEAT_BATCHES = 3;

/**
 * A TPE step that does not repeat a tried trial: the best-scoring candidate for which `repeats` (given the
 * candidate's values, one per parameter) is false. When every candidate of the batch repeats one, up to
 * {@link REPEAT_BATCHES} more batches are drawn; when all of those repeat too, the first batch's winner
 * stands (`repeated`). A first winner that repeats nothing is {@link decide}'s result, drawn from the same
 * RNG calls, so decisions that cannot repeat (continuous values) are unchanged.
 */
export const decideAvoidingRepeats = (
  model: Model,
  rng: Rng,
  count: number,
  repeats: (values: readonly number[]) => boolean,
  exact = false,
): Decision => {
  const first = decide(model, rng, count, exact);
  if (!repeats(first.values)) return first;
  let skipped = 0;
  for (let batch = 0; batch <= REPEAT_BATCHES; batch++) {
    const decision = batch === 0 ? first : decide(model, rng, count, exact);
    const fresh = (j: number) => !repeats(decision.candidates.map((column) => column[j] as number));
    const index = argmaxWhere(decision.scores, fresh);
    if (index >= 0) {
      const best = decision.scores[index] as number;
      const passed = Array.from(decision.scores).filter(
        (score, j) => score > best || (score === best && j < index),
      ).length;
      const values = decision.candidates.map((column) => column[index] as number);
      return { ...decision, index, values, skippedRepeats: skipped + passed };
    }
    skipped += count;
  }
  return { ...first, repeated: true };
};
