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

/** The note for one parameter definition, when it is a bounded quantized kind whose grid passes a bound. */
const gridNote = (definition: Record<string, unknown>): string | undefined => {
  const { type, low, high, q } = definition;
  if (type !== 'quniform' && type !== 'qloguniform') return undefined;
  if (typeof low !== 'number' || typeof high !== 'number' || typeof q !== 'number' || !(q > 0)) return undefined;
  const { first, last } = gridSteps({ low, high, q });
  // The grid's values are step·q; a margin for the rounding of that product (3 · 0.1 is 0.30000000000000004).
  const margin = q * 1e-9;
  // A value past a bound is drawn from the draws that round to it, those within q/2 of it; none (but a bound met by
  // the rounding of low/q: 0.15/0.1 is 1.4999999999999998, so 0.1 is drawn from 0.15 alone) is no note.
  const below = first * q < low - margin && low < first * q + q / 2 - margin ? first * q : undefined;
  const above = last * q > high + margin && high > last * q - q / 2 + margin ? last * q : undefined;
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
  // Another q helps only when it puts both bounds on its grid (a smaller q alone does not: quniform(110, 560, 30)
  // still gives 570); else, for a 0 from a low under q/2, a q of at most 2·low keeps 0 out, not the rest under low.
  const divisor = commonStep(low, high, q);
  const otherQ =
    divisor !== undefined
      ? `, or use a q that both bounds are multiples of (${shownNumber(divisor)})`
      : below === 0
        ? `; a q of at most 2 × low (${shownNumber(2 * low)}) keeps 0 out, though a value may still fall short of low by under q/2`
        : '';
  return (
    `${type} can give ${values}: its values are multiples of q (${shownNumber(q)}), counted from 0 as in hyperopt, ` +
    `and a draw rounds to the nearest one, which may lie up to q/2 past a bound. To keep values within ` +
    `[${shownNumber(low)}, ${shownNumber(high)}], ${fixes.join(', and ')}${otherQ}.`
  );
};

/** The decimal places a finite number is written with, up to 6 (else undefined: 1/3 has no such step). */
const decimals = (value: number): number | undefined => {
  for (let places = 0; places <= 6; places++) {
    const scaled = value * 10 ** places;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-9 * Math.max(1, Math.abs(scaled))) return places;
  }
  return undefined;
};

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/**
 * The largest step under `q` that both bounds are multiples of (their grid is then within them), or undefined when
 * they are not decimals of at most 6 places or share no step (the largest divisor of their greatest common one).
 */
const commonStep = (low: number, high: number, q: number): number | undefined => {
  const places = [low, high, q].map(decimals);
  if (places.some((place) => place === undefined)) return undefined;
  const scale = 10 ** Math.max(...(places as number[]));
  const [a, b, step] = [low, high, q].map((value) => Math.round(Math.abs(value) * scale)) as [number, number, number];
  const common = gcd(a, b);
  if (common === 0 || !Number.isSafeInteger(common)) return undefined;
  let best = 0;
  for (let d = 1; d * d <= common; d++)
    if (common % d === 0) for (const divisor of [d, common / d]) if (divisor < step && divisor > best) best = divisor;
  return best === 0 ? undefined : best / scale;
};
