/**
 * Names in a message, the first `shown` of them and then how many more (`a, b, c and 997 more`): a matrix has up
 * to 1000 studies, and a message that listed them all ran to 23 kB on one line.
 */
export const listNames = (names: readonly string[], shown = 3): string =>
  names.length <= shown ? names.join(', ') : `${names.slice(0, shown).join(', ')} and ${names.length - shown} more`;
