/**
 * Whether pair (key, tag) comes before (otherKey, otherTag) in the order the history keeps pairs in: by key,
 * then tag, each ascending (−0 equal to +0) with NaN after every number and equal to NaN. The order is total, so
 * a NaN lands in one place whatever the order and the batches the pairs came in (`<` alone would put it
 * wherever a search or a sort happened to look, which depends on the other pairs queued with it).
 */
export const pairBefore = (key: number, tag: number, otherKey: number, otherTag: number): boolean =>
  key < otherKey ||
  (key === otherKey
    ? numberBefore(tag, otherTag)
    : Number.isNaN(otherKey) && (!Number.isNaN(key) || numberBefore(tag, otherTag)));

/** `a < b`, with NaN after every number (and not before NaN). */
const numberBefore = (a: number, b: number): boolean => a < b || (Number.isNaN(b) && !Number.isNaN(a));

/** −1, 0 or 1 as pair (key, tag) comes before, with or after (otherKey, otherTag) ({@link pairBefore}'s order). */
export const comparePairs = (key: number, tag: number, otherKey: number, otherTag: number): number =>
  pairBefore(key, tag, otherKey, otherTag) ? -1 : pairBefore(otherKey, otherTag, key, tag) ? 1 : 0;

/**
 * A growable list of (key, tag) pairs kept sorted by key, then tag (NaN after every number, ties by tag), in
 * typed arrays. Inserts are queued and merged in on the next read: one insert costs one memmove, a thousand (a
 * study loaded at once) one sort and one merge, so building from n trials is O(n log n), not O(n²).
 */
export class SortedPairs {
  private count = 0;
  private keyArray = new Float64Array(16);
  private tagArray = new Float64Array(16);
  private pendingKeys: number[] = [];
  private pendingTags: number[] = [];

  /** Number of pairs. */
  get size(): number {
    this.flush();
    return this.count;
  }

  /** The keys in order (valid up to `size`; read `size` first or after any insert). */
  get keys(): Float64Array {
    this.flush();
    return this.keyArray;
  }

  /** The tags, aligned with `keys`. */
  get tags(): Float64Array {
    this.flush();
    return this.tagArray;
  }

  /** Queues a pair. */
  insert(key: number, tag: number): void {
    this.pendingKeys.push(key);
    this.pendingTags.push(tag);
  }

  /** The first index whose pair is not smaller than (key, tag). */
  lowerBound(key: number, tag = Number.NEGATIVE_INFINITY): number {
    this.flush();
    return this.lowerBoundBefore(key, tag, this.count);
  }

  private flush(): void {
    const m = this.pendingKeys.length;
    if (m === 0) return;
    const keys = this.pendingKeys;
    const tags = this.pendingTags;
    this.pendingKeys = [];
    this.pendingTags = [];
    if (m === 1) {
      this.insertOne(keys[0] as number, tags[0] as number);
      return;
    }
    // Pairs queued in order (trial numbers as keys, a study read from its start) need no sort.
    let inOrder = true;
    for (let i = 1; i < m && inOrder; i++)
      inOrder = !pairBefore(keys[i] as number, tags[i] as number, keys[i - 1] as number, tags[i - 1] as number);
    if (inOrder) {
      this.merge(keys, tags);
      return;
    }
    const order = Array.from({ length: m }, (_, i) => i).sort((a, b) =>
      comparePairs(keys[a] as number, tags[a] as number, keys[b] as number, tags[b] as number),
    );
    this.merge(
      order.map((i) => keys[i] as number),
      order.map((i) => tags[i] as number),
    );
  }

  private insertOne(key: number, tag: number): void {
    this.reserve(this.count + 1);
    this.count++;
    const at = this.lowerBoundBefore(key, tag, this.count - 1);
    this.keyArray.copyWithin(at + 1, at, this.count - 1);
    this.tagArray.copyWithin(at + 1, at, this.count - 1);
    this.keyArray[at] = key;
    this.tagArray[at] = tag;
  }

  /** Merges sorted pairs in from the back, in place. */
  private merge(keys: readonly number[], tags: readonly number[]): void {
    const old = this.count;
    this.reserve(old + keys.length);
    let i = old - 1;
    let j = keys.length - 1;
    for (let out = old + keys.length - 1; j >= 0; out--) {
      const k = keys[j] as number;
      const t = tags[j] as number;
      const takeOld = i >= 0 && pairBefore(k, t, this.keyArray[i] as number, this.tagArray[i] as number);
      this.keyArray[out] = takeOld ? (this.keyArray[i] as number) : k;
      this.tagArray[out] = takeOld ? (this.tagArray[i] as number) : t;
      if (takeOld) i--;
      else j--;
    }
    this.count = old + keys.length;
  }

  private lowerBoundBefore(key: number, tag: number, end: number): number {
    let lo = 0;
    let hi = end;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (pairBefore(this.keyArray[mid] as number, this.tagArray[mid] as number, key, tag)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private reserve(capacity: number): void {
    if (capacity <= this.keyArray.length) return;
    const size = Math.max(capacity, this.keyArray.length * 2);
    const keys = new Float64Array(size);
    keys.set(this.keyArray.subarray(0, this.count));
    const tags = new Float64Array(size);
    tags.set(this.tagArray.subarray(0, this.count));
    this.keyArray = keys;
    this.tagArray = tags;
  }
}
