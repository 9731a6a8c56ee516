import type { Suggester } from '../contracts/suggester.js';
import { canonicalJson, canonicalSpace, sameSpace } from '../domain/canonical-json.js';
import type { CompiledSpace } from '../domain/compile-space.js';
import type { SpaceDefinition } from '../domain/space-definition.js';
import type { StudyRecord, StudySpec, StudySuggester } from '../domain/study.js';
import { type ConfigIssue, escapePointer, jsonChangedObject, ParzenError, sameTextHint } from '../errors.js';
import { UNKNOWN_VERSION } from '../version-unknown.js';
import { spellingOnlyAdvice } from './space-spelling.js';
import { VALUE_THEY_RAN_WITH } from './words.js';

/** At most this many parameters are named in a mismatch message (then "and N more"). */
const LISTED = 4;
/** A definition longer than this is cut in a mismatch message. */
const SHOWN_CHARS = 120;

/** A definition (or a value in it) as canonical JSON, a long one cut. */
const shown = (json: string): string => (json.length <= SHOWN_CHARS ? json : `${json.slice(0, SHOWN_CHARS)}…`);

/** One place where two definitions differ: its JSON pointer, and the value on each side (undefined: none there). */
interface Difference {
  readonly pointer: string;
  readonly before: unknown;
  readonly after: unknown;
}

/**
 * The places where two JSON values differ, as deep as both are objects (or arrays, index by index): a changed bound
 * is its field, an option added at the end is its index (trial 162: a branch's changed bound was "`model` changed",
 * with two windows of its whole definition).
 */
const differencesOf = (before: unknown, after: unknown, pointer: string, found: Difference[] = []): Difference[] => {
  if (before === undefined && after === undefined) return found;
  if (before !== undefined && after !== undefined && canonicalJson(before) === canonicalJson(after)) return found;
  if (isRecord(before) && isRecord(after))
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)]))
      differencesOf(before[key], after[key], `${pointer}/${escapePointer(key)}`, found);
  else if (Array.isArray(before) && Array.isArray(after))
    for (let index = 0; index < Math.max(before.length, after.length); index++)
      differencesOf(before[index], after[index], `${pointer}/${index}`, found);
  else found.push({ pointer, before, after });
  return found;
};

/** A difference as a mismatch message lists it: `/space/x/high: 1000 in the store, 100 in the config`. */
const describeDifference = (
  { pointer, before, after }: Difference,
  from: string,
  given: 'config' | 'options',
): string =>
  before === undefined
    ? `${pointer}: added in the ${given} (${shown(canonicalJson(after))})`
    : after === undefined
      ? `${pointer}: in the ${from} only (${shown(canonicalJson(before))}), not in the ${given}`
      : `${pointer}: ${shown(canonicalJson(before))} in the ${from}, ${shown(canonicalJson(after))} in the ${given}${
          typeof before === 'string' && typeof after === 'string' ? sameTextHint(after, [before]) : ''
        }`;

/**
 * How two spaces differ: each place a parameter's definition changed, as its JSON pointer with the value on each
 * side, and the parameters only one side has. Empty when they are the same.
 */
export const spaceDifferences = (
  storedSpace: SpaceDefinition,
  configSpace: SpaceDefinition,
  from = 'store',
  given: 'config' | 'options' = 'config',
): string[] => {
  // Compared as one spelling: `{"value": "adam"}` and `"adam"` are one option (trial 50).
  const stored = canonicalSpace(storedSpace) as SpaceDefinition;
  const config = canonicalSpace(configSpace) as SpaceDefinition;
  const differences: string[] = [];
  for (const [name, definition] of Object.entries(stored)) {
    const now = (config as Record<string, unknown>)[name];
    if (now === undefined)
      differences.push(`\`${name}\` is in the ${from}'s space only${sameTextHint(name, Object.keys(config))}`);
    else
      for (const difference of differencesOf(definition, now, `/space/${escapePointer(name)}`))
        differences.push(describeDifference(difference, from, given));
  }
  for (const [name, definition] of Object.entries(config)) {
    if (!(name in stored)) differences.push(`\`${name}\` is new in the ${given} (${shown(canonicalJson(definition))})`);
  }
  const advice = spellingOnlyAdvice(storedSpace, configSpace, from, given);
  return advice === undefined ? differences : [...differences, advice];
};

/** A top-level parameter two spaces define differently: its canonical definition on each side (undefined: none). */
interface ChangedParam {
  readonly name: string;
  readonly before: string | undefined;
  readonly after: string | undefined;
  /** The definitions themselves, in one spelling, their keys in the written order. */
  readonly was: unknown;
  readonly is: unknown;
}

/** The top-level parameters the config defines otherwise than the stored space, compared in one spelling. */
const changedParams = (storedSpace: SpaceDefinition, configSpace: SpaceDefinition): ChangedParam[] => {
  const stored = canonicalSpace(storedSpace) as Record<string, unknown>;
  const config = canonicalSpace(configSpace) as Record<string, unknown>;
  const definition = (space: Record<string, unknown>, name: string): string | undefined =>
    space[name] === undefined ? undefined : canonicalJson(space[name]);
  return [...new Set([...Object.keys(stored), ...Object.keys(config)])]
    .map((name) => ({
      name,
      before: definition(stored, name),
      after: definition(config, name),
      was: stored[name],
      is: config[name],
    }))
    .filter(({ before, after }) => before !== after);
};

/**
 * How two spaces differ as config issues, one per place: its pointer (`/space/lr/low`, `/space/lr` for a parameter
 * one side lacks), the store's value as expected and this run's as found ("nothing" where one side has none).
 */
const spaceIssues = (changed: readonly ChangedParam[]): ConfigIssue[] =>
  changed.flatMap(({ name, before, after, was, is }) => {
    const pointer = `/space/${escapePointer(name)}`;
    if (before === undefined || after === undefined)
      return [
        {
          pointer,
          expected: before === undefined ? "no such parameter (the stored study's space has none)" : shown(before),
          found: after === undefined ? 'nothing' : shown(after),
        },
      ];
    return differencesOf(was, is, pointer).map((difference) => ({
      pointer: difference.pointer,
      expected: difference.before === undefined ? 'nothing' : shown(canonicalJson(difference.before)),
      found: difference.after === undefined ? 'nothing' : shown(canonicalJson(difference.after)),
    }));
  });

/**
 * How to carry a study's trials over to a new one with the changed space: export and import the trials that still
 * fit; when the change adds parameters none does (trial 153: the recipe's --on-invalid skip imported nothing),
 * so each is first given the value it ran with.
 */
const carryOver = (changed: readonly ChangedParam[]): string => {
  // Added: every stored trial lacks them. Dropped: every stored trial has them. Others: changed or dropped.
  const added = changed.filter((param) => param.before === undefined).map((param) => param.name);
  const dropped = changed.filter((param) => param.after === undefined).map((param) => param.name);
  const others = changed.some((param) => param.before !== undefined);
  // Review 148: a trial with a parameter the new space dropped is refused by an import too, so the recipe says so.
  const droppedNote =
    dropped.length === 0
      ? ''
      : ` Its trials also have ${dropped.map((name) => `\`${name}\``).join(', ')}, which the new space has not: an ` +
        `import refuses them as they are, so take ${dropped.length === 1 ? 'it' : 'them'} out of each trial (a field of its params, or a column) first.`;
  if (added.length === 0)
    return (
      'A study keeps the space it was created with: undo the change to resume it, or give the study another name ' +
      '(or store) and carry over the trials that still fit: `parzen export` this study, then `parzen import` the file ' +
      'into the new one with --ignore-header (--on-invalid skip leaves out those that no longer fit); in code, ' +
      "the new study's `addTrials` takes this one's `trials()` without the running ones (with `{ onInvalid: 'skip' }`)." +
      droppedNote
    );
  const listed = added.map((name) => `\`${name}\``).join(', ');
  const them = added.length === 1 ? 'it' : 'them';
  return (
    `Its trials lack ${listed}, so as they are none fits the new space (an import with --on-invalid skip imports none). ` +
    'A study keeps the space it was created with: undo the change to resume it, or give the study another name ' +
    `(or store) and carry its trials over with the value of ${listed} they ran with: write them with \`parzen export\` ` +
    `(or as CSV with \`parzen trials --csv\`), give each trial ${VALUE_THEY_RAN_WITH}, then \`parzen import\` the ` +
    `file into the new study (with --ignore-header for an export); in code, add ${them} to the params of this one's \`trials()\` ` +
    "without the running ones, and pass those to the new study's `addTrials`." +
    // Review 147: with other changes too, the recipe said "the trials that still fit", and none did.
    (others ? ' Those that then still do not fit the other changes are left out with --on-invalid skip.' : '') +
    droppedNote
  );
};

/** What a caller that knows the study's trials and its config (the CLI) adds to a space mismatch: the study's deletion. */
export interface SpaceMismatchDeletion {
  /** The command that deletes the study (`parzen delete tune.json --yes`). */
  readonly command: string;
  /** How many complete trials the stored study has. */
  readonly completeTrials: number;
  /** How many pruned trials it has (they have a loss too): with no complete one either, the deletion is the first step. */
  readonly prunedTrials: number;
}

/** `3 complete trials and 1 pruned trial`: the trials with a loss a deletion takes. */
const lossTrials = ({ completeTrials, prunedTrials }: SpaceMismatchDeletion): string =>
  [
    ...(completeTrials > 0 ? [`${completeTrials} complete ${completeTrials === 1 ? 'trial' : 'trials'}`] : []),
    ...(prunedTrials > 0 ? [`${prunedTrials} pruned ${prunedTrials === 1 ? 'trial' : 'trials'}`] : []),
  ].join(' and ');

/**
 * A resumed study must be the same study: same direction and same space (compared as JSON
 * with sorted keys, so reordering a definition's keys is not a change, and in one spelling: see
 * `sameSpace`). The seed may
 * differ (a new seed continues with other streams). Stores call this in `openStudy`; `given` names what gave
 * `spec`: a config (the CLI, runExperiment), unless told otherwise, or the options of a call in code (Study.open,
 * createStudy, fmin), which has no config to name (Study.open words a store's error again so).
 */
export const checkSameStudy = (stored: StudyRecord, spec: StudySpec, given: 'config' | 'options' = 'config'): void =>
  checkStudy(stored, spec, given);

/**
 * {@link checkSameStudy} of a config's study by a caller that knows its trials and the command that deletes it (the
 * CLI): a space mismatch names that deletion, first when the study has no trial with a loss (a space typo failed
 * them all), else after the recipe that carries the trials over.
 */
export const checkSameStudyWithDeletion = (
  stored: StudyRecord,
  spec: StudySpec,
  deletion: SpaceMismatchDeletion,
): void => checkStudy(stored, spec, 'config', deletion);

const checkStudy = (
  stored: StudyRecord,
  spec: StudySpec,
  given: 'config' | 'options',
  deletion?: SpaceMismatchDeletion,
): void => {
  if (stored.direction !== spec.direction) {
    const asks = given === 'config' ? 'this run asks for' : 'the options ask for';
    throw new ParzenError(
      'STUDY_MISMATCH',
      `Study \`${spec.name}\` in the store is a ${stored.direction} study; ${asks} ${spec.direction}${given === 'config' ? ' (its config or options)' : ''}. ` +
        'Use another study name or another store.',
      { issues: [{ pointer: '/direction', expected: stored.direction, found: spec.direction }] },
    );
  }
  if (!sameSpace(stored.space, spec.space)) {
    const differences = spaceDifferences(stored.space, spec.space, 'store', given);
    // Trial 183: a config saved again as NFD is the same study; saving it as the store has it resumes it.
    const spelling = spellingOnlyAdvice(stored.space, spec.space, 'store', given);
    if (spelling !== undefined) {
      const named = differences.slice(0, -1);
      const listed = named.length > LISTED ? [...named.slice(0, LISTED), `and ${named.length - LISTED} more`] : named;
      throw new ParzenError(
        'STUDY_MISMATCH',
        `Study \`${spec.name}\` in the store was run with the same search space written with other Unicode code points: ` +
          `${listed.join('; ')}; ${spelling}, and the study resumes as it is (nothing needs exporting or deleting).`,
        { issues: spaceIssues(changedParams(stored.space, spec.space)) },
      );
    }
    const listed =
      differences.length > LISTED
        ? [...differences.slice(0, LISTED), `and ${differences.length - LISTED} more`]
        : differences;
    const changed = changedParams(stored.space, spec.space);
    // Deleting the study is the obvious step when it has no complete trial (a space typo failed every
    // trial, and only the export/import recipe was given); otherwise it is the way to drop the old trials.
    const first = deletion !== undefined && deletion.completeTrials + deletion.prunedTrials === 0;
    const remove =
      deletion === undefined
        ? undefined
        : first
          ? `It has no complete or pruned trial: \`${deletion.command}\` deletes it (its failed trials with it), and the next run creates it anew with this space.`
          : `To drop the old trials instead, \`${deletion.command}\` deletes the study (with its ${lossTrials(deletion)}: export first what you keep), and the next run creates it anew with this space.`;
    const then =
      remove === undefined
        ? carryOver(changed)
        : first
          ? `${remove} ${carryOver(changed)}`
          : `${carryOver(changed)} ${remove}`;
    throw new ParzenError(
      'STUDY_MISMATCH',
      `Study \`${spec.name}\` in the store was run with a different search space: ${listed.join('; ')}. ${then}`,
      { issues: spaceIssues(changed) },
    );
  }
};

/**
 * Where JSON would change `value` without a word (a non-finite number, a function, undefined in an array, a
 * Map or another class's object), as `/pointer is ...`; undefined when it would not. A cycle is left to
 * JSON.stringify, which throws.
 */
const changedByJson = (value: unknown, path: string, seen = new Set<object>()): string | undefined => {
  const at = path === '' ? 'the settings' : `\`${path}\``;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : `${at} is ${value}`;
  if (typeof value !== 'object') return `${at} is ${value === undefined ? 'undefined' : `a ${typeof value}`}`;
  if (seen.has(value)) return undefined;
  seen.add(value);
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const found = changedByJson(value[index], `${path}/${index}`, seen);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null)
    return `${at} is ${jsonChangedObject(value) ?? `a ${value.constructor?.name ?? 'class'} object`}`;
  for (const [key, inner] of Object.entries(value)) {
    if (inner === undefined) continue;
    const found = changedByJson(inner, `${path}/${escapePointer(key)}`, seen);
    if (found !== undefined) return found;
  }
  return undefined;
};

/**
 * A suggester as a new study keeps it: its name, and a JSON copy of its settings when it has any.
 *
 * @throws `ParzenError` `PLUGIN_INVALID` when the settings are not JSON data (a BigInt, a cycle).
 */
export const studySuggester = (suggester: Suggester): StudySuggester => {
  // A study records its suggester by name (trial 89: a nameless one wrote a study line its store could not read).
  const name: unknown = suggester.name;
  if (typeof name !== 'string' || name.trim() === '')
    throw new ParzenError(
      'PLUGIN_INVALID',
      `A suggester needs a \`name\` (a non-empty string: a study records which suggester drew its trials); this one has ${name === undefined ? 'none' : JSON.stringify(name)}.`,
      {
        issues: [
          {
            pointer: '/suggester/name',
            expected: 'a non-empty string',
            found: name === undefined ? 'nothing' : JSON.stringify(name),
          },
        ],
      },
    );
  if (suggester.settings === undefined) return { name: suggester.name };
  let settings: Record<string, unknown>;
  try {
    // What JSON would change without a word (trial 70: NaN kept as null, a function dropped) is refused as a
    // BigInt is, at its place (review 76); a property set to undefined is a setting left out.
    const changed = changedByJson(suggester.settings, '');
    if (changed !== undefined) throw new TypeError(changed);
    settings = JSON.parse(JSON.stringify(suggester.settings)) as Record<string, unknown>;
  } catch (error) {
    throw new ParzenError(
      'PLUGIN_INVALID',
      `Suggester \`${suggester.name}\` has settings that are not JSON data (${(error as Error).message}); a study keeps them, so they must be numbers, strings, booleans, null, arrays and objects.`,
      { plugin: suggester.name, cause: error },
    );
  }
  return { name: suggester.name, settings };
};

/**
 * What `suggester` warns of for `space` ({@link Suggester.warnings}), each said of `study`; one whose `warnings`
 * throws is said so, as its fault (the run goes on).
 */
export const suggesterWarnings = (study: string, suggester: Suggester, space: CompiledSpace): string[] => {
  if (typeof suggester.warnings !== 'function') return [];
  try {
    return suggester.warnings(space).map((message) => `study ${study}: ${message}`);
  } catch (error) {
    return [
      `study ${study}: the \`${suggester.name}\` suggester's warnings() threw (${error instanceof Error ? error.message : String(error)}); the run goes on without them.`,
    ];
  }
};

/** Settings a suggester has renamed since a study kept them, by suggester: each former name and its present one. */
const FORMER_NAMES: Readonly<Record<string, Readonly<Record<string, string>>>> = { tpe: { compat: 'profile' } };

/**
 * A suggester as a study kept it, its settings under their present names (TPE's `compat`, now `profile`), in
 * their order: a study stored before a rename resumes, and is listed, explained and reported, as before. Itself
 * when nothing was renamed.
 */
export const presentSuggester = (stored: StudySuggester): StudySuggester => {
  const names = FORMER_NAMES[stored.name];
  const settings = stored.settings;
  if (names === undefined || settings === undefined || !Object.keys(settings).some((key) => Object.hasOwn(names, key)))
    return stored;
  const renamed = Object.entries(settings).flatMap(([key, value]): [string, unknown][] => {
    const present = Object.hasOwn(names, key) ? names[key] : undefined;
    if (present === undefined) return [[key, value]];
    // Both names kept (no Parzen wrote that): the present one stands.
    return Object.hasOwn(settings, present) ? [] : [[present, value]];
  });
  return { ...stored, settings: Object.fromEntries(renamed) };
};

/** Options that pick other options' defaults (TPE's `profile`). */
const PROFILE_OPTIONS: readonly string[] = ['profile'];

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * What an object setting's change owes to settings of the same names above it, as a clause (empty when nothing):
 * the entries it lost for which a setting of that name stands above ("its `gamma` giving way to the top-level
 * `gamma`": TPE's `explore` drops what a `gamma` or `belowBandwidth` written above it replaces, and trial 119 read
 * that as an `explore` change it had not made), and those it gained that one stands above too. Said of the entries
 * alone, as the settings show them: whether the object itself was written is not known here (review 128).
 */
const entriesAbove = (before: Record<string, unknown>, after: Record<string, unknown>, key: string): string => {
  const was = before[key];
  const is = after[key];
  if (!isRecord(was) || !isRecord(is)) return '';
  const above = (name: string) => name !== key && name in before && name in after;
  const names = (list: readonly string[]) =>
    [...list]
      .sort()
      .map((name) => `\`${name}\``)
      .join(' and ');
  const lost = Object.keys(was).filter((name) => !(name in is) && above(name));
  const gained = Object.keys(is).filter((name) => !(name in was) && above(name));
  const clauses = [
    ...(lost.length === 0
      ? []
      : [`its ${names(lost)} giving way to the top-level ${lost.length === 1 ? names(lost) : 'ones'}`]),
    ...(gained.length === 0 ? [] : [`with ${gained.length === 1 ? `a ${names(gained)}` : names(gained)} of its own`]),
  ];
  return clauses.length === 0 ? '' : `, ${clauses.join(', ')}`;
};

/**
 * When a resumed study was created with another suggester, or with the same one under other settings (a
 * changed config, or a version whose defaults changed): a warning naming each change and the options that
 * would restore the study's settings. Undefined when nothing changed. A study from before stores kept the
 * suggester (2026-12-02) says that this run's settings may not be those of its trials (resumed with
 * newer defaults, the same seed draws other trials), when this run's suggester has settings.
 */
export const suggesterChange = (
  study: string,
  /** The suggester as the study kept it (its settings' former names are read as the present ones). */
  kept: StudySuggester | undefined,
  now: StudySuggester,
  /**
   * Whose settings `now` are and what is done with them, for a caller that is no run (a command reading the config):
   * `than` ends "created with other settings than ..." and `uses` is the sentence after the changes.
   */
  said: { readonly than: string; readonly uses: string } = { than: "this run's", uses: 'This run uses its own.' },
): string | undefined => {
  const stored = kept === undefined ? undefined : presentSuggester(kept);
  if (stored === undefined)
    return now.settings === undefined
      ? undefined
      : `study ${study} has no record of the suggester its trials were drawn with (Parzen before 2026-12-02 ` +
          `kept none, nor does every store): this run's \`${now.name}\` uses its present settings, which may not be ` +
          'those (defaults change between versions), so the same seed can draw other trials than before. To keep ' +
          'the earlier behaviour, set the options it relied on in the config. This is said on every resume of ' +
          "the study; a copy made with `parzen export` and `parzen import` into a new store records the config's " +
          'suggester (the one it is imported with) and is not.';
  if (stored.name !== now.name)
    return (
      `study ${study} was created with suggester \`${stored.name}\`; this run uses \`${now.name}\` and adds its ` +
      'trials to the same study. To compare the two, give this run another study name (or another store).'
    );
  const before = stored.settings ?? {};
  const after = now.settings ?? {};
  const changes: string[] = [];
  const restore: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const was = before[key] === undefined ? undefined : canonicalJson(before[key]);
    const is = after[key] === undefined ? undefined : canonicalJson(after[key]);
    if (was === is) continue;
    if (was === undefined)
      changes.push(`\`${key}\` is ${shown(is as string)} (the study's settings had no such option)`);
    else if (is === undefined) changes.push(`\`${key}\` was ${shown(was)} (this version has no such option)`);
    else {
      changes.push(`\`${key}\` was ${shown(was)}, now ${shown(is)}${entriesAbove(before, after, key)}`);
      restore[key] = before[key];
    }
  }
  if (changes.length === 0) return undefined;
  // Settings worked out from others when the options leave them out, which a restore would change unless it gives
  // them too: an object setting naming a restored one (TPE's `explore`, which phases `gamma` and `belowBandwidth`;
  // review 121: restoring `belowBandwidth` alone changed `explore`, and the next run warned again), and, with a
  // restored profile (TPE's `profile`, which picks the defaults), every setting the two share (review 122: `explore`
  // came back as the profile's; an unchanged `randint` took the restored profile's default). Not an object setting
  // no restored option touches (trial 162: restoring `grouping` came with an unchanged `explore`).
  const restored = Object.keys(restore);
  const profile = restored.some((key) => PROFILE_OPTIONS.includes(key));
  for (const [key, value] of Object.entries(before))
    if (
      !(key in restore) &&
      key in after &&
      (profile || (isRecord(value) && Object.keys(value).some((name) => restored.includes(name))))
    )
      restore[key] = value;
  const restoring =
    Object.keys(restore).length === 0
      ? ''
      : ` To go on as the study began, give the suggester these options: ${JSON.stringify(restore)}.`;
  // Trial 143: an option newer than the study was named with no way back to what the study did before it. Said
  // only of an option listed as one the study's settings had not (review 146: an option set to undefined in this
  // run's settings, listed nowhere, said it too), and TPE's page only for `tpe` (review 146: named for any suggester).
  const newer = Object.keys(after).some((key) => before[key] === undefined && after[key] !== undefined)
    ? ` An option the study's settings lack is newer than the study: its plugin's documentation gives the value that keeps the earlier behaviour${now.name === 'tpe' ? ' (`tpe`\'s: docs/tpe.md, "A study started before these defaults changed")' : ''}.`
    : '';
  return (
    `study ${study} was created with other \`${now.name}\` settings than ${said.than}: ${changes.join('; ')}. ` +
    `${said.uses}${restoring}${newer}`
  );
};

/**
 * When a resumed study was created by another Parzen build than this one: a warning naming both, since a change
 * of behaviour between builds (not a setting) can make the same seed and settings draw other trials. Undefined
 * when they are the same, when the study records none (created before stores kept it), or when either is
 * `unknown`.
 */
export const versionChange = (
  study: string,
  stored: string | undefined,
  now: string,
  /** Who runs Parzen `now`, for a caller that is no run (`parzen validate`: "a run of this config"). */
  who = 'this run',
): string | undefined =>
  // `unknown`: a build that could not tell its version (none is said, as of a study that records none).
  stored === undefined || stored === now || stored === UNKNOWN_VERSION || now === UNKNOWN_VERSION
    ? undefined
    : `study ${study} was created by Parzen ${stored}; ${who} is Parzen ${now}, whose suggestions may differ ` +
      `from those of ${stored} (a change of behaviour between versions, not of settings): the same seed and ` +
      `settings can draw other trials than before. To reproduce the earlier trials, run them with Parzen ${stored}.`;

/**
 * When a resumed study was started with another seed than `now`: a warning that its new trials draw from other
 * random streams than its earlier ones, and how to continue them. Undefined when the seeds are the same. One
 * wording for every caller; `said` names who uses `now` and how the caller gives the study's own seed back.
 */
export const seedChange = (
  study: string,
  stored: number,
  now: number,
  said: { readonly who: string; readonly keep: string } = {
    who: 'this run uses',
    keep: `run with seed ${stored}`,
  },
): string | undefined =>
  stored === now
    ? undefined
    : `study ${study} was started with seed ${stored}; ${said.who} seed ${now}, so its trials draw from other ` +
      `random streams than the earlier ones (${said.keep} to continue them)`;
