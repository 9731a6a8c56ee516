import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AnyPluginManifest, PluginPackage } from '../contracts/manifest.js';
import type { ServiceProvider } from '../contracts/services.js';
import { ParzenError } from '../errors.js';
import { manifestProblem } from './registry.js';

const loadFailed = (specifier: string, message: string, cause?: unknown) =>
  new ParzenError('PLUGIN_LOAD_FAILED', `Could not load plugin module \`${specifier}\`: ${message}`, {
    plugin: specifier,
    cause,
  });

const resolveSpecifier = (specifier: string, baseDir: string): string => {
  if (specifier.startsWith('.') || isAbsolute(specifier)) {
    const path = isAbsolute(specifier) ? specifier : resolve(baseDir, specifier);
    if (!existsSync(path))
      throw loadFailed(specifier, `no file at ${path} (relative paths resolve against ${baseDir}).`);
    return pathToFileURL(path).href;
  }
  try {
    return pathToFileURL(createRequire(join(baseDir, 'parzen-config.js')).resolve(specifier)).href;
  } catch {
    return specifier;
  }
};

/**
 * Imports a third-party plugin package: the module exports `manifests` (an array of plugin manifests)
 * and maybe `services` (service providers), or a default export with those fields. Every manifest is
 * checked before anything of it runs.
 */
export const importPluginPackage = async (specifier: string, baseDir: string): Promise<PluginPackage> => {
  const url = resolveSpecifier(specifier, baseDir);
  let loaded: Record<string, unknown>;
  try {
    loaded = (await import(url)) as Record<string, unknown>;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw loadFailed(specifier, `${message} (looked for it from ${baseDir}).`, error);
  }
  const fallback = loaded.default as Record<string, unknown> | undefined;
  const manifests = loaded.manifests ?? fallback?.manifests;
  const services = loaded.services ?? fallback?.services;
  if (!Array.isArray(manifests)) {
    throw new ParzenError(
      'PLUGIN_INVALID',
      `Plugin module \`${specifier}\` must export \`manifests\`, an array of plugin manifests; it exports ${Object.keys(loaded).join(', ') || 'nothing'}.`,
      { plugin: specifier },
    );
  }
  manifests.forEach((manifest, index) => {
    const problem = manifestProblem(manifest);
    if (problem !== undefined)
      throw new ParzenError('PLUGIN_INVALID', `Plugin module \`${specifier}\`, manifests[${index}]: ${problem}.`, {
        plugin: specifier,
      });
  });
  if (services !== undefined) {
    const bad =
      !Array.isArray(services) ||
      services.some((s) => typeof s?.create !== 'function' || typeof s?.token?.id !== 'symbol');
    if (bad) {
      throw new ParzenError(
        'PLUGIN_INVALID',
        `Plugin module \`${specifier}\` exports \`services\`, which must be an array of { token, create } service providers.`,
        { plugin: specifier },
      );
    }
  }
  return {
    manifests: manifests as AnyPluginManifest[],
    ...(services === undefined ? {} : { services: services as ServiceProvider[] }),
  };
};
