import { createMemoryStore } from './builtins/memory-store.js';
import type { Pruner } from './contracts/pruner.js';
import type { TrialStore } from './contracts/store.js';
import type { Suggester } from './contracts/suggester.js';
import { type CompiledSpace, compileSpace } from './domain/compile-space.js';
import type { SpaceDefinition } from './domain/space-definition.js';
import { bestTrial, type CompleteTrial, type Direction, type FinishedTrial, type Trial } from './domain/trial.js';
import type { EngineEvent } from './events/engine-event.js';
import { interpretObjectiveValue, thrownErrorInfo } from './runtime/interpret-result.js';
import { createPruning, type Pruning } from './runtime/pruning.js';
import { type AskedTrial, askTrial, finishAskedTrial, tellTrial } from './runtime/study-session.js';

export interface StudyOptions {
  readonly name?: string;
  readonly space: SpaceDefinition;
  readonly suggester: Suggester;
  /** Default: a memory store. */
  readonly store?: TrialStore;
  readonly seed?: number;
  readonly direction?: Direction;
  /** Receives the study's events (trial.started, trial.finished, suggestion.explained). */
  readonly onEvent?: (event: EngineEvent) => void;
  readonly explain?: boolean;
  /** Judges trials at each {@link Study.report} (default: never prunes). */
  readonly pruner?: Pruner;
}

/**
 * The ask/tell interface: you run the objective, the study suggests and records.
 *
 * @example
 * ```ts
 * const study = await Study.open({ space: { x: uniform(-2, 2) }, suggester: createRandomSuggester() });
 * const trial = await study.ask();
 * await study.tell(trial.number, (trial.values.x as number) ** 2);
 * ```
 */
export class Study {
  private constructor(
    private readonly session: Parameters<typeof askTrial>[0],
    readonly name: string,
    private readonly pruning: Pruning,
  ) {}

  /** Opens (creates or resumes) a study in the store. */
  static async open(options: StudyOptions): Promise<Study> {
    const space: CompiledSpace = compileSpace(options.space);
    const store = options.store ?? createMemoryStore();
    const spec = {
      name: options.name ?? 'study',
      direction: options.direction ?? 'minimize',
      seed: options.seed ?? 0,
      space: options.space,
    };
    await store.openStudy(spec);
    const session = {
      spec,
      space,
      store,
      suggester: options.suggester,
      emit: options.onEvent ?? (() => {}),
      ...(options.explain === undefined ? {} : { explain: options.explain }),
    };
    const pruning = createPruning({
      study: spec.name,
      direction: spec.direction,
      store,
      emit: session.emit,
      // Reports come one at a time from the caller: judge each on a fresh listing.
      refreshMs: 0,
      ...(options.pruner === undefined ? {} : { pruner: options.pruner }),
    });
    return new Study(session, spec.name, pruning);
  }

  /** A new trial with suggested params (`values` is what the objective should get). */
  async ask(): Promise<AskedTrial> {
    const asked = await askTrial(this.session);
    if (asked === undefined) throw new Error('unreachable: no limit was given');
    return asked;
  }

  /**
   * Records a result: a number or `{ loss, ... }` completes the trial; NaN, infinities, anything else,
   * or an Error fails it with the reason.
   */
  async tell(number: number, result: unknown): Promise<FinishedTrial> {
    const evaluation =
      result instanceof Error
        ? { status: 'failed' as const, error: thrownErrorInfo(result) }
        : interpretObjectiveValue(result);
    return tellTrial(this.session, number, evaluation);
  }

  /**
   * Records an intermediate value of running trial `number` (step: a non-negative integer such as an
   * epoch) and asks the study's pruner; resolves to true when the trial should stop. Then end it with
   * {@link Study.prune} (or {@link Study.tell} to complete it anyway).
   */
  report(number: number, step: number, value: number): Promise<boolean> {
    return this.pruning.report(number, step, value);
  }

  /** Ends running trial `number` as pruned, with the last value it reported (a pruned trial is never best). */
  async prune(number: number): Promise<FinishedTrial> {
    const trial = (await this.trials()).find((t) => t.number === number);
    const value = trial?.intermediate?.at(-1)?.value;
    return finishAskedTrial(
      this.session,
      number,
      value === undefined ? { state: 'pruned' } : { state: 'pruned', value },
    );
  }

  trials(): Promise<readonly Trial[]> {
    return this.session.store.listTrials(this.name);
  }

  async best(): Promise<CompleteTrial | undefined> {
    return bestTrial(await this.trials(), this.session.spec.direction);
  }
}
