import type { ChoiceLiteral, SpaceDefinition } from './space-definition.js';

/**
 * A typed builder for search spaces. Each function returns the plain JSON definition, so a space built
 * here is the same data as one written in a config, and the objective's params type is inferred:
 *
 * @example
 * ```ts
 * const space = { x: uniform(-2, 2), model: choice([option('svm', { C: loguniform(0.01, 100) }), 'tree']) };
 * type P = ParamsOf<typeof space>; // { x: number; model: 'svm'; C: number } | { x: number; model: 'tree'; C?: never }
 * ```
 */

/** Uniform over [low, high]. */
export const uniform = (low: number, high: number) =>
  ({
    /** A real value, uniform over [low, high]. */
    type: 'uniform',
    /** The lower bound, included. */
    low,
    /** The upper bound, included. */
    high,
  }) as const;
/** Uniform over [low, high], rounded (half to even) onto multiples of `q`. */
export const quniform = (low: number, high: number, q: number) =>
  ({
    /** A real value, uniform over [low, high], rounded onto multiples of `q`. */
    type: 'quniform',
    /** The lower bound, included (a rounded value may lie up to q/2 below it). */
    low,
    /** The upper bound, included (a rounded value may lie up to q/2 above it). */
    high,
    /** The step: values are rounded (half to even) onto its multiples. */
    q,
  }) as const;
/** Log-uniform with real-value bounds: `loguniform(1e-5, 1)` gives values in [1e-5, 1]. */
export const loguniform = (low: number, high: number) =>
  ({
    /** A positive real value whose log is uniform. */
    type: 'loguniform',
    /** The lower bound, included: a real value > 0, not its log. */
    low,
    /** The upper bound, included: a real value, not its log. */
    high,
  }) as const;
/** Log-uniform with real-value bounds, rounded (half to even) onto multiples of `q`. */
export const qloguniform = (low: number, high: number, q: number) =>
  ({
    /** A log-uniform value rounded onto multiples of `q`. */
    type: 'qloguniform',
    /** The lower bound, included: a real value > 0, not its log. */
    low,
    /** The upper bound, included: a real value, not its log. */
    high,
    /** The step: values are rounded (half to even) onto its multiples. */
    q,
  }) as const;
/** Normal with mean `mu` and standard deviation `sigma` (unbounded). */
export const normal = (mu: number, sigma: number) =>
  ({
    /** A real value from a normal distribution (unbounded). */
    type: 'normal',
    /** The mean. */
    mu,
    /** The standard deviation (> 0). */
    sigma,
  }) as const;
/** Normal, rounded (half to even) onto multiples of `q`. */
export const qnormal = (mu: number, sigma: number, q: number) =>
  ({
    /** A normal value rounded onto multiples of `q`. */
    type: 'qnormal',
    /** The mean. */
    mu,
    /** The standard deviation (> 0). */
    sigma,
    /** The step: values are rounded (half to even) onto its multiples. */
    q,
  }) as const;
/** `exp` of a normal with mean `mu` and standard deviation `sigma` (as hyperopt: the parameters are of the log). */
export const lognormal = (mu: number, sigma: number) =>
  ({
    /** `exp` of a normal value (values > 0). */
    type: 'lognormal',
    /** The mean of the log. */
    mu,
    /** The standard deviation of the log (> 0). */
    sigma,
  }) as const;
/** Log-normal, rounded (half to even) onto multiples of `q`. */
export const qlognormal = (mu: number, sigma: number, q: number) =>
  ({
    /** A log-normal value rounded onto multiples of `q`. */
    type: 'qlognormal',
    /** The mean of the log. */
    mu,
    /** The standard deviation of the log (> 0). */
    sigma,
    /** The step: values are rounded (half to even) onto its multiples. */
    q,
  }) as const;
/** Integers in [0, high) with one bound, in [low, high) with two: high is exclusive, as in hyperopt. */
export function randint(high: number): {
  /** An integer in [0, high). */
  readonly type: 'randint';
  /** The bound above, excluded (high 5: up to 4). */
  readonly high: number;
};
export function randint(
  low: number,
  high: number,
): {
  /** An integer in [low, high). */
  readonly type: 'randint';
  /** The lowest integer, included. */
  readonly low: number;
  /** The bound above, excluded (high 5: up to 4). */
  readonly high: number;
};
export function randint(a: number, b?: number) {
  return b === undefined ? ({ type: 'randint', high: a } as const) : ({ type: 'randint', low: a, high: b } as const);
}
/** Integers in [low, high], both ends included (hyperopt's uniformint: the ends get half the mass). */
export const uniformint = (low: number, high: number) =>
  ({
    /** An integer in [low, high], both ends included. */
    type: 'uniformint',
    /** The lowest integer, included. */
    low,
    /** The highest integer, included. */
    high,
  }) as const;

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
  ({
    /** The value the objective gets when this option is chosen. */
    value,
    /** The parameters active only when this option is chosen. */
    space,
  }) as const;

/** A choice option as the builders accept it: a literal, or a value with a sub-space. */
export type AnyOption =
  | ChoiceLiteral
  | {
      /** The value the objective gets when this option is chosen. */
      readonly value: ChoiceLiteral;
      /** The parameters active only when this option is chosen; absent: none. */
      readonly space?: SpaceDefinition;
    };

/** A choice among options (literals, or `option(value, subSpace)`); the objective gets the chosen value. */
export const choice = <const O extends readonly AnyOption[]>(options: O) =>
  ({
    /** One of the options, each as likely. */
    type: 'choice',
    /** The options, in order (a trial's internal value is an index into them). */
    options,
  }) as const;

/** A choice with probabilities `p` (they must sum to 1). */
export const pchoice = <
  const O extends readonly {
    /** The option's probability, in [0, 1]; the options' probabilities sum to 1. */
    readonly p: number;
    /** The value the objective gets when this option is chosen. */
    readonly value: ChoiceLiteral;
    /** The parameters active only when this option is chosen; absent: none. */
    readonly space?: SpaceDefinition;
  }[],
>(
  options: O,
) =>
  ({
    /** One of the options, each drawn with its probability `p`. */
    type: 'pchoice',
    /** The options, in order (a trial's internal value is an index into them). */
    options,
  }) as const;

/** The value an option gives the objective. */
export type OptionValue<O> = O extends {
  /** An option with a sub-space gives its `value`; a literal option is its own value. */
  readonly value: infer V;
}
  ? V
  : O;
/** An option's sub-space, or `never`. */
export type OptionSpace<O> = O extends {
  /** The option's sub-space. */
  readonly space: infer S;
}
  ? S
  : never;

/** Turns a union of object types into their intersection (a type-level helper of {@link ParamsOf}). */
export type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void
  ? I
  : never;

/** The value type one parameter definition gives the objective. */
export type ValueOf<D> = D extends {
  /** A choice (`choice` or `pchoice`); any other type gives a number. */
  readonly type: 'choice' | 'pchoice';
  /** The options, whose values the parameter gives. */
  readonly options: readonly (infer O)[];
}
  ? OptionValue<O>
  : number;

/** The sub-spaces of a choice definition, or `never`. */
export type SubSpacesOf<D> = D extends {
  /** A choice (`choice` or `pchoice`); any other type has no sub-spaces. */
  readonly type: 'choice' | 'pchoice';
  /** The options, whose sub-spaces are taken. */
  readonly options: readonly (infer O)[];
}
  ? OptionSpace<O>
  : never;

/**
 * The params of every sub-space of a space, each made optional (a helper of {@link OptionalParams}, which
 * {@link ParamsOf} falls back to for a space of too many combinations of branches).
 */
export type NestedParams<S> = {
  [K in keyof S]: SubSpacesOf<S[K]> extends infer Sub
    ? Sub extends SpaceDefinition
      ? Partial<OptionalParams<Sub>>
      : never
    : never;
}[keyof S];

/**
 * A space's params as one object type: top-level parameters always, the parameters of sub-spaces as optional,
 * whichever option is chosen (`{ x: number; model: 'svm' | 'tree' } & { C?: number }`). What {@link ParamsOf}
 * gives when its union would have more than {@link MaxParamsMembers} members.
 */
export type OptionalParams<S> = { -readonly [K in keyof S]: ValueOf<S[K]> } & ([NestedParams<S>] extends [never]
  ? unknown
  : UnionToIntersection<NestedParams<S>>);

/** The params of a space typed as any {@link SpaceDefinition} (no names known): any name, any value. */
export type AnyParams = { [name: string]: number | ChoiceLiteral };

/**
 * The params of a space whose names are not known (`Record<string, ...>`, a space built at run time): any name,
 * with the value type its definitions give (`number` for `Record<string, ReturnType<typeof uniform>>`), or
 * {@link AnyParams} when a definition may be a choice of branches (whose sub-spaces' names give other values).
 */
export type WideParams<S> = [BranchSpacesOf<S[keyof S]>] extends [never]
  ? { [name: string]: ValueOf<S[keyof S]> }
  : AnyParams;

/**
 * The options of a choice definition that carry a `space` (a type-level helper of {@link ParamsOf}): an option
 * whose `space` is optional (a type, not a literal) too.
 */
export type SpacedOptionOf<D> = D extends {
  /** A choice (`choice` or `pchoice`). */
  readonly type: 'choice' | 'pchoice';
  /** The options, of which those with a `space` are kept. */
  readonly options: readonly (infer O)[];
}
  ? O extends object
    ? 'space' extends keyof O
      ? O
      : never
    : never
  : never;

/** The sub-spaces of a choice definition's options, optional ones included, or `never` (a helper of {@link ParamsOf}). */
export type BranchSpacesOf<D> =
  SpacedOptionOf<D> extends infer O
    ? O extends {
        /** The option's sub-space. */
        readonly space?: infer Sub;
      }
      ? Exclude<Sub, undefined>
      : never
    : never;

/**
 * The params a choice of branches `K` gives, before {@link ParamsOf} marks the absent names (a helper of it): one
 * member per option with a sub-space, `{ [K]: value }` with that sub-space's params, and one for the options
 * without (`{ model: 'tree' | 'none' }`).
 */
export type ChoiceBranchParams<K extends PropertyKey, D> = D extends {
  /** The choice's options: a member per option with a sub-space, one for the others. */
  readonly options: readonly (infer O)[];
}
  ?
      | (SpacedOptionOf<D> extends infer Spaced
          ? Spaced extends {
              /** The option's sub-space. */
              readonly space?: infer Sub;
            }
            ? { [P in K]: OptionValue<Spaced> } & BranchParams<Exclude<Sub, undefined>>
            : never
          : never)
      | ([
          Exclude<
            O,
            {
              /** An option with a sub-space (those without are kept). */
              readonly space: unknown;
            }
          >,
        ] extends [never]
          ? never
          : {
              [P in K]: OptionValue<
                Exclude<
                  O,
                  {
                    /** An option with a sub-space (those without are kept). */
                    readonly space: unknown;
                  }
                >
              >;
            })
  : never;

/**
 * A space's params as a union of objects, one per combination of branches, before the absent names are marked
 * (a helper of {@link ParamsOf}): the parameters outside choices of branches, intersected with each such
 * choice's union (`(A | B) & (C | D)`, which TypeScript spreads into `A & C | A & D | ...`).
 */
export type BranchParams<S> = string extends keyof S
  ? WideParams<S>
  : { -readonly [K in keyof S as [BranchSpacesOf<S[K]>] extends [never] ? K : never]: ValueOf<S[K]> } & ({
      [K in keyof S]: [BranchSpacesOf<S[K]>] extends [never] ? never : (branches: ChoiceBranchParams<K, S[K]>) => void;
    }[keyof S] extends infer F
      ? [F] extends [never]
        ? unknown
        : [F] extends [(branches: infer I) => void]
          ? I
          : never
      : never);

/** Every parameter name of a space, its sub-spaces' too (a name typed `string`, of a wide space, is left out). */
export type ParamNames<S> = string extends keyof S
  ? never
  :
      | Extract<keyof S, string>
      | {
          [K in keyof S]: BranchSpacesOf<S[K]> extends infer Sub
            ? Sub extends unknown
              ? ParamNames<Sub>
              : never
            : never;
        }[keyof S];

/**
 * Each member of `M` as one object type with every other name of the space marked absent (`C?: never`, read as
 * `undefined`), so a name of another branch reads without narrowing (a helper of {@link ParamsOf}).
 */
export type ExactParams<M, Names extends string> = M extends unknown
  ? {
      -readonly [K in keyof (M & { [N in Exclude<Names, keyof M>]?: never })]: (M & {
        [N in Exclude<Names, keyof M>]?: never;
      })[K];
    }
  : never;

/**
 * The most members {@link ParamsOf}'s union has: one per combination of branches, so independent choices
 * multiply (eight choices of three branches are 6,561 members: tsc took 15 s and 500 MB on that one file, 3 s and
 * 100 MB without them; nine failed to compile, TS2589). Past it, {@link ParamsOf} is {@link OptionalParams}.
 */
export type MaxParamsMembers = 256;

/** A count as a tuple's length, for the type-level arithmetic of {@link ParamsCount}. */
export type ParamsTally = readonly unknown[];
/** A tuple of `N` elements (a helper of {@link ParamsCount}). */
export type ParamsTallyOf<N extends number, T extends ParamsTally = []> = T['length'] extends N
  ? T
  : ParamsTallyOf<N, [...T, unknown]>;
/** A count past {@link MaxParamsMembers}. */
export type ParamsCountOver = [...ParamsTallyOf<MaxParamsMembers>, unknown];
/** A sum of counts, {@link ParamsCountOver} past {@link MaxParamsMembers}. */
export type ParamsTallyPlus<A extends ParamsTally, B extends ParamsTally> = [...A, ...B] extends readonly [
  ...ParamsTallyOf<MaxParamsMembers>,
  unknown,
  ...unknown[],
]
  ? ParamsCountOver
  : [...A, ...B];
/** A product of counts, capped as {@link ParamsTallyPlus}: `A` added once per element of `B`. */
export type ParamsTallyTimes<
  A extends ParamsTally,
  B extends ParamsTally,
  Sum extends ParamsTally = [],
> = Sum extends ParamsCountOver
  ? ParamsCountOver
  : B extends readonly [unknown, ...infer Rest]
    ? ParamsTallyTimes<A, Rest, ParamsTallyPlus<Sum, A>>
    : Sum;

/** One member of a union (the last, as TypeScript orders it), to walk a union one member at a time. */
export type UnionMember<U> =
  UnionToIntersection<U extends unknown ? (member: U) => void : never> extends (member: infer M) => void ? M : never;

/**
 * How many members {@link ParamsOf}'s union for a space has (at most), as a {@link ParamsTally}: the product of
 * its choices of branches' counts, {@link ParamsCountOver} past {@link MaxParamsMembers}.
 */
export type ParamsCount<S> = string extends keyof S ? [unknown] : ParamsChoicesCount<S, BranchKeys<S>>;

/** The names of a space's choices of branches (a helper of {@link ParamsOf}). */
export type BranchKeys<S> = { [K in keyof S]: [BranchSpacesOf<S[K]>] extends [never] ? never : K }[keyof S];

/** The product of the counts of the choices `Keys` of `S` (a helper of {@link ParamsCount}). */
export type ParamsChoicesCount<S, Keys, Product extends ParamsTally = [unknown]> = [Keys] extends [never]
  ? Product
  : Product extends ParamsCountOver
    ? ParamsCountOver
    : UnionMember<Keys> extends infer K extends keyof S
      ? ParamsChoicesCount<
          S,
          Exclude<Keys, K>,
          Product extends [unknown] ? ParamsChoiceCount<S[K]> : ParamsTallyTimes<Product, ParamsChoiceCount<S[K]>>
        >
      : Product;

/** How many members a choice of branches gives: its branches' counts, plus one for its options without a space. */
export type ParamsChoiceCount<D> = D extends {
  /** The choice's options: a count per option with a sub-space, one for the others. */
  readonly options: readonly (infer O)[];
}
  ? ParamsOptionsCount<
      SpacedOptionOf<D>,
      [
        Exclude<
          O,
          {
            /** An option with a sub-space (those without are kept). */
            readonly space: unknown;
          }
        >,
      ] extends [never]
        ? []
        : [unknown]
    >
  : [unknown];

/** The sum of the counts of the sub-spaces of `Options`, added to `Sum` (a helper of {@link ParamsCount}). */
export type ParamsOptionsCount<Options, Sum extends ParamsTally> = [Options] extends [never]
  ? Sum
  : Sum extends ParamsCountOver
    ? ParamsCountOver
    : UnionMember<Options> extends infer O
      ? ParamsOptionsCount<
          Exclude<Options, O>,
          ParamsTallyPlus<
            Sum,
            O extends {
              /** The option's sub-space. */
              readonly space?: infer Sub;
            }
              ? ParamsCount<Exclude<Sub, undefined>>
              : [unknown]
          >
        >
      : Sum;

/**
 * The params object an objective receives for a space: a union with one member per combination of the
 * options of its choices of branches (options with a sub-space), so a check of the choice narrows to its
 * branch. With `model: choice([option('svm', { C: loguniform(0.01, 100) }), 'tree'])`,
 * `{ model: 'svm'; C: number } | { model: 'tree'; C?: never }`: after `if (p.model === 'svm')`, `p.C` is a
 * number; elsewhere it reads `number | undefined` (present only when its option is chosen, as at run time).
 * Options whose values are not literal types (a `string`) give members that no check of the value tells apart:
 * test the parameter (`p.C !== undefined`) instead. A space of more than {@link MaxParamsMembers} combinations
 * gets {@link OptionalParams}, where nothing narrows; a space whose names are not known, {@link WideParams}.
 */
export type ParamsOf<S> = string extends keyof S
  ? WideParams<S>
  : [BranchKeys<S>] extends [never]
    ? { -readonly [K in keyof S]: ValueOf<S[K]> }
    : ParamsCount<S> extends ParamsCountOver
      ? OptionalParams<S>
      : ExactParams<BranchParams<S>, ParamNames<S>>;

/**
 * Each parameter of a space, its sub-spaces' too, with the choices that decide whether it is used (`deciders`: the
 * choices above it, outside in) and its value type: `{ name: 'C'; deciders: 'model'; value: number }` (a helper of
 * {@link EnqueueParams}). A name in several branches has a place in each.
 */
export type ParamPlaces<S, Above extends string = never> = string extends keyof S
  ? never
  : {
      [K in keyof S & string]:
        | {
            /** The parameter this place is of, by name. */
            readonly name: K;
            /** The choices above it, outside in, whose options decide whether it is used. */
            readonly deciders: Above;
            /** The type of the value the objective gets. */
            readonly value: ValueOf<S[K]>;
          }
        | (BranchSpacesOf<S[K]> extends infer Sub
            ? Sub extends unknown
              ? ParamPlaces<Sub, Above | K>
              : never
            : never);
    }[keyof S & string];

/**
 * The choices a place of a parameter needs that `Given` lacks, or `true` when it has them all (a helper of
 * {@link EnqueueParams}).
 */
export type UnmetDeciders<Place, Given> = Place extends {
  /** The choices that decide whether the place's parameter is used. */
  readonly deciders: infer D;
}
  ? [Exclude<D, Given>] extends [never]
    ? true
    : Exclude<D, Given>
  : never;

/**
 * What {@link Study.enqueue} checks of its params `P` beyond `Partial<ParamsOf<S>>`: a parameter of a branch comes
 * with the choices that decide it (`{ C: 50 }` needs `model: 'svm'` too: the entry says which branch it is for),
 * and only names of the space are given. The missing choices are required properties of the type, so the error
 * names them. Unknown names (a wide space) check nothing.
 */
export type EnqueueParams<S, P> = string extends keyof S
  ? unknown
  : {
      [K in {
        [G in keyof P]: true extends UnmetDeciders<
          Extract<
            ParamPlaces<S>,
            {
              /** Selects the places of the parameter named `G`. */
              readonly name: G;
            }
          >,
          keyof P
        >
          ? never
          : UnmetDeciders<
              Extract<
                ParamPlaces<S>,
                {
                  /** Selects the places of the parameter named `G`. */
                  readonly name: G;
                }
              >,
              keyof P
            >;
      }[keyof P] &
        string]: Extract<
        ParamPlaces<S>,
        {
          /** Selects the places of the parameter named `K`. */
          readonly name: K;
        }
      >['value'];
    } & { [K in Exclude<keyof P, ParamNames<S>>]: never };

/** Identity with a type check: gives a space literal its precise type. */
export const defineSpace = <const S extends SpaceDefinition>(space: S): S => space;
