/**
 * Scale of `parzen report`: builds the report of a 10,000-trial study (and a 100-trial one for the fixed
 * cost), writes the HTML, and measures how long headless Chromium (Debian's, via playwright-core) takes
 * from navigation to every chart rendered, and the file size. Goals: under 3 s and under 5 MB at 10,000.
 *
 *   node --conditions=@parzen/source --import tsx bench/report-scale.ts [--trials 10000] [--repeat 3] [--write]
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRandomSuggester } from '@parzen/algo-random';
import { createMemoryStore, type ExternalParams } from '@parzen/engine';
import { compileSpace, createFunctionObjective, runStudy } from '@parzen/engine/plugin';
import { buildReport, type ReportStudy, renderHtml } from '@parzen/report';
import { pageCharts } from '@parzen/report/plugin';
import { launchChromium } from '@parzen/test-kit/chromium';
import { argument, checkFlags, positiveCount, refuser } from './run-flags.js';

checkFlags('report-scale');

const refuse = refuser('report-scale');
const TRIALS = positiveCount(refuse, 'trials', argument('trials'), 10_000);
const REPEAT = positiveCount(refuse, 'repeat', argument('repeat'), 3);

const space = {
  x: { type: 'uniform', low: -2, high: 2 },
  y: { type: 'uniform', low: -2, high: 2 },
  lr: { type: 'loguniform', low: 1e-5, high: 1 },
  layers: { type: 'randint', low: 1, high: 9 },
  activation: { type: 'choice', options: ['relu', 'tanh', 'gelu'] },
} as const;

/** A cheap synthetic objective over the five parameters; about 1 % of trials fail. */
const objective = (p: ExternalParams): number => {
  const x = p.x as number;
  const y = p.y as number;
  if (x > 1.96) throw new Error('diverged');
  return (
    -((x ** 2 + y ** 2 - 1) ** 3 - x ** 2 * y ** 3) +
    (Math.log10(p.lr as number) + 3) ** 2 +
    0.1 * (p.layers as number) +
    (p.activation === 'gelu' ? 0 : 1)
  );
};

const study = async (trials: number): Promise<ReportStudy> => {
  const spec = { name: `scale-${trials}`, direction: 'minimize' as const, seed: 1, space };
  const compiled = compileSpace(space);
  const result = await runStudy({
    spec,
    space: compiled,
    store: createMemoryStore(),
    suggester: createRandomSuggester(),
    objective: createFunctionObjective(objective),
    budget: { maxTrials: trials },
  });
  return { ...spec, space: compiled, trials: result.trials, suggester: { use: 'random' } };
};

/** CPU seconds (user + system) used so far by every descendant process of this one: the Chromium processes. */
const chromiumCpuSeconds = (): number => {
  const parents = new Map<number, number>();
  const ticks = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parents.set(Number(entry), Number(fields[1]));
      ticks.set(Number(entry), Number(fields[11]) + Number(fields[12]));
    } catch {
      // The process ended meanwhile.
    }
  }
  const isDescendant = (pid: number): boolean => {
    for (let p = parents.get(pid); p !== undefined && p > 1; p = parents.get(p)) if (p === process.pid) return true;
    return false;
  };
  let total = 0;
  for (const [pid, t] of ticks) if (isDescendant(pid)) total += t;
  return total / 100;
};

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};

const dir = mkdtempSync(join(tmpdir(), 'parzen-report-scale-'));
const { context, close } = await launchChromium();

const rows: string[] = [];
const cpuBy: number[] = [];
for (const trials of [100, TRIALS]) {
  const generated = performance.now();
  const data = await study(trials);
  const built = performance.now();
  const page = await buildReport(data);
  const buildMs = performance.now() - built;
  const html = renderHtml(page);
  const file = join(dir, `report-${trials}.html`);
  writeFileSync(file, html);
  const total: number[] = [];
  const embed: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < REPEAT; i++) {
    const tab = await context.newPage();
    const errors: string[] = [];
    tab.on('pageerror', (error) => errors.push(error.message));
    tab.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    const before = chromiumCpuSeconds();
    const started = performance.now();
    await tab.goto(pathToFileURL(file).href);
    await tab.waitForSelector(`body[data-rendered="${page.version}"]`, { timeout: 120_000 });
    total.push(performance.now() - started);
    cpu.push(chromiumCpuSeconds() - before);
    embed.push(Number(await tab.getAttribute('body', 'data-render-ms')));
    if (errors.length > 0) throw new Error(`console errors: ${errors.join('; ')}`);
    await tab.close();
  }
  const mb = Buffer.byteLength(html) / 1e6;
  const marks = pageCharts(page).reduce((sum, c) => sum + c.marks.reduce((s, m) => s + m.count, 0), 0);
  const line = `| ${trials} | ${mb.toFixed(2)} | ${median(cpu).toFixed(2)} | ${(median(total) / 1000).toFixed(2)} (${total.map((t) => (t / 1000).toFixed(2)).join(', ')}) | ${(median(embed) / 1000).toFixed(2)} | ${(buildMs / 1000).toFixed(2)} | ${pageCharts(page).length} | ${marks} |`;
  console.log(line, `(study generated in ${((built - generated) / 1000).toFixed(1)} s)`);
  rows.push(line);
  cpuBy.push(median(cpu));
}
await close();
rmSync(dir, { recursive: true, force: true });

if (process.argv.includes('--write')) {
  const machine = `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), node ${process.version}, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} at the end`;
  writeFileSync(
    new URL('./results/report-scale.md', import.meta.url),
    `# Report scale\n\n` +
      `\`parzen report\` on a random-search study over 5 parameters (2 uniform, log-uniform, randint, choice; ~1 % failed trials). ` +
      `Render time: headless Chromium (Debian's, playwright-core), from navigation of the file:// page to every chart rendered. ` +
      `"Chromium CPU" is the user + system CPU time all Chromium processes used over that span (from /proc): what the page ` +
      `costs, whatever else the machine runs; on an idle machine the wall time is about this. "Wall" is the elapsed time (median of ${REPEAT}, each run in parentheses) ` +
      `and depends on the load average noted below; "charts wall" is the Vega embedding alone. Build: \`buildReport\` in Node ` +
      `(importance, TPE replay of 10 snapshots, downsampling). Marks: items the page must draw. Goals: < 3 s and < 5 MB at 10,000 trials.\n\n` +
      `Machine: ${machine}.\n\nCommand: \`node --conditions=@parzen/source --import tsx bench/report-scale.ts ${process.argv.slice(2).join(' ')}\`\n\n` +
      `| trials | HTML MB | Chromium CPU s | wall s | charts wall s | build s | charts | marks |\n|---|---|---|---|---|---|---|---|\n${rows.join('\n')}\n\n` +
      `Downsampling (said on the page): the history and slice plots draw at most 1,000 trials, the parallel coordinates 500 ` +
      `(every new best, the rest evenly spaced); pair plots draw at most 300 trials as numbers; the value distribution at most ` +
      `1,000 steps; the table holds every trial and shows 200 rows at a time.\n\n` +
      `Reading: going from 100 to ${TRIALS} trials adds ${((cpuBy[1] ?? 0) - (cpuBy[0] ?? 0)).toFixed(2)} s of Chromium CPU; the rest is the fixed ` +
      `cost of the page (parsing the inlined Vega bundles, compiling and running 16 charts). Wall time is only meaningful ` +
      `when the load average is below the core count.\n`,
  );
}
