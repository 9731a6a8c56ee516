import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeFolder } from '@parzen/engine/plugin';
import type { TopLevelSpec } from 'vega-lite';
import { escapeMarkup } from './escape.js';
import { cutTextsWhole } from './graphemes.js';
import {
  type Chart,
  type ReportPage,
  staticCell,
  staticTable,
  type TrialTable,
  tableLegend,
  type VlSpec,
} from './types.js';

let renderers: Promise<[typeof import('vega'), typeof import('vega-lite')]> | undefined;

/**
 * Vega and Vega-Lite, imported at the first SVG drawn: the HTML page inlines their browser bundles instead, and
 * importing them in Node takes a quarter of a second (`parzen report -o page.html` and `parzen explain` need them not).
 */
const vega = () => {
  renderers ??= Promise.all([import('vega'), import('vega-lite')]);
  return renderers;
};

/** Renders one Vega-Lite spec to a standalone SVG string, in Node (no browser). */
export const specToSvg = async (spec: VlSpec): Promise<string> => {
  const [renderer, { compile }] = await vega();
  const { parse, View } = renderer;
  // Exported by vega (from vega-scenegraph), not declared by its types.
  const { textMetrics } = renderer as unknown as { textMetrics: { width(item: object, text: string): number } };
  const view = new View(parse(compile(spec as unknown as TopLevelSpec).spec), { renderer: 'none' });
  try {
    await view.runAsync();
    // Long labels cut between whole characters, not by Vega (inside an emoji or before an accent).
    cutTextsWhole((view.scenegraph() as unknown as { root: unknown }).root, (item, text) =>
      textMetrics.width(Object.create(item, { limit: { value: 0 } }), text),
    );
    return await view.toSVG();
  } finally {
    view.finalize();
  }
};

/**
 * The SVG with its chart's title and caption as its first children (`<title>`, `<desc>`): the name and
 * description an SVG opened or embedded alone has.
 */
export const titled = (svg: string, chart: Pick<Chart, 'title' | 'description'>): string => {
  const end = svg.indexOf('>');
  if (!svg.startsWith('<svg') || end < 0) return svg;
  const caption = chart.description.replace(/`/g, '');
  return `${svg.slice(0, end)} role="img"><title>${escapeMarkup(chart.title)}</title><desc>${escapeMarkup(caption)}</desc>${svg.slice(end + 1)}`;
};

/** Every chart of a report page, in page order. */
export const pageCharts = (page: ReportPage): Chart[] => page.sections.flatMap((section) => section.charts);

/** Says that a README.md is {@link svgIndex}'s, so the next report into its folder may remove its SVGs. */
const SVG_INDEX_MARK =
  '<!-- Written by `parzen report --format svg`: a report written here again replaces the SVGs listed below. -->';

/**
 * The page's words for its SVGs: title, notes, each section's text and each chart's title, caption and
 * file, as Markdown (an SVG alone does not say that a TPE row is a slice of a joint model, or whether the
 * replay reproduced the run).
 */
export const svgIndex = (page: ReportPage, failed: ReadonlyMap<string, string> = new Map()): string =>
  `${[
    `# ${text(page.title)}`,
    SVG_INDEX_MARK,
    ...page.notes.map((note) => `- ${prose(note)}`),
    // Said plainly when there is no chart (a user trial: a study with no trials read "0 SVG charts", then headings).
    ...(pageCharts(page).length === 0 ? ['Nothing to draw yet: no SVG chart was written.'] : []),
    // A comparison's table in the index too (trial 105: its medians and quartiles were in the HTML only).
    ...tableLines(staticTable(page.table)),
    // A section with neither text nor chart left out, as the HTML page leaves it out (no empty heading).
    ...page.sections
      .filter((section) => section.text.length > 0 || section.charts.length > 0)
      .flatMap((section) => [
        `## ${text(section.title)}`,
        ...section.text.map(prose),
        ...section.charts.flatMap((chart) => [
          `### ${text(chart.title)}`,
          failed.has(chart.id)
            ? `(Not drawn: Vega failed on it, ${text(failed.get(chart.id) ?? '')}.)`
            : `![${text(chart.title)}](${chart.id}.svg)`,
          prose(chart.description),
          `Its Vega-Lite spec, to restyle or render elsewhere: [${chart.id}.vl.json](${chart.id}.vl.json).`,
        ]),
      ]),
  ].join('\n\n')}\n`;

/**
 * Text as Markdown shows it as written: every character Markdown could read as HTML, a link, emphasis or a
 * code span is backslash-escaped (trial 52: a parameter named `</script><script>alert(1)</script>` was
 * written as raw HTML; review 54: a title `[x](http://e)` was a link; review 55: code spans guessed by a
 * regex let a name made of backticks and a tag through). Backquoted names show their backquotes.
 */
const text = (words: string): string => words.replace(/[\\`<>&[\]()*_!]/g, '\\$&');

/**
 * The page's prose (notes, a section's text, a chart's caption) as Markdown: written for the rendered page,
 * where each `…` pair (the first backquote to the next) is code, as the HTML page shows it. Each pair is a
 * code span here too, whose content Markdown shows as written (a tag or a link in it stays text), and the rest
 * is {@link text}. Backquotes left over (an odd one, or those of a name made of them) are escaped, so no span
 * but those opens: text never runs into code, nor code out of it. Two pairs with nothing between them are one
 * code span in Markdown (it has no way to write them apart), their backquotes shown inside it.
 */
const prose = (words: string): string =>
  words
    .split(/(`[^`]+`)/)
    .map((part, i) => (i % 2 === 1 ? part : text(part)))
    .join('');

/**
 * A table cell as {@link text} writes it, with its pipes escaped and on one line (review 109: a lone `\r`, as
 * an error's CRLF left it, broke the row).
 */
const cellText = (value: string | number | boolean | null): string =>
  text(staticCell(value))
    .replace(/\|/g, '\\|')
    .replace(/\r\n?|\n|[\u2028\u2029]/g, ' ');

/** A comparison's table as the index's Markdown: its heading and its rows (none without one). */
const tableLines = (table: TrialTable | undefined): string[] =>
  table === undefined
    ? []
    : [
        `## ${text(table.title ?? 'Trials')}`,
        [
          `| ${table.columns.map((column) => cellText(column)).join(' | ')} |`,
          `|${table.columns.map(() => '---').join('|')}|`,
          ...table.rows.map((row) => `| ${row.map(cellText).join(' | ')} |`),
        ].join('\n'),
        ...tableLegend(table).map(([column, meaning]) => `**${text(column)}**: ${prose(meaning)}`),
      ];

/**
 * An index written before {@link SVG_INDEX_MARK}: a report's or a comparison's title, and each chart as a
 * `### title` heading over its `![title](file.svg)` (review 47: a title alone let a user's README.md that
 * began "# Parzen report" have its SVGs deleted).
 */
const isOlderIndex = (index: string): boolean => {
  if (!/^# Parzen (report|comparison)\b/.test(index)) return false;
  const images = [...index.matchAll(/^!\[[^\n]*\]\([^\n]*\)$/gm)].length;
  const charts = [...index.matchAll(/^### ([^\n]+)\n\n!\[\1\]\([^()/\\\n]+\.svg\)$/gm)].length;
  return images > 0 && charts === images;
};

/**
 * Removes the SVGs an earlier report wrote into `dir` (those its README.md lists) that this one does not
 * write: left, they read as charts of this study (trial 44: pair plots of another study's parameters).
 * Nothing else in the folder is touched. A README.md that is not a report's index is refused (it would be
 * replaced).
 */
const removeEarlierCharts = (dir: string, keep: ReadonlySet<string>): void => {
  let index: string;
  try {
    index = readFileSync(join(dir, 'README.md'), 'utf8');
  } catch {
    return;
  }
  // Someone else's README.md would be replaced by the index: refused, with the file-system code `-o` reports.
  if (!index.includes(SVG_INDEX_MARK) && !isOlderIndex(index))
    throw Object.assign(
      new Error(
        `${join(dir, 'README.md')} is there and is not the index \`parzen report --format svg\` writes; write the SVGs to another folder, or move that README.md away`,
      ),
      { code: 'EEXIST' },
    );
  for (const [, file] of index.matchAll(/^!\[[^\n]*\]\(([^()/\\\n]+\.svg)\)$/gm))
    if (!keep.has(file as string)) {
      rmSync(join(dir, file as string), { force: true });
      rmSync(join(dir, (file as string).replace(/\.svg$/, '.vl.json')), { force: true });
    }
  // A chart the earlier report could not draw left its spec alone, listed by its link (review 99: it stayed).
  for (const [, id] of index.matchAll(
    /^\(Not drawn: [^\n]*\n\n[^\n]*\n\nIts Vega-Lite spec[^\n]*\]\(([^()/\\\n]+)\.vl\.json\)\.$/gm,
  ))
    if (!keep.has(`${id}.svg`)) rmSync(join(dir, `${id}.vl.json`), { force: true });
};

/**
 * Writes each chart of the page as `<dir>/<chart id>.svg` with its Vega-Lite spec beside it
 * (`<chart id>.vl.json`, so the specs are not only inside the HTML page), and `<dir>/README.md` with the
 * page's notes and each chart's caption; returns the SVG paths written.
 */
export const writeSvgs = async (
  page: ReportPage,
  dir: string,
  /** Told of a chart Vega could not draw; the others are written. */
  onFailure?: (chart: Chart, error: unknown) => void,
): Promise<string[]> => {
  makeFolder(dir);
  removeEarlierCharts(dir, new Set(pageCharts(page).map((chart) => `${chart.id}.svg`)));
  const paths: string[] = [];
  const failed = new Map<string, string>();
  for (const chart of pageCharts(page)) {
    const path = join(dir, `${chart.id}.svg`);
    writeFileSync(join(dir, `${chart.id}.vl.json`), `${JSON.stringify(chart.spec, null, 2)}\n`);
    let svg: string;
    try {
      svg = await specToSvg(chart.spec);
    } catch (error) {
      failed.set(chart.id, error instanceof Error ? error.message : String(error));
      rmSync(path, { force: true });
      onFailure?.(chart, error);
      continue;
    }
    writeFileSync(path, titled(svg, chart));
    paths.push(path);
  }
  writeFileSync(join(dir, 'README.md'), svgIndex(page, failed));
  return paths;
};
