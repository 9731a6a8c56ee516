import { type Direction, lossToMinimize, type ParamAssignment, type Trial } from '@parzen/engine/plugin';
import type { PrunedTrialPolicy } from '../options.js';
import { ParamColumn } from './param-column.js';
import { PrunedRanking } from './pruned-ranking.js';
import { SortedPairs } from './sorted-pairs.js';

const UNKNOWN = 0;
const COMPLETE = 1;
const FAILED = 2;
const PRUNED = 3;

/** Complete trials that must have reported a step before a pruned trial's loss is estimated from it. */
const MIN_OFFSETS = 3;

/**
 * The key of an assignment (internal values by parameter name): equal keys mean the same parameters with
 * the same values, whatever the order of the names.
 */
export const assignmentKey = (assignment: ParamAssignment): string =>
  JSON.stringify(
    Object.keys(assignment)
      .sort()
      .map((name) => [name, assignment[name]]),
  );

const codeOf = (trial: Trial): number =>
  trial.state === 'complete'
    ? COMPLETE
    : trial.state === 'failed'
      ? FAILED
      : trial.state === 'pruned'
        ? PRUNED
        : UNKNOWN;

/**
 * What TPE remembers of a study between suggestions. Finished trials are immutable, so each one is
 * folded in once, keyed by its number and state (a trial object is not what identifies it; identity only lets a
 * sync skip reading objects it saw last time, below): losses in sorted order and
 * every parameter's values in sorted columns. Running trials change, so they are re-read every call.
 *
 * @remarks `sync` checks the context against what it holds (the count of finished trials, and the state and loss
 * of each it reads) and
 * rebuilds from scratch when they disagree, so results depend only on the trials passed in. The leading
 * finished trials that are the very objects of the last sync's list, at the same places, are not read again
 * (reading every trial cost half a millisecond per suggestion at 10,000 trials): a finished trial is immutable,
 * so the same object is what was folded in.
 */
export class TrialHistory {
  /**
   * How many times {@link sync} was called: a trial whose decisions come after another trial's sync (a concurrent
   * ask of the study, or of another study sharing the suggester) syncs its own trials back first.
   */
  get syncCount(): number {
    return this.syncs;
  }
  private syncs = 0;
  private study: string | undefined;
  private direction: Direction = 'minimize';
  private states = new Uint8Array(64);
  private losses = new Float64Array(64);
  private finished = 0;
  /** Complete trials as (loss, number). */
  complete = new SortedPairs();
  /** Pruned trials, ranked as Optuna's TPE ranks them (deepest last step, then its value). */
  pruned = new PrunedRanking();
  /** Failed trials, in number order. */
  failed: Trial[] = [];
  /** Running trials of the last sync, in number order. */
  running: readonly Trial[] = [];
  /** The largest trial number seen, + 1. */
  numberLimit = 0;
  /** Each parameter's column of values in complete and pruned trials, by parameter name (see {@link column}). */
  readonly columns = new Map<string, ParamColumn>();

  private policy: PrunedTrialPolicy = 'rank';
  /**
   * The leading finished trials of the last sync's `trials`, as objects, and how many of the first i + 1 of them
   * count as finished (pruned ones under `"ignore"` do not).
   */
  private readonly seen: Trial[] = [];
  private readonly counted: number[] = [];
  /**
   * With `pruned: "impute"`: per step, (loss − value reported at that step, number) of every complete trial
   * that reported the step (both to minimise).
   */
  private readonly stepOffsets = new Map<number, SortedPairs>();
  /**
   * What the repeat check (`avoidRepeats`) reads, kept lazily: the assignments of the finished trials held
   * (complete, failed, and pruned unless ignored) not keyed yet; the values each parameter has had in failed
   * trials (the columns hold the others'); and, built on first use, one key per different assignment. A
   * study whose values never recur (a continuous space) never builds the keys.
   */
  private unkeyed: ParamAssignment[] = [];
  private readonly failedValues = new Map<string, Set<number>>();
  private readonly finishedKeys = new Set<string>();
  /** One assignment per finished key, in the order first seen. */
  private readonly finishedAssignments: ParamAssignment[] = [];
  /** Keys and different assignments of the running trials of the last sync (no finished trial's), on first use. */
  private runningIndex: { readonly keys: Set<string>; readonly assignments: ParamAssignment[] } | undefined;

  /**
   * Brings the history up to date with `trials` (a study's other trials, ordered by number; running ones
   * may be among them) and `running` (running trials, ordered by number), without merging the two lists.
   * With `pruned: "ignore"` (or `true`, as before the policy had three values), pruned trials are left out
   * as if they did not exist; with `"impute"`, the complete trials' learning curves are kept for the split.
   */
  sync(
    study: string,
    direction: Direction,
    trials: readonly Trial[],
    running: readonly Trial[] = [],
    pruned: PrunedTrialPolicy | boolean = 'rank',
  ): void {
    this.syncs += 1;
    const policy = pruned === true ? 'ignore' : pruned === false ? 'rank' : pruned;
    if (policy !== 'rank' && policy !== 'impute' && policy !== 'ignore') {
      throw new TypeError(`TrialHistory.sync: pruned must be "rank", "impute" or "ignore", got ${String(pruned)}`);
    }
    if (study !== this.study || direction !== this.direction || policy !== this.policy) {
      this.policy = policy;
      this.reset(study, direction);
    }
    if (!this.tryExtend(trials, running)) {
      this.reset(study, direction);
      this.tryExtend(trials, running);
    }
  }

  /** The study's direction, as last synced: a loss given in the study's terms (a numeric lie) is turned by it. */
  get studyDirection(): Direction {
    return this.direction;
  }

  /** What pruned trials are, as last synced (the `pruned` option); the split follows it. */
  get prunedPolicy(): PrunedTrialPolicy {
    return this.policy;
  }

  /** The column of a parameter's finished values (empty when never seen). */
  column(name: string): ParamColumn {
    let column = this.columns.get(name);
    if (column === undefined) {
      column = new ParamColumn();
      this.columns.set(name, column);
    }
    return column;
  }

  /** Whether trial `number` is complete or pruned, i.e. its values are in the columns. */
  inColumns(number: number): boolean {
    const code = number < this.states.length ? this.states[number] : UNKNOWN;
    return code === COMPLETE || code === PRUNED;
  }

  /**
   * The value of parameter `name` in trial `number`: from the columns for finished trials, from the trial
   * itself for failed and running ones (they are not in the columns).
   */
  valueOf(name: string, number: number): number | undefined {
    const code = number < this.states.length ? this.states[number] : UNKNOWN;
    if (code === COMPLETE || code === PRUNED) return this.column(name).valueOf(number);
    const trial = this.running.find((t) => t.number === number) ?? this.failed.find((t) => t.number === number);
    return trial?.internal[name];
  }

  /**
   * Folds the new finished trials in. A finished trial already known must have the same state and loss, and
   * the count of finished trials must match; otherwise the caller rebuilds (another study's or a rewritten
   * history). Its params are not compared: finished trials are immutable, and a store that gave a number
   * to another trial with the same state and loss is not told apart.
   */
  private tryExtend(trials: readonly Trial[], runningTrials: readonly Trial[]): boolean {
    const running: Trial[] = [];
    // The leading trials that are the last sync's objects (all finished, folded in then) are skipped: compared
    // by identity, never read.
    const { seen } = this;
    const limit = Math.min(seen.length, trials.length);
    let same = 0;
    while (same < limit && trials[same] === seen[same]) same++;
    seen.length = same;
    this.counted.length = same;
    let seenFinished = same === 0 ? 0 : (this.counted[same - 1] as number);
    const total = trials.length + runningTrials.length;
    for (let i = same; i < total; i++) {
      const trial = (i < trials.length ? trials[i] : runningTrials[i - trials.length]) as Trial;
      const { number } = trial;
      if (number >= this.numberLimit) this.numberLimit = number + 1;
      const code = codeOf(trial);
      if (code === UNKNOWN) {
        running.push(trial);
        continue;
      }
      const counts = !(code === PRUNED && this.policy === 'ignore');
      if (counts) seenFinished++;
      // Still the leading finished trials: kept for the next sync.
      if (i === seen.length && i < trials.length) {
        seen.push(trial);
        this.counted.push(seenFinished);
      }
      if (!counts) continue;
      if (number >= this.states.length) this.ensureCapacity(number);
      const known = this.states[number];
      if (known === UNKNOWN) this.add(trial, code);
      // Another trial under a number held (a store that reused it): rebuilt, not the old one's loss kept (a -0 read
      // back as 0 is the same loss: no NaN reaches here).
      else if (known !== code || this.losses[number] !== this.lossOf(trial)) return false;
    }
    this.running = running;
    this.runningIndex = undefined;
    return seenFinished === this.finished;
  }

  /**
   * A finished trial's loss to minimize; +Infinity for a failed trial, and for a NaN loss (a table store's complete
   * row without one), which would leave the sorted losses out of order, as pruned trials' NaN values already are.
   */
  private lossOf(trial: Trial): number {
    const loss =
      trial.state === 'complete' || (trial.state === 'pruned' && trial.loss !== undefined)
        ? lossToMinimize(trial.loss as number, this.direction)
        : Number.POSITIVE_INFINITY;
    return Number.isNaN(loss) ? Number.POSITIVE_INFINITY : loss;
  }

  private add(trial: Trial, code: number): void {
    const loss = this.lossOf(trial);
    this.states[trial.number] = code;
    this.losses[trial.number] = loss;
    this.finished++;
    this.unkeyed.push(trial.internal);
    if (code === FAILED) {
      for (const [name, value] of Object.entries(trial.internal)) {
        const seen = this.failedValues.get(name);
        if (seen === undefined) this.failedValues.set(name, new Set([value]));
        else seen.add(value);
      }
      const at = this.failed.findIndex((other) => other.number > trial.number);
      this.failed.splice(at < 0 ? this.failed.length : at, 0, trial);
      return;
    }
    if (code === COMPLETE) {
      this.complete.insert(loss, trial.number);
      if (this.policy === 'impute') this.addOffsets(trial, loss);
    } else this.pruned.insert(trial, this.direction);
    for (const [name, value] of Object.entries(trial.internal)) this.column(name).insert(trial.number, value);
  }

  /**
   * Whether a trial held (finished, or running at the last sync) has exactly the assignment of `key`
   * (`assignmentKey`). A trial still being sampled has only some of its values (none, or an enqueued
   * entry's): it matches only an assignment with those values alone.
   */
  tried(key: string): boolean {
    return this.keyedFinished().has(key) || this.running_().keys.has(key);
  }

  /**
   * Whether some tried trial (finished, or running at the last sync) has `value` for parameter `name`. A
   * candidate with a value no trial has cannot repeat one: the cheap first test of the repeat check.
   */
  hadValue(name: string, value: number): boolean {
    const byValue = this.columns.get(name)?.byValue;
    if (byValue !== undefined) {
      const at = byValue.lowerBound(value);
      if (at < byValue.size && byValue.keys[at] === value) return true;
    }
    return (
      this.failedValues.get(name)?.has(value) === true || this.running.some((trial) => trial.internal[name] === value)
    );
  }

  /** How many different assignments the tried trials have (finished, and running at the last sync). */
  get triedCount(): number {
    return this.keyedFinished().size + this.running_().assignments.length;
  }

  /** The different assignments of the tried trials, each once: finished ones, then running ones. */
  *triedAssignments(): IterableIterator<ParamAssignment> {
    this.keyedFinished();
    yield* this.finishedAssignments;
    yield* this.running_().assignments;
  }

  /** The finished trials' keys, after keying the trials added since the last call. */
  private keyedFinished(): Set<string> {
    for (const internal of this.unkeyed) {
      const key = assignmentKey(internal);
      if (this.finishedKeys.has(key)) continue;
      this.finishedKeys.add(key);
      this.finishedAssignments.push(internal);
    }
    this.unkeyed = [];
    return this.finishedKeys;
  }

  private running_(): { readonly keys: Set<string>; readonly assignments: ParamAssignment[] } {
    if (this.runningIndex !== undefined) return this.runningIndex;
    const finished = this.keyedFinished();
    const keys = new Set<string>();
    const assignments: ParamAssignment[] = [];
    for (const trial of this.running) {
      const key = assignmentKey(trial.internal);
      if (keys.has(key)) continue;
      keys.add(key);
      if (!finished.has(key)) assignments.push(trial.internal);
    }
    this.runningIndex = { keys, assignments };
    return this.runningIndex;
  }

  /** The median of (loss − value at `step`) over the complete trials that reported it; undefined under 3. */
  medianOffset(step: number): number | undefined {
    const offsets = this.stepOffsets.get(step);
    const size = offsets?.size ?? 0;
    if (offsets === undefined || size < MIN_OFFSETS) return undefined;
    const keys = offsets.keys;
    const middle = size >> 1;
    return size % 2 === 1 ? (keys[middle] as number) : 0.5 * ((keys[middle - 1] as number) + (keys[middle] as number));
  }

  private addOffsets(trial: Trial, loss: number): void {
    if (!Number.isFinite(loss)) return;
    for (const point of trial.intermediate ?? []) {
      const value = lossToMinimize(point.value, this.direction);
      if (!Number.isFinite(value)) continue;
      let offsets = this.stepOffsets.get(point.step);
      if (offsets === undefined) {
        offsets = new SortedPairs();
        this.stepOffsets.set(point.step, offsets);
      }
      offsets.insert(loss - value, trial.number);
    }
  }

  private ensureCapacity(number: number): void {
    if (number < this.states.length) return;
    const size = Math.max(number + 1, this.states.length * 2);
    const states = new Uint8Array(size);
    states.set(this.states);
    const losses = new Float64Array(size);
    losses.set(this.losses);
    this.states = states;
    this.losses = losses;
  }

  private reset(study: string, direction: Direction): void {
    this.study = study;
    this.direction = direction;
    this.states = new Uint8Array(64);
    this.losses = new Float64Array(64);
    this.finished = 0;
    this.numberLimit = 0;
    this.complete = new SortedPairs();
    this.pruned = new PrunedRanking();
    this.failed = [];
    this.columns.clear();
    this.stepOffsets.clear();
    this.unkeyed = [];
    this.failedValues.clear();
    this.finishedKeys.clear();
    this.finishedAssignments.length = 0;
    this.runningIndex = undefined;
    this.seen.length = 0;
    this.counted.length = 0;
  }
}
