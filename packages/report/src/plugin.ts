/**
 * @packageDocumentation
 * For authors of custom pages and charts: the chart builders the report's page is made of (each returns a
 * Vega-Lite spec), the contour math, the trial points and their downsampling, and the page-to-SVG step.
 * @module @parzen/report/plugin
 */

export { ecdfChart, historyChart, importanceChart, parallelChart, sliceChart } from './charts/study-charts.js';
export { categoricalChart, densityChart, type PairContour, pairChart, type TpeFigure } from './charts/tpe-charts.js';
export { regretBands } from './comparison.js';
export {
  type AxisPosition,
  type ContourGrid,
  type ContourSegment,
  contourLevels,
  contourSegments,
  evaluateGrid,
} from './contour.js';
export { type ContourBase, contourBase } from './contour-base.js';
export { pageCharts, specToSvg } from './svg.js';
export { downsampleIndices, type TrialPoint, trialPoints } from './trial-points.js';
