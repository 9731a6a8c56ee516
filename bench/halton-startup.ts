/**
 * The one-time cost of quasi-random (Halton) values as the number of parameters grows: a `parzen run` of a few
 * trials with TPE's default (quasi-random start-up), TPE with random start-up, and `quasi-random` search, wall
 * time and peak memory (`/usr/bin/time`); then the Halton sampler alone, in this process (its construction and
 * the first point, and the first five points).
 *
 *   node --conditions=@parzen/source --import tsx bench/halton-startup.ts --out bench/results/halton-startup.md
 *
 * The configs are trial158's (D uniform [0, 1] parameters, seed 1, an objective summing (x − 0.3)², no
 * reporters, a JSONL store), written to a temporary folder. `--cli` runs another build (an older checkout's
 * packages/cli/dist/main.js) for a before/after comparison.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { SpaceDefinition } from '@parzen/engine';
import { compileSpace, createHaltonSampler } from '@parzen/engine/plugin';
import { argument, checkFlags, dayAndLoad, machineNote, positiveCount, refuser } from './run-flags.js';
import { markdownTable, publish, tempFolder } from './store-bench-utils.js';

checkFlags('halton-startup');

const refuse = refuser('halton-startup');
const DIMS = (argument('dims') ?? '3000,6000,10000').split(',').map((text) => positiveCount(refuse, 'dims', text, 1));
const TRIALS = positiveCount(refuse, 'trials', argument('trials'), 2);
const CLI = resolve(argument('cli') ?? 'packages/cli/dist/main.js');

const SUGGESTERS = {
  'tpe, random start-up': { use: 'tpe', options: { startup: 'random' } },
  'tpe (default: quasi-random start-up)': { use: 'tpe' },
  'quasi-random': { use: 'quasi-random' },
} as const;

const spaceOf = (dims: number): SpaceDefinition =>
  Object.fromEntries(
    Array.from({ length: dims }, (_, i) => [`p${String(i).padStart(5, '0')}`, { type: 'uniform', low: 0, high: 1 }]),
  ) as SpaceDefinition;

const folder = tempFolder('halton-startup');
writeFileSync(
  folder.path('obj.mjs'),
  "export default (p) => { let s = 0; for (const v of Object.values(p)) if (typeof v === 'number') s += (v - 0.3) ** 2; return s; };\n",
);

/** Wall seconds and peak RSS (MB) of one `parzen run` of a fresh study. */
const runCli = (name: string, dims: number, suggester: object): { wall: number; rssMb: number } => {
  const config = folder.path(`${name}.json`);
  writeFileSync(
    config,
    JSON.stringify({
      name,
      seed: 1,
      space: spaceOf(dims),
      objective: { use: 'module', options: { path: './obj.mjs' } },
      suggester,
      budget: { maxTrials: TRIALS },
      reporters: [],
    }),
  );
  const run = spawnSync('/usr/bin/time', ['-f', '%e %M', process.execPath, CLI, 'run', config, '--quiet'], {
    encoding: 'utf8',
  });
  const timing = /(\d+(?:\.\d+)?) (\d+)\s*$/.exec(run.stderr);
  if (run.status !== 0 || timing === null) throw new Error(`${name}: exit ${run.status}\n${run.stderr}`);
  return { wall: Number(timing[1]), rssMb: Number(timing[2]) / 1024 };
};

const cliRows: string[][] = [];
for (const dims of DIMS) {
  for (const [label, suggester] of Object.entries(SUGGESTERS)) {
    const { wall, rssMb } = runCli(`d${dims}-${cliRows.length}`, dims, suggester);
    cliRows.push([dims.toLocaleString('en'), label, wall.toFixed(2), rssMb.toFixed(0)]);
    console.error(cliRows.at(-1)?.join(' | '));
  }
}

/** Milliseconds and heap growth (MB) of building the sampler and drawing every parameter of `points` points. */
const sampleInProcess = (dims: number, points: number): { ms: number; heapMb: number } => {
  const space = compileSpace(spaceOf(dims));
  globalThis.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const start = performance.now();
  const sampler = createHaltonSampler(space, 1);
  let sum = 0;
  for (let trial = 0; trial < points; trial++) for (const param of space.params) sum += sampler.sample(trial, param);
  const ms = performance.now() - start;
  const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
  if (!Number.isFinite(sum)) throw new Error('a coordinate is not finite');
  return { ms, heapMb };
};

const samplerRows: string[][] = [];
for (const dims of DIMS) {
  for (const points of [1, 5]) {
    const { ms, heapMb } = sampleInProcess(dims, points);
    samplerRows.push([dims.toLocaleString('en'), String(points), ms.toFixed(0), heapMb.toFixed(1)]);
  }
}
folder.remove();

publish(
  [
    '# Quasi-random (Halton) start-up cost by number of parameters',
    '',
    `Machine: ${machineNote()}; ${dayAndLoad()}. CLI: \`${CLI}\`.`,
    '',
    `\`parzen run\` of a fresh study of ${TRIALS} trials (\`--quiet\`), D uniform parameters (\`/usr/bin/time\`: wall s, max RSS):`,
    '',
    markdownTable(['parameters', 'suggester', 'wall s', 'max RSS MB'], [false, false, true, true], cliRows),
    '',
    'The Halton sampler alone (this process, from the sources): build it and draw every parameter of the first points',
    '(heap growth after a forced garbage collection when node allows one, `globalThis.gc`):',
    '',
    markdownTable(['parameters', 'points', 'ms', 'heap MB'], [true, true, true, true], samplerRows),
  ].join('\n'),
);
