/**
 * A lookup table's own entry for `key`, never a member every object inherits (otherwise an unknown config
 * field `constructor` is "noted" with `function Object() { [native code] }`, a command's stdout line
 * `constructor` read as a number, a CSV state `constructor` as a function).
 */
export const ownEntry = <T>(table: Readonly<Record<string, T>>, key: string): T | undefined =>
  Object.hasOwn(table, key) ? table[key] : undefined;
