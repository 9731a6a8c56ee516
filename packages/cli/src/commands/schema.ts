import { resolve } from 'node:path';
import { loadExperiment } from '@parzen/engine';
import { composeConfigSchema, segments } from '@parzen/engine/host';
import { escapePointer } from '@parzen/engine/plugin';
import type { Output } from '../output.js';
import { cliLoadOptions, enableTypeScriptPlugins } from '../prepare-runs.js';
import { configFolder, readConfigFile } from '../read-config-file.js';

/** The `matrix` key the CLI adds to configs (it is expanded before the engine sees a config). */
export const matrixSchema = {
  type: 'object',
  description:
    'Batch: run one variant per combination of these values (cartesian product). Keys are config keys or slash paths (budget/maxTrials); runs that differ only in seed form one row of the comparison.',
  minProperties: 1,
  // A config's own keys: the CLI leaves top-level `x-` keys out, but not in a matrix (review 51).
  propertyNames: { not: { pattern: '^x-' } },
  additionalProperties: { type: 'array', minItems: 1 },
};

/** What the CLI fills in for a slot a config leaves out, said after the slot's own description. */
const CLI_DEFAULTS: Readonly<Record<string, string>> = {
  suggester: 'Default: `tpe`.',
  store: 'Default: `jsonl`, a journal `<name>.parzen.jsonl` beside the config.',
  reporters: 'Default: the CLI’s `progress` reporter.',
};

/** Top-level `x-...` keys, which the CLI leaves out of a config (YAML anchors, notes). */
const EXTENSION_KEY = {
  description:
    'Not a config field: left out (in YAML, a key holding anchors for the rest of the file, as `x-common: &common {...}`).',
};

/**
 * `parzen schema [config]`: the composed JSON Schema of a config (base, space grammar, every built-in
 * plugin's options, and those of the plugins the given config lists) plus `matrix`, for editors.
 */
export const printSchema = async (path: string | undefined, output: Output): Promise<number> => {
  const plugins = path === undefined ? [] : ((readConfigFile(resolve(path)) as { plugins?: unknown }).plugins ?? []);
  await enableTypeScriptPlugins({ plugins });
  // The registry comes from the composition root; it needs a valid config, so give it a minimal one.
  const probe = {
    name: 'schema',
    space: { x: { type: 'uniform', low: 0, high: 1 } },
    objective: { use: 'module', options: { path: 'schema-probe' } },
    budget: { maxTrials: 1 },
    plugins,
  };
  const { registry, notes } = await loadExperiment(
    probe,
    await cliLoadOptions(path === undefined ? process.cwd() : configFolder(path)),
  );
  // A loaded plugin's broken options schema (trial 103: printed into the schema without a word).
  for (const note of notes ?? []) output.note(`parzen: note: ${path ?? 'config'}${note.pointer}: ${note.message}`);
  output.result(JSON.stringify(editorSchema(composeConfigSchema(registry)), null, 2));
  return 0;
};

/**
 * The matrix keys that supply a needed key whole: the key itself, or one of its own alternatives that makes
 * it valid (a budget rule, from the budget schema's `anyOf`; review 90: `space/x/high` does not make a space,
 * `budget/maxTrials` makes a budget).
 */
const supplies = (key: string, property: unknown): string => {
  const alternatives = ((property as { anyOf?: readonly { required?: readonly string[] }[] }).anyOf ?? []).flatMap(
    (alternative) => alternative.required ?? [],
  );
  return alternatives.length === 0 ? `^/?${key}$` : `^/?${key}(/(${alternatives.join('|')}))?$`;
};

type Node = Readonly<Record<string, unknown>>;

/** How deep into the config the matrix keys get a type (`suggester/options/gamma`, `reporters/0/options/path`: 4). */
const TYPED_DEPTH = 4;

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * The places below `node` (at `pointer` in the schema) a matrix key can name, to `depth` segments, each as a pattern
 * of its path and the pointers of the schemas of what may be there: an object's named properties (else any name,
 * where it takes any: `space/NAME`), an array's index; through `$ref` (each followed once on a path: a choice's
 * sub-space refers back to the space) and through every alternative of a `oneOf` or `anyOf` (a plugin slot's
 * plugins: `suggester/options/gamma` is what any of them takes there, the editor not knowing which plugin the config
 * or the matrix picks).
 */
const placesBelow = (
  root: Node,
  node: Node,
  pointer: string,
  depth: number,
  refs: ReadonlySet<string> = new Set(),
  /** A property left out: a kind's key, said by the keyed node's `enum` rather than by each kind's `const`. */
  omit?: string,
): Map<string, string[]> => {
  const places = new Map<string, string[]>();
  const add = (pattern: string, pointers: readonly string[]) =>
    places.set(pattern, [...(places.get(pattern) ?? []), ...pointers]);
  const merge = (found: Map<string, string[]>, prefix = '') => {
    for (const [pattern, pointers] of found) add(`${prefix}${pattern}`, pointers);
  };
  const into = (pattern: string, child: unknown, at: string) => {
    if (typeof child !== 'object' || child === null) return;
    add(pattern, [at]);
    if (depth > 1) merge(placesBelow(root, child as Node, at, depth - 1, refs), `${pattern}/`);
  };
  const ref = node.$ref;
  if (typeof ref === 'string' && ref.startsWith('#/$defs/') && !refs.has(ref)) {
    const name = ref.slice('#/$defs/'.length);
    const target = (root.$defs as Record<string, Node> | undefined)?.[name];
    if (target !== undefined) merge(placesBelow(root, target, `/$defs/${name}`, depth, new Set([...refs, ref])));
  }
  for (const kind of ['oneOf', 'anyOf'] as const)
    for (const [index, alternative] of ((node[kind] as Node[] | undefined) ?? []).entries())
      merge(placesBelow(root, alternative, `${pointer}/${kind}/${index}`, depth, refs));
  // Kinds keyed by a required field among listed names (a parameter's `type`, a plugin's `use`): what any kind takes,
  // as for a `oneOf`; the key itself is the node's `enum`, and what a kind gives (a plugin's `options`) is not also
  // the node's own looser `{ "type": "object" }`. Not an `if`/`then` that fills defaults by an optional field (tpe's
  // `profile`), nor one of a field that also takes other names (patient's wrapped `pruner`: a plugin's too).
  const kinds = new Set<string>();
  for (const [index, alternative] of ((node.allOf as Node[] | undefined) ?? []).entries()) {
    const [key] = Object.keys(((alternative.if as Node | undefined)?.properties as Node | undefined) ?? {});
    const then = alternative.then as Node | undefined;
    const keyed =
      key !== undefined &&
      ((node.required as string[] | undefined) ?? []).includes(key) &&
      Array.isArray(((node.properties as Record<string, Node> | undefined)?.[key] as Node | undefined)?.enum);
    if (!keyed || then === undefined) continue;
    merge(placesBelow(root, then, `${pointer}/allOf/${index}/then`, depth, refs, key));
    for (const name of Object.keys((then.properties as Node | undefined) ?? {})) if (name !== key) kinds.add(name);
  }
  const named = Object.entries((node.properties as Record<string, unknown> | undefined) ?? {});
  for (const [name, child] of named)
    if (name !== omit && !kinds.has(name))
      into(escapeRegExp(escapePointer(name)), child, `${pointer}/properties/${escapePointer(name)}`);
  // Any name only where no name is listed (a listed one would be checked against both).
  if (named.length === 0 && typeof node.additionalProperties === 'object')
    into('[^/]+', node.additionalProperties, `${pointer}/additionalProperties`);
  if (typeof node.items === 'object' && !Array.isArray(node.items))
    into('(0|[1-9][0-9]*)', node.items, `${pointer}/items`);
  return places;
};

/** The schema at a JSON pointer of `root` (`/properties/seed`). */
const schemaAt = (root: Node, pointer: string): unknown =>
  segments(pointer).reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], root);

/** The schema of what may be at one of `pointers` (each distinct schema once): a `$ref`, or `{ anyOf }` of them. */
const refsTo = (root: Node, pointers: readonly string[]): Node => {
  const distinct = new Map<string, string>();
  for (const pointer of pointers) {
    // Told apart by what they accept: a bound's description (randint's high, excluded) makes no other value.
    const key = JSON.stringify(schemaAt(root, pointer), (name, value) => (name === 'description' ? undefined : value));
    if (!distinct.has(key)) distinct.set(key, pointer);
  }
  const refs = [...distinct.values()].map((pointer) => ({ $ref: `#${pointer}` }));
  return refs.length === 1 ? (refs[0] as Node) : { anyOf: refs };
};

/**
 * By the pattern of a matrix key, the schema of its list of values: each value is what the config takes at the
 * key's place, referred to where the schema has it (trial 136: any array passed, so an editor checked nothing
 * inside). A key whose place the schema does not reach (deeper than {@link TYPED_DEPTH}, or an option no loaded
 * plugin has) keeps the untyped list.
 */
const typedMatrixKeys = (schema: Node, settable: readonly string[]): Record<string, Node> => {
  const typed: Record<string, Node> = {};
  for (const key of settable) {
    const at = `/properties/${escapePointer(key)}`;
    const pattern = escapeRegExp(escapePointer(key));
    const places = new Map([[pattern, [at]]]);
    const property = (schema.properties as Record<string, Node>)[key] as Node;
    for (const [below, pointers] of placesBelow(schema, property, at, TYPED_DEPTH - 1))
      places.set(`${pattern}/${below}`, pointers);
    for (const [path, pointers] of places)
      typed[`^/?${path}$`] = { type: 'array', minItems: 1, items: refsTo(schema, pointers) };
  }
  return typed;
};

/** Keywords whose value is data, not a schema: left as they are. */
const DATA_KEYWORDS = new Set(['const', 'enum', 'default', 'examples']);

/**
 * `schema` with each alternative that only requires fields (`anyOf: [{ required: ["lower"] }, ...]`: at least one
 * of them) naming them in `properties` too, as ajv's strict mode asks (strictRequired); it checks the same.
 */
const namedRequired = (schema: unknown): unknown => {
  if (Array.isArray(schema)) return schema.map(namedRequired);
  if (typeof schema !== 'object' || schema === null) return schema;
  const copy = Object.fromEntries(
    Object.entries(schema).map(([key, value]) => [key, DATA_KEYWORDS.has(key) ? value : namedRequired(value)]),
  );
  for (const kind of ['anyOf', 'oneOf'] as const) {
    const alternatives = copy[kind];
    if (!Array.isArray(alternatives)) continue;
    copy[kind] = alternatives.map((alternative: Node) =>
      Object.keys(alternative).length === 1 && Array.isArray(alternative.required)
        ? { ...alternative, properties: Object.fromEntries(alternative.required.map((name: string) => [name, true])) }
        : alternative,
    );
  }
  return copy;
};

/**
 * The config schema as an editor checks a file: with `matrix`, whose keys name config keys (a slash path
 * below one, `budget/maxTrials`), whose values are lists of what the config takes there (a `seed` list of
 * integers, a `suggester` list of plugin choices), and whose values may supply the keys a config otherwise needs
 * (so a matrix setting `budget/maxTrials` is not marked wrong in the editor, and `"sugester"` is).
 */
export const editorSchema = (composed: Readonly<Record<string, unknown>>): Record<string, unknown> => {
  const named = namedRequired(composed) as Node;
  const properties = named.properties as Record<string, Node>;
  const base: Record<string, unknown> = { ...properties };
  for (const [key, text] of Object.entries(CLI_DEFAULTS))
    if (properties[key] !== undefined) {
      const description = properties[key].description;
      base[key] = {
        ...properties[key],
        description: typeof description === 'string' ? `${description} ${text}` : text,
      };
    }
  const schema: Node = { ...named, properties: base };
  const settable = Object.keys(base).filter((key) => !['name', '$schema', 'plugins'].includes(key));
  const required = (schema.required as readonly string[] | undefined) ?? [];
  const matrix = {
    ...matrixSchema,
    propertyNames: {
      ...matrixSchema.propertyNames,
      pattern: `^/?(${settable.map((key) => key.replace(/[$]/g, '\\$&')).join('|')})(/.*)?$`,
    },
    patternProperties: typedMatrixKeys(schema, settable),
  };
  return {
    ...schema,
    properties: { ...base, matrix },
    patternProperties: { '^x-': EXTENSION_KEY },
    required: required.filter((key) => !settable.includes(key)),
    // Each key the config needs, unless a matrix key supplies it whole (review 89: with any matrix, none was
    // needed, so `{ "name", "matrix": { "seed": [...] } }` passed).
    allOf: [
      ...((schema.allOf as readonly unknown[] | undefined) ?? []),
      ...required
        .filter((key) => settable.includes(key))
        .map((key) => ({
          if: {
            required: ['matrix'],
            properties: {
              // `type` twice, for ajv's strict mode: a matrix that is no object supplies nothing, as before.
              matrix: {
                type: 'object',
                not: { type: 'object', propertyNames: { not: { pattern: supplies(key, base[key]) } } },
              },
            },
          },
          // `properties` names the key for ajv's strict mode (strictRequired).
          else: { required: [key], properties: { [key]: true } },
        })),
    ],
  };
};
