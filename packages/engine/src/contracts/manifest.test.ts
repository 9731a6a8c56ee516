// AnyPluginManifest without `any` (trial 137: it was PluginManifest<K, any>, so code holding one could call its
// create() with any options, unchecked). Checked by `tsc -p tsconfig.test.json`.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { createMemoryStore } from '../builtins/memory-store.js';
import { createRegistry } from '../di/registry.js';
import {
  type AnyPluginManifest,
  definePruner,
  defineStore,
  type PluginContext,
  type PluginManifest,
  type PluginPackage,
  withSchemaCheckedOptions,
} from './manifest.js';

const store = defineStore<{ readonly path: string }>({
  name: 'probe',
  optionsSchema: { type: 'object', required: ['path'], properties: { path: { type: 'string' } } },
  check: (options) => (options.path === '' ? [{ pointer: '/path', expected: 'a path', found: '""' }] : []),
  notes: (options) => (options.path.endsWith('/') ? [{ pointer: '/path', message: 'a folder' }] : []),
  create: () => createMemoryStore(),
});
const pruner = definePruner<{ readonly warmup: number }>({
  name: 'probe',
  optionsSchema: { type: 'object' },
  create: (options) => ({ name: 'probe', shouldPrune: () => options.warmup < 0 }),
});

describe('AnyPluginManifest', () => {
  it('holds a manifest of any kind and option type, and takes no options of its own', () => {
    expectTypeOf(store).toExtend<AnyPluginManifest>();
    expectTypeOf(pruner).toExtend<AnyPluginManifest>();
    const manifests: PluginPackage['manifests'] = [store, pruner];
    // Its functions take `never`: the option types of the manifests it may hold have nothing in common.
    expectTypeOf<Parameters<AnyPluginManifest['create']>[0]>().toEqualTypeOf<never>();
    const held: AnyPluginManifest = manifests[0] as AnyPluginManifest;
    // Never called: compiled only.
    const misuse = (context: PluginContext) =>
      // @ts-expect-error options of one's own are no manifest's options (the `any` took them, unchecked)
      held.create({ anything: 1 }, context);
    expect(typeof misuse).toBe('function');
    // `unknown` would refuse the typed manifests: their `check` and `notes` take their own options only.
    expectTypeOf(store).not.toExtend<PluginManifest<'store', unknown>>();
  });

  it('is called by the engine through withSchemaCheckedOptions: the same manifest, as it was', () => {
    const registry = createRegistry([store, pruner]);
    const found = registry.get('store', 'probe') as AnyPluginManifest;
    expect(withSchemaCheckedOptions(found)).toBe(store);
    expectTypeOf(withSchemaCheckedOptions(store)).toEqualTypeOf<PluginManifest<'store'>>();
    expect(withSchemaCheckedOptions(store).check?.({ path: '' }, { baseDir: '.', study: 's' })).toHaveLength(1);
  });
});
