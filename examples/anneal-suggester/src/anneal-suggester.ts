import type { CompleteTrial, Suggester } from '@parzen/engine';
import { lossToMinimize, type Rng, sampleDistribution } from '@parzen/engine/plugin';
import { sampleNeighbour } from './neighbour.js';

/** Options of the `anneal` suggester (hyperopt's names in brackets). */
export interface AnnealOptions {
  /** Mean rank (1-based) of the good trial a new value starts from; 1 always takes the best [avg_best_idx]. */
  readonly avgBestIndex: number;
  /** How fast neighbourhoods shrink: width = 1 / (1 + observations * shrinkCoefficient) [shrink_coef]. */
  readonly shrinkCoefficient: number;
}

/** hyperopt's defaults: `avg_best_idx` 2, `shrink_coef` 0.1. */
export const defaultAnnealOptions: AnnealOptions = { avgBestIndex: 2, shrinkCoefficient: 0.1 };

/** A geometric draw on 1, 2, 3, ... with mean `mean` (>= 1). */
const geometric = (rng: Rng, mean: number): number => {
  const p = 1 / mean;
  if (p >= 1) return 1;
  return Math.max(1, Math.ceil(Math.log(1 - rng.next()) / Math.log(1 - p)));
};

/**
 * Simulated annealing in the style of hyperopt's `anneal`: each parameter starts from the value it had in
 * a good trial (picked by a geometric draw over the trials ranked by loss) and moves within a
 * neighbourhood that shrinks as the parameter gathers observations. With no finished trial it samples the
 * prior. Conditional parameters use only the trials in which they were active.
 *
 * @example
 * ```json
 * { "plugins": ["./dist/index.js"], "suggester": { "use": "anneal", "options": { "shrinkCoefficient": 0.2 } } }
 * ```
 */
export const createAnnealSuggester = (options: Partial<AnnealOptions> = {}): Suggester => {
  const { avgBestIndex, shrinkCoefficient } = { ...defaultAnnealOptions, ...options };
  return {
    name: 'anneal',
    beginTrial: (context) => {
      const complete = context.history
        .filter((trial): trial is CompleteTrial => trial.state === 'complete')
        .sort(
          (a, b) =>
            lossToMinimize(a.loss, context.direction) - lossToMinimize(b.loss, context.direction) ||
            a.number - b.number,
        );
      return {
        sampleParam: (param) => {
          const observed = complete.filter((trial) => trial.internal[param.name] !== undefined);
          if (observed.length === 0) return sampleDistribution(param.distribution, context.rng);
          const rank = Math.min(observed.length, geometric(context.rng, avgBestIndex)) - 1;
          const good = observed[rank]?.internal[param.name] as number;
          const shrinking = 1 / (1 + observed.length * shrinkCoefficient);
          return sampleNeighbour(param.distribution, good, shrinking, context.rng);
        },
      };
    },
  };
};
