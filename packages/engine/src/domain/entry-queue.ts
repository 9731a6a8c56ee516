import type { EnqueuedParams, EnqueuedSelector } from '../contracts/store.js';
import { canonicalJson } from './canonical-json.js';
import type { ParamAssignment } from './params.js';

/**
 * Which of `waiting` (a study's entries still waiting) the selectors of a `removeEnqueued` call pick: the entry of
 * each key, and every entry whose values are exactly each selector's `internal`. `picked`: their indices in
 * `waiting`, ascending, each once; `missing`: the indices in `which` of the selectors that picked none.
 */
export const pickWaiting = (
  waiting: readonly { readonly internal: unknown; readonly key?: string | undefined }[],
  which: readonly EnqueuedSelector[],
): {
  /** The indices in `waiting` of the entries picked, ascending, each once. */
  readonly picked: readonly number[];
  /** The indices in `which` of the selectors that picked no entry. */
  readonly missing: readonly number[];
} => {
  const byKey = new Map<string, number>();
  const byValues = new Map<string, number[]>();
  waiting.forEach((entry, at) => {
    if (entry.key !== undefined) byKey.set(entry.key, at);
    const values = canonicalJson(entry.internal);
    const same = byValues.get(values);
    if (same === undefined) byValues.set(values, [at]);
    else same.push(at);
  });
  const picked = new Set<number>();
  const missing: number[] = [];
  which.forEach((selector, index) => {
    const found =
      'key' in selector
        ? [byKey.get(selector.key)].filter((at) => at !== undefined)
        : (byValues.get(canonicalJson(selector.internal)) ?? []);
    if (found.length === 0) missing.push(index);
    for (const at of found) picked.add(at);
  });
  return { picked: [...picked].sort((a, b) => a - b), missing };
};

/** A queued entry as a store hands it out (`listEnqueued`, `removeEnqueued`): a copy of its values, its key if any. */
export const storedEntry = ({
  params,
  key,
}: {
  readonly params: ParamAssignment;
  readonly key?: string;
}): EnqueuedParams => ({
  internal: { ...params },
  ...(key === undefined ? {} : { key }),
});

/**
 * One study's enqueued entries as a store keeps them in memory (the memory store, the JSONL store's replay):
 * entries in queue order, handed out oldest first, each once; a key queued once is never queued again; and
 * an added trial that ran a key (see `NewFinishedTrial.key`) takes the waiting entry of that key, so it is
 * never handed out (so it does not run again), or, when the study has none, makes the key known. An entry
 * whose trial ended unrun (interrupted, or its worker died: see `endedUnrun`) waits again, before the rest.
 */
export class EntryQueue<P> {
  /** The entries in queue order (handed-out ones included). */
  readonly entries: P[] = [];
  /** Entries before this position have been handed out. */
  private taken = 0;
  private readonly keys = new Set<string>();
  private readonly positions = new Map<string, number>();
  /** Waiting positions an added trial took. */
  private readonly skipped = new Set<number>();
  /** The position each trial number took (until it is given back). */
  private readonly takenBy = new Map<number, number>();
  /** Positions before `taken` that wait again: their trials ended unrun. */
  private readonly givenBack = new Set<number>();
  /** Positions taken out of the queue while they waited (see `TrialStore.removeEnqueued`). */
  private readonly removed = new Set<number>();
  /** Added trials that ran a key the study had not queued: their own params stand for the entry. */
  private readonly ranOwn = new Map<number, { readonly params: P; readonly key: string }>();

  /** The entries `add` would queue, in order: those without a key, or whose key is new to the study and to them. */
  accepted<
    E extends {
      /** The entry's key; an entry without one is always queued. */
      readonly key?: string;
    },
  >(entries: readonly E[]): E[] {
    const seen = new Set<string>();
    return entries.filter((entry) => {
      if (entry.key === undefined) return true;
      if (this.keys.has(entry.key) || seen.has(entry.key)) return false;
      seen.add(entry.key);
      return true;
    });
  }

  /** Queues `params` unless `key` was queued before; whether it was queued. */
  add(params: P, key?: string): boolean {
    if (key !== undefined) {
      if (this.keys.has(key)) return false;
      this.keys.add(key);
      this.positions.set(key, this.entries.length);
    }
    this.entries.push(params);
    return true;
  }

  /** The position of the entry to hand out next; `entries.length` when none waits. */
  next(): number {
    if (this.givenBack.size > 0) {
      // A loop, not Math.min(...): a spread of 100,000+ positions overflows the stack.
      let oldest = Number.POSITIVE_INFINITY;
      for (const at of this.givenBack) oldest = Math.min(oldest, at);
      return oldest;
    }
    let at = this.taken;
    while (this.skipped.has(at) || this.removed.has(at)) at++;
    return at;
  }

  /** The positions of the entries waiting, in the order they are handed out (given-back ones first). */
  waitingPositions(): number[] {
    const positions = [...this.givenBack].sort((a, b) => a - b);
    for (let at = this.taken; at < this.entries.length; at++)
      if (!this.skipped.has(at) && !this.removed.has(at)) positions.push(at);
    return positions;
  }

  /**
   * The waiting entries `which` picks (see {@link pickWaiting}), in the order they wait, with their positions;
   * `missing` as `pickWaiting` says it.
   */
  pick(which: readonly EnqueuedSelector[]): {
    /** The picked entries' positions in the queue, in the order they wait (what {@link remove} takes). */
    readonly positions: readonly number[];
    /** The picked entries, in the order they wait. */
    readonly entries: readonly {
      /** The entry's values, in the form the queue was given them (a store's: internal values). */
      readonly params: P;
      /** The key it was queued with; absent: none. */
      readonly key?: string;
    }[];
    /** The indices in `which` of the selectors that picked no entry. */
    readonly missing: readonly number[];
  } {
    const positions = this.waitingPositions();
    const waiting = this.waiting();
    const { picked, missing } = pickWaiting(
      waiting.map(({ params, key }) => ({ internal: params, key })),
      which,
    );
    return {
      positions: picked.map((at) => positions[at] as number),
      entries: picked.map((at) => waiting[at] as { readonly params: P; readonly key?: string }),
      missing,
    };
  }

  /** Takes the waiting entries at `positions` out of the queue: never handed out, their keys still known. */
  remove(positions: readonly number[]): void {
    for (const at of positions) {
      this.givenBack.delete(at);
      this.removed.add(at);
    }
  }

  /** The entries taken out of the queue ({@link remove}), in queue order, each with its key if it has one. */
  removedEntries(): {
    /** The entry's values, in the form the queue was given them (a store's: internal values). */
    readonly params: P;
    /** The key it was queued with; absent: none. */
    readonly key?: string;
  }[] {
    const keyAt = this.keysByPosition();
    return [...this.removed]
      .sort((a, b) => a - b)
      .map((at) => {
        const key = keyAt.get(at);
        return { params: this.entries[at] as P, ...(key === undefined ? {} : { key }) };
      });
  }

  /** Records that trial `number` took the entry at `at`. */
  take(at: number, number: number): void {
    this.givenBack.delete(at);
    this.taken = Math.max(this.taken, at + 1);
    this.takenBy.set(number, at);
  }

  /** Whether trial `number` took an entry (and has not given it back). */
  holds(number: number): boolean {
    return this.takenBy.has(number);
  }

  /** Records that trial `number` ended unrun: the entry it took, if any, waits again. */
  giveBack(number: number): void {
    const at = this.takenBy.get(number);
    if (at === undefined) return;
    this.takenBy.delete(number);
    this.givenBack.add(at);
  }

  /** The key of the entry at each position that has one. */
  private keysByPosition(): Map<number, string> {
    const keyAt = new Map<number, string>();
    for (const [key, at] of this.positions) keyAt.set(at, key);
    return keyAt;
  }

  /** The entries waiting, in the order they are handed out (given-back ones first), each with its key if it has one. */
  waiting(): {
    /** The entry's values, in the form the queue was given them (a store's: internal values). */
    readonly params: P;
    /** The key it was queued with; absent: none. */
    readonly key?: string;
  }[] {
    const keyAt = this.keysByPosition();
    return this.waitingPositions().map((at) => {
      const key = keyAt.get(at);
      return { params: this.entries[at] as P, ...(key === undefined ? {} : { key }) };
    });
  }

  /**
   * Records that added trial `number` ran the entry of `key`, `params` being the trial's own (its entry's when
   * the study had not known the key: the first trial added with it).
   */
  ran(key: string, number: number, params: P): void {
    const at = this.positions.get(key);
    if (at !== undefined && at >= this.taken && !this.skipped.has(at) && !this.removed.has(at)) {
      this.skipped.add(at);
      this.takenBy.set(number, at);
    } else if (at !== undefined && this.givenBack.has(at)) {
      // Given back (its trial ended unrun) and now run by the added trial (review 36: it ran again).
      this.givenBack.delete(at);
      this.takenBy.set(number, at);
    } else if (at === undefined && !this.keys.has(key)) this.ranOwn.set(number, { params, key });
    this.keys.add(key);
  }

  /** The entry each trial ran ({@link take}, {@link ran}), by trial number, with its key if it has one. */
  takenEntries(): {
    /** The number of the trial that ran the entry. */
    readonly trial: number;
    /** The entry's params (the trial's own, for an added trial whose key the study had not queued). */
    readonly params: P;
    /** The key it was queued with; absent: none. */
    readonly key?: string;
  }[] {
    const keyAt = this.keysByPosition();
    const taken: { readonly trial: number; readonly params: P; readonly key?: string }[] = [...this.takenBy].map(
      ([trial, at]) => {
        const key = keyAt.get(at);
        return { trial, params: this.entries[at] as P, ...(key === undefined ? {} : { key }) };
      },
    );
    for (const [trial, { params, key }] of this.ranOwn) taken.push({ trial, params, key });
    return taken.sort((a, b) => a.trial - b.trial);
  }
}
