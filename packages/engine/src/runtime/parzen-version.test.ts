import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { versionChange } from '../builtins/check-same-study.js';
import { createMemoryStore } from '../builtins/memory-store.js';
import type { Suggester } from '../contracts/suggester.js';
import { sampleDistribution } from '../domain/sample-distribution.js';
import type { SpaceDefinition } from '../domain/space-definition.js';
import { Study } from '../study.js';
import { PARZEN_VERSION } from './parzen-version.js';

const space: SpaceDefinition = { x: { type: 'uniform', low: 0, high: 1 } };
const suggester: Suggester = {
  name: 'algo',
  beginTrial: (context) => ({ sampleParam: (param) => sampleDistribution(param.distribution, context.rng) }),
};

describe('the Parzen version a study records', () => {
  it("is the engine package's version", () => {
    const json = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(PARZEN_VERSION).toBe(json.version);
  });

  it('is said on resume by another version, naming both; silent for the same one and for a study that kept none', () => {
    expect(versionChange('s', '0.0.9', '0.1.0')).toBe(
      'study s was created by Parzen 0.0.9; this run is Parzen 0.1.0, whose suggestions may differ from a run with ' +
        '0.0.9 (a change of behaviour between versions, not of settings): the same seed and settings can draw other ' +
        'trials than before. To reproduce the earlier trials, run them with Parzen 0.0.9.',
    );
    expect(versionChange('s', '0.1.0', '0.1.0')).toBeUndefined();
    expect(versionChange('s', undefined, '0.1.0')).toBeUndefined();
  });

  it('makes Study.open (ask/tell) of a study another version created warn, and record its own on creation', async () => {
    const store = createMemoryStore();
    await store.openStudy({ name: 'old', direction: 'minimize', seed: 0, space, parzenVersion: '0.0.9' });
    const warnings: string[] = [];
    await Study.open({ name: 'old', space, store, suggester, onWarning: (message) => warnings.push(message) });
    expect(warnings).toEqual([versionChange('old', '0.0.9', PARZEN_VERSION)]);
    await Study.open({ name: 'new', space, store, suggester });
    expect((await store.getStudy('new')).parzenVersion).toBe(PARZEN_VERSION);
  });
});
