import type { CompiledSpace } from '../domain/compile-space.js';
import type { ConfigIssue } from '../errors.js';
import type { MaybePromise } from './maybe-promise.js';
import type { ObjectiveAdapter } from './objective.js';
import type { Pruner } from './pruner.js';
import type { Reporter } from './reporter.js';
import type { ServiceProvider, Services } from './services.js';
import type { Stopper } from './stopper.js';
import type { TrialStore } from './store.js';
import type { Suggester } from './suggester.js';

/** The instance each plugin kind creates. */
export interface PluginInstances {
  /** A suggester plugin makes the search algorithm that decides each trial's params. */
  suggester: Suggester;
  /** A store plugin makes the store where the study's trials live. */
  store: TrialStore;
  /** An objective plugin makes the adapter that evaluates params and reads their loss. */
  objective: ObjectiveAdapter;
  /** A reporter plugin makes a listener to the run's events. */
  reporter: Reporter;
  /** A pruner plugin makes the rule that stops unpromising trials from their intermediate values. */
  pruner: Pruner;
  /** A stopper plugin makes the rule that ends the study early. */
  stopper: Stopper;
}

/** The kinds of plugin: suggester, store, objective, reporter, pruner, stopper. */
export type PluginKind = keyof PluginInstances;
/** Every plugin kind, in the order a study creates them. */
export const PLUGIN_KINDS: readonly PluginKind[] = ['suggester', 'store', 'objective', 'reporter', 'pruner', 'stopper'];

/** What a plugin's factory gets besides its options. */
export interface PluginContext {
  /** Folder that relative paths in options resolve against (the config file's folder). */
  readonly baseDir: string;
  /** The study's name. */
  readonly study: string;
  /** The study's services (clock, logger, RNG factory, bus, store, and those plugin packages contribute). */
  readonly services: Services;
  /** The study's search space, when known: an objective can check its options against it up front. */
  readonly space?: CompiledSpace;
  /**
   * Inspection only (`parzen trials`, `parzen best`): a store opens what exists for reading, never
   * creates, locks or writes anything, and fails with `STUDY_NOT_FOUND` when there is nothing to read.
   */
  readonly readOnly?: boolean;
}

/**
 * One plugin: its kind, the name a config's `use` picks it by, the JSON Schema of its options (with
 * defaults, which the engine fills in before calling `create`) and its factory.
 */
export interface PluginManifest<K extends PluginKind = PluginKind, O = unknown> {
  /** The slot the plugin fills (the `define*` helpers set it). */
  readonly kind: K;
  /**
   * What a config's `use` names it by: letters, digits, `.`, `_` and `-`; unique among the plugins of its kind
   * that a study loads.
   */
  readonly name: string;
  /** One sentence on what it does, shown by editors on the `use` value of the config schema; absent: none shown. */
  readonly description?: string;
  /**
   * The JSON Schema of its options (a config's `options`), with their defaults; the engine checks a config's
   * options against it and fills in the defaults before `create`.
   */
  readonly optionsSchema: Readonly<Record<string, unknown>>;
  /** Makes the instance from the validated options (defaults filled in) and the study context. */
  create(options: O, context: PluginContext): MaybePromise<PluginInstances[K]>;
  /**
   * Store and reporter plugins only: checks what the options schema cannot (a URL's scheme, an option
   * allowed only when reading, a reporter's output folder), with no effect at all: no file opened, no
   * connection, nothing written. Each issue points into the options (`/url`), and the engine puts it under
   * the slot's place in the config (`/store/options/url`, `/reporters/0/options/path`). The engine calls it
   * before `create` (which may then take the options as checked), and `parzen validate` calls it instead of
   * `create`, so a config's store and reporter mistakes are found without opening anything.
   */
  readonly check?: K extends 'store' | 'reporter'
    ? (options: O, context: PluginCheckContext) => readonly ConfigIssue[]
    : never;
  /**
   * Said, not refused: options the config wrote that the schema accepts but that do nothing in the setting
   * the other options make (TPE's `bandwidthFloor` with the hyperopt kernel, whose widths have no floor).
   * Given the options with defaults filled in and the options as the config wrote them (only those can be
   * told apart from a default); returns a note per such option, its pointer below the options
   * (`/bandwidthFloor`). The engine warns of each once when a run starts, and `parzen validate` lists them.
   * The third argument has the config's compiled space, for notes that depend on it (a command template's).
   * A `notes` that throws is the plugin's fault (`PLUGIN_INVALID`).
   */
  readonly notes?: (
    options: O,
    written: Readonly<Record<string, unknown>>,
    context: NotesContext,
  ) => readonly ConfigNote[];
}

/** What a plugin's {@link PluginManifest.notes} knows of the config besides its options. */
export interface NotesContext {
  /** The config's space, compiled (absent when the config's space is invalid). */
  readonly space?: CompiledSpace;
}

/** An option that does nothing where it is (see {@link PluginManifest.notes}): where, and why. */
export interface ConfigNote {
  /** JSON pointer; below the plugin's options in what `notes` returns, into the config once the engine has it. */
  readonly pointer: string;
  /** What the option does not do, and why (`does nothing with kernel "hyperopt": ...`). */
  readonly message: string;
}

/** What a plugin's {@link PluginManifest.check} knows of the study: where paths resolve, its name, whether it only reads. */
export type PluginCheckContext = Pick<PluginContext, 'baseDir' | 'study' | 'readOnly'>;
/**
 * The context of a store's {@link PluginManifest.check}.
 * @deprecated Reporters have a `check` too: use {@link PluginCheckContext}, the same type.
 */
export type StoreCheckContext = PluginCheckContext;

/**
 * A manifest of any kind, whatever its option type (what registries and `manifests` arrays hold). Its option type
 * is `never`: a manifest's functions take their options (`create`, `check`, `notes`), so a manifest of any
 * option type is one whose functions take at least `never`. Code that holds one can read it, not call it with
 * options of its own: the engine calls it with options its `optionsSchema` accepted.
 */
export type AnyPluginManifest = { [K in PluginKind]: PluginManifest<K, never> }[PluginKind];

/**
 * A manifest as the engine calls it: with options its `optionsSchema` accepted (defaults filled in). The one
 * place a manifest's option type is taken on trust, since a JSON Schema and a TypeScript type cannot be checked
 * against each other; {@link AnyPluginManifest} itself takes no options.
 */
export const withSchemaCheckedOptions = <K extends PluginKind>(manifest: PluginManifest<K, never>): PluginManifest<K> =>
  manifest as PluginManifest<K>;

/** What the `define*` helpers take: a manifest without its `kind`. */
export type ManifestInput<K extends PluginKind, O> = Omit<PluginManifest<K, O>, 'kind'>;

/** Declares a suggester plugin (adds `kind` and checks the types). */
export const defineSuggester = <O>(manifest: ManifestInput<'suggester', O>): PluginManifest<'suggester', O> => ({
  kind: 'suggester',
  ...manifest,
});
/** Declares a store plugin. */
export const defineStore = <O>(manifest: ManifestInput<'store', O>): PluginManifest<'store', O> => ({
  kind: 'store',
  ...manifest,
});
/** Declares an objective plugin. */
export const defineObjective = <O>(manifest: ManifestInput<'objective', O>): PluginManifest<'objective', O> => ({
  kind: 'objective',
  ...manifest,
});
/** Declares a reporter plugin. */
export const defineReporter = <O>(manifest: ManifestInput<'reporter', O>): PluginManifest<'reporter', O> => ({
  kind: 'reporter',
  ...manifest,
});

/** Declares a pruner plugin. */
export const definePruner = <O>(manifest: ManifestInput<'pruner', O>): PluginManifest<'pruner', O> => ({
  kind: 'pruner',
  ...manifest,
});
/** Declares a stopper plugin. */
export const defineStopper = <O>(manifest: ManifestInput<'stopper', O>): PluginManifest<'stopper', O> => ({
  kind: 'stopper',
  ...manifest,
});

/**
 * What a plugin package (built-in or third-party, listed in a config's `plugins`) exports: its
 * manifests, and optionally services it contributes to every study.
 */
export interface PluginPackage {
  /** The package's plugins, of any kinds. */
  readonly manifests: readonly AnyPluginManifest[];
  /** Services it contributes to every study, each made once per study on first use; absent: none. */
  readonly services?: readonly ServiceProvider[];
}
