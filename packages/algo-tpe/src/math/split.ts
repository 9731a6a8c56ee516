/** hyperopt's below-set size: min(ceil(γ·√n), cap), with γ = 0.25 and cap = 25 by default. */
export const hyperoptBelowCount = (n: number, gamma = 0.25, cap = 25): number =>
  Math.min(Math.ceil(gamma * Math.sqrt(n)), cap);

/** Optuna's `default_gamma`: min(ceil(γ·n), cap), with γ = 0.1 and cap = 25 by default. */
export const optunaBelowCount = (n: number, gamma = 0.1, cap = 25): number => Math.min(Math.ceil(gamma * n), cap);

/** One trial as the split sees it: its number and the loss to minimise (+∞ for pending or failed). */
export interface LossEntry {
  readonly number: number;
  readonly loss: number;
}

/** The two sides of a split, each in trial-number order. */
export interface Split {
  readonly below: number[];
  readonly above: number[];
}

/** Ascending loss, NaN after +∞, ties by trial number: a stable numpy argsort. */
export const compareLoss = (a: LossEntry, b: LossEntry): number => {
  const aNaN = Number.isNaN(a.loss);
  const bNaN = Number.isNaN(b.loss);
  if (aNaN || bNaN) return aNaN === bNaN ? a.number - b.number : aNaN ? 1 : -1;
  return a.loss < b.loss ? -1 : a.loss > b.loss ? 1 : a.number - b.number;
};

const byNumber = (a: number, b: number): number => a - b;

/**
 * hyperopt's split (tpe-spec 3.3): the `nBelow` entries with the lowest loss (stable by trial number) are
 * below, everything else above. Pending and failed documents take part with loss +∞.
 */
export const splitByLoss = (entries: readonly LossEntry[], nBelow: number): Split => {
  const ranked = [...entries].sort(compareLoss);
  return {
    below: ranked
      .slice(0, nBelow)
      .map((entry) => entry.number)
      .sort(byNumber),
    above: ranked
      .slice(nBelow)
      .map((entry) => entry.number)
      .sort(byNumber),
  };
};

/** One trial as Optuna's split sees it (tpe-spec 4.2). */
export interface OptunaSplitEntry {
  readonly number: number;
  readonly state: 'complete' | 'pruned' | 'running';
  /** Loss to minimise of a complete trial. */
  readonly loss?: number;
  /** Of a pruned trial: its deepest reported step and the loss it reported there (NaN ranks as +∞). */
  readonly lastStep?: number;
  readonly lastLoss?: number;
}

const prunedKey = (entry: OptunaSplitEntry): [number, number] => {
  if (entry.lastStep === undefined) return [1, 0];
  const loss = entry.lastLoss ?? Number.NaN;
  return [-entry.lastStep, Number.isNaN(loss) ? Number.POSITIVE_INFINITY : loss];
};

/**
 * Optuna's `_split_trials` for one objective without constraints: complete trials by loss first, then
 * pruned ones (deepest step first, then best reported loss, no reports last); running trials (constant
 * liar) always above.
 */
export const splitOptuna = (entries: readonly OptunaSplitEntry[], nBelow: number): Split => {
  const complete = entries.filter((e) => e.state === 'complete');
  const ranked = complete
    .map((e) => ({ number: e.number, loss: e.loss ?? Number.NaN }))
    .sort(compareLoss)
    .map((e) => e.number);
  const pruned = entries
    .filter((e) => e.state === 'pruned')
    .map((e) => ({ number: e.number, key: prunedKey(e) }))
    .sort((a, b) => a.key[0] - b.key[0] || a.key[1] - b.key[1] || a.number - b.number)
    .map((e) => e.number);
  const order = [...ranked, ...pruned];
  const running = entries.filter((e) => e.state === 'running').map((e) => e.number);
  return {
    below: order.slice(0, nBelow).sort(byNumber),
    above: [...order.slice(nBelow), ...running].sort(byNumber),
  };
};
