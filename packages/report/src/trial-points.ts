import { cutShort } from '@parzen/engine/host';
import {
  type ExternalParams,
  isBetter,
  type ParamAssignment,
  type Trial,
  toExternalParams,
} from '@parzen/engine/plugin';
import type { ReportStudy } from './types.js';

/** One trial as the charts use it: its value (complete and valued pruned trials) and the best so far. */
export interface TrialPoint {
  /** The trial's number. */
  readonly number: number;
  /** Its state: running, complete, failed or pruned. */
  readonly state: Trial['state'];
  /**
   * Whether it failed cut short (`INTERRUPTED`, `STALE_TRIAL`: a stopped run, a lost worker or an interrupted
   * trial), not by its objective: the charts draw it apart from a failure.
   */
  readonly cutShort?: boolean;
  /** The trial's loss, or null (running, failed, pruned without a value). */
  readonly loss: number | null;
  /** The best loss of a complete trial among trials up to this one (by number), or null before the first. */
  readonly best: number | null;
  /** Whether this trial set a new best. */
  readonly improved: boolean;
  /** Its params, as the objective saw them (option values for choices). */
  readonly params: ExternalParams;
  /** Its params in internal values (an option's index for a choice), as stored. */
  readonly internal: ParamAssignment;
  /** Seconds from start to finish, or null while running. */
  readonly seconds: number | null;
}

const secondsBetween = (trial: Trial): number | null => {
  if (trial.state === 'running') return null;
  const ms = Date.parse(trial.finishedAt) - Date.parse(trial.startedAt);
  return Number.isFinite(ms) ? ms / 1000 : null;
};

/** The study's trials in number order with their values and the best so far (in the study's direction). */
export const trialPoints = (study: ReportStudy): TrialPoint[] => {
  let best: number | undefined;
  return [...study.trials]
    .sort((a, b) => a.number - b.number)
    .map((trial) => {
      const loss = trial.state === 'complete' ? trial.loss : trial.state === 'pruned' ? (trial.loss ?? null) : null;
      const improved = trial.state === 'complete' && isBetter(trial.loss, best, study.direction);
      if (improved) best = trial.loss;
      return {
        number: trial.number,
        state: trial.state,
        ...(cutShort(trial) ? { cutShort: true } : {}),
        loss,
        best: best ?? null,
        improved,
        params: toExternalParams(study.space, trial.internal),
        internal: trial.internal,
        seconds: secondsBetween(trial),
      };
    });
};

/**
 * Indices of at most `max` items out of `count` to draw: every index `keep` marks (new bests, say) and an
 * evenly spaced share of the rest. When the kept ones alone exceed `max`, they are thinned evenly too.
 */
export const downsampleIndices = (count: number, max: number, keep: (index: number) => boolean): number[] => {
  if (count <= max) return Array.from({ length: count }, (_, i) => i);
  const kept: number[] = [];
  const rest: number[] = [];
  for (let i = 0; i < count; i++) (keep(i) ? kept : rest).push(i);
  const even = (items: readonly number[], n: number): number[] =>
    n <= 0
      ? []
      : n >= items.length
        ? [...items]
        : Array.from({ length: n }, (_, k) => items[Math.floor((k * items.length) / n)] as number);
  const chosen = kept.length >= max ? even(kept, max) : [...kept, ...even(rest, max - kept.length)];
  return chosen.sort((a, b) => a - b);
};
