import { explainGrid } from '@parzen/algo-tpe';
import type { CompiledSpace, ExternalParams } from '@parzen/engine/plugin';
import type { ContourFunction } from './types.js';

/** A function sampled on a grid: `z[j][i]` is its value at `(xs[i], ys[j])` (NaN where it failed). */
export interface ContourGrid {
  /** The first parameter's grid values, ascending (the x axis). */
  readonly xs: readonly number[];
  /** The second parameter's grid values, ascending (the y axis). */
  readonly ys: readonly number[];
  /** The function's values, one row per `ys` value, one cell per `xs` value. */
  readonly z: readonly (readonly number[])[];
  /** Grid points where the function threw or gave no finite number (NaN in `z`). */
  readonly failed?: number;
  /** The first of those failures: the error's message, or the value the function gave. */
  readonly firstFailure?: string;
}

/** One straight piece of a contour line at `level`. */
export interface ContourSegment {
  /** The function's value along the line. */
  readonly level: number;
  /** The segment's first end, in the first parameter's values. */
  readonly x1: number;
  /** The segment's first end, in the second parameter's values. */
  readonly y1: number;
  /** The segment's other end, in the first parameter's values. */
  readonly x2: number;
  /** The segment's other end, in the second parameter's values. */
  readonly y2: number;
}

/** A value as a message shows it: strings quoted, numbers as they print, the rest as JSON when it can be. */
const describeValue = (value: unknown): string => {
  if (typeof value === 'number') return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
};

/**
 * Evaluates `fn` on a `resolution`² grid over two numeric parameters (log-spaced for log kinds, the grid
 * values of quantized and integer kinds), the other params fixed at `fixed` (e.g. the best trial's).
 * A throw or anything but a finite number gives NaN there; `failed` counts those points and
 * `firstFailure` says why the first one failed (what the function gave: `it returned "abc"`).
 */
export const evaluateGrid = async (
  fn: ContourFunction,
  space: CompiledSpace,
  pair: readonly [string, string],
  fixed: ExternalParams,
  resolution: number,
): Promise<ContourGrid> => {
  const axis = (name: string) => {
    const param = space.byName.get(name);
    if (param === undefined || param.distribution.kind === 'categorical')
      throw new Error(`\`${name}\` is not a numeric parameter of the space`);
    return explainGrid(param.distribution, resolution);
  };
  const xs = axis(pair[0]);
  const ys = axis(pair[1]);
  const z: number[][] = [];
  let failed = 0;
  let firstFailure: string | undefined;
  for (const y of ys) {
    const row: number[] = [];
    for (const x of xs) {
      let value: number;
      try {
        const result: unknown = await fn({ ...fixed, [pair[0]]: x, [pair[1]]: y });
        // A number, as an objective must give (a string or a boolean is a mistake, not 3 or 1).
        value = typeof result === 'number' ? result : Number.NaN;
        if (!Number.isFinite(value)) firstFailure ??= `it returned ${describeValue(result)}`;
      } catch (error) {
        value = Number.NaN;
        firstFailure ??= `it threw: ${error instanceof Error ? error.message : String(error)}`;
      }
      if (!Number.isFinite(value)) failed++;
      row.push(Number.isFinite(value) ? value : Number.NaN);
    }
    z.push(row);
  }
  return { xs, ys, z, failed, ...(firstFailure === undefined ? {} : { firstFailure }) };
};

/**
 * `count` contour levels at quantiles of the finite grid values (so a few huge values do not squeeze every line into
 * one corner), without repeats, closer together toward the best values: quantile ((k + ½) / count)² from the lowest in
 * a minimize study, from the highest in a maximize one. Evenly spaced quantiles left the small basin where a good
 * study's trials gather without a line (the heart's lowest level was −124, its basin −124 … −375).
 */
export const contourLevels = (
  grid: ContourGrid,
  count: number,
  direction: 'minimize' | 'maximize' = 'minimize',
): number[] => {
  const values = grid.z
    .flat()
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  if (values.length === 0) return [];
  const levels = Array.from({ length: count }, (_, k) => {
    const q = ((k + 0.5) / count) ** 2;
    const at = Math.floor((direction === 'minimize' ? q : 1 - q) * values.length);
    return values[Math.min(values.length - 1, Math.max(0, at))] as number;
  });
  return [...new Set(levels)].sort((a, b) => a - b);
};

type Point = readonly [number, number];

/** Where a value sits along an axis, in the units its scale spaces evenly (the log on a log axis), and back. */
export interface AxisPosition {
  /** A value's position: the value itself on a linear axis, its log on a log axis. */
  readonly at: (value: number) => number;
  /** The value at a position (the inverse of `at`). */
  readonly back: (position: number) => number;
}

const LINEAR: AxisPosition = { at: (v) => v, back: (p) => p };

/**
 * Contour lines of a grid by marching squares: per cell and level, the edges the level crosses (linear
 * interpolation along each edge, in the axis's own units: in the log on a log axis, so a crossing falls where
 * the plot draws it), joined in pairs; saddles are split by the cell centre's value. Cells with a NaN corner
 * are skipped.
 */
export const contourSegments = (
  grid: ContourGrid,
  levels: readonly number[],
  axes: { readonly x: AxisPosition; readonly y: AxisPosition } = { x: LINEAR, y: LINEAR },
): ContourSegment[] => {
  const { xs, ys, z } = grid;
  const segments: ContourSegment[] = [];
  const at = (i: number, j: number) => z[j]?.[i] as number;
  for (const level of levels) {
    for (let j = 0; j + 1 < ys.length; j++) {
      for (let i = 0; i + 1 < xs.length; i++) {
        const a = at(i, j);
        const b = at(i + 1, j);
        const c = at(i + 1, j + 1);
        const d = at(i, j + 1);
        if (![a, b, c, d].every(Number.isFinite)) continue;
        const x0 = xs[i] as number;
        const x1 = xs[i + 1] as number;
        const y0 = ys[j] as number;
        const y1 = ys[j + 1] as number;
        const cross = (p: number, q: number) => p > level !== q > level;
        const lerp = (p: number, q: number, from: number, to: number, { at, back }: AxisPosition) =>
          back(at(from) + ((level - p) / (q - p)) * (at(to) - at(from)));
        const bottom: Point | undefined = cross(a, b) ? [lerp(a, b, x0, x1, axes.x), y0] : undefined;
        const right: Point | undefined = cross(b, c) ? [x1, lerp(b, c, y0, y1, axes.y)] : undefined;
        const top: Point | undefined = cross(d, c) ? [lerp(d, c, x0, x1, axes.x), y1] : undefined;
        const left: Point | undefined = cross(a, d) ? [x0, lerp(a, d, y0, y1, axes.y)] : undefined;
        const push = (p: Point | undefined, q: Point | undefined) => {
          if (p !== undefined && q !== undefined) segments.push({ level, x1: p[0], y1: p[1], x2: q[0], y2: q[1] });
        };
        const crossings = [bottom, right, top, left].filter((p) => p !== undefined);
        if (crossings.length === 2) {
          push(crossings[0], crossings[1]);
        } else if (crossings.length === 4) {
          const centre = (a + b + c + d) / 4;
          if (centre > level === a > level) {
            push(bottom, right);
            push(top, left);
          } else {
            push(left, bottom);
            push(right, top);
          }
        }
      }
    }
  }
  return segments;
};
