/**
 * Pruning: how many training epochs the pruners save at equal final regret, on a real small trainer
 * (logistic regression by minibatch SGD with momentum and L2, one step per epoch, validation log-loss).
 * Every study is 100 trials of TPE (default profile) with an in-process function objective that reports
 * each epoch and stops when told; the pruners are `none`, `median`, `successive-halving` and `hyperband`
 * with their defaults. The metrics are defined in results/pruning.md.
 *
 *   node --conditions=@parzen/source --import tsx bench/pruning.ts [--seeds 10] [--trials 100] [--epochs 30]
 *     [--spread 3] [--suggester tpe|random] [--max-trials 2000] [--schedule constant|linear]
 *     [--noise-free K] [--basic] [--tpe '{"profile":"optuna5"}'] [--write] [--out results/pruning.md]
 *   node --conditions=@parzen/source --import tsx bench/pruning.ts --shuffle-noise [--schedule linear]
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { createRandomSuggester } from '@parzen/algo-random';
import { createTpeSuggester, type TpeOptions } from '@parzen/algo-tpe';
import { type EvaluationContext, fmin } from '@parzen/engine';
import { createRng, type Pruner, type Rng, standardNormal } from '@parzen/engine/plugin';
import { createHyperbandPruner, createMedianPruner, createSuccessiveHalvingPruner } from '@parzen/pruners';
import { checkFlags, refuser } from './run-flags.js';

checkFlags('pruning');

/** Count flags that may be 0 (`--spread 0`: all scales 1; `--noise-free 0`: off). */
const ZERO_ALLOWED = new Set(['spread', 'noise-free']);
/** A count flag: a positive integer (or 0 where allowed), else exit 2 (trial 123: `--seeds abc` printed NaN tables, exit 0). */
const flag = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(`--${name}`);
  if (at < 0) return fallback;
  const text = process.argv[at + 1];
  const value = Number(text);
  const least = ZERO_ALLOWED.has(name) ? 0 : 1;
  if (text === undefined || text.trim() === '' || !Number.isInteger(value) || value < least)
    refuser('pruning')(`--${name} ${text ?? ''}: expected ${least === 0 ? 'a whole number' : 'a positive integer'}`);
  return value;
};
const SEEDS = flag('seeds', 10);
/** The first seed: 1 for the seeds options are chosen on, 11 for held-out ones. */
const FIRST_SEED = flag('first-seed', 1);
/** `--sweep`: the pruners' option grid (chosen on seeds 1–10) instead of the default rows. */
const SWEEP = process.argv.includes('--sweep');
const TRIALS = flag('trials', 100);
const EPOCHS = flag('epochs', 30);
const WRITE = process.argv.includes('--write');
/** Decades spanned by the feature scales (3: from 0.03 to 30, ill-conditioned; 0: all 1). */
const SPREAD = flag('spread', 3);
const OUT = (() => {
  const at = process.argv.indexOf('--out');
  return at < 0 ? 'results/pruning.md' : (process.argv[at + 1] as string);
})();
/** `tpe` (default profile) or `random` search. */
const SUGGESTER = (() => {
  const at = process.argv.indexOf('--suggester');
  const value = at < 0 ? 'tpe' : (process.argv[at + 1] as string);
  if (value !== 'tpe' && value !== 'random') refuser('pruning')(`--suggester ${value}: expected tpe or random`);
  return value;
})();
/**
 * The learning-rate schedule: `constant` (the rate `lr` every epoch), or `linear`, the rate decayed
 * linearly from `lr` in the first epoch to `lr / EPOCHS` in the last, as trainers usually decay it. With a
 * constant rate the last epoch's loss of a fast rate swings from shuffle to shuffle.
 */
const SCHEDULE = (() => {
  const at = process.argv.indexOf('--schedule');
  const value = at < 0 ? 'constant' : (process.argv[at + 1] as string);
  if (value !== 'constant' && value !== 'linear')
    refuser('pruning')(`--schedule ${value}: expected constant or linear`);
  return value;
})();
/** `--tpe JSON`: TPE options for every row (a row's own TPE options win), e.g. '{"profile":"optuna5"}'. */
const TPE_OPTIONS = ((): TpeOptions => {
  const at = process.argv.indexOf('--tpe');
  if (at < 0) return {};
  try {
    const options: unknown = JSON.parse(process.argv[at + 1] as string);
    if (typeof options !== 'object' || options === null || Array.isArray(options))
      refuser('pruning')(`--tpe ${process.argv[at + 1]}: expected a JSON object of TPE options`);
    return options as TpeOptions;
  } catch (error) {
    // Refused as the other flags are (review 129: a stack trace).
    return refuser('pruning')(`--tpe ${process.argv[at + 1] ?? ''}: not JSON (${(error as Error).message})`);
  }
})();
/** A pruned study's cap on trials (its budget is in epochs). */
const MAX_TRIALS = flag('max-trials', 2000);

// ---- The dataset: seeded, fixed for every study ------------------------------------------------------

const FEATURES = 40;
const TRAIN = 2000;
const VALIDATION = 1000;

interface Dataset {
  readonly x: Float64Array; // row-major, rows × FEATURES
  readonly y: Uint8Array;
  readonly rows: number;
}

/**
 * Gaussian features with scales spread over two decades (so the learning rate matters), labels drawn
 * from a logistic model with a sparse true weight vector and an interaction the linear model cannot fit.
 */
const makeData = (rng: Rng): { train: Dataset; validation: Dataset } => {
  const scale = Array.from({ length: FEATURES }, (_, j) => 10 ** (SPREAD * (j / (FEATURES - 1) - 0.5)));
  const weights = Array.from(
    { length: FEATURES },
    (_, j) => (j % 3 === 0 ? standardNormal(rng) * 1.5 : 0) / (scale[j] as number),
  );
  const make = (rows: number): Dataset => {
    const x = new Float64Array(rows * FEATURES);
    const y = new Uint8Array(rows);
    for (let i = 0; i < rows; i++) {
      let z = 0.3;
      for (let j = 0; j < FEATURES; j++) {
        const v = standardNormal(rng) * (scale[j] as number);
        x[i * FEATURES + j] = v;
        z += (weights[j] as number) * v;
      }
      z +=
        0.8 *
        Math.sin(
          ((x[i * FEATURES + 1] as number) / (scale[1] as number)) *
            ((x[i * FEATURES + 2] as number) / (scale[2] as number)),
        );
      y[i] = rng.next() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
    }
    return { x, y, rows };
  };
  return { train: make(TRAIN), validation: make(VALIDATION) };
};

const data = makeData(createRng('pruning-bench-data'));

// `--dump-data FILE`: write the dataset as JSON (for bench/pruning_optuna.py, the same trainer under Optuna) and stop.
const DUMP = process.argv.indexOf('--dump-data');
if (DUMP >= 0) {
  const rows = (set: Dataset) =>
    Array.from({ length: set.rows }, (_, i) => Array.from(set.x.subarray(i * FEATURES, (i + 1) * FEATURES)));
  writeFileSync(
    process.argv[DUMP + 1] as string,
    JSON.stringify({
      spread: SPREAD,
      epochs: EPOCHS,
      train: { x: rows(data.train), y: Array.from(data.train.y) },
      validation: { x: rows(data.validation), y: Array.from(data.validation.y) },
    }),
  );
  process.exit(0);
}

const logLoss = (w: Float64Array, set: Dataset): number => {
  let total = 0;
  for (let i = 0; i < set.rows; i++) {
    let z = w[FEATURES] as number;
    for (let j = 0; j < FEATURES; j++) z += (w[j] as number) * (set.x[i * FEATURES + j] as number);
    // log(1 + e^-z) for y = 1, log(1 + e^z) for y = 0, computed stably.
    const s = set.y[i] === 1 ? -z : z;
    total += s > 0 ? s + Math.log1p(Math.exp(-s)) : Math.log1p(Math.exp(s));
  }
  const loss = total / set.rows;
  // A diverged model (weights overflowed) reports a large finite loss.
  return Number.isFinite(loss) ? Math.min(loss, 50) : 50;
};

interface Params {
  readonly lr: number;
  readonly l2: number;
  readonly momentum: number;
  readonly batch: number;
}

const space = {
  lr: { type: 'loguniform', low: 1e-5, high: 1 },
  l2: { type: 'loguniform', low: 1e-6, high: 1e-1 },
  momentum: { type: 'uniform', low: 0, high: 0.99 },
  batch: { type: 'choice', options: [16, 32, 64, 128, 256] },
} as const;

/**
 * Trains for EPOCHS epochs with the minibatch order drawn from `shuffle`, calling `after` with the
 * validation log-loss after each epoch; stops early when it returns true. Returns the last loss.
 */
const trainLoop = async (
  params: Params,
  shuffle: string,
  after: (epoch: number, loss: number) => Promise<boolean>,
): Promise<number> => {
  const rng = createRng(shuffle);
  const w = new Float64Array(FEATURES + 1);
  const velocity = new Float64Array(FEATURES + 1);
  const grad = new Float64Array(FEATURES + 1);
  const order = Array.from({ length: TRAIN }, (_, i) => i);
  let loss = Number.NaN;
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    const rate = SCHEDULE === 'linear' ? params.lr * (1 - epoch / EPOCHS) : params.lr;
    for (let i = TRAIN - 1; i > 0; i--) {
      const j = Math.floor(rng.next() * (i + 1));
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    for (let start = 0; start < TRAIN; start += params.batch) {
      const end = Math.min(start + params.batch, TRAIN);
      grad.fill(0);
      for (let k = start; k < end; k++) {
        const row = (order[k] as number) * FEATURES;
        let z = w[FEATURES] as number;
        for (let j = 0; j < FEATURES; j++) z += (w[j] as number) * (data.train.x[row + j] as number);
        const error = 1 / (1 + Math.exp(-z)) - (data.train.y[order[k] as number] as number);
        for (let j = 0; j < FEATURES; j++) grad[j] = (grad[j] as number) + error * (data.train.x[row + j] as number);
        grad[FEATURES] = (grad[FEATURES] as number) + error;
      }
      const n = end - start;
      for (let j = 0; j <= FEATURES; j++) {
        const g = (grad[j] as number) / n + (j < FEATURES ? params.l2 * (w[j] as number) : 0);
        velocity[j] = params.momentum * (velocity[j] as number) - rate * g;
        w[j] = (w[j] as number) + (velocity[j] as number);
      }
    }
    loss = logLoss(w, data.validation);
    if (await after(epoch, loss)) break;
  }
  return loss;
};

/**
 * `--shuffle trial` (default): each trial draws its own minibatch order, so its final loss is noisy.
 * `--shuffle fixed`: every trial trains with the same order, as a training script that seeds its random
 * generator does; a trial's loss is then a fixed function of its parameters.
 */
const SHUFFLE = (() => {
  const at = process.argv.indexOf('--shuffle');
  const value = at < 0 ? 'trial' : (process.argv[at + 1] as string);
  if (value !== 'trial' && value !== 'fixed') throw new Error(`--shuffle: trial or fixed, not ${value}`);
  return value;
})();

/** A trial: trains with its minibatch order (see SHUFFLE), reporting each epoch; stops when told to. */
const train = (params: Params, context: EvaluationContext): Promise<number> =>
  trainLoop(params, SHUFFLE === 'fixed' ? 'shuffle-fixed' : `shuffle-${context.trialNumber}`, async (epoch, loss) => {
    await context.report(epoch, loss);
    return context.shouldPrune();
  });

/**
 * `--noise-free K`: a trial's final loss depends on its minibatch order, so the lowest of many final
 * losses is partly the luckiest shuffle. With K > 0, regret is measured as the suite measures it on its
 * noisy problems: on the noise-free value of the incumbent (the complete trial with the lowest observed
 * loss), estimated as the mean final loss of K full trainings with other shuffles.
 */
const NOISE_FREE = flag('noise-free', 0);
const noiseFreeCache = new Map<string, number>();
const noiseFree = async (params: Params): Promise<number> => {
  const key = JSON.stringify([params.lr, params.l2, params.momentum, params.batch]);
  const cached = noiseFreeCache.get(key);
  if (cached !== undefined) return cached;
  let sum = 0;
  for (let k = 0; k < NOISE_FREE; k++) sum += await trainLoop(params, `noise-free-${k}`, async () => false);
  noiseFreeCache.set(key, sum / NOISE_FREE);
  return sum / NOISE_FREE;
};

/**
 * `--shuffle-noise`: how much a trial's final loss depends on its minibatch order alone: five fixed
 * settings, each trained in full with 12 shuffles; prints the mean, standard deviation and lowest final
 * loss of each, then stops.
 */
if (process.argv.includes('--shuffle-noise')) {
  const settings: Params[] = [
    { lr: 0.01, l2: 1e-4, momentum: 0.9, batch: 32 },
    { lr: 0.1, l2: 1e-4, momentum: 0.5, batch: 64 },
    { lr: 0.003, l2: 1e-5, momentum: 0.95, batch: 16 },
    { lr: 0.3, l2: 1e-3, momentum: 0, batch: 128 },
    { lr: 0.001, l2: 1e-3, momentum: 0.9, batch: 16 },
  ];
  console.log(`schedule ${SCHEDULE}, spread ${SPREAD}, ${EPOCHS} epochs`);
  for (const params of settings) {
    const finals: number[] = [];
    for (let k = 0; k < 12; k++) finals.push(await trainLoop(params, `shuffle-noise-${k}`, async () => false));
    const mean = finals.reduce((a, b) => a + b, 0) / finals.length;
    const sd = Math.sqrt(finals.reduce((a, b) => a + (b - mean) ** 2, 0) / (finals.length - 1));
    console.log(
      `| ${JSON.stringify(params)} | ${mean.toFixed(4)} | ${sd.toFixed(4)} | ${Math.min(...finals).toFixed(4)} |`,
    );
  }
  process.exit(0);
}

// ---- The studies -------------------------------------------------------------------------------------

/** The studies compared: a pruner (with its options) and TPE's options. The first four use defaults. */
const DEFAULT_ROWS: Readonly<Record<string, { pruner: () => Pruner | undefined; tpe?: TpeOptions }>> = {
  none: { pruner: () => undefined },
  median: { pruner: () => createMedianPruner() },
  'successive-halving': { pruner: () => createSuccessiveHalvingPruner() },
  hyperband: { pruner: () => createHyperbandPruner() },
  'median, warm-up 10 epochs': { pruner: () => createMedianPruner({ warmupSteps: 10 }) },
  'median, TPE ignores pruned trials': { pruner: () => createMedianPruner(), tpe: { pruned: 'ignore' } },
  'median, TPE imputes pruned losses': { pruner: () => createMedianPruner(), tpe: { pruned: 'impute' } },
  'successive-halving, TPE imputes pruned losses': {
    pruner: () => createSuccessiveHalvingPruner(),
    tpe: { pruned: 'impute' },
  },
  'hyperband, TPE imputes pruned losses': { pruner: () => createHyperbandPruner(), tpe: { pruned: 'impute' } },
};

/** The option grid: r (steps before the first rung) and η for successive halving and hyperband. */
const SWEEP_ROWS: Readonly<Record<string, { pruner: () => Pruner | undefined; tpe?: TpeOptions }>> = {
  none: { pruner: () => undefined },
  ...Object.fromEntries(
    [
      [1, 4],
      [1, 3],
      [1, 2],
      [2, 3],
      [2, 2],
      [3, 3],
      [3, 2],
      [5, 2],
    ].map(([r, eta]) => [
      `successive-halving r=${r} η=${eta}`,
      { pruner: () => createSuccessiveHalvingPruner({ minResource: r as number, reductionFactor: eta as number }) },
    ]),
  ),
  ...Object.fromEntries(
    [
      [1, 3],
      [1, 2],
      [3, 3],
      [3, 2],
      [5, 2],
    ].map(([r, eta]) => [
      `hyperband r=${r} η=${eta}`,
      { pruner: () => createHyperbandPruner({ minResource: r as number, reductionFactor: eta as number }) },
    ]),
  ),
};

/**
 * `--chosen`: the defaults beside the settings the sweep chose on seeds 1–10 (the highest median savings
 * with at least 9 of 10 seeds reaching `none`'s final regret), for the held-out seeds.
 */
const CHOSEN = process.argv.includes('--chosen');
const CHOSEN_ROWS: Readonly<Record<string, { pruner: () => Pruner | undefined; tpe?: TpeOptions }>> = {
  none: { pruner: () => undefined },
  median: { pruner: () => createMedianPruner() },
  'successive-halving': { pruner: () => createSuccessiveHalvingPruner() },
  hyperband: { pruner: () => createHyperbandPruner() },
  'successive-halving r=5 η=2': {
    pruner: () => createSuccessiveHalvingPruner({ minResource: 5, reductionFactor: 2 }),
  },
  'hyperband r=5 η=2': { pruner: () => createHyperbandPruner({ minResource: 5, reductionFactor: 2 }) },
};

/** `--basic`: only the first four rows (no pruning and the three pruners with their defaults). */
const BASIC = process.argv.includes('--basic');
const PRUNERS = SWEEP
  ? SWEEP_ROWS
  : CHOSEN
    ? CHOSEN_ROWS
    : BASIC
      ? Object.fromEntries(Object.entries(DEFAULT_ROWS).slice(0, 4))
      : DEFAULT_ROWS;

interface StudyResult {
  readonly epochs: number;
  /** Best final loss after each trial (in trial order), and the epochs spent by then. */
  readonly curve: readonly { readonly epochs: number; readonly best: number }[];
  readonly pruned: number;
  readonly trials: number;
  readonly seconds: number;
  /** The learning curves of the complete trials (for the rank correlations). */
  readonly curves: readonly (readonly number[])[];
}

/**
 * One study. Without a pruner it runs TRIALS trials; with one it runs until it has spent `budget` epochs
 * (the no-pruning study's) or MAX_TRIALS trials, whichever comes first.
 */
const study = async (pruner: string, seed: number, budget?: number): Promise<StudyResult> => {
  const started = performance.now();
  const variant = PRUNERS[pruner];
  const made = variant?.pruner();
  const stop = new AbortController();
  let spent = 0;
  const result = await fmin({
    name: `pruning-${pruner}`,
    space,
    objective: async (params, context) => {
      const counting: EvaluationContext = {
        ...context,
        report: async (step, value) => {
          spent++;
          if (budget !== undefined && spent >= budget) stop.abort();
          await context.report(step, value);
        },
      };
      return train(params as Params, counting);
    },
    suggester:
      SUGGESTER === 'random' ? createRandomSuggester() : createTpeSuggester({ ...TPE_OPTIONS, ...variant?.tpe }),
    maxTrials: budget === undefined ? TRIALS : MAX_TRIALS,
    seed,
    signal: stop.signal,
    ...(made === undefined ? {} : { pruner: made }),
  });
  let epochs = 0;
  let best = Number.POSITIVE_INFINITY;
  let incumbent: Params | undefined;
  const observed = result.trials.map((trial) => {
    epochs += trial.intermediate?.length ?? 0;
    if (trial.state === 'complete' && trial.loss < best) {
      best = trial.loss;
      incumbent = trial.params as unknown as Params;
    }
    return { epochs, best, incumbent };
  });
  const curve: { epochs: number; best: number }[] = [];
  for (const point of observed) {
    const value = NOISE_FREE > 0 && point.incumbent !== undefined ? await noiseFree(point.incumbent) : point.best;
    curve.push({ epochs: point.epochs, best: value });
  }
  const pruned = result.trials.filter((trial) => trial.state === 'pruned').length;
  const curves = result.trials.flatMap((trial) =>
    trial.state === 'complete' ? [(trial.intermediate ?? []).map((point) => point.value)] : [],
  );
  return { epochs, curve, pruned, trials: result.trials.length, seconds: (performance.now() - started) / 1000, curves };
};

/** The best complete loss at the end of a study. */
const finalBest = (run: StudyResult): number => run.curve.at(-1)?.best ?? Number.POSITIVE_INFINITY;

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

const cpu = cpus()[0]?.model ?? 'unknown CPU';
const machine = `${cpus().length} cores (nproc), ${cpu}, Node ${process.version}, load average at start ${loadavg()
  .map((v) => v.toFixed(1))
  .join(' / ')}`;
console.log(`machine: ${machine}`);
console.log(`${SEEDS} seeds × ${TRIALS} trials × up to ${EPOCHS} epochs; pruners: ${Object.keys(PRUNERS).join(', ')}`);

const results: Record<string, StudyResult[]> = {};
for (const pruner of Object.keys(PRUNERS)) {
  results[pruner] = [];
  for (let seed = FIRST_SEED; seed < FIRST_SEED + SEEDS; seed++) {
    const budget = pruner === 'none' ? undefined : results.none?.[seed - FIRST_SEED]?.epochs;
    const result = await study(pruner, seed, budget);
    (results[pruner] as StudyResult[]).push(result);
    const best = result.curve.at(-1)?.best ?? Number.NaN;
    console.log(
      `${pruner} seed ${seed}: ${result.trials} trials, ${result.epochs} epochs, ${result.pruned} pruned, best ${best.toFixed(5)} (${result.seconds.toFixed(1)} s)`,
    );
  }
}

// L*: the lowest final validation loss any study reached.
const optimum = Math.min(...Object.values(results).flatMap((runs) => runs.map((run) => finalBest(run))));
const none = results.none as StudyResult[];
const bestAt = (run: StudyResult, epochs: number): number => {
  let best = Number.POSITIVE_INFINITY;
  for (const point of run.curve) if (point.epochs <= epochs) best = point.best;
  return best;
};
const firstReach = (run: StudyResult, target: number): number | undefined =>
  run.curve.find((point) => point.best <= target)?.epochs;

const rows = Object.entries(results).map(([pruner, runs]) => {
  const perSeed = runs.map((run, i) => {
    const reference = none[i] as StudyResult;
    const target = finalBest(reference);
    const reach = firstReach(run, target);
    const noneReach = firstReach(reference, target) as number;
    return {
      reach,
      // Unreached within the budget: the ratio is below 1; counted as 0 in the median.
      budgetRatio: reach === undefined ? 0 : reference.epochs / reach,
      firstHitRatio: reach === undefined ? 0 : noneReach / reach,
      regretAtBudget: bestAt(run, reference.epochs) - optimum,
      worse: bestAt(run, reference.epochs) > target,
    };
  });
  const reached = perSeed.flatMap((seed) => (seed.reach === undefined ? [] : [seed.reach]));
  return {
    pruner,
    trials: median(runs.map((run) => run.trials)),
    pruned: median(runs.map((run) => run.pruned)),
    reached: reached.length,
    toTarget: reached.length === 0 ? Number.NaN : median(reached),
    budgetRatio: median(perSeed.map((seed) => seed.budgetRatio)),
    firstHitRatio: median(perSeed.map((seed) => seed.firstHitRatio)),
    regret: median(perSeed.map((seed) => seed.regretAtBudget)),
    worse: perSeed.filter((seed) => seed.worse).length,
    seconds: runs.reduce((sum, run) => sum + run.seconds, 0),
  };
});

const BUDGET = TRIALS * EPOCHS;
const fmt = (value: number, digits = 4) => (Number.isFinite(value) ? value.toFixed(digits) : '–');
const table = [
  "| pruner | trials run (median) | of them pruned (median) | seeds that reach `none`'s final regret | epochs to reach it (median of those) | `none`'s " +
    `${BUDGET} epochs ÷ epochs to reach it (median) | epochs \`none\` took to first reach its final best ÷ epochs to reach it (median) | regret after ${BUDGET} epochs (median) | seeds worse than \`none\` after ${BUDGET} epochs | wall time, all seeds |`,
  '|---|---|---|---|---|---|---|---|---|---|',
  ...rows.map(
    (row) =>
      `| ${row.pruner} | ${row.trials} | ${row.pruned} | ${row.reached} / ${SEEDS} | ${fmt(row.toTarget, 0)} | ${fmt(row.budgetRatio, 2)}× | ${fmt(row.firstHitRatio, 2)}× | ${fmt(row.regret)} | ${row.worse} / ${SEEDS} | ${row.seconds.toFixed(0)} s |`,
  ),
].join('\n');
/** The first multiple of 50 epochs at which the median regret (over seeds) is at or below `target`. */
const medianCrossing = (runs: readonly StudyResult[], target: number): number | undefined => {
  for (let epochs = 50; epochs <= BUDGET; epochs += 50) {
    if (median(runs.map((run) => bestAt(run, epochs) - optimum)) <= target) return epochs;
  }
  return undefined;
};
const noneFinal = median(none.map((run) => finalBest(run) - optimum));
const crossings = Object.entries(results).map(([pruner, runs]) => {
  const at = medianCrossing(runs, noneFinal);
  return `| ${pruner} | ${at ?? 'not within the budget'} | ${at === undefined ? '< 1' : (BUDGET / at).toFixed(2)}× |`;
});
const crossingTable = [
  `| study | epochs at which its median regret falls to \`none\`'s median final regret (${noneFinal.toFixed(4)}) | ${BUDGET} ÷ that |`,
  '|---|---|---|',
  ...crossings,
].join('\n');
/** Average ranks (ties share their mean rank). */
const ranks = (values: readonly number[]): number[] => {
  const order = values.map((value, index) => ({ value, index })).sort((a, b) => a.value - b.value);
  const out = new Array<number>(values.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && (order[j + 1] as { value: number }).value === (order[i] as { value: number }).value)
      j++;
    for (let k = i; k <= j; k++) out[(order[k] as { index: number }).index] = (i + j) / 2;
    i = j + 1;
  }
  return out;
};
/** Spearman's rank correlation. */
const spearman = (a: readonly number[], b: readonly number[]): number => {
  const ra = ranks(a);
  const rb = ranks(b);
  const mean = (ra.length - 1) / 2;
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < ra.length; i++) {
    const x = (ra[i] as number) - mean;
    const y = (rb[i] as number) - mean;
    num += x * y;
    da += x * x;
    db += y * y;
  }
  return num / Math.sqrt(da * db);
};
const earlySteps = [0, 1, 3, 7, 15].filter((step) => step < EPOCHS - 1);
/** Among the \`none\` studies' trials that did not diverge: how well the loss at an early epoch ranks the final loss. */
const correlations = earlySteps.map((step) =>
  median(
    none.map((run) => {
      const fine = run.curves.filter((c) => (c.at(-1) as number) < 50);
      return spearman(
        fine.map((c) => c[step] as number),
        fine.map((c) => c.at(-1) as number),
      );
    }),
  ),
);
const correlationTable = [
  `| epoch | ${earlySteps.map((step) => String(step + 1)).join(' | ')} |`,
  `|---|${earlySteps.map(() => '---').join('|')}|`,
  `| Spearman correlation with the final loss (median over seeds) | ${correlations.map((r) => r.toFixed(2)).join(' | ')} |`,
].join('\n');
const checkpoints = [250, 500, 1000, 1500, 2000, BUDGET].filter((epochs) => epochs <= BUDGET);
const anytime = [
  `| pruner | ${checkpoints.map((epochs) => `${epochs} epochs`).join(' | ')} |`,
  `|---|${checkpoints.map(() => '---').join('|')}|`,
  ...Object.entries(results).map(
    ([pruner, runs]) =>
      `| ${pruner} | ${checkpoints.map((epochs) => fmt(median(runs.map((run) => bestAt(run, epochs) - optimum)))).join(' | ')} |`,
  ),
].join('\n');
const perSeed = [
  `| seed | ${rows.map((row) => row.pruner).join(' | ')} |`,
  `|---|${rows.map(() => '---').join('|')}|`,
  ...Array.from({ length: SEEDS }, (_, i) => {
    const target = finalBest(none[i] as StudyResult);
    const cells = Object.values(results).map((runs) => {
      const run = runs[i] as StudyResult;
      const reach = firstReach(run, target);
      return `${fmt(bestAt(run, (none[i] as StudyResult).epochs) - optimum)} / ${reach ?? 'not reached'}`;
    });
    return `| ${i + FIRST_SEED} | ${cells.join(' | ')} |`;
  }),
].join('\n');
console.log(
  `\nL* = ${optimum.toFixed(5)}\n${table}\n\n${correlationTable}\n\n${crossingTable}\n\nmedian regret after N epochs\n${anytime}\n\nper seed\n${perSeed}`,
);

if (WRITE) {
  const text = `# Pruning: epochs saved at equal final regret

Command: \`node --conditions=@parzen/source --import tsx bench/pruning.ts --seeds ${SEEDS} --first-seed ${FIRST_SEED}${SWEEP ? ' --sweep' : ''}${CHOSEN ? ' --chosen' : ''} --trials ${TRIALS} --epochs ${EPOCHS} --spread ${SPREAD} --suggester ${SUGGESTER}${SCHEDULE === 'constant' ? '' : ` --schedule ${SCHEDULE}`}${SHUFFLE === 'trial' ? '' : ` --shuffle ${SHUFFLE}`}${NOISE_FREE > 0 ? ` --noise-free ${NOISE_FREE}` : ''}${BASIC ? ' --basic' : ''}${process.argv.includes('--tpe') ? ` --tpe '${JSON.stringify(TPE_OPTIONS)}'` : ''} --write --out ${OUT}\`

Machine: ${machine}. Only epochs are counted, so the load does not change the numbers (wall times are for
information only).

## Setup

- **Trainer**: logistic regression by minibatch SGD with momentum and L2 on a seeded synthetic dataset
  (${FEATURES} Gaussian features with scales spread evenly in log over ${SPREAD} decades around 1, ${TRAIN} training and ${VALIDATION} validation rows; labels
  from a sparse logistic model plus an interaction the linear model cannot fit). One step = one epoch;
  the reported value is the validation log-loss after the epoch (a diverged model reports 50). A
  trial runs ${EPOCHS} epochs unless pruned; its loss is the validation log-loss after its last epoch.
  Learning rate: ${SCHEDULE === 'linear' ? `decayed linearly, \`lr\` × (1 − epoch/${EPOCHS}) in epoch 0, 1, …` : 'constant'}.
  Minibatch order: ${SHUFFLE === 'fixed' ? "the same for every trial (a script that seeds its generator), so a trial's loss is a fixed function of its parameters" : "drawn per trial, so a trial's final loss is partly luck"}.
- **Space**: \`lr\` loguniform [1e-5, 1], \`l2\` loguniform [1e-6, 0.1], \`momentum\` uniform [0, 0.99],
  \`batch\` choice {16, 32, 64, 128, 256}.
- **Studies**: \`fmin\` with a function objective that calls \`context.report(epoch, loss)\` and stops when
  \`context.shouldPrune()\`, ${SUGGESTER === 'random' ? 'random search (the TPE-option row is then the same as plain median)' : `TPE with ${process.argv.includes('--tpe') ? `the options ${JSON.stringify(TPE_OPTIONS)}` : 'its default profile'} (pruned trials ranked as Optuna ranks them)`},
  one trial at a time, the memory store, seeds ${FIRST_SEED}–${FIRST_SEED + SEEDS - 1}. **\`none\`** runs ${TRIALS} trials, so ${BUDGET} epochs.
  **Each pruner** gets the same budget in epochs: its study runs until it has spent as many epochs as
  the \`none\` study of the same seed (at most ${MAX_TRIALS} trials); a trial running when the budget is
  spent finishes. Pruners with their defaults: \`median\` (5 start-up trials, no warm-up),
  \`successive-halving\` (r = auto → 1, η = 4: rungs at epochs 1, 4, 16), \`hyperband\` (r = 1, R = auto → ${EPOCHS},
  η = 3: 4 brackets). Two more rows vary one thing each: the median pruner with a 10-epoch warm-up, and
  the median pruner with TPE's \`pruned: "ignore"\` (pruned trials left out of TPE's model).

## Metrics

- **Epochs spent**: the sum over a study's trials of the epochs each trained (its number of reports),
  counted in trial order.
- **Best loss after E epochs**: the lowest final loss among the *complete* trials that finished within
  the first E epochs spent (pruned trials never count as best). **Regret** = that minus L*, the lowest
  final loss any study of this run reached (L* = ${optimum.toFixed(5)}).${
    NOISE_FREE > 0
      ? `
  **Noise-free** (\`--noise-free ${NOISE_FREE}\`): a trial's final loss depends on its minibatch order, so here
  "that" is not the lowest observed loss but the noise-free value of the trial that has it (the
  incumbent): the mean final loss of ${NOISE_FREE} full trainings of its parameters with other shuffles, as the
  suite measures regret on its noisy problems. This value can rise when a luckier trial takes over.`
      : ''
  }
- **\`none\`'s final regret** (per seed): the regret of the \`none\` study after its ${TRIALS} trials. A pruned study
  **reaches it** after E epochs when its best loss after E epochs is at or below \`none\`'s final best loss of
  the same seed. **Epochs to reach it** is the smallest such E.
- **Savings**, per seed and then the median over seeds (a seed that never reaches it counts as 0):
  - \`none\`'s ${BUDGET} epochs ÷ epochs to reach its final regret: what the issue asks ("total epochs spent to reach
    the final regret of the no-pruning run"; goal ≥ 2×);
  - the stricter like-for-like: the epochs at which \`none\` itself first had that best trial ÷ the epochs the
    pruned study needed (the \`none\` row shows 1× by definition).

## Results

${table}

The same on the median curves (less noisy than the per-seed first hits):

${crossingTable}

Median regret after N epochs spent (the anytime view):

${anytime}

How well an early epoch predicts a trial's final loss (the \`none\` studies' trials that did not diverge,
rank correlation between the validation loss after that epoch and after the last one). Pruners bet that
it is high:

${correlationTable}

Per seed: regret after ${BUDGET} epochs / epochs to reach \`none\`'s final regret:

${perSeed}
`;
  writeFileSync(new URL(`./${OUT}`, import.meta.url), text);
  console.log(`wrote bench/${OUT}`);
}
