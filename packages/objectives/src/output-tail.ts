/** Keeps the last `limit` characters of a stream's text (a program may print far more than we need). */
export class OutputTail {
  private text = '';
  private dropped = false;

  constructor(private readonly limit: number) {}

  push(chunk: string): void {
    this.text += chunk;
    if (this.text.length > 2 * this.limit) this.trim();
  }

  /** The kept text, with a `…` first when older output was dropped. */
  value(): string {
    this.trim();
    return this.dropped ? `…${this.text}` : this.text;
  }

  private trim(): void {
    if (this.text.length <= this.limit) return;
    this.text = this.text.slice(this.text.length - this.limit);
    this.dropped = true;
  }
}
