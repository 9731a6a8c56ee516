import { dirname, join } from 'node:path';
import type { StudySpec } from '@parzen/engine/plugin';
import { testPluginContext } from '@parzen/engine/testing';
import { useTempDir } from '@parzen/test-kit';
import { describe, expect, it } from 'vitest';
import type { SqliteStore } from './index.js';
import { sqliteStoreManifest } from './manifest.js';
import { createSqliteStore } from './sqlite-store.js';

const tempPath = useTempDir('sqlite-sharing');
const spec: StudySpec = {
  name: 'shared',
  direction: 'maximize',
  seed: 11,
  space: { x: { type: 'uniform', low: 0, high: 1 } },
};

describe('sqlite store shared by two connections', () => {
  it('sees the other connection’s changes and allocates after them', async () => {
    const path = tempPath('shared.db');
    const a = createSqliteStore({ path });
    const b = createSqliteStore({ path });
    await a.openStudy(spec);
    expect((await b.openStudy(spec)).resumed).toBe(true);
    expect((await a.createTrial(spec.name))?.number).toBe(0);
    expect((await b.createTrial(spec.name))?.number).toBe(1);
    expect(await a.listTrials(spec.name)).toHaveLength(2);
    await b.setParams(spec.name, 0, { x: 0.5 });
    await b.finishTrial(spec.name, 0, { state: 'complete', value: 2, attributes: { note: 'by b' } });
    const lease = { owner: 'elsewhere:1:x', expiresAt: new Date(Date.now() + 1000).toISOString() };
    await b.renewLease(spec.name, 1, lease);
    const seen = await a.listTrials(spec.name);
    expect(seen[0]).toMatchObject({ state: 'complete', value: 2, params: { x: 0.5 }, attributes: { note: 'by b' } });
    expect(seen[1]).toMatchObject({ state: 'running', lease });
    expect(await b.listTrials(spec.name)).toEqual(seen);
    await expect(a.finishTrial(spec.name, 0, { state: 'complete', value: 3 })).rejects.toMatchObject({
      code: 'TRIAL_ALREADY_FINISHED',
    });
    await a.close();
    await b.close();
  });

  it('keeps non-finite values of pruned trials and reports a closed store as STORE_FAILED', async () => {
    const path = tempPath('values.db');
    const store = createSqliteStore({ path });
    await store.openStudy(spec);
    await store.createTrial(spec.name);
    await store.finishTrial(spec.name, 0, { state: 'pruned', value: Number.NEGATIVE_INFINITY });
    await store.close();
    await expect(store.listTrials(spec.name)).rejects.toMatchObject({ code: 'STORE_FAILED' });
    const again = createSqliteStore({ path });
    expect((await again.listTrials(spec.name))[0]).toMatchObject({ state: 'pruned', value: Number.NEGATIVE_INFINITY });
    await again.close();
  });
});

describe('sqlite store manifest', () => {
  it('puts <study>.parzen.db beside the config by default, and resolves relative paths against it', async () => {
    const baseDir = dirname(tempPath('x'));
    const byDefault = (await sqliteStoreManifest.create(
      {},
      testPluginContext({ baseDir, study: 'heart v2' }),
    )) as SqliteStore;
    expect(byDefault.path).toBe(join(baseDir, 'heart_v2.parzen.db'));
    await byDefault.close();
    const relative = (await sqliteStoreManifest.create(
      { path: 'runs/x.db', busyTimeoutMs: 100 },
      testPluginContext({ baseDir, study: 's' }),
    )) as SqliteStore;
    expect(relative.path).toBe(join(baseDir, 'runs/x.db'));
    await relative.close();
  });
});
