/**
 * How often TPE repeats a setting of a small noisy discrete space, with and without `avoidRepeats`: the figure in
 * docs/tpe.md ("Noisy objectives", "TPE averages nothing").
 *
 * The objective (a user trial's, its noise seeded here): 10 settings, `layers` a randint 1–5 and `opt` a choice of
 * `adam` and `sgd`; loss = 0.05·(layers − 3)² + (0.1 for sgd) + 0.1·(u₁ + u₂ + u₃ − 1.5), the u uniform in [0, 1),
 * drawn from the seed and the trial number. TPE with its defaults, 40 trials a run; per run, how many trials the
 * most-tried setting took.
 *
 *   node --conditions=@parzen/source --import tsx bench/tpe-noisy-repeats.ts [--seeds 8] [--write]
 */
import { writeFileSync } from 'node:fs';
import { createTpeSuggester } from '@parzen/algo-tpe';
import { type EvaluationContext, fmin } from '@parzen/engine';
import { createRng } from '@parzen/engine/plugin';
import { argument, checkFlags, dayAndLoad, machineNote, positiveCount, refuser } from './run-flags.js';
import { quantile } from './suite/stats.js';

checkFlags('tpe-noisy-repeats');

const seeds = positiveCount(refuser('tpe-noisy-repeats'), 'seeds', argument('seeds'), 8);
const WRITE = process.argv.includes('--write');
const TRIALS = 40;

const space = {
  layers: { type: 'randint', low: 1, high: 6 },
  opt: { type: 'choice', options: ['adam', 'sgd'] },
} as const;

/** Trials of the most-tried setting in one run. */
const mostTried = async (avoidRepeats: boolean, seed: number): Promise<number> => {
  const result = await fmin({
    name: `tpe-noisy-repeats-${seed}`,
    space,
    objective: (params, context: EvaluationContext) => {
      const { layers, opt } = params as { layers: number; opt: string };
      const rng = createRng(`${seed}:${context.trialNumber}`);
      const noise = 0.1 * (rng.next() + rng.next() + rng.next() - 1.5);
      return 0.05 * (layers - 3) ** 2 + (opt === 'sgd' ? 0.1 : 0) + noise;
    },
    suggester: createTpeSuggester({ avoidRepeats }),
    maxTrials: TRIALS,
    seed,
  });
  const counts = new Map<string, number>();
  for (const trial of result.trials) {
    const key = JSON.stringify(trial.params);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return Math.max(...counts.values());
};

const started = Date.now();
const lines = [
  `| \`avoidRepeats\` | trials of the most-tried setting, per run (seeds 1–${seeds}) | fewest | median | most |`,
  '|---|---|---|---|---|',
];
for (const avoidRepeats of [true, false]) {
  const counts: number[] = [];
  for (let seed = 1; seed <= seeds; seed++) counts.push(await mostTried(avoidRepeats, seed));
  lines.push(
    `| ${avoidRepeats}${avoidRepeats ? ' (default)' : ''} | ${counts.join(', ')} | ${Math.min(...counts)} | ${quantile(counts, 0.5)} | ${Math.max(...counts)} |`,
  );
  console.error(lines.at(-1));
}
const report = `# TPE's repeats of a noisy discrete setting

\`node --conditions=@parzen/source --import tsx bench/tpe-noisy-repeats.ts --seeds ${seeds} --write\`: TPE with its
defaults, ${TRIALS} trials a run, on a noisy space of 10 settings (\`layers\` a randint 1–5 × \`opt\` a choice of 2;
the script's header has the objective, whose noise is seeded by the seed and the trial number). Each cell: how
many of a run's ${TRIALS} trials its most-tried setting took.

${lines.join('\n')}

${machineNote()}; ${dayAndLoad()}; ${((Date.now() - started) / 1000).toFixed(0)} s.
`;
console.log(report);
if (WRITE) writeFileSync(new URL('./results/tpe-noisy-repeats.md', import.meta.url), report);
