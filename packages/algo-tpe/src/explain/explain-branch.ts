import type { CompiledSpace, ParamAssignment, ParamNode } from '@parzen/engine/plugin';
import type { BranchCondition as BranchStep, ParamExplanation } from './explanation.js';

/** The condition of `param` the values decided meet (the first, for a name several branches share). */
const metCondition = (param: ParamNode, decided: ParamAssignment): ParamNode['conditions'][number] | undefined =>
  param.conditions.find((condition) => decided[condition.parent] === condition.index);

/**
 * The branch a parameter was decided in: the choices and options the walk took to reach it, outermost first
 * (empty for a top-level parameter).
 */
const branchPath = (space: CompiledSpace, param: ParamNode, decided: ParamAssignment): BranchStep[] => {
  const path: BranchStep[] = [];
  const seen = new Set<string>();
  let node: ParamNode | undefined = param;
  while (node !== undefined && !seen.has(node.name)) {
    seen.add(node.name);
    const condition = metCondition(node, decided);
    if (condition === undefined) break;
    const parent = space.byName.get(condition.parent);
    path.unshift({
      name: condition.parent,
      index: condition.index,
      value: parent?.optionValues?.[condition.index] ?? condition.index,
    });
    node = parent;
  }
  return path;
};

/**
 * The `given` and `trialsGiven` of a decision's entries (nothing for a top-level decision): each member's branch,
 * and the innermost conditions of the first member's that every trial the decision counted meets. A decision
 * counts the trials where all its members have a value (and, under a `scope`, took its option): such a trial
 * took the innermost option when a member is active under that option alone (or the scope is that option), and
 * each option above it when the choice of the option below is active under that option alone. A choice several
 * branches share stops the chain: trials of its other branches count too.
 */
export const branchFields = (
  space: CompiledSpace,
  members: readonly ParamNode[],
  decided: ParamAssignment,
  scope: { readonly parent: string; readonly index: number } | undefined,
): ((member: ParamNode) => Pick<ParamExplanation, 'given' | 'trialsGiven'>) => {
  const path = branchPath(space, members[0] as ParamNode, decided);
  if (path.length === 0) return () => ({});
  let met = 0;
  const innermost = path.at(-1) as BranchStep;
  const only = (node: ParamNode | undefined, step: BranchStep) =>
    node !== undefined &&
    node.conditions.length === 1 &&
    node.conditions[0]?.parent === step.name &&
    node.conditions[0]?.index === step.index;
  if (
    (scope !== undefined && scope.parent === innermost.name && scope.index === innermost.index) ||
    members.some((member) => only(member, innermost))
  ) {
    met = 1;
    while (met < path.length) {
      const below = path[path.length - met] as BranchStep;
      if (!only(space.byName.get(below.name), path[path.length - met - 1] as BranchStep)) break;
      met++;
    }
  }
  const trialsGiven = path.slice(path.length - met);
  return (member) => {
    const given = member === members[0] ? path : branchPath(space, member, decided);
    return given.length === 0 ? {} : { given, trialsGiven };
  };
};
