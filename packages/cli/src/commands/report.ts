import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  type ExternalParams,
  type LoadedExperiment,
  openStoreForReading,
  ParzenError,
  type Trial,
} from '@parzen/engine';
import { loadModuleExport } from '@parzen/objectives';
import type { ContourFunction, ReportOptions, ReportStudy } from '@parzen/report';
import { CliError } from '../exit-codes.js';
import type { Output } from '../output.js';
import { type PreparedRun, prepareRuns } from '../prepare-runs.js';
import { parseStoreSpec } from '../store-spec.js';
import { openStudyTrials } from '../study-trials.js';

/** Flags of `parzen report`. */
export interface ReportFlags {
  readonly output?: string;
  readonly store?: string;
  readonly format?: string;
  /** `true` (flag alone): the config's `module` objective; a string: `FILE#EXPORT`. */
  readonly contour?: boolean | string;
  readonly pair?: readonly string[];
  readonly every?: number;
  readonly serve?: boolean;
  readonly port?: number;
  readonly interval?: number;
}

const studyOf = (run: PreparedRun, trials: readonly Trial[]): ReportStudy => {
  const { config, space } = run.experiment;
  return {
    name: config.name,
    direction: config.direction,
    seed: config.seed,
    space,
    trials,
    suggester: {
      use: config.suggester.use,
      ...(config.suggester.options === undefined
        ? {}
        : { options: config.suggester.options as Readonly<Record<string, unknown>> }),
    },
  };
};

/** The contour function: `FILE#EXPORT` from the flag, or the config's `module` objective for a bare flag. */
const contourFunction = async (
  flag: boolean | string | undefined,
  experiment: LoadedExperiment,
): Promise<ContourFunction | undefined> => {
  if (flag === undefined || flag === false) return undefined;
  let path: string;
  let exportName: string;
  let baseDir = experiment.baseDir;
  if (typeof flag === 'string') {
    const at = flag.lastIndexOf('#');
    path = at < 0 ? flag : flag.slice(0, at);
    exportName = at < 0 ? 'default' : flag.slice(at + 1);
    baseDir = process.cwd();
  } else {
    const objective = experiment.config.objective;
    if (objective.use !== 'module') {
      throw new CliError(
        `--contour without a value evaluates the config's \`module\` objective, but this config's objective is \`${objective.use}\`. ` +
          'Give a cheap function of the params instead: --contour ./file.mjs#exportName.',
      );
    }
    const options = (objective.options ?? {}) as { path: string; export?: string };
    path = options.path;
    exportName = options.export ?? 'default';
  }
  let fn: (...args: unknown[]) => unknown;
  try {
    fn = await loadModuleExport(path, exportName, baseDir);
  } catch (error) {
    throw new CliError(`--contour: ${(error as Error).message}`);
  }
  return async (params: ExternalParams) => {
    const result = await fn(params, { trialNumber: -1, signal: new AbortController().signal, report: () => {} });
    return typeof result === 'object' && result !== null ? Number((result as { loss?: unknown }).loss) : Number(result);
  };
};

const pairsOf = (flags: ReportFlags): [string, string][] | undefined =>
  flags.pair?.map((text) => {
    const names = text.split(',').map((name) => name.trim());
    if (names.length !== 2 || names.some((name) => name.length === 0))
      throw new CliError(`--pair expects two parameter names separated by a comma, found ${JSON.stringify(text)}`);
    return names as [string, string];
  });

const reportOptions = async (flags: ReportFlags, run: PreparedRun): Promise<ReportOptions> => {
  const contour = await contourFunction(flags.contour, run.experiment);
  const pairs = pairsOf(flags);
  if (pairs !== undefined) {
    for (const name of pairs.flat()) {
      const param = run.experiment.space.byName.get(name);
      if (param === undefined || param.distribution.kind === 'categorical')
        throw new CliError(
          `--pair: \`${name}\` is not a numeric parameter of the space (it has ${run.experiment.space.params.map((p) => p.name).join(', ')})`,
        );
    }
  }
  return {
    ...(contour === undefined ? {} : { contour }),
    ...(pairs === undefined ? {} : { pairs }),
    ...(flags.every === undefined ? {} : { every: flags.every }),
  };
};

/** Serves until SIGINT or SIGTERM; the study is only read. */
const serve = async (run: PreparedRun, options: ReportOptions, flags: ReportFlags, output: Output): Promise<number> => {
  const report = await import('@parzen/report');
  const { config } = run.experiment;
  await openStudyTrials(run.experiment);
  // Opened for reading: an archived (read-only) study can be served, and nothing is written or locked.
  const store = await openStoreForReading(run.experiment);
  const server = await report.serveReport({
    load: async () => studyOf(run, await store.listTrials(config.name)),
    build: (study) => report.buildReport(study, options),
    ...(flags.port === undefined ? {} : { port: flags.port }),
    ...(flags.interval === undefined ? {} : { intervalMs: flags.interval }),
    onError: (error) => output.note(`parzen: reading the study failed: ${(error as Error).message}`),
  });
  output.result(server.url);
  output.note(
    `parzen: serving the report of ${config.name} at ${server.url} (Ctrl-C stops; the study is left as it is)`,
  );
  const signal = await new Promise<NodeJS.Signals>((done) => {
    process.once('SIGINT', () => done('SIGINT'));
    process.once('SIGTERM', () => done('SIGTERM'));
  });
  await server.close();
  await store.close();
  output.note(`parzen: report server stopped (${signal})`);
  return 0;
};

/**
 * `parzen report <config...>`: one study gives its report (the seed's TPE figures, the study plots, the
 * trial table) as one self-contained HTML file, or each chart as an SVG (`--format svg`), or served live
 * (`--serve`). Several configs or a matrix give a comparison page of their studies.
 */
export const reportConfigs = async (paths: readonly string[], flags: ReportFlags, output: Output): Promise<number> => {
  const format = flags.format ?? 'html';
  if (format !== 'html' && format !== 'svg')
    throw new CliError(`--format expects html or svg, found ${JSON.stringify(format)}`);
  const runs = await prepareRuns(paths, {
    progress: { force: 'off' },
    ...(flags.store === undefined ? {} : { overrides: { store: parseStoreSpec(flags.store) } }),
  });
  const report = await import('@parzen/report');
  let page: Awaited<ReturnType<typeof report.buildReport>>;
  if (runs.length === 1) {
    const run = runs[0] as PreparedRun;
    const options = await reportOptions(flags, run);
    if (flags.serve === true) return serve(run, options, flags, output);
    page = await report.buildReport(studyOf(run, await openStudyTrials(run.experiment)), options);
  } else {
    if (flags.serve === true) throw new CliError('--serve shows one study; give one config without a matrix.');
    const studies = [];
    const missing: string[] = [];
    for (const run of runs) {
      try {
        const trials = await openStudyTrials(run.experiment);
        const { config } = run.experiment;
        studies.push(report.comparisonRunFromTrials(run.variant.variant, config.seed, config.direction, trials));
      } catch (error) {
        if (!(error instanceof ParzenError && error.code === 'STUDY_NOT_FOUND')) throw error;
        missing.push(run.experiment.config.name);
      }
    }
    if (studies.length === 0)
      throw new ParzenError('STUDY_NOT_FOUND', `None of the ${runs.length} studies exists yet; run them first.`);
    page = report.buildComparison(studies, { title: `Parzen comparison: ${paths.join(', ')}` });
    if (missing.length > 0)
      page = { ...page, notes: [...page.notes, `Not run yet (left out): ${missing.join(', ')}.`] };
  }
  if (format === 'svg') {
    const dir = resolve(flags.output ?? 'report-svg');
    const written = await report.writeSvgs(page, dir);
    output.result(`Wrote ${written.length} SVG charts to ${dir}`);
  } else {
    const file = resolve(flags.output ?? 'report.html');
    writeFileSync(file, report.renderHtml(page));
    output.result(`Wrote ${file}`);
  }
  return 0;
};
