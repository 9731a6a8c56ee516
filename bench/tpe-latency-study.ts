/**
 * Latency of TPE's suggestions in a study TPE itself drives (ask, then tell), so its history gathers
 * near the optimum as a real study's does, unlike `tpe-latency.ts`, whose history is drawn at random
 * (there the pruned product skips most kernels; here most are near every candidate). Trial 38 found a
 * small space with one integer growing to 11 ms per suggestion at 2,000 trials this way.
 * Prints the median CPU time of `ask` over the last 200 suggestions of each window and its mean over the
 * window, and a hash of every suggestion (equal hashes: the same suggestions, draw for draw).
 *
 *   node --import tsx bench/tpe-latency-study.ts [--space small3|small3-uniform|small4|mix10|cont10]
 *        [--trials 2000] [--window 500] [--options '{"profile":"optuna5"}']
 *
 * On the built packages (build first), as results/tpe-latency-study.md's figures were taken: through
 * `--conditions=@parzen/source` tsx transforms the sources, and the same run takes up to 2× longer.
 */
import { createHash } from 'node:crypto';
import { cpus } from 'node:os';
import { createTpeSuggester, type TpeOptions } from '@parzen/algo-tpe';
import { type SpaceDefinition, Study } from '@parzen/engine';
import { argument, checkFlags, positiveCount, refuser } from './run-flags.js';

checkFlags('tpe-latency-study');

// A bad value is refused before anything runs, exit 2 (`--trials abc` ran nothing and exited 0).
const refuse = refuser('tpe-latency-study');

/** A learning rate, a momentum and a layer count (an integer, or the same range as a continuous value). */
const SPACES: Record<string, SpaceDefinition> = {
  small3: {
    lr: { type: 'loguniform', low: 1e-5, high: 1 },
    momentum: { type: 'uniform', low: 0, high: 1 },
    layers: { type: 'randint', low: 1, high: 9 },
  },
  'small3-uniform': {
    lr: { type: 'loguniform', low: 1e-5, high: 1 },
    momentum: { type: 'uniform', low: 0, high: 1 },
    layers: { type: 'uniform', low: 1, high: 9 },
  },
  // small3 with a choice among three optimizers (a categorical dimension in the same joint block).
  small4: {
    lr: { type: 'loguniform', low: 1e-5, high: 1 },
    momentum: { type: 'uniform', low: 0, high: 1 },
    layers: { type: 'randint', low: 1, high: 9 },
    optimizer: { type: 'choice', options: ['sgd', 'adam', 'rmsprop'] },
  },
  // A trainer-like 10-parameter mixed space (a user's 10,000-trial study): 2 log-uniform, 2 uniform,
  // 3 integers, 1 quantized, 2 choices of 3.
  mix10: {
    lr: { type: 'loguniform', low: 1e-5, high: 1 },
    wd: { type: 'loguniform', low: 1e-6, high: 0.1 },
    drop: { type: 'uniform', low: 0, high: 0.6 },
    mom: { type: 'uniform', low: 0.5, high: 0.99 },
    width: { type: 'randint', low: 16, high: 513 },
    depth: { type: 'randint', low: 1, high: 13 },
    batch: { type: 'quniform', low: 8, high: 256, q: 8 },
    warm: { type: 'randint', low: 0, high: 50 },
    opt: { type: 'choice', options: ['adam', 'sgd', 'rmsprop'] },
    act: { type: 'choice', options: ['relu', 'gelu', 'tanh'] },
  },
  // Issue 8's latency space: 10 continuous parameters (the loss: a sphere around 0.3 in each).
  cont10: Object.fromEntries(
    Array.from({ length: 10 }, (_, i) => [`x${i}`, { type: 'uniform', low: 0, high: 1 }]),
  ) as SpaceDefinition,
};
const spaceName = argument('space') ?? 'small3';
const space: SpaceDefinition =
  (Object.hasOwn(SPACES, spaceName) ? SPACES[spaceName] : undefined) ??
  refuse(`--space ${spaceName}: expected one of ${Object.keys(SPACES).join(', ')}`);
const trials = positiveCount(refuse, 'trials', argument('trials'), 2000);
const window = positiveCount(refuse, 'window', argument('window'), 500);
if (window > trials) refuse(`--window ${window}: expected at most --trials (${trials}), or no window is timed`);
const optionsText = argument('options') ?? '{}';
let parsed: unknown;
try {
  parsed = JSON.parse(optionsText);
} catch (error) {
  refuse(`--options: not JSON (${(error as Error).message})`);
}
if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
  refuse(`--options ${optionsText}: expected a JSON object of TPE options`);
const options = parsed as TpeOptions;

const mix10Loss = (p: Record<string, number | string>): number =>
  (Math.log10(p.lr as number) + 3) ** 2 +
  (Math.log10(p.wd as number) + 4) ** 2 / 4 +
  ((p.drop as number) - 0.2) ** 2 +
  ((p.mom as number) - 0.9) ** 2 +
  ((p.width as number) - 256) ** 2 / 40000 +
  ((p.depth as number) - 4) ** 2 / 20 +
  ((p.batch as number) - 64) ** 2 / 20000 +
  ((p.warm as number) - 10) ** 2 / 1000 +
  (p.opt === 'adam' ? 0 : 0.3) +
  (p.act === 'gelu' ? 0 : 0.1);
const lossOf = (params: Record<string, number | string>): number =>
  spaceName === 'cont10'
    ? Object.values(params).reduce<number>((sum, x) => sum + ((x as number) - 0.3) ** 2, 0)
    : spaceName === 'mix10'
      ? mix10Loss(params)
      : (Math.log10(params.lr as number) + 3) ** 2 +
        ((params.momentum as number) - 0.9) ** 2 +
        ((params.layers as number) - 4) ** 2 / 10 +
        (params.optimizer === undefined || params.optimizer === 'adam' ? 0 : 0.5);
const study = await Study.open({ space, suggester: createTpeSuggester(options), seed: 1 });
const times: number[] = [];
const hash = createHash('sha256');
console.log(`machine: ${cpus().length} cores (${cpus()[0]?.model.trim()}), node ${process.version}`);
console.log(`space ${spaceName}, options ${JSON.stringify(options)}`);
for (let i = 0; i < trials; i++) {
  const before = process.cpuUsage();
  const trial = await study.ask();
  const used = process.cpuUsage(before);
  times.push((used.user + used.system) / 1000);
  hash.update(`${JSON.stringify(trial.params)}\n`);
  await study.tell(trial.number, lossOf(trial.params as Record<string, number | string>));
  if ((i + 1) % window === 0) {
    const last = times.slice(-200).sort((a, b) => a - b);
    const mean = times.slice(-window).reduce((sum, t) => sum + t, 0) / window;
    console.log(
      `${i + 1} trials: ask CPU median ${(last[Math.floor(last.length / 2)] as number).toFixed(2)} ms, mean over the window ${mean.toFixed(2)} ms`,
    );
  }
}
console.log(`suggestions hash ${hash.digest('hex').slice(0, 16)}`);
