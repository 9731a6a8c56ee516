/** U+FFFD as UTF-8 bytes: a program may print the replacement character itself. */
const REPLACEMENT_BYTES = Buffer.from([0xef, 0xbf, 0xbd]);

/** How many times `needle` occurs in `text`. */
const countOf = (text: string, needle: string): number => text.split(needle).length - 1;

/**
 * Watches a program's stdout as bytes and as the UTF-8 text decoded from them, to tell when it was no UTF-8 (Latin-1
 * bytes were stored as U+FFFD in silence; UTF-16 gave "its last line was \u0000"). `guess` is then
 * what it looks like: UTF-16 by its NUL bytes (or its byte order mark), else text that is not UTF-8.
 */
export class OutputEncodingWatch {
  #bytes = 0;
  #nuls = 0;
  #start: Buffer = Buffer.alloc(0);
  #printedReplacements = 0;
  #decodedReplacements = 0;
  #tail: Buffer = Buffer.alloc(0);

  /** Takes the next chunk of bytes and the text decoded from it (a character split between chunks kept whole). */
  see(bytes: Buffer, decoded: string): void {
    if (this.#start.length < 2) this.#start = Buffer.concat([this.#start, bytes.subarray(0, 2)]);
    this.#bytes += bytes.length;
    for (const byte of bytes) if (byte === 0) this.#nuls++;
    // A U+FFFD the program printed as UTF-8 (its three bytes, maybe split between chunks) is no decoding error.
    const joined = Buffer.concat([this.#tail, bytes]);
    for (let at = joined.indexOf(REPLACEMENT_BYTES); at !== -1; at = joined.indexOf(REPLACEMENT_BYTES, at + 3))
      if (at + 3 > this.#tail.length) this.#printedReplacements++;
    this.#tail = joined.subarray(Math.max(0, joined.length - 2));
    this.#decodedReplacements += countOf(decoded, '\uFFFD');
  }

  /**
   * Takes the text the decoder gave at the end of the stream: a character left unfinished there is not counted, as a
   * program stopped by its time limit (or a pruner) is cut wherever it was, inside a UTF-8 character too, which is no
   * sign of output that is not UTF-8.
   */
  end(_decoded: string): void {}

  /** `UTF-16 (...)` or `not UTF-8 (...)` when the output was no UTF-8; undefined when it was. */
  guess(): string | undefined {
    const first = this.#start[0];
    const second = this.#start[1];
    const bom = (first === 0xff && second === 0xfe) || (first === 0xfe && second === 0xff);
    if (bom || (this.#bytes >= 4 && this.#nuls * 4 >= this.#bytes))
      return `UTF-16, it seems (${bom ? 'it begins with a UTF-16 byte order mark' : 'every other byte is NUL'})`;
    if (this.#decodedReplacements > this.#printedReplacements)
      return "not UTF-8 (bytes that are no UTF-8, such as Latin-1's or Windows-1252's ö and ß, were read as U+FFFD, �)";
    return undefined;
  }
}

/** What to do about output that is no UTF-8, after its {@link OutputEncodingWatch.guess}. */
export const outputEncodingAdvice = (guess: string): string =>
  `its output is ${guess}, and Parzen reads a program's output as UTF-8: print UTF-8 (in Python, set ` +
  `PYTHONIOENCODING=utf-8 in the objective's env, or call sys.stdout.reconfigure(encoding='utf-8') first)`;
