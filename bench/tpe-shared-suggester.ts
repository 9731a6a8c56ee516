/**
 * One TPE suggester given to two studies asked at once (`Promise.all` of their asks), against a suggester of each
 * study's own: the CPU time of an ask over the last 100 of `--trials` (default 600), median, and whether each study
 * suggested what it suggests with a suggester of its own (it must).
 *
 *   node --import tsx bench/tpe-shared-suggester.ts [--trials 600]
 */
import { createTpeSuggester } from '@parzen/algo-tpe';
import { choice, createMemoryStore, loguniform, quniform, randint, Study, uniform } from '@parzen/engine';
import { argument, checkFlags, positiveCount, refuser } from './run-flags.js';

checkFlags('tpe-shared-suggester');
const refuse = refuser('tpe-shared-suggester');
const trials = positiveCount(refuse, 'trials', argument('trials'), 600);
const space = {
  a: quniform(0, 20, 1),
  b: uniform(0, 1),
  c: randint(0, 7),
  d: choice(['x', 'y', 'z']),
  e: loguniform(1e-3, 1),
};
const loss = (params: Record<string, unknown>): number =>
  Object.values(params).reduce<number>(
    (sum, v) => sum + (typeof v === 'number' ? Math.sin(v * 3.1) : String(v).length),
    0,
  );

const run = async (shared: boolean): Promise<{ median: number; suggested: string[] }> => {
  const one = createTpeSuggester();
  const open = (name: string) =>
    Study.open({ name, space, seed: 7, store: createMemoryStore(), suggester: shared ? one : createTpeSuggester() });
  const [a, b] = [await open('A'), await open('B')];
  const times: number[] = [];
  const suggested: string[] = [];
  for (let i = 0; i < trials; i++) {
    const start = process.cpuUsage();
    const [x, y] = await Promise.all([a.ask(), b.ask()]);
    const spent = process.cpuUsage(start);
    if (i >= trials - 100) times.push((spent.user + spent.system) / 1000 / 2);
    suggested.push(JSON.stringify(x.params), JSON.stringify(y.params));
    await Promise.all([a.tell(x.number, loss(x.params)), b.tell(y.number, -loss(y.params))]);
  }
  times.sort((p, q) => p - q);
  return { median: times[Math.floor(times.length / 2)] as number, suggested };
};

const own = await run(false);
const shared = await run(true);
console.log(
  `${trials} trials each: ask CPU median, own suggesters ${own.median.toFixed(2)} ms, one shared ${shared.median.toFixed(2)} ms`,
);
console.log(`the same suggestions: ${own.suggested.every((s, i) => s === shared.suggested[i]) ? 'yes' : 'NO'}`);
