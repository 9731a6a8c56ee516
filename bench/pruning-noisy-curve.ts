/**
 * Pruning a noisy objective: how often the `median` pruner stops the trials of the best settings when each
 * epoch's value carries noise, and what a warm-up, a longer interval or the `patient` wrapper change.
 *
 * The objective (a user trial's, kept as it was): a learning curve over 30 epochs,
 *   value(epoch) = limit + 1.5·exp(−epoch/τ) + sd·N(0, 1),
 * limit = 0.3·(log10 lr + 2.5)² + (dropout − 0.3)² + 0.02·(layers − 3)² + 0.1 (minimum 0.1), and
 * τ = 2 + 8·clamp((−log10 lr − 1)/4, 0, 1): a small learning rate learns slowly and may end better. A
 * trial's true loss is its last epoch's value without noise. The
 * noise draws are seeded by the seed and the trial number. Random search, 100 trials, so every row of a
 * seed evaluates the same params: only the pruner differs.
 *
 *   node --conditions=@parzen/source --import tsx bench/pruning-noisy-curve.ts [--seeds 10] [--write]
 */
import { writeFileSync } from 'node:fs';
import { createRandomSuggester } from '@parzen/algo-random';
import { type EvaluationContext, fmin } from '@parzen/engine';
import { createRng, type Pruner, standardNormal } from '@parzen/engine/plugin';
import { createMedianPruner, createPatientPruner } from '@parzen/pruners';
import { argument, checkFlags, dayAndLoad, machineNote, positiveCount, refuser } from './run-flags.js';

checkFlags('pruning-noisy-curve');

const seeds = positiveCount(refuser('pruning-noisy-curve'), 'seeds', argument('seeds'), 10);
const WRITE = process.argv.includes('--write');
const TRIALS = 100;
const EPOCHS = 30;
/** The settings whose pruning is counted: the study's this many lowest true losses. */
const TOP = 10;

const space = {
  lr: { type: 'loguniform', low: 1e-5, high: 1 },
  dropout: { type: 'uniform', low: 0, high: 0.8 },
  layers: { type: 'randint', low: 1, high: 6 },
} as const;
interface Params {
  lr: number;
  dropout: number;
  layers: number;
}
/** The loss the curve tends to. */
const limit = ({ lr, dropout, layers }: Params): number =>
  0.3 * (Math.log10(lr) + 2.5) ** 2 + (dropout - 0.3) ** 2 + 0.02 * (layers - 3) ** 2 + 0.1;
/** How slowly the curve falls: τ in epochs. */
const tauOf = ({ lr }: Params): number => 2 + 8 * Math.max(0, Math.min(1, (-Math.log10(lr) - 1) / 4));
/** The value at `epoch` without noise; at the last epoch, the trial's true loss. */
const noiseFree = (params: Params, epoch: number): number => limit(params) + 1.5 * Math.exp(-epoch / tauOf(params));
const trueLoss = (params: Params): number => noiseFree(params, EPOCHS - 1);

const PRUNERS: readonly { readonly name: string; readonly make: () => Pruner | undefined }[] = [
  { name: 'none', make: () => undefined },
  { name: 'median (defaults)', make: () => createMedianPruner() },
  { name: 'median, warmupSteps 10', make: () => createMedianPruner({ warmupSteps: 10 }) },
  { name: 'median, intervalSteps 5', make: () => createMedianPruner({ intervalSteps: 5 }) },
  { name: 'patient(3) over median', make: () => createPatientPruner({ patience: 3 }, createMedianPruner()) },
];
const NOISE = [0, 0.05, 0.2];

interface Outcome {
  /** Of the study's TOP settings by true loss, how many were pruned. */
  readonly topPruned: number;
  /** The true loss of the study's best trial (its lowest observed loss). */
  readonly bestTrue: number;
  /** How far the best trial's observed loss lies below its true loss (the winner's curse). */
  readonly optimism: number;
  readonly epochs: number;
}

const study = async (sd: number, seed: number, pruner: Pruner | undefined): Promise<Outcome> => {
  const result = await fmin({
    name: `pruning-noisy-curve-${seed}`,
    space,
    objective: async (params, context: EvaluationContext) => {
      const rng = createRng(`${seed}:${context.trialNumber}`);
      let value = Number.NaN;
      for (let epoch = 0; epoch < EPOCHS; epoch++) {
        value = noiseFree(params as Params, epoch) + sd * standardNormal(rng);
        await context.report(epoch, value);
        if (context.shouldPrune()) return value;
      }
      return value;
    },
    suggester: createRandomSuggester(),
    maxTrials: TRIALS,
    seed,
    ...(pruner === undefined ? {} : { pruner }),
  });
  const ranked = [...result.trials].sort((a, b) => trueLoss(a.params as Params) - trueLoss(b.params as Params));
  const best = result.best;
  if (best === undefined) throw new Error(`seed ${seed}: no complete trial`);
  return {
    topPruned: ranked.slice(0, TOP).filter((trial) => trial.state === 'pruned').length,
    bestTrue: trueLoss(best.params as Params),
    optimism: trueLoss(best.params as Params) - best.loss,
    epochs: result.trials.reduce((sum, trial) => sum + (trial.intermediate?.length ?? 0), 0),
  };
};

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

const started = Date.now();
const lines = [
  `| noise sd | pruner | top-${TOP} settings pruned (of ${TOP * seeds}) | per seed, median | true loss of \`best\`, median | its true − observed loss, median | epochs, median |`,
  '|---|---|---|---|---|---|---|',
];
for (const sd of NOISE)
  for (const { name, make } of PRUNERS) {
    const outcomes: Outcome[] = [];
    for (let seed = 1; seed <= seeds; seed++) outcomes.push(await study(sd, seed, make()));
    const pruned = outcomes.map((o) => o.topPruned);
    lines.push(
      `| ${sd} | ${name} | ${pruned.reduce((a, b) => a + b, 0)} | ${median(pruned)} | ${median(outcomes.map((o) => o.bestTrue)).toFixed(4)} | ${median(outcomes.map((o) => o.optimism)).toFixed(4)} | ${median(outcomes.map((o) => o.epochs))} |`,
    );
    console.error(lines.at(-1));
  }
const report = `# Pruning a noisy objective

\`node --conditions=@parzen/source --import tsx bench/pruning-noisy-curve.ts --seeds ${seeds} --write\`: ${seeds} seeds × ${TRIALS} trials of
random search on a learning curve of ${EPOCHS} epochs whose every value carries N(0, sd) noise (the script's
header has the objective; a trial's true loss is its last value without the noise). One seed draws the same params in every row, so the rows
differ only by the pruner. "top-${TOP} settings pruned": of each study's ${TOP} trials with the lowest true loss,
those the pruner stopped; "true loss of \`best\`": the noise-free loss of the trial \`best\` names (the lowest
observed final loss among the complete trials), and how far its observed loss lies below that.

${lines.join('\n')}

${machineNote()}; ${dayAndLoad()}; ${((Date.now() - started) / 1000).toFixed(0)} s.
`;
console.log(report);
if (WRITE) writeFileSync(new URL('./results/pruning-noisy-curve.md', import.meta.url), report);
