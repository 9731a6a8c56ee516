import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { Chart, ReportPage, VlSpec } from './types.js';

/** Renders one Vega-Lite spec to a standalone SVG string, in Node (no browser). */
export const specToSvg = async (spec: VlSpec): Promise<string> => {
  const view = new View(parse(compile(spec as unknown as TopLevelSpec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
};

/** Every chart of a report page, in page order. */
export const pageCharts = (page: ReportPage): Chart[] => page.sections.flatMap((section) => section.charts);

/** Writes each chart of the page as `<dir>/<chart id>.svg`; returns the paths written. */
export const writeSvgs = async (page: ReportPage, dir: string): Promise<string[]> => {
  mkdirSync(dir, { recursive: true });
  const paths: string[] = [];
  for (const chart of pageCharts(page)) {
    const path = join(dir, `${chart.id}.svg`);
    writeFileSync(path, await specToSvg(chart.spec));
    paths.push(path);
  }
  return paths;
};
