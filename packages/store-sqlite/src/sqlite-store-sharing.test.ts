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

describe('sqlite store values, errors and manifest', () => {
  it('keeps non-finite values of pruned trials and reports a closed store as STORE_CLOSED', async () => {
    const path = tempPath('values.db');
    const store = createSqliteStore({ path });
    await store.openStudy(spec);
    await store.createTrial(spec.name);
    await store.finishTrial(spec.name, 0, { state: 'pruned', loss: Number.NEGATIVE_INFINITY });
    await store.close();
    await expect(store.listTrials(spec.name)).rejects.toMatchObject({ code: 'STORE_CLOSED' });
    const again = createSqliteStore({ path });
    expect((await again.listTrials(spec.name))[0]).toMatchObject({ state: 'pruned', loss: Number.NEGATIVE_INFINITY });
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
