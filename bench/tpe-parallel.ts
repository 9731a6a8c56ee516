/**
 * Parallel quality of TPE (issue item 6): the default profile with 4 workers, with and without the
 * constant liar, against the sequential run, at an equal trial count, on the suite's train half.
 *
 * The suite's objectives return at once, so with `--concurrency 4` in tpe-suite.ts the workers run in
 * lockstep: every trial is suggested while the other three are still being suggested, before they have
 * params, and the liar has nothing to act on. Here each evaluation takes a few milliseconds (a delay
 * drawn from the trial's params, 2–12 ms), so, as with real objectives, a worker asks while the others
 * evaluate known params.
 *
 *   node --conditions=@parzen/source --import tsx bench/tpe-parallel.ts [--seeds 10] [--evals 100]
 *        [--problems a,b] [--half train] [--lies mean,best] [--lag 3] [--write]
 *
 * `--lag k` adds two sequential runs that see the study k trials late: trial n is suggested from trials
 * 0 … n−k−1 only, the information a worker has when k others are in flight, with nothing running
 * (`hidden`) or with the k hidden trials passed as running ones, for the liar (`as running`). They
 * separate what parallel runs lose to late information from what the liar wins back, deterministically.
 */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { createTpeSuggester, type TpeOptions } from '@parzen/algo-tpe';
import { type ExternalParams, fmin, type RunningTrial, type Suggester } from '@parzen/engine';
import { compileSpace, toExternalParams } from '@parzen/engine/plugin';
import { argument, checkFlags, positiveCount, refuser, wholeCount } from './run-flags.js';
import { type Half, loadSuite, paramHash, type SuiteProblem } from './suite/problems.js';
import { incumbentIndices, quantile } from './suite/stats.js';

checkFlags('tpe-parallel');

const refuse = refuser('tpe-parallel');
const SEEDS = positiveCount(refuse, 'seeds', argument('seeds'), 10);
const EVALS = positiveCount(refuse, 'evals', argument('evals'), 100);
const LAG = argument('lag') === undefined ? undefined : wholeCount(refuse, 'lag', argument('lag'), 0);
const HALF = (argument('half') ?? 'train') as Half;
const only = argument('problems')?.split(',');

interface Setting {
  readonly name: string;
  readonly concurrency: number;
  readonly options: TpeOptions;
  /** Sequential, but each trial sees the study this many trials late (`--lag`). */
  readonly lag?: { readonly trials: number; readonly asRunning: boolean };
}
/** Extra lies to try with 4 workers (`--lies mean,best,0.5`). */
const lies = (argument('lies')?.split(',') ?? []).map((lie) => (Number.isNaN(Number(lie)) ? lie : Number(lie)));
const SETTINGS: readonly Setting[] = [
  { name: 'sequential', concurrency: 1, options: {} },
  { name: '4 workers, constant liar (default)', concurrency: 4, options: {} },
  { name: '4 workers, no liar', concurrency: 4, options: { constantLiar: false } },
  ...lies.map((lie) => ({
    name: `4 workers, lie ${lie}`,
    concurrency: 4,
    options: { constantLiar: lie } as TpeOptions,
  })),
  ...(LAG === undefined
    ? []
    : [false, true].map((asRunning) => ({
        name: `sequential, last ${LAG} trials ${asRunning ? 'as running' : 'hidden'}`,
        concurrency: 1,
        options: {},
        lag: { trials: LAG, asRunning },
      }))),
];

/** `inner`, seeing only the trials numbered below n − lag when it suggests trial n (the rest as running, or not at all). */
const lagged = (inner: Suggester, lag: NonNullable<Setting['lag']>): Suggester => ({
  name: inner.name,
  beginTrial: (context) => {
    const cut = context.trialNumber - lag.trials;
    const late = context.history.filter((trial) => trial.number >= cut);
    const running: RunningTrial[] = lag.asRunning
      ? late.map((trial) => ({
          study: trial.study,
          number: trial.number,
          state: 'running',
          internal: trial.internal,
          startedAt: trial.startedAt,
        }))
      : [];
    return inner.beginTrial({ ...context, history: context.history.filter((trial) => trial.number < cut), running });
  },
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Regret after EVALS trials: noise-free loss of the incumbent (lowest observed loss), minus the minimum. */
const run = async (problem: SuiteProblem, setting: Setting, seed: number): Promise<number> => {
  const result = await fmin({
    objective: async (params: ExternalParams) => {
      if (setting.concurrency > 1) await sleep(2 + (paramHash(params, seed) % 11));
      return problem.loss(params);
    },
    space: problem.space,
    suggester:
      setting.lag === undefined
        ? createTpeSuggester(setting.options)
        : lagged(createTpeSuggester(setting.options), setting.lag),
    maxTrials: EVALS,
    seed,
    concurrency: setting.concurrency,
    name: problem.name,
  });
  const trials = [...result.trials].sort((a, b) => a.number - b.number);
  const incumbents = incumbentIndices(trials.map((t) => (t.state === 'complete' ? t.loss : undefined)));
  const last = incumbents[incumbents.length - 1] ?? -1;
  const incumbent = trials[last];
  if (incumbent === undefined) return Number.NaN;
  return problem.clean(toExternalParams(compileSpace(problem.space), incumbent.internal)) - problem.minimum;
};

const problems = loadSuite().filter((p) => p.half === HALF && (only === undefined || only.includes(p.name)));
const format = (x: number) =>
  Math.abs(x) >= 100 ? x.toFixed(1) : Math.abs(x) >= 0.01 ? x.toPrecision(3) : x.toExponential(2);
const lines: string[] = [];
const ratios = SETTINGS.map(() => [] as number[]);
const started = performance.now();
for (const problem of problems) {
  const medians: number[] = [];
  for (const setting of SETTINGS) {
    const regrets = await Promise.all(Array.from({ length: SEEDS }, (_, seed) => run(problem, setting, seed)));
    medians.push(quantile(regrets, 0.5));
  }
  const base = Math.max(medians[0] as number, 1e-12);
  medians.forEach((m, i) => {
    ratios[i]?.push(Math.max(m, 1e-12) / base);
  });
  const row = `| ${problem.name} | ${medians.map((m, i) => `${format(m)}${i === 0 ? '' : ` (${(Math.max(m, 1e-12) / base).toFixed(2)}×)`}`).join(' | ')} |`;
  lines.push(row);
  console.log(row);
}
const geo = (values: readonly number[]) => Math.exp(values.reduce((s, v) => s + Math.log(v), 0) / values.length);
const summary = `| geometric mean of the ratios | ${ratios.map((r, i) => (i === 0 ? '1' : `${geo(r).toFixed(2)}×`)).join(' | ')} |`;
console.log(summary);
const machine = `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), node ${process.version}`;
if (process.argv.includes('--write')) {
  writeFileSync(
    new URL('./results/tpe-parallel.md', import.meta.url),
    `# TPE with parallel workers\n\nMachine: ${machine}; ${((performance.now() - started) / 1000).toFixed(0)} s. ` +
      `Command: \`node --conditions=@parzen/source --import tsx bench/tpe-parallel.ts ${process.argv.slice(2).join(' ')}\`.\n\n` +
      `Median regret after ${EVALS} evaluations (${SEEDS} seeds, suite ${HALF} half) of the default profile, sequential and with 4 ` +
      'workers (each evaluation 2–12 ms, so workers overlap as with real objectives), with the constant liar (the default, ' +
      '`constantLiar: "worst"`) and without it; in parentheses the ratio to the sequential median.\n\n' +
      `| problem | ${SETTINGS.map((s) => s.name).join(' | ')} |\n|---|${SETTINGS.map(() => '---').join('|')}|\n${lines.join('\n')}\n${summary}\n`,
  );
}
