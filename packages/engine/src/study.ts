import { createMemoryStore } from './builtins/memory-store.js';
import type { TrialStore } from './contracts/store.js';
import type { Suggester } from './contracts/suggester.js';
import { type CompiledSpace, compileSpace } from './domain/compile-space.js';
import { toInternalParams } from './domain/params.js';
import type { SpaceDefinition } from './domain/space-definition.js';
import { bestTrial, type CompleteTrial, type Direction, type FinishedTrial, type Trial } from './domain/trial.js';
import { formatIssues, ParzenError, storeUnsupported } from './errors.js';
import type { EngineEvent } from './events/engine-event.js';
import { interpretObjectiveValue, thrownErrorInfo } from './runtime/interpret-result.js';
import { type AskedTrial, askTrial, tellTrial } from './runtime/study-session.js';

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
    return new Study(session, spec.name);
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
   * Queues params for the next trials, as the objective sees them (a choice by its option's value); they
   * may name only some parameters, and the suggester samples the rest. Each entry is taken by exactly one
   * trial (`ask()` here, or a worker sharing the store), before any sampled trial. With a `key`, params
   * whose key the study has already queued are skipped. Resolves to whether the entry was queued.
   *
   * @throws `ParzenError` `PARAMS_INVALID` naming each value that does not fit the space.
   */
  async enqueue(params: Readonly<Record<string, unknown>>, options: { readonly key?: string } = {}): Promise<boolean> {
    const { store, space } = this.session;
    const { params: internal, issues } = toInternalParams(space, params, '', { partial: true });
    if (issues.length > 0)
      throw new ParzenError('PARAMS_INVALID', `Cannot enqueue these params:\n${formatIssues(issues)}`, { issues });
    if (store.enqueue === undefined) throw storeUnsupported(store.name, 'enqueue params', 'enqueue');
    const entry = { params: internal, ...(options.key === undefined ? {} : { key: options.key }) };
    return (await store.enqueue(this.name, [entry])) === 1;
  }

  trials(): Promise<readonly Trial[]> {
    return this.session.store.listTrials(this.name);
  }

  async best(): Promise<CompleteTrial | undefined> {
    return bestTrial(await this.trials(), this.session.spec.direction);
  }
}
