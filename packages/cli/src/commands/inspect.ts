import { formatSummary, summarize } from '@parzen/engine';
import { formatTrialsCsv, formatTrialsTable, type TrialRow, trialRows } from '../format-trials.js';
import type { Output } from '../output.js';
import { prepareRuns } from '../prepare-runs.js';
import { parseStoreSpec } from '../store-spec.js';
import { openStudyTrials } from '../study-trials.js';
import { summaryJson } from '../summary-json.js';

/** Flags of `parzen trials` and `parzen best`. */
export interface InspectFlags {
  readonly json?: boolean;
  readonly csv?: boolean;
  readonly store?: string;
}

const loadStudies = async (path: string, flags: InspectFlags) => {
  const runs = await prepareRuns([path], {
    progress: { force: 'off' },
    ...(flags.store === undefined ? {} : { overrides: { store: parseStoreSpec(flags.store) } }),
  });
  const studies = [];
  for (const run of runs) studies.push({ run, trials: await openStudyTrials(run.experiment) });
  return studies;
};

/** `parzen trials <config>`: every trial of the config's study (each matrix variant's), as a table, CSV or JSON. */
export const listTrials = async (path: string, flags: InspectFlags, output: Output): Promise<number> => {
  const rows: TrialRow[] = (await loadStudies(path, flags)).flatMap(({ run, trials }) => trialRows(run, trials));
  if (flags.json === true) output.result(JSON.stringify(rows));
  else if (flags.csv === true) output.result(formatTrialsCsv(rows));
  else output.result(rows.length === 0 ? 'No trials yet.' : formatTrialsTable(rows));
  return 0;
};

/** `parzen best <config>`: the best trial of the study (of each matrix variant), as text or one JSON line. */
export const showBest = async (path: string, flags: InspectFlags, output: Output): Promise<number> => {
  const summaries = (await loadStudies(path, flags)).map(({ run, trials }) => {
    const { config, space } = run.experiment;
    return summarize(config.name, config.direction, space, trials);
  });
  if (flags.json === true) {
    const json = summaries.map((summary) => summaryJson(summary));
    output.result(JSON.stringify(json.length === 1 ? json[0] : json));
  } else {
    for (const summary of summaries) output.result(formatSummary(summary));
  }
  return 0;
};
