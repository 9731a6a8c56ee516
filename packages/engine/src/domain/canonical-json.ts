/**
 * JSON with every object's keys sorted (arrays keep their order), so two values that differ only in
 * key order give the same text. Spaces are compared this way: `{ "x": ..., "y": ... }` and
 * `{ "y": ..., "x": ... }` are one space, while reordered choice options are not (indices are stored).
 */
export const canonicalJson = (value: unknown): string =>
  JSON.stringify(value, (_key, inner: unknown) =>
    typeof inner === 'object' && inner !== null && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
