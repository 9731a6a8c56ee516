import { canonicalJson, canonicalSpace } from '../domain/canonical-json.js';
import { lookAlikeKey } from '../errors.js';

/** Two keys of one object that look the same: the object cannot be written as it looks without losing one. */
class KeysLookAlike extends Error {}

/**
 * A JSON value with each string and key as it looks ({@link lookAlikeKey}): NFC, without invisible characters.
 * @throws KeysLookAlike when two keys of an object look the same (`lr` and `lr` with a zero-width space): written as
 * they look they would be one, and a space with both would compare equal to a space with one of them.
 */
const asItLooks = (value: unknown): unknown => {
  if (typeof value === 'string') return lookAlikeKey(value);
  if (Array.isArray(value)) return value.map(asItLooks);
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).map(([key, entry]) => [lookAlikeKey(key), asItLooks(entry)] as const);
    if (new Set(entries.map(([key]) => key)).size !== entries.length) throw new KeysLookAlike();
    return Object.fromEntries(entries);
  }
  return value;
};

/** {@link asItLooks} as canonical JSON; undefined when two keys of one object look the same. */
const looksAs = (value: unknown): string | undefined => {
  try {
    return canonicalJson(asItLooks(value));
  } catch (error) {
    if (error instanceof KeysLookAlike) return undefined;
    throw error;
  }
};

/** Whether every string and key of a JSON value is in NFC (é as one code point). */
const allComposed = (value: unknown): boolean =>
  typeof value === 'string'
    ? value === value.normalize('NFC')
    : Array.isArray(value)
      ? value.every(allComposed)
      : typeof value === 'object' && value !== null
        ? Object.entries(value).every(([key, entry]) => key === key.normalize('NFC') && allComposed(entry))
        : true;

/**
 * For two spaces that differ only in how their names and options are written (a config saved again as
 * NFD, `Größe` with o and an umlaut, against a study stored with NFC names), what to do: save the side that
 * `given` names as `from` has it. Undefined when the spaces differ otherwise too (or not at all).
 */
export const spellingOnlyAdvice = (
  fromSpace: unknown,
  givenSpace: unknown,
  from: string,
  given: string,
): string | undefined => {
  const before = canonicalSpace(fromSpace);
  const after = canonicalSpace(givenSpace);
  if (canonicalJson(before) === canonicalJson(after)) return undefined;
  // Review 181: with two look-alike names in one space, a space without one of them compared equal to it.
  const looks = looksAs(before);
  if (looks === undefined || looks !== looksAs(after)) return undefined;
  const how = allComposed(before)
    ? `in Unicode NFC, as the ${from} has them`
    : `with the ${from}'s code points (shown above)`;
  return (
    `every difference is one of Unicode code points, not of the space: the ${given} writes these names or options ` +
    `with other code points than the ${from} (é as e and an accent, NFD, as an editor or a copy from macOS may save ` +
    `it, against é as one code point, NFC, or with invisible characters); write them in the ${given} ${how}`
  );
};
