/**
 * CartPole written out from its equations of motion (Barto, Sutton & Anderson 1983, with the constants
 * and Euler step of Gym's `CartPole-v1`): a pole hinged on a cart that is pushed left or right with a
 * fixed force. The episode ends when the pole leans past 12° or the cart leaves the track (±2.4), or
 * after `MAX_STEPS` steps. Each step the pole stays up earns +1, so the return is the episode's length.
 */
import type { Random } from './random.js';

/** Cart position (m), cart velocity (m/s), pole angle (rad, 0 = upright), pole angular velocity (rad/s). */
export type CartPoleState = readonly [x: number, xDot: number, theta: number, thetaDot: number];

/** 0 pushes the cart left, 1 pushes it right. */
export type Action = 0 | 1;

const GRAVITY = 9.8;
const CART_MASS = 1.0;
const POLE_MASS = 0.1;
const TOTAL_MASS = CART_MASS + POLE_MASS;
const HALF_POLE_LENGTH = 0.5;
const POLE_MASS_LENGTH = POLE_MASS * HALF_POLE_LENGTH;
const FORCE = 10;
const TAU = 0.02;

/** The episode fails when |theta| exceeds this (12°). */
export const THETA_LIMIT = (12 * Math.PI) / 180;
/** The episode fails when |x| exceeds this. */
export const X_LIMIT = 2.4;
/** The longest episode (CartPole-v1's time limit), so the best return is 500. */
export const MAX_STEPS = 500;

/** A start state: every component uniform in [-0.05, 0.05]. */
export const resetCartPole = (random: Random): CartPoleState => [
  random() * 0.1 - 0.05,
  random() * 0.1 - 0.05,
  random() * 0.1 - 0.05,
  random() * 0.1 - 0.05,
];

/** One Euler step of 20 ms under the push `action`; `failed` when the pole fell or the cart left the track. */
export const stepCartPole = (state: CartPoleState, action: Action): { state: CartPoleState; failed: boolean } => {
  const [x, xDot, theta, thetaDot] = state;
  const force = action === 1 ? FORCE : -FORCE;
  const cos = Math.cos(theta);
  const sin = Math.sin(theta);
  const temp = (force + POLE_MASS_LENGTH * thetaDot * thetaDot * sin) / TOTAL_MASS;
  const thetaAcc = (GRAVITY * sin - cos * temp) / (HALF_POLE_LENGTH * (4 / 3 - (POLE_MASS * cos * cos) / TOTAL_MASS));
  const xAcc = temp - (POLE_MASS_LENGTH * thetaAcc * cos) / TOTAL_MASS;
  const next: CartPoleState = [x + TAU * xDot, xDot + TAU * xAcc, theta + TAU * thetaDot, thetaDot + TAU * thetaAcc];
  const failed = Math.abs(next[0]) > X_LIMIT || Math.abs(next[2]) > THETA_LIMIT;
  return { state: next, failed };
};

/** A policy: the action to take in a state. */
export type Policy = (state: CartPoleState) => Action;

/** Plays one episode from a start drawn with `random` and returns its return (steps survived, at most `MAX_STEPS`). */
export const playEpisode = (policy: Policy, random: Random): number => {
  let state = resetCartPole(random);
  for (let step = 1; step <= MAX_STEPS; step++) {
    const next = stepCartPole(state, policy(state));
    if (next.failed) return step;
    state = next.state;
  }
  return MAX_STEPS;
};
