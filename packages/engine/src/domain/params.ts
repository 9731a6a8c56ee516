import type { CompiledSpace, ParamNode } from './compile-space.js';
import type { ChoiceLiteral } from './space-definition.js';

/**
 * A trial's internal values: parameter name → number (an option index for choices). Only the parameters
 * that were active in the trial are present, which is what TPE needs to model conditional parameters.
 */
export type ParamAssignment = Readonly<Record<string, number>>;

/** What the objective receives: the active parameters, a choice giving its option's value. */
export type ExternalParams = Readonly<Record<string, number | ChoiceLiteral>>;

/** Whether `param` is active given the values decided so far for its parents. */
export const isActive = (param: ParamNode, assigned: ParamAssignment): boolean =>
  param.conditions.length === 0 || param.conditions.some((condition) => assigned[condition.parent] === condition.index);

/** The names of the parameters active under a (possibly partial) assignment, in evaluation order. */
export const activeParamNames = (space: CompiledSpace, assigned: ParamAssignment): string[] => {
  const active: string[] = [];
  const decided: Record<string, number> = {};
  for (const param of space.params) {
    if (!isActive(param, decided)) continue;
    active.push(param.name);
    const value = assigned[param.name];
    if (value !== undefined) decided[param.name] = value;
  }
  return active;
};

/** Maps internal values to what the objective sees: option values for choices, numbers otherwise. */
export const toExternalParams = (space: CompiledSpace, params: ParamAssignment): ExternalParams => {
  const external: Record<string, number | ChoiceLiteral> = {};
  for (const [name, value] of Object.entries(params)) {
    const param = space.byName.get(name);
    external[name] = param?.optionValues === undefined ? value : (param.optionValues[value] ?? null);
  }
  return external;
};
