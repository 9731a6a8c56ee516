import type { ParamAssignment } from './params.js';
import type { FinishedTrial, Lease, RunningTrial, TrialOutcome } from './trial.js';

/*
 * Trials are built field by field in one order, never by object spread: objects that share a shape let
 * suggesters read thousands of trials per suggestion without megamorphic property lookups (spread
 * copies measured 20-40x slower to read at 10,000 trials).
 */

/** A frozen copy of params with keys in insertion order. */
export const copyParams = (params: ParamAssignment): ParamAssignment => {
  const copy: Record<string, number> = {};
  for (const name in params) copy[name] = params[name] as number;
  return Object.freeze(copy);
};

/**
 * A running trial from its fields, with `change` applied (new params, a new lease).
 */
export const runningTrial = (
  trial: Pick<RunningTrial, 'study' | 'number' | 'params' | 'startedAt'> & { readonly lease?: Lease | undefined },
  change: { readonly params?: ParamAssignment; readonly lease?: Lease | undefined } = {},
): RunningTrial => {
  const lease = change.lease ?? trial.lease;
  const { study, number, startedAt } = trial;
  const params = change.params ?? trial.params;
  return lease === undefined
    ? { study, number, state: 'running', params, startedAt }
    : { study, number, state: 'running', params, startedAt, lease };
};

/** The finished form of a running trial, with a consistent field order per state. */
export const finishedTrial = (trial: RunningTrial, outcome: TrialOutcome, finishedAt: string): FinishedTrial => {
  const { study, number, params, startedAt } = trial;
  switch (outcome.state) {
    case 'complete':
      return outcome.attributes === undefined
        ? { study, number, state: 'complete', params, startedAt, value: outcome.value, finishedAt }
        : {
            study,
            number,
            state: 'complete',
            params,
            startedAt,
            value: outcome.value,
            finishedAt,
            attributes: outcome.attributes,
          };
    case 'failed':
      return { study, number, state: 'failed', params, startedAt, error: outcome.error, finishedAt };
    case 'pruned':
      return outcome.value === undefined
        ? { study, number, state: 'pruned', params, startedAt, finishedAt }
        : { study, number, state: 'pruned', params, startedAt, value: outcome.value, finishedAt };
  }
};
