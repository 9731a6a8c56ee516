import type { PluginChoice } from '../config/experiment-config.js';
import type { PluginContext, PluginInstances, PluginKind } from '../contracts/manifest.js';
import { type Logger, SERVICES, type Services, type ServiceToken } from '../contracts/services.js';
import type { PluginRegistry } from '../di/registry.js';
import { deriveRng } from '../domain/rng.js';
import { ParzenError } from '../errors.js';

/** The engine's logger: notes on stderr. */
export const stderrLogger: Logger = {
  info: (message) => process.stderr.write(`${message}\n`),
  warn: (message) => process.stderr.write(`parzen: warning: ${message}\n`),
};

/**
 * Creates the plugin a config slot picked, with the study's context; a throwing factory is an error
 * naming the plugin (a read-only store with nothing to read keeps its `STUDY_NOT_FOUND`).
 */
export const createPlugin = async <K extends PluginKind>(
  registry: PluginRegistry,
  context: PluginContext,
  kind: K,
  choice: PluginChoice,
): Promise<PluginInstances[K]> => {
  const manifest = registry.get(kind, choice.use);
  if (manifest === undefined) {
    throw new ParzenError('CONFIG_UNKNOWN_PLUGIN', `No ${kind} plugin named \`${choice.use}\`.`);
  }
  try {
    return (await manifest.create(choice.options ?? {}, context)) as PluginInstances[K];
  } catch (error) {
    if (error instanceof ParzenError && error.code === 'STUDY_NOT_FOUND') throw error;
    throw new ParzenError(
      'PLUGIN_INVALID',
      `The ${kind} plugin \`${choice.use}\` could not start: ${(error as Error).message}`,
      { plugin: choice.use, cause: error },
    );
  }
};

/** The services every study has, whether it runs or is only read: the clock, the logger, the RNG factory. */
export const coreServices = (seed: number, logger: Logger = stderrLogger): Map<symbol, unknown> =>
  new Map<symbol, unknown>([
    [SERVICES.clock.id, { now: () => new Date() }],
    [SERVICES.logger.id, logger],
    [SERVICES.rng.id, (purpose: string) => deriveRng(seed, -1, `service:${purpose}`)],
  ]);

/** What a store opened for reading needs to know of its study. */
export interface ReadScopeOptions {
  readonly study: string;
  readonly seed: number;
  readonly baseDir: string;
  readonly logger?: Logger;
}

/**
 * Opens a store for reading (`parzen trials`, `best`, `export`) without a container: a store that only
 * reads needs no event bus, no other plugin and no contributed service, so this path loads neither
 * inversify nor rxjs. It gets the clock, the logger and the RNG factory; asking for any other service
 * is an error naming it.
 */
export const createStoreForReading = (
  registry: PluginRegistry,
  options: ReadScopeOptions,
  choice: PluginChoice,
): Promise<PluginInstances['store']> => {
  const bound = coreServices(options.seed, options.logger);
  const services: Services = {
    get: <T>(token: ServiceToken<T>): T => {
      if (!bound.has(token.id)) {
        throw new ParzenError(
          'PLUGIN_INVALID',
          `No service \`${token.id.description ?? 'unknown'}\` is available to a store opened for reading.`,
        );
      }
      return bound.get(token.id) as T;
    },
    has: (token) => bound.has(token.id),
  };
  const context: PluginContext = { baseDir: options.baseDir, study: options.study, services, readOnly: true };
  return createPlugin(registry, context, 'store', choice);
};
