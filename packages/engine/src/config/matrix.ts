import { createHash } from 'node:crypto';
import type { ConfigNote } from '../contracts/manifest.js';
import { canonicalJson } from '../domain/canonical-json.js';
import { type ConfigIssue, describeValue, escapePointer, formatIssues, ParzenError } from '../errors.js';
import { STUDY_NAME_PATTERN, STUDY_NAME_WORDS } from './experiment-schema.js';

/** One run of a batch: a config with the matrix expanded, its study name and the variant it belongs to. */
export interface MatrixVariant {
  /** The config for this run, without `matrix`. */
  readonly config: Record<string, unknown>;
  /** The study name: the config's `name`, plus `.key-value` per matrix entry. */
  readonly study: string;
  /** Runs that differ only in `seed` share a variant; the comparison table has a row per variant. */
  readonly variant: string;
  /** What the matrix set, by key. */
  readonly values: Readonly<Record<string, unknown>>;
  /** The position in its matrix array of each value set, by key. */
  readonly indices: Readonly<Record<string, number>>;
  /**
   * By key, where the key made a place the base config does not have, above its own (`space/z/high` with no
   * parameter `z`: `/space/z`): a mistake found there is the key's (not said at `/space/z/type`).
   */
  readonly created?: Readonly<
    Record<
      string,
      {
        /** The JSON pointer of the first place the key made (`/space/z`). */
        readonly pointer: string;
        /** The value the base config had there and the key replaced, described; absent when it had none. */
        readonly replaced?: string;
      }
    >
  >;
  /** The label of each value set in the study name (`tpe2`), by key. */
  readonly labels?: Readonly<Record<string, string>>;
  /** The study name's parts after the config's name, one per matrix key in order (`suggester-tpe`, `seed-3`). */
  readonly parts?: readonly string[];
  /**
   * The study name earlier versions gave this variant (a plugin choice with options by its `use` alone,
   * labels numbered by position when they collided), when it differs from `study`: a run that finds only
   * that study in its store says so.
   */
  readonly legacyStudy?: string;
}

/**
 * What the labels stand for, where a label does not show its value (a plugin choice with options, a label
 * with a digest): `suggester tpe-3fa2c1 = {"use":"tpe","options":{"grouping":"joint"}}`, once each.
 */
export const variantLegend = (variants: readonly MatrixVariant[]): string[] => {
  const lines = new Set<string>();
  for (const variant of variants)
    for (const [key, label] of Object.entries(variant.labels ?? {})) {
      const value = variant.values[key];
      if (label !== plainLabel(value)) lines.add(`${key} ${label} = ${JSON.stringify(value)}`);
    }
  return [...lines];
};

const invalid = (issues: readonly ConfigIssue[]): ParzenError =>
  new ParzenError('CONFIG_INVALID', `Invalid config:\n${formatIssues(issues)}`, { issues });

const RESERVED = new Set(['name', 'matrix', 'plugins', '$schema']);

/** A matrix key's path into the config (`suggester/options/gamma`, `/seed`; `~1` is `/`, `~0` is `~`). */
export const segments = (key: string): string[] =>
  key
    .replace(/^\//, '')
    .split('/')
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'));

/** Whether `part` indexes an element of `node` (an array and a whole number within it, or one past its end). */
const indexes = (node: unknown, part: string): boolean =>
  Array.isArray(node) && /^(0|[1-9][0-9]*)$/.test(part) && Number(part) <= node.length;

/**
 * Whether setting a path goes on into `node` to set `part` in it: an object, or an array indexed by `part`
 * (trial 36: `command/1` made the command an object). Anything else on the way is replaced by an object.
 */
const entered = (node: unknown, part: string): node is Record<string, unknown> | unknown[] =>
  typeof node === 'object' && node !== null && (!Array.isArray(node) || indexes(node, part));

const setPath = (target: Record<string, unknown>, path: readonly string[], value: unknown): void => {
  let node: Record<string, unknown> | unknown[] = target;
  for (const [at, part] of path.slice(0, -1).entries()) {
    const container = node as Record<string, unknown>;
    if (!entered(container[part], path[at + 1] as string)) container[part] = {};
    node = container[part] as Record<string, unknown> | unknown[];
  }
  (node as Record<string, unknown>)[path.at(-1) as string] = structuredClone(value);
};

const NAME_SAFE = /^[A-Za-z0-9._-]+$/;

/**
 * A value's label when it shows the value exactly: a number, a boolean, a name-safe string (not one that
 * reads as a number or boolean), a plugin choice that is only `{ "use": NAME }`. Undefined otherwise.
 */
const plainLabel = (value: unknown): string | undefined => {
  // A number written with an exponent sign (1e+21) is not name-safe: it gets a digest label (trial 36).
  if (typeof value === 'number' || typeof value === 'boolean')
    return NAME_SAFE.test(String(value)) ? String(value) : undefined;
  if (typeof value === 'string')
    return NAME_SAFE.test(value) && !/^(true|false|-?[0-9.][0-9.e+-]*)$/i.test(value) ? value : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  const { use, ...rest } = value as { use?: unknown };
  return typeof use === 'string' && NAME_SAFE.test(use) && Object.keys(rest).length === 0 ? use : undefined;
};

/** The readable start of a label that needs a digest: the plugin's `use` or the text, made name-safe; `v` else. */
const labelStem = (value: unknown): string => {
  const use = typeof value === 'object' && value !== null ? (value as { use?: unknown }).use : undefined;
  const text = typeof use === 'string' ? use : typeof value === 'string' ? value : 'v';
  return text.replace(/[^A-Za-z0-9._-]+/g, '_') || 'v';
};

/** Six hex digits of the value's canonical JSON: the same value gets them wherever it stands in the list. */
const digestOf = (value: unknown): string =>
  createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, 6);

/**
 * A value's label, a function of the value alone (never of its place in the list or of the other values,
 * so a list reordered, cut or grown keeps each value's study): the value itself when that shows it
 * exactly (`random`, `0.1`, `true`), else a readable stem and six hex digits of a digest of the value
 * (`tpe-c23a10` for a plugin choice with options, `._a_b.mjs-9e01f2` for a path, `v-91c2e0`).
 */
const labelOf = (value: unknown): string => plainLabel(value) ?? `${labelStem(value)}-${digestOf(value)}`;

/** The labels earlier versions gave (their `use` or text, `v1`…; all numbered by position on a collision). */
const legacyLabelsOf = (values: readonly unknown[]): string[] => {
  const labels = values.map((value, index) => {
    const use = typeof value === 'object' && value !== null ? (value as { use?: unknown }).use : undefined;
    const raw =
      typeof use === 'string'
        ? use
        : typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
          ? String(value)
          : `v${index + 1}`;
    return raw.replace(/[^A-Za-z0-9._-]+/g, '_');
  });
  return new Set(labels).size === labels.length ? labels : labels.map((label, index) => `${label}${index + 1}`);
};

const checkMatrix = (matrix: unknown): [string, unknown[]][] => {
  const issues: ConfigIssue[] = [];
  if (typeof matrix !== 'object' || matrix === null || Array.isArray(matrix)) {
    issues.push({
      pointer: '/matrix',
      expected: 'an object of config keys to arrays of values',
      found: describeValue(matrix),
    });
  } else {
    if (Object.keys(matrix).length === 0)
      issues.push({ pointer: '/matrix', expected: 'at least one key', found: '{}' });
    for (const [key, values] of Object.entries(matrix)) {
      const pointer = `/matrix/${escapePointer(key)}`;
      if (RESERVED.has(segments(key)[0] ?? '')) {
        issues.push({
          pointer,
          expected: `a config key other than ${[...RESERVED].join(', ')}`,
          found: JSON.stringify(key),
        });
      } else if (!Array.isArray(values) || values.length === 0) {
        issues.push({ pointer, expected: 'a non-empty array of values', found: describeValue(values) });
      } else {
        // A value listed twice would run the same study twice and count it twice in the comparison.
        const seen = new Map<string, number>();
        values.forEach((value, index) => {
          const key = canonicalJson(value) ?? String(value);
          const first = seen.get(key);
          if (first === undefined) seen.set(key, index);
          else
            issues.push({
              pointer: `${pointer}/${index}`,
              expected: `a value not listed before in this array (${pointer}/${first} is the same)`,
              found: describeValue(value),
            });
        });
      }
    }
  }
  if (issues.length === 0) issues.push(...overlappingKeys(Object.entries(matrix as Record<string, unknown[]>)));
  if (issues.length > 0)
    throw new ParzenError('CONFIG_INVALID', `Invalid config:\n${formatIssues(issues)}`, { issues });
  return Object.entries(matrix as Record<string, unknown[]>);
};

/**
 * What setting `path` inside `value` meets: `set` when the value has something there already, `replaced` when a
 * value on the way is not an object to go into (a plugin written as its name, `"tpe"`, a number), which the
 * set replaces; `free` when the path is open.
 */
const placeIn = (value: unknown, path: readonly string[]): 'set' | 'replaced' | 'free' => {
  let node = value;
  for (const part of path) {
    if (node === undefined) return 'free';
    if (!entered(node, part)) return 'replaced';
    node = (node as Record<string, unknown>)[part];
  }
  return node === undefined ? 'free' : 'set';
};

/**
 * Keys that set one place twice: two spellings of one path (`seed`, `/seed`), or a value of one key that sets
 * a place inside it that a deeper key sets too (`suggester: [{"use": "tpe", "options": {"gamma": 0.5}}]` with
 * `suggester/options/gamma`). The deeper key would silently override that value's setting, so variants the
 * table names apart would run the same config (trial 72: a "gamma 0.5" row that never ran). A deeper key
 * that sets what the outer values leave unset (`suggester: [{"use": "tpe"}, {"use": "anneal"}]` × `suggester/options/seed`)
 * crosses; a value written as a plugin's name (`"tpe"`) would be replaced, and is refused.
 */
const overlappingKeys = (entries: readonly [string, unknown[]][]): ConfigIssue[] => {
  const paths = entries.map(([key]) => segments(key));
  const issues: ConfigIssue[] = [];
  entries.forEach(([key], index) => {
    const path = paths[index] as string[];
    entries.forEach(([other, values], at) => {
      const prefix = paths[at] as string[];
      if (at === index || prefix.length > path.length || !prefix.every((part, depth) => part === path[depth])) return;
      const pointer = `/matrix/${escapePointer(key)}`;
      const outer = `/matrix/${escapePointer(other)}`;
      if (prefix.length === path.length) {
        if (at < index)
          issues.push({
            pointer,
            expected: `a key for a place no other key sets (${outer} is the same place)`,
            found: JSON.stringify(key),
          });
        return;
      }
      const inner = path.slice(prefix.length);
      values.forEach((value, position) => {
        const place = placeIn(value, inner);
        if (place === 'free') return;
        issues.push({
          pointer: `${outer}/${position}`,
          expected:
            place === 'set'
              ? `a value that leaves ${inner.join('/')} unset, as the matrix key ${JSON.stringify(key)} sets it in every variant (it would override this value's, and variants named apart would run the same config); list the combinations in one key instead`
              : `an object the matrix key ${JSON.stringify(key)} can set ${inner.join('/')} in (it would replace this value by an object; a plugin is then written in full, {"use": NAME})`,
          found: describeValue(value),
        });
      });
    });
  });
  return issues;
};

/** The most variants a matrix may expand to; each is validated before anything runs. */
export const MAX_VARIANTS = 1000;

const checkSize = (axes: readonly [string, unknown[]][]): void => {
  const count = axes.reduce((total, [, values]) => total * values.length, 1);
  if (count <= MAX_VARIANTS) return;
  const sizes = axes.map(([, values]) => values.length).join(' × ');
  const issues = [
    { pointer: '/matrix', expected: `at most ${MAX_VARIANTS} combinations`, found: `${sizes} = ${count} variants` },
  ];
  throw new ParzenError(
    'CONFIG_INVALID',
    `The matrix expands to ${count} variants (${sizes}); at most ${MAX_VARIANTS} are allowed.\n${formatIssues(issues)}`,
    { issues },
  );
};

const product = (axes: readonly (readonly number[])[]): number[][] =>
  axes.reduce<number[][]>((combos, axis) => combos.flatMap((combo) => axis.map((index) => [...combo, index])), [[]]);

/**
 * What is wrong with the `name` of a config with a matrix, said once at `/name` as written (trial 167: a missing
 * or wrong-typed name ran as `study.*`, and `""` was refused once per variant at a name the config never wrote).
 */
const matrixNameIssues = (name: unknown): ConfigIssue[] => {
  if (name === undefined) return [{ pointer: '/name', expected: 'a value (required)', found: 'nothing' }];
  if (typeof name !== 'string') return [{ pointer: '/name', expected: 'a string', found: describeValue(name) }];
  return new RegExp(STUDY_NAME_PATTERN).test(name)
    ? []
    : [
        {
          pointer: '/name',
          expected: STUDY_NAME_WORDS,
          found: JSON.stringify(name),
        },
      ];
};

/** The matrix's axes, once the matrix and the config's `name` are checked (every issue of both said together). */
const checkMatrixAndName = (matrix: unknown, name: unknown): [string, unknown[]][] => {
  const issues = matrixNameIssues(name);
  let axes: [string, unknown[]][];
  try {
    axes = checkMatrix(matrix);
  } catch (error) {
    if (issues.length === 0 || !(error instanceof ParzenError) || error.issues.length === 0) throw error;
    throw invalid([...issues, ...error.issues]);
  }
  if (issues.length > 0) throw invalid(issues);
  return axes;
};

/**
 * Expands a config's `matrix` into one config per combination (the cartesian product), in order. Keys
 * are top-level config keys (`suggester`, `seed`) or slash paths into the config (`budget/maxTrials`,
 * `suggester/options/gamma`); each value replaces what the config has there. A config without `matrix`
 * is one variant. A malformed matrix throws `CONFIG_INVALID` with JSON pointers.
 */
export const expandMatrix = (raw: unknown): MatrixVariant[] => {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    const found = Array.isArray(raw) ? 'an array' : describeValue(raw);
    throw invalid([
      { pointer: '', expected: 'an object (the experiment config, with name, space, objective, budget ...)', found },
    ]);
  }
  const base = raw as Record<string, unknown>;
  const name = typeof base.name === 'string' ? base.name : 'study';
  if (!('matrix' in base)) return [{ config: base, study: name, variant: name, values: {}, indices: {} }];
  const { matrix, ...rest } = base;
  const axes = checkMatrixAndName(matrix, base.name);
  checkSize(axes);
  const labels = axes.map(([, values]) => values.map(labelOf));
  const legacy = axes.map(([, values]) => legacyLabelsOf(values));
  const byDepth = axes.map((_, axis) => axis).sort((a, b) => depthOf(axes, a) - depthOf(axes, b));
  const created: Record<string, Made> = {};
  for (const [key] of axes) {
    const made = createdAbove(rest, segments(key));
    if (made !== undefined) created[key] = made;
  }
  return product(axes.map(([, values]) => values.map((_, index) => index))).map((combo) => {
    const config = structuredClone(rest);
    const values: Record<string, unknown> = {};
    const indices: Record<string, number> = {};
    const chosenLabels: Record<string, string> = {};
    const parts: string[] = [];
    const legacyParts: string[] = [];
    const group: string[] = [];
    // Shallower keys first, so that a deeper key written before the key above it still sets its place
    // (review 79: `suggester/options/gamma` written before `suggester` was replaced with it, unsaid).
    for (const axis of byDepth) {
      const [key, options] = axes[axis] as [string, unknown[]];
      setPath(config, segments(key), options[combo[axis] as number]);
    }
    combo.forEach((index, axis) => {
      const [key, options] = axes[axis] as [string, unknown[]];
      const path = segments(key);
      values[key] = options[index];
      indices[key] = index;
      const label = labels[axis]?.[index] as string;
      chosenLabels[key] = label;
      parts.push(`${path.at(-1)}-${label}`);
      legacyParts.push(`${path.at(-1)}-${legacy[axis]?.[index] as string}`);
      // Runs that differ in the seed alone are one variant's, the key written `seed` or `/seed` (review 68).
      if (segments(key).join('/') !== 'seed') group.push(`${key}=${label}`);
    });
    const study = [name, ...parts].join('.');
    const legacyStudy = [name, ...legacyParts].join('.');
    config.name = study;
    return {
      config,
      study,
      variant: [name, ...group].join(' '),
      values,
      indices,
      labels: chosenLabels,
      parts,
      ...(Object.keys(created).length === 0 ? {} : { created }),
      ...(legacyStudy === study ? {} : { legacyStudy }),
    };
  });
};

const depthOf = (axes: readonly [string, unknown[]][], axis: number): number =>
  segments((axes[axis] as [string, unknown[]])[0]).length;

/** A place a matrix key makes above its own: its pointer, and what the config had there (nothing, or a value it replaces). */
interface Made {
  readonly pointer: string;
  readonly replaced?: string;
}

/**
 * The first place on `path` above its end that the config lacks, or has as a value setting the path replaces
 * (`"suggester": "tpe"` under `suggester/options/gamma`; see `entered`): the key makes a new object there.
 * Undefined when every place above the end is there to go into.
 */
const createdAbove = (config: Record<string, unknown>, path: readonly string[]): Made | undefined => {
  let node: unknown = config;
  for (const [depth, part] of path.slice(0, -1).entries()) {
    const next = (node as Record<string, unknown>)[part];
    const pointer = `/${path
      .slice(0, depth + 1)
      .map(escapePointer)
      .join('/')}`;
    if (next === undefined) return { pointer };
    if (!entered(next, path[depth + 1] as string)) return { pointer, replaced: describeValue(next) };
    node = next;
  }
  return undefined;
};

/** The matrix keys whose values `variant` and `other` do not share. */
const differingKeys = (variant: MatrixVariant, other: MatrixVariant): string[] =>
  Object.keys(variant.indices).filter((key) => variant.indices[key] !== other.indices[key]);

/** A combination by the matrix paths of its values that are not `other`'s (`/matrix/suggester/1 × /matrix/seed/0`). */
const combination = (variant: MatrixVariant, other: MatrixVariant): string =>
  differingKeys(variant, other)
    .map((key) => `/matrix/${escapePointer(key)}/${variant.indices[key]}`)
    .join(' × ');

/**
 * Combinations of a matrix that resolve to one config (its plugins' defaults filled in, the study name aside), so
 * that two studies would run the same thing and the comparison count it twice or rank two equal rows apart: a
 * plugin written with options that are its defaults beside the plugin alone (`{"use": "tpe", "options": {}}` and
 * `{"use": "tpe"}`), say. One issue per pair of value sets, at the later one, naming both by their matrix paths
 * and the first pair of studies (a run and `validate` refuse them). `configs` are the variants' configs as loaded, in the variants' order.
 */
// Trial 136: two such variants ran and were compared as two, unsaid.
export const sameConfigVariants = (variants: readonly MatrixVariant[], configs: readonly object[]): ConfigIssue[] => {
  const first = new Map<string, number>();
  const pairs = new Map<string, { earlier: MatrixVariant; later: MatrixVariant; count: number }>();
  variants.forEach((variant, at) => {
    const { name: _name, ...rest } = configs[at] as { name?: unknown };
    const key = canonicalJson(rest) ?? '';
    const seen = first.get(key);
    if (seen === undefined) {
      first.set(key, at);
      return;
    }
    const earlier = variants[seen] as MatrixVariant;
    // The value sets that differ, whatever the keys they share (the seed of both, say).
    const which = `${combination(variant, earlier)}\u0000${combination(earlier, variant)}`;
    const pair = pairs.get(which);
    if (pair === undefined) pairs.set(which, { earlier, later: variant, count: 1 });
    else pair.count += 1;
  });
  return [...pairs.values()].map(({ earlier, later, count }) => {
    const differing = differingKeys(later, earlier);
    const [key] = differing;
    const runs =
      count === 1
        ? `studies ${earlier.study} and ${later.study} would run the same thing`
        : `${count} pairs of studies would each run the same thing (the first: ${earlier.study} and ${later.study})`;
    return {
      pointer: `/matrix/${escapePointer(key ?? '')}/${key === undefined ? '' : later.indices[key]}`,
      expected: `a combination that resolves to a config of its own: ${combination(later, earlier)} resolves to the same config as ${combination(earlier, later)} (the plugins' defaults filled in), so ${runs}, and the comparison would rank as two what is one; keep one of them`,
      found: differing
        .map((name) => `${JSON.stringify(later.values[name])} beside ${JSON.stringify(earlier.values[name])}`)
        .join(', '),
    };
  });
};

/**
 * A note for each variant whose studies differ in the seed alone while its suggester ignores the seed: the plain
 * Halton sequence (`quasi-random` with `scramble: false`) gives every seed the same params, so the studies run
 * one design several times, and the comparison would take them for independent runs and rank-test them. The note
 * goes with the variant's first study (`at`: its index in `variants`); `configs` are the variants' configs as
 * loaded, in the variants' order.
 */
// Trial 158 (C4): a seed matrix of `scramble: false` showed five identical runs as five, a p-value among them.
export const seedIgnoredNotes = (
  variants: readonly MatrixVariant[],
  configs: readonly { readonly suggester?: unknown }[],
): {
  /** The index in `variants` of the variant's first study, which the note goes with. */
  readonly at: number;
  /** The note: its pointer (`/matrix/seed`) and its words. */
  readonly note: ConfigNote;
}[] => {
  const groups = new Map<string, number[]>();
  variants.forEach((variant, at) => {
    groups.set(variant.variant, [...(groups.get(variant.variant) ?? []), at]);
  });
  return [...groups.values()].flatMap((members) => {
    const [first] = members;
    const variant = variants[first as number] as MatrixVariant;
    const seedKey = Object.keys(variant.indices).find((key) => segments(key).join('/') === 'seed');
    const suggester = configs[first as number]?.suggester as
      | { use?: unknown; options?: { scramble?: unknown } }
      | undefined;
    if (members.length < 2 || seedKey === undefined) return [];
    if (suggester?.use !== 'quasi-random' || suggester.options?.scramble !== false) return [];
    const last = variants[members.at(-1) as number] as MatrixVariant;
    return [
      {
        at: first as number,
        note: {
          pointer: `/matrix/${escapePointer(seedKey)}`,
          message:
            `the seeds change nothing in ${variant.study} to ${last.study}: quasi-random with scramble: false is the plain ` +
            `Halton sequence, the same params for every seed (only an objective's own seed, {seed} or PARZEN_SEED, ` +
            `differs), so these ${members.length} studies run one design ${members.length} times and the comparison ` +
            'would count them as independent runs; give this suggester one seed, or scramble: true for a design per seed',
        },
      },
    ];
  });
};

/** A mistake found in a place a matrix key made (see {@link MatrixVariant.created}), said as the key's, or undefined. */
const madeByKey = (variant: MatrixVariant, issue: ConfigIssue): ConfigIssue | undefined => {
  for (const [key, { pointer: made, replaced }] of Object.entries(variant.created ?? {})) {
    if (issue.pointer !== made && !issue.pointer.startsWith(`${made}/`)) continue;
    const had =
      replaced === undefined
        ? `it has nothing at ${made}, which this key makes`
        : `it has ${replaced} at ${made}, which this key replaces by an object; a plugin is then written in full, {"use": NAME}`;
    return {
      pointer: `/matrix/${escapePointer(key)}`,
      expected: `a key into a place the config has (${had}; there ${issue.pointer} expected ${issue.expected})`,
      found: JSON.stringify(key),
    };
  }
  return undefined;
};

/**
 * The matrix entry that set the place at `pointer` in a variant's config (`/suggester/options/gamma`): its key, its
 * place in the config (`/suggester/options/gamma`) and its value's pointer into the matrix
 * (`/matrix/suggester~1options~1gamma/1`, and below it the rest of `pointer`); undefined when no entry set it.
 */
const setByMatrix = (
  variant: MatrixVariant,
  pointer: string,
): { readonly key: string; readonly path: string; readonly at: string } | undefined => {
  // The deepest key first: it set the place, whatever the order they are written in.
  const keys = Object.entries(variant.indices).sort(([a], [b]) => segments(b).length - segments(a).length);
  for (const [key, index] of keys) {
    const path = `/${segments(key).map(escapePointer).join('/')}`;
    if (pointer !== path && !pointer.startsWith(`${path}/`)) continue;
    return { key, path, at: `/matrix/${escapePointer(key)}/${index}${pointer.slice(path.length)}` };
  }
  return undefined;
};

/** Where an issue at `pointer` comes from in the matrix: the entry that set it, or undefined. */
const matrixPointer = (variant: MatrixVariant, issue: ConfigIssue): string | undefined => {
  const set = setByMatrix(variant, issue.pointer);
  // A key that names no config field is the mistake itself, not its values.
  if (set !== undefined && issue.pointer === set.path && issue.found.startsWith('an unknown field'))
    return `/matrix/${escapePointer(set.key)}`;
  return set?.at;
};

/**
 * A matrix variant's config notes where the config wrote what they say: a note on a value the matrix set points
 * into the matrix (`/suggester/options/compat` → `/matrix/suggester/1/options/compat`, the variant's entry), the
 * others as they are.
 */
export const notesInVariant = (notes: readonly ConfigNote[], variant: MatrixVariant): ConfigNote[] =>
  notes.map((note) => {
    const at = setByMatrix(variant, note.pointer)?.at;
    return at === undefined ? note : { ...note, pointer: at };
  });

/**
 * A matrix variant's config error as the user wrote it: issues in values the matrix set point into the
 * matrix (`/suggester/options/gamma` → `/matrix/suggester~1options~1gamma/1`), and the message names the
 * variant. Other errors, and configs without a matrix, are returned as they are.
 */
export const inVariant = (error: unknown, variant: MatrixVariant): unknown => {
  if (!(error instanceof ParzenError) || Object.keys(variant.indices).length === 0) return error;
  let message = error.message;
  const issues = error.issues.map((issue) => {
    const pointer = matrixPointer(variant, issue);
    if (pointer === undefined) {
      const made = madeByKey(variant, issue);
      if (made === undefined) return issue;
      message = message.replace(
        `  ${issue.pointer || '/'}: expected ${issue.expected}, found ${issue.found}`,
        `  ${made.pointer}: expected ${made.expected}, found ${made.found}`,
      );
      return made;
    }
    message = message.replace(`  ${issue.pointer || '/'}: expected`, `  ${pointer}: expected`);
    return { ...issue, pointer };
  });
  return new ParzenError(error.code, `Matrix variant ${variant.study}: ${message}`, {
    ...(error.plugin === undefined ? {} : { plugin: error.plugin }),
    issues,
    cause: error,
  });
};

const TOP_LEVEL = /^\/[^/]+$/;

/**
 * The engine checks a config without its `matrix` (the CLI expands it first), so its list of the
 * top-level keys a config may have leaves `matrix` out; this puts it back into that list, so a mistyped
 * `"matrx"` is told that `matrix` is a key. Other errors are returned as they are.
 */
export const withMatrixKey = (error: unknown): unknown => {
  if (!(error instanceof ParzenError) || error.code !== 'CONFIG_INVALID') return error;
  let message = error.message;
  let changed = false;
  const issues = error.issues.map((issue) => {
    const unknownKey =
      TOP_LEVEL.test(issue.pointer) &&
      issue.found.startsWith('an unknown field') &&
      issue.expected.startsWith('only the fields ') &&
      !issue.expected.split(', ').includes('matrix');
    if (!unknownKey) return issue;
    const expected = `${issue.expected}, matrix`;
    message = message.replace(`expected ${issue.expected}, found`, `expected ${expected}, found`);
    changed = true;
    return { ...issue, expected };
  });
  // The issues carry the fix even where the message's wording did not match (the message is only text).
  if (!changed) return error;
  return new ParzenError(error.code, message, {
    ...(error.plugin === undefined ? {} : { plugin: error.plugin }),
    issues,
    cause: error,
  });
};
