import type { StopReason, StudySummary } from '@parzen/engine';
import { type CompiledSpace, failedRun, type RunResult } from '@parzen/engine/plugin';

/** The summary with the best trial's params in the space's order (the trials table's), not sampling order. */
export const inSpaceOrder = (space: CompiledSpace, summary: StudySummary): StudySummary => {
  const params = summary.bestParams;
  if (params === undefined) return summary;
  const names = space.params.map((param) => param.name).filter((name) => Object.hasOwn(params, name));
  const ordered = Object.fromEntries(
    [...new Set([...names, ...Object.keys(params)])].map((name) => [name, params[name]]),
  );
  return { ...summary, bestParams: ordered as typeof params };
};

/**
 * The one-line JSON result of a study, as `run --json` and `best --json` print it:
 * `{"study": "heart", "trials": {"complete": 98, "failed": 2, "pruned": 0, "running": 0}, "best": {"number": 41, "loss": -371.2, "params": {...}}}`
 * (`best.attrs` when the best trial has attrs)
 * (`trials.running` counts the trials other workers still run; `best` is null when no trial completed; `reason` says why a run ended, and `stopMessage` what a
 * stopper said when `reason` is `stopper`: the names of `study.finished` and `RunResult`).
 */
export const summaryJson = (
  summary: StudySummary,
  reason?: StopReason,
  stopMessage?: string,
): Record<string, unknown> => ({
  study: summary.study,
  trials: {
    complete: summary.complete,
    failed: summary.failed,
    // Every count, 0 too, as `studies --json` gives them (trials 87/88: a script read `trials.pruned` as undefined).
    pruned: summary.pruned,
    // Trials other workers are still running when this run ends (trial 35: the counts did not add up).
    running: summary.running,
  },
  best:
    summary.best === undefined
      ? null
      : {
          number: summary.best.number,
          loss: summary.best.loss,
          params: summary.bestParams ?? {},
          ...(summary.best.attrs === undefined ? {} : { attrs: summary.best.attrs }),
        },
  ...(reason === undefined ? {} : { reason }),
  ...(stopMessage === undefined ? {} : { stopMessage }),
});

/** A reporter the run cut off because it threw (the run went on without it), and what it threw. */
export interface ReporterCutOff {
  readonly reporter: string;
  readonly message: string;
}

// Trial 125: a script saw a normal summary, `reason: "max-trials"`, of a run whose every trial failed.
// Trial 149: a reporter cut off for throwing was said on stderr only; a script reading --json never knew.
/**
 * A run's one-line JSON result: its summary, and when every trial of the run failed, or the run ran none in a study
 * every trial of which failed (it exits 1), `error`, the first failed trial's `{trial, code, message}`; `reportersCutOff`, when the run cut off reporters that
 * threw, each one's `{reporter, message}`.
 */
export const runJson = (result: RunResult, cutOff: readonly ReporterCutOff[] = []): Record<string, unknown> => {
  // Not a run cut short by a signal, whose trials failed as INTERRUPTED (review 133): it exits 130, `reason` says it.
  const failed = result.reason === 'interrupted' ? undefined : failedRun(result);
  return {
    ...summaryJson(result.summary, result.reason, result.stopMessage),
    // Whether the run found the study, and with how many trials (a CI user could not tell a run of 20 trials from
    // a rerun with nothing left to run: the rest of the line was the same).
    resumed: result.resumed,
    // The names of the `study.started` event and `RunResult` (review 156: `trialsBefore`, and `stopped` for `reason`).
    existingTrials: result.existingTrials,
    ...(failed === undefined
      ? {}
      : { error: { trial: failed.number, code: failed.error.code, message: failed.error.message } }),
    ...(cutOff.length === 0 ? {} : { reportersCutOff: cutOff }),
    // Entries the run's budget left waiting in the queue (trial 165: unsaid).
    ...(result.waitingEntries === undefined ? {} : { waitingEntries: result.waitingEntries }),
  };
};
