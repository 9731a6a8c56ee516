import { codePoints, escapePointer, lookAlikeKey, sameTextHint } from '../errors.js';
import type { SpaceNote } from './grid-notes.js';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Why names that look alike are said (trial 183): `café` in NFC and in NFD, `lr` and `lr` with a zero-width space
 * or a trailing space, are two parameters (or options) that nothing tells apart on screen, so tables, reports and
 * `--params` show two of one. Said as a note, not refused: a study stored with such names stays readable with its
 * config, and runs on.
 */
const TOLD_APART =
  'differing only in Unicode code points (é as one code point, NFC, or as e and an accent, NFD), in invisible ' +
  'characters (a zero-width space) or in white space at their ends, they look the same and nothing tells them ' +
  'apart on screen (in tables, reports, --params); rename one';

/** The note of one string option that looks like an earlier one of its choice, for each such option. */
const optionNotes = (options: readonly unknown[], here: string): SpaceNote[] => {
  const firstAt = new Map<string, number>();
  return options.flatMap((option, index) => {
    const value = isRecord(option) ? option.value : option;
    if (typeof value !== 'string') return [];
    const key = lookAlikeKey(value);
    const earlier = firstAt.get(key);
    if (earlier === undefined) firstAt.set(key, index);
    const first = earlier === undefined ? undefined : options[earlier];
    const firstValue = isRecord(first) ? first.value : first;
    // The same value twice is refused as a repeat already.
    if (typeof firstValue !== 'string' || firstValue === value) return [];
    return [
      {
        pointer: `${here}/options/${index}`,
        message: `the option ${JSON.stringify(value)} and option ${earlier} (${JSON.stringify(firstValue)}) are two options: ${TOLD_APART}${sameTextHint(value, [firstValue])}`,
      },
    ];
  });
};

/**
 * Notes for the names of a space (its branches' too) with nothing visible in them (` `, an ideographic space, a
 * zero-width space), for each name that looks like another one, and for each option that looks like another of its
 * choice (they were accepted silently).
 */
export const lookAlikeNotes = (space: unknown, pointer = ''): SpaceNote[] => {
  const notes: SpaceNote[] = [];
  const seen = new Map<string, { readonly name: string; readonly pointer: string }>();
  const walk = (definition: unknown, at: string) => {
    if (!isRecord(definition)) return;
    for (const [name, raw] of Object.entries(definition)) {
      const here = `${at}/${escapePointer(name)}`;
      const key = lookAlikeKey(name);
      const earlier = seen.get(key);
      if (name.length > 0 && key === '')
        notes.push({
          pointer: here,
          message: `the parameter name ${JSON.stringify(name)} is only white space or invisible characters (${codePoints(name)}), so it shows as nothing on screen; give it a visible name`,
        });
      else if (earlier === undefined) seen.set(key, { name, pointer: here });
      else if (earlier.name !== name)
        notes.push({
          pointer: here,
          message: `the parameter \`${name}\` and \`${earlier.name}\` at ${earlier.pointer} are two parameters: ${TOLD_APART}${sameTextHint(name, [earlier.name])}`,
        });
      if (!isRecord(raw) || !Array.isArray(raw.options)) continue;
      notes.push(...optionNotes(raw.options, here));
      for (const [index, option] of raw.options.entries())
        if (isRecord(option)) walk(option.space, `${here}/options/${index}/space`);
    }
  };
  walk(space, pointer);
  return notes;
};
