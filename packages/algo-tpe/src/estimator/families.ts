import { hyperoptFamily } from './families/hyperopt.js';
import { optunaFamily } from './families/optuna.js';
import type { DensityFamily } from './family.js';

/** The density families by name (the `kernel` option). */
export const DENSITY_FAMILIES = {
  /** hyperopt 0.3.0's: adaptive Parzen widths, one truncated mixture; univariate only. */
  hyperopt: hyperoptFamily,
  /** Optuna's (5.0 line): its widths, each kernel truncated; univariate and joint. */
  optuna: optunaFamily,
} as const satisfies Readonly<Record<string, DensityFamily>>;

/** A density family's name. */
export type DensityFamilyName = keyof typeof DENSITY_FAMILIES;
