import type { PluginChoice } from '../config/experiment-config.js';
import type { Rng } from '../domain/rng.js';
import type { EventBus } from '../events/event-bus.js';
import type { PluginInstances, PluginKind } from './manifest.js';
import type { TrialStore } from './store.js';

/** Names a service a plugin can ask for (or contribute); `T` is the service's type. */
export interface ServiceToken<T> {
  /** The key the service is bound to: `Symbol.for('parzen.service.<name>')`, the same in every package. */
  readonly id: symbol;
  /** Never set: carries the type. */
  readonly type?: T;
}

/** A token for a service named `name` (one name, one token, across packages). */
export const serviceToken = <T>(name: string): ServiceToken<T> => ({ id: Symbol.for(`parzen.service.${name}`) });

/** The name a token's id was made from by {@link serviceToken} (`cache` for `parzen.service.cache`), for messages. */
export const serviceNameOf = (id: symbol): string => (id.description ?? 'unnamed').replace(/^parzen\.service\./, '');

/**
 * What time it is: the times the engine stamps on its events and the memory store on its trials. A
 * caller can inject its own (the `clock` option of `loadExperiment` and `runExperiment`), a fixed one
 * in tests, say. Leases, time budgets (`maxSeconds`) and timeouts always measure real time.
 */
export interface Clock {
  /** The current time. */
  now(): Date;
}

/** The real time: the clock of every study that is given no other. */
export const systemClock: Clock = { now: () => new Date() };

/** Notes for people (stderr in the CLI); never the study's results. */
export interface Logger {
  /** A note for people. */
  info(message: string): void;
  /** Something that may surprise the user but does not stop the run. */
  warn(message: string): void;
}

/**
 * The run's stop signals, for plugins that wait (a store waiting for a lock, say): `stop` aborts at the
 * first Ctrl-C or SIGTERM (a wait with nothing to save may give up), `force` at the second (any wait may).
 * A plugin that gives up throws a `ParzenError` with code `INTERRUPTED`.
 */
export interface Stopping {
  /** Aborts at the first Ctrl-C or SIGTERM (in code, the run's `signal`): a wait with nothing to save may give up. */
  readonly stop: AbortSignal;
  /** Aborts at the second Ctrl-C or SIGTERM (in code, the run's `forceSignal`): any wait may give up. */
  readonly force: AbortSignal;
}

/** The signal a wait gives up on: the first stop, or only the second (`force`) for a write that `saves` a result. */
export const stopSignal = (stopping: Stopping | undefined, saves: boolean): AbortSignal | undefined =>
  saves ? stopping?.force : stopping?.stop;

/** A seeded random stream for `purpose`, derived from the study seed: the same seed gives the same stream. */
export type RngFactory = (purpose: string) => Rng;

/**
 * Makes other plugins of the study's registry, for a plugin that wraps one (the `patient` pruner wraps
 * any pruner a config names): the choice's options are checked against the plugin's schema and get its
 * defaults, as a config's own choices do. A `CONFIG_INVALID` error's issues point into the choice
 * (`/use`, `/options/...`).
 */
export interface PluginFactory {
  /** The names of the plugins of `kind` the study's registry holds. */
  names(kind: PluginKind): readonly string[];
  /** Creates the plugin `choice` names, with the study's context. */
  create<K extends PluginKind>(kind: K, choice: PluginChoice): Promise<PluginInstances[K]>;
}

/**
 * The services every study offers its plugins. The store is there once it has been created (store
 * plugins are created first); the bus is the study's event bus (asking for it loads rxjs).
 */
export const SERVICES = {
  /** The study's {@link Clock}: the system clock unless the caller injected one. */
  clock: serviceToken<Clock>('clock'),
  /** The study's {@link Logger} (stderr in the CLI). */
  logger: serviceToken<Logger>('logger'),
  /** Seeded random streams by purpose, derived from the study seed. */
  rng: serviceToken<RngFactory>('rng'),
  /** The study's event bus, which reporters listen to (asking for it loads rxjs). */
  bus: serviceToken<EventBus>('bus'),
  /** The run's stop signals, for a plugin that waits. */
  stopping: serviceToken<Stopping>('stopping'),
  /** The study's store, once created: not bound while the store itself is made, nor before any study is open. */
  store: serviceToken<TrialStore>('store'),
  /** Makes other plugins of the study's registry, for a plugin that wraps one. */
  plugins: serviceToken<PluginFactory>('plugins'),
} as const;

/** How a plugin factory gets services: from the study's own container. */
export interface Services {
  /** The service bound to `token`; throws when none is. */
  get<T>(token: ServiceToken<T>): T;
  /** Whether a service is bound (the store, say, while the store itself is being created). */
  has(token: ServiceToken<unknown>): boolean;
}

/**
 * A service a plugin package contributes to every study (exported as `services`): created once per
 * study, on first use, from the study's other services.
 */
export interface ServiceProvider<T = unknown> {
  /** The token the service is bound to. */
  readonly token: ServiceToken<T>;
  /** Makes the service from the study's other services. */
  create(services: Services): T;
  /**
   * Releases what the service holds (a timer, a connection, a worker), once, when the study's scope ends:
   * after a run, and after the options check `parzen validate` and `parzen run` make first. Called only
   * for a service that was made; one that throws is said as a warning.
   */
  close?(service: T): void | Promise<void>;
}

/** Types a {@link ServiceProvider}. */
export const defineService = <T>(provider: ServiceProvider<T>): ServiceProvider<T> => provider;
