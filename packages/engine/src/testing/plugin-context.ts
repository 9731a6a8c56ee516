import { coreServices, guardedContext, mapServices } from '../composition/create-plugin.js';
import type { PluginContext, PluginKind } from '../contracts/manifest.js';
import type { Logger, ServiceToken } from '../contracts/services.js';

/** What {@link testPluginContext} takes: the context's fields and services to bind (by token). */
export interface TestPluginContextOptions {
  readonly baseDir?: string;
  readonly study?: string;
  readonly seed?: number;
  /** Extra or replacing services. */
  readonly services?: readonly (readonly [ServiceToken<unknown>, unknown])[];
  /**
   * The kind of plugin the context is for: its services are then guarded as a run guards them (a reporter's
   * store only reads and its bus only streams; any plugin's but a store's store only reads), so a test sees
   * what a run would refuse (trial 70: a reporter that wrote the store passed its tests). Unset: unguarded.
   */
  readonly kind?: PluginKind;
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
  const services = mapServices(
    bound,
    'in this test context: pass it, testPluginContext({ services: [[token, value]] })',
  );
  const context = { baseDir: options.baseDir ?? process.cwd(), study: options.study ?? 'test', services };
  return { ...(options.kind === undefined ? context : guardedContext(options.kind, context)), logged };
};
