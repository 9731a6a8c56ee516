import type { Distribution } from '@parzen/engine/plugin';
import { adaptiveParzenSorted, hyperoptMinimumWidth, hyperoptNeighbourWidth } from '../../math/adaptive-parzen.js';
import { linearForgettingWeight } from '../../math/linear-forgetting.js';
import { normalise } from '../../math/mixture.js';
import {
  type CategoricalEncoding,
  categoricalOptions,
  type Encoding,
  hyperoptEncoding,
  type NumericEncoding,
} from '../encoding.js';
import { type DensityFamily, type FamilySettings, type ObservationColumn, sortedInModelSpace } from '../family.js';
import type { ParzenEstimator } from '../parzen-estimator.js';

/** hyperopt's categorical kernels are one-hot counts: each keeps all of its row at its option. */
const hyperoptKeep = 1;

const lfOf = (settings: FamilySettings): number =>
  settings.forgetting === 0 ? Number.POSITIVE_INFINITY : settings.forgetting;

/** hyperopt's numeric posterior: the adaptive Parzen estimator (tpe-spec 3.4) cut at the bounds (3.6). */
const numeric = (encoding: NumericEncoding, column: ObservationColumn, settings: FamilySettings): ParzenEstimator => {
  const { values: sorted, order } = sortedInModelSpace(column, encoding.toModel);
  const mixture = adaptiveParzenSorted(
    sorted,
    order,
    { ...encoding.prior, weight: settings.priorWeight },
    lfOf(settings),
  );
  const { low, high } = encoding;
  return {
    weights: mixture.weights,
    dimensions: [{ kind: 'numeric', mus: mixture.mus, sigmas: mixture.sigmas, low, high }],
    // hyperopt renormalises by the accepted mass except for its continuous log kinds.
    truncation: encoding.jacobian ? 'none' : 'mixture',
    sources: mixture.sources,
  };
};

/**
 * hyperopt's categorical posterior (tpe-spec 3.7) as a mixture: each observation a one-hot kernel with
 * its linear-forgetting weight, the prior a kernel p0 with weight C · priorWeight (the pseudo-counts).
 */
const categorical = (
  encoding: CategoricalEncoding,
  column: ObservationColumn,
  settings: FamilySettings,
): ParzenEstimator => {
  const n = column.values.length;
  const { prior, options } = categoricalOptions(encoding, column.values);
  const weights = new Float64Array(n + 1);
  const lf = lfOf(settings);
  for (let i = 0; i < n; i++) weights[i] = linearForgettingWeight(i, n, lf);
  weights[n] = encoding.size * settings.priorWeight;
  const sources = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) sources[i] = i;
  sources[n] = -1;
  return {
    weights: normalise(weights),
    dimensions: [{ kind: 'categorical', prior, options, keep: hyperoptKeep }],
    truncation: 'mixture',
    sources,
  };
};

/**
 * hyperopt 0.3.0's densities: adaptive Parzen widths with the prior as a neighbour, linear forgetting,
 * the truncated mixture; categorical counts with pseudo-counts. Univariate only.
 */
export const hyperoptFamily: DensityFamily = {
  name: 'hyperopt',
  description: 'adaptive Parzen widths, truncated mixture; univariate only',
  kernels: {
    neighbourWidth: (encoding, y, previous, next, _n, minSigma) =>
      hyperoptNeighbourWidth(encoding.prior, y, previous, next, minSigma),
    minimumWidth: (encoding, n) => hyperoptMinimumWidth(encoding.prior.sigma, n),
    categoricalKeep: () => hyperoptKeep,
    prior: (encoding) => encoding.prior,
    truncated: false,
    incremental: () => true,
  },
  joint: false,
  encode: (distribution: Distribution) => hyperoptEncoding(distribution),
  build: (encodings: readonly Encoding[], columns: readonly ObservationColumn[], settings: FamilySettings) => {
    const [encoding] = encodings;
    if (encodings.length !== 1 || encoding === undefined) {
      throw new Error('the hyperopt density family is univariate: build it with one dimension');
    }
    const column = columns[0] as ObservationColumn;
    return encoding.kind === 'categorical'
      ? categorical(encoding, column, settings)
      : numeric(encoding, column, settings);
  },
};
