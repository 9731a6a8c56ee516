/**
 * @packageDocumentation
 * Pruners for Parzen: stop unpromising trials early from their intermediate values (Optuna's median,
 * percentile, successive-halving, Hyperband, threshold and patient pruners).
 */
export { createHyperbandPruner, HYPERBAND_DEFAULTS, type HyperbandOptions } from './hyperband.js';
export {
  hyperbandPrunerManifest,
  manifests,
  medianPrunerManifest,
  type PatientPluginOptions,
  patientPrunerManifest,
  percentilePrunerManifest,
  successiveHalvingPrunerManifest,
  thresholdPrunerManifest,
} from './manifest.js';
export { createPatientPruner, PATIENT_DEFAULTS, type PatientPrunerOptions } from './patient.js';
export {
  createMedianPruner,
  createPercentilePruner,
  type MedianPrunerOptions,
  PERCENTILE_DEFAULTS,
  type PercentilePrunerOptions,
} from './percentile.js';
export {
  createSuccessiveHalvingPruner,
  SUCCESSIVE_HALVING_DEFAULTS,
  type SuccessiveHalvingOptions,
} from './successive-halving.js';
export { createThresholdPruner, THRESHOLD_DEFAULTS, type ThresholdPrunerOptions } from './threshold.js';
