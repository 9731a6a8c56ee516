import { createMemoryStore } from './builtins/memory-store.js';
import type { TrialStore } from './contracts/store.js';
import type { Suggester } from './contracts/suggester.js';
import { type CompiledSpace, compileSpace } from './domain/compile-space.js';
import type { SpaceDefinition } from './domain/space-definition.js';
import { bestTrial, type CompleteTrial, type Direction, type FinishedTrial, type Trial } from './domain/trial.js';
import { storeUnsupported } from './errors.js';
import type { EngineEvent } from './events/engine-event.js';
import { checkImportedRows, type ImportedTrialRow, type InvalidRow, importInvalid } from './runtime/imported-trials.js';
import { interpretObjectiveValue, thrownErrorInfo } from './runtime/interpret-result.js';
import { type AskedTrial, askTrial, tellTrial } from './runtime/study-session.js';

/** What {@link Study.addTrials} did: the trials it added, and the rows it skipped with their problems. */
export interface AddTrialsResult {
  readonly added: readonly FinishedTrial[];
  readonly skipped: readonly InvalidRow[];
}

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
   * Adds finished trials run elsewhere (earlier work, another tool), so the suggester learns from them:
   * they get the next numbers and are ordinary finished trials from then on. Each row is checked against
   * the space (params as the objective sees them; a complete row needs a finite `loss`, see
   * {@link ImportedTrialRow}). Nothing is half-imported: the valid rows are added in one store call.
   *
   * @param options `onInvalid: 'reject'` (default): any invalid row rejects the whole call; `'skip'`:
   *   invalid rows are left out and returned in `skipped`. Row numbers count from 0.
   * @throws {@link ParzenError} `IMPORT_INVALID` listing every invalid row and what was expected and
   *   found; `STORE_UNSUPPORTED` for a store without `addTrials`.
   * @example
   * ```ts
   * await study.addTrials([{ params: { x: 0.5, kernel: 'rbf' }, loss: 0.12 }, { params: { x: 1, kernel: 'linear' }, loss: 0.3 }]);
   * ```
   */
  async addTrials(
    rows: readonly ImportedTrialRow[],
    options: { readonly onInvalid?: 'reject' | 'skip' } = {},
  ): Promise<AddTrialsResult> {
    const { store, space } = this.session;
    if (store.addTrials === undefined) throw storeUnsupported(store.name, 'import trials', 'addTrials');
    const checked = checkImportedRows(space, rows);
    if (checked.invalid.length > 0 && options.onInvalid !== 'skip') throw importInvalid(checked.invalid, rows.length);
    const added = checked.trials.length === 0 ? [] : await store.addTrials(this.name, checked.trials);
    return { added, skipped: checked.invalid };
  }

  trials(): Promise<readonly Trial[]> {
    return this.session.store.listTrials(this.name);
  }

  async best(): Promise<CompleteTrial | undefined> {
    return bestTrial(await this.trials(), this.session.spec.direction);
  }
}
