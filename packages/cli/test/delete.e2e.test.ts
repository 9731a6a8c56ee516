import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliPath, requireBuiltCli, runParzen, tempDir, writeIn } from './cli-harness.js';

let dir: string;
beforeAll(() => {
  requireBuiltCli();
  dir = tempDir('parzen-delete-e2e-');
  // Each trial says it started, then waits for `go` (a worker whose trial runs while the study is deleted).
  writeIn(
    dir,
    'held.mjs',
    `import { existsSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
export default async ({ x }) => {
  writeFileSync('started', '');
  while (!existsSync('go')) await sleep(50);
  return x;
};\n`,
  );
  writeIn(dir, 'one.mjs', 'export default ({ x }) => x;\n');
});

const config = (name: string, module: string) =>
  writeIn(dir, `${name}.json`, {
    name,
    seed: 1,
    space: { x: { type: 'uniform', low: 0, high: 1 } },
    objective: { use: 'module', options: { path: `./${module}` } },
    suggester: { use: 'random' },
    store: { use: 'jsonl', options: { path: './shared.jsonl' } },
    budget: { maxTrials: 2 },
  });

const waitFor = async (file: string): Promise<void> => {
  for (let waited = 0; !existsSync(file); waited += 50) {
    if (waited > 30_000) throw new Error(`${file} did not appear in 30 s`);
    await sleep(50);
  }
};

describe('parzen delete (processes)', () => {
  it("refuses a study another process's worker runs; forced, that worker ends with the error that says so, its result kept, the journal intact", async () => {
    const name = `held-${process.pid}`;
    const held = config(name, 'held.mjs');
    const other = config('other', 'one.mjs');
    expect((await runParzen(['run', other, '--quiet'], { cwd: dir })).code).toBe(0);
    const worker = runParzen(['run', held, '--quiet'], { cwd: dir, timeoutMs: 60_000 });
    await waitFor(join(dir, 'started'));
    const refused = await runParzen(['delete', held, '--yes'], { cwd: dir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      `Study \`${name}\` was not deleted: a worker is running its trial #0 (the process`,
    );
    expect(refused.stderr).toContain(`on host ${hostname()})`);
    const forced = await runParzen(['delete', held, '--yes', '--force'], { cwd: dir });
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stderr).toContain(`Deleted study ${name} from JSONL journal`);
    writeFileSync(join(dir, 'go'), '');
    const ended = await worker;
    expect(ended.code, ended.stderr).toBe(1);
    expect(ended.stderr).toContain(`Study \`${name}\` was deleted from the store`);
    expect(ended.stderr).not.toMatch(/^\s+at /m); // no stack: an error a user can act on
    // Its result is kept where a result the store could not record goes.
    const rescue = join(tmpdir(), `parzen-unrecorded-${userInfo().username}`, `${name}.jsonl`);
    expect(ended.stderr).toContain(rescue);
    rmSync(rescue, { force: true });
    // The journal reads as it should: the other study, and no line of the deleted one after its deletion.
    const studies = await runParzen(['studies', other, '--json'], { cwd: dir });
    expect(studies.code, studies.stderr).toBe(0);
    expect((JSON.parse(studies.stdout) as { study: string }[]).map((study) => study.study)).toEqual(['other']);
    const lines = readFileSync(join(dir, 'shared.jsonl'), 'utf8').trimEnd().split('\n');
    expect(lines.at(-1)).toBe(`{"op":"delete","study":"${name}"}`);
  });

  const script = spawnSync('script', ['--version']).status === 0;
  it.skipIf(!script)('asks at a real terminal (a pseudo-terminal, by `script`) and deletes on y', () => {
    const path = config('asked', 'one.mjs');
    expect(spawnSync(process.execPath, [cliPath, 'run', path, '--quiet'], { cwd: dir }).status).toBe(0);
    const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(cliPath)} delete ${JSON.stringify(path)}`;
    // At a pseudo-terminal whose person answers y, with CI as given.
    const atTerminal = (ci: string) =>
      spawnSync('script', ['-qec', command, '/dev/null'], {
        cwd: dir,
        input: 'y\n',
        encoding: 'utf8',
        env: { ...process.env, CI: ci },
        timeout: 30_000,
      });
    const asked = atTerminal('');
    expect(asked.status, asked.stdout).toBe(0);
    expect(asked.stdout).toContain(`Delete study asked from JSONL journal ${join(dir, 'shared.jsonl')}: 2 trials`);
    expect(asked.stdout).toContain('Delete study asked? [y/N]');
    expect(asked.stdout).toContain('Deleted study asked from JSONL journal');
    // In a CI job (CI set) no one is asked, even at a pseudo-terminal: --yes is needed.
    expect(spawnSync(process.execPath, [cliPath, 'run', path, '--quiet'], { cwd: dir }).status).toBe(0);
    const inCi = atTerminal('true');
    expect(inCi.status, inCi.stdout).toBe(2);
    expect(inCi.stdout).toContain('There is no terminal to ask at (a script, a pipe or CI), so nothing was deleted');
  });
});
