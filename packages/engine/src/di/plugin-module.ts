import { ContainerModule } from 'inversify';
import type { AnyPluginManifest } from '../contracts/manifest.js';
import { createRegistry, type PluginRegistry } from './registry.js';
import { PLUGIN_MANIFEST, PLUGIN_REGISTRY } from './tokens.js';

/** The one inversify call a plugin package needs: contributes its manifests. */
export const pluginModule = (...manifests: readonly AnyPluginManifest[]): ContainerModule =>
  new ContainerModule(({ bind }) => {
    for (const manifest of manifests) bind<AnyPluginManifest>(PLUGIN_MANIFEST).toConstantValue(manifest);
  });

/** Binds the registry, built from every contributed manifest. Load it once, with the plugin modules. */
export const engineModule = new ContainerModule(({ bind }) => {
  bind<PluginRegistry>(PLUGIN_REGISTRY)
    .toResolvedValue(
      (manifests: AnyPluginManifest[]) => createRegistry(manifests),
      [{ serviceIdentifier: PLUGIN_MANIFEST, isMultiple: true }],
    )
    .inSingletonScope();
});
