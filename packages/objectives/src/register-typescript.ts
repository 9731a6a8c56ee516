import { importTsx } from './tsx-api.js';

let registration: Promise<void> | undefined;

/**
 * Lets plain `import()` load TypeScript files from now on (tsx's loader hooks, process-wide). In a folder
 * whose `package.json` says `"type": "commonjs"` (or has none) Node then treats a `.ts` file as CommonJS
 * and refuses its `export`s; {@link importTypeScript} has no such limit.
 */
export const registerTypeScript = (): Promise<void> => {
  registration ??= importTsx().then(({ register }) => {
    register();
  });
  return registration;
};

/**
 * Imports a TypeScript file (a `file:` URL) through tsx, whatever its folder's `package.json` `type` says,
 * without changing how the rest of the process imports. The CLI loads a config's `.ts` plugins with it.
 */
export const importTypeScript = async (url: string): Promise<Record<string, unknown>> => {
  const { tsImport } = await importTsx();
  return (await tsImport(url, { parentURL: url })) as Record<string, unknown>;
};
