import { Study } from '@parzen/engine';
import { type Suggester, sampleDistribution } from '@parzen/engine/plugin';
import { describePostgres, freshSchema } from '@parzen/test-kit/postgres';
import pg from 'pg';
import { expect, it } from 'vitest';
import { createPostgresStore } from '../src/index.js';

/** Prior draws only: the smallest suggester, so this test needs no algorithm package. */
const priorSuggester: Suggester = {
  name: 'prior',
  beginTrial: (context) => ({ sampleParam: (param) => sampleDistribution(param.distribution, context.rng) }),
};

const space = { x: { type: 'uniform', low: 0, high: 1 } } as const;

/**
 * A server crash before the flush of a trial's creation undoes the insert and the number's allocation
 * together: the row goes, and the study's next number drops back, so the next trial created takes it.
 */
const undoCreation = (pool: pg.Pool, number: number) =>
  pool.query(
    `WITH gone AS (DELETE FROM parzen_trials WHERE number = $1 RETURNING study_id)
    UPDATE parzen_studies SET next_number = $1 WHERE id IN (SELECT study_id FROM gone)`,
    [number],
  );

describePostgres('postgres store: a trial whose creation a crash undid', () => {
  it.each([
    ['still running', false],
    ['finished', true],
  ])('keeps its result as a new trial when another worker took its number (%s)', async (_, finishOther) => {
    const url = await freshSchema(`reused_${finishOther ? 'finished' : 'running'}`);
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    const mine = await createPostgresStore({ url });
    const theirs = await createPostgresStore({ url });
    const warnings: string[] = [];
    try {
      const study = await Study.open({
        name: 'reused',
        space,
        seed: 3,
        store: mine,
        suggester: priorSuggester,
        onWarning: (message) => warnings.push(message),
      });
      await theirs.openStudy({ name: 'reused', direction: 'minimize', seed: 3, space });
      let crashed = false;
      const result = await study.optimize({
        maxTrials: 3,
        objective: async ({ x }, { trialNumber, report }) => {
          if (trialNumber === 0 && !crashed) {
            crashed = true;
            // While trial #0 runs here, the server crashes and loses its creation; another worker then
            // creates a trial, which is given #0 again, with its own params.
            await undoCreation(pool, 0);
            const taken = await theirs.createTrial('reused');
            expect(taken?.number).toBe(0);
            await theirs.setParams('reused', 0, { x: 0.999 });
            if (finishOther) await theirs.finishTrial('reused', 0, { state: 'complete', loss: 500 });
            await report(0, x + 10); // kept with this worker's result, not written to the other trial
          }
          return x;
        },
      });
      if (!finishOther) await theirs.finishTrial('reused', 0, { state: 'complete', loss: 500 });
      // This worker ran on to its budget: its result was neither lost nor written over the other trial.
      expect(result.reason).toBe('max-trials');
      const trials = await theirs.listTrials('reused');
      expect(trials.map((trial) => trial.number)).toEqual([0, 1, 2]);
      expect(trials[0]).toMatchObject({ state: 'complete', loss: 500, internal: { x: 0.999 } });
      expect(trials[0]?.intermediate ?? []).toEqual([]);
      const kept = trials[1];
      expect(kept).toMatchObject({ state: 'complete', loss: kept?.internal.x });
      expect(kept?.internal.x).not.toBe(0.999);
      expect(kept?.intermediate).toEqual([{ step: 0, value: (kept?.internal.x as number) + 10 }]);
      for (const trial of trials.slice(2)) expect(trial).toMatchObject({ state: 'complete' });
      expect(warnings).toEqual([
        expect.stringMatching(
          /^trial #0 is no longer in the postgres store \(its creation was undone while it ran: .*another trial.*\); its result \(loss [\d.e-]+\) is kept as trial #1\.$/,
        ),
      ]);
    } finally {
      await Promise.all([mine.close(), theirs.close(), pool.end()]);
    }
  });
});
