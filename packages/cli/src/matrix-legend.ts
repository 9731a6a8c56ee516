import type { MatrixVariant } from '@parzen/engine';
import { variantLegend } from '@parzen/engine/host';

/** A matrix key's path as the comparison rows spell it (`space/x/high`, without a leading `/`). */
const keyPath = (key: string): string => key.replace(/^\//, '');

/** A matrix key's last path segment, which names its part of a study name (`high` of `space/x/high`). */
const lastSegment = (key: string): string =>
  (keyPath(key).split('/').at(-1) ?? key).replaceAll('~1', '/').replaceAll('~0', '~');

/**
 * Where two keys of a matrix end in the same segment (`space/x/high` and `space/y/high`), their parts of a study name
 * read alike (`lblclash.high-2.high-3`): which key each is, in the name's order (`high-… in study names = space/x/high,
 * then space/y/high`), once per such segment.
 */
const sharedSegmentLines = (variants: readonly MatrixVariant[]): string[] => {
  const lines = new Set<string>();
  for (const variant of variants) {
    const bySegment = new Map<string, string[]>();
    for (const key of Object.keys(variant.values))
      bySegment.set(lastSegment(key), [...(bySegment.get(lastSegment(key)) ?? []), keyPath(key)]);
    for (const [segment, keys] of bySegment)
      if (keys.length > 1)
        lines.add(`${segment}-… in study names = ${keys.slice(0, -1).join(', ')}, then ${keys.at(-1)}, in that order`);
  }
  return [...lines];
};

/**
 * What the labels in a matrix's study names stand for: each label that does not show its value (a digest,
 * `suggester tpe-1985c9 = {"use":"tpe","options":{"profile":"optuna5"}}`), and which key each part is where two keys
 * end in the same segment; once each, for the variants given.
 */
export const studyNameLegend = (variants: readonly MatrixVariant[]): string[] => [
  ...variantLegend(variants),
  ...sharedSegmentLines(variants),
];

/** The legend as `run`'s comparison table writes it: `where A = …`, the next lines indented under the first. */
export const legendText = (legend: readonly string[]): string => `where ${legend.join('\n      ')}`;
