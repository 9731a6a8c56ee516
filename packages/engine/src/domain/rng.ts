// seedrandom's alea alone: the package's main module also loads five other generators and Node's crypto.
import aleaGenerator from 'seedrandom/lib/alea.js';

/** A seeded source of uniform numbers in [0, 1). Never shared between trials: derive one with {@link deriveRng}. */
export interface Rng {
  /** The next uniform number in [0, 1). */
  next(): number;
}

/** A reproducible RNG (seedrandom's alea) for a seed string. */
export const createRng = (seed: string): Rng => {
  const alea = aleaGenerator(seed);
  return { next: () => alea() };
};

/**
 * The state of the generator {@link createRng} makes for a seed (alea: three 32-bit lags as multiples of 2^-32 and
 * a carry), for a loop that steps it inline millions of times (the Halton scramble): a draw is
 * `t = 2091639·s0 + c·2^-32; s0 = s1; s1 = s2; c = t | 0; s2 = t − c`, and s2 is the number drawn.
 */
export const aleaState = (seed: string): { c: number; s0: number; s1: number; s2: number } =>
  aleaGenerator(seed, { state: true }).state();

/** One draw of the generator whose state (c, s0, s1, s2: see {@link aleaState}) is `state`, which it advances. */
export const aleaStep = (state: Float64Array): number => {
  const t = 2091639 * (state[1] as number) + (state[0] as number) * 2.3283064365386963e-10;
  const carry = t | 0;
  state[0] = carry;
  state[1] = state[2] as number;
  state[2] = state[3] as number;
  state[3] = t - carry;
  return t - carry;
};

/**
 * The RNG of one purpose within one trial: the same (study seed, trial number, purpose) always gives the
 * same stream, whatever the order in which trials run, so seeds reproduce a suggester's draws under
 * concurrency (what a model-based suggester makes of them depends on the history it sees) and a resumed
 * study continues rather than replays.
 */
export const deriveRng = (studySeed: number | string, trialNumber: number, purpose: string): Rng =>
  createRng(`parzen:${studySeed}:${trialNumber}:${purpose}`);

/**
 * The RNG a suggester is given for one trial (`SuggestContext.rng`): the one rule the run loop uses, so
 * code that replays a suggestion (the report) derives the same stream from what the store kept.
 */
export const trialRng = (studySeed: number | string, trialNumber: number, suggesterName: string): Rng =>
  deriveRng(studySeed, trialNumber, suggesterName);

/**
 * The seed an objective is given for one trial (`EvaluationContext.seed`; the command objective's `{seed}` and
 * `PARZEN_SEED`): an integer in [0, 2^32), which NumPy, PyTorch, Python's `random` and scikit-learn all take.
 * It is drawn from the trial's own stream for that purpose ({@link deriveRng}), so it depends on the study's
 * seed and the trial number alone: the same trial of a study run again with the same seed (a resume, a rerun)
 * gets the same value, and other trials, or the same trial under another study seed, other values.
 */
export const objectiveSeed = (studySeed: number | string, trialNumber: number): number =>
  Math.floor(deriveRng(studySeed, trialNumber, 'objective:seed').next() * 2 ** 32);

/** A standard normal draw (Box-Muller, one value per call). */
export const standardNormal = (rng: Rng): number => {
  let u = rng.next();
  while (u <= Number.EPSILON) u = rng.next();
  const v = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
};

/** A uniform draw in [low, high). */
export const uniformBetween = (rng: Rng, low: number, high: number): number => low + rng.next() * (high - low);

/** An index drawn with the given (not necessarily normalised) non-negative weights. */
export const weightedIndex = (rng: Rng, weights: ArrayLike<number>): number => weightedIndexAt(weights, rng.next());

/** The index whose share of the (unnormalised) weights holds u in [0, 1): the pick of {@link weightedIndex}. */
export const weightedIndexAt = (weights: ArrayLike<number>, u: number): number => {
  let total = 0;
  for (let i = 0; i < weights.length; i++) total += weights[i] ?? 0;
  let target = u * total;
  for (let i = 0; i < weights.length; i++) {
    target -= weights[i] ?? 0;
    if (target < 0) return i;
  }
  return weights.length - 1;
};
