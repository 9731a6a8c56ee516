import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { fmin, Study, uniform } from '@parzen/engine';
import { type Suggester, sampleDistribution } from '@parzen/engine/plugin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModuleObjective } from './module-objective.js';

// A module objective given in code to fmin and a study: its function runs in worker threads, so a synchronous,
// CPU-bound objective runs trials at once, and a time limit stops it mid-trial.
let dir: string;
const prior: Suggester = {
  name: 'prior',
  beginTrial: (context) => ({ sampleParam: (param) => sampleDistribution(param.distribution, context.rng) }),
};
const space = { x: uniform(0, 1) };

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'parzen-module-fmin-'));
  // Synchronous: it holds its thread until every trial of the first `concurrency` has started (a file each),
  // which only trials on other threads can do; on one thread the first would spin until its deadline.
  writeFileSync(
    join(dir, 'busy.mjs'),
    `import { threadId } from 'node:worker_threads';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
export default ({ x }, { trialNumber }) => {
  const folder = ${JSON.stringify(dir)};
  writeFileSync(join(folder, 'started-' + trialNumber), '');
  const deadline = Date.now() + 3000;
  let together = false;
  while (Date.now() < deadline) {
    if (readdirSync(folder).filter((name) => name.startsWith('started-')).length >= 2) { together = true; break; }
  }
  return { loss: x, attrs: { thread: threadId, together } };
};
export const spin = () => { for (;;) {} };
`,
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a module objective from code', () => {
  it('fmin runs a synchronous module objective in worker threads, trials at once', async () => {
    const objective = await createModuleObjective({ path: './busy.mjs' }, dir);
    try {
      const warnings: string[] = [];
      const result = await fmin({
        objective,
        space,
        suggester: prior,
        maxTrials: 2,
        concurrency: 2,
        onWarning: (message) => warnings.push(message),
      });
      const attrs = result.trials.map((trial) => ('attrs' in trial ? trial.attrs : undefined));
      // Both trials saw the other started while they ran: they overlapped (on one thread neither could).
      expect(attrs).toEqual([
        { thread: expect.any(Number), together: true },
        { thread: expect.any(Number), together: true },
      ]);
      const threads = new Set(attrs.map((a) => (a as { thread: number }).thread));
      expect(threads.size).toBe(2);
      expect(threads.has(threadId)).toBe(false);
      // No "synchronous, so one at a time" warning: that is said of functions on Parzen's thread only.
      expect(warnings).toEqual([]);
      // The run left the adapter open, the caller's: a second run takes it, on the threads already loaded.
      const again = await fmin({ objective, space, suggester: prior, maxTrials: 2, concurrency: 2 });
      expect(again.trials.map((trial) => trial.state)).toEqual(['complete', 'complete']);
      expect(new Set(again.trials.map((trial) => ('attrs' in trial ? trial.attrs?.thread : undefined)))).toEqual(
        threads,
      );
    } finally {
      await objective.close?.();
    }
  });

  it("a study's time limit stops a synchronous module objective mid-trial", async () => {
    const objective = await createModuleObjective({ path: './busy.mjs', export: 'spin' }, dir);
    try {
      const study = await Study.open({ space, suggester: prior, objective, onWarning: () => {} });
      const result = await study.optimize({ maxTrials: 1, trialTimeoutMs: 300 });
      expect(result.trials[0]).toMatchObject({ state: 'failed', error: { code: 'TIMEOUT' } });
    } finally {
      await objective.close?.();
    }
  });
});
