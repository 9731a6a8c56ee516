/**
 * Run-loop overhead per trial (ask: create + history + suggest + set params; tell: finish + events) with
 * the memory store, random search and a trivial objective, at growing study sizes.
 *
 *   node --conditions=@parzen/source --import tsx bench/engine-overhead.ts
 */
import { cpus } from 'node:os';
import { createRandomSuggester } from '@parzen/algo-random';
import { createMemoryStore, type SpaceDefinition } from '@parzen/engine';
import { compileSpace, createFunctionObjective, runStudy } from '@parzen/engine/plugin';
import { checkFlags } from './run-flags.js';

checkFlags('engine-overhead');

const space: SpaceDefinition = Object.fromEntries(
  Array.from({ length: 10 }, (_, i) => [`x${i}`, { type: 'uniform', low: 0, high: 1 }]),
) as SpaceDefinition;

const measure = async (existing: number, extra: number): Promise<number> => {
  const store = createMemoryStore();
  const common = {
    spec: { name: 'bench', direction: 'minimize' as const, seed: 1, space },
    space: compileSpace(space),
    store,
    suggester: createRandomSuggester(),
    objective: createFunctionObjective((p) => p.x0 as number),
  };
  // The study's first trials are imported (addTrials) rather than run, so a large study is quick to set up.
  await store.openStudy(common.spec);
  const rows = Array.from({ length: existing }, (_, i) => ({
    internal: Object.fromEntries(Array.from({ length: 10 }, (_, j) => [`x${j}`, ((i * (j + 3)) % 101) / 101])),
    outcome: { state: 'complete' as const, loss: ((i * 7) % 101) / 101 },
  }));
  await store.addTrials?.('bench', rows);
  const start = performance.now();
  await runStudy({ ...common, budget: { moreTrials: extra } });
  return (performance.now() - start) / extra;
};

console.log(`machine: ${cpus().length} cores, ${cpus()[0]?.model}, node ${process.version}`);
for (const existing of [100, 1_000, 10_000, 100_000]) {
  const perTrial = await measure(existing, 200);
  console.log(
    `${existing} trials in the study: ${perTrial.toFixed(3)} ms per trial (ask + tell, random search, memory store)`,
  );
}
