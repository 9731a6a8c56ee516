import { spawn } from 'node:child_process';
import { chmodSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRandomSuggester } from '@parzen/algo-random';
import { fmin, type TrialStore } from '@parzen/engine';
import { createJsonlStore } from '@parzen/store-file';
import { createSqliteStore } from '@parzen/store-sqlite';
import { runProcess } from '@parzen/test-kit';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliPath, requireBuiltCli, tempDir, writeIn } from './cli-harness.js';

// An archived study: the files and their folder are read-only. Root ignores permissions, so as root the
// CLI runs as `nobody` (uid 65534); otherwise as the current user. Spawned: file permissions are per process.
const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};

const fill = async (store: TrialStore) => {
  await fmin({
    name: 'archived',
    space: { x: { type: 'uniform', low: 0, high: 1 } },
    objective: ({ x }) => x,
    suggester: createRandomSuggester(),
    maxTrials: 3,
    store,
  });
  await store.close();
};

let dir: string;
let configs: string;
beforeAll(async () => {
  requireBuiltCli();
  dir = tempDir('parzen-archive-');
  await fill(createJsonlStore({ path: join(dir, 'archived.jsonl') }));
  await fill(createSqliteStore({ path: join(dir, 'archived.db') }));
  for (const file of ['archived.jsonl', 'archived.db']) chmodSync(join(dir, file), 0o444);
  chmodSync(dir, 0o555);
  configs = tempDir('parzen-archive-configs-');
  chmodSync(configs, 0o755);
});

/** A config (readable by the CLI's user) naming the archived study in `file`. */
const archivedConfig = (name: string, use: string, file: string): string => {
  const config = writeIn(configs, name, {
    name: 'archived',
    space: { x: { type: 'uniform', low: 0, high: 1 } },
    objective: { use: 'module', options: { path: './objective.mjs' } },
    store: { use, options: { path: file } },
    budget: { maxTrials: 3 },
  });
  chmodSync(config, 0o644);
  return config;
};

/** The built CLI as the archive's reader. */
const parzen = (...args: string[]) =>
  runProcess(process.execPath, [cliPath, ...args], { cwd: '/', timeoutMs: 30_000, ...asUser });

describe.concurrent('read-only commands on an archived (read-only) study', () => {
  it.each(['jsonl', 'sqlite'])('trials (config) and best (--store) read a %s store', async (use) => {
    const file = join(dir, use === 'jsonl' ? 'archived.jsonl' : 'archived.db');
    const before = readFileSync(file);
    const config = archivedConfig(`${use}.json`, use, file);
    const trials = await parzen('trials', config, '--json');
    expect(trials.status, trials.stderr).toBe(0);
    expect(JSON.parse(trials.stdout)).toHaveLength(3);
    const best = await parzen('best', '--store', `${use}:${file}`, '--study', 'archived');
    expect(best.status, best.stderr).toBe(0);
    expect(best.stdout).toMatch(/Study archived: 3 complete, 0 failed/);
    expect(readFileSync(file)).toEqual(before);
  });

  it.each([
    ['jsonl', 'SIGINT'],
    ['sqlite', 'SIGHUP'],
  ] as const)(
    'report --serve serves a %s study and writes nothing; %s stops it with 0 (trial 88: SIGHUP killed it)',
    async (use, signal) => {
      const file = join(dir, use === 'jsonl' ? 'archived.jsonl' : 'archived.db');
      const before = readFileSync(file);
      const config = archivedConfig(`serve-${use}.json`, use, file);
      const child = spawn(process.execPath, [cliPath, 'report', config, '--serve', '--interval', '100'], {
        cwd: '/',
        ...asUser,
      });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk;
      });
      // 'close', not 'exit': after 'exit' the last stderr lines may still be in the pipe (a flake seen once).
      const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          out += chunk;
          const match = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
          if (match !== null) resolve(match[0]);
        });
        void exited.then((code) => reject(new Error(`report --serve exited ${code}: ${stderr}`)));
      });
      const html = await (await fetch(url)).text();
      expect(html).toContain('"live":true');
      expect(html).toContain('archived');
      child.kill(signal);
      expect(await exited, stderr).toBe(0);
      expect(stderr).toContain(`report server stopped (${signal})`);
      expect(readFileSync(file)).toEqual(before);
    },
  );
});
