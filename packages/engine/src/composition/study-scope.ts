import type { PluginChoice } from '../config/experiment-config.js';
import { checkPluginChoice } from '../config/validate-config.js';
import type {
  AnyPluginManifest,
  PluginContext,
  PluginInstances,
  PluginKind,
  PluginPackage,
} from '../contracts/manifest.js';
import {
  type Clock,
  type Logger,
  type PluginFactory,
  SERVICES,
  type ServiceProvider,
  type Services,
  serviceNameOf,
} from '../contracts/services.js';
import { createRegistry, type PluginRegistry } from '../di/registry.js';
import { PLUGIN_MANIFEST, PLUGIN_REGISTRY, SERVICE_PROVIDER } from '../di/tokens.js';
import type { CompiledSpace } from '../domain/compile-space.js';
import { configErrorUnder, ParzenError } from '../errors.js';
import { createEventBus } from '../events/event-bus.js';
import { listenForAbort } from '../runtime/abort-listener.js';
import { Container } from '../vendor/inversify.js';
import { coreServices, createPlugin, lookupServices, readerServices } from './create-plugin.js';

/** The root container: every plugin package's manifests and service providers, and the registry built from them. */
const createRootContainer = (packages: readonly PluginPackage[]): Container => {
  const root = new Container();
  for (const pkg of packages) {
    for (const manifest of pkg.manifests) root.bind<AnyPluginManifest>(PLUGIN_MANIFEST).toConstantValue(manifest);
    for (const provider of pkg.services ?? []) root.bind<ServiceProvider>(SERVICE_PROVIDER).toConstantValue(provider);
  }
  root
    .bind<PluginRegistry>(PLUGIN_REGISTRY)
    .toResolvedValue(
      (manifests: AnyPluginManifest[]) => createRegistry(manifests),
      [{ serviceIdentifier: PLUGIN_MANIFEST, isMultiple: true }],
    )
    .inSingletonScope();
  return root;
};

/**
 * Aborts `controller` when `signal` does (at once if it already has); returns what stops following. A
 * run's signal outlives its studies (a batch runs many on one Ctrl-C), so each study removes its listener.
 */
const follow = (signal: AbortSignal | undefined, controller: AbortController): (() => void) => {
  if (signal === undefined) return () => undefined;
  if (signal.aborted) {
    controller.abort(signal.reason);
    return () => undefined;
  }
  return listenForAbort(signal, () => controller.abort(signal.reason));
};

/** A service's name as `serviceToken` made its token. */
const serviceName = (id: symbol): string => `\`${serviceNameOf(id)}\``;

/** A contributed service's `create()` that threw, as a fault of the package that contributes it. */
const serviceFailure = (error: unknown, id: symbol): unknown => {
  if (error instanceof ParzenError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ParzenError(
    'PLUGIN_INVALID',
    `The service ${serviceName(id)} could not be made: its create() threw ${message}. This is a fault of the plugin package that contributes it, not of the config.`,
    { cause: error },
  );
};

/** One study's child container and what is created in it. */
export interface StudyScope {
  /** The study's services (clock, logger, RNG factory, bus, stopping, store once provided, contributed ones). */
  readonly services: Services;
  /** Creates the plugin a config slot picked, with the study's services; a throwing factory is an error naming it. */
  create<K extends PluginKind>(kind: K, choice: PluginChoice): Promise<PluginInstances[K]>;
  /** Binds the study's store as the `store` service (done once it is created). */
  provideStore(store: PluginInstances['store']): void;
  /**
   * Makes the `stopping` service (the run's Ctrl-C signals, for plugins that wait) follow a run's stop
   * signals, until the returned function is called (when the study ends).
   */
  followStops(signals: { readonly signal?: AbortSignal; readonly forceSignal?: AbortSignal }): () => void;
  /**
   * Closes the contributed services that were made (their providers' `close`), last made first; one that
   * throws is said through `warn` (default: the logger). Plugins and the store are closed by their owners.
   */
  close(warn?: (message: string) => void): Promise<void>;
}

/** What a study scope needs to know of its study. */
export interface StudyScopeOptions {
  readonly study: string;
  readonly seed: number;
  readonly baseDir: string;
  readonly logger?: Logger;
  /** The time stamped on events and trials (default: the real time). */
  readonly clock?: Clock;
  /** The study's space, given to plugin factories (an objective checks its templates against it). */
  readonly space?: CompiledSpace;
}

/**
 * A child container per study: the clock, the logger, the RNG factory (derived from the study seed), the
 * event bus (created on first use) and every contributed service, each once per study. Plugins of the
 * study are created with these services in their context.
 */
const createStudyScope = (root: Container, options: StudyScopeOptions): StudyScope => {
  const child = new Container({ parent: root });
  const services = lookupServices(
    (id) => child.isBound(id),
    (id) => child.get(id),
    'is bound in this study',
    // Trial 70: "No service `parzen.service.store` is bound in this study" said neither why nor what to do.
    (id) =>
      id === SERVICES.store.id
        ? "No store is open yet: `parzen validate` and `parzen run` first create the config's suggester, pruner, stopper and objective to check them, before any study is open, and those get no store. Read the store later (when a trial begins or is evaluated: beginTrial, evaluate, shouldPrune, shouldStop), or ask `services.has(SERVICES.store)` first."
        : undefined,
  );
  for (const [id, service] of coreServices(options.seed, options.logger, options.clock))
    child.bind(id).toConstantValue(service);
  const stop = new AbortController();
  const force = new AbortController();
  child.bind(SERVICES.stopping.id).toConstantValue({ stop: stop.signal, force: force.signal });
  child
    .bind(SERVICES.bus.id)
    .toDynamicValue(() => createEventBus())
    .inSingletonScope();
  const providers = root.isBound(SERVICE_PROVIDER) ? root.getAll<ServiceProvider>(SERVICE_PROVIDER) : [];
  // The services being made, outermost first: a cycle among them is said by name (trial 70: inversify's
  // "Circular dependency found: (No dependency trace)", as the options of the plugin that asked).
  const making: symbol[] = [];
  const forServices: Services = {
    has: (token) => services.has(token),
    get: (token) => {
      const at = making.indexOf(token.id);
      if (at >= 0)
        throw new ParzenError(
          'PLUGIN_INVALID',
          `The services ${[...making.slice(at), token.id].map(serviceName).join(' → ')} need each other: a service's create() may ask only for services that do not ask for it back. This is a fault of the plugin packages that contribute them, not of the config.`,
        );
      return services.get(token);
    },
  };
  const made: [ServiceProvider, unknown][] = [];
  for (const provider of providers) {
    child
      .bind(provider.token.id)
      .toDynamicValue(() => {
        making.push(provider.token.id);
        try {
          // As a plugin other than a store gets them: a reporter must not reach the writable store or bus
          // through a service its package contributes (review 74: it created a trial the run knew nothing of).
          const service = provider.create(readerServices(forServices, { service: provider.token.id }));
          made.push([provider, service]);
          return service;
        } catch (error) {
          throw serviceFailure(error, provider.token.id);
        } finally {
          making.pop();
        }
      })
      .inSingletonScope();
  }
  const registry = root.get<PluginRegistry>(PLUGIN_REGISTRY);
  const context: PluginContext = {
    baseDir: options.baseDir,
    study: options.study,
    services,
    ...(options.space === undefined ? {} : { space: options.space }),
  };
  const plugins: PluginFactory = {
    names: (kind) => registry.names(kind),
    // Issues relative to the choice (`{ use, options }`), as its schema check gives them: a create()'s are
    // relative to the options (review 66: a plugin pruner wrapped by `patient` lost its `/options`).
    create: async (kind, choice) =>
      createPlugin(registry, context, kind, checkPluginChoice(registry, kind, choice)).catch((error: unknown) => {
        throw configErrorUnder('/options', error);
      }),
  };
  child.bind(SERVICES.plugins.id).toConstantValue(plugins);
  return {
    services,
    provideStore: (store) => {
      child.bind(SERVICES.store.id).toConstantValue(store);
    },
    followStops: ({ signal, forceSignal }) => {
      const unfollow = [follow(signal, stop), follow(forceSignal, force)];
      return () => {
        for (const stopFollowing of unfollow) stopFollowing();
      };
    },
    create: (kind, choice) => createPlugin(registry, context, kind, choice),
    close: async (warn = (message: string) => services.get(SERVICES.logger).warn(message)) => {
      // Trial 70: a service holding a timer kept a runExperiment program from exiting, with no way to release it.
      for (const [provider, service] of made.splice(0).reverse()) {
        try {
          await provider.close?.(service);
        } catch (error) {
          warn(
            `the service ${serviceName(provider.token.id)} could not be closed: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
      }
    },
  };
};

/** Opens one study's scope in the root container an {@link openStudyScopes} made. */
export type OpenStudyScope = (options: StudyScopeOptions) => StudyScope;

/**
 * Makes the root container of `packages` and returns what opens a study's scope in it. The container stays
 * inside this module: no declaration names an inversify type, so a user's compiler never reads inversify's.
 */
export const openStudyScopes = (packages: readonly PluginPackage[]): OpenStudyScope => {
  const root = createRootContainer(packages);
  return (options) => createStudyScope(root, options);
};
