/** Splits text into grapheme clusters: what a reader sees as one character. */
const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * The grapheme clusters of `text`, in order: an emoji with its skin tone or its ZWJ sequence (👨‍👩‍👧), a letter with its
 * combining accents (an NFD `é`), a surrogate pair, each one cluster. Text cut between two of them never shows half
 * a character (`�`, an accent dropped, a family split into its people).
 */
export const graphemes = (text: string): string[] => Array.from(segmenter.segment(text), (part) => part.segment);
