import type { Distribution } from '@parzen/engine/plugin';
import type { TpeSettings } from '../options.js';
import { categoricalDensity } from './categorical-density.js';
import { hyperoptEncoding, optunaEncoding } from './encoding.js';
import { hyperoptNumericDensity } from './hyperopt-density.js';
import { optunaNumericDensity } from './optuna-density.js';
import type { ObservationSet, ParamDensity } from './param-density.js';

/** The two densities TPE compares for one parameter. */
export interface ParamModel {
  /** l(x), from the below (good) trials. */
  readonly below: ParamDensity;
  /** g(x), from the above (other) trials. */
  readonly above: ParamDensity;
}

/** One density of the configured family for one distribution. */
export const buildDensity = (distribution: Distribution, obs: ObservationSet, settings: TpeSettings): ParamDensity => {
  if (settings.kernel === 'hyperopt') {
    const encoding = hyperoptEncoding(distribution);
    return encoding.kind === 'categorical'
      ? categoricalDensity(encoding, obs, settings)
      : hyperoptNumericDensity(encoding, obs, settings);
  }
  const encoding = optunaEncoding(distribution);
  return encoding.kind === 'categorical'
    ? categoricalDensity(encoding, obs, settings)
    : optunaNumericDensity(encoding, obs, settings);
};

/** l and g of one parameter from its below and above observations. */
export const buildParamModel = (
  distribution: Distribution,
  below: ObservationSet,
  above: ObservationSet,
  settings: TpeSettings,
): ParamModel => ({
  below: buildDensity(distribution, below, settings),
  above: buildDensity(distribution, above, settings),
});
