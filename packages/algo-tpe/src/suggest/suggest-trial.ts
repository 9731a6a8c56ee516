import type { ParamAssignment, ParamNode, Rng, SuggestContext, Suggester, TrialSampler } from '@parzen/engine/plugin';
import type { ObservationSet } from '../estimator/density.js';
import { branchFields } from '../explain/explain-branch.js';
import { describeDecision, describeGroupDecision } from '../explain/explain-parameter.js';
import type { ParamExplanation, TpeExplanation } from '../explain/explanation.js';
import { completionCount, countedValue, finishesWalk } from '../history/completions.js';
import { type HistorySplit, observedCount, splitHistory, startupCount } from '../history/history-split.js';
import { keptObservations, paramObservations } from '../history/observations.js';
import { assignmentKey, type TrialHistory } from '../history/trial-history.js';
import { type TpeSettings, trialSettings } from '../options.js';
import { splitGroup } from './blocks.js';
import { type Decision, decide, decideAvoidingRepeats } from './decide.js';
import { withFailures } from './failures.js';
import {
  aboveNumbers,
  type BranchScope,
  buildParamModel,
  groupColumns,
  groupModel,
  inScope,
  type Model,
  type ModelCaches,
  paramModel,
} from './models.js';

/** What TPE keeps between trials: the synced history, the settings, the start-up suggester and caches. */
export interface SuggestState {
  /** The study's trials as TPE has read them, synced from the store before each trial. */
  readonly history: TrialHistory;
  /** The suggester's settings, its options with the profile's defaults filled in. */
  readonly settings: TpeSettings;
  /** The suggester of the start-up trials (`random` or `quasi-random`). */
  readonly startup: Suggester;
  /** What the models keep between trials so that a trial's models are updated, not rebuilt. */
  readonly caches: ModelCaches;
}

/**
 * Optuna's relative search space: the parameters every observed (complete or pruned) trial has, in
 * evaluation order. Conditional parameters drop out as soon as one trial lacked them.
 */
export const relativeSearchSpace = (history: TrialHistory, params: readonly ParamNode[]): ParamNode[] => {
  const observed = history.complete.size + history.pruned.size;
  if (observed === 0) return [];
  return params.filter((param) => history.column(param.name).byNumber.size === observed);
};

/** The condition signature of a parameter: parameters with the same one are always active together. */
const signature = (param: ParamNode): string =>
  JSON.stringify(
    [...param.conditions].sort((a, b) => (a.parent < b.parent ? -1 : a.parent > b.parent ? 1 : a.index - b.index)),
  );

const conditionKey = (condition: ParamNode['conditions'][number]): string =>
  `${condition.parent}\u0000${condition.index}`;

/** {@link sharedConditions} of each compiled space's parameters. */
const sharedBySpace = new WeakMap<readonly ParamNode[], ReadonlySet<string>>();

/**
 * The branches (choice options) a shared parameter is active in: one name under several options. Under
 * `groups`, such a branch is not one static group (its shared parameter is also active in other branches,
 * so no group signature holds it with the branch's own parameters); it is decided as one block once the
 * branch is chosen ({@link branchBlock}), as it would be with a name of its own.
 */
const sharedConditions = (params: readonly ParamNode[]): ReadonlySet<string> => {
  // Worked out once per compiled space, not at every trial's start (a suggestion's path).
  const known = sharedBySpace.get(params);
  if (known !== undefined) return known;
  const shared = new Set<string>();
  for (const param of params)
    if (param.conditions.length > 1) for (const c of param.conditions) shared.add(conditionKey(c));
  sharedBySpace.set(params, shared);
  return shared;
};

/**
 * The branch with a shared parameter that `param` is active in, given the values decided before it.
 * Undefined when no such branch holds it.
 */
const sharedBranch = (
  shared: ReadonlySet<string>,
  param: ParamNode,
  decided: ParamAssignment,
): ParamNode['conditions'][number] | undefined =>
  param.conditions.find(
    (condition) => decided[condition.parent] === condition.index && shared.has(conditionKey(condition)),
  );

/** {@link overlappedBranches} of each compiled space's parameters. */
const overlappedBySpace = new WeakMap<readonly ParamNode[], ReadonlySet<string>>();

/**
 * The branches (condition keys) whose every parameter another branch holds too (a branch of `lr` alone
 * beside one of `lr` and `momentum`): a trial that has the branch's parameters need not have taken it, so
 * its decisions are confined to its own trials ({@link BranchScope}). For any other branch, the trials
 * that have its parameters are its trials: no scope is needed.
 */
const overlappedBranches = (params: readonly ParamNode[]): ReadonlySet<string> => {
  const known = overlappedBySpace.get(params);
  if (known !== undefined) return known;
  const members = new Map<string, ParamNode[]>();
  for (const param of params)
    for (const condition of param.conditions) {
      const key = conditionKey(condition);
      members.set(key, [...(members.get(key) ?? []), param]);
    }
  const overlapped = new Set<string>();
  for (const [key, own] of members) {
    const others = (own[0] as ParamNode).conditions.map(conditionKey).filter((other) => other !== key);
    if (others.some((other) => own.every((param) => param.conditions.some((c) => conditionKey(c) === other))))
      overlapped.add(key);
  }
  overlappedBySpace.set(params, overlapped);
  return overlapped;
};

/**
 * The group `param` is decided in under `groups` when it is active in a branch with a shared parameter (the
 * sampler's `groupAt`): the names of every parameter of that branch, the shared ones with it, in the block
 * ({@link splitGroup}) that holds `param`, as a static group is split. The engine leaves out those decided
 * already or fixed. Undefined when no such branch holds it.
 */
const branchBlock = (
  params: readonly ParamNode[],
  shared: ReadonlySet<string>,
  param: ParamNode,
  decided: ParamAssignment,
  settings: TpeSettings,
  studySeed: number,
): readonly string[] | undefined => {
  const active = sharedBranch(shared, param, decided);
  if (active === undefined) return undefined;
  const key = conditionKey(active);
  const members = params.filter((other) => other.conditions.some((condition) => conditionKey(condition) === key));
  return splitGroup(
    members.map((other) => other.name),
    settings.maxGroupSize,
    studySeed,
  ).find((names) => names.includes(param.name));
};

/**
 * The groups of parameters decided jointly under a grouping (groups of one are left to `sampleParam`):
 * `joint`, the unconditional parameters every observed trial has (Optuna's relative search space);
 * `groups`, the space partitioned by activation conditions (the top level, each branch of a choice), so
 * each group's parameters are always active together.
 */
const jointGroups = (
  grouping: TpeSettings['grouping'],
  history: TrialHistory,
  params: readonly ParamNode[],
): ParamNode[][] => {
  if (grouping === 'independent') return [];
  if (grouping === 'joint') {
    const group = relativeSearchSpace(history, params).filter((param) => param.conditions.length === 0);
    return group.length > 1 ? [group] : [];
  }
  const bySignature = new Map<string, ParamNode[]>();
  const shared = sharedConditions(params);
  for (const param of params) {
    // A branch a shared parameter is active in is decided as one block when the walk reaches it (branchBlock).
    if (param.conditions.some((condition) => shared.has(conditionKey(condition)))) continue;
    const key = signature(param);
    const group = bySignature.get(key);
    if (group === undefined) bySignature.set(key, [param]);
    else group.push(param);
  }
  return [...bySignature.values()].filter((group) => group.length > 1);
};

/**
 * The groups a trial decides jointly that the study's space and trials tell before the walk: {@link jointGroups},
 * each split into blocks of at most `maxGroupSize` parameters drawn from the study's seed ({@link splitGroup});
 * blocks of one are left to `sampleParam`. A branch with a shared parameter name is decided as a group only the
 * walk tells ({@link branchBlock}); the explanations name the groups a suggestion decided from its decisions.
 */
export const decisionGroups = (
  settings: TpeSettings,
  history: TrialHistory,
  params: readonly ParamNode[],
  studySeed: number,
): readonly (readonly ParamNode[])[] => {
  // Under `groups` (and `independent`) the groups are the space's, the same at every trial: worked out once per
  // compiled space, block size and seed (the signatures and the seeded block split cost about 2 % of a
  // suggestion). Under `joint` they follow the trials' parameters.
  if (settings.grouping === 'joint') return blocksOf(settings, history, params, studySeed);
  let bySettings = groupsBySpace.get(params);
  if (bySettings === undefined) {
    bySettings = new Map();
    groupsBySpace.set(params, bySettings);
  }
  const key = `${settings.grouping}:${settings.maxGroupSize}:${studySeed}`;
  let groups = bySettings.get(key);
  if (groups === undefined) {
    groups = blocksOf(settings, history, params, studySeed);
    bySettings.set(key, groups);
  }
  return groups;
};

/** {@link decisionGroups} of each compiled space's parameters, by grouping, block size and study seed. */
const groupsBySpace = new WeakMap<readonly ParamNode[], Map<string, readonly (readonly ParamNode[])[]>>();

/** {@link decisionGroups}, worked out. */
const blocksOf = (
  settings: TpeSettings,
  history: TrialHistory,
  params: readonly ParamNode[],
  studySeed: number,
): readonly (readonly ParamNode[])[] =>
  jointGroups(settings.grouping, history, params)
    .flatMap((group) => {
      const byName = new Map(group.map((param) => [param.name, param]));
      return splitGroup(
        group.map((param) => param.name),
        settings.maxGroupSize,
        studySeed,
      ).map((block) => block.map((name) => byName.get(name) as ParamNode));
    })
    .filter((block) => block.length > 1);

/**
 * Whether the values decided so far (`assignment`) leave only tried settings to complete: the number of
 * complete assignments that extend it is finite and every one of them is a tried trial's.
 */
const exhausted = (history: TrialHistory, space: SuggestContext['space'], assignment: ParamAssignment): boolean => {
  const remaining = completionCount(space, assignment);
  if (!Number.isFinite(remaining) || remaining > history.triedCount) return false;
  const names = Object.keys(assignment);
  // Only the settings the count covers count: a completion finishes the walk with counted values (an
  // imported `0.3` beside the sampled 0.30000000000000004 would otherwise be one setting counted twice).
  const counted = (tried: ParamAssignment) =>
    Object.entries(tried).every(([name, value]) => {
      const param = space.byName.get(name);
      return param !== undefined && countedValue(param, value);
    });
  let found = 0;
  for (const tried of history.triedAssignments()) {
    if (names.every((name) => tried[name] === assignment[name]) && finishesWalk(space, tried) && counted(tried)) {
      found++;
      if (found >= remaining) return true;
    }
  }
  return false;
};

/**
 * One decision of `names` given the values `decided` before it: {@link decide}, or, with `avoidRepeats`,
 * the best candidate that does not make the trial a repeat. A candidate does when it finishes the walk
 * (no active parameter left undecided; the same values activate the same parameters) with the values of
 * a tried trial, or when every setting that could complete it is a tried trial's. A trial with only some
 * of its values (an enqueued entry being sampled, or one whose sampling failed) rules nothing out.
 */
const decideNames = (
  state: SuggestState,
  space: SuggestContext['space'],
  model: Model,
  rng: Rng,
  names: readonly string[],
  decided: ParamAssignment,
): Decision => {
  const { settings, history } = state;
  if (!settings.avoidRepeats) return decide(model, rng, settings.candidates);
  // A value no tried trial has makes the trial new: the common case, and the only one for continuous values.
  if (Object.entries(decided).some(([name, value]) => !history.hadValue(name, value))) {
    return decide(model, rng, settings.candidates);
  }
  const judge = (values: readonly number[]) => {
    const assignment: Record<string, number> = { ...decided };
    names.forEach((name, j) => {
      assignment[name] = values[j] as number;
    });
    return finishesWalk(space, assignment)
      ? history.tried(assignmentKey(assignment))
      : exhausted(history, space, assignment);
  };
  // The candidates of a discrete decision are few different tuples: each is judged once.
  const judged = new Map<string, boolean>();
  const repeats = (values: readonly number[]) => {
    if (names.some((name, j) => !history.hadValue(name, values[j] as number))) return false;
    const key = values.join(',');
    let verdict = judged.get(key);
    if (verdict === undefined) {
      verdict = judge(values);
      judged.set(key, verdict);
    }
    return verdict;
  };
  return decideAvoidingRepeats(model, rng, settings.candidates, repeats);
};

const decideParam = (
  state: SuggestState,
  split: HistorySplit,
  context: SuggestContext,
  param: ParamNode,
  decided: ParamAssignment,
  explained: ParamExplanation[] | undefined,
  scope: BranchScope | undefined,
): number => {
  if (explained === undefined && scope === undefined) {
    const model = withFailures(
      paramModel(state.history, split, param, state.settings, state.caches),
      state.history,
      state.settings,
    );
    return decideNames(state, context.space, model, context.rng, [param.name], decided).values[0] as number;
  }
  // The reference path: for explaining, and for a shared name, whose caches follow every branch's trials.
  const all = paramObservations(state.history, split, param.name);
  const kept = inScope(state.history, scope);
  const observations =
    scope === undefined ? all : { below: keptObservations(all.below, kept), above: keptObservations(all.above, kept) };
  const model = withFailures(
    buildParamModel(param, observations.below, observations.above, state.settings),
    state.history,
    state.settings,
    scope,
  );
  if (explained === undefined)
    return decideNames(state, context.space, model, context.rng, [param.name], decided).values[0] as number;
  const decision = decideNames(state, context.space, model, context.rng, [param.name], decided);
  explained.push({
    ...describeDecision(model, observations, decision, state.settings.explainGrid),
    ...branchFields(context.space, [param], decided, scope)(param),
  });
  return decision.values[0] as number;
};

/**
 * Begins one TPE trial (hyperopt's `tpe.suggest`, as a sampler the engine walks): sync the history;
 * while too few trials are observed, hand the trial to the start-up suggester; else split once and
 * decide each parameter from the trials where it was active, or each group of parameters jointly (the
 * `grouping` option). `onExplanation`, when given, receives the trial's explanation at its end.
 */
export const beginTpeTrial = async (
  studyState: SuggestState,
  context: SuggestContext,
  onExplanation?: (explanation: TpeExplanation) => void,
): Promise<TrialSampler> => {
  // The trial's settings: the profile's, or the `explore` ones for the study's first trials.
  const settings = trialSettings(studyState.settings, context.trialNumber);
  const state = settings === studyState.settings ? studyState : { ...studyState, settings };
  const { history } = state;
  history.sync(context.study, context.direction, context.history, context.running, settings.pruned);
  // The history is the suggester's, shared by its trials: another trial's begin (a concurrent ask of this study, or
  // of another study given the same suggester) may sync it to its own trials between this begin and a decision of
  // this trial, which then put this trial's back first (they decided from the other's trials).
  let synced = history.syncCount;
  const ownHistory = (): void => {
    if (history.syncCount === synced) return;
    history.sync(context.study, context.direction, context.history, context.running, settings.pruned);
    synced = history.syncCount;
  };
  const observed = observedCount(history, settings);
  const started = startupCount(history, settings);
  // Under failed: "avoid", start-up counts the trials that failed at their params on top of the observed ones.
  const failures =
    settings.failed === 'avoid' ? started - observedCount(history, { ...settings, constantLiar: false }) : 0;
  const base = {
    suggester: 'tpe',
    profile: settings.profile,
    trialNumber: context.trialNumber,
    startupTrials: settings.startupTrials,
    aboveWeight: settings.aboveWeight,
    gamma: settings.gamma,
    split: settings.split,
    ...(settings === studyState.settings ? {} : { explore: studyState.settings.explore }),
    observed,
    ...(history.running.length === 0
      ? {}
      : { running: history.running.map((trial) => trial.number), constantLiar: settings.constantLiar }),
    finished: started,
    ...(failures > 0 ? { failures } : {}),
  } as const;
  if (started < settings.startupTrials) {
    const sampler = await state.startup.beginTrial(context);
    if (onExplanation === undefined) return sampler;
    return {
      ...sampler,
      end: (params) => {
        sampler.end?.(params);
        onExplanation({ ...base, phase: 'startup', startup: settings.startup, nBelow: 0, below: [], params: [] });
      },
    };
  }
  const split = splitHistory(history, settings);
  const explained: ParamExplanation[] | undefined = onExplanation === undefined ? undefined : [];
  const groups = decisionGroups(settings, history, context.space.params, context.seed).map((group) =>
    group.map((param) => param.name),
  );
  const grouped =
    groups.length === 0
      ? {}
      : settings.grouping === 'joint' && groups.length === 1
        ? { joint: groups[0] as string[] }
        : { groups };
  // Branches with a shared parameter: decided as one group when the walk reaches their first parameter,
  // from that branch's trials.
  const shared = settings.grouping === 'groups' ? sharedConditions(context.space.params) : new Set<string>();
  const scopeOf = (param: ParamNode, decided: ParamAssignment): BranchScope | undefined => {
    if (shared.size === 0) return undefined;
    const branch = sharedBranch(shared, param, decided);
    return branch !== undefined && overlappedBranches(context.space.params).has(conditionKey(branch))
      ? branch
      : undefined;
  };
  const sampleGroup = (members: readonly ParamNode[], decided: ParamAssignment): ParamAssignment => {
    ownHistory();
    const scope = scopeOf(members[0] as ParamNode, decided);
    // Explanations need the estimators themselves: the reference path, never the incremental caches.
    const model = withFailures(
      groupModel(history, split, members, settings, explained === undefined ? state.caches : undefined, scope),
      history,
      settings,
      scope,
    );
    const names = members.map((param) => param.name);
    const decision = decideNames(state, context.space, model, context.rng, names, decided);
    if (explained !== undefined) {
      const kept = inScope(history, scope);
      const observations = {
        below: groupColumns(history, members, split.below.filter(kept))[0] as ObservationSet,
        above: groupColumns(history, members, aboveNumbers(history, split).filter(kept))[0] as ObservationSet,
      };
      const branch = branchFields(context.space, members, decided, scope);
      explained.push(
        ...describeGroupDecision(model, observations, decision, settings.explainGrid).map((entry) => ({
          ...entry,
          ...branch(members.find((member) => member.name === entry.name) as ParamNode),
        })),
      );
    }
    return Object.fromEntries(members.map((param, j) => [param.name, decision.values[j] as number]));
  };
  return {
    groups,
    sampleGroup,
    ...(shared.size === 0
      ? {}
      : {
          groupAt: (param, decided) =>
            branchBlock(context.space.params, shared, param, decided, settings, context.seed),
        }),
    sampleParam: (param, decided) => {
      ownHistory();
      return decideParam(state, split, context, param, decided, explained, scopeOf(param, decided));
    },
    end: () => {
      if (onExplanation === undefined) return;
      onExplanation({
        ...base,
        ...grouped,
        ...(shared.size === 0 ? {} : withWalkedGroups(grouped, explained ?? [])),
        phase: 'model',
        nBelow: split.nBelow,
        below: split.below,
        params: explained ?? [],
      });
    },
  };
};

/**
 * The explanation's `groups` with the groups only the walk told (a branch whose parameter name another branch
 * shares, {@link branchBlock}, or a block of it), as the decisions name them, after the study's: unchanged when
 * there are none. A decision's group within one of the study's groups is that group with members an enqueued
 * entry fixed, not a group of its own.
 */
// Review 120: only groups holding the shared name were listed; one whose shared name an entry fixed, or a block
// of a split branch without it, was left out.
const withWalkedGroups = (
  grouped: { readonly joint?: readonly string[]; readonly groups?: readonly (readonly string[])[] },
  explained: readonly ParamExplanation[],
): { readonly groups?: readonly (readonly string[])[] } => {
  const known = [...(grouped.joint === undefined ? [] : [grouped.joint]), ...(grouped.groups ?? [])];
  const withinKnown = (group: readonly string[]) =>
    known.some((static_) => group.every((name) => static_.includes(name)));
  const keyOf = (group: readonly string[]) => [...group].sort().join('\u0000');
  const seen = new Set<string>();
  const walked: (readonly string[])[] = [];
  for (const { group } of explained) {
    if (group === undefined || group.length < 2 || withinKnown(group) || seen.has(keyOf(group))) continue;
    seen.add(keyOf(group));
    walked.push(group);
  }
  if (walked.length === 0) return {};
  return { groups: [...(grouped.groups ?? []), ...walked] };
};

/** The parameters of one trial and, when asked for, its explanation. */
export interface Suggestion {
  /** The trial's params, in internal values (an option's index for a choice); only the active parameters. */
  readonly params: ParamAssignment;
  /** How TPE chose them, when the run asks for explanations. */
  readonly explanation?: TpeExplanation;
}
