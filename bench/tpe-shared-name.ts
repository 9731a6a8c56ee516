/**
 * One parameter name in two branches (`lr` under `model` a and b, `extra` in b only) against the same problem
 * with a name per branch (`lr_a`, `lr_b`): the default TPE's median regret over seeds 1-20 (and 1-100) × 100
 * evaluations, and how many seeds end in the better branch b. Results: bench/results/tpe-shared-name.md.
 *
 *   node --conditions=@parzen/source --import tsx bench/tpe-shared-name.ts
 */
import { createTpeSuggester } from '@parzen/algo-tpe';
import { fmin, type ObjectiveFunction, type SpaceDefinition } from '@parzen/engine';
import { checkFlags } from './run-flags.js';

checkFlags('tpe-shared-name');

const lr = { type: 'loguniform', low: 0.001, high: 1 } as const;
const extra = { type: 'uniform', low: 0, high: 1 } as const;
const sq = (v: number) => v * v;
const n = (p: Readonly<Record<string, unknown>>, name: string): number => p[name] as number;
// Branch a's best is 0.1 at lr = 0.1; branch b's 0 at lr = 0.01, extra = 0.5; option c costs 1.
const loss = (model: unknown, lrValue: number, extraValue: number) =>
  model === 'a'
    ? sq(Math.log10(lrValue) + 1) + 0.1
    : model === 'b'
      ? sq(Math.log10(lrValue) + 2) + sq(extraValue - 0.5)
      : 1;
const problems: Record<string, [ObjectiveFunction, SpaceDefinition]> = {
  'shared name (lr in a and b)': [
    (p) => loss(p.model, n(p, 'lr'), n(p, 'extra')),
    {
      model: {
        type: 'choice',
        options: [{ value: 'a', space: { lr } }, { value: 'b', space: { lr, extra } }, 'c'],
      },
    },
  ],
  'a name per branch (lr_a, lr_b)': [
    (p) => loss(p.model, n(p, p.model === 'a' ? 'lr_a' : 'lr_b'), n(p, 'extra')),
    {
      model: {
        type: 'choice',
        options: [{ value: 'a', space: { lr_a: lr } }, { value: 'b', space: { lr_b: lr, extra } }, 'c'],
      },
    },
  ],
};
for (const seeds of [20, 100]) {
  for (const [name, [objective, space]] of Object.entries(problems)) {
    const bests: number[] = [];
    let inB = 0;
    for (let seed = 1; seed <= seeds; seed++) {
      const result = await fmin({
        objective,
        space,
        suggester: createTpeSuggester({}),
        maxTrials: 100,
        seed,
        name: 's',
      });
      bests.push(result.best?.loss ?? Number.POSITIVE_INFINITY);
      if (result.best?.params.model === 'b') inB++;
    }
    bests.sort((a, b) => a - b);
    const median = ((bests[seeds / 2 - 1] as number) + (bests[seeds / 2] as number)) / 2;
    console.log(
      `${seeds} seeds, ${name}: median regret ${median.toExponential(2)}, q25 ${bests[Math.floor(seeds / 4)]?.toExponential(2)}, q75 ${bests[Math.floor((3 * seeds) / 4)]?.toExponential(2)}, best in b on ${inB}`,
    );
  }
}
