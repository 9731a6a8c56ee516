import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '@parzen/engine/plugin';
import MarkdownIt from 'markdown-it';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { escapeMarkup } from '../src/escape.js';
import { buildReport, writeSvgs } from '../src/index.js';
import { pageCharts, specToSvg } from '../src/plugin.js';
import { svgIndex, titled } from '../src/svg.js';
import { heart, runTpeStudy, withBrokenChart } from './fixtures.js';

// The index as a Markdown viewer shows it (CommonMark; raw HTML let through, so any left in it would show).
const markdown = new MarkdownIt({ html: true });
// Prose as the HTML page shows it (page-script.ts's `prose`): escaped, each `…` pair as code.
const pageProse = (words: string) => escapeMarkup(words).replace(/`([^`]+)`/g, '<code>$1</code>');

describe('SVG writer (vega in Node)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'parzen-svg-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const study = await runTpeStudy(20, { tpe: { startupTrials: 5 } });
  const page = await buildReport(study, { contour: (p) => heart(p.x as number, p.y as number), contourResolution: 20 });

  it('writes every chart as a standalone SVG file named by its id', async () => {
    const paths = await writeSvgs(page, dir);
    // Each SVG with its Vega-Lite spec beside it (trial 57: the specs were only inside the HTML page).
    expect(readdirSync(dir).sort()).toEqual(
      [...pageCharts(page).flatMap((c) => [`${c.id}.svg`, `${c.id}.vl.json`]), 'README.md'].sort(),
    );
    for (const chart of pageCharts(page))
      expect(JSON.parse(readFileSync(join(dir, `${chart.id}.vl.json`), 'utf8'))).toEqual(
        JSON.parse(JSON.stringify(chart.spec)),
      );
    // The captions and notes the SVGs cannot carry (trial 28: an SVG alone did not say what a row is), rendered
    // as the page renders them: its backquoted names as code (the index showed their backquotes, escaped).
    const index = markdown.render(readFileSync(join(dir, 'README.md'), 'utf8'));
    for (const chart of pageCharts(page)) {
      // (Not the image's alt text: markdown-it leaves the escaped characters out of it, as no other viewer does.)
      expect(index).toContain(`<h3>${escapeMarkup(chart.title)}</h3>\n<p><img src="${chart.id}.svg" alt="`);
      expect(index).toContain(`<p>${pageProse(chart.description)}</p>`);
    }
    for (const note of page.notes) expect(index).toContain(`<li>${pageProse(note)}</li>`);
    expect(page.notes.some((note) => /`[^`]+`/.test(note))).toBe(true);
    expect(index).toContain('<code>');
    expect(paths).toHaveLength(pageCharts(page).length);
    for (const path of paths) {
      const svg = readFileSync(path, 'utf8');
      expect(svg.startsWith('<svg')).toBe(true);
      expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
    }
    // Each SVG named by its chart's title and described by its caption, alone as embedded (trial 92).
    for (const chart of pageCharts(page)) {
      const svg = readFileSync(join(dir, `${chart.id}.svg`), 'utf8');
      expect(svg).toMatch(/^<svg [^>]* role="img"><title>/);
      expect(svg).toContain(`<title>${chart.title.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</title><desc>`);
    }
  });

  it('says plainly that a study with no trials has nothing to draw, and writes no empty heading', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'parzen-svg-empty-'));
    const none = await buildReport({ ...study, name: 'none', trials: [] }, {});
    expect(await writeSvgs(none, empty)).toEqual([]);
    const index = readFileSync(join(empty, 'README.md'), 'utf8');
    expect(index).toContain('\n\nNothing to draw yet: no SVG chart was written.\n\n');
    expect(index).toContain('The study has no trials yet: nothing to draw.');
    // Every heading has something under it (a user trial: "## Each parameter" ended the file).
    expect(index).not.toContain('## Each parameter');
    const blocks = index.trimEnd().split('\n\n');
    blocks.forEach((block, i) => {
      if (block.startsWith('## ')) expect(blocks[i + 1] ?? '## (the end)').not.toMatch(/^## /);
    });
    expect(svgIndex(page)).not.toContain('Nothing to draw');
    rmSync(empty, { recursive: true, force: true });
  });

  it('escapes a title and caption for XML (trial 92)', () => {
    expect(titled('<svg a="1"><g/></svg>', { title: 'x < y & "z"', description: 'the `lr` <b>' })).toBe(
      '<svg a="1" role="img"><title>x &lt; y &amp; &quot;z&quot;</title><desc>the lr &lt;b&gt;</desc><g/></svg>',
    );
  });

  it("compiles every chart without Vega-Lite warnings (trial 57: the density charts' ticks had a colour scale of their own)", async () => {
    const univariate = await buildReport(await runTpeStudy(20, { tpe: { profile: 'hyperopt', startupTrials: 1 } }), {});
    const charts = [...pageCharts(page), ...pageCharts(univariate)];
    expect(charts.some((chart) => chart.id.startsWith('density-'))).toBe(true);
    const warned = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      for (const chart of charts) await specToSvg(chart.spec);
      expect(warned.mock.calls.map((call) => String(call[0]))).toEqual([]);
    } finally {
      warned.mockRestore();
    }
    // The ticks under each row share the curves' legend: the three series, no "l" or "g" entries.
    const density = charts.find((chart) => chart.id.startsWith('density-')) as (typeof charts)[number];
    const labels = [...(await specToSvg(density.spec)).matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(labels).not.toContain('l');
    expect(labels).not.toContain('g');
    expect(labels).toContain('log l(x) (good trials)');
  });

  it('draws no NaN when the losses span more than Number.MAX_VALUE (±1.7e308 together: trial 44)', async () => {
    const losses = [1.7e308, -1.7e308, 3, -5, 1e300];
    let i = 0;
    const extreme = await runTpeStudy(12, { objective: () => losses[i++ % losses.length] as number });
    const charts = pageCharts(await buildReport(extreme, {}));
    const lossCharts = charts.filter((chart) => ['history', 'ecdf', 'slice'].includes(chart.id));
    expect(lossCharts).toHaveLength(3);
    for (const chart of charts) {
      const svg = await specToSvg(chart.spec);
      expect(svg, chart.id).not.toContain('NaN');
    }
    // The loss axes say why they are not linear, and carry ticks across the range.
    for (const chart of lossCharts) {
      const svg = await specToSvg(chart.spec);
      expect(svg, chart.id).toContain('symlog scale');
      expect(svg, chart.id).toContain('>1e+300<');
      expect(svg, chart.id).toContain('>−1e+300<');
    }
    // Ordinary losses keep the linear axis.
    const plain = pageCharts(page).find((chart) => chart.id === 'ecdf');
    expect(JSON.stringify(plain?.spec)).not.toContain('symlog');
    // The parallel coordinates too (trial 52: a colour-gradient page error, a loss axis topped by "Infinity").
    const parallel = charts.find((chart) => chart.id === 'parallel') as (typeof charts)[number];
    const svg = await specToSvg(parallel.spec);
    expect(svg).not.toContain('Infinity');
    expect(svg).toContain('loss (symlog; darker: better)');
    const rows = (parallel.spec as { layer: { data: { values: { axis: string; y: number }[] } }[] }).layer[0]?.data
      .values;
    const heights = new Set(rows?.filter((row) => row.axis === 'loss').map((row) => row.y));
    expect(heights.size).toBeGreaterThan(3); // spread along the axis, not all at its foot
    expect(JSON.stringify(pageCharts(page).find((chart) => chart.id === 'parallel')?.spec)).not.toContain('symlog');
  });

  it("a report written again into the folder removes the earlier one's SVGs it does not write, and nothing else (trial 44)", async () => {
    const again = mkdtempSync(join(tmpdir(), 'parzen-svg-again-'));
    try {
      await writeSvgs(page, again);
      writeFileSync(join(again, 'mine.svg'), '<svg/>');
      writeFileSync(join(again, 'notes.txt'), 'mine');
      // A smaller page: the first section only (no TPE rows, no pair plots).
      const smaller = { ...page, sections: page.sections.slice(0, 1) };
      await writeSvgs(smaller, again);
      const expected = [
        ...pageCharts(smaller).flatMap((c) => [`${c.id}.svg`, `${c.id}.vl.json`]),
        'README.md',
        'mine.svg',
        'notes.txt',
      ];
      expect(pageCharts(smaller).length).toBeLessThan(pageCharts(page).length);
      expect(readdirSync(again).sort()).toEqual(expected.sort());
      // A folder with a README.md that is not a report's index is refused: that file and its SVGs stay,
      // one whose title begins as a report's too (review 47: its figure was deleted).
      for (const mine of [
        '# My charts\n\n![x](history.svg)\n',
        '# Parzen report figures\n\n![Figure 1](history.svg)\n',
      ]) {
        const own = mkdtempSync(join(tmpdir(), 'parzen-svg-own-'));
        writeFileSync(join(own, 'README.md'), mine);
        writeFileSync(join(own, 'history.svg'), '<svg/>');
        await expect(writeSvgs(smaller, own)).rejects.toMatchObject({ code: 'EEXIST' });
        expect(readFileSync(join(own, 'README.md'), 'utf8')).toBe(mine);
        expect(readFileSync(join(own, 'history.svg'), 'utf8')).toBe('<svg/>');
        rmSync(own, { recursive: true, force: true });
      }
      // An index an earlier Parzen wrote (no marker line) is still known, a comparison's too (review 47).
      const older = mkdtempSync(join(tmpdir(), 'parzen-svg-older-'));
      await writeSvgs(page, older);
      const index = readFileSync(join(older, 'README.md'), 'utf8');
      writeFileSync(
        join(older, 'README.md'),
        index
          .split('\n')
          .filter((line) => !line.startsWith('<!--'))
          .join('\n'),
      );
      await writeSvgs(smaller, older);
      expect(readdirSync(older).sort()).toEqual(
        [...pageCharts(smaller).flatMap((c) => [`${c.id}.svg`, `${c.id}.vl.json`]), 'README.md'].sort(),
      );
      writeFileSync(join(older, 'README.md'), '# Parzen comparison\n\n### Regret\n\n![Regret](regret.svg)\n');
      writeFileSync(join(older, 'regret.svg'), '<svg/>');
      await writeSvgs(smaller, older);
      expect(readdirSync(older)).not.toContain('regret.svg');
      rmSync(older, { recursive: true, force: true });
    } finally {
      rmSync(again, { recursive: true, force: true });
    }
  });

  it('writes names into the Markdown index as text, not HTML (trial 52: a parameter name ran as a script)', async () => {
    const evil = '</script><script>alert(1)</script>[x](y)';
    const named = await runTpeStudy(8, {
      space: { [evil]: { type: 'uniform', low: 0, high: 1 }, y: { type: 'uniform', low: 0, high: 1 } },
      objective: (p) => (p[evil] as number) + (p.y as number),
      tpe: { startupTrials: 3 },
    });
    const own = mkdtempSync(join(tmpdir(), 'parzen-svg-names-'));
    await writeSvgs(await buildReport(named, {}), own);
    const index = readFileSync(join(own, 'README.md'), 'utf8');
    // Every < and > is escaped, so no raw tag (and no live link) is left for a renderer.
    expect(index.replace(/\\[<>[\]()]/g, '')).not.toMatch(/[<>]script|\]\(y\)/);
    expect(index).toContain('### What TPE saw: \\</script\\>\\<script\\>alert\\(1\\)\\</script\\>\\[x\\]\\(y\\)');
    // The image's alt text keeps its brackets to itself.
    expect(index).toMatch(/^!\[What TPE saw: \\<\/script\\>.*\\\[x\\\]\\\(y\\\)\]\(density-[^)]+\.svg\)$/m);
    rmSync(own, { recursive: true, force: true });
    // Backquotes too (review 55: a regex's guess at code spans let a name of backquotes and a tag through).
    const ticked = svgIndex({
      title: 't',
      notes: [],
      sections: [
        { title: 'S', text: [], charts: [{ id: 'c', title: '```<img src=x onerror=alert(1)>`', description: 'd' }] },
      ],
    } as never);
    expect(ticked).toContain('### \\`\\`\\`\\<img src=x onerror=alert\\(1\\)\\>\\`');
    const lines = ticked.split('\n').filter((line) => line.startsWith('###') || line.startsWith('!['));
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line.replace(/\\[<`]/g, '')).not.toMatch(/<img|`/);
  });

  it('writes prose with its code spans as the page shows them, and no other HTML, whatever its backquotes', () => {
    // Strings of Markdown's special characters, backquotes and a tag, as a note, a section's text and a caption.
    const rng = createRng('prose');
    const pieces = ['`', '`', '`', '<', '>', '&', '[', ']', '(', ')', '*', '_', '!', '\\', '|', '"', ' ', 'a', '<img>'];
    for (let n = 0; n < 2000; n++) {
      let words = 'p ';
      for (let i = 1 + Math.floor(rng.next() * 12); i > 0; i--) words += pieces[Math.floor(rng.next() * pieces.length)];
      words += ' q';
      const index = svgIndex({
        title: 't',
        notes: [words],
        sections: [{ title: 'S', text: [words], charts: [{ id: 'c', title: 'C', description: words }] }],
      } as never);
      const rendered = markdown.render(index);
      // Two pairs with nothing between them are one code span in Markdown, the backquotes between shown in it.
      const shown = pageProse(words).replace(/<\/code><code>/g, '``');
      expect(rendered, words).toContain(`<li>${shown}</li>`);
      expect(rendered.split(`<p>${shown}</p>`), words).toHaveLength(3);
      expect(
        rendered.replace(
          /<\/?(h[123]|p|ul|li|code)>|<img src="c.svg" alt="C">|<a href="c.vl.json">|<\/a>|<!-- [^\n]* -->/g,
          '',
        ),
        words,
      ).not.toMatch(/</);
    }
  });

  it("writes a comparison's table into the index, cells escaped and on one line; no trial table (trial 105)", () => {
    const table = {
      title: 'Final best loss per variant',
      columns: ['variant', 'median', 'q25'],
      rows: [
        ['tpe | <b>x</b>', 0.00034197441045744336, null],
        ['random\r\nsecond\rthird\nfourth', 0.5, 0.4],
      ],
    };
    const index = svgIndex({ title: 't', notes: [], sections: [], table } as never);
    expect(index).toContain(
      '## Final best loss per variant\n\n| variant | median | q25 |\n|---|---|---|\n| tpe \\| \\<b\\>x\\</b\\> | 0.000341974 |  |\n| random second third fourth | 0.5 | 0.4 |',
    );
    // Its legend after it, a line per column it has (review 162: "vs first" said what it tests).
    const tested = { ...table, legend: { q25: 'the `first` quartile', gone: 'no such column' } };
    const withLegend = svgIndex({ title: 't', notes: [], sections: [], table: tested } as never);
    expect(withLegend).toContain('| 0.5 | 0.4 |\n\n**q25**: the `first` quartile');
    expect(withLegend).not.toContain('gone');
    // A study's trial table (its first column not `variant`), and a comparison of more than 100 variants: not.
    const trials = { columns: ['number', 'loss'], rows: [[0, 1]] };
    expect(svgIndex({ title: 't', notes: [], sections: [], table: trials } as never)).not.toContain('| number |');
    const many = { columns: ['variant'], rows: Array.from({ length: 101 }, (_, i) => [`v${i}`]) };
    expect(svgIndex({ title: 't', notes: [], sections: [], table: many } as never)).not.toContain('| variant |');
  });

  it('renders the trials as their numbers in the pair plot, and as dots those that would cover one', async () => {
    const pair = pageCharts(page).find((c) => c.id === 'pair-x-y');
    const svg = await specToSvg(pair?.spec ?? {});
    const numbers = [...svg.matchAll(/<text[^>]*>(\d+)<\/text>/g)].map((m) => Number(m[1]));
    const spec = (pair?.spec ?? {}) as { layer?: { mark: { type: string }; data: { values: { number: number }[] } }[] };
    const layer = spec.layer ?? [];
    const numbered = layer.filter((l) => l.mark.type === 'text').flatMap((l) => l.data.values.map((row) => row.number));
    expect(numbered.length).toBeGreaterThanOrEqual(5);
    for (const n of numbered) expect(numbers).toContain(n);
    // The quasi-random start-up trials are spread: each has its number.
    for (let n = 0; n < 5; n++) expect(numbers).toContain(n);
  });
});

describe('a choice of many options (trial 95: 1,000 options stopped the SVGs, 60,289 px charts)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'parzen-svg-many-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const options = Array.from({ length: 1200 }, (_, i) => `o${i}`);
  // 60 trials, every one replayed: TPE chooses more than 40 options over the snapshots (review 99).
  const study = await runTpeStudy(60, {
    space: { c: { type: 'choice', options }, x: { type: 'uniform', low: 0, high: 1 } },
    objective: (p) => (p.x as number) + Number((p.c as string).slice(1)) / 1200,
    tpe: { startupTrials: 5 },
  });
  const page = await buildReport(study, { every: 1 });

  it('draws at most 40 of them in each chart, says so, and writes every chart', async () => {
    const charts = pageCharts(page);
    const tpe = charts.find((chart) => chart.id === 'categorical-c');
    expect(tpe?.description).toMatch(
      /^40 of its 1200 options shown: those TPE chose \(the latest 40, if it chose more\) and those/,
    );
    // The latest snapshots keep their chosen option (review 99: of more than 40 chosen, the earliest were kept
    // and the last snapshots lost their ▼); the earliest may lose theirs, as the caption says.
    const chosenRows =
      (tpe?.spec as { data?: { values: { after: number; chosen: boolean }[] } } | undefined)?.data?.values ?? [];
    const latest = [...new Set(chosenRows.map((row) => row.after))].sort((a, b) => a - b).slice(-20);
    const marked = new Set(chosenRows.filter((row) => row.chosen).map((row) => row.after));
    for (const after of latest) expect(marked.has(after), `snapshot after ${after}`).toBe(true);
    const rows = (tpe?.spec as { data?: { values: { option: string }[] } } | undefined)?.data?.values ?? [];
    expect(new Set(rows.map((row) => row.option)).size).toBe(40);
    const failures: string[] = [];
    const paths = await writeSvgs(page, dir, (chart) => failures.push(chart.id));
    expect(failures).toEqual([]);
    expect(paths).toHaveLength(charts.length);
    // The slice plot's axis holds the options the trials took, not all 1,200.
    const slice = JSON.stringify(charts.find((chart) => chart.id === 'slice')?.spec);
    expect(slice).toContain('"domain":[');
    // More than 40 options taken: the axis is unlabelled (review 99: the labels overprinted), the points all drawn.
    const panel = (
      charts.find((chart) => chart.id === 'slice')?.spec as
        | {
            concat?: {
              title: { text: string };
              encoding: { x: { scale: { domain: string[] }; axis: { labels?: boolean } } };
            }[];
          }
        | undefined
    )?.concat?.find((entry) => entry.title.text === 'c');
    expect(panel?.encoding.x.scale.domain.length).toBeGreaterThan(40);
    expect(panel?.encoding.x.axis.labels).toBe(false);
    expect(slice).not.toContain('"o1199"');
    // The parallel coordinates label at most 40 options of the choice.
    const parallel = charts.find((chart) => chart.id === 'parallel')?.spec as unknown;
    const labels = JSON.stringify(parallel).match(/"label":"o\d+"/g) ?? [];
    expect(labels.length).toBeGreaterThan(0);
    expect(labels.length).toBeLessThanOrEqual(40);
  });

  it('writes the other charts when Vega fails on one, and says which in README.md', async () => {
    const broken = withBrokenChart(page);
    const failures: string[] = [];
    const paths = await writeSvgs(broken, dir, (chart) => failures.push(chart.id));
    expect(failures).toEqual(['broken']);
    expect(paths).toHaveLength(pageCharts(page).length);
    const index = readFileSync(join(dir, 'README.md'), 'utf8');
    expect(index).toMatch(/### Broken\n\n\(Not drawn: Vega failed on it, .+\.\)/);
    expect(readdirSync(dir)).toContain('broken.vl.json');
    expect(readdirSync(dir)).not.toContain('broken.svg');
    // The next report into the folder removes the spec of the chart it does not have (review 99: it stayed).
    await writeSvgs(page, dir);
    expect(readdirSync(dir)).not.toContain('broken.vl.json');
    expect(readdirSync(dir)).toHaveLength(2 * pageCharts(page).length + 1);
  });
});
