import { shownNumber } from '../builtins/words.js';
import { escapePointer } from '../errors.js';
import { gridSteps } from './distribution.js';

/** A note on a parameter of a valid space: where (its JSON pointer) and what. */
export interface SpaceNote {
  readonly pointer: string;
  readonly message: string;
}

/**
 * A note as a run warns of it, `study NAME: /space/bs: ...`: a config's notes at its run, a space's grid notes when
 * a study is opened in code.
 */
export const noteMessage = (study: string, note: { readonly pointer: string; readonly message: string }): string =>
  `study ${study}: ${note.pointer}: ${note.message}`;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Notes for each `quniform` and `qloguniform` parameter of a valid space whose grid reaches a value outside
 * [low, high]: values are rounded onto multiples of q anchored at 0, as in hyperopt, so a low under q/2 gives 0
 * (qloguniform(16, 512, q 100): a batch size of 0), and a bound that is no multiple of q may give the multiple
 * within q/2 past it. Each note names the values and how to keep within the bounds. A parameter shared by
 * several branches is noted once, at its first definition.
 */
export const gridNotes = (space: unknown, pointer = ''): SpaceNote[] => {
  const notes: SpaceNote[] = [];
  const seen = new Set<string>();
  const walk = (definition: unknown, at: string) => {
    if (!isRecord(definition)) return;
    for (const [name, raw] of Object.entries(definition)) {
      if (!isRecord(raw)) continue;
      const here = `${at}/${escapePointer(name)}`;
      if (Array.isArray(raw.options))
        for (const [index, option] of raw.options.entries())
          if (isRecord(option)) walk(option.space, `${here}/options/${index}/space`);
      if (seen.has(name)) continue;
      seen.add(name);
      const message = gridNote(raw);
      if (message !== undefined) notes.push({ pointer: here, message });
    }
  };
  walk(space, pointer);
  return notes;
};

/** The note for one parameter definition, when it is a bounded quantised kind whose grid passes a bound. */
const gridNote = (definition: Record<string, unknown>): string | undefined => {
  const { type, low, high, q } = definition;
  if (type !== 'quniform' && type !== 'qloguniform') return undefined;
  if (typeof low !== 'number' || typeof high !== 'number' || typeof q !== 'number' || !(q > 0)) return undefined;
  const { first, last } = gridSteps({ low, high, q });
  // The grid's values are step·q; a margin for the rounding of that product (3 · 0.1 is 0.30000000000000004).
  const margin = q * 1e-9;
  const below = first * q < low - margin ? first * q : undefined;
  const above = last * q > high + margin ? last * q : undefined;
  if (below === undefined && above === undefined) return undefined;
  const values = [
    ...(below === undefined ? [] : [`${shownNumber(below)}, below low (${shownNumber(low)})`]),
    ...(above === undefined ? [] : [`${shownNumber(above)}, above high (${shownNumber(high)})`]),
  ].join(', and ');
  const fixes: string[] = [];
  if (below !== undefined)
    fixes.push(
      below === 0
        ? `raise low to at least q/2 (${shownNumber(q / 2)})`
        : `raise low to at least ${shownNumber(below + q / 2)} (halfway to the next multiple of q) or lower it to ${shownNumber(below)}`,
    );
  if (above !== undefined)
    fixes.push(
      `lower high to at most ${shownNumber(above - q / 2)} (halfway to the multiple of q below) or raise it to ${shownNumber(above)}`,
    );
  // A q of at most 2·low keeps 0 away; any bound off the grid still lies within q/2 of a value past it.
  const smallerQ = below === 0 ? `use a smaller q (at most 2 × low = ${shownNumber(2 * low)})` : 'use a smaller q';
  return (
    `${type} can give ${values}: its values are multiples of q (${shownNumber(q)}), counted from 0 as in hyperopt, ` +
    `and a draw rounds to the nearest one, which may lie up to q/2 past a bound. To keep values within ` +
    `[${shownNumber(low)}, ${shownNumber(high)}], ${fixes.join(', and ')}, or ${smallerQ}.`
  );
};
