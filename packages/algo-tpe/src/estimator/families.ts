import { hyperoptFamily } from './families/hyperopt.js';
import { optunaFamily } from './families/optuna.js';
import type { DensityFamily } from './family.js';

/** The density families by name (the `kernel` option). */
export const DENSITY_FAMILIES = {
  hyperopt: hyperoptFamily,
  optuna: optunaFamily,
} as const satisfies Readonly<Record<string, DensityFamily>>;

/** A density family's name. */
export type DensityFamilyName = keyof typeof DENSITY_FAMILIES;
