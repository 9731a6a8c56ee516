import { describe, expect, expectTypeOf, it } from 'vitest';
import { consoleReporterManifest } from '../builtins/console-reporter.js';
import { functionObjectiveManifest } from '../builtins/function-objective.js';
import { memoryStoreManifest } from '../builtins/memory-store.js';
import { defineSuggester } from '../contracts/manifest.js';
import { createRegistry } from '../di/registry.js';
import type { ExperimentConfig, ExperimentConfigInput } from '../index.js';
import { baseConfigSchema } from './experiment-schema.js';
import { expandMatrix } from './matrix.js';
import { validateConfig } from './validate-config.js';

const random = defineSuggester<Record<string, never>>({
  name: 'random',
  optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
  create: () => ({ name: 'random', beginTrial: () => ({ sampleParam: () => 0 }) }),
});
const registry = createRegistry([
  random,
  memoryStoreManifest,
  consoleReporterManifest,
  functionObjectiveManifest({ f: () => 0 }),
]);

// A user typed a config with ExperimentConfig, documented as "as written in a config file": every key the
// schema fills in was required (direction, suggester, store, ...) and `matrix` was not there.
describe('ExperimentConfigInput', () => {
  it('types a config as written: only name, space, objective and budget required, matrix allowed', () => {
    const config: ExperimentConfigInput = {
      name: 'quadratic',
      space: { x: { type: 'uniform', low: -2, high: 2 } },
      objective: { use: 'function', options: { name: 'f' } },
      budget: { maxTrials: 3 },
    };
    const checked: ExperimentConfig = validateConfig(config, registry);
    expect(checked).toMatchObject({ seed: 0, direction: 'minimize', concurrency: 1, enqueue: [], plugins: [] });
    const batch: ExperimentConfigInput = { ...config, matrix: { seed: [1, 2] } };
    expect(expandMatrix(batch).map((variant) => validateConfig(variant.config, registry).seed)).toEqual([1, 2]);
  });

  it('has the config schema keys, the required ones from its `required`', () => {
    type SchemaKey = keyof typeof baseConfigSchema.properties;
    expectTypeOf<keyof ExperimentConfig>().toEqualTypeOf<SchemaKey>();
    expectTypeOf<keyof ExperimentConfigInput>().toEqualTypeOf<SchemaKey | 'matrix'>();
    type Required<T> = { [K in keyof T]-?: undefined extends T[K] ? never : K }[keyof T];
    expectTypeOf<Required<ExperimentConfigInput>>().toEqualTypeOf<(typeof baseConfigSchema.required)[number]>();
    expect([...baseConfigSchema.required].sort()).toEqual(['budget', 'name', 'objective', 'space']);
  });
});
