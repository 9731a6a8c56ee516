import { coreServices, createPlugin, guardedContext, mapServices } from '../composition/create-plugin.js';
import { checkPluginChoice } from '../config/validate-config.js';
import type { PluginContext, PluginKind, PluginPackage } from '../contracts/manifest.js';
import { type Logger, type PluginFactory, SERVICES, type ServiceToken } from '../contracts/services.js';
import { createRegistry } from '../di/registry.js';
import { createEventBus } from '../events/event-bus.js';

/** What {@link testPluginContext} takes: the context's fields and services to bind (by token). */
export interface TestPluginContextOptions {
  /** The context's `baseDir`; default: the working directory. */
  readonly baseDir?: string;
  /** The context's study name; default `test`. */
  readonly study?: string;
  /** The study seed the `rng` service derives its streams from; default 0. */
  readonly seed?: number;
  /** Extra or replacing services. */
  readonly services?: readonly (readonly [ServiceToken<unknown>, unknown])[];
  /**
   * The kind of plugin the context is for: its services are then guarded as a run guards them (a reporter's
   * store only reads and its bus only streams; any plugin's but a store's store only reads), so a test sees
   * what a run would refuse (a reporter that writes the store fails its tests). Unset: unguarded.
   */
  readonly kind?: PluginKind;
  /**
   * Plugin packages whose plugins the context's `plugins` service creates (a wrapping plugin makes its inner
   * one with it, so the contract suite can run one), their options checked as a config's are.
   */
  readonly plugins?: readonly PluginPackage[];
}

/**
 * A plugin context for tests of a plugin factory: the engine's services (a real clock, a logger that
 * keeps its lines in `logged`, the RNG factory of `seed`, an event bus: `bus.emit(event)` sends an event to
 * what the plugin subscribed, `bus.events$` gives what it emitted) in a plain map, plus any you pass.
 */
export const testPluginContext = (
  options: TestPluginContextOptions = {},
): PluginContext & {
  /** What the plugin told the `logger` service, in order, each line `info: ...` or `warn: ...`. */
  readonly logged: readonly string[];
} => {
  const logged: string[] = [];
  const logger: Logger = {
    info: (message) => logged.push(`info: ${message}`),
    warn: (message) => logged.push(`warn: ${message}`),
  };
  const bound = coreServices(options.seed ?? 0, logger);
  // A run's bus too (trial 133: a plugin that subscribes to it could not be tested without building one from rxjs).
  bound.set(SERVICES.bus.id, createEventBus());
  const services = mapServices(
    bound,
    'in this test context: pass it, testPluginContext({ services: [[token, value]] }) (or plugins: [packages] for the plugins service)',
  );
  const context = { baseDir: options.baseDir ?? process.cwd(), study: options.study ?? 'test', services };
  if (options.plugins !== undefined) {
    const registry = createRegistry(options.plugins.flatMap((pack) => pack.manifests));
    const plugins: PluginFactory = {
      names: (kind) => registry.names(kind),
      create: async (kind, choice) => createPlugin(registry, context, kind, checkPluginChoice(registry, kind, choice)),
    };
    bound.set(SERVICES.plugins.id, plugins);
  }
  for (const [token, value] of options.services ?? []) bound.set(token.id, value);
  return { ...(options.kind === undefined ? context : guardedContext(options.kind, context)), logged };
};
