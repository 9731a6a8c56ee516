/**
 * @packageDocumentation
 * Reports for Parzen studies: the seed's figures of what TPE was doing (replayed from the stored trials),
 * the usual study plots and batch comparisons, as Vega-Lite specs in one self-contained HTML file, as
 * standalone SVGs, or served live while the study runs. The chart builders and the contour and
 * downsampling math a custom page is made of are under `@parzen/report/plugin`.
 * @module @parzen/report
 */

export { buildReport, pairIssues, type ReportOptions, trialsVersion } from './build-report.js';
export {
  buildComparison,
  type ComparisonOptions,
  type ComparisonRun,
  comparisonRunFromTrials,
} from './comparison.js';
export { FANOVA_MAX_TRIALS, type FanovaOptions, fanova, fanovaTrialLimit } from './fanova.js';
export { type HtmlOptions, renderHtml } from './html.js';
export {
  type ImportanceObservation,
  type ParamImportance,
  type PedAnovaOptions,
  pedAnova,
} from './importance.js';
export {
  explainNextSuggestion,
  explainPastSuggestion,
  type NextSuggestion,
  type PastSuggestion,
  type Replay,
  type ReplayOptions,
  type ReplaySnapshot,
  replaySuggestions,
  trialsBefore,
} from './replay.js';
export { type ReportServer, type ServeOptions, serveReport } from './serve.js';
export { writeSvgs } from './svg.js';
export type {
  BestTrialView,
  Chart,
  ContourFunction,
  MarkCount,
  MarkType,
  ReportPage,
  ReportStudy,
  Section,
  TrialTable,
  VlSpec,
} from './types.js';
