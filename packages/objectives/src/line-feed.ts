import type { Readable } from 'node:stream';

/** Lines waiting beyond this many pause the stream (the program then blocks on its next write). */
const HIGH_WATER_LINES = 1024;

/**
 * Feeds a text stream's lines, in order and one at a time, to a handler that may be async: each line
 * waits for the previous one's handler to settle. While lines wait, the stream is paused, so a program
 * printing faster than they are handled is slowed down by its pipe instead of filling memory, and no line
 * is lost. The first handler failure is kept and the later lines are passed over.
 */
export class LineFeed {
  private partial = '';
  private readonly queue: string[] = [];
  private pumping = false;
  private ended = false;
  private finish: () => void = () => undefined;
  /** Resolves once the stream has ended and every line has been handled. */
  readonly drained = new Promise<void>((resolve) => {
    this.finish = resolve;
  });
  /** The first error a handler threw, if any (`failed` tells a thrown `undefined` apart). */
  error: unknown;
  failed = false;

  constructor(
    private readonly stream: Readable,
    private readonly handle: (line: string) => unknown,
    private readonly onFailure: (error: unknown) => void,
  ) {}

  /** Takes a chunk of the stream's text. */
  push(chunk: string): void {
    const lines = (this.partial + chunk).split(/\r?\n/);
    this.partial = lines.pop() ?? '';
    this.queue.push(...lines);
    if (this.queue.length > HIGH_WATER_LINES) this.stream.pause();
    void this.pump();
  }

  /** The stream has ended: a last line without a newline is handled too. */
  end(): void {
    if (this.partial !== '') this.queue.push(this.partial);
    this.partial = '';
    this.ended = true;
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    for (let line = this.queue.shift(); line !== undefined; line = this.queue.shift()) {
      if (this.failed) continue;
      try {
        await this.handle(line);
      } catch (error) {
        this.failed = true;
        this.error = error;
        this.onFailure(error);
      }
    }
    this.pumping = false;
    if (this.stream.isPaused()) this.stream.resume();
    if (this.ended) this.finish();
  }
}
