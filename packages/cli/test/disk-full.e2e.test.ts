import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliPath, journalHeartConfig, requireBuiltCli, runParzen, tempDir, writeIn } from './cli-harness.js';

let dir: string;
beforeAll(() => {
  requireBuiltCli();
  dir = tempDir('parzen-disk-full-');
  writeIn(dir, 'package.json', { type: 'module' });
  writeIn(dir, 'heart.mjs', 'export default ({ x, y }) => x * x + y * y;\n');
});

/**
 * `parzen run` under a file size limit (`ulimit -f`, in KiB): the store's file reaches it mid-run, the way a full
 * disk stops it (EFBIG, as ENOSPC; Node ignores SIGXFSZ). Process behaviour is the point.
 */
const limited = (kib: number, ...args: string[]) =>
  spawnSync(
    'sh',
    ['-c', `ulimit -f ${kib} && exec "${process.execPath}" "${cliPath}" ${args.map((arg) => `"${arg}"`).join(' ')}`],
    {
      cwd: dir,
      encoding: 'utf8',
      timeout: 120_000,
    },
  );

describe('a run whose store finds no room', () => {
  // SQLite says a write past the limit as SQLITE_IOERR_WRITE, a full disk as SQLITE_FULL (tested in disk-full.test.ts).
  it.each([['jsonl', 24]])(
    '%s: ends non-zero, saying how many finished trials the store keeps and to make room, then run again',
    async (use, kib) => {
      const config = journalHeartConfig(dir, `full-${use}`, {
        budget: { maxTrials: 100_000 },
        store: { use, options: { path: `./full-${use}.store` } },
      });
      const run = limited(kib, 'run', config, '--quiet');
      expect(run.status, run.stderr).toBe(1);
      expect(run.stderr).not.toMatch(/\n\s+at /);
      const said =
        /has (\d+) finished trials in its store, safe: raise the file size limit \(`ulimit -f`\), then run the same command again to resume\./.exec(
          run.stderr,
        );
      expect(said, run.stderr).not.toBeNull();
      // The count said is the store's, read back once there is room again.
      const trials = await runParzen(['trials', config, '--json'], { cwd: dir });
      const finished = (JSON.parse(trials.stdout) as { state: string }[]).filter((trial) => trial.state !== 'running');
      expect(finished.length).toBe(Number(said?.[1]));
      expect(finished.length).toBeGreaterThan(5);
    },
  );
});

describe('an import whose journal finds no room', () => {
  it('says nothing was imported and what the journal was left; the next import sets the torn line aside', async () => {
    const config = journalHeartConfig(dir, 'imp');
    expect((await runParzen(['run', config, '--quiet'], { cwd: dir })).code).toBe(0);
    const rows = Array.from({ length: 2000 }, (_, i) =>
      JSON.stringify({ params: { x: (i % 100) / 100, y: i / 2000 }, loss: i }),
    );
    const file = writeIn(dir, 'rows.jsonl', `${rows.join('\n')}\n`);
    const count = async () =>
      (JSON.parse((await runParzen(['trials', config, '--json'], { cwd: dir })).stdout) as unknown[]).length;
    const imported = limited(32, 'import', config, file);
    expect(imported.status, imported.stderr).toBe(1);
    expect(imported.stderr).toContain(
      "Nothing was imported into study imp: the import's store call is all or nothing. What the journal got of it is an unfinished last line, which the journal's next write sets aside (it stays in the file, skipped). Free disk space, then import again.",
    );
    expect(await count()).toBe(3);
    const again = await runParzen(['import', config, file], { cwd: dir });
    expect(again.code, again.stderr).toBe(0);
    expect(await count()).toBe(2003);
  });
});
