/**
 * A growable list of (key, tag) pairs kept sorted by key, then tag: typed arrays with binary-search
 * insertion, so a history of 10,000 trials grows one trial at a time with one memmove.
 */
export class SortedPairs {
  size = 0;
  keys = new Float64Array(16);
  tags = new Float64Array(16);

  /** Inserts after every pair with a smaller key, or an equal key and a smaller tag. */
  insert(key: number, tag: number): void {
    if (this.size === this.keys.length) this.grow();
    const at = this.lowerBound(key, tag);
    this.keys.copyWithin(at + 1, at, this.size);
    this.tags.copyWithin(at + 1, at, this.size);
    this.keys[at] = key;
    this.tags[at] = tag;
    this.size++;
  }

  /** The first index whose pair is not smaller than (key, tag). */
  lowerBound(key: number, tag = Number.NEGATIVE_INFINITY): number {
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const k = this.keys[mid] as number;
      if (k < key || (k === key && (this.tags[mid] as number) < tag)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private grow(): void {
    const keys = new Float64Array(this.keys.length * 2);
    keys.set(this.keys);
    const tags = new Float64Array(this.tags.length * 2);
    tags.set(this.tags);
    this.keys = keys;
    this.tags = tags;
  }
}
