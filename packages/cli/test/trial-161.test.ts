// What a user trial of a shared PostgreSQL store found wrong or confusing (trial 161); the store's own findings are
// tested in packages/store-postgres/test.

import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import { createJsonlStore } from '@parzen/store-file';
import { adminQuery, cluster, describePostgres, freshDatabase, PASSWORD_ROLE, urlFor } from '@parzen/test-kit/postgres';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import {
  cliPath,
  heartModule,
  journalHeartConfig,
  lastJsonLine,
  requireBuiltCli,
  runParzen,
  tempDir,
  writeIn,
} from './cli-harness.js';
import { cliIn } from './cli-in-process.js';

let dir: string;
beforeAll(() => {
  requireBuiltCli();
  dir = tempDir('parzen-trial-161-');
});

/** Runs a command line as a user pastes it into a shell, `parzen` being the built CLI. */
const pasted = (line: string, cwd: string): string =>
  execFileSync('sh', ['-c', `parzen() { "${process.execPath}" "${cliPath}" "$@"; }\n${line}`], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });

describe('import of a file whose trials the study already has (W1)', () => {
  it('says the way out with `parzen delete`, as commands that work when pasted, not "Parzen does not delete studies"', async () => {
    const work = join(dir, "it's here");
    mkdirSync(work);
    writeIn(work, 'heart.mjs', heartModule);
    const config = journalHeartConfig(work, 'twice');
    expect((await runParzen(['run', config, '--quiet'], { cwd: work })).code).toBe(0);
    const file = join(work, 'an export.jsonl');
    expect((await runParzen(['export', config, '-o', file], { cwd: work })).code).toBe(0);
    // With --ignore-header, which the import it gives keeps (review 153: it dropped the import's flags).
    const again = await runParzen(['import', config, file, '--allow-repeats', '--ignore-header'], { cwd: work });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).not.toContain('does not delete');
    const commands = [...again.stderr.matchAll(/`(parzen (?:delete|import) [^`]+)`/g)].map((match) => match[1]);
    expect(commands).toEqual([
      `parzen delete '${config.replaceAll("'", "'\\''")}'`,
      `parzen import '${config.replaceAll("'", "'\\''")}' --ignore-header '${file.replaceAll("'", "'\\''")}'`,
    ]);
    // Pasted (with --yes, as a script answers), they leave the study with the file's trials once.
    pasted(`${commands[0]} --yes && ${commands[1]}`, dir);
    const trials = await runParzen(['trials', config, '--json'], { cwd: work });
    expect(lastJsonLine(trials.stdout)).toHaveLength(3);
  });
});

describe('a postgres URL with a password that does not parse (W2)', () => {
  // A typo in the port, no host, an unclosed IPv6 bracket, `postgres:` without `//`, a password= parameter: each was
  // quoted with the password in clear, on stderr and twice in the JSON line of `run --json`.
  const secret = 's3cr3tX';
  const urls = [
    `postgres://parzen:${secret}@localhost:notaport/parzen`,
    `postgres://parzen:${secret}@/parzen`,
    `postgres://parzen:${secret}@[::1/parzen`,
    `postgres:parzen:${secret}@localhost/parzen`,
    `parzen:${secret}@localhost/parzen`,
    `postgres://parzen:${secret}/x@localhost/parzen`,
    `postgres://parzen@localhost:notaport/parzen?password=${secret}`,
  ];

  const runsOf = (work: string, index: number, url: string): string[][] => {
    const config = journalHeartConfig(work, `bad${index}`, { store: { use: 'postgres', options: { url } } });
    // (As --store, `parzen:...@...` would be a store plugin's NAME:PATH.)
    const flag = url.startsWith('postgres') ? url : `postgres:${url}`;
    return [
      ['studies', '--store', flag],
      ['studies', '--store', `postgres:${url}`],
      ['trials', '--store', flag, '--study', 'x'],
      ['validate', config],
      ['trials', config],
      ['run', config, '--json'],
      ['run', journalHeartConfig(work, 'good'), '--store', flag, '--json'],
    ];
  };

  it('is never shown, from --store or from a config, in messages or in --json', async () => {
    const work = join(dir, 'malformed');
    mkdirSync(work);
    writeIn(work, 'heart.mjs', heartModule);
    // In-process, with what the process itself would write (console, process warnings) collected too.
    const written: string[] = [];
    const collect = (chunk: unknown): boolean => {
      written.push(String(chunk));
      return true;
    };
    const onWarning = (warning: Error) => written.push(`${warning.name}: ${warning.message}`);
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(collect);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(collect);
    process.on('warning', onWarning);
    try {
      for (const [index, url] of urls.entries())
        for (const args of runsOf(work, index, url)) {
          written.length = 0;
          const run = await cliIn(work, ...args);
          const all = `${run.stdout}${run.stderr}${written.join('')}`;
          const said = `${args.join(' ')}\n${all}`;
          expect(run.code, said).toBe(2);
          expect(all, said).not.toContain(secret);
          expect(all, said).toContain('***');
        }
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
      process.off('warning', onWarning);
    }
  });

  it('is never shown by a process, whole (one such URL, spawned: what Node itself prints counts too)', async () => {
    const work = join(dir, 'malformed-spawned');
    mkdirSync(work);
    writeIn(work, 'heart.mjs', heartModule);
    for (const args of runsOf(work, 0, urls[0] as string)) {
      const run = await runParzen(args, { cwd: work });
      const said = `${args.join(' ')}\n${run.stdout}${run.stderr}`;
      expect(run.code, said).toBe(2);
      expect(run.stdout + run.stderr, said).not.toContain(secret);
      expect(run.stdout + run.stderr, said).toContain('***');
    }
  });
});

describe('a running trial whose result the rescue file keeps (C2)', () => {
  it('is listed with the file and the import that finishes it, and left running by a run until then (W3)', async () => {
    const work = join(dir, 'rescued');
    mkdirSync(join(work, 'tmp'), { recursive: true });
    writeIn(work, 'heart.mjs', heartModule);
    const config = journalHeartConfig(work, 'kept');
    // A worker on this host that ended after the store failed to record its trial's end (a database outage).
    const worker = `${hostname()}:${spawnSync(process.execPath, ['-e', '0']).pid}:0d4c2b9e-1c2f-4a8e-9b7d-5e6f7a8b9c0d`;
    const store = createJsonlStore({ path: join(work, 'kept.parzen.jsonl') });
    await store.openStudy({
      name: 'kept',
      direction: 'minimize',
      seed: 1,
      space: { x: { type: 'uniform', low: -2, high: 2 }, y: { type: 'uniform', low: -2, high: 2 } },
    });
    await store.createTrial('kept', {
      lease: { owner: worker, expiresAt: new Date(Date.now() + 60_000).toISOString() },
    });
    await store.setParams('kept', 0, { x: 0.5, y: -0.5 });
    await store.close();
    const file = join(work, 'tmp', `parzen-unrecorded-${userInfo().username}`, 'kept.jsonl');
    mkdirSync(join(work, 'tmp', `parzen-unrecorded-${userInfo().username}`), { mode: 0o700 });
    writeIn(
      join(work, 'tmp', `parzen-unrecorded-${userInfo().username}`),
      'kept.jsonl',
      `${JSON.stringify({ params: { x: 0.5, y: -0.5 }, state: 'complete', loss: 0.25, startedAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T00:00:01.000Z', unrecorded: { study: 'kept', trial: 0, worker } })}\n`,
    );
    const env = { TMPDIR: join(work, 'tmp') };
    const listed = await runParzen(['trials', 'kept.json'], { cwd: work, env });
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain(
      `its worker is gone, and its result is kept in ${file}: \`parzen import kept.json ${file}\` finishes this trial with it, so that it counts once (runs of the study leave it running until then)`,
    );
    const json = await runParzen(['trials', 'kept.json', '--json'], { cwd: work, env });
    expect(lastJsonLine(json.stdout)).toMatchObject([{ number: 0, workerGone: true, rescuedIn: file }]);
    // W3: a run before the import leaves the trial running (it marked it STALE_TRIAL, and an enqueued entry it took
    // ran again), and says so.
    const run = await runParzen(['run', 'kept.json', '--quiet'], { cwd: work, env });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(
      `is left running: its result is kept in ${file}, the store having failed to record it.`,
    );
    const ran = await runParzen(['trials', 'kept.json', '--json'], { cwd: work, env });
    expect((lastJsonLine(ran.stdout) as { state: string }[]).map((trial) => trial.state)).toEqual([
      'running',
      'complete',
      'complete',
    ]);
    // The import it names, pasted, finishes the trial: it counts once, complete.
    pasted(`parzen import kept.json ${file}`, work);
    const after = await runParzen(['trials', 'kept.json', '--json'], { cwd: work, env });
    expect(lastJsonLine(after.stdout)).toMatchObject([{ number: 0, state: 'complete', loss: 0.25 }, {}, {}]);
    expect(config).toBe(join(work, 'kept.json'));
  });

  // Review 153: for a matrix config's study the hint said `parzen import m.json FILE`, which import refused (a
  // matrix), and import had no --study to pick one.
  it("names the matrix study in the import it gives (import's --study), and the import, pasted, finishes it", async () => {
    const work = join(dir, 'rescued-matrix');
    mkdirSync(join(work, 'tmp'), { recursive: true });
    writeIn(work, 'heart.mjs', heartModule);
    journalHeartConfig(work, 'mk', {
      store: { use: 'jsonl', options: { path: './mk.parzen.jsonl' } },
      matrix: { seed: [1, 2] },
    });
    expect((await runParzen(['run', 'mk.json', '--quiet'], { cwd: work })).code).toBe(0);
    const unpicked = await runParzen(['import', 'mk.json', '-'], { cwd: work });
    expect(unpicked.code).toBe(2);
    const [, name = '', other = ''] =
      /studies `([^`]+)`, `([^`]+)`: pick one with --study NAME\./.exec(unpicked.stderr) ?? [];
    expect([name, other].every((study) => study.startsWith('mk'))).toBe(true);
    const worker = `${hostname()}:${spawnSync(process.execPath, ['-e', '0']).pid}:0d4c2b9e-1c2f-4a8e-9b7d-5e6f7a8b9c0d`;
    const store = createJsonlStore({ path: join(work, 'mk.parzen.jsonl') });
    const created = await store.createTrial(name, {
      lease: { owner: worker, expiresAt: new Date(Date.now() + 60_000).toISOString() },
    });
    const number = created?.number ?? -1;
    await store.setParams(name, number, { x: 0.5, y: -0.5 });
    await store.close();
    const folder = join(work, 'tmp', `parzen-unrecorded-${userInfo().username}`);
    mkdirSync(folder, { mode: 0o700 });
    writeIn(
      folder,
      `${name.replace(/[^A-Za-z0-9._-]/g, '_')}.jsonl`,
      `${JSON.stringify({ params: { x: 0.5, y: -0.5 }, state: 'complete', loss: 0.25, startedAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T00:00:01.000Z', unrecorded: { study: name, trial: number, worker } })}\n`,
    );
    const env = { TMPDIR: join(work, 'tmp') };
    const listed = await runParzen(['trials', 'mk.json', '--study', name], { cwd: work, env });
    expect(listed.code, listed.stderr).toBe(0);
    const command = /its result is kept in \S+: `(parzen import [^`]+)`/.exec(listed.stdout)?.[1] ?? '';
    expect(command).toMatch(/^parzen import mk\.json --study \S+ \S+$/);
    pasted(command, work);
    const after = await runParzen(['trials', 'mk.json', '--study', name, '--json'], { cwd: work, env });
    expect(lastJsonLine(after.stdout)).toContainEqual(
      expect.objectContaining({ number, state: 'complete', loss: 0.25 }),
    );
    // The other study is untouched.
    const untouched = await runParzen(['trials', 'mk.json', '--study', other, '--json'], { cwd: work, env });
    expect((lastJsonLine(untouched.stdout) as unknown[]).length).toBe(3);
  });
});

describePostgres('a postgres store URL with sslmode, the server without SSL (C4)', () => {
  it("says node-postgres' reading of sslmode once in Parzen's words (no raw process warning) and exits 2 with what to do", async () => {
    const { url } = await freshDatabase('sslmode');
    const run = await runParzen(['studies', '--store', `${url}?sslmode=require`], { cwd: dir });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).not.toContain('(node:');
    expect(run.stderr).not.toContain('--trace-warnings');
    expect(run.stderr.match(/node-postgres reads sslmode=require in the URL as verify-full/g)).toHaveLength(1);
    expect(run.stderr).toContain(
      'The URL asks for an encrypted connection (sslmode=require) and the server does not offer one: turn SSL on at the server',
    );
  });
});

describe("a rescue file's lines for a study deleted and created anew (C6)", () => {
  it('names that cause, in a sentence that parses, with workers as host:pid', async () => {
    const work = join(dir, 'recreated');
    mkdirSync(work);
    writeIn(work, 'heart.mjs', heartModule);
    const config = journalHeartConfig(work, 'delf');
    const store = createJsonlStore({ path: join(work, 'delf.parzen.jsonl') });
    const { study } = await store.openStudy({
      name: 'delf',
      direction: 'minimize',
      seed: 1,
      space: { x: { type: 'uniform', low: -2, high: 2 }, y: { type: 'uniform', low: -2, high: 2 } },
    });
    // The new study's trials, running under workers of their own.
    for (let at = 0; at < 3; at++)
      await store.createTrial('delf', {
        lease: { owner: `vm:${4000 + at}:x`, expiresAt: new Date(Date.now() + 60_000).toISOString() },
      });
    await store.close();
    const id = (pid: number) =>
      `vm:${pid}:106b2dab-5a4c-4d2e-9f3b-8c9a75a3debe:1796595889:pid-4026531836:8c9a75a3-debe-41e7-8530-60018511d363`;
    const ranAt = new Date(Date.parse(study.createdAt) - 60_000).toISOString();
    const line = (trial: number, pid: number) =>
      `${JSON.stringify({ params: { x: 0.1 * trial, y: 0 }, state: 'complete', loss: trial, startedAt: ranAt, finishedAt: ranAt, unrecorded: { study: 'delf', trial, worker: id(pid) } })}\n`;
    const rescue = writeIn(work, 'delf.jsonl', line(0, 12586) + line(1, 12590) + line(2, 12589));
    const imported = await runParzen(['import', config, rescue], { cwd: work });
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stderr).toContain(
      `parzen: warning: 3 rescued lines of ${rescue} (1, 2, 3) are the results of trials (#0 by vm:12586, #1 by vm:12590, #2 by vm:12589) that study delf here did not run under those workers. ` +
        `They ran before study delf here was created (${study.createdAt}): the study was deleted and created anew since, it seems, or they are of a study of the same name in another store (a rescue file is kept per study name). ` +
        "Imported as new trials; if they belong to another store's study, import them there instead.",
    );
  });
});

describePostgres("libpq's password file (C14)", () => {
  // Node-postgres read it with a DeprecationWarning on every command; Parzen reads it now, as the README says.
  it.skipIf(cluster === undefined)('gives the password when PGPASSWORD is not set, with no warning', async () => {
    const { name } = await freshDatabase('pgpass');
    await adminQuery(
      `DO $$BEGIN CREATE ROLE ${PASSWORD_ROLE} LOGIN PASSWORD 'right'; EXCEPTION WHEN duplicate_object THEN ALTER ROLE ${PASSWORD_ROLE} LOGIN PASSWORD 'right'; END$$`,
    );
    await adminQuery(`ALTER DATABASE ${name} OWNER TO ${PASSWORD_ROLE}`);
    await adminQuery(`ALTER SCHEMA public OWNER TO ${PASSWORD_ROLE}`, name);
    const url = new URL(urlFor(name, PASSWORD_ROLE));
    const work = join(dir, 'pgpass');
    mkdirSync(work);
    const file = writeIn(work, 'pgpass', `${url.hostname}:${url.port}:${name}:${PASSWORD_ROLE}:right\n`);
    chmodSync(file, 0o600);
    const env = { PGPASSWORD: undefined, PGPASSFILE: file } as unknown as NodeJS.ProcessEnv;
    const listed = await runParzen(['studies', '--store', url.toString()], { cwd: work, env });
    // Connected and read (an empty database): no password asked for.
    expect(listed.stderr).toContain(`the postgres store ${url.toString().replace(':right@', '@')} holds no study`);
    expect(listed.stderr).not.toContain('DeprecationWarning');
    expect(listed.stderr).not.toContain('(node:');
    // Without it, the server's question is said as before.
    const none = await runParzen(['studies', '--store', url.toString()], {
      cwd: work,
      env: { PGPASSWORD: undefined, PGPASSFILE: join(work, 'none') } as unknown as NodeJS.ProcessEnv,
    });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/asks role `parzen_pw` for a password/);
  });
});

describePostgres('a role without grants reading a postgres store (C7)', () => {
  it('is told the grants a reader needs (USAGE, SELECT), which then suffice; a run is told the full list', async () => {
    const { name, url } = await freshDatabase('reader');
    const work = join(dir, 'reader');
    mkdirSync(work);
    writeIn(work, 'heart.mjs', heartModule);
    const config = journalHeartConfig(work, 'read', { store: { use: 'postgres', options: { url } } });
    expect((await runParzen(['run', config, '--quiet'], { cwd: work })).code).toBe(0);
    // A name SQL must quote (review 153: the grants given named `Ann` as ann, and `ci-reader` was a syntax error).
    const role = `Parzen-Reader_${process.pid}`;
    const quoted = `"${role}"`;
    await adminQuery(`DROP ROLE IF EXISTS ${quoted}; CREATE ROLE ${quoted} LOGIN`);
    const store = urlFor(name, role);
    const denied = await runParzen(['trials', '--store', store], { cwd: work });
    expect(denied.code).toBe(2);
    expect(denied.stderr).toContain(
      `Role \`${role}\` lacks a privilege Parzen needs to read \`${name}\`. To read, a role needs CONNECT on the database, USAGE on schema public and SELECT on the parzen_ tables: `,
    );
    expect(denied.stderr).not.toContain('owner, or grant');
    expect(denied.stderr).not.toContain('INSERT');
    const run = await runParzen(['run', config, '--store', store, '--more-trials', '1'], { cwd: work });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('CREATE and USAGE on schema public, and SELECT, INSERT, UPDATE on the parzen_ tables');
    // The grants as the message gives them.
    const grants = /`(GRANT USAGE [^`]+)`/.exec(denied.stderr)?.[1];
    await adminQuery(grants ?? 'missing', name);
    for (const command of ['trials', 'studies', 'best'])
      expect((await runParzen([command, '--store', store], { cwd: work })).code, command).toBe(0);
    await adminQuery(`DROP OWNED BY ${quoted}`, name);
    await adminQuery(`DROP ROLE ${quoted}`);
  });
});
