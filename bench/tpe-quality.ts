/**
 * Quality of TPE: median simple regret (best loss − known minimum) after 25, 50 and 100 evaluations over
 * 20 seeds, for random search, the TPE profiles and the default with `grouping: "joint"` (parzen-mv) on every
 * problem of bench/problems.json, next
 * to the peers' numbers in bench/peer-results.json (hyperopt 0.3.0, Optuna 3.1 and the 5.0 line).
 *
 *   node --conditions=@parzen/source --import tsx bench/tpe-quality.ts [--seeds 20] [--evals 100] [--write]
 *        [--only random,hyperopt,optuna,parzen,parzen-mv] [--tpe 'name={"startupTrials":5}' ...] [--problems heart,branin]
 *        [--out results/tpe-defaults.md]   (with --write: where the table goes; default results/tpe-quality.md)
 *        [--report DIR]   (also write DIR/<problem>.html: regret curves with interquartile bands and final-value
 *                          box plots per algorithm, from @parzen/report's comparison page)
 *        [--above R]      (also count, per problem and algorithm, the seeds whose regret after the full budget
 *                          exceeds R: e.g. heart's second basin, regret about 66, with --above 50)
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRandomSuggester } from '@parzen/algo-random';
import { createTpeSuggester, type TpeOptions } from '@parzen/algo-tpe';
import { type ExternalParams, fmin, type Suggester } from '@parzen/engine';
import { buildComparison, type ComparisonRun, renderHtml } from '@parzen/report';
import { describeRecord, endRecord, sliceRefusal, startRecord, withReadings } from './results-file.js';
import { argument, checkFlags, positiveCount, refuser } from './run-flags.js';
import { loadProblems, type Problem } from './tpe-problems.js';

checkFlags('tpe-quality');

const refuse = refuser('tpe-quality');
const count = (flag: string, fallback: number): number => positiveCount(refuse, flag, argument(flag), fallback);
/** The seeds of results/tpe-quality.md, unless a slice is asked for. */
const DEFAULT_SEEDS = 20;
const SEEDS = count('seeds', DEFAULT_SEEDS);
const EVALS = count('evals', 100);
// The full budget is always a row (trial 105: --evals 60 showed 25 and 50 only); peers have 25/50/100/200.
const BUDGETS = [...[25, 50, 100, 200].filter((b) => b < EVALS), EVALS];
const aboveText = argument('above');
const ABOVE =
  aboveText === undefined
    ? undefined
    : Number.isFinite(Number(aboveText))
      ? Number(aboveText)
      : refuse(`--above ${aboveText}: expected a number (a regret)`);

const algorithms = new Map<string, () => Suggester>([
  ['random', () => createRandomSuggester()],
  ['hyperopt', () => createTpeSuggester({ profile: 'hyperopt' })],
  ['optuna', () => createTpeSuggester({ profile: 'optuna' })],
  ['parzen', () => createTpeSuggester()],
  ['parzen-mv', () => createTpeSuggester({ grouping: 'joint' })],
]);
process.argv.forEach((value, i) => {
  if (process.argv[i - 1] !== '--tpe') return;
  const eq = value.indexOf('=');
  if (eq <= 0) refuse(`--tpe ${value}: expected name={json}`);
  const [name, json] = [value.slice(0, eq), value.slice(eq + 1)];
  let options: unknown;
  try {
    options = JSON.parse(json);
  } catch (error) {
    refuse(`--tpe ${name}: the options are not JSON (${(error as Error).message})`);
  }
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    refuse(`--tpe ${name}: expected a JSON object of TPE options, got ${json}`);
  algorithms.set(name, () => createTpeSuggester(options as TpeOptions));
});
const only = argument('only')?.split(',');
for (const name of only ?? [])
  if (!algorithms.has(name))
    refuse(
      `--only ${name}: expected algorithms, comma-separated, of ${[...algorithms.keys()].join(', ')} (and those --tpe names)`,
    );
const names = [...algorithms.keys()].filter((name) => only === undefined || only.includes(name));

/** Peers shown next to ours (keys of peer-results.json). */
const PEERS = ['hyperopt_rand', 'hyperopt_tpe', 'optuna_tpe', 'optuna5_tpe_univariate', 'optuna5_tpe'] as const;
interface PeerStats {
  readonly median: number;
  readonly q25: number;
  readonly q75: number;
}
const peers = JSON.parse(readFileSync(new URL('./peer-results.json', import.meta.url), 'utf8')) as {
  problems: Record<string, Record<string, { regret_at: Record<string, Record<string, PeerStats>> }>>;
};

const quantile = (values: readonly number[], q: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const position = q * (sorted.length - 1);
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return (sorted[low] as number) + ((sorted[high] as number) - (sorted[low] as number)) * (position - low);
};

/** Every run's values by trial, per problem, for the comparison pages of `--report`. */
const traces = new Map<string, ComparisonRun[]>();

/** Regret after each budget for one run. */
const run = async (problem: Problem, make: () => Suggester, seed: number, variant: string): Promise<number[]> => {
  const result = await fmin({
    objective: (params: ExternalParams) => problem.loss(params),
    space: problem.space,
    suggester: make(),
    maxTrials: EVALS,
    seed,
    name: problem.name,
  });
  const values = result.trials.map((trial) => (trial.state === 'complete' ? trial.loss : null));
  traces.set(problem.name, [...(traces.get(problem.name) ?? []), { variant, seed, direction: 'minimize', values }]);
  let best = Number.POSITIVE_INFINITY;
  const bestSoFar = result.trials.map((trial) => {
    if (trial.state === 'complete') best = Math.min(best, trial.loss);
    return best;
  });
  return BUDGETS.map((budget) => (bestSoFar[budget - 1] ?? best) - problem.minimum);
};

const format = (x: number | undefined): string => {
  if (x === undefined || Number.isNaN(x)) return '–';
  if (x === 0) return '0';
  return Math.abs(x) >= 100 ? x.toFixed(1) : Math.abs(x) >= 0.01 ? x.toPrecision(3) : x.toExponential(2);
};

const allProblems = loadProblems();
const asked = argument('problems')?.split(',');
for (const name of asked ?? [])
  if (!allProblems.some((p) => p.name === name))
    refuse(`--problems ${name}: expected problems, comma-separated, of ${allProblems.map((p) => p.name).join(', ')}`);
const problems = allProblems.filter((p) => asked?.includes(p.name) ?? true);
// A slice written over results/tpe-quality.md would replace its every table and column with a few.
if (process.argv.includes('--write') && argument('out') === undefined) {
  const refusal = sliceRefusal('results/tpe-quality.md', [
    { flag: '--problems', chosen: problems.length, whole: allProblems.length, what: 'problems' },
    { flag: '--seeds', chosen: SEEDS, whole: DEFAULT_SEEDS, what: 'seeds' },
    { flag: '--only', chosen: names.length, whole: algorithms.size, what: 'algorithms' },
  ]);
  if (refusal !== undefined) refuse(refusal);
}
// The day, commit, machine and load, as results are compared across days and commits.
const record = startRecord();
console.log(`run: ${describeRecord(record)}`);
console.log(`test points reproduced for ${problems.map((p) => p.name).join(', ')}`);
const lines: string[] = [];
const results: Record<string, Record<string, number[][]>> = {};
const started = performance.now();
for (const problem of problems) {
  results[problem.name] = {};
  for (const name of names) {
    const make = algorithms.get(name) as () => Suggester;
    const regrets: number[][] = [];
    for (let seed = 0; seed < SEEDS; seed++) regrets.push(await run(problem, make, seed, name));
    (results[problem.name] as Record<string, number[][]>)[name] = regrets;
    const medians = BUDGETS.map((_, b) =>
      quantile(
        regrets.map((r) => r[b] as number),
        0.5,
      ),
    );
    console.log(`${problem.name.padEnd(18)} ${name.padEnd(10)} ${medians.map(format).join('  ')}`);
  }
  const peer = peers.problems[problem.name]?.evals_100?.regret_at ?? {};
  lines.push(`\n### ${problem.name}\n`);
  lines.push(`| evals | ${names.map((n) => `**${n}**`).join(' | ')} | ${PEERS.join(' | ')} |`);
  lines.push(`|---|${names.map(() => '---').join('|')}|${PEERS.map(() => '---').join('|')}|`);
  BUDGETS.forEach((budget, b) => {
    const ours = names.map((name) => {
      const values = (results[problem.name]?.[name] ?? []).map((r) => r[b] as number);
      return `${format(quantile(values, 0.5))} (${format(quantile(values, 0.25))}–${format(quantile(values, 0.75))})`;
    });
    const theirs = PEERS.map((p) => format(peer[p]?.[String(budget)]?.median));
    lines.push(`| ${budget} | ${ours.join(' | ')} | ${theirs.join(' | ')} |`);
  });
  if (ABOVE !== undefined) {
    const last = BUDGETS.length - 1;
    const counts = names.map((name) => {
      const finals = (results[problem.name]?.[name] ?? []).map((r) => r[last] as number);
      return `${name} ${finals.filter((value) => value > ABOVE).length} of ${finals.length}`;
    });
    lines.push(`
Seeds whose regret after ${BUDGETS[last]} evaluations exceeds ${ABOVE}: ${counts.join(', ')}.`);
  }
}
const seconds = (performance.now() - started) / 1000;
console.log(lines.join('\n'));
console.log(`\n${seconds.toFixed(0)} s`);

const reportDir = argument('report');
if (reportDir !== undefined) {
  mkdirSync(reportDir, { recursive: true });
  for (const problem of problems) {
    const page = buildComparison(traces.get(problem.name) ?? [], {
      optimum: problem.minimum,
      title: `TPE quality: ${problem.name} (${SEEDS} seeds × ${EVALS} evaluations)`,
    });
    writeFileSync(join(reportDir, `${problem.name}.html`), renderHtml(page));
  }
  console.log(`comparison pages in ${reportDir}`);
}

if (process.argv.includes('--write')) {
  const ended = endRecord(record);
  const variants = process.argv.flatMap((value, i) => (process.argv[i - 1] === '--tpe' ? [`- \`${value}\``] : []));
  const quote = (arg: string) => (/^[\w.,=/-]+$/.test(arg) ? arg : `'${arg}'`);
  const command = `node --conditions=@parzen/source --import tsx bench/tpe-quality.ts ${process.argv.slice(2).map(quote).join(' ')}`;
  // Relative to bench/, or absolute (`./` before an absolute path failed once the run was over).
  const target = new URL(argument('out') ?? 'results/tpe-quality.md', import.meta.url);
  const { text, warning } = withReadings(
    `# TPE quality\n\nMedian simple regret (best loss − known minimum; lower is better) over ${SEEDS} seeds × ${EVALS} ` +
      `evaluations, with the interquartile range in parentheses; peers' medians from bench/peer-results.json ` +
      '(hyperopt 0.3.0; optuna_tpe = Optuna 3.1 univariate; optuna5_* = Optuna 5.0.0.dev). Every problem ' +
      `reproduces its test points to 1e-9. Run: ${describeRecord(ended)}; ${seconds.toFixed(0)} s.\n\n` +
      `Command: \`${command}\`.\n` +
      (variants.length > 0 ? `\nTPE variants (options over the parzen profile):\n${variants.join('\n')}\n` : '') +
      `${lines.join('\n')}\n`,
    existsSync(target) ? readFileSync(target, 'utf8') : undefined,
    fileURLToPath(target),
  );
  writeFileSync(target, text);
  if (warning !== undefined) console.error(`tpe-quality: ${warning}`);
  console.log(`wrote ${fileURLToPath(target)}`);
}
