/** Splits text into grapheme clusters: what a reader sees as one character. */
const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * The grapheme clusters of `text`, in order: an emoji with its skin tone or its ZWJ sequence (👨‍👩‍👧), a letter with its
 * combining accents (an NFD `é`), a surrogate pair, each one cluster. Text cut between two of them never shows half
 * a character (`�`, an accent dropped, a family split into its people).
 */
export const graphemes = (text: string): string[] => Array.from(segmenter.segment(text), (part) => part.segment);

/**
 * `text` when `fits` takes it, else its longest start of whole grapheme clusters that `fits` takes with `ellipsis`
 * after it (its longest end, the ellipsis before it, `fromEnd`): the one cut of a label or a cell, so a cut never
 * leaves half an emoji (`�`), an NFD `é` without its accent, or a ZWJ family split. Self-contained (no
 * import, no closure): the HTML page's script runs this very function (`cutTextsWhole`).
 */
export function cutWhole(text: string, fits: (shown: string) => boolean, ellipsis = '\u2026', fromEnd = false): string {
  if (fits(text)) return text;
  const segments = new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text);
  // From the start, read lazily (a long cell's end is never segmented); from the end, all of them, reversed.
  const parts = fromEnd ? Array.from(segments).reverse() : segments;
  let kept = '';
  for (const { segment: part } of parts) {
    const longer = fromEnd ? part + kept : kept + part;
    if (!fits(fromEnd ? ellipsis + longer : longer + ellipsis)) break;
    kept = longer;
  }
  return fromEnd ? ellipsis + kept : kept + ellipsis;
}

/** A text item of a drawn Vega scenegraph, as {@link cutTextsWhole} reads and changes it. */
interface TextItem {
  text?: unknown;
  limit?: number;
  ellipsis?: string;
  dir?: string;
}

/** A node of a drawn Vega scenegraph: a mark (its `marktype` and items) or an item (a group's marks in `items`). */
interface SceneNode {
  readonly marktype?: string;
  readonly items?: readonly SceneNode[];
}

/**
 * Cuts each text of a drawn Vega scenegraph that is wider than its `limit` (an axis label, a title, a text mark)
 * between grapheme clusters, with Vega's ellipsis, so Vega draws it as it is: Vega's own cut counts UTF-16 units, and
 * left `🚀🚀…` with half an emoji (`�`), an NFD `é` without its accent, a ZWJ family split. `width`
 * measures a text of an item as Vega does, without its limit. Self-contained but for {@link cutWhole}, so the HTML
 * page's script runs these very functions after each chart is drawn. Returns the items it changed.
 */
export function cutTextsWhole(root: unknown, width: (item: object, text: string) => number): object[] {
  const changed: object[] = [];
  const cut = (item: TextItem): void => {
    const limit = Number(item.limit);
    if (!(limit > 0) || typeof item.text !== 'string') return;
    const text = item.text.trim();
    const shown = cutWhole(text, (part) => width(item, part) < limit, item.ellipsis || '\u2026', item.dir === 'rtl');
    if (shown === text) return;
    item.text = shown;
    item.limit = 0;
    changed.push(item);
  };
  const visit = (node: SceneNode): void => {
    for (const child of node.items ?? []) {
      if (node.marktype === 'text') cut(child as TextItem);
      visit(child);
    }
  };
  visit(root as SceneNode);
  return changed;
}
