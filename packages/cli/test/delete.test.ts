import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createJsonlStore } from '@parzen/store-file';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Output } from '../src/output.js';
import { runCli } from '../src/program.js';
import { tempDir, writeIn } from './cli-harness.js';
import { cli } from './cli-in-process.js';

let dir: string;
beforeAll(() => {
  dir = tempDir('parzen-delete-');
  writeIn(dir, 'one.mjs', 'export default ({ x }) => x;\n');
});

/** A config of study `name` kept in `store` (a journal beside it by default), run with 3 trials. */
const config = (name: string, file = name, store: unknown = { use: 'jsonl', options: { path: './shared.jsonl' } }) =>
  writeIn(dir, `${file}.json`, {
    name,
    seed: 1,
    space: { x: { type: 'uniform', low: 0, high: 1 } },
    objective: { use: 'module', options: { path: './one.mjs', isolate: 'none' } },
    suggester: { use: 'random' },
    store,
    budget: { maxTrials: 3 },
  });

/** Runs `parzen ...args` in-process at a terminal whose person answers `answer` (undefined: Ctrl-C). */
const atTerminal = async (answer: string | undefined, ...args: string[]) => {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const asked: string[] = [];
  const output: Output = {
    result: (line) => stdout.push(line),
    note: (line) => stderr.push(line),
    ask: (question) => {
      asked.push(question);
      return Promise.resolve(answer);
    },
  };
  const code = await runCli(['node', 'parzen', ...args], output);
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n'), asked };
};

const studiesIn = async (path: string): Promise<string[]> => {
  const listed = await cli('studies', path, '--json');
  expect(listed.code, listed.stderr).toBe(0);
  return (JSON.parse(listed.stdout) as { study: string }[]).map((study) => study.study);
};

// A study could not be deleted: starting over took a new study name, or deleting the store file with every other
// study in it, or SQL by hand (Optuna users have `optuna delete-study`).
describe('parzen delete', () => {
  it('asks at a terminal, naming the study, its store and its trials, and deletes only on yes; the other studies stay', async () => {
    const heart = config('heart');
    const quad = config('quad');
    for (const path of [heart, quad]) expect((await cli('run', path, '--quiet')).code).toBe(0);
    const journal = join(dir, 'shared.jsonl');
    // Declined: nothing deleted, and no error (exit 0, as `rm -i` answered no); --json says it (deleted: false).
    const declined = await atTerminal('n', 'delete', heart);
    expect(declined.code).toBe(0);
    expect(declined.asked).toEqual([
      `Delete study heart from JSONL journal ${journal}: 3 trials (3 complete, 0 pruned, 0 failed, 0 running)?\n` +
        `It cannot be undone; to keep a copy first: \`parzen export ${heart} -o heart.export.jsonl\` (its finished trials, which \`parzen import\` reads back).\n` +
        'Delete study heart? [y/N] ',
    ]);
    expect(declined.stderr).toBe('parzen: nothing was deleted: study heart stays as it is (only y or yes deletes it).');
    expect(declined.stdout).toBe('');
    const declinedJson = await atTerminal('no', 'delete', heart, '--json');
    expect([declinedJson.code, JSON.parse(declinedJson.stdout)]).toEqual([
      0,
      {
        study: 'heart',
        store: 'jsonl',
        deleted: false,
        trials: { complete: 3, pruned: 0, failed: 0, running: 0 },
      },
    ]);
    const stopped = await atTerminal(undefined, 'delete', heart);
    expect(stopped.code).toBe(130);
    expect(stopped.stderr).toBe('parzen: stopped; nothing was deleted.');
    expect(await studiesIn(heart)).toEqual(['heart', 'quad']);
    const deleted = await atTerminal(' Yes ', 'delete', heart);
    expect(deleted.code, deleted.stderr).toBe(0);
    // Said on stderr, as `export -o` says what it wrote: stdout is for data.
    expect(deleted.stdout).toBe('');
    expect(deleted.stderr).toContain(
      `Deleted study heart from JSONL journal ${journal}: 3 trials (3 complete, 0 pruned, 0 failed, 0 running).`,
    );
    expect(deleted.stderr).toContain("the journal keeps the deleted study's lines (it only grows)");
    expect(await studiesIn(quad)).toEqual(['quad']);
    expect((await cli('trials', quad, '--json')).stdout).toContain('"number":2');
    // Run again, its name starts a new study.
    const again = await cli('run', heart, '--quiet');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('a new study: this run started it');
  });

  it('without a terminal (a script, CI) deletes only with --yes: else exit 2, saying what to add; --json', async () => {
    const path = config('scripted', 'scripted', { use: 'jsonl' });
    expect((await cli('run', path, '--quiet')).code).toBe(0);
    const refused = await cli('delete', path);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      `parzen: ${path}: There is no terminal to ask at (a script, a pipe or CI), so nothing was deleted: add --yes to delete study scripted from JSONL journal ${join(dir, 'scripted.parzen.jsonl')}: 3 trials (3 complete, 0 pruned, 0 failed, 0 running). ` +
        `To keep a copy first: \`parzen export ${path} -o scripted.export.jsonl\` (its finished trials, which \`parzen import\` reads back).`,
    );
    const json = await cli('delete', path, '--yes', '--json');
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({
      study: 'scripted',
      // The store's kind, as import's --json says it.
      store: 'jsonl',
      deleted: true,
      trials: { complete: 3, pruned: 0, failed: 0, running: 0 },
    });
    expect(json.stderr).toContain('Deleted study scripted');
  });

  it('names the studies a store holds and a near name for one it does not hold; --store needs --study', async () => {
    const path = config('kept', 'kept', { use: 'sqlite', options: { path: './kept.db' } });
    expect((await cli('run', path, '--quiet')).code).toBe(0);
    const spec = `sqlite:${join(dir, 'kept.db')}`;
    const typo = await cli('delete', '--store', spec, '--study', 'kpet', '--yes');
    expect(typo.code).toBe(1);
    expect(typo.stderr).toBe(
      `parzen: Nothing to delete: study \`kpet\` is not in the sqlite store ${join(dir, 'kept.db')}, which holds \`kept\` (did you mean \`kept\`?).`,
    );
    const unnamed = await cli('delete', '--store', spec, '--yes');
    expect(unnamed.code).toBe(2);
    expect(unnamed.stderr).toBe(
      `parzen: --store without a config needs --study NAME, the study to delete (\`parzen studies --store ${spec}\` lists the store's studies).`,
    );
    const deleted = await cli('delete', '--store', spec, '--study', 'kept', '--yes');
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stdout).toBe('');
    expect(deleted.stderr).toBe(
      `Deleted study kept from SQLite database ${join(dir, 'kept.db')}: 3 trials (3 complete, 0 pruned, 0 failed, 0 running).`,
    );
    expect((await cli('studies', '--store', spec)).stdout).toBe('The store holds no study yet.');
    // A store file that is not there is not made.
    const missing = await cli('delete', '--store', `sqlite:${join(dir, 'none.db')}`, '--study', 'kept', '--yes');
    expect(missing.code).toBe(1);
    expect(existsSync(join(dir, 'none.db'))).toBe(false);
  });

  it('refuses a study a live worker runs (STUDY_IN_RUN, exit 1, naming it) unless --force; nothing deleted meanwhile', async () => {
    const path = config('busy', 'busy', { use: 'jsonl', options: { path: './busy.jsonl' } });
    expect((await cli('run', path, '--quiet')).code).toBe(0);
    // A worker on another host whose lease has not lapsed.
    const worker = createJsonlStore({ path: join(dir, 'busy.jsonl') });
    await worker.createTrial('busy', {
      lease: {
        owner: 'gpu-7:4242:0b7c4f52-9d3e-4c1a-8f6e-2a5b7c9d1e3f',
        expiresAt: new Date(Date.now() + 600_000).toISOString(),
      },
    });
    const refused = await atTerminal('y', 'delete', path);
    expect(refused.code).toBe(1);
    expect(refused.asked).toEqual([]);
    // (The seconds left as the clock had them.)
    expect(refused.stderr.replace(/runs \d+ s more/, 'runs 600 s more')).toBe(
      `parzen: ${path}: Study \`busy\` was not deleted: a worker is running its trial #3 (the process 4242 on host gpu-7, whose lease runs 600 s more; this host cannot see that process). Stop it first (or wait for the run to end; a worker on another host counts as gone once its lease lapses, and the deletion then goes through), or delete it anyway with --force: each such worker then stops at its next call to the store, the results of its running trials not recorded (a run keeps them in its rescue file).`,
    );
    expect(await studiesIn(path)).toEqual(['busy']);
    const forced = await cli('delete', path, '--force', '--yes');
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stderr).toContain('4 trials (3 complete, 0 pruned, 0 failed, 1 running)');
    // The worker's next call says the study was deleted; it writes nothing.
    await expect(worker.finishTrial('busy', 3, { state: 'complete', loss: 1 })).rejects.toMatchObject({
      code: 'STUDY_NOT_FOUND',
      message: expect.stringContaining('Study `busy` was deleted from the store'),
    });
    await worker.close();
    expect(readFileSync(join(dir, 'busy.jsonl'), 'utf8').trimEnd().split('\n').at(-1)).toBe(
      '{"op":"delete","study":"busy"}',
    );
  });

  it("picks a matrix config's study with --study, and asks for it otherwise", async () => {
    const path = writeIn(dir, 'matrix.json', {
      name: 'm',
      seed: 1,
      space: { x: { type: 'uniform', low: 0, high: 1 } },
      objective: { use: 'module', options: { path: './one.mjs', isolate: 'none' } },
      suggester: { use: 'random' },
      store: { use: 'jsonl', options: { path: './matrix.jsonl' } },
      budget: { maxTrials: 2 },
      matrix: { seed: [1, 2] },
    });
    expect((await cli('run', path, '--quiet')).code).toBe(0);
    const names = await studiesIn(path);
    expect(names).toHaveLength(2);
    const unpicked = await cli('delete', path, '--yes');
    expect(unpicked.code).toBe(2);
    expect(unpicked.stderr).toBe(
      `parzen: ${path} describes 2 studies (${names.join(', ')}): pick the one to delete with --study NAME.`,
    );
    const picked = await cli('delete', path, '--study', names[0] as string, '--yes');
    expect(picked.code, picked.stderr).toBe(0);
    expect(await studiesIn(path)).toEqual([names[1]]);
  });
});
