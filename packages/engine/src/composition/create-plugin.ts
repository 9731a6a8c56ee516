import type { PluginChoice } from '../config/experiment-config.js';
import type {
  PluginCheckContext,
  PluginContext,
  PluginInstances,
  PluginKind,
  PluginManifest,
} from '../contracts/manifest.js';
import { withSchemaCheckedOptions } from '../contracts/manifest.js';
import { REQUIRED_METHODS } from '../contracts/required-methods.js';
import {
  type Clock,
  type Logger,
  type PluginFactory,
  SERVICES,
  type Services,
  type ServiceToken,
  serviceNameOf,
  systemClock,
} from '../contracts/services.js';
import type { TrialStore } from '../contracts/store.js';
import type { PluginRegistry } from '../di/registry.js';
import { deriveRng } from '../domain/rng.js';
import { type ConfigIssue, describeValue, invalidConfig, isThenable, ParzenError, refusedPromise } from '../errors.js';
import type { EventBus } from '../events/event-bus.js';
import { warnOnStderr } from '../runtime/warn-on-stderr.js';

/** The engine's logger: notes on stderr. */
export const stderrLogger: Logger = {
  info: (message) => process.stderr.write(`${message}\n`),
  warn: warnOnStderr,
};

/**
 * Services found by `has` and `get` (a map, a container); asking for one that is not bound is a
 * `PLUGIN_INVALID` error naming it, `No service \`name\` <where>.`
 */
export const lookupServices = (
  has: (id: symbol) => boolean,
  get: (id: symbol) => unknown,
  where: string,
  /** What to say instead of `No service ...` for a token, when the caller knows why it is missing. */
  missing?: (id: symbol) => string | undefined,
): Services => ({
  get: <T>(token: ServiceToken<T>): T => {
    if (!has(token.id))
      throw new ParzenError(
        'PLUGIN_INVALID',
        missing?.(token.id) ?? `No service \`${token.id.description ?? 'unknown'}\` ${where}.`,
      );
    return get(token.id) as T;
  },
  has: (token) => has(token.id),
});

/** Services bound in a map (by token id), as {@link lookupServices}. */
export const mapServices = (bound: ReadonlyMap<symbol, unknown>, where: string): Services =>
  lookupServices(
    (id) => bound.has(id),
    (id) => bound.get(id),
    where,
  );

/**
 * Creates the plugin a config slot picked, with the study's context. A factory's own `ParzenError` is
 * thrown as it is (a store's `STORE_CORRUPT`, a `STUDY_NOT_FOUND`, an `INTERRUPTED` wait), except that
 * a `PLUGIN_INVALID` one (a service nobody provides) gets the plugin's name, unless it names this plugin itself; anything else a factory
 * throws is a `PLUGIN_INVALID` error naming the plugin.
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
  if (kind === 'store' || kind === 'reporter') {
    const issues = checkedOptionIssues(
      manifest as PluginManifest<'store', never> | PluginManifest<'reporter', never>,
      choice,
      context,
    );
    if (issues.length > 0) throw invalidConfig(`options for the \`${choice.use}\` ${kind}`, issues);
  }
  let instance: unknown;
  try {
    instance = await withSchemaCheckedOptions(manifest).create(choice.options ?? {}, guardedContext(kind, context));
  } catch (error) {
    if (error instanceof ParzenError && error.code !== 'PLUGIN_INVALID') throw error;
    // A PLUGIN_INVALID naming this very plugin is in its own words (a module objective whose user module did not
    // load says so), not a fault of the plugin to be said as one.
    if (error instanceof ParzenError && error.plugin === choice.use) throw error;
    const message = error instanceof Error ? error.message : `its factory threw ${describeValue(error)}`;
    throw new ParzenError('PLUGIN_INVALID', `The ${kind} plugin \`${choice.use}\` could not start: ${message}`, {
      plugin: choice.use,
      cause: error,
    });
  }
  const missing = missingMethods(kind, instance);
  if (missing.length > 0)
    throw new ParzenError(
      'PLUGIN_INVALID',
      `The ${kind} plugin \`${choice.use}\` could not start: its create() returned ${describeInstance(instance)}; ` +
        `expected a ${kind} (an object with the method${missing.length === 1 ? '' : 's'} ${missing.map((method) => `\`${method}\``).join(', ')}` +
        `${missing.length < REQUIRED_METHODS[kind].length ? ', which it lacks' : ''}). ` +
        'This is a fault of the plugin, not of the config.',
      { plugin: choice.use },
    );
  // Messages name a store, pruner, stopper or reporter by its `name` (trial 48: "The `undefined` store cannot
  // enqueue params"; trial 103: "Pruner `undefined` failed"; trial 127: "reporter `unnamed` threw").
  const ownName = (instance as { readonly name?: unknown }).name;
  if (
    (kind === 'store' || kind === 'pruner' || kind === 'stopper' || kind === 'reporter') &&
    (typeof ownName !== 'string' || ownName.trim() === '')
  )
    throw new ParzenError(
      'PLUGIN_INVALID',
      `The ${kind} plugin \`${choice.use}\` could not start: its create() returned a ${kind} ${ownName === undefined ? 'without a `name`' : `whose \`name\` is ${describeValue(ownName)}`}; ` +
        `expected a string naming the ${kind} (messages${kind === 'store' ? ' and `parzen trials`' : ''} name it; the plugin's own name, "${choice.use}", is usual). ` +
        'This is a fault of the plugin, not of the config.',
      { plugin: choice.use },
    );
  // The study records a suggester by its instance's name and seeds its random streams from it: a name other
  // than the one the config uses would be a second name nobody wrote (trial 33: two plugins whose suggesters
  // were both `shared-impl` swapped without a warning, on one stream). Objectives and pruners name what they
  // run (`patient(median)`), which the study does not record.
  const named = (instance as { readonly name?: unknown }).name;
  if (kind === 'suggester' && named !== choice.use)
    throw new ParzenError(
      'PLUGIN_INVALID',
      `The suggester plugin \`${choice.use}\` could not start: its create() returned a suggester named ${describeValue(named)}; ` +
        `expected the plugin's own name, "${choice.use}" (the study records it and its random streams derive from it). ` +
        'This is a fault of the plugin, not of the config.',
      { plugin: choice.use },
    );
  if (kind === 'store') return guardedStore(instance as TrialStore, choice.use) as PluginInstances[K];
  return instance as PluginInstances[K];
};

/** Codes a store may throw that the run loop acts on: passed through as they are, with any error class. */
const STORE_CODES = new Set([
  'TRIAL_ALREADY_FINISHED',
  'TRIAL_NOT_FOUND',
  'STUDY_NOT_FOUND',
  'STUDY_MISMATCH',
  'IMPORT_REPEATED',
  'INTERRUPTED',
]);

/**
 * The store with what its methods throw made a `STORE_FAILED` error naming the store plugin and the method,
 * unless it is a ParzenError or carries a code the run loop acts on: a third-party store's plain `Error`
 * printed a raw stack with no plugin named (trial 60), where every other plugin kind's failure is one line
 * (`PARZEN_DEBUG=1` still shows the cause).
 */
const guardedStore = (store: TrialStore, plugin: string): TrialStore => {
  const failed = (method: string, error: unknown): unknown => {
    // `close` has its own warning, which names the store (a failed close never replaces a run's result).
    if (error instanceof ParzenError || method === 'close') return error;
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code === 'string' && STORE_CODES.has(code)) return error;
    const message = error instanceof Error ? error.message : `it threw ${describeValue(error)}`;
    return new ParzenError('STORE_FAILED', `The \`${plugin}\` store failed (${method}): ${message}`, {
      plugin,
      cause: error,
    });
  };
  // By the function itself, not its name: a store that replaces a method on itself gets the new one (review 61).
  const wrapped = new WeakMap<object, unknown>();
  return new Proxy(store, {
    get: (target, key) => {
      const value: unknown = Reflect.get(target, key);
      if (typeof value !== 'function') return value;
      const known = wrapped.get(value);
      if (known !== undefined) return known;
      const method = String(key);
      const call = (...args: unknown[]): unknown => {
        let result: unknown;
        try {
          result = (value as (...a: unknown[]) => unknown).apply(target, args);
        } catch (error) {
          throw failed(method, error);
        }
        // Any thenable, not only a native promise (review 61: a rejected thenable printed a raw stack).
        return isThenable(result)
          ? Promise.resolve(result).catch((error: unknown) => {
              throw failed(method, error);
            })
          : result;
      };
      wrapped.set(value, call);
      return call;
    },
  });
};

/**
 * What a store or reporter plugin's `check` finds wrong with the options a config gives it (none when it
 * has no `check`), below its options (`/url`), with no effect: `parzen validate` asks this instead of
 * opening the store or starting the reporter. A `check` that throws is the plugin's fault
 * (`PLUGIN_INVALID`), as a `create` that throws is.
 */
export const checkedOptionIssues = (
  manifest: PluginManifest<'store', never> | PluginManifest<'reporter', never>,
  choice: PluginChoice,
  context: PluginCheckContext,
): readonly ConfigIssue[] => {
  const called = withSchemaCheckedOptions(manifest);
  if (called.check === undefined) return [];
  const { baseDir, study } = context;
  let issues: unknown;
  try {
    issues = called.check(choice.options ?? {}, {
      baseDir,
      study,
      ...(context.readOnly === true ? { readOnly: true } : {}),
    });
  } catch (error) {
    // A refusal thrown as the docs allow (CONFIG_INVALID with issues) is its issues (trial 66: a plugin fault);
    // without issues, a refusal of the options as a whole, as a suggester's create() that throws one (review 70).
    if (error instanceof ParzenError && error.code === 'CONFIG_INVALID')
      return error.issues.length > 0
        ? error.issues
        : [
            {
              pointer: '',
              expected: `options the ${manifest.kind} plugin accepts`,
              found: `its check() refused them: ${error.message}`,
            },
          ];
    const message = error instanceof Error ? error.message : `it threw ${describeValue(error)}`;
    throw new ParzenError(
      'PLUGIN_INVALID',
      `The ${manifest.kind} plugin \`${choice.use}\` could not check its options: ${message}. This is a fault of the plugin, not of the config.`,
      { plugin: choice.use, cause: error },
    );
  }
  // Review 53: an async check's promise has no length, and its issues were dropped without a word.
  if (!Array.isArray(issues))
    throw new ParzenError(
      'PLUGIN_INVALID',
      `The ${manifest.kind} plugin \`${choice.use}\` could not check its options: its check() returned ${refusedPromise(issues) ? 'a promise' : describeValue(issues)}; expected an array of issues, returned at once. This is a fault of the plugin, not of the config.`,
      { plugin: choice.use },
    );
  return issues as readonly ConfigIssue[];
};

/** The store methods that only read. */
const READ_METHODS = ['getStudy', 'listStudies', 'listTrials', 'listTrialsSince', 'listEnqueued'] as const;

/**
 * Who holds a guarded service, for the messages that refuse it: a reporter, another plugin kind, or a
 * service a plugin package contributes (`services`, made from the study's services).
 */
type Holder = PluginKind | { readonly service: symbol };

/** "A pruner", "The service `cache`". */
const holderName = (holder: Holder): string =>
  typeof holder === 'string' ? `A ${holder}` : `The service \`${serviceNameOf(holder.service)}\``;

/** "a pruner", "a contributed service". */
const holderKind = (holder: Holder): string => (typeof holder === 'string' ? `a ${holder}` : 'a contributed service');

/**
 * The store as a reporter gets it: reporters listen, never steer, so it reads (`getStudy`, `listTrials`,
 * ...) and every method that writes refuses with a message that says why.
 */
const readOnlyStore = (store: TrialStore, holder: Holder = 'reporter'): TrialStore => {
  const view: Record<string, unknown> = { name: store.name };
  for (const method of READ_METHODS) {
    const read = store[method] as ((...args: unknown[]) => unknown) | undefined;
    if (read !== undefined) view[method] = (...args: unknown[]) => read.apply(store, args);
  }
  const refuse = (method: string) => () => {
    throw new ParzenError(
      'PLUGIN_INVALID',
      holder === 'reporter'
        ? `A reporter called store.${method}(): reporters listen, never steer, so the store they get only reads.`
        : `${holderName(holder)} called store.${method}(): the run alone writes the study's store, so the store ${holderKind(holder)} gets only reads.`,
    );
  };
  for (const method of [
    'openStudy',
    'createTrial',
    'setParams',
    'renewLease',
    'finishTrial',
    'reportIntermediate',
    'enqueue',
    'addTrials',
    'close',
  ])
    view[method] = refuse(method);
  return view as unknown as TrialStore;
};

/**
 * The event bus as a plugin gets it: its stream, to listen; `emit` and `complete` refuse, saying why (review
 * 74: a pruner's `complete()` ended every reporter's stream mid-run).
 */
const listenOnlyBus = (bus: EventBus, holder: Holder = 'reporter'): EventBus => {
  const refuse = (method: string) => () => {
    throw new ParzenError(
      'PLUGIN_INVALID',
      holder === 'reporter'
        ? `A reporter called bus.${method}(): reporters listen, never steer, so the bus they get only streams.`
        : `${holderName(holder)} called bus.${method}(): the run alone sends the study's events, so the bus ${holderKind(holder)} gets only streams.`,
    );
  };
  return { events$: bus.events$, emit: refuse('emit'), complete: refuse('complete') };
};

/**
 * The study's services as a plugin other than a store (a reporter, a pruner, a stopper, a suggester, an
 * objective) or a contributed service gets them: the store only reads (a pruner or stopper
 * cannot write trials the run knows nothing of), the bus only streams, and no store can be created (a reporter
 * creates only reporters).
 */
export const readerServices = (services: Services, holder: Holder): Services => ({
  has: (token) => services.has(token),
  get: <T>(token: ServiceToken<T>): T => {
    const service = services.get(token);
    if (token.id === SERVICES.store.id) return readOnlyStore(service as TrialStore, holder) as T;
    if (token.id === SERVICES.bus.id) return listenOnlyBus(service as EventBus, holder) as T;
    if (token.id === SERVICES.plugins.id) {
      // Nor a store of its own on the study's file (review 63: a stopper enqueued through one).
      const plugins = service as PluginFactory;
      return {
        names: plugins.names,
        create: (made, choice) => {
          // A reporter makes only reporters; no one but the run makes a store.
          if (holder === 'reporter' && made !== 'reporter')
            throw new ParzenError(
              'PLUGIN_INVALID',
              `A reporter may create other reporters, not a ${made}: reporters listen, never steer.`,
            );
          if (made === 'store')
            throw new ParzenError(
              'PLUGIN_INVALID',
              `${holderName(holder)} may not create a store: the run alone writes the study's store, and the store ${holderKind(holder)} gets only reads.`,
            );
          return plugins.create(made, choice);
        },
      } satisfies PluginFactory as T;
    }
    return service;
  },
});

/**
 * The context a plugin of `kind` is created with: a store gets the study's services as they are, any other
 * plugin those of {@link readerServices}.
 */
export const guardedContext = (kind: PluginKind, context: PluginContext): PluginContext =>
  kind === 'store' ? context : { ...context, services: readerServices(context.services, kind) };

/** The required methods `instance` lacks (all of them when it is not an object). */
const missingMethods = (kind: PluginKind, instance: unknown): readonly string[] => {
  const methods = REQUIRED_METHODS[kind];
  if ((typeof instance !== 'object' && typeof instance !== 'function') || instance === null) return methods;
  return methods.filter((method) => typeof (instance as Record<string, unknown>)[method] !== 'function');
};

const describeInstance = (instance: unknown): string =>
  typeof instance === 'object' && instance !== null
    ? `an object with ${Object.keys(instance).length === 0 ? 'no keys' : `the keys ${Object.keys(instance).join(', ')}`}`
    : describeValue(instance);

/** The services every study has, whether it runs or is only read: the clock, the logger, the RNG factory. */
export const coreServices = (
  seed: number,
  logger: Logger = stderrLogger,
  clock: Clock = systemClock,
): Map<symbol, unknown> =>
  new Map<symbol, unknown>([
    [SERVICES.clock.id, clock],
    [SERVICES.logger.id, logger],
    [SERVICES.rng.id, (purpose: string) => deriveRng(seed, -1, `service:${purpose}`)],
  ]);

/** What a store opened for reading needs to know of its study. */
export interface ReadScopeOptions {
  readonly study: string;
  readonly seed: number;
  readonly baseDir: string;
  readonly logger?: Logger;
  readonly clock?: Clock;
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
  const services = mapServices(
    coreServices(options.seed, options.logger, options.clock),
    'is available to a store opened for reading',
  );
  const context: PluginContext = { baseDir: options.baseDir, study: options.study, services, readOnly: true };
  return createPlugin(registry, context, 'store', choice);
};
