/**
 * Latency of one TPE suggestion at 100, 1,000 and 10,000 finished trials in a 10-D uniform space, for
 * every profile (parzen, hyperopt, optuna, optuna5) and the grouping variants of the default. Steady state, as in a running study: the suggester has seen the study so far, one more
 * trial finishes, and it suggests the next one (history sync + split + 10 parameters × 24 candidates);
 * the study grows by the measured steps (20 untimed, then 100 timed: 1.2% at 10,000).
 * The first, cold call (history built from scratch) is reported too.
 *
 *   node --conditions=@parzen/source --import tsx bench/tpe-latency.ts [--write] [--only parzen,optuna5]
 *        [--sizes 100,1000,10000] [--steps 100] [--fail-every K] [--space uniform10|uniform50|randint4|small3|mixed51]
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createTpeSuggester, type TpeOptions } from '@parzen/algo-tpe';
import type { CompleteTrial, FinishedTrial, SpaceDefinition } from '@parzen/engine';
import { compileSpace, createRng, type SuggestContext, suggestParams } from '@parzen/engine/plugin';
import { handWritten } from './latency-notes.js';
import { argument, checkFlags, dayAndLoad, machineNote, refuser, wholeCount } from './run-flags.js';

checkFlags('tpe-latency');

/** Untimed steps after the cold call, so the JIT and the collector settle. */
const WARM_UP = 20;
/**
 * `--space`: `uniform10` (the default: 10 uniform parameters), `uniform50` (50 of them), `randint4` (4 `randint(0, 100)`), `small3` (two uniform
 * parameters and `randint(1, 9)`) or
 * `mixed51` (17 uniform, 17 `randint(0, 100)` and 17 choices of 5, interleaved).
 */
const SPACES: Record<string, SpaceDefinition> = {
  uniform10: Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`x${i}`, { type: 'uniform', low: 0, high: 1 }])),
  uniform50: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`x${i}`, { type: 'uniform', low: 0, high: 1 }])),
  randint4: Object.fromEntries(Array.from({ length: 4 }, (_, i) => [`n${i}`, { type: 'randint', low: 0, high: 100 }])),
  // Trial 38: two continuous parameters and a narrow integer (a layer count), as a small service tunes.
  small3: {
    lr: { type: 'uniform', low: 0, high: 1 },
    momentum: { type: 'uniform', low: 0, high: 1 },
    layers: { type: 'randint', low: 1, high: 9 },
  },
  mixed51: Object.fromEntries(
    Array.from({ length: 17 }, (_, i) => [
      [`x${i}`, { type: 'uniform', low: 0, high: 1 }],
      [`n${i}`, { type: 'randint', low: 0, high: 100 }],
      [`c${i}`, { type: 'choice', options: [0, 1, 2, 3, 4] }],
    ]).flat(),
  ),
};
const SPACE_NAME = process.argv.includes('--space')
  ? String(process.argv[process.argv.indexOf('--space') + 1])
  : 'uniform10';
const space = SPACES[SPACE_NAME];
if (space === undefined) throw new Error(`--space: one of ${Object.keys(SPACES).join(', ')}`);
const compiled = compileSpace(space);
/** A random internal value of each parameter (choices by index, randint as integers). */
const randomParams = (rng: { next(): number }): Record<string, number> =>
  Object.fromEntries(
    compiled.params.map((p) => {
      const d = p.distribution;
      if (d.kind === 'randint') return [p.name, d.low + Math.floor(rng.next() * (d.high - d.low))];
      if (d.kind === 'categorical') return [p.name, Math.floor(rng.next() * d.size)];
      return [p.name, rng.next()];
    }),
  );
const objective = (params: Readonly<Record<string, number>>): number =>
  Object.values(params).reduce((sum, x, i) => sum + (x - 0.1 * (i % 10)) ** 2, 0);

/** With `--fail-every K`, every K-th trial is failed (the cost of `failed: "avoid"`'s failure model). */
const FAIL_EVERY = wholeCount(refuser('tpe-latency'), 'fail-every', argument('fail-every'), 0);

const finished = (number: number, params: Readonly<Record<string, number>>): FinishedTrial =>
  FAIL_EVERY > 0 && number % FAIL_EVERY === 0
    ? {
        study: 'latency',
        number,
        state: 'failed',
        internal: params,
        error: { code: 'OBJECTIVE_THREW', message: 'failed' },
        startedAt: '2026-01-01T00:00:00.000Z',
        finishedAt: '2026-01-01T00:00:01.000Z',
      }
    : complete(number, params);

const complete = (number: number, params: Readonly<Record<string, number>>): CompleteTrial => ({
  study: 'latency',
  number,
  state: 'complete',
  internal: params,
  loss: objective(params),
  startedAt: '2026-01-01T00:00:00.000Z',
  finishedAt: '2026-01-01T00:00:01.000Z',
});

const context = (trials: readonly FinishedTrial[]): SuggestContext => ({
  study: 'latency',
  direction: 'minimize',
  seed: 1,
  trialNumber: trials.length,
  space: compiled,
  history: trials,
  running: [],
  rng: createRng(`latency:${trials.length}`),
});

const quantile = (values: number[], q: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
};

const PROFILES = {
  parzen: { profile: 'parzen' },
  'parzen-ignore-failed': { profile: 'parzen', failed: 'ignore' },
  hyperopt: { profile: 'hyperopt' },
  optuna: { profile: 'optuna' },
  optuna5: { profile: 'optuna5' },
  'parzen-joint': { profile: 'parzen', grouping: 'joint' },
  'parzen-groups': { profile: 'parzen', grouping: 'groups' },
  // The default without its blocks: the 10 parameters as one joint decision (the control for `maxGroupSize`).
  'parzen-whole': { profile: 'parzen', maxGroupSize: 0 },
  'parzen-axes': { profile: 'parzen', frame: 'axes' },
  // The default without its repeat check (the control for what `avoidRepeats` costs).
  'parzen-repeats-allowed': { profile: 'parzen', avoidRepeats: false },
} as const satisfies Record<string, TpeOptions>;
type Profile = keyof typeof PROFILES;
const refuse = refuser('tpe-latency');
const only = argument('only')?.split(',');
for (const name of only ?? [])
  if (!(name in PROFILES))
    refuse(`--only ${name}: expected profiles, comma-separated, of ${Object.keys(PROFILES).join(', ')}`);
const positiveIntegers = (flag: string, text: string): number[] =>
  text.split(',').map((part) => {
    const value = Number(part);
    return Number.isInteger(value) && value > 0
      ? value
      : refuse(`--${flag} ${text}: expected positive integers, comma-separated (such as 100,1000,10000)`);
  });
const SIZES = positiveIntegers('sizes', argument('sizes') ?? '100,1000,10000');
const steps = positiveIntegers('steps', argument('steps') ?? '100');
const STEPS =
  steps.length === 1 ? (steps[0] as number) : refuse(`--steps ${argument('steps')}: expected one positive integer`);

interface Measurement {
  readonly profile: Profile;
  readonly trials: number;
  readonly cold: number;
  readonly median: number;
  readonly p90: number;
  /** Mean CPU time per suggestion (user + system), less sensitive to other load on the machine. */
  readonly cpu: number;
}

const measure = async (profile: Profile, size: number, steps: number): Promise<Measurement> => {
  const suggester = createTpeSuggester({ ...PROFILES[profile], startupTrials: 0 });
  const rng = createRng(`history:${size}`);
  const trials: FinishedTrial[] = Array.from({ length: size }, (_, number) => finished(number, randomParams(rng)));
  let start = performance.now();
  let params = await suggestParams(suggester, context(trials));
  const cold = performance.now() - start;
  const times: number[] = [];
  const cpuTimes: number[] = [];
  for (let step = -WARM_UP; step < steps; step++) {
    trials.push(finished(trials.length, params));
    const ctx = context([...trials]);
    const cpu = process.cpuUsage();
    start = performance.now();
    params = await suggestParams(suggester, ctx);
    if (step < 0) continue;
    times.push(performance.now() - start);
    const used = process.cpuUsage(cpu);
    cpuTimes.push((used.user + used.system) / 1000);
  }
  return {
    profile,
    trials: size,
    cold,
    median: quantile(times, 0.5),
    p90: quantile(times, 0.9),
    cpu: cpuTimes.reduce((a, b) => a + b, 0) / cpuTimes.length,
  };
};

const machine = machineNote();
console.log(`machine: ${machine}; ${dayAndLoad()}`);
const rows: Measurement[] = [];
for (const profile of (Object.keys(PROFILES) as Profile[]).filter((p) => only === undefined || only.includes(p))) {
  await measure(profile, 200, 20); // JIT warm-up
  for (const size of SIZES) {
    const row = await measure(profile, size, STEPS);
    rows.push(row);
    console.log(
      `${profile.padEnd(14)} ${String(size).padStart(6)} trials: median ${row.median.toFixed(3)} ms, p90 ${row.p90.toFixed(3)} ms, ` +
        `cpu ${row.cpu.toFixed(3)} ms, cold ${row.cold.toFixed(1)} ms`,
    );
  }
}

if (process.argv.includes('--write')) {
  const table = rows
    .map(
      (r) =>
        `| ${r.profile} | ${r.trials} | ${r.median.toFixed(3)} | ${r.p90.toFixed(3)} | ${r.cpu.toFixed(3)} | ${r.cold.toFixed(1)} |`,
    )
    .join('\n');
  const target = new URL('./results/tpe-latency.md', import.meta.url);
  // Every paragraph this script did not write is kept, in its place before or after the table, and the
  // ones before it marked once as an earlier run's (trial 65: a rerun deleted one without a word; trial 105
  // and review 109: only some were kept, and the mark was added again at every rerun).
  const previous = existsSync(target) ? readFileSync(target, 'utf8') : '';
  const mark = "(kept by --write from an earlier run: its figures are not this table's)";
  const { before, after } = handWritten(previous, mark);
  const kept = before === '' ? '' : `${before}\n\n${mark}\n\n`;
  writeFileSync(
    target,
    `# TPE suggestion latency\n\nMachine: ${machine}; ${dayAndLoad()} at the end. Command: \`node --conditions=@parzen/source --import tsx bench/tpe-latency.ts ${process.argv.slice(2).join(' ')}\`.\n\n` +
      'One suggestion (history sync, split, 10 uniform parameters × 24 candidates) after one more trial finished, ' +
      'in a study the suggester has already seen; "cold" is the first call, which builds the history from scratch. ' +
      'Targets: ≤ 1 ms at 1,000 trials, ≤ 5 ms at 10,000 (hyperopt ≈ 21 ms and Optuna 3.1 ≈ 88 ms at 1,000 on this kind of machine).\n\n' +
      '`parzen-joint` and `parzen-groups` are the default with `grouping: "joint"` and `"groups"` (on this flat space both decide the 10 parameters as two joint blocks of 5, since the default\'s `maxGroupSize` is 8); the default itself is `grouping: "groups"`. ' +
      '`parzen-whole` is the default with `maxGroupSize: 0`: one joint decision over the 10 parameters, as `optuna5` makes. ' +
      '`parzen-axes` is the default with `frame: "axes"`: l(x) on the parameters\' own axes instead of the principal axes of the below trials. ' +
      'Mean CPU ms (user + system of the process, per suggestion) is less sensitive to other load on a shared machine than the wall-clock median.\n\n' +
      `${kept}| profile | finished trials | median ms | p90 ms | mean CPU ms | cold ms |\n|---|---|---|---|---|---|\n${table}\n${after === '' ? '' : `\n${after}\n`}`,
  );
}
