/**
 * @packageDocumentation
 * Reports for Parzen studies: the seed's figures of what TPE was doing (replayed from the stored trials),
 * the usual study plots and batch comparisons, as Vega-Lite specs in one self-contained HTML file, as
 * standalone SVGs, or served live while the study runs.
 */

export { buildReport, pairIssues, type ReportOptions, trialsVersion } from './build-report.js';
export { ecdfChart, historyChart, importanceChart, parallelChart, sliceChart } from './charts/study-charts.js';
export { categoricalChart, densityChart, type PairContour, pairChart } from './charts/tpe-charts.js';
export {
  buildComparison,
  type ComparisonOptions,
  type ComparisonRun,
  comparisonRunFromTrials,
  regretBands,
} from './comparison.js';
export {
  type AxisPosition,
  type ContourGrid,
  type ContourSegment,
  contourLevels,
  contourSegments,
  evaluateGrid,
} from './contour.js';
export { type ContourBase, contourBase } from './contour-base.js';
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
export { pageCharts, specToSvg, writeSvgs } from './svg.js';
export { downsampleIndices, type TrialPoint, trialPoints } from './trial-points.js';
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
