import { StringDecoder } from 'node:string_decoder';
import { describe, expect, it } from 'vitest';
import { OutputEncodingWatch } from './output-encoding.js';

/** The watch after `chunks` of stdout, decoded as the command objective decodes them. */
const watched = (...chunks: Buffer[]): OutputEncodingWatch => {
  const watch = new OutputEncodingWatch();
  const decoder = new StringDecoder('utf8');
  for (const chunk of chunks) watch.see(chunk, decoder.write(chunk));
  watch.end(decoder.end());
  return watch;
};

describe('OutputEncodingWatch', () => {
  it('tells Latin-1 and UTF-16 output from UTF-8, a U+FFFD the program printed itself too', () => {
    expect(watched(Buffer.from('Gr\u00f6\u00dfe 1.5\n', 'latin1')).guess()).toMatch(/^not UTF-8/);
    expect(watched(Buffer.from('\ufeff1.5\n', 'utf16le')).guess()).toMatch(/^UTF-16/);
    expect(watched(Buffer.from('Gr\u00f6\u00dfe \ufffd 1.5\n', 'utf8')).guess()).toBeUndefined();
  });

  // Review 181: a program killed at its time limit in the middle of a character was said to print no UTF-8.
  it('does not take a character cut at the end of the stream (a killed program) for output that is not UTF-8', () => {
    const text = Buffer.from('epoch 1 \u2713\n', 'utf8');
    expect(watched(text.subarray(0, text.length - 3)).guess()).toBeUndefined();
  });
});
