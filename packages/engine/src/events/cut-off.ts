import { isThenable } from '../errors.js';

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
 * the caller goes on (listeners never steer a study). A listener that returns a promise (an `async`
 * one, posting each event somewhere) is not awaited, and its rejection counts as a throw (left
 * unhandled, the run's stray-error catch would blame a running objective and fail healthy trials).
 * The rule `optimize`'s reporters and the ask/tell study's `onEvent` share.
 */
export const guardListener = <E>(
  onEvent: (event: E) => unknown,
  onFailure: (error: unknown) => void,
): ((event: E) => void) => {
  let live = true;
  const failed = (error: unknown) => {
    if (!live) return;
    live = false;
    onFailure(error);
  };
  return (event) => {
    if (live) callCatching(() => onEvent(event), failed);
  };
};

/**
 * Calls a listener without awaiting it: what it throws, or the rejection of the promise it returns (an
 * `async` one), goes to `onFailure`, never to the process as an unhandled rejection.
 */
export const callCatching = (call: () => unknown, onFailure: (error: unknown) => void): void => {
  try {
    const returned = call();
    if (isThenable(returned)) returned.then(undefined, onFailure);
  } catch (error) {
    onFailure(error);
  }
};
