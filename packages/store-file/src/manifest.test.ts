import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as random from '@parzen/algo-random';
import { type ExternalParams, runExperiment } from '@parzen/engine';
import { testPluginContext } from '@parzen/engine/testing';
import { useTempDir } from '@parzen/test-kit';
import { describe, expect, it } from 'vitest';
import * as jsonl from './index.js';
import type { JsonlStore } from './jsonl-store.js';
import { jsonlStoreManifest } from './manifest.js';

const tempPath = useTempDir('jsonl-manifest');
const options = (baseDir: string) => ({
  plugins: [random, jsonl],
  baseDir,
  functions: { square: (params: ExternalParams) => (params.x as number) ** 2 },
});
const minimalConfig = {
  name: 'configured',
  seed: 4,
  space: { x: { type: 'uniform', low: -1, high: 1 } },
  objective: { use: 'function', options: { name: 'square' } },
  suggester: { use: 'random' },
  reporters: [],
  budget: { maxTrials: 3 },
};

describe('jsonl store manifest', () => {
  it("stamps the study's and trials' times with the study's clock service (it used the system's clock)", async () => {
    const fixed = new Date('2001-02-03T04:05:06.000Z');
    const baseDir = dirname(tempPath('clocked'));
    const result = await runExperiment(
      { ...minimalConfig, name: 'clocked', store: { use: 'jsonl', options: { path: './clocked.parzen.jsonl' } } },
      { ...options(baseDir), clock: { now: () => fixed } },
    );
    expect(result.trials.map((trial) => trial.startedAt)).toEqual(Array(3).fill(fixed.toISOString()));
    const lines = readFileSync(join(baseDir, 'clocked.parzen.jsonl'), 'utf8');
    expect(lines).toContain(`"createdAt":"${fixed.toISOString()}"`);
    expect(lines).toContain(`"finishedAt":"${fixed.toISOString()}"`);
  });

  it('puts <study>.parzen.jsonl beside the config by default, and resolves relative paths against it', async () => {
    const baseDir = dirname(tempPath('x'));
    const byDefault = (await jsonlStoreManifest.create(
      {},
      testPluginContext({ baseDir, study: 'my study/1' }),
    )) as JsonlStore;
    expect(byDefault.path).toBe(join(baseDir, 'my_study_1.parzen.jsonl'));
    const relative = (await jsonlStoreManifest.create(
      { path: 'runs/a.jsonl' },
      testPluginContext({ baseDir, study: 's' }),
    )) as JsonlStore;
    expect(relative.path).toBe(join(baseDir, 'runs/a.jsonl'));
    const absolute = (await jsonlStoreManifest.create(
      { path: '/tmp/b.jsonl' },
      testPluginContext({ baseDir, study: 's' }),
    )) as JsonlStore;
    expect(absolute.path).toBe('/tmp/b.jsonl');
  });

  it('runs a config with { "use": "jsonl" } and resumes it on the next run', async () => {
    const baseDir = dirname(tempPath('x'));
    const config = { ...minimalConfig, store: { use: 'jsonl', options: { fsync: 'never' } } };
    const first = await runExperiment(config, options(baseDir));
    expect(first.resumed).toBe(false);
    const file = join(baseDir, 'configured.parzen.jsonl');
    expect(existsSync(file)).toBe(true);
    const second = await runExperiment({ ...config, budget: { moreTrials: 2 } }, options(baseDir));
    expect(second.resumed).toBe(true);
    expect(second.trials.map((trial) => trial.number)).toEqual([0, 1, 2, 3, 4]);
    expect(
      readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => line.includes('"op":"finish"')),
    ).toHaveLength(5);
  });

  it('rejects unknown options and bad fsync policies, naming the path', async () => {
    const baseDir = dirname(tempPath('x'));
    const config = (options: unknown) => ({ ...minimalConfig, store: { use: 'jsonl', options } });
    const codeAndMessage = (raw: unknown) =>
      runExperiment(raw, options(baseDir)).then(
        () => undefined,
        (error: { code: string; message: string }) => `${error.code} ${error.message}`,
      );
    expect(await codeAndMessage(config({ pth: 'a.jsonl' }))).toMatch(/CONFIG_INVALID[\s\S]*\/store\/options/);
    expect(await codeAndMessage(config({ fsync: 'sometimes' }))).toMatch(
      /CONFIG_INVALID[\s\S]*\/store\/options\/fsync/,
    );
  });
});
