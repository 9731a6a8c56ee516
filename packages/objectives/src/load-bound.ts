import { inSeconds } from '@parzen/engine/plugin';

/**
 * What a module's load says when a top-level await in it never settled: Node had nothing left to run that could
 * settle it (a worker thread then exits with code 13; Parzen's own thread would end the process so, without a word).
 */
export const neverSettled = (path: string): string =>
  `Objective module \`${path}\` never finished loading: a top-level await in it (or in a module it imports) never settled.`;

/**
 * A module's load (`loading`: its top-level code and imports), which no trial's limit bounds: said once a tenth of
 * `boundMs` (`loadTimeoutSeconds`) has passed (to `warn`, when given: the first load, before any trial), and refused
 * at `boundMs` with an error naming the module (top-level code that never ends: a synchronous loop ran for 75 s
 * without a word, and only Ctrl-C ended it). In a worker thread the caller then ends the thread. On Parzen's own thread (`onThisThread`, `"isolate": "none"`) the load
 * cannot be ended, but it is refused: at `boundMs` while it awaits, and at once when Node has nothing left to run
 * that could settle it (its event loop is empty: the process ended with exit code 13, without a word).
 */
export const boundedLoad = async <T>(
  loading: Promise<T>,
  path: string,
  boundMs: number,
  how: { readonly warn?: (message: string) => void; readonly onThisThread: boolean },
): Promise<T> => {
  let note: NodeJS.Timeout | undefined;
  let bound: NodeJS.Timeout | undefined;
  let onEmpty: (() => void) | undefined;
  const ending = how.onThisThread ? 'it is refused' : 'its thread is ended';
  try {
    return await Promise.race([
      loading,
      new Promise<never>((_, reject) => {
        note = setTimeout(
          () =>
            how.warn?.(
              `objective module \`${path}\` is still loading after ${inSeconds(boundMs / 10)}: ${how.onThisThread ? 'its top-level code awaits (a slow import or download?)' : 'its top-level code runs (a slow import, or a loop that never ends?)'}; ${ending} if it has not loaded after ${inSeconds(boundMs)}.`,
            ),
          boundMs / 10,
        );
        bound = setTimeout(
          () =>
            reject(
              new Error(
                `Objective module \`${path}\` did not finish loading in ${inSeconds(boundMs)}: its top-level code was still running (${how.onThisThread ? 'an await that settles late, or never?)' : 'a loop that never ends?), so its thread was ended'}. ` +
                  "If its import is slow on purpose, raise the module objective's loadTimeoutSeconds; or do slow work inside the exported function (once, on its first call), where the trial time limit bounds it.",
              ),
            ),
          boundMs,
        );
        // Neither timer keeps the process alive: an empty event loop is how a never-settling await is known.
        note.unref();
        bound.unref();
        if (how.onThisThread) {
          onEmpty = () => reject(new Error(neverSettled(path)));
          process.once('beforeExit', onEmpty);
        }
      }),
    ]);
  } finally {
    clearTimeout(note);
    clearTimeout(bound);
    if (onEmpty !== undefined) process.off('beforeExit', onEmpty);
  }
};
