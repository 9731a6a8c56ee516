import { beforeAll, describe, expect, it } from 'vitest';
import { heartConfig, requireBuiltCli, runParzen, tempDir, writeIn } from './cli-harness.js';

let dir: string;
beforeAll(() => {
  requireBuiltCli();
  dir = tempDir('parzen-misbehaves-');
  writeIn(dir, 'package.json', { type: 'module' });
  writeIn(
    dir,
    'exits.mjs',
    [
      'export const during = ({ x }, { trialNumber }) => { if (trialNumber === 1) process.exit(0); return x * x; };',
      'export const after = async ({ x }, { trialNumber }) => {',
      '  if (trialNumber === 0) setTimeout(() => process.exit(0), 50);',
      '  else await new Promise((resolve) => setTimeout(resolve, 2000));',
      '  return x * x;',
      '};',
      '',
    ].join('\n'),
  );
});

/** A config of `exits.mjs`'s export `name` run on Parzen's own thread, 3 trials kept in a journal. */
const exitConfig = (name: string): string => {
  const { store: _, ...config } = heartConfig({
    name,
    objective: { use: 'module', options: { path: './exits.mjs', export: name, isolate: 'none' } },
    budget: { maxTrials: 3 },
  });
  return writeIn(dir, `${name}.json`, config);
};

/**
 * Writes `<name>.mjs` (`source`) and `<name>.json`, a config of it as a module objective with `options`, 3 trials
 * kept in a journal; returns the config's path.
 */
const moduleConfig = (name: string, source: string, options: Record<string, unknown> = {}): string => {
  writeIn(dir, `${name}.mjs`, source);
  const { store: _, ...config } = heartConfig({
    name,
    objective: { use: 'module', options: { path: `./${name}.mjs`, ...options } },
    budget: { maxTrials: 3 },
  });
  return writeIn(dir, `${name}.json`, config);
};

describe('process.exit() from an objective on Parzen\'s own thread (isolate: "none")', () => {
  it('during its call: that trial fails (OBJECTIVE_EXITED, saying what to do) and the run goes on', async () => {
    const run = await runParzen(['run', exitConfig('during'), '--json'], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(
      /trial #1 failed \(OBJECTIVE_EXITED\): The objective called process\.exit\(0\) during the trial.*Throw an Error.*"isolate": "worker"/,
    );
    expect(JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '')).toMatchObject({
      trials: { complete: 2, failed: 1 },
    });
  });

  it('from a timer after its trial ended: the process ends with exit code 1, naming the trial and the study', async () => {
    const run = await runParzen(['run', exitConfig('after')], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /parzen: the objective of trial #0 of study after called process\.exit\(0\) after that trial had ended .*exit code 1/,
    );
  });
  it('from a timer its module started as it loaded: the process ends with exit code 1, naming the module (it ended with 0)', async () => {
    const config = moduleConfig(
      'exits-later',
      'setTimeout(() => process.exit(0), 300);\nexport default async ({ x }) => { await new Promise((resolve) => setTimeout(resolve, 200)); return x * x; };\n',
      { isolate: 'none' },
    );
    const run = await runParzen(['run', config], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      "parzen: objective module `./exits-later.mjs` called process.exit(0) from a timer or callback it started as it loaded, on Parzen's own thread: the run ends here, with exit code 1;",
    );
  });
});

describe('an objective module that does not load', () => {
  it("is said as the user's module that could not load, not as Parzen's plugin that could not start; PARZEN_DEBUG shows the module's own stack", async () => {
    const path = moduleConfig(
      'topthrow',
      'const load = () => {\n  throw new Error("dataset missing: data.csv");\n};\nload();\n',
    );
    const run = await runParzen(['run', path, '--json'], { cwd: dir, env: { PARZEN_DEBUG: '1' } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      `topthrow.json: Objective module \`./topthrow.mjs\` failed to load: dataset missing: data.csv (at ${dir}/topthrow.mjs:2:9)`,
    );
    expect(run.stderr).not.toContain('could not start');
    expect(run.stderr).toMatch(/caused by: Error: dataset missing: data\.csv\n\s+at load \(.*topthrow\.mjs:2:9\)/);
    expect(JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '')).toMatchObject({
      errors: [{ code: 'PLUGIN_INVALID' }],
    });
  });

  it("on Parzen's own thread: a process.exit(0) at its top level refuses the run (exit 2, PLUGIN_INVALID), not ends it with exit code 0", async () => {
    const config = moduleConfig('exits-loading', 'process.exit(0);\nexport default ({ x }) => x * x;\n', {
      isolate: 'none',
    });
    const run = await runParzen(['run', config, '--json'], { cwd: dir });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain(
      `exits-loading.json: Objective module \`./exits-loading.mjs\` failed to load: it called process.exit(0) as it loaded, on Parzen's own thread, where it would have ended the run with that exit code. Throw an Error to refuse to load. (at ${dir}/exits-loading.mjs:1:9)`,
    );
    expect(JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '')).toMatchObject({
      errors: [{ code: 'PLUGIN_INVALID' }],
    });
  });

  it("on Parzen's own thread: a top-level await that never settles is said, naming the module (exit 2), not Node's silent exit 13", async () => {
    const config = moduleConfig('never-loads', 'await new Promise(() => {});\nexport default ({ x }) => x * x;\n', {
      isolate: 'none',
    });
    const run = await runParzen(['run', config], { cwd: dir });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain(
      'never-loads.json: Objective module `./never-loads.mjs` never finished loading: a top-level await in it (or in a module it imports) never settled.',
    );
  });
});

describe("a config's plugin module, loaded on Parzen's own thread whatever the objective", () => {
  /** Writes `<name>.mjs` (`source`, a plugin module that provides nothing) and a config listing it as a plugin. */
  const pluginConfig = (name: string, source: string, objective: Record<string, unknown>): string => {
    writeIn(dir, `${name}.mjs`, `${source}\nexport const manifests = [];\n`);
    const { store: _, ...config } = heartConfig({
      name,
      plugins: [`./${name}.mjs`],
      space: { x: { type: 'uniform', low: -2, high: 2 } },
      objective,
      budget: { maxTrials: 4 },
    });
    return writeIn(dir, `${name}.json`, config);
  };

  it('that calls process.exit(0) from a timer during a run of a command objective: exit code 1, naming the module (it ended with 0, unsaid)', async () => {
    const config = pluginConfig('plugin-exits-later', 'setTimeout(() => process.exit(0), 300);', {
      use: 'command',
      options: { command: ['sh', '-c', 'sleep 0.2; echo 1.5'] },
    });
    const run = await runParzen(['run', config], { cwd: dir });
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain(
      "parzen: plugin module `./plugin-exits-later.mjs` called process.exit(0) from a timer or callback it started as it loaded, on Parzen's own thread: the run ends here, with exit code 1;",
    );
  });
});

describe("an error a config's plugin module throws from a timer it started as it loaded, during a run", () => {
  it.each(['none', 'worker'])(
    'with the objective module\'s "isolate": "%s": exit code 1 and a line naming the module, not blamed on the objective nor a stack trace',
    async (isolate) => {
      const name = `plugin-throws-later-${isolate}`;
      writeIn(
        dir,
        `${name}.mjs`,
        "setTimeout(() => { throw new Error('plugin timer boom'); }, 300);\nexport const manifests = [];\n",
      );
      writeIn(
        dir,
        'slow-objective.mjs',
        'export default async ({ x }) => { await new Promise((resolve) => setTimeout(resolve, 200)); return x * x; };\n',
      );
      const { store: _, ...config } = heartConfig({
        name,
        plugins: [`./${name}.mjs`],
        space: { x: { type: 'uniform', low: -2, high: 2 } },
        objective: { use: 'module', options: { path: './slow-objective.mjs', isolate } },
        budget: { maxTrials: 4 },
      });
      const run = await runParzen(['run', writeIn(dir, `${name}.json`, config)], { cwd: dir });
      expect(run.code, run.stderr).toBe(1);
      expect(run.stderr).toContain(
        `parzen: plugin module \`./${name}.mjs\` threw from a timer or callback it started as it loaded: plugin timer boom (at ${dir}/${name}.mjs:1:26), on Parzen's own thread: the run ends here, with exit code 1;`,
      );
      expect(run.stderr).not.toContain('OBJECTIVE_CRASHED');
      expect(run.stderr).not.toContain('at Timeout._onTimeout');
    },
  );
});
