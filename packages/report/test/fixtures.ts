import { createTpeSuggester, type TpeOptions } from '@parzen/algo-tpe';
import { createMemoryStore, type ObjectiveFunction, type SpaceDefinition } from '@parzen/engine';
import { compileSpace, createFunctionObjective, type Pruner, runStudy } from '@parzen/engine/plugin';
import type { ReportPage, ReportStudy } from '../src/index.js';

/** The seed's heart: -((x² + y² − 1)³ − x²·y³). */
export const heart = (x: number, y: number): number => -((x ** 2 + y ** 2 - 1) ** 3 - x ** 2 * y ** 3);

export const heartSpace: SpaceDefinition = {
  x: { type: 'uniform', low: -2, high: 2 },
  y: { type: 'uniform', low: -2, high: 2 },
};

/** Runs a real TPE study in memory and returns it as the report reads it. */
export const runTpeStudy = async (
  trials: number,
  options: {
    space?: SpaceDefinition;
    objective?: ObjectiveFunction;
    tpe?: TpeOptions;
    seed?: number;
    name?: string;
    pruner?: Pruner;
    /** Entries to run first (external values), kept as the study's `takenEntries`. */
    enqueue?: readonly Readonly<Record<string, unknown>>[];
  } = {},
): Promise<ReportStudy> => {
  const space = options.space ?? heartSpace;
  const spec = { name: options.name ?? 'heart', direction: 'minimize' as const, seed: options.seed ?? 1, space };
  const compiled = compileSpace(space);
  const tpe = options.tpe ?? { startupTrials: 5 };
  const store = createMemoryStore();
  const result = await runStudy({
    spec,
    space: compiled,
    store,
    suggester: createTpeSuggester(tpe),
    objective: createFunctionObjective(options.objective ?? ((p) => heart(p.x as number, p.y as number))),
    budget: { maxTrials: trials },
    ...(options.pruner === undefined ? {} : { pruner: options.pruner }),
    ...(options.enqueue === undefined ? {} : { enqueue: options.enqueue }),
  });
  const taken = options.enqueue === undefined ? undefined : await store.listTakenEntries?.(spec.name);
  return {
    name: spec.name,
    direction: spec.direction,
    seed: spec.seed,
    space: compiled,
    trials: result.trials,
    suggester: { use: 'tpe', options: tpe as Record<string, unknown> },
    ...(taken === undefined ? {} : { takenEntries: taken }),
  };
};

/** A mixed space: a uniform, a log-uniform and a choice. */
export const mixedSpace: SpaceDefinition = {
  x: { type: 'uniform', low: -2, high: 2 },
  lr: { type: 'loguniform', low: 1e-4, high: 1 },
  kind: { type: 'choice', options: ['a', 'b', 'c'] },
};

/** Depends on all three; throws (a failed trial) for x > 1.7. */
export const mixedObjective: ObjectiveFunction = (p) => {
  const x = p.x as number;
  if (x > 1.7) throw new Error('diverged');
  return (x - 0.3) ** 2 + Math.log10(p.lr as number) ** 2 / 10 + (p.kind === 'b' ? 0 : 1);
};

/** {@link mixedObjective} as a training loop: reports 5 steps that approach it, and stops when pruned. */
export const mixedTraining: ObjectiveFunction = async (p, context) => {
  const final = mixedObjective(p, context) as number;
  let value = final;
  for (let step = 0; step < 5; step++) {
    value = final + 1 / (step + 1);
    await context.report(step, value);
    if (context.shouldPrune()) break;
  }
  return value;
};

/** Prunes every third trial at its second step: pruned trials of known lengths for the learning curves. */
export const everyThirdPruner: Pruner = {
  name: 'every-third',
  shouldPrune: ({ trial, step }) => trial.number % 3 === 0 && step >= 1,
};

/** `page` with a chart Vega cannot draw (an expression cut short) first in its first section. */
export const withBrokenChart = (page: ReportPage): ReportPage => {
  const [first, ...rest] = page.sections;
  const broken = {
    id: 'broken',
    title: 'Broken',
    description: 'A chart Vega cannot draw.',
    spec: { data: { values: [{ a: 1 }] }, transform: [{ calculate: 'datum.a +', as: 'b' }], mark: 'point' },
    marks: [],
  };
  return {
    ...page,
    sections: [{ ...(first as ReportPage['sections'][number]), charts: [broken, ...(first?.charts ?? [])] }, ...rest],
  } as ReportPage;
};
