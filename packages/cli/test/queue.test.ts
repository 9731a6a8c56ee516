import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createRandomSuggester } from '@parzen/algo-random';
import { type SpaceDefinition, Study } from '@parzen/engine';
import { createJsonlStore } from '@parzen/store-file';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir, writeIn } from './cli-harness.js';
import { cli } from './cli-in-process.js';

let dir: string;
beforeAll(() => {
  dir = tempDir('parzen-queue-');
  writeIn(dir, 'one.mjs', 'export default ({ x }) => x;\n');
});

const space: SpaceDefinition = {
  x: { type: 'uniform', low: 0, high: 1 },
  model: { type: 'choice', options: ['svm', 'tree'] },
};

const config = (name: string, file: string, extra: Record<string, unknown> = {}) =>
  writeIn(dir, `${file}.json`, {
    name,
    seed: 1,
    space,
    objective: { use: 'module', options: { path: './one.mjs', isolate: 'none' } },
    suggester: { use: 'random' },
    store: { use: 'jsonl', options: { path: `./${name}.jsonl` } },
    budget: { maxTrials: 1 },
    ...extra,
  });

const lines = (text: string) => text.trimEnd().split('\n');

/** The arguments a shell passes on of a command line `parzen ...` as printed (its quoting undone), `parzen` left out. */
const pasted = (command: string): string[] =>
  execFileSync('bash', ['-c', `printf '%s\\0' ${command}`], { encoding: 'utf8' })
    .split('\0')
    .slice(1, -1);

// An entry taken out of a config's `enqueue` list (or queued by mistake) waited in the study's queue and ran first at
// every resume, with no way to take it out.
describe('parzen queue', () => {
  it('a run whose budget ends before its enqueued entries says how many wait and how to run them (trial 165)', async () => {
    const path = config('left', 'left', { enqueue: [{ x: 0.1 }, { x: 0.2 }, { x: 0.3 }], budget: { maxTrials: 2 } });
    const run = await cli('run', path, '--quiet');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(
      `1 enqueued entry did not run and waits in the queue (\`parzen queue ${path}\` lists it): --more-trials N runs N more, the enqueued entry waiting first.`,
    );
    const json = await cli('run', path, '--json', '--more-trials', '1');
    expect(JSON.parse(json.stdout)).not.toHaveProperty('waitingEntries');
    const more = config('left2', 'left2', { enqueue: [{ x: 0.1 }, { x: 0.2 }, { x: 0.3 }], budget: { maxTrials: 1 } });
    expect(JSON.parse((await cli('run', more, '--json')).stdout)).toMatchObject({ waitingEntries: 2 });
  });

  it('a run stopped by Ctrl-C says the entries it left waiting: the first Ctrl-C cuts no trial short, so nothing else did', async () => {
    // The objective asks for the stop in its first trial (a Ctrl-C while it runs): the run lets it finish, then stops.
    writeIn(dir, 'stops.mjs', "export default ({ x }) => { process.emit('SIGINT', 'SIGINT'); return x; };\n");
    const path = config('stopped', 'stopped', {
      objective: { use: 'module', options: { path: './stops.mjs', isolate: 'none' } },
      enqueue: [{ x: 0.1 }, { x: 0.2 }, { x: 0.3 }],
      budget: { maxTrials: 5 },
    });
    const run = await cli('run', path, '--quiet');
    expect(run.code, run.stderr).toBe(130);
    expect(run.stdout).toMatch(/^Study stopped stopped \(interrupted\): 1 complete, 0 failed /);
    expect(run.stdout).not.toContain('cut short');
    expect(run.stdout).toContain(
      `2 enqueued entries did not run and wait in the queue (\`parzen queue ${path}\` lists them): the next run runs them first.`,
    );
    // Review 179: stopped in its budget's last trial, the next run of the same config runs nothing: said as a run
    // that reached its budget says it.
    const last = config('stoppedlast', 'stoppedlast', {
      objective: { use: 'module', options: { path: './stops.mjs', isolate: 'none' } },
      enqueue: [{ x: 0.1 }, { x: 0.2 }, { x: 0.3 }],
      budget: { maxTrials: 1 },
    });
    const atLimit = await cli('run', last, '--quiet');
    expect(atLimit.code, atLimit.stderr).toBe(130);
    expect(atLimit.stdout).toContain(
      `2 enqueued entries did not run and wait in the queue (\`parzen queue ${last}\` lists them): --more-trials N runs N more, the 2 enqueued entries waiting first.`,
    );
  });

  it("the suggested `parzen queue` keeps the run's --store, quoted for the shell (review 155)", async () => {
    const path = config('elsewhere', 'elsewhere', { enqueue: [{ x: 0.1 }, { x: 0.2 }], budget: { maxTrials: 1 } });
    const store = `jsonl:${join(dir, 'other place.parzen.jsonl')}`;
    const run = await cli('run', path, '--quiet', '--store', store);
    expect(run.code, run.stderr).toBe(0);
    const command = /\(`parzen (queue [^`]*)` lists it\)/.exec(run.stdout)?.[1];
    expect(command, run.stdout).toBe(`queue ${path} --store '${store}'`);
    const listed = await cli(...pasted(`parzen ${command}`));
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain('study elsewhere: 1 entry waits');
  });

  it("a memory store's run says its unrun entries are gone, not that they wait in a queue (review 155)", async () => {
    const path = config('mem', 'mem', {
      enqueue: [{ x: 0.1 }, { x: 0.2 }, { x: 0.3 }],
      budget: { maxTrials: 2 },
      store: { use: 'memory' },
    });
    const run = await cli('run', path, '--quiet');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(
      '1 enqueued entry did not run, and is gone with the study (its memory store keeps nothing after the run): a run with a higher budget.maxTrials (--max-trials) runs it.',
    );
    expect(run.stdout).not.toContain('parzen queue');
    // Nothing waits in a queue after the run: --json leaves waitingEntries out, as for a run that left none.
    const json = await cli('run', path, '--json');
    expect(JSON.parse(json.stdout)).not.toHaveProperty('waitingEntries');
    expect(json.stderr).toContain('1 enqueued entry did not run, and is gone');
  });

  it('lists the waiting entries with their keys, marking those the config no longer lists; --remove-unlisted takes those out', async () => {
    const first = config('q', 'q-first', { enqueue: [{ x: 0.5 }, { x: 0.2, model: 'tree' }, { x: 0.7 }] });
    expect((await cli('run', first, '--quiet')).code).toBe(0); // runs {x: 0.5}
    // Entries a script queued, with a key of its own and without one: no config lists them, and
    // --remove-unlisted leaves them (review 151: nothing pinned it).
    const store = createJsonlStore({ path: join(dir, 'q.jsonl') });
    const study = await Study.open({ name: 'q', seed: 1, space, suggester: createRandomSuggester(), store });
    await study.enqueue({ x: 0.9, model: 'svm' }, { key: 'lr-0' });
    await study.enqueue({ x: 0.25 });
    await store.close();
    const edited = config('q', 'q-edited', { enqueue: [{ x: 0.5 }, { x: 0.7 }] });
    const listed = await cli('queue', edited);
    expect(listed.code, listed.stderr).toBe(0);
    expect(lines(listed.stdout)).toEqual([
      'study q: 4 entries wait, handed out in this order:',
      '#  params                    key',
      `1  {"x":0.2,"model":"tree"}  'enqueue:{"model":"tree","x":0.2}#0'  not in ${edited}'s enqueue list`,
      `2  {"x":0.7}                 'enqueue:{"x":0.7}#0'`,
      '3  {"x":0.9,"model":"svm"}   lr-0',
      '4  {"x":0.25}',
      `Take one out by its key, in the quotes shown: \`parzen queue ${edited} --remove 'enqueue:{"model":"tree","x":0.2}#0'\`; those the config no longer lists, all at once, with --remove-unlisted.`,
      `An entry without a key, by its params (every waiting entry with exactly these): \`parzen queue ${edited} --remove-params '{"x":0.25}'\`.`,
    ]);
    const removed = await cli('queue', edited, '--remove-unlisted', '--json');
    expect(removed.code, removed.stderr).toBe(0);
    expect(JSON.parse(lines(removed.stdout).at(-1) as string)).toEqual({
      study: 'q',
      // Every key always there: `key` null for an entry queued without one, `unlisted` true or false.
      waiting: [
        { params: { x: 0.7 }, key: 'enqueue:{"x":0.7}#0', unlisted: false },
        { params: { x: 0.9, model: 'svm' }, key: 'lr-0', unlisted: false },
        { params: { x: 0.25 }, key: null, unlisted: false },
      ],
      removed: [{ params: { x: 0.2, model: 'tree' }, key: 'enqueue:{"model":"tree","x":0.2}#0', unlisted: true }],
      unqueued: [],
    });
    expect(removed.stderr).toContain('Removed 1 entry from the queue of study q: {"x":0.2,"model":"tree"}');
    // Nothing more to take out, said; the next run runs the entry still listed, not the removed one.
    const again = await cli('queue', edited, '--remove-unlisted');
    expect(again.stdout).toContain('no waiting entry is one an earlier config queued');
    expect((await cli('run', edited, '--quiet', '--max-trials', '3')).code).toBe(0);
    const trials = await cli('trials', edited, '--json');
    expect(
      (JSON.parse(trials.stdout) as { params: { x: number } }[]).map((trial) => trial.params.x).slice(0, 3),
    ).toEqual([0.5, 0.7, 0.9]);
    // Its key stays queued: the first config, which still lists it, does not queue it again.
    expect((await cli('run', first, '--quiet', '--max-trials', '5')).code).toBe(0);
    const after = await cli('trials', first, '--json');
    expect((JSON.parse(after.stdout) as { params: { x: number } }[]).some((trial) => trial.params.x === 0.2)).toBe(
      false,
    );
  });

  it('--remove KEY takes out the entry of that key, on a SQLite store too, and notes a config that still lists it', async () => {
    const path = config('sq', 'sq', {
      store: { use: 'sqlite', options: { path: './sq.db' } },
      enqueue: [{ x: 0.1 }, { x: 0.3 }],
      budget: { maxTrials: 1 },
    });
    expect((await cli('run', path, '--quiet')).code).toBe(0);
    const removed = await cli('queue', path, '--remove', 'enqueue:{"x":0.3}#0');
    expect(removed.code, removed.stderr).toBe(0);
    expect(lines(removed.stdout)).toEqual([
      `Removed 1 entry from the queue of study sq: {"x":0.3} (key 'enqueue:{"x":0.3}#0').`,
      'study sq: no enqueued entry waits.',
    ]);
    expect(removed.stderr).toContain(
      `parzen: note: ${path}'s enqueue list still has {"x":0.3}: a run of it does not queue it again (its key stays queued); take it out of the list too.`,
    );
    // Review 151: validate counted the removed entry as not yet run, though no run runs it.
    expect((await cli('validate', path)).stdout).toContain(
      ', 2 enqueued trials (1 already ran in study sq, 1 removed from its queue: no run runs it)',
    );
    expect((await cli('run', path, '--quiet', '--max-trials', '2')).code).toBe(0);
    const trials = JSON.parse((await cli('trials', path, '--json')).stdout) as { params: { x: number } }[];
    expect(trials.map((trial) => trial.params.x)).not.toContain(0.3);
  });

  // Review 151: every config key has double quotes (and a comma past one param), so a key pasted as the listing showed
  // it never worked in bash (its quotes taken, or split in two by brace expansion); an entry without a key could not be
  // taken out at all.
  it("the listing's commands work pasted into a shell: a key in its quotes, an entry without a key by its params", async () => {
    const path = config('paste', 'paste', { enqueue: [{ x: 0.1 }, { x: 0.2, model: 'tree' }, { x: 0.7 }] });
    expect((await cli('run', path, '--quiet')).code).toBe(0); // runs {x: 0.1}
    const store = createJsonlStore({ path: join(dir, 'paste.jsonl') });
    const study = await Study.open({ name: 'paste', seed: 1, space, suggester: createRandomSuggester(), store });
    await study.enqueue({ x: 0.9 }, { key: "it's mine" });
    await study.enqueue({ x: 0.25 });
    await study.enqueue({ x: 0.25 });
    await store.close();
    const listed = lines((await cli('queue', path)).stdout);
    expect(listed.slice(2, 6)).toEqual([
      `1  {"x":0.2,"model":"tree"}  'enqueue:{"model":"tree","x":0.2}#0'`,
      `2  {"x":0.7}                 'enqueue:{"x":0.7}#0'`,
      `3  {"x":0.9}                 'it'\\''s mine'`,
      '4  {"x":0.25}',
    ]);
    // As the shell passes them on: the key with a comma, and the params of the entries without a key.
    const hints = listed.flatMap((line) => /`(parzen queue [^`]*)`/.exec(line)?.[1] ?? []);
    expect(hints).toHaveLength(2);
    for (const hint of hints) expect((await cli(...pasted(hint))).code).toBe(0);
    // The code key, pasted from the table's cell.
    const row = listed[4] ?? '';
    const removed = await cli(...pasted(`parzen queue ${path} --remove ${row.slice(row.indexOf("'"))}`));
    expect(removed.stdout).toContain(`Removed 1 entry from the queue of study paste: {"x":0.9} (key 'it'\\''s mine').`);
    expect((await cli('queue', path, '--json')).stdout).toBe(
      JSON.stringify({
        study: 'paste',
        waiting: [{ params: { x: 0.7 }, key: 'enqueue:{"x":0.7}#0', unlisted: false }],
        removed: [],
        unqueued: [],
      }),
    );
    expect((await cli('validate', path)).stdout).toContain(
      ', 3 enqueued trials, 1 not yet run (1 already ran in study paste, 1 removed from its queue: no run runs it)',
    );
  });

  it('says what the shell did to a key given without quotes, and refuses params that are no JSON; nothing is removed (exit 2)', async () => {
    const path = config('bare', 'bare', { enqueue: [{ x: 0.1 }, { x: 0.2, model: 'tree' }, { x: 0.7 }] });
    expect((await cli('run', path, '--quiet')).code).toBe(0);
    const quotesTaken = await cli(...pasted(`parzen queue ${path} --remove enqueue:{"x":0.7}#0`));
    expect(quotesTaken.code).toBe(2);
    expect(quotesTaken.stderr).toContain(
      `--remove enqueue:{x:0.7}#0: no entry waits with this key; did you mean 'enqueue:{"x":0.7}#0'? The shell took the key's double quotes: give it in single quotes, as \`parzen queue\` shows it.`,
    );
    const split = await cli(...pasted(`parzen queue ${path} --remove enqueue:{"model":"tree","x":0.2}#0`));
    expect(split.code).toBe(2);
    expect(split.stderr).toContain(
      'the shell split a key given without quotes (at the comma between its braces): `enqueue:model:tree#0`, `enqueue:x:0.2#0` are its pieces.',
    );
    // With the config given after the flag, the second piece is where the config goes.
    const first = await cli(...pasted(`parzen queue --remove enqueue:{"model":"tree","x":0.2}#0 ${path}`));
    expect(first.code).toBe(2);
    expect(first.stderr).toContain('`enqueue:model:tree#0`, `enqueue:x:0.2#0` are its pieces.');
    const stray = await cli('queue', path, 'other.json');
    expect(stray.code).toBe(2);
    expect(stray.stderr).toContain('queue takes one config, and got `other.json` besides.');
    // Trial 160: a key with a space pasted bare, with --store: its rest was "no such config file".
    const spaced = await cli(
      'queue',
      '--store',
      `jsonl:${join(dir, 'bare.parzen.jsonl')}`,
      '--remove',
      'quarter,',
      'adam?',
    );
    expect(spaced.code).toBe(2);
    expect(spaced.stderr).toContain(
      'queue takes one config (or none, with --store), and got `adam?` besides. If that is the rest of a key the shell split at a space, give the key in single quotes',
    );
    const notJson = await cli(...pasted(`parzen queue ${path} --remove-params {"x":0.7}`));
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toContain(`--remove-params {x:0.7}: not JSON.`);
    const notInSpace = await cli('queue', path, '--remove-params', '{"y":0.7}');
    expect(notInSpace.code).toBe(2);
    expect(notInSpace.stderr).toContain('--remove-params {"y":0.7}: no entry of study bare can have these params:');
    expect((await cli('queue', path, '--json')).stdout).toContain('"waiting":[{"params":{"x":0.2,"model":"tree"}');
  });

  it('refuses a key that is not waiting, naming the trial that ran it; nothing is removed (exit 2)', async () => {
    const path = config('taken', 'taken', { enqueue: [{ x: 0.1 }, { x: 0.3 }] });
    expect((await cli('run', path, '--quiet')).code).toBe(0);
    const refused = await cli('queue', path, '--remove', 'enqueue:{"x":0.3}#0', '--remove', 'enqueue:{"x":0.1}#0');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      'Nothing was removed from the queue of study `taken`: only entries still waiting can be removed, and this one is not:\n' +
        '  key `enqueue:{"x":0.1}#0`: trial #0 ran it (complete)',
    );
    expect((await cli('queue', path)).stdout).toContain('enqueue:{"x":0.3}#0');
  });

  // Review 151: a study made in code could not be listed or edited without a config, though `trials --store` reads it.
  it("--store alone lists and edits the store's study (--study NAME, or its only one), as trials --store reads it", async () => {
    const path = join(dir, 'code.jsonl');
    const spec = `jsonl:${path}`;
    let store = createJsonlStore({ path });
    const study = await Study.open({ name: 'code', seed: 1, space, suggester: createRandomSuggester(), store });
    await study.enqueue({ x: 0.9 }, { key: 'lr-0' });
    await study.enqueue({ x: 0.25 });
    await store.close();
    const listed = await cli('queue', '--store', spec);
    expect(listed.code, listed.stderr).toBe(0);
    expect(lines(listed.stdout)).toEqual([
      'study code: 2 entries wait, handed out in this order:',
      '#  params      key',
      '1  {"x":0.9}   lr-0',
      '2  {"x":0.25}',
      `Take one out by its key, in the quotes shown: \`parzen queue --store ${spec} --remove lr-0\`.`,
      `An entry without a key, by its params (every waiting entry with exactly these): \`parzen queue --store ${spec} --remove-params '{"x":0.25}'\`.`,
    ]);
    // A second study in the store: --study picks one.
    store = createJsonlStore({ path });
    await Study.open({ name: 'other', seed: 1, space, suggester: createRandomSuggester(), store });
    await store.close();
    const several = await cli('queue', '--store', spec);
    expect(several.code).toBe(2);
    expect(several.stderr).toContain('The store holds 2 studies (code, other); pick one with --study NAME.');
    const args = ['queue', '--store', spec, '--study', 'code'];
    const removed = await cli(...args, '--remove', 'lr-0', '--remove-params', '{"x":0.25}', '--json');
    expect(removed.code, removed.stderr).toBe(0);
    expect(JSON.parse(lines(removed.stdout).at(-1) as string)).toEqual({
      study: 'code',
      waiting: [],
      removed: [
        { params: { x: 0.9 }, key: 'lr-0', unlisted: false },
        { params: { x: 0.25 }, key: null, unlisted: false },
      ],
    });
    const unlisted = await cli(...args, '--remove-unlisted');
    expect(unlisted.code).toBe(2);
    expect(unlisted.stderr).toContain(
      "--remove-unlisted takes out the entries an earlier config queued that a config's enqueue list no longer has: give that config",
    );
    const nothing = await cli('queue');
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain('Give a config, or --store SPEC');
  });

  it('creates nothing for a study not run yet (STUDY_NOT_FOUND, exit 1)', async () => {
    const path = config('never', 'never', { enqueue: [{ x: 0.1 }] });
    const result = await cli('queue', path, '--remove-unlisted');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`No queue to list: study \`never\` is not in its jsonl store`);
    // Trial 162: the config's entries went unsaid before the first run.
    expect(result.stderr).toContain(
      `${path} lists 1 entry to enqueue: a run of it queues it when it starts, to run before any sampled trial.`,
    );
    expect(existsSync(join(dir, 'never.jsonl'))).toBe(false);
  });

  // Trial 162: a study made by `parzen import`, before its first run: "no enqueued entry waits", though the config
  // lists two that the run queues first.
  it("says the config's entries the store has not queued yet, which a run of it queues when it starts", async () => {
    const path = config('imp', 'imp', { enqueue: [{ x: 0.1 }, { x: 0.3, model: 'tree' }] });
    const csv = writeIn(dir, 'imp.csv', 'x,model,loss\n0.5,svm,0.5\n');
    expect((await cli('import', path, csv)).code).toBe(0);
    const before = await cli('queue', path);
    expect(before.code, before.stderr).toBe(0);
    expect(lines(before.stdout)).toEqual([
      `study imp: no enqueued entry waits; ${path} lists 2 entries not queued yet: a run of it queues them when it starts ({"x":0.1}, {"x":0.3,"model":"tree"}).`,
    ]);
    const json = await cli('queue', path, '--json');
    expect(JSON.parse(json.stdout)).toMatchObject({
      waiting: [],
      unqueued: [{ params: { x: 0.1 }, key: 'enqueue:{"x":0.1}#0' }, { params: { x: 0.3, model: 'tree' } }],
    });
    // Once a run queued them, they wait (or ran); an entry added to the list since is said after those waiting.
    expect((await cli('run', path, '--quiet', '--max-trials', '2')).code).toBe(0);
    const edited = config('imp', 'imp-more', { enqueue: [{ x: 0.1 }, { x: 0.3, model: 'tree' }, { x: 0.9 }] });
    const after = await cli('queue', edited);
    expect(lines(after.stdout)[0]).toBe('study imp: 1 entry waits, handed out in this order:');
    expect(lines(after.stdout).at(-1)).toBe(
      `Also, ${edited} lists 1 entry not queued yet: a run of it queues it when it starts ({"x":0.9}), after those waiting.`,
    );
  });
});
