import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createTpeSuggester } from '@parzen/algo-tpe';
import { createMemoryStore, type Trial } from '@parzen/engine';
import { compileSpace, createFunctionObjective, runStudy } from '@parzen/engine/plugin';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildComparison,
  buildReport,
  comparisonRunFromTrials,
  type ReportPage,
  type ReportStudy,
  renderHtml,
  serveReport,
} from '../src/index.js';
import { pageCharts } from '../src/plugin.js';
import {
  chartScreenshot,
  type DrawnItem,
  drawnItems,
  launchChromium,
  renderedMarks,
  screenshot,
  skipBrowser,
  watchPage,
} from './browser.js';
import {
  everyThirdPruner,
  mixedObjective,
  mixedSpace,
  mixedTraining,
  runTpeStudy,
  withBrokenChart,
} from './fixtures.js';

const expectAllMarks = (page: ReportPage, rendered: Record<string, Record<string, number>>) => {
  const charts = pageCharts(page);
  expect(Object.keys(rendered).sort()).toEqual(charts.map((c) => c.id).sort());
  for (const chart of charts) {
    for (const { mark, count } of chart.marks) {
      expect({ chart: chart.id, mark, count: rendered[chart.id]?.[mark] }).toEqual({ chart: chart.id, mark, count });
    }
  }
};

/** Waits until a live page's status line starts with `start`. */
const liveStatusSays = (page: Page, start: string) =>
  page.waitForFunction(
    (text) =>
      (globalThis as unknown as { document: { getElementById(id: string): { textContent: string } | null } }).document
        .getElementById('live-status')
        ?.textContent.startsWith(text),
    start,
    { timeout: 15_000 },
  );

describe.skipIf(skipBrowser)('the report in headless Chromium', () => {
  let context: BrowserContext;
  let close: () => Promise<void>;
  const dir = mkdtempSync(join(tmpdir(), 'parzen-report-'));
  /** Writes the page, opens it from disk, waits for every chart and checks marks, console and network. */
  const openFile = async (report: ReportPage, name: string) => {
    const file = join(dir, name);
    writeFileSync(file, renderHtml(report));
    const page = await context.newPage();
    const seen = watchPage(page);
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector(`body[data-rendered="${report.version}"]`, { timeout: 30_000 });
    expectAllMarks(report, await renderedMarks(page));
    expect(seen.errors).toEqual([]);
    expect(seen.external).toEqual([]);
    return page;
  };
  /** Opens a served page and waits for its first rendering, watching its console and network. */
  const openServed = async (url: string) => {
    const page = await context.newPage();
    const seen = watchPage(page);
    await page.goto(url);
    await page.waitForSelector('body[data-rendered]', { timeout: 30_000 });
    return { page, seen };
  };
  beforeAll(async () => {
    ({ context, close } = await launchChromium({ singleProcess: true }));
  });
  afterAll(async () => {
    await close?.();
    rmSync(dir, { recursive: true, force: true });
  });

  it('renders every chart of a study report from disk with the right number of marks and no console error', async () => {
    // A training objective (reports, some trials pruned) so that every chart, learning curves included, is drawn.
    const study = await runTpeStudy(40, {
      space: mixedSpace,
      objective: mixedTraining,
      tpe: { startupTrials: 8 },
      pruner: everyThirdPruner,
    });
    expect(pageCharts(await buildReport(study, { every: 5 })).some((c) => c.id === 'learning-curves')).toBe(true);
    const report = await buildReport(study, {
      every: 5,
      contour: mixedObjective as (p: Record<string, unknown>) => number,
      contourResolution: 25,
    });
    expect(pageCharts(report).some((c) => c.marks.some((m) => m.mark === 'rule' && c.id.startsWith('pair')))).toBe(
      true,
    );
    const page = await openFile(report, 'report.html');

    // The trial table sorts and filters.
    expect(await page.locator('#trial-table tbody tr').count()).toBe(40);
    await page.locator('#trial-table th', { hasText: 'loss' }).click();
    const best = study.trials.reduce((a, b) =>
      b.state === 'complete' && (a.state !== 'complete' || b.loss < a.loss) ? b : a,
    );
    expect(await page.locator('#trial-table tbody tr').first().locator('td').first().textContent()).toBe(
      String(best.number),
    );
    await page.selectOption('#table-state', 'failed');
    const failed = study.trials.filter((t) => t.state === 'failed').length;
    expect(await page.locator('#trial-table tbody tr').count()).toBe(failed);
    await screenshot(page, 'report.png', { fullPage: true });
    await page.close();
  });

  it('shows a choice option null as null (best trial and table), and draws an empty or all-failed study without Vega warnings', async () => {
    const space = compileSpace({
      x: { type: 'uniform', low: 0, high: 1 },
      n: { type: 'normal', mu: 0, sigma: 1 },
      act: { type: 'choice', options: ['relu', null] },
    });
    const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString();
    const study = (trials: Trial[]): ReportStudy => ({
      name: 'small',
      direction: 'minimize',
      seed: 1,
      space,
      trials,
      suggester: { use: 'random' },
    });
    const failed = [0, 1, 2].map(
      (number): Trial => ({
        study: 'small',
        number,
        state: 'failed',
        internal: { x: 0.2 * number, n: number, act: 0 },
        error: { code: 'OBJECTIVE_FAILED', message: 'no' },
        startedAt: at(number),
        finishedAt: at(number + 1),
      }),
    );
    const best: Trial = {
      study: 'small',
      number: 0,
      state: 'complete',
      internal: { x: 0.5, n: 0, act: 1 },
      loss: 1,
      startedAt: at(0),
      finishedAt: at(1),
    };
    const open = async (report: ReportPage, name: string) => {
      const file = join(dir, name);
      writeFileSync(file, renderHtml(report));
      const page = await context.newPage();
      const warnings: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'warning' || message.type() === 'error') warnings.push(message.text());
      });
      await page.goto(pathToFileURL(file).href);
      await page.waitForSelector(`body[data-rendered="${report.version}"]`, { timeout: 30_000 });
      expectAllMarks(report, await renderedMarks(page));
      expect(warnings).toEqual([]);
      return page;
    };
    const withNull = await open(await buildReport(study([best, ...failed.slice(1)])), 'null.html');
    expect(await withNull.locator('#best tr', { hasText: 'act' }).locator('td').textContent()).toBe('null');
    const act = await withNull
      .locator('#trial-table tbody tr')
      .evaluateAll((rows) => rows.map((row) => row.querySelectorAll('td')[6]?.textContent));
    expect(act).toEqual(['null', 'relu', 'relu']);
    await withNull.close();
    // The best trial's attrs, as `parzen best` prints them, as text (trial 157: the box had params only).
    const attrs = { seed: 123456789, note: '<b>not bold</b>', curve: Array.from({ length: 100 }, (_, i) => i) };
    const withAttrs = await open(await buildReport(study([{ ...best, attrs }])), 'attrs.html');
    const cell = (name: string) => withAttrs.locator('#best tr', { hasText: name }).locator('td').textContent();
    expect(await cell('attrs.seed')).toBe('123456789');
    expect(await cell('attrs.note')).toBe('<b>not bold</b>');
    expect(await withAttrs.locator('#best b').count()).toBe(0);
    expect(await cell('attrs.curve')).toMatch(/^\[0,1,2,.*…$/);
    expect((await cell('attrs.curve'))?.length).toBe(200);
    await withAttrs.close();
    // Over 300 trials drawn (maxPairPoints raised) the pair plot draws dots, failed ones as grey crosses (trial 32).
    const many = Array.from(
      { length: 320 },
      (_, number): Trial =>
        number % 5 === 0
          ? { ...(failed[0] as Trial), number, internal: { x: (number % 97) / 97, n: 0.01 * number, act: 0 } }
          : { ...best, number, internal: { x: (number % 89) / 89, n: -0.01 * number, act: 1 }, loss: number },
    );
    // Losses whose range passes the largest number (trial 57: the parallel coordinates' colour legend failed
    // in the browser, addColorStop given undefined).
    const extreme = [1e308, -1e308, 3, -5, 1e300].map(
      (loss, number): Trial => ({ ...best, number, internal: { x: number / 5, n: number, act: 1 }, loss }),
    );
    for (const [trials, name] of [
      [[], 'empty.html'],
      [failed, 'failed.html'],
      [many, 'many.html'],
      [extreme, 'extreme.html'],
    ] as const) {
      const page = await open(
        await buildReport(study([...trials]), { contour: (p) => p.x as number, maxPairPoints: 400 }),
        name,
      );
      await screenshot(page, name.replace('.html', '.png'), { fullPage: true });
      await page.close();
    }
  });

  it('labels a one-trial study short: the loss as a number, whole trial numbers, its mark whole (trial 115)', async () => {
    const space = compileSpace({ x: { type: 'uniform', low: 0, high: 1 } });
    const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString();
    const trial = (number: number, loss?: number): Trial => ({
      study: 'one',
      number,
      internal: { x: 0.25 * (number + 1) },
      startedAt: at(number),
      finishedAt: at(number + 1),
      ...(loss === undefined
        ? { state: 'failed', error: { code: 'OBJECTIVE_FAILED', message: 'no' } }
        : { state: 'complete', loss }),
    });
    const study = (trials: Trial[]): ReportStudy => ({
      name: 'one',
      direction: 'minimize',
      seed: 1,
      space,
      trials,
      suggester: { use: 'random' },
    });
    const page = await openFile(await buildReport(study([trial(0, 41.2442519)])), 'one-trial.html');
    const labels = async (id: string) => (await drawnItems(page, id)).axes.flatMap((axis) => axis.labels);
    for (const id of ['history', 'slice', 'ecdf']) {
      const drawn = await labels(id);
      expect(drawn.length, id).toBeGreaterThan(0);
      // Vega's own format over an empty span printed six decimals: 41.244252, and 0.000000 for trial #0.
      for (const label of drawn) expect(label, id).not.toMatch(/\.\d{5,}/);
    }
    const legend = (await drawnItems(page, 'slice')).items.filter((item) => item.role === 'legend-label');
    expect(legend.map((item) => item.text)).toEqual(['0']);
    await page.close();
    // Three failed trials: the first and last crosses are drawn whole inside the history's plot.
    const failed = await openFile(await buildReport(study([0, 1, 2].map((n) => trial(n)))), 'all-failed.html');
    const { items } = await drawnItems(failed, 'history');
    const crosses = items.filter((item) => item.marktype === 'symbol' && item.role === 'mark');
    expect(crosses).toHaveLength(3);
    // The plot's area: where the axes' domain lines run.
    const domains = items.filter((item) => item.role === 'axis-domain');
    const left = Math.min(...domains.map((d) => d.x1));
    const right = Math.max(...domains.map((d) => d.x2));
    expect(Math.min(...crosses.map((item) => item.x1))).toBeGreaterThanOrEqual(left);
    expect(Math.max(...crosses.map((item) => item.x2))).toBeLessThanOrEqual(right);
    await failed.close();
    // Ticks at the study's trials only (trial 116: a padding in pixels put ticks at trials -1 and 12 here).
    const twelve = Array.from({ length: 12 }, (_, n) => trial(n, n % 3 === 0 ? undefined : n));
    const longer = await openFile(await buildReport(study(twelve)), 'twelve.html');
    const [trialAxis] = (await drawnItems(longer, 'history')).axes.filter((axis) => axis.title === 'trial');
    expect(trialAxis?.labels.length).toBeGreaterThan(3);
    for (const label of trialAxis?.labels ?? []) expect(Number(label), label).toBeGreaterThanOrEqual(0);
    for (const label of trialAxis?.labels ?? []) expect(Number(label), label).toBeLessThanOrEqual(11);
    await longer.close();
    // Trials #3 to #8 finished and #9, #10 still running: the best-so-far line runs on over the running ones,
    // inside the plot (review 124: the axis ended at #8 and the line ran on over the legend).
    const running = (number: number): Trial => ({
      study: 'one',
      number,
      state: 'running',
      internal: { x: 0.5 },
      startedAt: at(number),
    });
    const trailing = [3, 4, 5, 6, 7, 8].map((n) => trial(n, n)).concat([running(9), running(10)]);
    const open = await openFile(await buildReport(study(trailing)), 'trailing-running.html');
    const drawn = (await drawnItems(open, 'history')).items;
    const edge = Math.max(...drawn.filter((item) => item.role === 'axis-domain').map((d) => d.x2));
    const line = drawn.filter((item) => item.marktype === 'line' && item.role === 'mark');
    expect(line.length).toBeGreaterThan(0);
    for (const item of line) expect(item.x2).toBeLessThanOrEqual(edge + 0.5);
    await open.close();
  });

  it('works from the keyboard and for a screen reader, fits a phone, and prints every row (trial 92)', async () => {
    const space = compileSpace({
      x: { type: 'uniform', low: 0, high: 1 },
      arch: {
        type: 'choice',
        options: ['a_really_really_long_choice_value_describing_a_residual_network_with_bottlenecks_v2', 'small'],
      },
    });
    const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString();
    const trials = Array.from(
      { length: 230 },
      (_, number): Trial => ({
        study: 'a11y',
        number,
        state: 'complete',
        internal: { x: (number % 17) / 17, arch: number % 2 },
        loss: ((number * 7) % 23) + (number === 40 ? -1 : 0),
        startedAt: at(number),
        finishedAt: at(number + 1),
      }),
    );
    const report = await randomStudyReport('a11y', space, trials);
    const page = await openFile(report, 'a11y.html');
    expect(await page.getAttribute('#table-filter', 'aria-label')).toBe('Filter trials by text in any cell');
    expect(await page.getAttribute('#table-state', 'aria-label')).toBe('Trial state');
    // Each chart is named by its caption, not "Vega visualization".
    const names = await page.locator('figure').evaluateAll((figures) =>
      figures.map((figure) => ({
        name: figure.querySelector('[role="graphics-document"]')?.getAttribute('aria-label') ?? '',
        caption: figure.querySelector('figcaption')?.textContent ?? '',
      })),
    );
    expect(names.length).toBeGreaterThan(3);
    for (const { name, caption } of names) expect(name).toBe(caption);
    // Sorting from the keyboard: Tab to a header's button, Enter, and aria-sort says the order.
    const loss = page.locator('#trial-table th', { hasText: 'loss' });
    await loss.locator('button').focus();
    await page.keyboard.press('Enter');
    expect(await page.locator('#trial-table th[aria-sort]').getAttribute('aria-sort')).toBe('ascending');
    expect(await page.locator('#trial-table th[aria-sort] button').textContent()).toBe('loss ▲');
    // The header's name is the column's (review 96: an aria-label made each "Sort by …").
    expect(await page.locator('#trial-table th button[aria-label]').count()).toBe(0);
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('loss ▲');
    await page.keyboard.press('Enter');
    expect(await page.locator('#trial-table th[aria-sort]').getAttribute('aria-sort')).toBe('descending');
    // A phone's width: the page itself does not scroll sideways (charts scroll in their box; long values wrap).
    await page.setViewportSize({ width: 390, height: 800 });
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    // Printed: every row, no scroll box.
    expect(await page.locator('#trial-table tbody tr').count()).toBe(200);
    await page.emulateMedia({ media: 'print' });
    await page.evaluate("window.dispatchEvent(new Event('beforeprint'))");
    expect(await page.locator('#trial-table tbody tr').count()).toBe(230);
    expect(await page.evaluate("getComputedStyle(document.querySelector('.table-wrap')).maxHeight")).toBe('none');
    // The header row prints (review 96: hidden with the buttons), the "show more" button does not.
    expect(await page.locator('#trial-table th button').first().isVisible()).toBe(true);
    expect(await page.locator('#trials button.more').isVisible()).toBe(false);
    // After printing, the rows shown before.
    await page.emulateMedia({ media: 'screen' });
    await page.evaluate("window.dispatchEvent(new Event('afterprint'))");
    expect(await page.locator('#trial-table tbody tr').count()).toBe(200);
    await page.close();
    // A maximize study: sorted by loss, the highest (the best) first.
    const up = await buildReport({
      name: 'a11y',
      direction: 'maximize',
      seed: 1,
      space,
      trials,
      suggester: { use: 'random' },
    });
    expect(up.table?.highestFirst).toEqual(['loss']);
    const upPage = await openFile(up, 'a11y-max.html');
    await upPage.locator('#trial-table th', { hasText: 'loss' }).locator('button').click();
    expect(await upPage.locator('#trial-table th[aria-sort]').getAttribute('aria-sort')).toBe('descending');
    expect(await upPage.locator('#trial-table tbody tr').first().locator('td').nth(2).textContent()).toBe('22');
    await upPage.close();
  });

  /** A small random-search study's report: 12 complete trials of x and a choice. */
  /** The report of a minimized study of random search, seed 1, with these trials. */
  const randomStudyReport = (name: string, space: ReturnType<typeof compileSpace>, trials: Trial[]) =>
    buildReport({ name, direction: 'minimize', seed: 1, space, trials, suggester: { use: 'random' } });

  const smallReport = (trials = 12) => {
    const space = compileSpace({
      x: { type: 'loguniform', low: 1e-5, high: 1 },
      n: { type: 'randint', low: 1, high: 9 },
    });
    const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString();
    return buildReport({
      name: 'small',
      direction: 'minimize',
      seed: 1,
      space,
      trials: Array.from(
        { length: trials },
        (_, number): Trial => ({
          study: 'small',
          number,
          state: 'complete',
          internal: { x: 10 ** (-5 + ((number * 7) % 11) / 2.2), n: 1 + (number % 8) },
          loss: ((number * 5) % 13) / 3,
          startedAt: at(number),
          finishedAt: at(number + 1),
        }),
      ),
      suggester: { use: 'random' },
    });
  };

  // A user trial: sorted by loss, a pruned trial's last reported value stood among the complete trials' losses as if
  // it were a final one (the lowest first, here), and nothing in its cell said it was not.
  it('sorts pruned trials after the complete ones by loss, either way, their values marked as intermediate', async () => {
    const space = compileSpace({ x: { type: 'uniform', low: 0, high: 1 } });
    const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString();
    const times = (number: number) => ({ startedAt: at(number), finishedAt: at(number + 1) });
    const complete = (number: number, loss: number): Trial => ({
      study: 'pruned',
      number,
      state: 'complete',
      internal: { x: number / 10 },
      loss,
      intermediate: [{ step: 9, value: loss }],
      ...times(number),
    });
    const pruned = (number: number, loss: number, step: number): Trial => ({
      study: 'pruned',
      number,
      state: 'pruned',
      internal: { x: number / 10 },
      loss,
      intermediate: [
        { step: 0, value: loss + 1 },
        { step, value: loss },
      ],
      ...times(number),
    });
    const trials: Trial[] = [
      complete(0, 3),
      pruned(1, 0.5, 2),
      complete(2, 1),
      pruned(3, 7, 4),
      complete(4, 2),
      { study: 'pruned', number: 5, state: 'pruned', internal: { x: 0.5 }, ...times(5) },
    ];
    const report = await buildReport({
      name: 'pruned',
      direction: 'minimize',
      seed: 1,
      space,
      trials,
      suggester: { use: 'random' },
    });
    const page = await openFile(report, 'pruned-sort.html');
    const shown = () =>
      page
        .locator('#trial-table tbody tr')
        .evaluateAll((rows) => rows.map((row) => [...row.querySelectorAll('td')].map((td) => td.textContent)));
    const byLoss = page.locator('#trial-table th', { hasText: /^loss/ }).locator('button');
    await byLoss.click();
    expect((await shown()).map((cells) => [cells[0], cells[2]])).toEqual([
      ['2', '1'],
      ['4', '2'],
      ['0', '3'],
      ['1', '0.5 (intermediate, at step 2)'],
      ['3', '7 (intermediate, at step 4)'],
      ['5', ''],
    ]);
    await byLoss.click();
    expect((await shown()).map((cells) => cells[0])).toEqual(['0', '4', '2', '3', '1', '5']);
    // The filter finds them by what their cells say.
    await page.fill('#table-filter', 'intermediate');
    expect((await shown()).map((cells) => cells[0])).toEqual(['3', '1']);
    await page.close();
  });

  // Trial 183: Vega cut long labels by UTF-16 units (half an emoji, an accent dropped, a ZWJ family split).
  it('cuts long labels between whole characters', async () => {
    const names = ['🚀'.repeat(40), 'e\u0301'.repeat(40), '👨\u200d👩\u200d👧'.repeat(10)];
    const space = compileSpace(Object.fromEntries(names.map((name) => [name, { type: 'uniform', low: 0, high: 1 }])));
    const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString();
    const trials = Array.from(
      { length: 8 },
      (_, number): Trial => ({
        study: 'long',
        number,
        state: 'complete',
        internal: Object.fromEntries(names.map((name, i) => [name, ((number * (i + 3)) % 7) / 7])),
        loss: number,
        startedAt: at(number),
        finishedAt: at(number + 1),
      }),
    );
    const page = await openFile(await randomStudyReport('long', space, trials), 'long-labels.html');
    const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
    const starts = names.map((name) => {
      const parts = Array.from(segmenter.segment(name), (part) => part.segment);
      return new Set(parts.map((_, k) => parts.slice(0, k).join('')));
    });
    const cut = (await drawnItems(page, 'parallel')).items
      .map((item) => item.text ?? '')
      .filter((text) => text.endsWith('…'))
      .map((text) => text.slice(0, -1));
    // (Chromium here has no emoji font: it measures them narrow, and cuts only the accented name.)
    expect(cut.length).toBeGreaterThanOrEqual(1);
    for (const kept of cut)
      expect(
        starts.some((whole) => whole.has(kept)),
        kept,
      ).toBe(true);
    await page.close();
  });

  // Trial 183: NFC ééé typed in the filter found no row whose option was stored NFD.
  it('filters without case and without regard to Unicode normalisation', async () => {
    const space = compileSpace({ kind: { type: 'choice', options: ['e\u0301te\u0301', 'other'] } });
    const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString();
    const trials: Trial[] = [0, 1, 2].map((number) => ({
      study: 'nfd',
      number,
      state: 'complete',
      internal: { kind: number % 2 },
      loss: number,
      startedAt: at(number),
      finishedAt: at(number + 1),
    }));
    const report = await randomStudyReport('nfd', space, trials);
    const page = await openFile(report, 'nfd-filter.html');
    const numbers = () =>
      page
        .locator('#trial-table tbody tr')
        .evaluateAll((rows) => rows.map((row) => row.querySelector('td')?.textContent));
    for (const typed of ['\u00e9t\u00e9', '\u00c9T\u00c9', 'e\u0301te\u0301']) {
      await page.fill('#table-filter', typed);
      expect(await numbers(), typed).toEqual(['0', '2']);
    }
    await page.close();
  });

  // Trial 141: the links read "The study, ..., Best trial, Trials", the best trial first on the page.
  it("links the page's sections in the page's order", async () => {
    const page = await openFile(await smallReport(), 'order.html');
    const links = await page.locator('nav a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    const sections = await page.locator('#report > section').evaluateAll((ss) => ss.map((s) => `#${s.id}`));
    expect(links[0]).toBe('#best');
    expect(links).toEqual(sections);
    await page.close();
  });

  // Trial 141: printed, the trial table's header (position: sticky) was on its first page only, and tall rows split.
  it("prints the trial table's header on every page and keeps each row on one page", async () => {
    const page = await openFile(await smallReport(), 'print.html');
    // A string, as the page's own globals are not the test's types.
    const styles = (): Promise<{ thead: string; th: string; row: string }> =>
      page.evaluate(`(() => {
        const style = (selector) => getComputedStyle(document.querySelector(selector));
        return {
          thead: style('#trial-table thead').display,
          th: style('#trial-table th').position,
          row: style('#trial-table tbody tr').breakInside,
        };
      })()`);
    // On screen the header stays sticky in its scroll box.
    expect((await styles()).th).toBe('sticky');
    await page.emulateMedia({ media: 'print' });
    expect(await styles()).toEqual({ thead: 'table-header-group', th: 'static', row: 'avoid' });
    await page.close();
  });

  it('draws the best trial on top, whole-number and decade ticks, long names cut, and scores clear of the bars (trial 77)', async () => {
    const long = 'very_long_parameter_name_'.repeat(6);
    const quoted = '"><svg/onload=alert(2)>';
    const study = await runTpeStudy(40, {
      space: {
        layers: { type: 'randint', low: 1, high: 9 },
        lr: { type: 'loguniform', low: 1e-5, high: 1 },
        [quoted]: { type: 'uniform', low: 0, high: 1 },
        [long]: { type: 'uniform', low: 0, high: 1 },
        opt: { type: 'choice', options: ['sgd', 'adam'] },
      },
      objective: (p) =>
        ((p.layers as number) - 3) ** 2 / 10 +
        (Math.log10(p.lr as number) + 2) ** 2 / 10 +
        (p.opt === 'sgd' ? 0 : 2) +
        (p[long] as number) / 10,
      tpe: { startupTrials: 8 },
    });
    const report = await buildReport(study, { every: 10, pairs: [['lr', 'layers']] });
    const page = await openFile(report, 'axes.html');
    const overlap = (a: { x1: number; x2: number; y1: number; y2: number }, b: typeof a) =>
      Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1) > 0.5 && Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1) > 0.5;

    // The best trial's number is the last drawn, in red: nothing is drawn over it.
    const best = report.best?.number as number;
    expect(best).not.toBe(Math.max(...study.trials.map((t) => t.number)));
    const pair = await drawnItems(page, 'pair-lr-layers');
    const numbers = pair.items.filter((item) => item.role === 'mark' && item.marktype === 'text');
    expect(numbers.at(-1)).toMatchObject({ text: String(best), fill: '#d62728' });

    // The randint's axes are labelled at whole numbers only; the log axis at powers of ten only.
    const axesTitled = (axes: { title: string; labels: string[] }[], title: string) =>
      axes.filter((axis) => axis.title === title);
    const slice = await drawnItems(page, 'slice');
    const density = await drawnItems(page, 'density-layers');
    const layerAxes = [
      ...axesTitled(pair.axes, 'layers'),
      ...axesTitled(slice.axes, 'layers'),
      ...axesTitled(density.axes, 'layers'),
    ];
    expect(layerAxes.length).toBeGreaterThanOrEqual(3);
    for (const axis of layerAxes) for (const label of axis.labels) expect(label).toMatch(/^\d+$/);
    const lrAxes = [
      ...axesTitled(pair.axes, 'lr'),
      ...axesTitled(slice.axes, 'lr'),
      ...axesTitled((await drawnItems(page, 'density-lr')).axes, 'lr'),
    ];
    expect(lrAxes.length).toBeGreaterThanOrEqual(3);
    for (const axis of lrAxes) expect(axis.labels).toEqual(['1e-5', '1e-4', '1e-3', '1e-2', '1e-1', '1']);

    // Long names: the parallel coordinates' axis names do not overlap, and the slice plots keep their width.
    const parallel = await drawnItems(page, 'parallel');
    const names = parallel.items.filter((item) => item.role === 'axis-label');
    expect(names.map((n) => n.text)).toContain(quoted);
    for (const [i, a] of names.entries()) for (const b of names.slice(i + 1)) expect(overlap(a, b)).toBe(false);
    const sliceBox = await page.locator('#chart-slice canvas').boundingBox();
    expect(sliceBox?.width).toBeLessThan(1000);
    expect(slice.items.filter((item) => item.role === 'mark').every((item) => item.x2 < 1000)).toBe(true);

    // The choice chart's scores never overlap its bars, even bars at nearly 1: a study where almost every
    // trial took `sgd` (trial 77: the scores ran across the tops of such bars).
    const choiceStudy = await runTpeStudy(60, {
      space: { opt: { type: 'choice', options: ['sgd', 'adam'] }, x: { type: 'uniform', low: 0, high: 1 } },
      objective: (p) => p.x as number,
      tpe: { startupTrials: 5 },
    });
    const allSgd = {
      ...choiceStudy,
      trials: choiceStudy.trials.map((t) => ({ ...t, internal: { ...t.internal, opt: t.number === 3 ? 1 : 0 } })),
    };
    const choicePage = await openFile(await buildReport(allSgd, { every: 20 }), 'choice.html');
    const choice = await drawnItems(choicePage, 'categorical-opt');
    const bars = choice.items.filter((item) => item.role === 'mark' && item.marktype === 'rect');
    const scores = choice.items.filter((item) => item.role === 'mark' && item.marktype === 'text');
    const tallest = Math.max(...bars.map((bar) => bar.y2 - bar.y1));
    expect(tallest).toBeGreaterThan(0.9 * 90);
    expect(scores.length).toBeGreaterThan(0);
    for (const score of scores) for (const bar of bars) expect(overlap(score, bar)).toBe(false);
    await chartScreenshot(choicePage, 'categorical-opt', 'axes-categorical-opt-converged.png');
    await choicePage.close();
    for (const id of ['pair-lr-layers', 'slice', 'parallel', 'categorical-opt', 'density-layers', 'density-lr'])
      await chartScreenshot(page, id, `axes-${id}.png`);
    await page.close();
  });

  // A user trial: drawn as numbers, complete, pruned and failed trials differed by colour alone, lost in grey
  // print or to a colour-blind reader.
  it("draws a pruned or failed trial's number with its diamond or cross just right of it, and a legend of them", async () => {
    const space = compileSpace({ x: { type: 'uniform', low: 0, high: 1 }, y: { type: 'uniform', low: 0, high: 1 } });
    const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString();
    const states = ['complete', 'pruned', 'failed'] as const;
    const trials = [0, 1, 2, 3, 14, 25, 106, 117, 128].map((number, i): Trial => {
      const common = {
        study: 'shapes',
        number,
        internal: { x: 0.1 + (i % 3) * 0.35, y: 0.1 + Math.floor(i / 3) * 0.35 },
      };
      const times = { startedAt: at(i), finishedAt: at(i + 1) };
      const state = states[i % 3];
      return state === 'failed'
        ? { ...common, state, error: { code: 'OBJECTIVE_FAILED', message: 'no' }, ...times }
        : state === 'pruned'
          ? { ...common, state, loss: 10 + i, ...times }
          : { ...common, state: 'complete', loss: 1 + i, ...times };
    });
    const report = await buildReport(
      { name: 'shapes', direction: 'minimize', seed: 1, space, trials, suggester: { use: 'random' } },
      { pairs: [['x', 'y']] },
    );
    const page = await openFile(report, 'pair-shapes.html');
    const { items } = await drawnItems(page, 'pair-x-y');
    const numbers = items.filter((item) => item.role === 'mark' && item.marktype === 'text' && item.fill !== 'white');
    const symbols = items.filter((item) => item.role === 'mark' && item.marktype === 'symbol');
    expect(numbers.map((item) => Number(item.text)).sort((a, b) => a - b)).toEqual(trials.map((t) => t.number));
    const beside = (number: DrawnItem) =>
      symbols
        .filter((symbol) => {
          const middle = (symbol.y1 + symbol.y2) / 2;
          return (
            Math.abs(middle - (number.y1 + number.y2) / 2) < 3 &&
            symbol.x1 >= number.x2 - 1 &&
            symbol.x1 <= number.x2 + 6
          );
        })
        .map((symbol) => symbol.shape);
    const shapes = Object.fromEntries(numbers.map((number) => [number.text, beside(number)]));
    expect(shapes).toEqual({
      '0': [],
      '1': ['diamond'],
      '2': ['cross'],
      '3': [],
      '14': ['diamond'],
      '25': ['cross'],
      '106': [],
      '117': ['diamond'],
      '128': ['cross'],
    });
    // The legend names each kind drawn, the best and complete numbers too (one rule for every pair plot).
    const legend = items.filter((item) => item.role === 'legend-label').map((item) => item.text);
    expect(legend).toEqual(['best (ringed)', 'complete', 'pruned', 'failed (no loss)']);
    expect(items.filter((item) => item.role === 'legend-symbol').map((item) => item.shape)).toEqual([
      'circle',
      'circle',
      'diamond',
      'cross',
    ]);
    await chartScreenshot(page, 'pair-x-y', 'pair-shapes.png');
    await page.close();
  });

  it('draws pair plot numbers whole inside the plot at its edges, over the dots, each on a white halo under them', async () => {
    const space = compileSpace({ x: { type: 'uniform', low: 0, high: 1 }, y: { type: 'uniform', low: 0, high: 1 } });
    const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString();
    // Three-digit numbers at the corners and on the edges (the bounds), and a cluster in the middle whose later
    // trials are dots under the first one's number.
    const places = [
      [0, 0],
      [1, 1],
      [0, 1],
      [1, 0],
      [0.5, 0],
      [0, 0.5],
      [1, 0.5],
      [0.5, 1],
      ...Array.from({ length: 6 }, (_, i) => [0.5 + i * 0.002, 0.5]),
    ] as const;
    const trials = places.map(
      ([x, y], i): Trial => ({
        study: 'edges',
        number: 100 + i,
        state: 'complete',
        internal: { x, y },
        loss: i === 1 ? 0 : 1 + i,
        startedAt: at(i),
        finishedAt: at(i + 1),
      }),
    );
    const report = await buildReport(
      { name: 'edges', direction: 'minimize', seed: 1, space, trials, suggester: { use: 'random' } },
      { pairs: [['x', 'y']] },
    );
    const page = await openFile(report, 'pair-edges.html');
    const { items } = await drawnItems(page, 'pair-x-y');
    // The plot's area: where the axes' domain lines run.
    const domains = items.filter((item) => item.role === 'axis-domain');
    const left = Math.min(...domains.map((d) => d.x1));
    const right = Math.max(...domains.map((d) => d.x2));
    const top = Math.min(...domains.map((d) => d.y1));
    const bottom = Math.max(...domains.map((d) => d.y2));
    expect(right - left).toBeGreaterThan(400);
    expect(bottom - top).toBeGreaterThan(400);
    const texts = items.map((item, index) => ({ item, index })).filter(({ item }) => item.role === 'mark');
    const numbers = texts.filter(({ item }) => item.marktype === 'text' && item.fill !== 'white');
    const halos = texts.filter(({ item }) => item.marktype === 'text' && item.fill === 'white');
    const dotIndices = texts.filter(({ item }) => item.marktype === 'symbol').map(({ index }) => index);
    const lastDot = Math.max(...dotIndices);
    const firstDot = Math.min(...dotIndices);
    // Every trial is drawn: 9 as numbers (the 8 at the edges and the cluster's first), 5 as dots.
    expect(numbers.map(({ item }) => Number(item.text)).sort((a, b) => a - b)).toEqual([
      100, 101, 102, 103, 104, 105, 106, 107, 108,
    ]);
    expect(texts.filter(({ item }) => item.marktype === 'symbol').length).toBe(5 + 1);
    for (const { item, index } of numbers) {
      // Whole inside the plot: not cut by its edge, nor drawn over the axes.
      expect({
        text: item.text,
        inside: item.x1 >= left && item.x2 <= right && item.y1 >= top && item.y2 <= bottom,
      }).toEqual({
        text: item.text,
        inside: true,
      });
      // Over every dot, and over a halo of its own text and place that is under every dot (review 123: drawn
      // over them, the halos erased the dots beside a number).
      const halo = halos.find(({ item: h }) => h.text === item.text);
      expect(halo, item.text).toBeDefined();
      expect(index).toBeGreaterThan(lastDot);
      expect(halo?.index).toBeLessThan(firstDot);
      expect(Math.abs((halo?.item.x1 ?? 0) + (halo?.item.x2 ?? 0) - item.x1 - item.x2)).toBeLessThan(1);
      expect(Math.abs((halo?.item.y1 ?? 0) + (halo?.item.y2 ?? 0) - item.y1 - item.y2)).toBeLessThan(1);
    }
    await chartScreenshot(page, 'pair-x-y', 'pair-edges.png');
    await page.close();
  });

  it("draws the parallel coordinates' labels, a choice's options too, over the lines on white halos, whole inside the chart", async () => {
    const study = await runTpeStudy(30, {
      space: {
        x: { type: 'uniform', low: 0, high: 1 },
        opt: { type: 'choice', options: ['sgd', 'adam', 'rmsprop', 'adam_with_decoupled_weight_decay_and_warmup'] },
        mom: { type: 'uniform', low: 0, high: 1 },
      },
      objective: (p) => (p.x as number) + (p.opt === 'sgd' ? 0 : 1) + (p.mom as number),
      tpe: { startupTrials: 8 },
    });
    const report = await buildReport(study, { every: 30 });
    const page = await openFile(report, 'parallel-labels.html');
    const { items } = await drawnItems(page, 'parallel');
    const marks = items.map((item, index) => ({ item, index })).filter(({ item }) => item.role === 'mark');
    const lastLine = Math.max(...marks.filter(({ item }) => item.marktype === 'line').map(({ index }) => index));
    const labels = marks.filter(({ item }) => item.marktype === 'text' && item.fill !== 'white');
    const halos = marks.filter(({ item }) => item.marktype === 'text' && item.fill === 'white');
    expect(labels.map(({ item }) => item.text)).toEqual(expect.arrayContaining(['sgd', 'adam', 'rmsprop']));
    for (const { item, index } of labels) {
      // On top of every line, over a halo of its own text and place (drawn after the lines too).
      expect(index).toBeGreaterThan(lastLine);
      const halo = halos.find(({ item: h }) => h.text === item.text && Math.abs(h.y1 + h.y2 - item.y1 - item.y2) < 1);
      expect(halo, item.text).toBeDefined();
      expect(halo?.index).toBeGreaterThan(lastLine);
      expect(halo?.index).toBeLessThan(index);
      // Whole inside the plot's 300 pixels: the labels at an axis's ends are not cut at the chart's edge.
      expect({ text: item.text, inside: item.y1 >= 0 && item.y2 <= 300 }).toEqual({ text: item.text, inside: true });
    }
    // A long option is cut before the next axis, whose labels it ran into (review 123).
    const overlap = (a: (typeof items)[number], b: (typeof items)[number]) =>
      Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1) > 0.5 && Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1) > 0.5;
    for (const a of labels)
      for (const b of labels)
        if (a.index < b.index) expect(overlap(a.item, b.item), `${a.item.text} over ${b.item.text}`).toBe(false);
    await chartScreenshot(page, 'parallel', 'parallel-labels.png');
    await page.close();
  });

  it('says in its place a chart Vega cannot draw, and draws the rest (trial 95: a caption under nothing, the rest stopped)', async () => {
    const report = await buildReport(await runTpeStudy(12), {});
    const broken = withBrokenChart(report);
    const file = join(dir, 'broken.html');
    writeFileSync(file, renderHtml(broken));
    const page = await context.newPage();
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector(`body[data-rendered="${broken.version}"]`, { timeout: 30_000 });
    expect(await page.locator('[data-failed]').count()).toBe(1);
    expect(await page.locator('[data-failed]').textContent()).toMatch(/^This chart could not be drawn: /);
    // Every other chart was drawn.
    expect(await page.locator('[data-render-ms]:not(body)').count()).toBe(pageCharts(report).length);
    await page.close();
  });

  it('renders a comparison page (regret bands, box plot)', async () => {
    const runs = [];
    for (const [variant, startupTrials] of [
      ['tpe-5', 5],
      ['tpe-20', 20],
    ] as const) {
      for (const seed of [1, 2, 3]) {
        const study = await runTpeStudy(25, { seed, tpe: { startupTrials } });
        runs.push(comparisonRunFromTrials(variant, seed, 'minimize', study.trials));
      }
    }
    const report = buildComparison(runs);
    const page = await openFile(report, 'comparison.html');
    await screenshot(page, 'comparison.png', { fullPage: true });
    // The "vs first" column, its meaning beside the table and as its header's title (review 162).
    expect(await page.evaluate("[...document.querySelectorAll('p.legend')].map((p) => p.textContent)")).toEqual([
      expect.stringMatching(
        /^vs first: p of a two-sided Mann–Whitney U test of the variant's run bests against those of tpe-/,
      ),
    ]);
    expect(await page.evaluate("document.querySelector('#trial-table th:nth-last-child(3)').title")).toMatch(
      /^p of a two-sided/,
    );
    expect(
      await page.evaluate(
        "[...document.querySelectorAll('#trial-table tbody td:nth-last-child(3)')].map((td) => td.textContent)",
      ),
    ).toEqual(expect.arrayContaining(['-', 'few runs']));
    await page.close();
  });

  it("opens a comparison's table best first, as its notes say, until the reader sorts it", async () => {
    // By name, `a-slow` would come first; by median best, `b-fast` does (maximizing, the highest).
    const of = (variant: string, finals: number[], direction: 'minimize' | 'maximize') =>
      finals.map((final, i) => ({
        variant,
        seed: i + 1,
        direction,
        values: [direction === 'minimize' ? 9 : 0, final],
      }));
    const cells = (page: Page) =>
      page.evaluate(
        "[...document.querySelectorAll('#trial-table tbody tr td:first-child')].map((td) => td.textContent)",
      );
    const header = (page: Page) =>
      page.evaluate(
        "document.querySelector('#trial-table th[aria-sort]').textContent + ' ' + document.querySelector('#trial-table th[aria-sort]').getAttribute('aria-sort')",
      );
    const down = await openFile(
      buildComparison([...of('a-slow', [5, 6, 7, 8], 'minimize'), ...of('b-fast', [1, 2, 3, 4], 'minimize')]),
      'ranked.html',
    );
    expect(await cells(down)).toEqual(['b-fast', 'a-slow']);
    expect(await header(down)).toBe('median best ▲ ascending');
    // A click on the variant column sorts by name.
    await down.click('#trial-table th:first-child button');
    expect(await cells(down)).toEqual(['a-slow', 'b-fast']);
    await down.close();
    const up = await openFile(
      buildComparison([...of('a-low', [1, 2, 3, 4], 'maximize'), ...of('b-high', [5, 6, 7, 8], 'maximize')]),
      'ranked-up.html',
    );
    expect(await cells(up)).toEqual(['b-high', 'a-low']);
    expect(await header(up)).toBe('median best ▼ descending');
    await up.close();
  });

  it('--serve: a trial finished while the page is open appears without a reload', async () => {
    const space = { x: { type: 'uniform', low: -2, high: 2 }, y: { type: 'uniform', low: -2, high: 2 } } as const;
    const spec = { name: 'live', direction: 'minimize' as const, seed: 4, space };
    const compiled = compileSpace(space);
    const store = createMemoryStore();
    await runStudy({
      spec,
      space: compiled,
      store,
      suggester: createTpeSuggester({ startupTrials: 5 }),
      objective: createFunctionObjective((p) => (p.x as number) ** 2 + (p.y as number) ** 2),
      budget: { maxTrials: 12 },
    });
    const load = async (): Promise<ReportStudy> => ({
      name: spec.name,
      direction: spec.direction,
      seed: spec.seed,
      space: compiled,
      trials: await store.listTrials('live'),
      suggester: { use: 'tpe', options: { startupTrials: 5 } },
    });
    let latest: ReportPage | undefined;
    const server = await serveReport({
      load,
      build: async (study) => {
        latest = await buildReport(study);
        return latest;
      },
      intervalMs: 100,
    });
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const { page, seen } = await openServed(server.url);
      expect(await page.locator('#trial-table tbody tr').count()).toBe(12);
      // Where TPE goes next, and its model drawn (a chart per parameter), linked from the top.
      expect(await page.locator('#next h2').textContent()).toBe('Next suggestion');
      expect(await page.locator('#next p').first().textContent()).toMatch(/^The next trial, #12, would get x = /);
      expect(await page.locator('#next .chart').count()).toBe(2);
      expect(await page.locator('nav a[href="#next"]').textContent()).toBe('Next suggestion');
      await page.evaluate(() => {
        (globalThis as unknown as { notReloaded: boolean }).notReloaded = true;
      });
      // The keyboard in the filter box: a live update leaves it there, caret and all (review 96).
      await page.locator('#table-filter').focus();
      await page.keyboard.type('0');

      const trial = await store.createTrial('live');
      if (trial === undefined) throw new Error('no trial');
      await store.setParams('live', trial.number, { x: 0.01, y: -0.02 });
      await store.finishTrial('live', trial.number, { state: 'complete', loss: 0.0005 });

      await page.waitForFunction(
        () =>
          (
            globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }
          ).document.querySelectorAll('#trial-table tbody tr').length === 13,
        null,
        { timeout: 15_000 },
      );
      await page.waitForSelector(`body[data-rendered="${latest?.version}"]`, { timeout: 15_000 });
      expect(await page.evaluate(() => (globalThis as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
      expect(await page.locator('#best td').first().textContent()).toBe('12');
      // The next suggestion follows: the trial after the new one, from the trials now.
      expect(await page.locator('#next p').first().textContent()).toMatch(/^The next trial, #13, would get x = /);
      expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('table-filter');
      expect(await page.evaluate('document.activeElement.selectionStart')).toBe(1);
      expectAllMarks(latest as ReportPage, await renderedMarks(page));
      expect(seen.errors).toEqual([]);
      await screenshot(page, 'serve.png');
      await page.close();
    } finally {
      await server.close();
    }
    // The server only read the study.
    expect((await store.listTrials('live')).length).toBe(13);
  });

  // Trial 141: after the server stopped, the page still said "Live: updates as trials finish."
  it('--serve: the page says when its server stops, and when it is back', async () => {
    const space = compileSpace({ x: { type: 'uniform', low: 0, high: 1 } });
    const trials: Trial[] = [0.2, 0.7].map((x, number) => ({
      study: 'stops',
      number,
      state: 'complete',
      internal: { x },
      loss: x,
      startedAt: '2026-01-01T00:00:00.000Z',
      finishedAt: '2026-01-01T00:00:01.000Z',
    }));
    const options = {
      load: async (): Promise<ReportStudy> => ({
        name: 'stops',
        direction: 'minimize',
        seed: 1,
        space,
        trials,
        suggester: { use: 'random' },
      }),
      build: (study: ReportStudy) => buildReport(study),
      intervalMs: 100,
    };
    const server = await serveReport(options);
    let again: Awaited<ReturnType<typeof serveReport>> | undefined;
    try {
      const page = await context.newPage();
      await page.goto(server.url);
      await page.waitForSelector('body[data-rendered]', { timeout: 30_000 });
      const status = page.locator('#live-status');
      const statusSays = (start: string) => liveStatusSays(page, start);
      // No trial running: said, with the time the page was read (trial 141: a finished run only stopped changing).
      expect(await status.textContent()).toMatch(/^Live: updates as trials finish\. No trial running at .+\.$/);
      await server.close();
      await statusSays('Not live: the report server cannot be reached');
      expect(await status.getAttribute('class')).toBe('live lost');
      // The same server started again: the browser reconnects on its own.
      again = await serveReport({ ...options, port: server.port });
      await statusSays('Live: connected again');
      expect(await status.getAttribute('class')).toBe('live');
      await page.close();
    } finally {
      await server.close();
      await again?.close();
    }
  });

  // Trial 141: a failed read of the store while serving was said in the CLI's log alone; the page stopped changing.
  it('--serve: the page says when reading the study fails, when it works again, and when no trial is running', async () => {
    const space = compileSpace({ x: { type: 'uniform', low: 0, high: 1 } });
    const at = '2026-01-01T00:00:00.000Z';
    const done = (number: number): Trial => ({
      study: 'reads',
      number,
      state: 'complete',
      internal: { x: number / 4 },
      loss: number,
      startedAt: at,
      finishedAt: '2026-01-01T00:00:01.000Z',
    });
    let trials: Trial[] = [
      done(0),
      { study: 'reads', number: 1, state: 'running', internal: { x: 0.5 }, startedAt: at },
    ];
    let broken = false;
    const server = await serveReport({
      load: async (): Promise<ReportStudy> => {
        if (broken) throw new Error('the journal is locked');
        return { name: 'reads', direction: 'minimize', seed: 1, space, trials, suggester: { use: 'random' } };
      },
      build: (study) => buildReport(study),
      intervalMs: 100,
    });
    try {
      const { page, seen } = await openServed(server.url);
      const status = page.locator('#live-status');
      const statusSays = (start: string) => liveStatusSays(page, start);
      // A trial running: nothing more said.
      expect(await status.textContent()).toBe('Live: updates as trials finish.');
      broken = true;
      await statusSays('Not live: reading the study failed: the journal is locked (');
      expect(await status.textContent()).toMatch(/; this is the study as read at .+\. Trying again\.$/);
      expect(await status.getAttribute('class')).toBe('live lost');
      broken = false;
      await statusSays('Live: the server reads the study again');
      expect(await status.getAttribute('class')).toBe('live');
      // The running trial finishes: the update says no trial is running.
      trials = [done(0), done(1)];
      await statusSays('Live: updated ');
      expect(await status.textContent()).toMatch(/^Live: updated .+\. No trial running\.$/);
      expect(seen.errors).toEqual([]);
      await page.close();
    } finally {
      await server.close();
    }
  });

  it('--serve: a sort on a column stays on it by name when a live update adds a column before it (review 120)', async () => {
    const space = compileSpace({ x: { type: 'uniform', low: 0, high: 1 }, y: { type: 'uniform', low: 0, high: 1 } });
    const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString();
    // Losses in one order, x in another: a sort by x is told from a sort by loss, seconds or trial.
    const xs = [0.6, 0.1, 0.9, 0.3, 0.7, 0.2];
    const trials: Trial[] = xs.map((x, number) => ({
      study: 'sorted',
      number,
      state: 'complete',
      internal: { x, y: 0.5 },
      loss: number,
      startedAt: at(number),
      finishedAt: at(number + 1),
    }));
    const load = async (): Promise<ReportStudy> => ({
      name: 'sorted',
      direction: 'minimize',
      seed: 1,
      space,
      trials: [...trials],
      suggester: { use: 'random' },
    });
    let latest: ReportPage | undefined;
    const server = await serveReport({
      load,
      build: async (study) => {
        latest = await buildReport(study);
        return latest;
      },
      intervalMs: 100,
    });
    try {
      const { page, seen } = await openServed(server.url);
      const column = (name: string) =>
        page.locator('#trial-table thead th').filter({ hasText: new RegExp(`^${name}( [▲▼])?$`) });
      const xColumn = async () => Number(await column('x').getAttribute('data-col'));
      const cells = async (col: number) =>
        page.locator(`#trial-table tbody tr td:nth-child(${col + 1})`).allTextContents();
      expect(await xColumn()).toBe(4);
      await column('x').locator('button').click();
      expect(await page.locator('#trial-table th[aria-sort]').getAttribute('data-col')).toBe('4');
      expect(await cells(4)).toEqual(['0.1', '0.2', '0.3', '0.6', '0.7', '0.9']);

      // A trial that reported: the table gains a step column before x, which moves one column right.
      trials.push({
        study: 'sorted',
        number: 6,
        state: 'complete',
        internal: { x: 0.5, y: 0.5 },
        loss: 6,
        intermediate: [{ step: 3, value: 6 }],
        startedAt: at(6),
        finishedAt: at(7),
      });
      await page.waitForFunction(
        () =>
          (
            globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }
          ).document.querySelectorAll('#trial-table tbody tr').length === 7,
        null,
        { timeout: 15_000 },
      );
      await page.waitForSelector(`body[data-rendered="${latest?.version}"]`, { timeout: 15_000 });
      expect(await column('step').count()).toBe(1);
      expect(await xColumn()).toBe(5);
      // Still sorted by x, ascending, and said so on x's header: not on seconds, which took x's place.
      const sorted = page.locator('#trial-table th[aria-sort]');
      expect(await sorted.getAttribute('data-col')).toBe('5');
      expect(await sorted.getAttribute('aria-sort')).toBe('ascending');
      expect(await cells(5)).toEqual(['0.1', '0.2', '0.3', '0.5', '0.6', '0.7', '0.9']);
      expect(seen.errors).toEqual([]);
      await page.close();
    } finally {
      await server.close();
    }
  });
});
