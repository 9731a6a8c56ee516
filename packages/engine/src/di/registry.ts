import { type AnyPluginManifest, PLUGIN_KINDS, type PluginKind } from '../contracts/manifest.js';
import { describeValue, ParzenError } from '../errors.js';

/** The loaded plugins, by kind and name. */
export interface PluginRegistry {
  /** The manifest of that kind and name, if loaded. */
  get(kind: PluginKind, name: string): AnyPluginManifest | undefined;
  /** The names of the loaded plugins of a kind. */
  names(kind: PluginKind): readonly string[];
  /** Every loaded manifest. */
  all(): readonly AnyPluginManifest[];
}

/**
 * Checks that a value is a usable manifest; returns the problem, or undefined. Third-party modules are
 * checked with it before anything of theirs runs.
 */
export const manifestProblem = (value: unknown): string | undefined => {
  if (typeof value !== 'object' || value === null) return `expected a manifest object, found ${describeValue(value)}`;
  const manifest = value as Record<string, unknown>;
  if (!PLUGIN_KINDS.includes(manifest.kind as PluginKind)) {
    return `"kind" must be one of ${PLUGIN_KINDS.join(', ')}, found ${describeValue(manifest.kind)}`;
  }
  if (typeof manifest.name !== 'string' || !/^[a-z0-9][a-z0-9._-]*$/i.test(manifest.name)) {
    return `"name" must be a non-empty name of ASCII letters (A–Z, a–z), digits, '.', '_' or '-', found ${describeValue(manifest.name)}`;
  }
  if (typeof manifest.optionsSchema !== 'object' || manifest.optionsSchema === null) {
    return `plugin \`${manifest.name}\`: "optionsSchema" must be a JSON Schema object, found ${describeValue(manifest.optionsSchema)}`;
  }
  if (typeof manifest.create !== 'function') return `plugin \`${manifest.name}\`: "create" must be a function`;
  // Only stores and reporters are checked apart from create (trial 70: a pruner's check was never called).
  if (manifest.check !== undefined && manifest.kind !== 'store' && manifest.kind !== 'reporter')
    return `${manifest.kind} plugin \`${manifest.name}\`: "check" is for store and reporter plugins; a ${manifest.kind} refuses its options in create() (throw a CONFIG_INVALID error with issues)`;
  if (manifest.check !== undefined && typeof manifest.check !== 'function')
    return `plugin \`${manifest.name}\`: "check" must be a function, found ${describeValue(manifest.check)}`;
  return undefined;
};

/** Builds the registry; an invalid manifest or two plugins of one kind with one name is an error. */
export const createRegistry = (manifests: readonly unknown[]): PluginRegistry => {
  const byKey = new Map<string, AnyPluginManifest>();
  for (const value of manifests) {
    const problem = manifestProblem(value);
    if (problem !== undefined) throw new ParzenError('PLUGIN_INVALID', `Invalid plugin manifest: ${problem}.`);
    const manifest = value as AnyPluginManifest;
    const key = `${manifest.kind}:${manifest.name}`;
    if (byKey.has(key)) {
      throw new ParzenError(
        'PLUGIN_DUPLICATE',
        `Two ${manifest.kind} plugins are named \`${manifest.name}\`; a config could not tell them apart.`,
        {
          plugin: manifest.name,
        },
      );
    }
    byKey.set(key, manifest);
  }
  const all = [...byKey.values()];
  return {
    get: (kind, name) => byKey.get(`${kind}:${name}`),
    names: (kind) => all.filter((manifest) => manifest.kind === kind).map((manifest) => manifest.name),
    all: () => all,
  };
};
