import {
  type CompiledSpace,
  gridSteps,
  isActive,
  type ParamAssignment,
  type ParamNode,
  roundHalfEven,
} from '@parzen/engine/plugin';

/**
 * How many values a parameter can take, at least (Infinity for a continuous or unbounded one). An
 * over-count only makes a prefix look less exhausted than it is, so quantized ranges get a margin for the
 * rounding at their bounds.
 */
const valueCount = (param: ParamNode): number => {
  const d = param.distribution;
  switch (d.kind) {
    case 'categorical':
      return d.size;
    case 'randint':
      return Math.max(0, d.high - d.low);
    case 'uniformint':
      return Math.max(0, d.high - d.low + 1);
    case 'quniform':
    case 'qloguniform':
      return Math.floor(d.high / d.q) - Math.ceil(d.low / d.q) + 3;
    default:
      return Number.POSITIVE_INFINITY;
  }
};

/** Per space: each parameter's number of settings of itself and the sub-spaces it opens. */
const subtreeCounts = new WeakMap<CompiledSpace, Map<string, number>>();

const subtreeCountsOf = (space: CompiledSpace): Map<string, number> => {
  const known = subtreeCounts.get(space);
  if (known !== undefined) return known;
  const children = new Map<string, Map<number, ParamNode[]>>();
  for (const param of space.params) {
    for (const { parent, index } of param.conditions) {
      const byIndex = children.get(parent) ?? new Map<number, ParamNode[]>();
      children.set(parent, byIndex);
      byIndex.set(index, [...(byIndex.get(index) ?? []), param]);
    }
  }
  const counts = new Map<string, number>();
  // Children come after their parents in evaluation order, so a reverse walk counts them first.
  for (const param of [...space.params].reverse()) {
    const own = valueCount(param);
    const byIndex = children.get(param.name);
    if (byIndex === undefined || !Number.isFinite(own)) {
      counts.set(param.name, own);
      continue;
    }
    let total = 0;
    for (let index = 0; index < own; index++) {
      total += (byIndex.get(index) ?? []).reduce((product, child) => product * (counts.get(child.name) ?? 1), 1);
    }
    counts.set(param.name, total);
  }
  subtreeCounts.set(space, counts);
  return counts;
};

/**
 * The number of complete assignments that extend `assignment` (the values decided so far): 1 when the
 * walk is finished, Infinity when a parameter left to decide is continuous. Never fewer than there are.
 */
export const completionCount = (space: CompiledSpace, assignment: ParamAssignment): number => {
  const counts = subtreeCountsOf(space);
  let total = 1;
  for (const param of space.params) {
    if (assignment[param.name] !== undefined || !isActive(param, assignment)) continue;
    total *= counts.get(param.name) ?? Number.POSITIVE_INFINITY;
    if (!Number.isFinite(total)) return total;
  }
  return total;
};

/** Whether no active parameter is left to decide after `assignment`. */
export const finishesWalk = (space: CompiledSpace, assignment: ParamAssignment): boolean =>
  space.params.every((param) => assignment[param.name] !== undefined || !isActive(param, assignment));

/**
 * Whether `value` is one of the settings {@link completionCount} counts for `param`: for quantized
 * parameters a grid point k·q as the samplers make it, with k between the rounded bounds (an enqueued or
 * imported `0.3` for q = 0.1 is accepted by the space but is not the sampler's 0.30000000000000004);
 * every in-support value otherwise.
 */
export const countedValue = (param: ParamNode, value: number): boolean => {
  const d = param.distribution;
  if (d.kind !== 'quniform' && d.kind !== 'qloguniform') return true;
  const k = roundHalfEven(value / d.q);
  const { first, last } = gridSteps(d);
  return value === k * d.q && k >= first && k <= last;
};
