import type { PluginContext } from '../contracts/manifest.js';
import { type Logger, SERVICES, type Services, type ServiceToken } from '../contracts/services.js';
import { deriveRng } from '../domain/rng.js';
import { ParzenError } from '../errors.js';

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
  const bound = new Map<symbol, unknown>([
    [SERVICES.clock.id, { now: () => new Date() }],
    [SERVICES.logger.id, logger],
    [SERVICES.rng.id, (purpose: string) => deriveRng(options.seed ?? 0, -1, `service:${purpose}`)],
  ]);
  for (const [token, value] of options.services ?? []) bound.set(token.id, value);
  const services: Services = {
    get: <T>(token: ServiceToken<T>): T => {
      if (!bound.has(token.id))
        throw new ParzenError('PLUGIN_INVALID', `No service \`${token.id.description}\` in this test context.`);
      return bound.get(token.id) as T;
    },
    has: (token) => bound.has(token.id),
  };
  return { baseDir: options.baseDir ?? process.cwd(), study: options.study ?? 'test', services, logged };
};
