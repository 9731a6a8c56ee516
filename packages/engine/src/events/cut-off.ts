/**
 * What is said of a listener cut off after it threw: in `onEvent` it gets no more events, in `end` only
 * its own ending failed. One wording for `optimize`'s reporters and the ask/tell study's `onEvent`.
 */
export const cutOffMessage = (plugin: string, message: string, where: 'onEvent' | 'end'): string =>
  where === 'onEvent'
    ? `reporter \`${plugin}\` threw in onEvent, so it gets no more events (the study goes on): ${message}`
    : `reporter \`${plugin}\` threw in end (the study's trials are not affected): ${message}`;

/**
 * A listener that is called until it throws, then never again: the throw goes to `onFailure` once, and
 * the caller goes on (listeners never steer a study). The rule `optimize`'s reporters and the ask/tell
 * study's `onEvent` share.
 */
export const guardListener = <E>(
  onEvent: (event: E) => void,
  onFailure: (error: unknown) => void,
): ((event: E) => void) => {
  let live = true;
  return (event) => {
    if (!live) return;
    try {
      onEvent(event);
    } catch (error) {
      live = false;
      onFailure(error);
    }
  };
};
