/**
 * How wide the Optuna-kernel profiles' model of a `normal` parameter should be (μ ± NORMAL_SPAN σ, in
 * packages/algo-tpe/src/estimator/encoding.ts): the default TPE's median best loss over 20 seeds × 100
 * evaluations on three problems whose optima lie within 2.5σ. Prints the span it ran with; to compare spans,
 * change the constant and run again. Results: bench/results/tpe-normal-span.md.
 *
 *   node --conditions=@parzen/source --import tsx bench/tpe-normal-span.ts
 */
import { createTpeSuggester } from '@parzen/algo-tpe';
import { NORMAL_SPAN } from '@parzen/algo-tpe/plugin';
import { fmin, type ObjectiveFunction, type SpaceDefinition } from '@parzen/engine';
import { checkFlags } from './run-flags.js';

checkFlags('tpe-normal-span');

const normal = { type: 'normal', mu: 0, sigma: 1 } as const;
const n = (p: Readonly<Record<string, unknown>>, name: string): number => p[name] as number;
const problems: Record<string, [ObjectiveFunction, SpaceDefinition]> = {
  'three normals, optimum at (1, -0.5, 0.2)': [
    (p) => (n(p, 'a') - 1) ** 2 + (n(p, 'b') + 0.5) ** 2 + (n(p, 'c') - 0.2) ** 2,
    { a: normal, b: normal, c: normal },
  ],
  'two normals, optimum at (2.5, -2)': [(p) => (n(p, 'a') - 2.5) ** 2 + (n(p, 'b') + 2) ** 2, { a: normal, b: normal }],
  'normal, lognormal(-4, 2) and uniform': [
    (p) => (n(p, 'a') - 0.3) ** 2 + Math.log10(n(p, 'lr') / 0.01) ** 2 + (n(p, 'u') - 0.7) ** 2,
    { a: normal, lr: { type: 'lognormal', mu: -4, sigma: 2 }, u: { type: 'uniform', low: 0, high: 1 } },
  ],
};
console.log(`NORMAL_SPAN = ${NORMAL_SPAN}`);
for (const [name, [objective, space]] of Object.entries(problems)) {
  const bests: number[] = [];
  for (let seed = 1; seed <= 20; seed++) {
    const result = await fmin({ objective, space, suggester: createTpeSuggester({}), maxTrials: 100, seed, name: 'n' });
    bests.push(Math.min(...result.trials.map((trial) => (trial.state === 'complete' ? trial.loss : Infinity))));
  }
  bests.sort((a, b) => a - b);
  const median = ((bests[9] as number) + (bests[10] as number)) / 2;
  console.log(
    `${name}: median ${median.toExponential(3)}, q25 ${bests[4]?.toExponential(3)}, q75 ${bests[14]?.toExponential(3)}`,
  );
}
