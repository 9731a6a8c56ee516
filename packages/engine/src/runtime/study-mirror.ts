import type { TrialStore } from '../contracts/store.js';
import type { CompleteTrial, Direction, FinishedTrial, RunningTrial, Trial } from '../domain/trial.js';
import type { StudyTrialCounts } from '../events/engine-event.js';

/** What a suggester is shown: the study's finished trials and its running ones, each in number order. */
export interface TrialViews {
  readonly history: readonly FinishedTrial[];
  readonly running: readonly RunningTrial[];
}

/** Inserts `trial` into `finished` (ordered by number); most trials finish in order, so usually a push. */
const insertByNumber = (finished: FinishedTrial[], trial: FinishedTrial): void => {
  const last = finished.at(-1);
  if (last === undefined || last.number < trial.number) {
    finished.push(trial);
    return;
  }
  let low = 0;
  let high = finished.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((finished[middle] as FinishedTrial).number < trial.number) low = middle + 1;
    else high = middle;
  }
  finished.splice(low, 0, trial);
};

/** How long a suggestion waits, at most, for the params of trials other processes are deciding. */
const OTHERS_WAIT_MS = 1000;
/** How often the store is read again meanwhile. */
const OTHERS_POLL_MS = 5;
/** A trial without params numbered longer ago than this is not waited for (no decision takes so long). */
const UNDECIDED_RECENT_MS = 10_000;

/**
 * The run loop's own copy of one study, kept up to date from the store. With a store that lists changes
 * (`listTrialsSince`) a refresh reads only what changed, and the finished trials are kept in one array
 * that grows in place: showing them to a suggester costs nothing, where a full listing copies the whole
 * study (at 100,000 trials a fresh array of that size costs milliseconds); a suggester that changes the
 * array is undone after it (see `repairFinished`). Other stores are listed in full.
 *
 * Refreshes and the suggestions that read the views run one at a time ({@link StudyMirror.whileStable}),
 * so the arrays a suggester is shown do not change while it decides.
 */
export class StudyMirror {
  private readonly byNumber: (Trial | undefined)[] = [];
  /** How many entries of `byNumber` are set (all of them unless trial numbers have gaps). */
  private known = 0;
  private finished: FinishedTrial[] = [];
  /**
   * The finished trials as the mirror put them, the array a suggester is shown compared with it after each
   * suggestion (see `repairFinished`): the same trials in the same places, compared by identity.
   */
  private kept: FinishedTrial[] = [];
  private readonly runningNumbers = new Set<number>();
  private cursor: string | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  /** This process's trials that have a number and no params yet (each waits for its turn to be decided). */
  private readonly deciding = new Set<number>();
  /** Other processes' trials whose params were waited for in vain once (a worker gone mid-decision). */
  private readonly waitedFor = new Set<number>();
  /** The finished trials by state and the complete ones of lowest and highest loss, kept as trials finish. */
  private failedCount = 0;
  private prunedCount = 0;
  private lowest: CompleteTrial | undefined;
  private highest: CompleteTrial | undefined;

  constructor(
    private readonly store: TrialStore,
    private readonly study: string,
    /** How long a suggestion waits for the params of trials other processes are deciding. */
    private readonly othersWaitMs = OTHERS_WAIT_MS,
  ) {}

  /** Marks this process's trial `number` as having no params yet (until {@link decided}): no suggestion waits for it. */
  undecided(number: number): void {
    this.deciding.add(number);
  }

  /** This process's trial `number` has its params in the store (or failed). */
  decided(number: number): void {
    this.deciding.delete(number);
  }

  /**
   * Runs `task` with the views refreshed from the store, after any earlier task has finished; the views
   * stay unchanged until `task` settles. `without` leaves that (running) trial out of `running`. Trials
   * another process has numbered below this one and not yet given params (it is deciding them now) are
   * waited for first, up to `othersWaitMs`, so the suggester sees their params (otherwise workers
   * deciding at the same moment repeat each other's trials, unseen by the constant liar and the repeat check); of
   * two trials decided at once, the later-numbered one sees the other.
   */
  whileStable<T>(without: number, task: (views: TrialViews) => Promise<T>): Promise<T> {
    return this.inTurn(async () => {
      await this.awaitOthersParams(without);
      const length = this.finished.length;
      try {
        return await task({ history: this.finished, running: this.runningWithout(without) });
      } finally {
        this.repairFinished(length);
      }
    });
  }

  /**
   * Runs `task` with every trial of the study, running ones too, ordered by number (as `listTrials`
   * gives them), refreshed from the store and in turn as {@link whileStable}; the array is the mirror's
   * own, unchanged until `task` settles.
   */
  withAllTrials<T>(task: (trials: readonly Trial[]) => T | Promise<T>): Promise<T> {
    return this.inTurn(() => task(this.allTrials()));
  }

  private inTurn<T>(task: () => T | Promise<T>): Promise<T> {
    const run = this.queue.then(async () => {
      await this.refresh();
      return task();
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Trial numbers run from 0 without gaps, so the trials by number are the study in order, as they are. */
  private allTrials(): readonly Trial[] {
    if (this.known === this.byNumber.length) return this.byNumber as readonly Trial[];
    return this.byNumber.filter((trial): trial is Trial => trial !== undefined);
  }

  /** How many trials of the study have finished, refreshed from the store (in turn, as the others). */
  finishedCount(): Promise<number> {
    return this.inTurn(() => this.finished.length);
  }

  private async refresh(): Promise<void> {
    const { store, study } = this;
    if (store.listTrialsSince === undefined) {
      this.rebuild(await store.listTrials(study));
      return;
    }
    const changes = await store.listTrialsSince(study, this.cursor);
    for (const trial of changes.trials) this.apply(trial);
    this.cursor = changes.cursor;
  }

  /**
   * The finished trials by state and the best complete one, as of the last refresh: kept as trials arrive, so
   * asking costs nothing however large the study (a pass over the history per trial would make long runs
   * quadratic). Ties go to the lower number, as `bestTrial`.
   */
  trialCounts(direction: Direction): StudyTrialCounts {
    const best = direction === 'minimize' ? this.lowest : this.highest;
    return {
      finished: this.finished.length,
      failed: this.failedCount,
      pruned: this.prunedCount,
      ...(best === undefined ? {} : { best: { number: best.number, loss: best.loss } }),
    };
  }

  private count(trial: FinishedTrial): void {
    if (trial.state === 'failed') this.failedCount++;
    else if (trial.state === 'pruned') this.prunedCount++;
    else {
      const { lowest, highest } = this;
      const earlier = (other: CompleteTrial) => trial.number < other.number;
      if (lowest === undefined || trial.loss < lowest.loss || (trial.loss === lowest.loss && earlier(lowest)))
        this.lowest = trial;
      if (highest === undefined || trial.loss > highest.loss || (trial.loss === highest.loss && earlier(highest)))
        this.highest = trial;
    }
  }

  private rebuild(trials: readonly Trial[]): void {
    this.byNumber.length = 0;
    this.known = 0;
    this.runningNumbers.clear();
    this.finished = [];
    this.kept = [];
    this.failedCount = 0;
    this.prunedCount = 0;
    this.lowest = undefined;
    this.highest = undefined;
    for (const trial of trials) this.apply(trial);
  }

  private apply(trial: Trial): void {
    const before = this.byNumber[trial.number];
    if (before === undefined) this.known++;
    this.byNumber[trial.number] = trial;
    if (trial.state === 'running') {
      this.runningNumbers.add(trial.number);
      return;
    }
    this.runningNumbers.delete(trial.number);
    // Finished trials never change: one seen finished before is already in place.
    if (before === undefined || before.state === 'running') {
      insertByNumber(this.finished, trial);
      insertByNumber(this.kept, trial);
      this.count(trial);
    }
  }

  /**
   * Puts `finished` back as it was when a suggester was shown it, `length` trials in number order, if the suggester
   * changed it (one that sorts the array it is given would reorder the engine's history for every later trial). A
   * check, not a copy: a copy per suggestion costs 3 ms at 100,000 trials. Each entry is compared by identity with the
   * mirror's own array, never read: reading each trial's `number` costs 17 ms per suggestion at 50,000 trials with
   * intermediate values (trials of many shapes make each read slow). A suggester that sorts its history, or replaces an
   * entry, still works.
   */
  private repairFinished(length: number): void {
    const { finished, kept } = this;
    let intact = finished.length === length && length === kept.length;
    for (let i = 0; intact && i < length; i++) intact = finished[i] === kept[i];
    if (!intact) this.finished = kept.slice();
  }

  /** Refreshes until no other process's recent running trial lacks params, or `othersWaitMs` has passed. */
  private async awaitOthersParams(without: number): Promise<void> {
    const deadline = performance.now() + this.othersWaitMs;
    for (;;) {
      const undecided = this.undecidedOthers(without);
      if (undecided.length === 0) return;
      if (performance.now() >= deadline) {
        for (const number of undecided) this.waitedFor.add(number);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, OTHERS_POLL_MS));
      await this.refresh();
    }
  }

  /**
   * Running trials of other processes without params, started recently, not waited for before, and numbered
   * below every trial this process is deciding (two workers that wait for each other's trial
   * would both wait the full second). A wait then always goes to a lower number than any the waiting process
   * holds undecided, so no two processes, however many trials each has in flight, wait for each other in
   * a cycle: the lowest undecided trial waits for nobody.
   */
  private undecidedOthers(without: number): number[] {
    const now = Date.now();
    let below = without;
    for (const own of this.deciding) below = Math.min(below, own);
    const undecided: number[] = [];
    for (const number of this.runningNumbers) {
      if (number >= below || this.deciding.has(number) || this.waitedFor.has(number)) continue;
      const trial = this.byNumber[number] as RunningTrial;
      if (Object.keys(trial.internal).length > 0) continue;
      // One numbered long ago is no decision under way (a worker killed mid-decision, before a resume).
      const started = Date.parse(trial.startedAt);
      if (Number.isFinite(started) && now - started > UNDECIDED_RECENT_MS) continue;
      undecided.push(number);
    }
    return undecided;
  }

  private runningWithout(number: number): RunningTrial[] {
    const running: RunningTrial[] = [];
    for (const other of this.runningNumbers) {
      if (other === number) continue;
      running.push(this.byNumber[other] as RunningTrial);
    }
    return running.sort((a, b) => a.number - b.number);
  }
}
