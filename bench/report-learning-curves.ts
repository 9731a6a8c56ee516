/**
 * The learning curves of `parzen report` on long curves: a synthetic study of one uniform parameter whose every
 * trial reports each step (a trial reporting every batch). Measures `buildReport` + `renderHtml` time, the HTML
 * size, the rows of the learning-curves chart, and (with --render) headless Chromium's time to every chart
 * rendered and the learning-curves chart's own render time.
 *
 *   node --conditions=@parzen/source --import tsx bench/report-learning-curves.ts [--trials 100] [--steps 5000] [--render]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compileSpace, type Trial } from '@parzen/engine/plugin';
import { buildReport, renderHtml } from '@parzen/report';
import { pageCharts } from '@parzen/report/plugin';
import { launchChromium } from '@parzen/test-kit/chromium';
import { argument, checkFlags, dayAndLoad, machineNote, positiveCount, refuser } from './run-flags.js';

checkFlags('report-learning-curves');

const refuse = refuser('report-learning-curves');
const TRIALS = positiveCount(refuse, 'trials', argument('trials'), 100);
const STEPS = positiveCount(refuse, 'steps', argument('steps'), 5000);

const space = compileSpace({ x: { type: 'uniform', low: 0, high: 1 } });
const trials: Trial[] = Array.from({ length: TRIALS }, (_, number) => {
  const x = (number * 0.618) % 1;
  return {
    study: 'curves',
    number,
    state: 'complete',
    loss: x,
    internal: { x },
    startedAt: new Date(number * 1000).toISOString(),
    finishedAt: new Date(number * 1000 + 500).toISOString(),
    intermediate: Array.from({ length: STEPS }, (_, step) => ({ step, value: x + 1 / (1 + step) })),
  };
});

const started = performance.now();
const page = await buildReport({ name: 'curves', direction: 'minimize', seed: 1, space, trials }, { every: TRIALS });
const html = renderHtml(page);
const buildMs = performance.now() - started;
const curves = pageCharts(page).find((chart) => chart.id === 'learning-curves');
const symbols = curves?.marks.find((mark) => mark.mark === 'symbol')?.count ?? 0;
console.log(`${machineNote()}; ${dayAndLoad()}`);
console.log(
  `${TRIALS} trials x ${STEPS} steps: build + render HTML ${(buildMs / 1000).toFixed(2)} s, HTML ${(Buffer.byteLength(html) / 1e6).toFixed(2)} MB, learning-curve symbols ${symbols}`,
);
for (const note of page.notes.filter((note) => note.includes('learning curves'))) console.log(`note: ${note}`);

if (process.argv.includes('--render')) {
  const dir = mkdtempSync(join(tmpdir(), 'parzen-learning-curves-'));
  const file = join(dir, 'report.html');
  writeFileSync(file, html);
  const { context, close } = await launchChromium();
  try {
    const tab = await context.newPage();
    const opened = performance.now();
    await tab.goto(pathToFileURL(file).href, { timeout: 300_000 });
    await tab.waitForSelector(`body[data-rendered="${page.version}"]`, { timeout: 300_000 });
    const wall = performance.now() - opened;
    const chartMs = await tab.getAttribute('[data-chart="learning-curves"]', 'data-render-ms');
    console.log(
      `Chromium: every chart rendered after ${(wall / 1000).toFixed(1)} s; the learning curves ${chartMs} ms`,
    );
  } finally {
    await close();
    rmSync(dir, { recursive: true, force: true });
  }
}
