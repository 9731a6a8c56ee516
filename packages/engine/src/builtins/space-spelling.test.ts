import { describe, expect, it } from 'vitest';
import { lookAlikeKey } from '../errors.js';
import { spellingOnlyAdvice } from './space-spelling.js';

const uniform = (high: number) => ({ type: 'uniform', low: 0, high });

describe('spellingOnlyAdvice', () => {
  it('says a space written with other code points (NFD against NFC) is the same space', () => {
    const nfc = { 'Gr\u00f6\u00dfe': uniform(1) };
    const nfd = { 'Gro\u0308\u00dfe': uniform(1) };
    expect(spellingOnlyAdvice(nfc, nfd, 'store', 'config')).toContain('every difference is one of Unicode code points');
  });

  // Review 181: the two look-alike names merged into one, so a space without one of them (and with a bound changed)
  // was said to be the same space, "nothing needs exporting or deleting".
  it('is silent when two names of one space look alike and the other space has one of them', () => {
    const both = { lr: uniform(1), 'lr\u200b': uniform(2) };
    expect(spellingOnlyAdvice(both, { lr: uniform(2) }, 'store', 'config')).toBeUndefined();
    expect(spellingOnlyAdvice({ lr: uniform(1), 'lr ': uniform(1) }, { lr: uniform(1) }, 'store', 'config')).toBe(
      undefined,
    );
  });
});

describe('lookAlikeKey', () => {
  it('drops what shows nothing: a zero-width space, a joiner between ASCII letters, white space at the ends', () => {
    expect(lookAlikeKey('lr\u200b')).toBe('lr');
    expect(lookAlikeKey('l\u200dr')).toBe('lr');
    expect(lookAlikeKey(' lr ')).toBe('lr');
    expect(lookAlikeKey('cafe\u0301')).toBe('caf\u00e9');
  });

  // Review 181: these were taken for look-alikes, and a note said to rename one.
  it('keeps what changes what is shown: flag tags, variation selectors, joiners between emoji or letters beyond ASCII', () => {
    const england = '\u{1F3F4}\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}';
    const scotland = '\u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}';
    expect(lookAlikeKey(england)).not.toBe(lookAlikeKey(scotland));
    expect(lookAlikeKey('\u263a\ufe0e')).not.toBe(lookAlikeKey('\u263a\ufe0f'));
    expect(lookAlikeKey('\u{1F468}\u200d\u{1F469}\u200d\u{1F467}')).not.toBe(
      lookAlikeKey('\u{1F468}\u{1F469}\u{1F467}'),
    );
    expect(lookAlikeKey('\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645')).not.toBe(
      lookAlikeKey('\u0645\u06cc\u062e\u0648\u0627\u0647\u0645'),
    );
  });
});
