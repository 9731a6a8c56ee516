/**
 * Screenshots of a report's charts as PNG (for READMEs), taken in headless Chromium.
 *
 *   node --import tsx packages/report/scripts/screenshots.ts <report.html> <out-dir> <chart-id>=<file.png> ...
 *
 * e.g. the heart example's figures:
 *   node --import tsx packages/report/scripts/screenshots.ts report.html examples/heart \
 *     pair-learningrate-sizeofhiddenlayer=report-trials.png density-learningrate=report-tpe.png history=report-history.png
 */
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchChromium } from '@parzen/test-kit/chromium';

const [file, outDir, ...shots] = process.argv.slice(2);
if (file === undefined || outDir === undefined || shots.length === 0) {
  console.error('usage: screenshots.ts <report.html> <out-dir> <chart-id>=<file.png> ...');
  process.exit(2);
}
const { context, close } = await launchChromium({ viewport: { width: 1100, height: 900 } });
try {
  const page = await context.newPage();
  await page.goto(pathToFileURL(resolve(file)).href);
  await page.waitForSelector('body[data-rendered]', { timeout: 120_000 });
  for (const shot of shots) {
    const [id, name] = shot.split('=');
    const path = join(outDir, name ?? `${id}.png`);
    await page.locator(`#chart-${id}`).screenshot({ path });
    console.log(`wrote ${path}`);
  }
} finally {
  await close();
}
