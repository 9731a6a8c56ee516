import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// A module objective whose first trial leaves a timer behind that throws while the second runs: the second did
// nothing wrong (it was failed at its own params, and with isolate "none" every later trial in turn). On Parzen's thread
// an uncaught exception is process behaviour, so the runs are child processes, on the built packages.
const packages = fileURLToPath(new URL('../../', import.meta.url));
const built = (name: string) => pathToFileURL(join(packages, name, 'dist', 'index.js')).href;

let dir: string;
beforeAll(() => {
  for (const name of ['engine', 'objectives'])
    if (!existsSync(join(packages, name, 'dist', 'index.js')))
      throw new Error(`packages/${name} is not built: run \`pnpm build\` first.`);
  dir = mkdtempSync(join(tmpdir(), 'parzen-late-throw-'));
  writeFileSync(
    join(dir, 'late.mjs'),
    `export default async ({ x }, { trialNumber }) => {
  if (trialNumber === 0) { setTimeout(() => { throw new Error('late boom ' + trialNumber); }, 40); return x; }
  await new Promise((resolve) => setTimeout(resolve, 200));
  return x;
};
`,
  );
  writeFileSync(
    join(dir, 'run.mjs'),
    `import { fmin } from '${built('engine')}';
import { createModuleObjective } from '${built('objectives')}';
const warnings = [];
const objective = await createModuleObjective({ path: './late.mjs', isolate: process.argv[2] }, ${JSON.stringify(dir)}, (message) => warnings.push(message));
const prior = { name: 'prior', beginTrial: () => ({ sampleParam: () => 0.5 }) };
const result = await fmin({
  objective,
  space: { x: { type: 'uniform', low: 0, high: 1 } },
  suggester: prior,
  maxTrials: 3,
  onWarning: (message) => warnings.push(message),
});
await objective.close?.();
console.log(JSON.stringify({ trials: result.trials.map((t) => [t.state, t.error?.message ?? null]), warnings }));
`,
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("an error from a timer an ended trial's objective left behind", () => {
  for (const isolate of ['none', 'worker'] as const)
    it(`fails no trial and is a warning naming that trial (isolate "${isolate}")`, () => {
      const child = spawnSync(process.execPath, [join(dir, 'run.mjs'), isolate], {
        cwd: dir,
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(child.status, child.stderr).toBe(0);
      const { trials, warnings } = JSON.parse(child.stdout.trim().split('\n').at(-1) as string) as {
        trials: [string, string | null][];
        warnings: string[];
      };
      expect(trials).toEqual([
        ['complete', null],
        ['complete', null],
        ['complete', null],
      ]);
      expect(warnings).toEqual([
        "an error was thrown by a timer or callback trial #0's objective left behind, after that trial ended (no trial failed for it): late boom 0",
      ]);
    });
});
