import type { SuggestContext, Suggester, TrialSampler } from '../contracts/suggester.js';
import type { ParamNode } from '../domain/compile-space.js';
import { isInSupport } from '../domain/distribution.js';
import type { ParamAssignment } from '../domain/params.js';
import { describeSupport, isActive } from '../domain/params.js';
import { describeValue, ParzenError } from '../errors.js';

const outOfSpace = (suggester: string, param: ParamNode, value: unknown): ParzenError =>
  new ParzenError(
    'SUGGESTER_OUT_OF_SPACE',
    `Suggester \`${suggester}\` gave parameter \`${param.name}\` the value ${describeValue(value)}, ` +
      // What it may be (trial 89: "outside its quniform distribution" for 3 on a grid of 2 said nothing of the grid).
      `outside its ${param.distribution.kind} distribution (expected ${
        param.distribution.kind === 'categorical'
          ? `an option index, an integer from 0 to ${param.distribution.size - 1}`
          : describeSupport(param)
      }).`,
    { plugin: suggester },
  );

const badGroup = (suggester: string, message: string): ParzenError =>
  new ParzenError('SUGGESTER_BAD_GROUP', `Suggester \`${suggester}\`: ${message}`, { plugin: suggester });

/** The group index of every grouped parameter; a name in two groups, or not in the space, is an error. */
const groupIndex = (suggester: string, sampler: TrialSampler, context: SuggestContext): Map<string, number> => {
  // What beginTrial gave, said against the contract (trial 89: undefined or {} failed with the engine's own
  // TypeErrors, "current.sampleParam is not a function").
  if (typeof sampler !== 'object' || sampler === null || typeof sampler.sampleParam !== 'function')
    throw new ParzenError(
      'SUGGESTER_FAILED',
      `Suggester \`${suggester}\`: beginTrial gave ${describeValue(sampler)}; it must give (or resolve to) a TrialSampler, an object with a sampleParam(param, decided) method (and sampleGroup with groups).`,
      { plugin: suggester },
    );
  const index = new Map<string, number>();
  (sampler.groups ?? []).forEach((group, g) => {
    for (const name of group) {
      if (!context.space.byName.has(name)) throw badGroup(suggester, `its group names \`${name}\`, not in the space.`);
      if (index.has(name)) throw badGroup(suggester, `parameter \`${name}\` is in two groups.`);
      index.set(name, g);
    }
  });
  if (index.size > 0 && sampler.sampleGroup === undefined)
    throw badGroup(suggester, 'it has groups but no sampleGroup.');
  return index;
};

/**
 * Samples one trial's parameters: begins the trial with the suggester once, then walks the space in
 * evaluation order (a choice before its sub-space). A group is sampled when the walk reaches its first
 * active parameter; its members must be active together. At another active parameter the sampler's `groupAt`,
 * when it has one, may name a group to sample there (its members not decided yet). Every other active
 * parameter comes from `sampleParam`. A value outside its distribution's support is a `SUGGESTER_OUT_OF_SPACE` error naming
 * the suggester and the parameter.
 *
 * `fixed` values (an enqueued entry, checked against the space beforehand) are taken as they are
 * wherever the walk finds them active; the suggester samples the rest (a group without its fixed
 * members). When every active parameter is fixed, the suggester is not asked at all.
 */
export const suggestParams = async (
  suggester: Suggester,
  context: SuggestContext,
  fixed: ParamAssignment = {},
): Promise<ParamAssignment> => {
  const decided: Record<string, number> = {};
  let sampler: TrialSampler | undefined;
  let groups = new Map<string, number>();
  const begin = async (): Promise<TrialSampler> => {
    if (sampler === undefined) {
      sampler = await suggester.beginTrial(context);
      groups = groupIndex(suggester.name, sampler, context);
    }
    return sampler;
  };
  const sampledGroups = new Set<number>();
  const accept = (param: ParamNode, value: unknown): void => {
    if (typeof value !== 'number' || !isInSupport(param.distribution, value))
      throw outOfSpace(suggester.name, param, value);
    decided[param.name] = value;
  };
  /**
   * Decides the members of a group (`inGroup`) the walk reached at `param`: those an entry fixes take its values,
   * those decided already keep theirs, the rest come from sampleGroup (a group at `param` from `groupAt`: from
   * sampleParam when `param` alone is left).
   */
  const sampleJointly = async (
    current: TrialSampler,
    param: ParamNode,
    inGroup: (other: ParamNode) => boolean,
    at = false,
  ) => {
    for (const member of context.space.params) {
      const value = fixed[member.name];
      if (inGroup(member) && value !== undefined && isActive(member, decided)) decided[member.name] = value;
    }
    const members = context.space.params.filter(
      (other) => inGroup(other) && fixed[other.name] === undefined && !(other.name in decided),
    );
    const inactive = members.find((member) => !isActive(member, decided));
    if (inactive !== undefined) {
      throw badGroup(
        suggester.name,
        `\`${inactive.name}\` is not active together with \`${param.name}\` in its group.`,
      );
    }
    if (at && members.length === 1 && members[0] === param) {
      accept(param, await current.sampleParam(param, decided));
      return;
    }
    if (current.sampleGroup === undefined)
      throw badGroup(
        suggester.name,
        at
          ? `its groupAt named a group at \`${param.name}\`, but it has no sampleGroup.`
          : 'it has groups but no sampleGroup.',
      );
    const values = await current.sampleGroup(members, decided);
    // An answer that is no object of values by name (an array of values in the members' order) is said as what it
    // is, not as a member left out.
    if (typeof values !== 'object' || values === null || Array.isArray(values))
      throw new ParzenError(
        'SUGGESTER_OUT_OF_SPACE',
        `Suggester \`${suggester.name}\`: its sampleGroup() returned ${Array.isArray(values) ? `an array (${describeValue(values)})` : describeValue(values)}; expected an object of values by member name (${members.map((m) => `${m.name}: ...`).join(', ')}).`,
        { plugin: suggester.name },
      );
    // A value for a parameter it was not given is refused like a member left out, not dropped unseen: a name
    // outside the space (a typo), or a member the engine left out because an enqueued entry fixes it or it was
    // decided already (its value is in `decided` and stays).
    const given = new Set(members.map((member) => member.name));
    const extra = Object.keys(values).filter((name) => !given.has(name) && values[name] !== undefined);
    const whyNotGiven = (name: string): string =>
      !context.space.byName.has(name)
        ? 'not in the space'
        : fixed[name] !== undefined
          ? 'an enqueued entry fixes it: its value is in `decided`'
          : name in decided
            ? 'decided already: its value is in `decided`'
            : 'not in this group';
    if (extra.length > 0)
      throw new ParzenError(
        'SUGGESTER_OUT_OF_SPACE',
        `Suggester \`${suggester.name}\`: its sampleGroup() gave ${extra.length === 1 ? 'a value' : 'values'} for ${extra
          .map((name) => `\`${name}\` (${whyNotGiven(name)})`)
          .join(', ')}; expected values for exactly the members it was given (${[...given].join(', ')}).`,
        { plugin: suggester.name },
      );
    for (const member of members) {
      // Trial 70: "gave parameter `m` the value nothing" for a member the result left out.
      if (!Object.hasOwn(values, member.name) || values[member.name] === undefined)
        throw new ParzenError(
          'SUGGESTER_OUT_OF_SPACE',
          `Suggester \`${suggester.name}\`: its sampleGroup() gave no value for \`${member.name}\`; expected one for each member it was given (${members.map((m) => m.name).join(', ')}).`,
          { plugin: suggester.name },
        );
      accept(member, values[member.name]);
    }
  };

  for (const param of context.space.params) {
    if (param.name in decided || !isActive(param, decided)) continue;
    const given = fixed[param.name];
    if (given !== undefined) {
      decided[param.name] = given;
      continue;
    }
    const current = await begin();
    const g = groups.get(param.name);
    if (g !== undefined) {
      if (sampledGroups.has(g)) {
        throw badGroup(
          suggester.name,
          `parameter \`${param.name}\` became active after the rest of its group was sampled.`,
        );
      }
      sampledGroups.add(g);
      await sampleJointly(current, param, (other) => groups.get(other.name) === g);
      continue;
    }
    const at: unknown = current.groupAt?.(param, decided);
    if (at !== undefined && !(Array.isArray(at) && at.every((name) => typeof name === 'string')))
      throw badGroup(
        suggester.name,
        `its groupAt gave ${typeof (at as { then?: unknown } | null)?.then === 'function' ? 'a promise' : describeValue(at)} at \`${param.name}\`; it must give parameter names (an array, not a promise) or undefined.`,
      );
    if (at !== undefined) {
      const names = new Set(at as readonly string[]);
      for (const name of names) {
        if (!context.space.byName.has(name))
          throw badGroup(suggester.name, `its group at \`${param.name}\` names \`${name}\`, not in the space.`);
        if (groups.has(name))
          throw badGroup(
            suggester.name,
            `its group at \`${param.name}\` names \`${name}\`, which is in one of its groups.`,
          );
      }
      if (!names.has(param.name))
        throw badGroup(
          suggester.name,
          `its group at \`${param.name}\` leaves \`${param.name}\` out (give undefined for no group there).`,
        );
      if (names.size > 1) {
        await sampleJointly(current, param, (other) => names.has(other.name), true);
        continue;
      }
    }
    accept(param, await current.sampleParam(param, decided));
  }
  sampler?.end?.(decided);
  return decided;
};
