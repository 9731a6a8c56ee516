import type { ImportModule } from '@parzen/engine';

const TS_FILE = /\.[cm]?tsx?$/;

/**
 * Imports a config's plugin module with `import()` (TypeScript through tsx's hooks, which
 * {@link enableTypeScriptPlugins} registers), so the plugin shares the process's `@parzen/engine` (its
 * `ParzenError`s are known as such). A `.ts` file in a folder whose `package.json` says
 * `"type": "commonjs"` (or has none) is refused that way (Node takes it for CommonJS): a `.ts` file that
 * fails is then imported through tsx's `tsImport` instead, once per file and process (it does not cache).
 */
export const importPluginModule: ImportModule = async (url) => {
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (error) {
    // Refused as CommonJS ("require() ES Module … in a cycle", or its type annotations unparsed): retry
    // through tsImport, whose own error is the one to report if it fails too.
    if (!url.startsWith('file:') || !TS_FILE.test(url)) throw error;
  }
  let loaded = typeScriptModules.get(url);
  if (loaded === undefined) {
    loaded = import('@parzen/objectives/host').then((objectives) => objectives.importTypeScript(url));
    typeScriptModules.set(url, loaded);
    loaded.catch(() => typeScriptModules.delete(url));
  }
  return loaded;
};
const typeScriptModules = new Map<string, Promise<Record<string, unknown>>>();

/** A config listing a `.ts` plugin gets TypeScript imports turned on first (`run`, `validate`, `schema`). */
export const enableTypeScriptPlugins = async (raw: unknown): Promise<void> => {
  const plugins = (raw as { plugins?: unknown } | null)?.plugins;
  if (Array.isArray(plugins) && plugins.some((plugin) => typeof plugin === 'string' && TS_FILE.test(plugin)))
    await (await import('@parzen/objectives/host')).registerTypeScript();
};

/** Where {@link importPluginModule} imports a bare specifier from (a package found from the CLI's own folder). */
export const PLUGIN_IMPORTS_FROM = import.meta.url;
