// Runs in vitest's `postgres` project, whose global setup starts the PostgreSQL server these tests use.

import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { adminQuery, cluster, describePostgres, freshDatabase, PASSWORD_ROLE, urlFor } from '@parzen/test-kit/postgres';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { Output } from '../src/output.js';
import { runCli } from '../src/program.js';
import { heartConfig, heartModule, tempDir, writeIn } from './cli-harness.js';

interface Captured extends Output {
  readonly stdout: () => string;
  readonly stderr: () => string;
}
const captured = (): Captured => {
  const out: string[] = [];
  const err: string[] = [];
  return {
    result: (line) => out.push(line),
    note: (line) => err.push(line),
    stdout: () => out.join('\n'),
    stderr: () => err.join('\n'),
  };
};

let dir: string;
beforeAll(() => {
  dir = tempDir('parzen-pg-cli-');
  writeIn(dir, 'heart.mjs', heartModule);
});
const PASSWORD_VAR = 'PARZEN_TEST_PG_PASSWORD';
const PGPASSWORD = process.env.PGPASSWORD;
beforeAll(() => {
  delete process.env.PGPASSWORD; // the password tests decide where the password comes from
});
afterAll(() => {
  if (PGPASSWORD !== undefined) process.env.PGPASSWORD = PGPASSWORD;
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  delete process.env[PASSWORD_VAR];
});

/** A config on the postgres store; returns its path. */
const configOn = (name: string, options: Record<string, unknown>, extra: Record<string, unknown> = {}): string =>
  writeIn(dir, `${name}.json`, heartConfig({ name, store: { use: 'postgres', options }, ...extra }));

const parzen = async (...args: string[]) => {
  const output = captured();
  const started = Date.now();
  const code = await runCli(['node', 'parzen', ...args], output);
  return { code, ms: Date.now() - started, stdout: output.stdout(), stderr: output.stderr() };
};

describePostgres('parzen on the postgres store', () => {
  it('runs, lists, shows the best and resumes a study in PostgreSQL, also through --store postgres:URL', async () => {
    const { url } = await freshDatabase('cli');
    const config = configOn('heart', { url });
    const run = await parzen('run', config, '--quiet', '--json');
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout.split('\n').at(-1) ?? '')).toMatchObject({ trials: { complete: 8, failed: 0 } });
    const trials = JSON.parse((await parzen('trials', config, '--json')).stdout) as { number: number; state: string }[];
    expect(trials.map((trial) => trial.number)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const best = await parzen('best', config, '--json');
    expect(best.code).toBe(0);
    expect(JSON.parse(best.stdout)).toMatchObject({ study: 'heart', trials: { complete: 8 } });
    const resumed = await parzen('resume', config, '--more-trials', '3', '--quiet');
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(/Study heart: 11 complete, 0 failed/);
    // Another config (memory store) pointed at the same study with the flag.
    const elsewhere = writeIn(dir, 'other.json', heartConfig());
    const listed = await parzen('trials', elsewhere, '--csv', '--store', `postgres:${url}`);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout.trim().split('\n')).toHaveLength(12); // header + 11 trials
    expect((await parzen('resume', configOn('absent', { url }))).code).toBe(1); // no such study: exit 1
  });

  it('deletes one study of a database through --store postgres:URL --study, naming the server; a run starts it anew', async () => {
    const { url } = await freshDatabase('delete');
    const heart = configOn('heart', { url }, { budget: { maxTrials: 3 } });
    const kept = configOn('kept', { url }, { budget: { maxTrials: 2 } });
    for (const config of [heart, kept]) expect((await parzen('run', config, '--quiet')).code).toBe(0);
    const store = `postgres:${url}`;
    const where = `${new URL(url).username}@${new URL(url).hostname}:${new URL(url).port}${new URL(url).pathname}`;
    const refused = await parzen('delete', '--store', store, '--study', 'heart');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`add --yes to delete study heart from PostgreSQL database ${where}: 3 trials`);
    const deleted = await parzen('delete', '--store', store, '--study', 'heart', '--yes', '--json');
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(JSON.parse(deleted.stdout)).toEqual({
      study: 'heart',
      store: 'postgres',
      deleted: true,
      trials: { complete: 3, pruned: 0, failed: 0, running: 0 },
    });
    const listed = await parzen('studies', '--store', store, '--json');
    expect((JSON.parse(listed.stdout) as { study: string }[]).map((study) => study.study)).toEqual(['kept']);
    const again = await parzen('run', heart, '--quiet');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('a new study: this run started it');
  });

  // User trial: `studies --store postgres:URL` (and `studies CONFIG` on postgres) exited 2, "cannot list its
  // studies", and `trials|best|export --store postgres:URL` asked for --study though the database held one.
  it('lists the studies of a database, and reads its only study from --store postgres:URL alone', async () => {
    const { url } = await freshDatabase('studies');
    const config = configOn('heart', { url }, { budget: { maxTrials: 3 } });
    const run = await parzen('run', config, '--quiet');
    expect(run.code, run.stderr).toBe(0);
    const store = `postgres:${url}`;

    const table = await parzen('studies', '--store', store);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout.split('\n')[1]).toMatch(/^heart\s+minimize\s+random\s+3\s+3\s+0\s+0\s+0\s/);
    const fromConfig = await parzen('studies', config, '--json');
    expect(fromConfig.code, fromConfig.stderr).toBe(0);
    expect(JSON.parse(fromConfig.stdout)).toMatchObject([
      { study: 'heart', direction: 'minimize', suggester: 'random', trials: { complete: 3, running: 0 } },
    ]);

    const trials = await parzen('trials', '--store', store, '--json');
    expect(trials.code, trials.stderr).toBe(0);
    expect((JSON.parse(trials.stdout) as { number: number }[]).map((trial) => trial.number)).toEqual([0, 1, 2]);
    const best = await parzen('best', '--store', url, '--json');
    expect(best.code, best.stderr).toBe(0);
    expect(JSON.parse(best.stdout)).toMatchObject({ study: 'heart', trials: { complete: 3 } });
    const exported = await parzen('export', '--store', store);
    expect(exported.code, exported.stderr).toBe(0);
    const lines = exported.stdout.trim().split('\n');
    expect(lines[0]).toContain('"parzen":"export"');
    expect(lines).toHaveLength(4); // the header and the 3 trials
    // Imported into another database: the study it makes there is said (a note; stdout stays the result line).
    const file = join(dir, 'pg-export.jsonl');
    writeFileSync(file, `${exported.stdout}\n`);
    const moved = await freshDatabase('imported');
    const imported = await parzen('import', config, file, '--store', `postgres:${moved.url}`);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stderr).toBe(
      'parzen: study heart is new in the postgres store: this import made it.\nImported 3 trials into study heart (postgres store) as #0-#2.',
    );
    expect(imported.stdout).toBe('');
    const html = join(dir, 'pg-only-study.html');
    const report = await parzen('report', '--store', store, '-o', html);
    expect(report.code, report.stderr).toBe(0);
    expect(readFileSync(html, 'utf8')).toContain('(minimize, seed 1, suggester random)');

    // A second study: listed oldest first, and --store alone names them instead of guessing.
    const second = await parzen('run', configOn('second', { url }, { budget: { maxTrials: 2 } }), '--quiet');
    expect(second.code, second.stderr).toBe(0);
    const both = await parzen('studies', '--store', store, '--json');
    expect((JSON.parse(both.stdout) as { study: string }[]).map((study) => study.study)).toEqual(['heart', 'second']);
    const ambiguous = await parzen('trials', '--store', store);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toMatch(/holds 2 studies \(heart, second\); pick one with --study NAME/);
    const picked = await parzen('trials', '--store', store, '--study', 'second', '--json');
    expect(picked.code, picked.stderr).toBe(0);
    expect(JSON.parse(picked.stdout)).toHaveLength(2);
  });

  it('exits 2 with a clear message for a bad URL or a password in it, and 1 for a port where no server listens', async () => {
    const bad = await parzen('run', configOn('bad-url', { url: 'mysql://alice@127.0.0.1/x' }));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      '/store/options/url: expected postgres://USER@HOST[:PORT]/DATABASE (a Unix socket: postgres://USER@/DATABASE?host=/run/postgresql), without a password, found mysql://alice@127.0.0.1/x',
    );

    const secret = await parzen('run', configOn('secret', { url: 'postgres://alice:hunter2@127.0.0.1/x' }));
    expect(secret.code).toBe(2);
    expect(secret.stderr).toMatch(/url: expected a URL without a password \(it goes in PGPASSWORD/);
    expect(secret.stderr).not.toContain('hunter2');

    const { url } = await freshDatabase('noport');
    const closed = new URL(url);
    closed.port = '1'; // nothing listens on port 1
    // A server that is down (or a wrong port): exit 1, not 2, so a scheduler may start the worker again.
    const refused = await parzen('run', configOn('refused', { url: closed.toString() }));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/Cannot reach PostgreSQL at .*ECONNREFUSED.*is the server running/s);
    expect(refused.ms).toBeLessThan(10_000);
  });

  it('exits 2 for a missing database and for a role without the privileges it needs', async () => {
    const { name } = await freshDatabase('perm');
    const missing = await parzen('run', configOn('missing-db', { url: urlFor(`${name}_nope`) }));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(new RegExp(`database "${name}_nope" does not exist\\. Create it \\(\`createdb`));

    // PostgreSQL 15 gives PUBLIC no CREATE on schema public: a plain role cannot make Parzen's tables.
    await adminQuery('DROP ROLE IF EXISTS parzen_noperm; CREATE ROLE parzen_noperm LOGIN');
    const denied = await parzen('run', configOn('denied', { url: urlFor(name, 'parzen_noperm') }));
    expect(denied.code).toBe(2);
    expect(denied.stderr).toMatch(/permission denied.*Role `parzen_noperm` lacks a privilege/s);

    await adminQuery(`REVOKE CONNECT ON DATABASE ${name} FROM PUBLIC`);
    const noConnect = await parzen('trials', configOn('no-connect', { url: urlFor(name, 'parzen_noperm') }));
    expect(noConnect.code).toBe(2);
    expect(noConnect.stderr).toMatch(/permission denied for database/);
  });

  // Needs the tests' own cluster, where this role alone authenticates with a password.
  it.skipIf(cluster === undefined)(
    'exits 2 for a wrong or a missing password, and runs with the right one',
    async () => {
      const { url, name } = await freshDatabase('auth');
      await adminQuery(`DROP ROLE IF EXISTS ${PASSWORD_ROLE}; CREATE ROLE ${PASSWORD_ROLE} LOGIN PASSWORD 'right'`);
      await adminQuery(`ALTER DATABASE ${name} OWNER TO ${PASSWORD_ROLE}`);
      await adminQuery(`ALTER SCHEMA public OWNER TO ${PASSWORD_ROLE}`, name);
      const options = { url: urlFor(name, PASSWORD_ROLE), passwordEnv: PASSWORD_VAR };

      process.env[PASSWORD_VAR] = 'wrong';
      const wrong = await parzen('run', configOn('wrong-pw', options));
      expect(wrong.code).toBe(2);
      expect(wrong.stderr).toMatch(
        new RegExp(
          `password authentication failed.*Authentication of role \`${PASSWORD_ROLE}\` failed \\(the password from ${PASSWORD_VAR}`,
          's',
        ),
      );
      expect(wrong.stderr).not.toContain("'wrong'");
      // Trial 153: validate said such a config valid without a word, its study not compared.
      const checked = await parzen('validate', configOn('wrong-pw', options));
      expect(checked.code, checked.stderr).toBe(0);
      expect(checked.stderr).toMatch(
        /note: \/store: the `postgres` store could not be read, so study wrong-pw was not compared.*password authentication failed/s,
      );

      const none = await parzen('run', configOn('no-pw', { url: options.url }));
      expect(none.code).toBe(2);
      expect(none.stderr).toMatch(/asks role `parzen_pw` for a password: set PGPASSWORD/);

      process.env[PASSWORD_VAR] = 'right';
      const right = await parzen('run', configOn('right-pw', options), '--quiet');
      expect(right.code, right.stderr).toBe(0);
      expect(url).not.toContain('right');
    },
  );
});
