import type { PluginInstances, PluginKind } from './manifest.js';

/** The names of the methods of `T` that are not optional (what its contract requires). */
type RequiredMethodOf<T> = {
  [K in keyof T]-?: Record<never, never> extends Pick<T, K>
    ? never
    : T[K] extends (...args: never[]) => unknown
      ? K
      : never;
}[keyof T];

/**
 * A list of the required methods of `T` that the compiler checks is complete: a method added to a
 * contract and left out here fails to compile (user trial: a store without `close` passed, and the
 * finished run then failed on it, with a stack).
 */
const everyRequired =
  <T>() =>
  <const L extends readonly RequiredMethodOf<T>[]>(
    list: L &
      ([RequiredMethodOf<T>] extends [L[number]] ? unknown : { missing: Exclude<RequiredMethodOf<T>, L[number]> }),
  ): readonly string[] =>
    list as readonly string[];

/** The methods the engine calls on every instance of a kind (the optional ones left out): all of its contract's. */
export const REQUIRED_METHODS: Readonly<Record<PluginKind, readonly string[]>> = {
  suggester: everyRequired<PluginInstances['suggester']>()(['beginTrial']),
  store: everyRequired<PluginInstances['store']>()([
    'openStudy',
    'getStudy',
    'createTrial',
    'setParams',
    'renewLease',
    'finishTrial',
    'listTrials',
    'close',
  ]),
  objective: everyRequired<PluginInstances['objective']>()(['evaluate']),
  reporter: everyRequired<PluginInstances['reporter']>()(['onEvent']),
  pruner: everyRequired<PluginInstances['pruner']>()(['shouldPrune']),
  stopper: everyRequired<PluginInstances['stopper']>()(['shouldStop']),
};
