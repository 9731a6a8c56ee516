import type { ChoiceLiteral, SpaceDefinition } from './space-definition.js';

/**
 * A typed builder for search spaces. Each function returns the plain JSON definition, so a space built
 * here is the same data as one written in a config, and the objective's params type is inferred:
 *
 * @example
 * ```ts
 * const space = { x: uniform(-2, 2), model: choice([option('svm', { C: loguniform(0.01, 100) }), 'tree']) };
 * type P = ParamsOf<typeof space>; // { x: number; model: 'svm' | 'tree'; C?: number }
 * ```
 */

/** Uniform over [low, high]. */
export const uniform = (low: number, high: number) => ({ type: 'uniform', low, high }) as const;
/** Uniform over [low, high], rounded (half to even) onto multiples of `q`. */
export const quniform = (low: number, high: number, q: number) => ({ type: 'quniform', low, high, q }) as const;
/** Log-uniform with real-value bounds: `loguniform(1e-5, 1)` gives values in [1e-5, 1]. */
export const loguniform = (low: number, high: number) => ({ type: 'loguniform', low, high }) as const;
/** Log-uniform with real-value bounds, rounded (half to even) onto multiples of `q`. */
export const qloguniform = (low: number, high: number, q: number) => ({ type: 'qloguniform', low, high, q }) as const;
/** Normal with mean `mu` and standard deviation `sigma` (unbounded). */
export const normal = (mu: number, sigma: number) => ({ type: 'normal', mu, sigma }) as const;
/** Normal, rounded (half to even) onto multiples of `q`. */
export const qnormal = (mu: number, sigma: number, q: number) => ({ type: 'qnormal', mu, sigma, q }) as const;
/** `exp` of a normal with mean `mu` and standard deviation `sigma` (as hyperopt: the parameters are of the log). */
export const lognormal = (mu: number, sigma: number) => ({ type: 'lognormal', mu, sigma }) as const;
/** Log-normal, rounded (half to even) onto multiples of `q`. */
export const qlognormal = (mu: number, sigma: number, q: number) => ({ type: 'qlognormal', mu, sigma, q }) as const;
/** Integers in [0, high) with one bound, in [low, high) with two: high is exclusive, as in hyperopt. */
export function randint(high: number): { readonly type: 'randint'; readonly high: number };
export function randint(
  low: number,
  high: number,
): { readonly type: 'randint'; readonly low: number; readonly high: number };
export function randint(a: number, b?: number) {
  return b === undefined ? ({ type: 'randint', high: a } as const) : ({ type: 'randint', low: a, high: b } as const);
}
/** Integers in [low, high], both ends included (hyperopt's uniformint: the ends get half the mass). */
export const uniformint = (low: number, high: number) => ({ type: 'uniformint', low, high }) as const;

/**
 * hyperopt's `hp.loguniform(label, logLow, logHigh)` for ported code: its bounds are natural logs.
 * Returns the real-value form, so `hyperoptLoguniform(Math.log(1e-5), 0)` equals `loguniform(1e-5, 1)`
 * up to floating point rounding of exp(log(x)).
 */
export const hyperoptLoguniform = (logLow: number, logHigh: number) => loguniform(Math.exp(logLow), Math.exp(logHigh));
/** hyperopt's `hp.qloguniform` with log-space bounds, converted to the real-value form. */
export const hyperoptQloguniform = (logLow: number, logHigh: number, q: number) =>
  qloguniform(Math.exp(logLow), Math.exp(logHigh), q);

/** An option with a sub-space that is active only when this option is chosen. */
export const option = <const V extends ChoiceLiteral, const S extends SpaceDefinition>(value: V, space: S) =>
  ({ value, space }) as const;

/** A choice option as the builders accept it: a literal, or a value with a sub-space. */
export type AnyOption = ChoiceLiteral | { readonly value: ChoiceLiteral; readonly space?: SpaceDefinition };

/** A choice among options (literals, or `option(value, subSpace)`); the objective gets the chosen value. */
export const choice = <const O extends readonly AnyOption[]>(options: O) => ({ type: 'choice', options }) as const;

/** A choice with probabilities `p` (they must sum to 1). */
export const pchoice = <
  const O extends readonly { readonly p: number; readonly value: ChoiceLiteral; readonly space?: SpaceDefinition }[],
>(
  options: O,
) => ({ type: 'pchoice', options }) as const;

/** The value an option gives the objective. */
export type OptionValue<O> = O extends { readonly value: infer V } ? V : O;
/** An option's sub-space, or `never`. */
export type OptionSpace<O> = O extends { readonly space: infer S } ? S : never;

/** Turns a union of object types into their intersection (a type-level helper of {@link ParamsOf}). */
export type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void
  ? I
  : never;

/** The value type one parameter definition gives the objective. */
export type ValueOf<D> = D extends { readonly type: 'choice' | 'pchoice'; readonly options: readonly (infer O)[] }
  ? OptionValue<O>
  : number;

/** The sub-spaces of a choice definition, or `never`. */
export type SubSpacesOf<D> = D extends { readonly type: 'choice' | 'pchoice'; readonly options: readonly (infer O)[] }
  ? OptionSpace<O>
  : never;

/** The params of every sub-space of a space, each made optional (a helper of {@link ParamsOf}). */
export type NestedParams<S> = {
  [K in keyof S]: SubSpacesOf<S[K]> extends infer Sub
    ? Sub extends SpaceDefinition
      ? Partial<ParamsOf<Sub>>
      : never
    : never;
}[keyof S];

/**
 * The params object an objective receives for a space: top-level parameters always, parameters of
 * sub-spaces as optional (present only when their option is chosen).
 */
export type ParamsOf<S> = { -readonly [K in keyof S]: ValueOf<S[K]> } & ([NestedParams<S>] extends [never]
  ? unknown
  : UnionToIntersection<NestedParams<S>>);

/** Identity with a type check: gives a space literal its precise type. */
export const defineSpace = <const S extends SpaceDefinition>(space: S): S => space;
