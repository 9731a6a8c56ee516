import { ParzenError } from '@parzen/engine/plugin';
import { corruptNextStep, printable } from './sqlite-errors.js';

/** What a listing read, and what the database's other access paths say the study holds. */
export interface ListingCounts {
  /** The number of each trial the listing holds, in any order. */
  readonly numbers: readonly number[];
  /** One past the highest trial number in the table, read through its primary key. */
  readonly nextNumber: number;
  /** The study's entries in the `trials_by_update` index, counted alone; absent for an incremental listing. */
  readonly indexed?: number;
}

/** How a listing falls short of the study: what it read, the trials the study has, and the numbers it lacks. */
export interface ListingGap {
  readonly read: number;
  readonly total: number;
  readonly missing: readonly number[];
}

/**
 * Where a listing falls short, or undefined when it is whole: trials are numbered 0 to n-1 without a gap (numbers
 * are handed out in order and never removed one by one), so a whole listing holds every number below the table's
 * next one, and as many trials as the index has entries. A damaged page can make SQLite read fewer rows without an
 * error: holes, or a study cut short.
 */
export const listingGap = ({ numbers, nextNumber, indexed }: ListingCounts): ListingGap | undefined => {
  const total = Math.max(nextNumber, indexed ?? 0, numbers.length);
  const seen = new Uint8Array(total);
  let distinct = 0;
  for (const number of numbers)
    if (Number.isInteger(number) && number >= 0 && number < total && seen[number] === 0) {
      seen[number] = 1;
      distinct += 1;
    }
  if (distinct === total && numbers.length === total && (indexed === undefined || indexed === total)) return undefined;
  const missing: number[] = [];
  for (let number = 0; number < total; number += 1) if (seen[number] === 0) missing.push(number);
  return { read: numbers.length, total, missing };
};

/** Numbers as ranges (`0-3, 7, 9-12`), the first `limit` ranges, then how many numbers more. */
export const numberRanges = (numbers: readonly number[], limit = 5): string => {
  const ranges: [number, number][] = [];
  for (const number of numbers) {
    const last = ranges.at(-1);
    if (last !== undefined && last[1] === number - 1) last[1] = number;
    else ranges.push([number, number]);
  }
  const shown = ranges.slice(0, limit).map(([from, to]) => (from === to ? `${from}` : `${from}-${to}`));
  const rest = ranges.slice(limit).reduce((sum, [from, to]) => sum + to - from + 1, 0);
  return `${shown.join(', ')}${rest > 0 ? ` and ${rest} more` : ''}`;
};

/**
 * The error of a listing that fell short (see {@link listingGap}); `quickCheck` is what SQLite's `PRAGMA
 * quick_check` said of the database, run only now that the listing failed.
 */
export const damagedListing = (path: string, study: string, gap: ListingGap, quickCheck: string): ParzenError => {
  const lacking =
    gap.missing.length === 0
      ? 'its index and its table disagree'
      : `trial${gap.missing.length === 1 ? '' : 's'} ${numberRanges(gap.missing)} could not be read`;
  const checked =
    quickCheck === 'ok'
      ? "SQLite's PRAGMA quick_check finds no damage: were rows deleted outside Parzen?"
      : `SQLite's PRAGMA quick_check: ${printable(quickCheck)}`;
  return new ParzenError(
    'STORE_CORRUPT',
    `SQLite store \`${path}\` is damaged: listing study \`${study}\` read ${gap.read} of its ${gap.total} trials (${lacking}), although SQLite gave no error (${checked}). ` +
      `Nothing was written. ${corruptNextStep(path)}`,
  );
};
