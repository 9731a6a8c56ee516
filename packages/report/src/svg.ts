import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeFolder } from '@parzen/engine/plugin';
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

/**
 * The page's words for its SVGs: title, notes, each section's text and each chart's title, caption and
 * file, as Markdown (an SVG alone does not say that a TPE row is a slice of a joint model, or whether the
 * replay reproduced the run).
 */
export const svgIndex = (page: ReportPage): string =>
  [
    `# ${page.title}`,
    ...page.notes.map((note) => `- ${note}`),
    ...page.sections.flatMap((section) => [
      `## ${section.title}`,
      ...section.text,
      ...section.charts.flatMap((chart) => [
        `### ${chart.title}`,
        `![${chart.title}](${chart.id}.svg)`,
        chart.description,
      ]),
    ]),
  ].join('\n\n') + '\n';

/**
 * Writes each chart of the page as `<dir>/<chart id>.svg`, and `<dir>/README.md` with the page's notes
 * and each chart's caption; returns the SVG paths written.
 */
export const writeSvgs = async (page: ReportPage, dir: string): Promise<string[]> => {
  makeFolder(dir);
  const paths: string[] = [];
  for (const chart of pageCharts(page)) {
    const path = join(dir, `${chart.id}.svg`);
    writeFileSync(path, await specToSvg(chart.spec));
    paths.push(path);
  }
  writeFileSync(join(dir, 'README.md'), svgIndex(page));
  return paths;
};
