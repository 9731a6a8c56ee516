import { countOf } from '@parzen/engine/plugin';
import type { Output } from '../output.js';
import { closeStarted, prepareRuns } from '../prepare-runs.js';

/**
 * `parzen validate <config...>`: checks each config like `run` does (schema, space, plugin options, the
 * objective's module or program) without running a trial, and says what would run.
 */
export const validateConfigs = async (paths: readonly string[], output: Output, json = false): Promise<number> => {
  const runs = await prepareRuns(paths, { preflight: true, progress: { force: 'off' } });
  await closeStarted(runs);
  const valid: { file: string; studies: string[] }[] = [];
  for (const path of paths) {
    const mine = runs.filter((run) => run.configPath === path);
    const first = mine[0]?.experiment;
    if (first === undefined) continue;
    const { config, space } = first;
    const what =
      `${countOf(space.params.length, 'parameter')}, objective ${config.objective.use}, suggester ${config.suggester.use}, ` +
      `store ${config.store.use}, budget ${JSON.stringify(config.budget)}`;
    const studies =
      mine.length > 1
        ? `${mine.length} matrix variants (${mine.map((run) => run.experiment.config.name).join(', ')})`
        : `study ${config.name}`;
    valid.push({ file: path, studies: mine.map((run) => run.experiment.config.name) });
    if (json) output.note(`${path}: valid: ${studies}; ${what}`);
    else output.result(`${path}: valid: ${studies}; ${what}`);
  }
  if (json) output.result(JSON.stringify({ valid }));
  return 0;
};
