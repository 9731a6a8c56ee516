/** A plugin manifest; multi-bound, one binding per plugin (the contribution point). */
export const PLUGIN_MANIFEST: unique symbol = Symbol.for('parzen.PluginManifest');
/** The registry built from every bound manifest. */
export const PLUGIN_REGISTRY: unique symbol = Symbol.for('parzen.PluginRegistry');
/** A service provider contributed by a plugin package; multi-bound. */
export const SERVICE_PROVIDER: unique symbol = Symbol.for('parzen.ServiceProvider');
