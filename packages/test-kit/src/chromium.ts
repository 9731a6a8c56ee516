/**
 * @packageDocumentation
 * Headless Chromium for report tests, benches and screenshots: Debian's `chromium` driven by
 * `playwright-core` (install it next to this package; it downloads no browser).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';

/** Debian's Chromium. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Headless, no sandbox (CI runs as root), no GPU, and nothing that talks to the network on its own. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A running Chromium with a fresh profile; `close` also deletes the profile. */
export interface LaunchedChromium {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/** Starts headless Chromium with a fresh `--user-data-dir` (a persistent context in a new temporary folder). */
export const launchChromium = async (
  options: {
    readonly viewport?: { width: number; height: number };
    /**
     * Browser, renderer, network service and compositor in one process (`--single-process`): cheaper to
     * start and to load pages in (the report tests' Chromium: 9.8–10.7 s of CPU as separate processes,
     * 7.7–8.0 s as one, measured in turn on 2 cores), but not how a user's browser runs a page, so
     * benchmarks of page timings leave it off. Default false.
     */
    readonly singleProcess?: boolean;
  } = {},
): Promise<LaunchedChromium> => {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is missing at ${CHROMIUM_PATH}: install it with apt-get update && apt-get install -y chromium.`,
    );
  }
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'parzen-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    viewport: options.viewport ?? { width: 1200, height: 900 },
    args: [...CHROMIUM_ARGS, ...(options.singleProcess === true ? ['--single-process'] : [])],
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
};
