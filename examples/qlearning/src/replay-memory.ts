import type { Random } from './random.js';

/** Receives one remembered step: the state's table row, the action, the next state's row, whether the pole fell. */
export type Visit = (state: number, action: number, next: number, failed: boolean) => void;

/**
 * The recall memory: the transitions of the last `episodes` episodes, kept in a ring of typed arrays.
 * When an episode ends and more than `episodes` are held, the oldest one is forgotten whole.
 */
export class ReplayMemory {
  private readonly states: Int32Array;
  private readonly actions: Uint8Array;
  private readonly nexts: Int32Array;
  private readonly failures: Uint8Array;
  private readonly episodeLengths: number[] = [];
  private head = 0;
  private size = 0;
  private currentLength = 0;

  constructor(
    private readonly episodes: number,
    maxEpisodeLength: number,
  ) {
    const capacity = (episodes + 1) * maxEpisodeLength;
    this.states = new Int32Array(capacity);
    this.actions = new Uint8Array(capacity);
    this.nexts = new Int32Array(capacity);
    this.failures = new Uint8Array(capacity);
  }

  /** How many transitions are held. */
  get length(): number {
    return this.size;
  }

  /** Remembers one transition of the running episode. */
  push(state: number, action: number, next: number, failed: boolean): void {
    const at = (this.head + this.size) % this.states.length;
    this.states[at] = state;
    this.actions[at] = action;
    this.nexts[at] = next;
    this.failures[at] = failed ? 1 : 0;
    this.size++;
    this.currentLength++;
  }

  /** Closes the running episode, forgetting the oldest episodes beyond the memory's size. */
  endEpisode(): void {
    this.episodeLengths.push(this.currentLength);
    this.currentLength = 0;
    while (this.episodeLengths.length > this.episodes) {
      const forgotten = this.episodeLengths.shift() ?? 0;
      this.head = (this.head + forgotten) % this.states.length;
      this.size -= forgotten;
    }
  }

  /** Calls `visit` for `count` transitions drawn uniformly with replacement. */
  recall(count: number, random: Random, visit: Visit): void {
    if (this.size === 0) return;
    for (let i = 0; i < count; i++) {
      const at = (this.head + Math.floor(random() * this.size)) % this.states.length;
      visit(this.states[at] ?? 0, this.actions[at] ?? 0, this.nexts[at] ?? 0, this.failures[at] === 1);
    }
  }
}
