import type { LoadedExperiment } from '@parzen/engine';
import { countOf } from '@parzen/engine/plugin';
import type { Output } from '../output.js';
import { closeStarted, prepareRuns } from '../prepare-runs.js';

/**
 * `parzen validate <config...>`: checks each config like `run` does (schema, space, plugin options, the
 * objective's module or program) without running a trial, and says what would run.
 */
export const validateConfigs = async (paths: readonly string[], output: Output, json = false): Promise<number> => {
  const runs = await prepareRuns(paths, { preflight: true, oneRunPerStudy: true, progress: { force: 'off' } });
  await closeStarted(runs);
  const valid: { file: string; studies: string[] }[] = [];
  for (const path of paths) {
    const mine = runs.filter((run) => run.configPath === path);
    const first = mine[0]?.experiment;
    if (first === undefined) continue;
    // What the variants of a matrix have: each distinct value once (`suggester random | tpe`).
    const each = (describe: (experiment: LoadedExperiment) => string): string =>
      [...new Set(mine.map((run) => describe(run.experiment)))].join(' | ');
    const what =
      `${each(({ space }) => countOf(space.params.length, 'parameter'))}, ` +
      `objective ${each(({ config }) => config.objective.use)}, suggester ${each(({ config }) => config.suggester.use)}, ` +
      `store ${each(({ config }) => config.store.use)}, budget ${each(({ config }) => JSON.stringify(config.budget))}`;
    const studies =
      mine.length > 1
        ? `${mine.length} matrix variants (${mine.map((run) => run.experiment.config.name).join(', ')})`
        : `study ${first.config.name}`;
    valid.push({ file: path, studies: mine.map((run) => run.experiment.config.name) });
    if (json) output.note(`${path}: valid: ${studies}; ${what}`);
    else output.result(`${path}: valid: ${studies}; ${what}`);
  }
  if (json) output.result(JSON.stringify({ valid }));
  return 0;
};
