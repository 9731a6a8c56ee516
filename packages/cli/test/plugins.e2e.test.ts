import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  heartConfig,
  heartModule,
  lastJsonLine,
  repoRoot,
  requireBuiltCli,
  runParzen,
  tempDir,
  writeIn,
} from './cli-harness.js';
import { cliIn } from './cli-in-process.js';

let dir: string;
beforeAll(() => {
  requireBuiltCli();
  dir = tempDir('parzen-plugins-');
  writeIn(dir, 'heart.mjs', heartModule);
  // A third-party plugin in plain JavaScript: no Parzen import at all, just manifests.
  writeIn(
    dir,
    'centre-suggester.mjs',
    `const centre = (d) => ('low' in d && 'high' in d ? (d.low + d.high) / 2 : 0);
export const manifests = [{
  kind: 'suggester',
  name: 'centre',
  optionsSchema: { type: 'object', additionalProperties: false, properties: { offset: { type: 'number', default: 0.25 } } },
  create: (options) => ({ name: 'centre', beginTrial: (context) => ({ sampleParam: (param) => centre(param.distribution) + options.offset * context.trialNumber }) }),
}];\n`,
  );
  writeIn(dir, 'no-manifests.mjs', 'export const plugin = {};\n');
  writeIn(
    dir,
    'bad-manifest.mjs',
    "export const manifests = [{ kind: 'suggester', name: 'broken', optionsSchema: {} }];\n",
  );
});

// Plain JavaScript plugins run in-process (plugin loading is not process behaviour); the TypeScript
// example package runs in a real CLI process, where tsx loads it as it would for a user.
describe('third-party plugins', () => {
  it('loads a suggester from a path relative to the config, with its options checked and defaulted', async () => {
    const config = heartConfig({
      name: 'centred',
      plugins: ['./centre-suggester.mjs'],
      suggester: { use: 'centre' },
      budget: { maxTrials: 3 },
    });
    const path = writeIn(dir, 'centred.json', config);
    const run = await cliIn('/', 'run', path, '--json');
    expect(run.code, run.stderr).toBe(0);
    expect(lastJsonLine(run.stdout)).toMatchObject({
      trials: { complete: 3 },
      best: { number: 2, params: { x: 0.5, y: 0.5 } },
    });

    const bad = writeIn(dir, 'centred-bad.json', {
      ...config,
      suggester: { use: 'centre', options: { offset: 'far' } },
    });
    const rejected = await cliIn(dir, 'run', bad, '--json');
    expect(rejected.code).toBe(2);
    expect(rejected.stderr).toMatch(/\/suggester\/options\/offset: expected a number, found "far"/);

    const schema = JSON.parse((await cliIn(dir, 'schema', path)).stdout) as {
      properties: { suggester: { properties: { use: { enum: string[] } } } };
    };
    expect(schema.properties.suggester.properties.use.enum).toContain('centre');
  });

  it('imports a TypeScript plugin once for all the variants of a matrix', async () => {
    writeIn(
      dir,
      'counted.ts',
      `const state = globalThis as { countedLoads?: number };
state.countedLoads = (state.countedLoads ?? 0) + 1;
export const manifests = [{
  kind: 'suggester' as const,
  name: 'counted',
  optionsSchema: { type: 'object' },
  create: () => ({ name: 'counted', beginTrial: () => ({ sampleParam: () => 0.5 }) }),
}];\n`,
    );
    const path = writeIn(
      dir,
      'counted.json',
      heartConfig({ plugins: ['./counted.ts'], suggester: { use: 'counted' }, matrix: { seed: [1, 2, 3, 4] } }),
    );
    const run = await cliIn(dir, 'validate', path);
    expect(run.code, run.stderr).toBe(0);
    expect((globalThis as { countedLoads?: number }).countedLoads).toBe(1);
  });

  it('reports a broken plugin clearly, with exit 2', async () => {
    const cases: [string, RegExp][] = [
      [
        './no-manifests.mjs',
        /\/plugins\/0: expected a module exporting `manifests`, an array of plugin manifests, found no `manifests` export \(it exports plugin\)/,
      ],
      ['./bad-manifest.mjs', /manifests\[0\]: plugin `broken`: "create" must be a function/],
      ['./missing-plugin.mjs', new RegExp(`no file at ${join(dir, 'missing-plugin.mjs')}`)],
      ['parzen-no-such-plugin-package', /Could not load plugin module `parzen-no-such-plugin-package`/],
    ];
    for (const [plugin, message] of cases) {
      const path = writeIn(dir, `broken-${plugin.replace(/\W/g, '')}.json`, heartConfig({ plugins: [plugin] }));
      const run = await cliIn(dir, 'validate', path);
      expect(run.code, plugin).toBe(2);
      expect(run.stderr).toMatch(message);
    }
  });

  it('says a plugin module whose top-level await never settles (exit 2), where Node ended the run with exit code 13 and not a word', async () => {
    writeIn(dir, 'never-loads.mjs', 'await new Promise(() => {});\nexport const manifests = [];\n');
    const path = writeIn(dir, 'never-loads.json', heartConfig({ plugins: ['./never-loads.mjs'] }));
    const run = await runParzen(['run', path], { cwd: dir });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain(
      'Could not load plugin module `./never-loads.mjs`:\n  /plugins/0: expected a module that loads, found no end to its load: a top-level await in it (or in a module it imports) never settled.',
    );
  });

  it('runs the anneal example package (TypeScript), loaded only through its config, in a real process', async () => {
    const path = join(repoRoot, 'examples/anneal-suggester/experiment.json');
    const run = await runParzen(['run', path, '--max-trials', '40', '--json'], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    const summary = lastJsonLine(run.stdout) as { study: string; trials: { complete: number }; best: { loss: number } };
    expect(summary.study).toBe('heart-anneal');
    expect(summary.trials.complete).toBe(40);
    expect(summary.best.loss).toBeLessThan(-100);
  });
});
