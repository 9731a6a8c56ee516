/**
 * A tabular Q-learning agent for CartPole: the continuous state is cut into bins (the table's size is
 * the product of the bins per component), with optional double Q-learning (van Hasselt 2010), a recall
 * memory that replays past transitions after each episode, and a discount that rises during training.
 */
import {
  type Action,
  type CartPoleState,
  MAX_STEPS,
  type Policy,
  playEpisode,
  resetCartPole,
  stepCartPole,
  THETA_LIMIT,
  X_LIMIT,
} from './cartpole.js';
import { type Random, seededRandom } from './random.js';
import { ReplayMemory } from './replay-memory.js';

/** Bins per state component: cart position, cart velocity, pole angle, pole angular velocity. */
export type Bins = readonly [position: number, velocity: number, angle: number, angularVelocity: number];

/** The range each component is binned over; values outside go to the first or last bin. */
const BIN_RANGES: readonly number[] = [X_LIMIT, 3, THETA_LIMIT, 3.5];

/** Training episodes per epoch. */
export const EPISODES_PER_EPOCH = 50;

/** Everything the agent's learning depends on. */
export interface AgentSettings {
  /** Step size of every Q update, in (0, 1]. */
  readonly learningRate: number;
  /** Two tables, each updated towards the other's value of its own greedy action (van Hasselt 2010). */
  readonly useDoubleQLearning: boolean;
  readonly bins: Bins;
  /** The discount starts at 0 and rises by `futureDiscountIncrement` after every episode, up to this. */
  readonly futureDiscountMax: number;
  readonly futureDiscountIncrement: number;
  /** How many of the latest episodes the recall memory holds. */
  readonly recallMemorySize: number;
  /** Transitions replayed from the memory after each episode. */
  readonly recallMemoryNumExperiencesPerRecall: number;
  /** Training length: `numEpochs * EPISODES_PER_EPOCH` episodes. */
  readonly numEpochs: number;
}

/** The table row of a state: each component's bin, combined as digits of a mixed-radix number. */
export const tableRow = (state: CartPoleState, bins: Bins): number => {
  let row = 0;
  for (let i = 0; i < 4; i++) {
    const count = Math.max(1, Math.round(bins[i] ?? 1));
    const range = BIN_RANGES[i] ?? 1;
    const bin = Math.floor((((state[i] ?? 0) + range) / (2 * range)) * count);
    row = row * count + Math.min(count - 1, Math.max(0, bin));
  }
  return row;
};

const tableSize = (bins: Bins): number => bins.reduce((product, count) => product * Math.max(1, Math.round(count)), 1);

/** The better of two action values; a tie is broken with `random`. */
const argmax = (left: number, right: number, random: Random): Action => {
  if (left === right) return random() < 0.5 ? 0 : 1;
  return left > right ? 0 : 1;
};

/** The agent's tables. With double Q-learning there are two, and the agent acts on their sum. */
class QTables {
  readonly a: Float64Array;
  readonly b: Float64Array | undefined;

  constructor(rows: number, double: boolean) {
    this.a = new Float64Array(rows * 2);
    this.b = double ? new Float64Array(rows * 2) : undefined;
  }

  value(row: number, action: Action): number {
    const index = row * 2 + action;
    return (this.a[index] ?? 0) + (this.b?.[index] ?? 0);
  }

  greedy(row: number, random: Random): Action {
    return argmax(this.value(row, 0), this.value(row, 1), random);
  }

  /** One Q-learning step on a transition with reward +1 (the pole was still up during it). */
  update(
    row: number,
    action: number,
    next: number,
    failed: boolean,
    discount: number,
    rate: number,
    random: Random,
  ): void {
    let learner = this.a;
    let judge = this.a;
    if (this.b !== undefined) {
      // van Hasselt: update one table at random, towards the other's value of its own greedy action.
      const first = random() < 0.5;
      learner = first ? this.a : this.b;
      judge = first ? this.b : this.a;
    }
    let future = 0;
    if (!failed) {
      const best = argmax(learner[next * 2] ?? 0, learner[next * 2 + 1] ?? 0, random);
      future = judge[next * 2 + best] ?? 0;
    }
    const index = row * 2 + action;
    const current = learner[index] ?? 0;
    learner[index] = current + rate * (1 + discount * future - current);
  }
}

/**
 * Trains an agent from scratch with ε-greedy exploration (ε falls linearly from 1 to 0.01 over the first
 * half of training) and returns its greedy policy. Everything random is drawn from `seed`.
 */
export const trainAgent = (settings: AgentSettings, seed: number): Policy => {
  const random = seededRandom(seed);
  const { bins, learningRate } = settings;
  const tables = new QTables(tableSize(bins), settings.useDoubleQLearning);
  const memory = new ReplayMemory(Math.max(1, Math.round(settings.recallMemorySize)), MAX_STEPS);
  const episodes = Math.max(1, Math.round(settings.numEpochs)) * EPISODES_PER_EPOCH;
  const replays = Math.round(settings.recallMemoryNumExperiencesPerRecall);
  let discount = 0;
  const replay = (row: number, action: number, next: number, failed: boolean): void =>
    tables.update(row, action, next, failed, discount, learningRate, random);
  for (let episode = 0; episode < episodes; episode++) {
    const epsilon = Math.max(0.01, 1 - episode / (episodes / 2));
    let state = resetCartPole(random);
    let row = tableRow(state, bins);
    for (let step = 1; step <= MAX_STEPS; step++) {
      const action: Action = random() < epsilon ? (random() < 0.5 ? 0 : 1) : tables.greedy(row, random);
      const { state: nextState, failed } = stepCartPole(state, action);
      const next = tableRow(nextState, bins);
      tables.update(row, action, next, failed, discount, learningRate, random);
      memory.push(row, action, next, failed);
      if (failed) break;
      state = nextState;
      row = next;
    }
    memory.endEpisode();
    memory.recall(replays, random, replay);
    discount = Math.min(settings.futureDiscountMax, discount + settings.futureDiscountIncrement);
  }
  const tieBreak = seededRandom(seed ^ 0x5eed);
  return (state) => tables.greedy(tableRow(state, bins), tieBreak);
};

/** The mean return of `policy` over `episodes` episodes whose start states are drawn from `seed`. */
export const evaluatePolicy = (policy: Policy, episodes: number, seed: number): number => {
  const random = seededRandom(seed);
  let total = 0;
  for (let i = 0; i < episodes; i++) total += playEpisode(policy, random);
  return total / episodes;
};
