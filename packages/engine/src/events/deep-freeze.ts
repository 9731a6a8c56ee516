/** Freezes `value` and everything in it, in place; a value already frozen is not walked again. */
export const deepFreeze = <T>(value: T): T => {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
};

/**
 * A frozen copy of an event, as listeners get it: what one listener changes reaches neither the next one nor the
 * run's own objects. An event that cannot be copied (not plain data) is passed as it is.
 */
export const frozenCopy = <T>(event: T): T => {
  try {
    return deepFreeze(structuredClone(event));
  } catch {
    return event;
  }
};
