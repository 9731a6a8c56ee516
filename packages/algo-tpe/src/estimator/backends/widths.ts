import type { NumericEncoding } from '../encoding.js';
import { minimumBandwidth } from '../families/optuna.js';
import type { FamilySettings } from '../family.js';

/** Which neighbour rule sets a kernel's width: Optuna's or hyperopt's (tpe-spec 3.4, 4.4). */
export type WidthRule = 'optuna' | 'hyperopt';

/**
 * The width of a kernel at y among n sorted observations, given its neighbours (undefined at an end).
 * Optuna's rule takes the bounds as outer neighbours and uses the inner gap at an end; hyperopt's takes
 * the prior mean as one more neighbour (left of equal values) and no bounds. Both clip to
 * [minSigma, range] (hyperopt: the prior's width).
 */
export const neighbourWidth = (
  rule: WidthRule,
  encoding: NumericEncoding,
  y: number,
  previous: number | undefined,
  next: number | undefined,
  n: number,
  minSigma: number,
): number => {
  const { low, high, prior } = encoding;
  if (rule === 'optuna') {
    const left = y - (previous ?? low);
    const right = (next ?? high) - y;
    const gap = n >= 2 && previous === undefined ? right : n >= 2 && next === undefined ? left : Math.max(left, right);
    return Math.min(high - low, Math.max(minSigma, gap));
  }
  let left = previous;
  let right = next;
  if (prior.mu <= y) left = left === undefined ? prior.mu : Math.max(left, prior.mu);
  else right = right === undefined ? prior.mu : Math.min(right, prior.mu);
  const gap =
    left === undefined ? (right as number) - y : right === undefined ? y - left : Math.max(y - left, right - y);
  return Math.min(prior.sigma, Math.max(minSigma, gap));
};

/**
 * The smallest width a kernel may have among n observations: hyperopt's prior width over min(100, n + 2),
 * or Optuna's clip, range · max(floor, (n + 2)^−exponent). With n = ∞ it is the floor the widths settle on.
 */
export const minimumWidth = (
  rule: WidthRule,
  encoding: NumericEncoding,
  n: number,
  settings: FamilySettings,
): number =>
  rule === 'hyperopt'
    ? encoding.prior.sigma / Math.min(100, n + 2)
    : minimumBandwidth(n, encoding.high - encoding.low, settings);
