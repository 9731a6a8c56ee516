import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CHROMIUM_PATH } from '@parzen/test-kit/chromium';
import type { Page } from 'playwright-core';

export { launchChromium } from '@parzen/test-kit/chromium';

/** Skip the browser tests when Chromium is missing, except in CI (env `CI`), where they must run. */
export const skipBrowser = !existsSync(CHROMIUM_PATH) && !process.env.CI;
if (skipBrowser) {
  console.warn(
    `Browser tests skipped: no ${CHROMIUM_PATH}. Install it with: apt-get update && apt-get install -y chromium`,
  );
}

/** Where the browser tests save their screenshots (ignored by git). */
export const SCREENSHOTS = join(import.meta.dirname, '..', 'tmp', 'browser');

/**
 * Saves a screenshot of the page to {@link SCREENSHOTS} when `PARZEN_SCREENSHOTS=1`, for a person to look
 * at; otherwise does nothing. The pictures check nothing, and a full-page capture of the report costs about
 * 4 s of CPU in Chromium, so the suite skips them.
 */
export const screenshot = async (page: Page, name: string, options: { readonly fullPage?: boolean } = {}) => {
  if (process.env.PARZEN_SCREENSHOTS !== '1') return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, name), fullPage: options.fullPage ?? false });
};

/** Saves one chart's screenshot to {@link SCREENSHOTS} when `PARZEN_SCREENSHOTS=1`, as {@link screenshot} does. */
export const chartScreenshot = async (page: Page, chartId: string, name: string) => {
  if (process.env.PARZEN_SCREENSHOTS !== '1') return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.locator(`#chart-${chartId}`).screenshot({ path: join(SCREENSHOTS, name) });
};

/** Console errors, page errors and requests that left the machine, collected while a page is open. */
export const watchPage = (page: Page) => {
  const errors: string[] = [];
  const external: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith('file:') && !url.startsWith('http://127.0.0.1') && !url.startsWith('data:')) external.push(url);
  });
  return { errors, external };
};

/**
 * Rendered items per chart id and mark type, read from each Vega view's scene graph (the page renders to
 * canvas): a line or area mark counts once (one path), every other mark once per item.
 */
export const renderedMarks = (page: Page): Promise<Record<string, Record<string, number>>> =>
  page.evaluate(() => {
    type SceneMark = { marktype: string; role: string; items: { items?: SceneMark[] }[] };
    type View = { scenegraph(): { root: SceneMark } };
    const views = (globalThis as unknown as { parzenViews: Record<string, View> }).parzenViews;
    const result: Record<string, Record<string, number>> = {};
    for (const [id, view] of Object.entries(views)) {
      const counts: Record<string, number> = { text: 0, symbol: 0, rect: 0, line: 0, rule: 0, area: 0 };
      const walk = (mark: SceneMark) => {
        if (mark.role === 'mark' && mark.items.length > 0 && mark.marktype in counts) {
          counts[mark.marktype] =
            (counts[mark.marktype] as number) +
            (mark.marktype === 'line' || mark.marktype === 'area' ? 1 : mark.items.length);
        }
        for (const item of mark.items) for (const child of item.items ?? []) walk(child);
      };
      walk(view.scenegraph().root);
      result[id] = counts;
    }
    return result;
  });

/** An item Vega drew, with its bounds in the chart's own pixels (the offsets of the groups it sits in added). */
export interface DrawnItem {
  readonly marktype: string;
  /** The mark's role: `mark` for the chart's own marks, `axis-label`, `axis-title`, ... for the guides'. */
  readonly role: string;
  readonly text?: string;
  readonly fill?: string;
  /** A symbol's shape (`circle`, `diamond`, `cross`, ...). */
  readonly shape?: string;
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
}

/**
 * What one chart drew, read from its Vega view's scene graph: every item in drawing order, and each axis's
 * title and labels (an axis's title may be cut with an ellipsis, as drawn).
 */
export const drawnItems = (
  page: Page,
  chartId: string,
): Promise<{ items: DrawnItem[]; axes: { title: string; labels: string[] }[] }> =>
  page.evaluate((id) => {
    type Bounds = { x1: number; y1: number; x2: number; y2: number };
    type SceneItem = {
      x?: number;
      y?: number;
      text?: unknown;
      fill?: string;
      shape?: unknown;
      bounds?: Bounds;
      items?: SceneMark[];
    };
    type SceneMark = { marktype: string; role: string; items: SceneItem[] };
    type View = { scenegraph(): { root: SceneMark } };
    const view = (globalThis as unknown as { parzenViews: Record<string, View> }).parzenViews[id];
    if (view === undefined) throw new Error(`no view ${id}`);
    const items: DrawnItem[] = [];
    const axes: { title: string; labels: string[] }[] = [];
    const textOf = (item: SceneItem) => (Array.isArray(item.text) ? item.text.join(' ') : String(item.text ?? ''));
    const walk = (mark: SceneMark, dx: number, dy: number, axis?: { title: string; labels: string[] }) => {
      for (const item of mark.items) {
        const here = axis ?? (mark.role === 'axis' ? { title: '', labels: [] } : undefined);
        if (here !== undefined && here !== axis) axes.push(here);
        if (mark.marktype !== 'group' && item.bounds !== undefined) {
          const { x1, y1, x2, y2 } = item.bounds;
          items.push({
            marktype: mark.marktype,
            role: mark.role,
            ...(mark.marktype === 'text' ? { text: textOf(item) } : {}),
            ...(item.fill === undefined ? {} : { fill: item.fill }),
            ...(typeof item.shape === 'string' ? { shape: item.shape } : {}),
            x1: x1 + dx,
            y1: y1 + dy,
            x2: x2 + dx,
            y2: y2 + dy,
          });
          if (here !== undefined && mark.role === 'axis-label') here.labels.push(textOf(item));
          if (here !== undefined && mark.role === 'axis-title') here.title = textOf(item);
        }
        for (const child of item.items ?? [])
          walk(
            child,
            dx + (mark.marktype === 'group' ? (item.x ?? 0) : 0),
            dy + (mark.marktype === 'group' ? (item.y ?? 0) : 0),
            here,
          );
      }
    };
    walk(view.scenegraph().root, 0, 0);
    return { items, axes };
  }, chartId);
