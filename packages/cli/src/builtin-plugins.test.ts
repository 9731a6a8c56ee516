import { consoleReporterManifest } from '@parzen/engine/host';
import {
  functionObjectiveManifest,
  memoryStoreManifest,
  noImprovementStopperManifest,
  nonePrunerManifest,
} from '@parzen/engine/plugin';
import { validatePluginOptions } from '@parzen/engine/testing';
import { describe, expect, it } from 'vitest';
import { BUILTIN_PLUGIN_NAMES, loadBuiltinOf, loadBuiltinPlugins } from './builtin-plugins.js';
import { progressReporterManifest } from './progress-reporter.js';

describe('the built-in plugins', () => {
  // A run compiles options schemas without checking them against JSON Schema's meta-schema (it starts
  // faster); this is where the built-in ones are checked.
  it('have options schemas that are valid JSON Schema', async () => {
    const manifests = [
      ...(await loadBuiltinPlugins()).flatMap((pkg) => pkg.manifests),
      consoleReporterManifest,
      functionObjectiveManifest({ quadratic: (params) => (params.x as number) ** 2 }),
      memoryStoreManifest,
      noImprovementStopperManifest,
      nonePrunerManifest,
      progressReporterManifest(),
    ];
    expect(manifests.length).toBeGreaterThanOrEqual(20);
    for (const manifest of manifests) {
      expect(() => validatePluginOptions(manifest, {}), `${manifest.kind} ${manifest.name}`).not.toThrow();
    }
  });

  // A read checks a config with stand-ins of these names (it loads none of their packages): the names it offers,
  // and the order it lists them in, are the ones a run offers.
  it('are named, kind by kind and in order, as the read commands name them without loading them', async () => {
    const manifests = [...(await loadBuiltinPlugins()).flatMap((pkg) => pkg.manifests), progressReporterManifest()];
    const named: Record<string, string[]> = Object.fromEntries(
      Object.keys(BUILTIN_PLUGIN_NAMES).map((kind) => [kind, []]),
    );
    for (const { kind, name } of manifests) named[kind] = [...(named[kind] ?? []), name];
    expect(named).toEqual(BUILTIN_PLUGIN_NAMES);
  });

  // A read loads the package of a plugin it uses alone: the one that gives that plugin, and no other.
  it('are each given alone by the package a read loads for it', async () => {
    for (const [kind, names] of Object.entries(BUILTIN_PLUGIN_NAMES))
      for (const name of names) {
        const given = (await loadBuiltinOf(kind as keyof typeof BUILTIN_PLUGIN_NAMES, name)).flatMap(
          (pkg) => pkg.manifests,
        );
        // The CLI's own progress reporter is in no package.
        expect([kind, name, given.some((manifest) => manifest.kind === kind && manifest.name === name)]).toEqual([
          kind,
          name,
          !(kind === 'reporter' && name === 'progress'),
        ]);
      }
    expect(await loadBuiltinOf('store', 'memory')).toEqual([]);
  });
});
