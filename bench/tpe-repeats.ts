/**
 * Exact repeats: how many of a study's trials have the same internal values as an earlier trial, per
 * suite problem and TPE variant (median and range over seeds). The evidence behind `avoidRepeats`
 * (bench/results/tpe-avoid-repeats.md). Problems with no repeat in any variant are summed up in one line.
 *
 *   node --conditions=@parzen/source --import tsx bench/tpe-repeats.ts [--seeds 30] [--evals 100]
 *        [--problems a,b] [--variants 'parzen={},allowed={"avoidRepeats":false}']
 */
import { createTpeSuggester, type TpeOptions } from '@parzen/algo-tpe';
import { type ExternalParams, fmin } from '@parzen/engine';
import { argument, checkFlags, positiveCount, refuser } from './run-flags.js';
import { loadSuite } from './suite/problems.js';
import { quantile } from './suite/stats.js';

checkFlags('tpe-repeats');

const refuse = refuser('tpe-repeats');
const SEEDS = positiveCount(refuse, 'seeds', argument('seeds'), 30);
const EVALS = positiveCount(refuse, 'evals', argument('evals'), 100);
const only = argument('problems')?.split(',');
const variants: [string, TpeOptions][] = (
  argument('variants') ??
  'parzen={},allowed={"avoidRepeats":false},hyperopt={"profile":"hyperopt"},optuna5={"profile":"optuna5"}'
)
  .split(/,(?=[\w-]+=)/)
  .map((entry) => {
    const at = entry.indexOf('=');
    return [entry.slice(0, at), JSON.parse(entry.slice(at + 1)) as TpeOptions];
  });

const repeats = async (problem: ReturnType<typeof loadSuite>[number], options: TpeOptions, seed: number) => {
  const { trials } = await fmin({
    objective: (params: ExternalParams) => problem.loss(params),
    space: problem.space,
    suggester: createTpeSuggester(options),
    maxTrials: EVALS,
    seed,
    name: problem.name,
  });
  const seen = new Set<string>();
  let count = 0;
  for (const trial of [...trials].sort((a, b) => a.number - b.number)) {
    const key = JSON.stringify(Object.entries(trial.internal).sort(([a], [b]) => (a < b ? -1 : 1)));
    if (seen.has(key)) count++;
    seen.add(key);
  }
  return count;
};

console.log(`| problem (half) | ${variants.map(([name]) => name).join(' | ')} |`);
console.log(`|---|${variants.map(() => '---').join('|')}|`);
const none: string[] = [];
for (const problem of loadSuite().filter((p) => only === undefined || only.includes(p.name))) {
  const cells: string[] = [];
  let any = false;
  for (const [, options] of variants) {
    const counts: number[] = [];
    for (let seed = 0; seed < SEEDS; seed++) counts.push(await repeats(problem, options, seed));
    if (counts.some((count) => count > 0)) any = true;
    cells.push(`${quantile(counts, 0.5)} (${Math.min(...counts)}–${Math.max(...counts)})`);
  }
  if (any) console.log(`| ${problem.name} (${problem.half}) | ${cells.join(' | ')} |`);
  else none.push(problem.name);
}
console.log(`\nNo repeat in any variant (${none.length} problems): ${none.join(', ')}`);
