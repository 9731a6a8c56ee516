import { inSeconds, NEVER_SETTLED } from '@parzen/engine/plugin';

/**
 * What a module's load says when a top-level await in it never settled: Node had nothing left to run that could
 * settle it (a worker thread then exits with code 13; on Parzen's own thread `inModuleLoad` says it so).
 */
export const neverSettled = (path: string): string =>
  `Objective module \`${path}\` never finished loading: ${NEVER_SETTLED}`;

/**
 * A module's load (`loading`: its top-level code and imports), which no trial's limit bounds: said once a tenth of
 * `boundMs` (`loadTimeoutSeconds`) has passed (to `warn`, when given: the first load, before any trial), and refused
 * at `boundMs` with an error naming the module (top-level code that never ends: a synchronous loop ran for 75 s
 * without a word, and only Ctrl-C ended it). In a worker thread the caller then ends the thread. On Parzen's own thread (`onThisThread`, `"isolate": "none"`) the load
 * cannot be ended, but it is refused at `boundMs` while it awaits (one that can never settle is refused at once by
 * `inModuleLoad`).
 */
export const boundedLoad = async <T>(
  loading: Promise<T>,
  path: string,
  boundMs: number,
  how: { readonly warn?: (message: string) => void; readonly onThisThread: boolean },
): Promise<T> => {
  let note: NodeJS.Timeout | undefined;
  let bound: NodeJS.Timeout | undefined;
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
      }),
    ]);
  } finally {
    clearTimeout(note);
    clearTimeout(bound);
  }
};
