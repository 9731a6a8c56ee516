import type { StopContext, Stopper } from '@parzen/engine';

/** Options of {@link noImprovementStopper}. */
export interface NoImprovementOptions {
  /** How many finished trials in a row may fail to improve the best loss. */
  readonly patience: number;
  /** The least relative improvement that counts (0.01: the best loss must drop by 1%). */
  readonly minRelativeImprovement: number;
}

/**
 * A custom stopping rule: stop once the last `patience` finished trials did not improve the best loss
 * by at least `minRelativeImprovement`. It has the engine's `Stopper` shape (a pure function of the
 * study's trials), so the same object can later be handed to a run loop that asks stoppers itself.
 */
export const noImprovementStopper = (options: NoImprovementOptions): Stopper => ({
  name: 'no-improvement',
  shouldStop: ({ trials, direction }: StopContext) => {
    const finished = trials.filter((trial) => trial.state !== 'running');
    if (finished.length <= options.patience) return undefined;
    const sign = direction === 'maximize' ? -1 : 1;
    const losses = finished.map((trial) => (trial.state === 'complete' ? sign * trial.loss : Number.POSITIVE_INFINITY));
    const before = Math.min(...losses.slice(0, -options.patience));
    const recent = Math.min(...losses.slice(-options.patience));
    const needed = before - Math.abs(before) * options.minRelativeImprovement;
    if (recent <= needed) return undefined;
    const percent = options.minRelativeImprovement * 100;
    return `no improvement of ${percent}% in the last ${options.patience} trials`;
  },
});
