/**
 * Objectives that fail (throw) on part of their space: how many trials each TPE setting spends failing
 * and the best loss it reaches. The evidence behind the default `failed: "avoid"`
 * (bench/results/tpe-failed.md). Six problems, written before anything ran on them; seeds 0–9 are the half
 * a choice may look at, seeds 10–29 the half it is reported on.
 *
 *   node --conditions=@parzen/source --import tsx bench/tpe-failures.ts [--first-seed 0] [--seeds 10]
 *        [--evals 100] [--variants 'ignore={"failed":"ignore"},avoid={"failed":"avoid"}']
 */
import { createRandomSuggester } from '@parzen/algo-random';
import { createTpeSuggester, type TpeOptions } from '@parzen/algo-tpe';
import {
  choice,
  type ExternalParams,
  fmin,
  loguniform,
  option,
  randint,
  type SpaceDefinition,
  uniform,
} from '@parzen/engine';
import { argument, checkFlags, positiveCount, refuser, wholeCount } from './run-flags.js';
import { quantile } from './suite/stats.js';

checkFlags('tpe-failures');

const refuse = refuser('tpe-failures');
const FIRST_SEED = wholeCount(refuse, 'first-seed', argument('first-seed'), 0);
const SEEDS = positiveCount(refuse, 'seeds', argument('seeds'), 10);
const EVALS = positiveCount(refuse, 'evals', argument('evals'), 100);
const variants: [string, TpeOptions | 'random'][] = (
  argument('variants') ??
  'ignore={"failed":"ignore"},worst={"failed":"worst"},avoid={"failed":"avoid"},optuna5={"profile":"optuna5"},hyperopt={"profile":"hyperopt"},random="random"'
)
  .split(/,(?=[\w-]+=)/)
  .map((entry) => {
    const at = entry.indexOf('=');
    return [entry.slice(0, at), JSON.parse(entry.slice(at + 1)) as TpeOptions | 'random'];
  });

/** A fraction in [0, 1) fixed by the params (FNV-1a of their JSON): a failure that is noise, yet repeatable. */
const hashFraction = (params: ExternalParams): number => {
  let hash = 0x811c9dc5;
  for (const char of JSON.stringify(params)) {
    hash ^= char.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash / 2 ** 32;
};

const diverged = (): never => {
  throw new Error('diverged');
};

const branin = (x1: number, x2: number): number =>
  (x2 - (5.1 / (4 * Math.PI ** 2)) * x1 ** 2 + (5 / Math.PI) * x1 - 6) ** 2 +
  10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x1) +
  10;

interface FailingProblem {
  readonly name: string;
  readonly what: string;
  readonly space: SpaceDefinition;
  readonly loss: (params: ExternalParams) => number;
}

const problems: readonly FailingProblem[] = [
  {
    name: 'edge1d',
    what: 'x in [-5, 5], (x - 1.5)², fails for x > 2 (the optimum near the failing edge)',
    space: { x: uniform(-5, 5) },
    loss: ({ x }) => ((x as number) > 2 ? diverged() : ((x as number) - 1.5) ** 2),
  },
  {
    name: 'branch',
    what: 'a choice of two models; `b` always fails; a: x² + y, x in [-5, 5], y an integer 0–4',
    space: {
      x: uniform(-5, 5),
      model: choice([option('a', { y: randint(0, 5) }), option('b', { z: loguniform(1e-3, 1) })]),
    },
    loss: ({ x, model, y }) => (model === 'b' ? diverged() : (x as number) ** 2 + (y as number)),
  },
  {
    name: 'branin-cut',
    what: 'Branin on its usual box, fails for x2 > 8 (one of its three minima, 0.398, is cut off)',
    space: { x1: uniform(-5, 10), x2: uniform(0, 15) },
    loss: ({ x1, x2 }) => ((x2 as number) > 8 ? diverged() : branin(x1 as number, x2 as number)),
  },
  {
    name: 'lr-momentum',
    what: 'a trainer: lr log in [1e-5, 10], momentum in [0, 0.99]; diverges when lr / (1 - momentum) > 1',
    space: { lr: loguniform(1e-5, 10), momentum: uniform(0, 0.99) },
    loss: ({ lr, momentum }) => {
      const step = (lr as number) / (1 - (momentum as number));
      if (step > 1) diverged();
      return (Math.log10(step) + 0.5) ** 2 + 0.1 * ((momentum as number) - 0.9) ** 2;
    },
  },
  {
    name: 'sphere5-cut',
    what: 'a 5-D sphere centred at 0.3 in [-1, 1]^5, fails when the coordinates sum above 1.8 (about 3 in 10 points)',
    space: Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`x${i}`, uniform(-1, 1)])),
    loss: (params) => {
      const xs = Object.values(params) as number[];
      if (xs.reduce((a, b) => a + b, 0) > 1.8) diverged();
      return xs.reduce((total, x) => total + (x - 0.3) ** 2, 0);
    },
  },
  {
    name: 'flaky',
    what: 'the same 5-D sphere with no region that fails: 30% of trials fail at random (a flaky cluster)',
    space: Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`x${i}`, uniform(-1, 1)])),
    loss: (params) => {
      if (hashFraction(params) < 0.3) diverged();
      return (Object.values(params) as number[]).reduce((total, x) => total + (x - 0.3) ** 2, 0);
    },
  },
];

const runOnce = async (problem: FailingProblem, variant: TpeOptions | 'random', seed: number) => {
  const { trials, best } = await fmin({
    objective: (params: ExternalParams) => problem.loss(params),
    space: problem.space,
    suggester: variant === 'random' ? createRandomSuggester() : createTpeSuggester(variant),
    maxTrials: EVALS,
    // Every evaluation counts here, failed ones included: no stop for failures in a row (review 37).
    budget: { maxConsecutiveFailures: EVALS },
    seed,
    name: problem.name,
  });
  return { failed: trials.filter((trial) => trial.state === 'failed').length, best: best?.loss ?? Number.NaN };
};

const format = (value: number): string =>
  Math.abs(value) < 1e-3 && value !== 0 ? value.toExponential(2) : value.toPrecision(3);

console.log(`Seeds ${FIRST_SEED}–${FIRST_SEED + SEEDS - 1}, ${EVALS} trials each.\n`);
console.log(
  `| problem | ${variants.map(([name]) => `${name}: failed trials, median | ${name}: best loss, median (quartiles)`).join(' | ')} |`,
);
console.log(`|---|${variants.map(() => '---|---').join('|')}|`);
for (const problem of problems) {
  const cells: string[] = [];
  for (const [, variant] of variants) {
    const runs: { failed: number; best: number }[] = [];
    for (let seed = FIRST_SEED; seed < FIRST_SEED + SEEDS; seed++) runs.push(await runOnce(problem, variant, seed));
    const bests = runs.map((run) => run.best);
    cells.push(
      String(
        quantile(
          runs.map((run) => run.failed),
          0.5,
        ),
      ),
      `${format(quantile(bests, 0.5))} (${format(quantile(bests, 0.25))}–${format(quantile(bests, 0.75))})`,
    );
  }
  console.log(`| ${problem.name} | ${cells.join(' | ')} |`);
}
console.log('\nProblems:');
for (const problem of problems) console.log(`- \`${problem.name}\`: ${problem.what}`);
