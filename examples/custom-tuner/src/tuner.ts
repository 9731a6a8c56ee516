import { createTpeSuggester } from '@parzen/algo-tpe';
import {
  bestTrial,
  choice,
  loguniform,
  option,
  ParzenError,
  quniform,
  Study,
  type Trial,
  uniform,
} from '@parzen/engine';
import { createSqliteStore } from '@parzen/store-sqlite';
import { createLineReporter } from './line-reporter.js';
import { trainAndScore } from './model.js';
import { noImprovementStopper } from './stopping-rule.js';

/** The search space, built in code; `ParamsOf<typeof space>` is the params type the objective gets. */
export const space = {
  learningRate: loguniform(1e-4, 1),
  epochs: quniform(5, 60, 5),
  l2: loguniform(1e-6, 0.1),
  batchSize: choice([8, 32, 128]),
  optimizer: choice(['sgd', option('momentum', { beta: uniform(0.5, 0.99) })]),
};

/** What one run of the tuner gets. */
export interface TuneOptions {
  /** The SQLite file that holds the study; running again with the same file resumes it. */
  readonly db: string;
  /** Stop when the study has this many trials (earlier runs count). */
  readonly maxTrials: number;
  readonly seed?: number;
  /** Trials without a 1% improvement before the stopping rule ends the study. */
  readonly patience?: number;
  /** Where lines go (default: stdout). */
  readonly write?: (line: string) => void;
  /** Stops asking for trials (Ctrl-C); the running trial finishes. */
  readonly signal?: AbortSignal;
}

/** What one run of the tuner did. */
export interface TuneResult {
  /** Trials the study had when this run opened it. */
  readonly existingTrials: number;
  /** Trials this run told. */
  readonly ran: number;
  /** `max-trials`, `interrupted` (its signal fired), or the stopping rule's reason. */
  readonly reason: string;
  readonly best: { readonly number: number; readonly loss: number } | undefined;
  readonly trials: readonly Trial[];
}

const describeBest = (trials: readonly Trial[]): string => {
  const best = bestTrial(trials, 'minimize');
  return best === undefined ? 'none yet' : `#${best.number}, loss ${best.loss.toFixed(4)}`;
};

/** Opens (or resumes) the study in the SQLite file and runs ask → train → tell until a rule stops it. */
export const tune = async (options: TuneOptions): Promise<TuneResult> => {
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const store = createSqliteStore({ path: options.db });
  let reporter: ReturnType<typeof createLineReporter> | undefined;
  const stopper = noImprovementStopper({ patience: options.patience ?? 15, minRelativeImprovement: 0.01 });
  try {
    const study = await Study.open({
      name: 'logistic',
      space,
      suggester: createTpeSuggester(),
      store,
      seed: options.seed ?? 1,
      onEvent: (event) => reporter?.onEvent(event),
    });
    let trials = await study.trials();
    const existing = trials.length;
    reporter = createLineReporter(write, bestTrial(trials, 'minimize')?.loss);
    // A run killed mid-trial leaves that trial running, and ask/tell trials have no lease that expires:
    // close them as cut short (INTERRUPTED, not a failure at their params) so the history is whole.
    for (const trial of trials) {
      if (trial.state === 'running')
        await study.tell(trial.number, new ParzenError('INTERRUPTED', 'left running by an earlier run'));
    }
    write(
      existing === 0
        ? `New study logistic in ${options.db}`
        : `Resuming study logistic: ${existing} trials so far, best ${describeBest(trials)}`,
    );
    let reason = 'max-trials';
    let ran = 0;
    while (trials.length < options.maxTrials) {
      if (options.signal?.aborted) {
        reason = 'interrupted';
        break;
      }
      const asked = await study.ask();
      let result: number | Error;
      try {
        result = trainAndScore(asked.params); // typed by the space: ParamsOf<typeof space>
      } catch (error) {
        result = error instanceof Error ? error : new Error(String(error));
      }
      const finished = await study.tell(asked.number, result);
      ran++;
      trials = await study.trials();
      const best = bestTrial(trials, 'minimize');
      const said = stopper.shouldStop({ study: study.name, direction: 'minimize', trial: finished, trials, best });
      // A Stopper answers a reason (or `true`) to stop, `undefined` or `false` to go on.
      if (said !== undefined && said !== false) {
        reason = said === true ? stopper.name : said;
        break;
      }
    }
    await reporter.end?.();
    const best = bestTrial(trials, 'minimize');
    write(`Stopped (${reason}). Study logistic: ${trials.length} trials, best ${describeBest(trials)}`);
    return {
      existingTrials: existing,
      ran,
      reason,
      best: best === undefined ? undefined : { number: best.number, loss: best.loss },
      trials,
    };
  } finally {
    await store.close();
  }
};
