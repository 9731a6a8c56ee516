import type { SuggestContext, Suggester } from '../contracts/suggester.js';
import { isInSupport } from '../domain/distribution.js';
import type { ParamAssignment } from '../domain/params.js';
import { isActive } from '../domain/params.js';
import { describeValue, ParzenError } from '../errors.js';

/**
 * Samples one trial's parameters: the suggester's joint sample first, then `sampleIndependent` for every
 * other active parameter, walking the space so a choice is decided before its sub-space. Values of
 * inactive parameters in the joint sample are dropped. A value outside its distribution's support is a
 * `SUGGESTER_OUT_OF_SPACE` error naming the suggester and the parameter.
 */
export const suggestParams = async (suggester: Suggester, context: SuggestContext): Promise<ParamAssignment> => {
  const joint = suggester.sampleJoint === undefined ? {} : await suggester.sampleJoint(context);
  const decided: Record<string, number> = {};
  for (const param of context.space.params) {
    if (!isActive(param, decided)) continue;
    const value = joint[param.name] ?? (await suggester.sampleIndependent(context, param, decided));
    if (typeof value !== 'number' || !isInSupport(param.distribution, value)) {
      throw new ParzenError(
        'SUGGESTER_OUT_OF_SPACE',
        `Suggester \`${suggester.name}\` gave parameter \`${param.name}\` the value ${describeValue(value)}, ` +
          `outside its ${param.distribution.kind} distribution.`,
        { plugin: suggester.name },
      );
    }
    decided[param.name] = value;
  }
  return decided;
};
