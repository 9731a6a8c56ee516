import { describePrunerContract } from '@parzen/engine/testing';
import { createHyperbandPruner } from './hyperband.js';
import { createPatientPruner } from './patient.js';
import { createMedianPruner, createPercentilePruner } from './percentile.js';
import { createSuccessiveHalvingPruner } from './successive-halving.js';
import { createThresholdPruner } from './threshold.js';

describePrunerContract('median', { create: () => createMedianPruner() });
describePrunerContract('percentile 25', { create: () => createPercentilePruner({ percentile: 25 }) });
describePrunerContract('successive-halving', { create: () => createSuccessiveHalvingPruner() });
describePrunerContract('successive-halving r=2 η=3', {
  create: () => createSuccessiveHalvingPruner({ minResource: 2, reductionFactor: 3 }),
});
describePrunerContract('hyperband', { create: () => createHyperbandPruner() });
describePrunerContract('hyperband R=30', { create: () => createHyperbandPruner({ maxResource: 30 }) });
describePrunerContract('threshold', {
  create: () => createThresholdPruner({ upper: 10 }),
  comparesTrials: false,
  mirrors: false,
});
describePrunerContract('patient', { create: () => createPatientPruner({ patience: 3 }), comparesTrials: false });
describePrunerContract('patient(median)', { create: () => createPatientPruner({ patience: 2 }, createMedianPruner()) });
