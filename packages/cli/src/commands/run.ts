import {
  formatSummary,
  installInterruptHandlers,
  ParzenError,
  type RunResult,
  runLoadedExperiment,
  type StopReason,
} from '@parzen/engine';
import { type BatchOutcome, compareOutcomes, formatComparison } from '../comparison.js';
import { EXIT } from '../exit-codes.js';
import type { Output } from '../output.js';
import type { ConfigOverrides } from '../overrides.js';
import { type PreparedRun, prepareRuns } from '../prepare-runs.js';
import { parseStoreSpec } from '../store-spec.js';
import { openStudyTrials } from '../study-trials.js';
import { summaryJson } from '../summary-json.js';

/** The flags of `parzen run` and `parzen resume`. */
export interface RunFlags {
  readonly seed?: number;
  readonly maxTrials?: number;
  readonly moreTrials?: number;
  readonly concurrency?: number;
  readonly store?: string;
  readonly json?: boolean;
  readonly quiet?: boolean;
}

/** The config overrides the run flags ask for (`--store` parsed against the working directory). */
export const overridesFrom = (flags: RunFlags): ConfigOverrides => ({
  ...(flags.seed === undefined ? {} : { seed: flags.seed }),
  ...(flags.maxTrials === undefined ? {} : { maxTrials: flags.maxTrials }),
  ...(flags.moreTrials === undefined ? {} : { moreTrials: flags.moreTrials }),
  ...(flags.concurrency === undefined ? {} : { concurrency: flags.concurrency }),
  ...(flags.store === undefined ? {} : { store: parseStoreSpec(flags.store) }),
});

const humanSummary = (result: RunResult): string =>
  formatSummary(result.summary, result.reason === 'max-trials' ? undefined : describeStop(result.reason));

const describeStop = (reason: StopReason): string => (reason === 'aborted' ? 'interrupted' : reason);

const checkStudiesExist = async (runs: readonly PreparedRun[]): Promise<void> => {
  for (const run of runs) {
    try {
      await openStudyTrials(run.experiment);
    } catch (error) {
      if (error instanceof ParzenError && error.code === 'STUDY_NOT_FOUND') {
        throw new ParzenError(
          'STUDY_NOT_FOUND',
          `Nothing to resume: ${error.message} Start it with \`parzen run ${run.configPath}\`.`,
        );
      }
      throw error;
    }
  }
};

/**
 * `parzen run <config...>` and `parzen resume <config>`: validates every config (and matrix variant)
 * first, then runs them in turn. One run prints its summary (with `--json`, one JSON line last); several
 * print a comparison table (median best per variant). Ctrl-C stops gracefully and exits 130 (143 on
 * SIGTERM) after printing what finished.
 */
export const runConfigs = async (
  paths: readonly string[],
  flags: RunFlags,
  output: Output,
  resume = false,
): Promise<number> => {
  const runs = await prepareRuns(paths, {
    overrides: overridesFrom(flags),
    preflight: true,
    ...(flags.quiet === true ? { progress: { force: 'off' as const } } : {}),
  });
  if (resume) await checkStudiesExist(runs);
  const interrupts = installInterruptHandlers((name, count) => {
    output.note(
      count === 1
        ? `\n${name}: letting running trials finish, then stopping (press Ctrl-C again to stop now).`
        : `\n${name}: stopping now.`,
    );
  });
  const batch = runs.length > 1;
  const outcomes: BatchOutcome[] = [];
  const human = (line: string) => (flags.json === true ? output.note(line) : output.result(line));
  try {
    for (const run of runs) {
      if (interrupts.signal.aborted) break;
      const base = {
        variant: run.variant.variant,
        study: run.experiment.config.name,
        direction: run.experiment.config.direction,
      };
      try {
        const result = await runLoadedExperiment(run.experiment, {
          signal: interrupts.signal,
          forceSignal: interrupts.forceSignal,
        });
        outcomes.push({ ...base, result });
        if (flags.quiet !== true || !batch) human(humanSummary(result));
      } catch (error) {
        if (!batch) throw error;
        outcomes.push({ ...base, error });
        output.note(`parzen: study ${base.study} stopped with an error: ${(error as Error).message}`);
      }
    }
  } finally {
    interrupts.dispose();
  }
  const rows = compareOutcomes(outcomes);
  if (batch) {
    if (flags.json !== true) output.result(`${flags.quiet === true ? '' : '\n'}${formatComparison(rows)}`);
    else {
      const summaries = outcomes.map((outcome) =>
        outcome.result === undefined
          ? { study: outcome.study, error: (outcome.error as Error).message }
          : summaryJson(outcome.result.summary, outcome.result.reason),
      );
      output.result(JSON.stringify({ comparison: rows, runs: summaries }));
    }
  } else if (flags.json === true && outcomes[0]?.result !== undefined) {
    output.result(JSON.stringify(summaryJson(outcomes[0].result.summary, outcomes[0].result.reason)));
  }
  return interrupts.exitCode() ?? (outcomes.some((outcome) => outcome.error !== undefined) ? EXIT.studyError : EXIT.ok);
};
