import { describeStopperContract } from '../testing/stopper-contract.js';
import { createNoImprovementStopper } from './no-improvement-stopper.js';

describeStopperContract('no-improvement', { create: () => createNoImprovementStopper({ trials: 10 }) });
describeStopperContract('no-improvement, absolute', {
  create: () => createNoImprovementStopper({ trials: 5, minDelta: 0.05, relative: false }),
});
