/**
 * One trial that reports many intermediate values (a training loop reporting per batch): time per report
 * by store, with and without a pruner judging each report.
 *
 *   node --conditions=@parzen/source --import tsx bench/report-loop.ts [--steps 2000,20000] [--stores memory,jsonl,sqlite] [--pruner median]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createRandomSuggester } from '@parzen/algo-random';
import { createMemoryStore, fmin, type TrialStore, uniform } from '@parzen/engine';
import { createMedianPruner } from '@parzen/pruners';
import { createJsonlStore } from '@parzen/store-file';
import { createSqliteStore } from '@parzen/store-sqlite';
import { checkFlags, positiveCount, refuser } from './run-flags.js';

checkFlags('report-loop');

const { values } = parseArgs({
  options: {
    steps: { type: 'string', default: '2000,20000' },
    stores: { type: 'string', default: 'memory,jsonl,sqlite' },
    pruner: { type: 'string', default: 'none' },
  },
});
const refuse = refuser('report-loop');
const stepCounts = values.steps.split(',').map((text) => positiveCount(refuse, 'steps', text, 1));
for (const kind of values.stores.split(','))
  if (!['memory', 'jsonl', 'sqlite'].includes(kind))
    refuse(`--stores ${values.stores}: expected stores, comma-separated, of memory, jsonl, sqlite`);
if (values.pruner !== 'none' && values.pruner !== 'median')
  refuse(`--pruner ${values.pruner}: expected none or median`);
const folder = mkdtempSync(join(tmpdir(), 'parzen-report-loop-'));
const storeOf = (kind: string): TrialStore => {
  const at = join(folder, `${kind}-${Date.now()}`);
  if (kind === 'jsonl') return createJsonlStore({ path: `${at}.parzen.jsonl`, fsync: 'never' });
  if (kind === 'sqlite') return createSqliteStore({ path: `${at}.db` });
  return createMemoryStore();
};

console.log(
  `Node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model}), load ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' / ')}`,
);
console.log('| store | pruner | reports | whole trial | per report |');
console.log('|---|---|---|---|---|');
try {
  for (const kind of values.stores.split(',')) {
    for (const steps of stepCounts) {
      const started = performance.now();
      await fmin({
        space: { a: uniform(0, 1) },
        name: 'loop',
        store: storeOf(kind),
        suggester: createRandomSuggester(),
        ...(values.pruner === 'median' ? { pruner: createMedianPruner() } : {}),
        maxTrials: 1,
        seed: 1,
        objective: async ({ a }, context) => {
          for (let step = 0; step < steps; step++) await context.report(step, a + 1 / (step + 1));
          return a;
        },
      });
      const ms = performance.now() - started;
      console.log(
        `| ${kind} | ${values.pruner} | ${steps} | ${(ms / 1000).toFixed(2)} s | ${((1000 * ms) / steps).toFixed(0)} µs |`,
      );
    }
  }
} finally {
  rmSync(folder, { recursive: true, force: true });
}
