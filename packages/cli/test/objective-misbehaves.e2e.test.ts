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
});
