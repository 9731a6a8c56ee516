import { beforeAll, describe, expect, it } from 'vitest';
import { journalHeartConfig, tempDir, writeIn } from './cli-harness.js';
import { cliIn } from './cli-in-process.js';

let dir: string;
beforeAll(() => {
  dir = tempDir('parzen-json-errors-');
  writeIn(dir, 'heart.mjs', 'export default ({ x, y }) => x * x + y * y;\n');
});

const lastLine = (stdout: string): unknown => JSON.parse(stdout.trim().split('\n').at(-1) as string);

// A CI user's `jq '.errors[0].issues[]'` failed on an error without issues, and a mistyped command with --json
// printed nothing on stdout, so `| jq` read nothing and passed.
describe('--json errors', () => {
  it('always have file, code, message and issues', async () => {
    const config = journalHeartConfig(dir, 'never-ran');
    const report = await cliIn(dir, 'report', config, '--json', '-o', `${dir}/r.html`);
    expect(report.code).toBe(1);
    const entry = (lastLine(report.stdout) as { errors: Record<string, unknown>[] }).errors[0];
    expect(Object.keys(entry ?? {}).sort()).toEqual(['code', 'file', 'issues', 'message']);
    expect(entry).toMatchObject({ code: 'STUDY_NOT_FOUND', issues: [] });
    const flag = await cliIn(dir, 'trials', config, '--json', '--limit', 'many');
    expect(flag.code).toBe(2);
    expect(lastLine(flag.stdout)).toEqual({
      errors: [{ file: null, code: 'CLI_INPUT', message: expect.any(String), issues: [] }],
    });
  });

  it('are printed for a command that does not exist', async () => {
    const typo = await cliIn(dir, 'rnu', 'cfg.json', '--json');
    expect(typo.code).toBe(2);
    expect(lastLine(typo.stdout)).toEqual({
      errors: [{ file: null, code: 'CLI_INPUT', message: expect.stringContaining('rnu'), issues: [] }],
    });
    // After `--`, --json is an argument, not the flag.
    expect((await cliIn(dir, 'rnu', '--', '--json')).stdout).toBe('');
  });
});

describe('run --max-seconds', () => {
  it("stops the run at its time limit, over the config's own", async () => {
    writeIn(
      dir,
      'slow.mjs',
      'export default async ({ x }) => { await new Promise((r) => setTimeout(r, 40)); return x; };\n',
    );
    const config = journalHeartConfig(dir, 'timed', {
      objective: { use: 'module', options: { path: './slow.mjs', isolate: 'none' } },
      budget: { maxTrials: 10_000, maxSeconds: 3600 },
    });
    const run = await cliIn(dir, 'run', config, '--max-seconds', '0.4', '--json', '--quiet');
    expect(run.code, run.stderr).toBe(0);
    const json = lastLine(run.stdout) as { reason: string; trials: { complete: number } };
    expect(json.reason).toBe('max-seconds');
    expect(json.trials.complete).toBeLessThan(100);
    // The summary says it in words, as the console reporter in code does (trial 171: `stopped (max-seconds)`).
    const said = await cliIn(dir, 'run', config, '--max-seconds', '0.2', '--quiet');
    expect(said.stdout).toMatch(
      /^Study timed stopped \(its time budget, maxSeconds, ran out\): \d+ complete, 0 failed$/m,
    );
    const hex = await cliIn(dir, 'run', config, '--max-seconds', '0x10', '--json');
    expect(hex.code).toBe(2);
    const bad = await cliIn(dir, 'run', config, '--max-seconds', '0', '--json');
    expect(bad.code).toBe(2);
    expect(lastLine(bad.stdout)).toMatchObject({
      errors: [{ code: 'CLI_INPUT', message: expect.stringContaining('expected a number of seconds greater than 0') }],
    });
  });
});
