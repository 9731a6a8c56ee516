import { canonicalJson } from '../domain/canonical-json.js';
import type { SpaceDefinition } from '../domain/space-definition.js';
import type { StudyRecord, StudySpec } from '../domain/study.js';
import { ParzenError } from '../errors.js';

/** At most this many parameters are named in a mismatch message (then "and N more"). */
const LISTED = 4;
/** A definition longer than this is cut in a mismatch message. */
const SHOWN_CHARS = 120;

/** A definition as canonical JSON; a long one cut to a window around `from` (where it differs from the other). */
const shown = (json: string, from = 0): string => {
  if (json.length <= SHOWN_CHARS) return json;
  const start = Math.max(0, Math.min(from - 20, json.length - SHOWN_CHARS));
  const end = start + SHOWN_CHARS;
  return `${start > 0 ? '…' : ''}${json.slice(start, end)}${end < json.length ? '…' : ''}`;
};

/** The first index where two strings differ. */
const firstDifference = (a: string, b: string): number => {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
};

/**
 * How two spaces differ, parameter by parameter (top-level names; a changed choice shows its whole
 * definition): what changed, what the config adds, what only the store has. Empty when they are the same.
 */
export const spaceDifferences = (stored: SpaceDefinition, config: SpaceDefinition): string[] => {
  const differences: string[] = [];
  for (const [name, definition] of Object.entries(stored)) {
    const now = (config as Record<string, unknown>)[name];
    if (now === undefined) differences.push(`\`${name}\` is in the store's space only`);
    else {
      const before = canonicalJson(definition);
      const after = canonicalJson(now);
      const at = firstDifference(before, after);
      if (before !== after)
        differences.push(`\`${name}\` changed (store: ${shown(before, at)}; config: ${shown(after, at)})`);
    }
  }
  for (const [name, definition] of Object.entries(config)) {
    if (!(name in stored)) differences.push(`\`${name}\` is new in the config (${shown(canonicalJson(definition))})`);
  }
  return differences;
};

/**
 * A resumed study must be the same study: same direction and same space (compared as JSON
 * with sorted keys, so reordering a definition's keys is not a change). The seed may
 * differ (a new seed continues with other streams). Stores call this in `openStudy`.
 */
export const checkSameStudy = (stored: StudyRecord, spec: StudySpec): void => {
  if (stored.direction !== spec.direction) {
    throw new ParzenError(
      'STUDY_MISMATCH',
      `Study \`${spec.name}\` in the store is a ${stored.direction} study; the config says ${spec.direction}. ` +
        'Use another study name or another store.',
    );
  }
  if (canonicalJson(stored.space) !== canonicalJson(spec.space)) {
    const differences = spaceDifferences(stored.space, spec.space);
    const listed =
      differences.length > LISTED
        ? [...differences.slice(0, LISTED), `and ${differences.length - LISTED} more`]
        : differences;
    throw new ParzenError(
      'STUDY_MISMATCH',
      `Study \`${spec.name}\` in the store was run with a different search space: ${listed.join('; ')}. ` +
        'Its trials would not fit this one: undo the change to resume it, or use another study name or another store.',
    );
  }
};
