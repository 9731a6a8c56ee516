import type { TrialStore } from '../contracts/store.js';
import { isStudyDeleted } from '../errors.js';

/** The store calls that read a study (what they return says whether it held anything). */
const READS = new Set([
  'getStudy',
  'listTrials',
  'listTrialsSince',
  'listEnqueued',
  'listTakenEntries',
  'listRemovedEntries',
]);

/** Whether a read's answer shows the study holding something (a trial, an entry). */
const holds = (method: string, result: unknown): boolean => {
  if (method === 'getStudy') return false;
  if (method === 'listTrialsSince') return ((result as { trials?: readonly unknown[] })?.trials?.length ?? 0) > 0;
  return Array.isArray(result) && result.length > 0;
};

/** Whether a write's answer wrote nothing (no trial made, no entry queued, no trial added). */
const wroteNothing = (method: string, result: unknown): boolean =>
  (method === 'createTrial' && result === undefined) ||
  (method === 'enqueue' && result === 0) ||
  (method === 'addTrials' && Array.isArray(result) && result.length === 0);

/**
 * `store` as a process that opened `study` uses it, which opens the study again, once, when a call finds it deleted
 * (`studyDeleted`) while this process had written nothing to it and had read it empty, and makes the call again:
 * another process that had created the study and added nothing to it took it out meanwhile (an interrupted `parzen
 * import`, which deletes only an empty study), or a `parzen delete` of the empty study. Nothing of the study was lost
 * to this process, so it goes on as if it had begun after the deletion (without this, the run or import that had
 * opened the study an interrupted import took out ended, doing nothing). A study that held a trial or an entry, or one this
 * process wrote to, is not opened again: the error stands. `open` opens it as the process did (`openStudy` with its
 * spec); `reopened` is told whether it found the study there again (another process made it since) or created it.
 */
export const reopeningStore = (
  store: TrialStore,
  study: string,
  open: () => ReturnType<TrialStore['openStudy']>,
  reopened: (resumed: boolean) => void,
): TrialStore => {
  let written = false;
  let held = false;
  // The one re-opening (calls that failed together share it), and the cursors read before it (of the deleted study).
  let reopening: Promise<void> | undefined;
  let generation = 0;
  const staleCursors = new Set<string>();
  const call = async (method: string, fn: (...args: unknown[]) => unknown, args: unknown[]): Promise<unknown> => {
    const at = generation;
    // A cursor of the study as it was before it was opened again points into the deleted one: read it all.
    const given =
      method === 'listTrialsSince' && generation > 0 && typeof args[1] === 'string' && staleCursors.has(args[1])
        ? [args[0]]
        : args;
    try {
      const result = await fn.apply(store, given);
      if (READS.has(method)) {
        if (holds(method, result)) held = true;
        if (method === 'listTrialsSince' && generation === 0) staleCursors.add((result as { cursor: string }).cursor);
      } else if (!wroteNothing(method, result)) written = true;
      return result;
    } catch (error) {
      if (!isStudyDeleted(error) || written || held || (at > 0 && reopening !== undefined)) throw error;
      reopening ??= open().then(({ resumed }) => {
        generation += 1;
        reopened(resumed);
      });
      await reopening;
      return call(method, fn, args);
    }
  };
  return new Proxy(store, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key, target);
      if (typeof value !== 'function') return value;
      const fn = value as (...args: unknown[]) => unknown;
      if (typeof key !== 'string' || key === 'openStudy' || key === 'close' || key === 'deleteStudy')
        return fn.bind(target);
      return (...args: unknown[]) => (args[0] === study ? call(key, fn, args) : fn.apply(target, args));
    },
  });
};

/**
 * What a process (`who`: "this run", "this import") says when {@link reopeningStore} opened its study again: it was
 * taken out after the process opened it and before it wrote to it, and the process goes on.
 */
export const studyReopenedNote = (study: string, who: string, resumed: boolean): string =>
  `study ${study} was taken out of the store after ${who} opened it and before ${who} wrote to it (another import that had created it was stopped or failed, and took it out again as it held nothing; or \`parzen delete\`): ${who} ${resumed ? 'found it created again by another process' : 'created it again'}, and goes on.`;
