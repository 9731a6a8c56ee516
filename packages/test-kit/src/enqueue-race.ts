import { spawn } from 'node:child_process';
import type { ParamAssignment, Trial, TrialStore } from '@parzen/engine/plugin';
import { expect } from 'vitest';
import { expectDenseNumbers } from './store-checks.js';
import type { StoreTarget } from './worker-spec.js';

/** What one racing process did: how many entries its `enqueue` queued, and the trials it created. */
interface Claims {
  readonly queued: number;
  readonly trials: readonly { readonly number: number; readonly internal: ParamAssignment }[];
}

/*
 * The racing process, plain JavaScript run with `node --input-type=module -e`: opens the store from its
 * built module, queues the same keyed entries as every other process (as workers starting with one config's
 * `enqueue` list do), says `ready`, waits for a line on stdin, then creates trials until the limit.
 */
const RACER = `
const options = JSON.parse(process.argv[1]);
const { target, spec, entries, limit } = options;
const store = await (await import(target.module))[target.factory](target.options ?? { path: target.path });
await store.openStudy(spec);
const queued = await store.enqueue(spec.name, entries);
process.stdout.write('ready\\n');
await new Promise((resolve) => process.stdin.once('data', resolve));
process.stdin.pause();
const trials = [];
for (;;) {
  const trial = await store.createTrial(spec.name, { limit });
  if (trial === undefined) break;
  trials.push({ number: trial.number, internal: trial.internal });
  await new Promise((resolve) => setTimeout(resolve, 2)); // an evaluation: lets the others in
}
await store.close();
process.stdout.write(JSON.stringify({ queued, trials }) + '\\n');
`;

const race = (options: object): { ready: Promise<void>; go: () => void; done: Promise<Claims> } => {
  const child = spawn(process.execPath, ['--input-type=module', '-e', RACER, JSON.stringify(options)]);
  let out = '';
  let err = '';
  let onReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    onReady = resolve;
  });
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    if (out.startsWith('ready\n')) onReady();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
  });
  const done = new Promise<Claims>((resolve, reject) => {
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`a racing process exited with ${code}: ${err}`));
      else resolve(JSON.parse(out.slice('ready\n'.length)) as Claims);
    });
  });
  return { ready: Promise.race([ready, done.then(() => undefined)]), go: () => child.stdin.write('go\n'), done };
};

/** How {@link expectEnqueuedTakenOnce} races processes on a store. */
export interface EnqueueRaceOptions {
  /** How a process opens the store: the package's built module and factory (see {@link StoreTarget}). */
  readonly target: StoreTarget;
  /** Opens the store in the test process, to read what the processes left. */
  readonly open: () => TrialStore | Promise<TrialStore>;
  readonly processes?: number;
  readonly entries?: number;
}

/**
 * Several processes (default 4) queue the same keyed entries (default 20) at once, then race to create
 * trials up to `entries + processes`: the entries are queued once, each is taken by exactly one trial, in
 * queue order, and the trials after them start with empty params.
 */
export const expectEnqueuedTakenOnce = async (options: EnqueueRaceOptions): Promise<void> => {
  const processes = options.processes ?? 4;
  const count = options.entries ?? 20;
  const spec = { name: 'race', direction: 'minimize', seed: 1, space: { x: { type: 'uniform', low: 0, high: 1 } } };
  const entries = Array.from({ length: count }, (_, i) => ({ internal: { x: i / count }, key: `entry-${i}` }));
  const limit = count + processes;
  const racers = Array.from({ length: processes }, () => race({ target: options.target, spec, entries, limit }));
  await Promise.all(racers.map((racer) => racer.ready));
  for (const racer of racers) racer.go();
  const claims = await Promise.all(racers.map((racer) => racer.done));
  expect(claims.reduce((sum, claim) => sum + claim.queued, 0)).toBe(count);
  const created = claims.flatMap((claim) => claim.trials).sort((a, b) => a.number - b.number);
  expect(created.map((trial) => trial.number)).toEqual(Array.from({ length: limit }, (_, i) => i));
  expect(created.map((trial) => trial.internal)).toEqual([
    ...entries.map((entry) => entry.internal),
    ...racers.map(() => ({})),
  ]);
  expect(claims.filter((claim) => claim.trials.length > 0).length).toBeGreaterThan(1); // they did race
  const store = await options.open();
  try {
    const trials: readonly Trial[] = await store.listTrials(spec.name);
    expectDenseNumbers(trials);
    expect(trials.map((trial) => trial.internal)).toEqual(created.map((trial) => trial.internal));
  } finally {
    await store.close();
  }
};
