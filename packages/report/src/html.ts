import { vegaBundles } from './bundles.js';
import { escapeMarkup } from './escape.js';
import { PAGE_SCRIPT } from './page-script.js';
import { type ReportPage, staticCell, staticTable, tableLegend } from './types.js';

const STYLE = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #222; }
#report { max-width: 1100px; margin: 0 auto; padding: 16px 24px 64px; }
h1 { font-size: 22px; margin: 8px 0; } h2 { font-size: 18px; margin-top: 32px; border-bottom: 1px solid #ddd; }
nav { display: flex; gap: 14px; flex-wrap: wrap; margin: 8px 0 16px; } nav a { color: #1f5fa8; }
ul.notes { color: #555; padding-left: 18px; } p.legend { color: #555; margin: 4px 0; max-width: 900px; } code { background: #f3f3f3; padding: 0 3px; border-radius: 3px; }
figure { margin: 16px 0 24px; } figcaption { color: #555; max-width: 760px; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { padding: 2px 10px; border-bottom: 1px solid #eee; text-align: right; }
#trial-table th { background: #fafafa; position: sticky; top: 0; }
#trial-table th button.sort { font: inherit; font-weight: 600; border: 0; background: none; padding: 0; cursor: pointer; color: inherit; width: 100%; text-align: inherit; }
.table-wrap { max-height: 520px; overflow: auto; border: 1px solid #eee; margin: 8px 0; }
.table-controls { display: flex; gap: 8px; align-items: center; } .table-controls input { width: 260px; }
table.best th { text-align: left; } .live { color: #2ca02c; font-weight: 600; } .live.lost { color: #b35900; }
table.best td { text-align: left; overflow-wrap: anywhere; } table.best th { overflow-wrap: anywhere; }
.chart { max-width: 100%; overflow-x: auto; }
@media print {
  .table-wrap { max-height: none; overflow: visible; } .table-controls, #trials button.more, nav { display: none; }
  figure { break-inside: avoid; } h2 { break-after: avoid; } .chart { overflow: visible; }
  /* The table's header on every printed page, and no row cut in two (trial 141: a sticky header printed once). */
  #trial-table thead { display: table-header-group; } #trial-table th { position: static; }
  #trial-table tr { break-inside: avoid; }
}
`;

/** Keeps a string from closing or confusing the `<script>` element it is inlined in. */
const scriptSafe = (code: string): string => code.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');

/** JSON for a `<script type="application/json">` element (`<` escaped, so no text can end the element). */
const jsonInScript = (value: unknown): string =>
  JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

/** How {@link renderHtml} writes the page. */
export interface HtmlOptions {
  /** Follow `events` (server-sent events) and re-render on every update: what `--serve` serves. */
  readonly live?: boolean;
  /** Vega's renderer in the page: `canvas` (default; fastest for large studies) or `svg`. */
  readonly renderer?: 'canvas' | 'svg';
}

/**
 * What the page says without JavaScript (a text viewer, a browser with scripts off; trial 34: only
 * "Rendering…"): its title, notes and best trial, and how to get the charts as files.
 */
const noscript = (page: ReportPage): string => {
  const best =
    page.best === undefined
      ? ''
      : `<p>Best trial #${page.best.number}: loss ${escapeMarkup(String(page.best.loss))}; ${Object.entries(
          page.best.params,
        )
          .map(([name, value]) => `${escapeMarkup(name)} = ${escapeMarkup(JSON.stringify(value) ?? String(value))}`)
          .join(', ')}${Object.entries(page.best.attrs ?? {})
          .map(
            ([name, value]) =>
              `; attrs.${escapeMarkup(name)} = ${escapeMarkup(JSON.stringify(value) ?? String(value))}`,
          )
          .join('')}</p>`;
  const notes = page.notes.map((note) => `<li>${escapeMarkup(note)}</li>`).join('');
  // The notes are written for the rendered page (backticks for code): shown as code here too.
  const withCode = (html: string) => html.replace(/`([^`]+)`/g, '<code>$1</code>');
  // A comparison's table as it is (trial 105: its figures were only in the script's data).
  const table = staticTable(page.table);
  const small = table !== undefined;
  const cell = (value: string | number | boolean | null) => escapeMarkup(staticCell(value));
  const legend = small
    ? tableLegend(table)
        .map(([column, meaning]) => `<p><strong>${cell(column)}</strong>: ${withCode(escapeMarkup(meaning))}</p>`)
        .join('')
    : '';
  const shown = small
    ? `<h2>${escapeMarkup(table.title ?? 'Trials')}</h2><table><thead><tr>${table.columns.map((column) => `<th>${cell(column)}</th>`).join('')}</tr></thead><tbody>${table.rows.map((row) => `<tr>${row.map((value) => `<td>${cell(value)}</td>`).join('')}</tr>`).join('')}</tbody></table>${legend}`
    : '';
  return `<noscript><style>#report{display:none}</style><h1>${escapeMarkup(page.title)}</h1><ul>${withCode(notes)}</ul>${best}${shown}<p>The charts${small ? '' : ' and the trial table'} need JavaScript; <code>parzen report --format svg</code> writes the charts as SVG files.</p></noscript>`;
};

/**
 * The report as one self-contained HTML file: vega, vega-lite and vega-embed inlined, the page data as
 * inline JSON and a small script that renders it. It opens from disk and needs no network.
 */
export const renderHtml = (page: ReportPage, options: HtmlOptions = {}): string => {
  const data = {
    ...page,
    ...(options.live === true ? { live: true } : {}),
    ...(options.renderer === undefined ? {} : { renderer: options.renderer }),
  };
  const scripts = vegaBundles()
    .map((code) => `<script>${scriptSafe(code)}</script>`)
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeMarkup(page.title)}</title>
<style>${STYLE}</style>
${scripts}
</head>
<body>
<main id="report"><p>Rendering…</p></main>
${noscript(page)}
<script type="application/json" id="parzen-data">${jsonInScript(data)}</script>
<script>${scriptSafe(PAGE_SCRIPT)}</script>
</body>
</html>
`;
};
