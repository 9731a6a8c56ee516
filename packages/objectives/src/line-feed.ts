import type { Readable } from 'node:stream';

/** Lines waiting beyond this many pause the stream (the program then blocks on its next write). */
const HIGH_WATER_LINES = 1024;
/** A line longer than this is passed over rather than kept in memory until its end. */
export const MAX_LINE_CHARS = 1_000_000;
/** `\n`, `\r\n`, or a lone `\r` (a progress bar redrawing its line). */
const LINE_BREAK = /\r?\n|\r/;

/**
 * Feeds a text stream's lines, in order and one at a time, to a handler that may be async: each line
 * waits for the previous one's handler to settle. While lines wait, the stream is paused, so a program
 * printing faster than they are handled is slowed down by its pipe instead of filling memory, and no line
 * is lost. Lines end at `\n`, `\r\n` or a lone `\r`; a line longer than a million characters is passed
 * over. The first handler failure is kept and the later lines are passed over.
 */
export class LineFeed {
  private partial = '';
  /** The current line grew too long: drop it up to its end. */
  private overlong = false;
  /** Lines waiting, each with the time it was read from the stream (`Date.now()`). */
  private readonly queue: { readonly line: string; readonly at: number }[] = [];
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
    /** Called with each line and when it was read (not when its turn came: earlier lines may be slow). */
    private readonly handle: (line: string, readAt: number) => unknown,
    private readonly onFailure: (error: unknown) => void,
    /** Told each line as soon as it is read (its handler may come later), then `undefined` at the end. */
    private readonly onRead?: (line: string | undefined) => void,
  ) {}

  /** Takes a chunk of the stream's text. */
  push(chunk: string): void {
    const lines = (this.partial + chunk).split(LINE_BREAK);
    this.partial = lines.pop() ?? '';
    if (this.overlong && lines.length > 0) {
      lines.shift();
      this.overlong = false;
    }
    if (this.partial.length > MAX_LINE_CHARS) {
      this.partial = '';
      this.overlong = true;
    }
    const at = Date.now();
    for (const line of lines) {
      // Every complete line is measured (trial 130: one whose newline came in the chunk that took it past the
      // limit was kept, so the limit hung on how the pipe chunked the output).
      if (line.length > MAX_LINE_CHARS) continue;
      this.queue.push({ line, at });
      this.onRead?.(line);
    }
    if (this.queue.length > HIGH_WATER_LINES) this.stream.pause();
    void this.pump();
  }

  /** The stream has ended: a last line without a newline is handled too. */
  end(): void {
    if (this.partial !== '' && !this.overlong) {
      this.queue.push({ line: this.partial, at: Date.now() });
      this.onRead?.(this.partial);
    }
    this.partial = '';
    if (!this.ended) this.onRead?.(undefined);
    this.ended = true;
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    for (let next = this.queue.shift(); next !== undefined; next = this.queue.shift()) {
      if (this.failed) continue;
      try {
        await this.handle(next.line, next.at);
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
