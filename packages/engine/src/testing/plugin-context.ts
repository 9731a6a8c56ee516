import { coreServices, mapServices } from '../composition/create-plugin.js';
import type { PluginContext } from '../contracts/manifest.js';
import type { Logger, ServiceToken } from '../contracts/services.js';

/** What {@link testPluginContext} takes: the context's fields and services to bind (by token). */
export interface TestPluginContextOptions {
  readonly baseDir?: string;
  readonly study?: string;
  readonly seed?: number;
  /** Extra or replacing services. */
  readonly services?: readonly (readonly [ServiceToken<unknown>, unknown])[];
}

/**
 * A plugin context for tests of a plugin factory: the engine's services (a real clock, a logger that
 * keeps its lines in `logged`, the RNG factory of `seed`) in a plain map, plus any you pass.
 */
export const testPluginContext = (
  options: TestPluginContextOptions = {},
): PluginContext & { readonly logged: readonly string[] } => {
  const logged: string[] = [];
  const logger: Logger = {
    info: (message) => logged.push(`info: ${message}`),
    warn: (message) => logged.push(`warn: ${message}`),
  };
  const bound = coreServices(options.seed ?? 0, logger);
  for (const [token, value] of options.services ?? []) bound.set(token.id, value);
  const services = mapServices(bound, 'in this test context');
  return { baseDir: options.baseDir ?? process.cwd(), study: options.study ?? 'test', services, logged };
};
