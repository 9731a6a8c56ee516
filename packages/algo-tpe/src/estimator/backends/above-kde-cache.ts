import type { ParamColumn } from '../../history/param-column.js';
import { SortedPairs } from '../../history/sorted-pairs.js';
import { HermiteMoments } from '../../math/hermite-moments.js';
import { SQRT_2PI } from '../../math/normal.js';
import type { NumericEncoding } from '../encoding.js';
import { logKernelMass } from '../parzen-estimator.js';

/**
 * A parameter's finished observations as one fixed-width kernel sum, kept up to date one trial at a time:
 * every observation as a truncated kernel of width h (the smallest width the clip allows, which almost
 * every kernel has once n ≥ 98) in Hermite moments, plus the observations sorted in model space. Per
 * suggestion the above density is this sum minus the below kernels, with the few kernels whose width
 * differs from h corrected directly ({@link hermiteAboveDensity}).
 */
export class AboveKdeCache {
  readonly h: number;
  readonly moments: HermiteMoments;
  /** (model value, trial number) of every folded observation. */
  readonly sorted = new SortedPairs();
  private folded = 0;
  /** Sizes the next suggestion's correction lists start with (the last ones' plus a margin). */
  addedCapacity = 32;
  removedCapacity = 32;

  constructor(
    readonly encoding: NumericEncoding,
    h: number,
  ) {
    this.h = h;
    this.moments = new HermiteMoments(encoding.low, encoding.high, h);
  }

  /** The coefficient of a kernel of width σ at μ: 1/(σ√(2π)·Z), Z its mass inside the bounds. */
  coefficient(mu: number, sigma: number): number {
    return Math.exp(-logKernelMass(mu, sigma, this.encoding.low, this.encoding.high)) / (sigma * SQRT_2PI);
  }

  /** Folds in the observations the column gained since the last call. */
  follow(column: ParamColumn): void {
    for (; this.folded < column.insertedNumbers.length; this.folded++) {
      const y = this.encoding.toModel(column.insertedValues[this.folded] as number);
      this.moments.add(y, this.coefficient(y, this.h));
      this.sorted.insert(y, column.insertedNumbers[this.folded] as number);
    }
  }
}
