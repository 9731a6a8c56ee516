import { ParzenError } from '@parzen/engine/plugin';
import type { NextSuggestion } from '@parzen/report';
import { CliError } from '../exit-codes.js';
import { formatNumber } from '../format-number.js';
import type { Output } from '../output.js';
import { prepareRuns } from '../prepare-runs.js';
import { parseStoreSpec } from '../store-spec.js';
import { openStudyRecord } from '../study-trials.js';
import { formatTable } from '../text-table.js';
import { loadStudies } from './inspect.js';
import { reportStudy, spaceOf, studyOf } from './report.js';

/** Flags of `parzen explain`. */
export interface ExplainFlags {
  readonly store?: string;
  readonly study?: string;
  readonly json?: boolean;
}

const shown = (value: unknown): string => (typeof value === 'number' ? formatNumber(value) : JSON.stringify(value));

/** The assignment as one line: `x = 0.61, model = "svm"`. */
const assignment = (params: Readonly<Record<string, unknown>>): string =>
  Object.entries(params)
    .map(([name, value]) => `${name} = ${shown(value)}`)
    .join(', ');

/** The text `parzen explain` prints: the next params, the split, and how each parameter was decided. */
export const formatNextSuggestion = (
  name: string,
  next: NextSuggestion,
  losses: ReadonlyMap<number, number>,
): string => {
  const { explanation: e, trialNumber, params } = next;
  const running = next.running === 0 ? '' : `, ${next.running} running`;
  const lines = [`Study ${name}, TPE (profile ${e.compat}${running}): the next trial, #${trialNumber}, would get`];
  lines.push(`  ${assignment(params)}`);
  if (e.phase === 'startup') {
    lines.push(
      `It falls in TPE's start-up phase (${e.observed} of ${e.startupTrials} trials observed): drawn by the start-up suggester, not by the model, so there is nothing more to explain.`,
    );
    return lines.join('\n');
  }
  const best = [...e.below]
    .filter((number) => losses.has(number))
    .sort((a, b) => (losses.get(a) as number) - (losses.get(b) as number) || a - b);
  const listed = best
    .slice(0, 5)
    .map((number) => `#${number} ${formatNumber(losses.get(number) as number)}`)
    .join(', ');
  lines.push(
    `From ${e.observed} trials observed: l(x) is built from the ${e.below.length} best${listed === '' ? '' : ` (${listed}${best.length > 5 ? ', …' : ''})`}, g(x) from the others.`,
  );
  const rows = e.params.map((param) => {
    const i = param.winner.index;
    const others = param.group?.filter((member) => member !== param.name) ?? [];
    const value = param.options === undefined ? param.winner.value : param.options[param.winner.value];
    return [
      param.name,
      shown(value),
      others.length === 0 ? 'alone' : `with ${others.join(', ')}`,
      String(param.candidates.x.length),
      formatNumber(param.candidates.logL[i] as number),
      formatNumber(param.candidates.logG[i] as number),
      formatNumber(param.winner.score),
      `${param.below.length}/${param.above.length}`,
    ];
  });
  lines.push(
    formatTable(
      ['param', 'value', 'decided', 'candidates', 'log l', 'log g', 'score', 'below/above'],
      rows,
      new Set([1, 3, 4, 5, 6, 7]),
    ),
    `Each decision draws candidates from l(x) and keeps the one of highest score, log l - w·log g (w = ${formatNumber(e.aboveWeight)}${e.params.some((param) => param.aboveWeight !== e.aboveWeight) ? ', or as the decision says' : ''}); ` +
      'a joint decision scores the group together. `parzen report` draws these densities; --json gives them in full.',
  );
  return lines.join('\n');
};

/**
 * `parzen explain [config]`: the params TPE would suggest for the study's next trial, if no other trial
 * finished first, and how it chose them (read-only: nothing is run, created or written). With `--json`, the
 * explanation in full, as `suggestion.explained` events carry it.
 */
export const explainNext = async (path: string | undefined, flags: ExplainFlags, output: Output): Promise<number> => {
  const report = await import('@parzen/report');
  let study: Parameters<typeof report.explainNextSuggestion>[0];
  if (path === undefined) {
    if (flags.store === undefined)
      throw new CliError('Give a config, or --store SPEC (e.g. --store jsonl:./study.parzen.jsonl).');
    const [found] = await loadStudies(
      undefined,
      { store: flags.store, ...(flags.study === undefined ? {} : { study: flags.study }) },
      output,
    );
    const { record, space, trials } = found as NonNullable<typeof found>;
    study = reportStudy(record, trials, space);
  } else {
    const runs = await prepareRuns([path], {
      progress: { force: 'off' },
      ...(flags.store === undefined ? {} : { overrides: { store: parseStoreSpec(flags.store) } }),
    });
    const run =
      flags.study === undefined && runs.length === 1
        ? runs[0]
        : runs.find((r) => r.experiment.config.name === flags.study);
    if (run === undefined)
      throw new CliError(
        `${path} describes ${runs.length === 1 ? 'study' : 'studies'} ${runs.map((r) => `\`${r.experiment.config.name}\``).join(', ')}: ${flags.study === undefined ? 'pick one with --study NAME' : `none is named ${flags.study}`}.`,
      );
    const { study: stored, trials } = await openStudyRecord(run.experiment);
    study = studyOf(run, trials, stored, spaceOf(run, stored, output));
  }
  const next = await report.explainNextSuggestion(study);
  if (next === undefined)
    throw new ParzenError(
      'CONFIG_INVALID',
      `Study ${study.name} is run by the \`${study.suggester?.use ?? 'unknown'}\` suggester; explain shows how TPE decides (suggester "tpe").`,
    );
  if (next.unknownOptions.length > 0)
    output.note(
      `parzen: warning: study ${study.name} was stored with TPE options this version does not know (${next.unknownOptions.join(', ')}), left out.`,
    );
  if (flags.json === true) {
    output.result(JSON.stringify(next));
    return 0;
  }
  const losses = new Map<number, number>();
  for (const trial of study.trials) if (trial.state === 'complete') losses.set(trial.number, trial.loss);
  output.result(formatNextSuggestion(study.name, next, losses));
  return 0;
};
