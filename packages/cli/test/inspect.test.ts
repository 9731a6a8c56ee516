import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { createRandomSuggester } from '@parzen/algo-random';
import { createTpeSuggester } from '@parzen/algo-tpe';
import { fmin, type SpaceDefinition, Study, type TrialStore } from '@parzen/engine';
import { createJsonlStore } from '@parzen/store-file';
import { createSqliteStore } from '@parzen/store-sqlite';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Output } from '../src/output.js';
import { runCli } from '../src/program.js';
import { tempDir, writeIn } from './cli-harness.js';
import { cli } from './cli-in-process.js';

const space = {
  x: { type: 'uniform', low: 0, high: 1 },
  model: { type: 'choice', options: ['svm', 'tree', 'knn'] },
} as const satisfies SpaceDefinition;

/** Fills a store with a study of `trials` trials whose loss is x, in-process. */
const fill = async (store: TrialStore, name: string, trials: number) => {
  await fmin({
    name,
    space,
    objective: ({ x }) => x,
    suggester: createRandomSuggester(),
    maxTrials: trials,
    store,
    seed: 3,
  });
  await store.close();
};

let dir: string;
let journal: string;
let database: string;
beforeAll(async () => {
  dir = tempDir('parzen-inspect-');
  journal = join(dir, 'studies.parzen.jsonl');
  database = join(dir, 'studies.parzen.db');
  await fill(createJsonlStore({ path: journal }), 'first', 4);
  await fill(createJsonlStore({ path: journal }), 'second', 2);
  await fill(createSqliteStore({ path: database }), 'only', 3);
  // Code that must not run when a study is only inspected.
  writeIn(
    dir,
    'evil-plugin.mjs',
    "import { writeFileSync } from 'node:fs';\nwriteFileSync(new URL('./plugin-ran', import.meta.url), 'x');\nexport const manifests = [];\n",
  );
  writeIn(
    dir,
    'evil-objective.mjs',
    "import { writeFileSync } from 'node:fs';\nwriteFileSync(new URL('./objective-ran', import.meta.url), 'x');\nexport default () => 1;\n",
  );
});

const config = (name: string, extra: Record<string, unknown> = {}) =>
  writeIn(dir, `${name}.json`, {
    name,
    space,
    objective: { use: 'module', options: { path: './evil-objective.mjs' } },
    store: { use: 'jsonl', options: { path: './studies.parzen.jsonl' } },
    budget: { maxTrials: 4 },
    ...extra,
  });

describe('trials and best of several configs (trial 121: one config only, a batch listed study by study)', () => {
  it('lists the studies together, each row with its study; --top and best per study', async () => {
    const first = config('first');
    const only = config('only', { store: { use: 'sqlite', options: { path: './studies.parzen.db' } } });
    const listed = await cli('trials', first, only, '--json');
    expect(listed.code, listed.stderr).toBe(0);
    const rows = JSON.parse(listed.stdout) as { study: string; number: number }[];
    expect(rows.map(({ study, number }) => `${study}#${number}`)).toEqual([
      'first#0',
      'first#1',
      'first#2',
      'first#3',
      'only#0',
      'only#1',
      'only#2',
    ]);
    const top = await cli('trials', first, only, '--top', '1', '--csv');
    expect(
      top.stdout
        .trim()
        .split('\n')
        .slice(1)
        .map((line) => line.split(',')[0]),
    ).toEqual(['first', 'only']);
    const table = await cli('trials', first, only);
    expect(table.stdout.split('\n')[0]).toMatch(/^study\s+#/);
    const best = await cli('best', first, only, '--json');
    expect(best.code, best.stderr).toBe(0);
    expect((JSON.parse(best.stdout) as { study: string }[]).map(({ study }) => study)).toEqual(['first', 'only']);
    // A config whose study is another's (the same store and name) adds no rows twice.
    const again = writeIn(dir, 'first-again.json', JSON.parse(readFileSync(first, 'utf8')));
    const once = await cli('trials', first, again, '--json');
    expect((JSON.parse(once.stdout) as unknown[]).length).toBe(4);
  });

  it('leaves out a config whose study has not run (said), and refuses one name in two stores (review 128)', async () => {
    const first = config('first');
    const never = config('never');
    const listed = await cli('trials', first, never, '--json');
    expect(listed.code, listed.stderr).toBe(0);
    expect((JSON.parse(listed.stdout) as { study: string }[]).every(({ study }) => study === 'first')).toBe(true);
    expect(listed.stderr).toBe(
      `parzen: ${never}: Study \`never\` is not in its jsonl store ${journal}, which holds \`first\`, \`second\`; \`parzen run ${never}\` starts it. Left out; the other configs' studies are shown.`,
    );
    // A memory store's config says why, as it does alone.
    const memory = await cli('trials', first, config('in-memory', { store: { use: 'memory' } }), '--json');
    expect(memory.code, memory.stderr).toBe(0);
    expect(memory.stderr).toContain('is not there: its memory store keeps nothing after its run');
    const best = await cli('best', never, first, '--json');
    expect((JSON.parse(best.stdout) as { study: string }[]).map(({ study }) => study)).toEqual(['first']);
    // None run: the first one's error, as for one config.
    const none = await cli('trials', never, config('nor'));
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('Nothing to list: study `never` is not in its jsonl store');
    // A copy of the journal holds a study `first` too: two stores, refused, naming both files (review 128: dropped
    // unsaid; review 130: compared by content, a run writing between the two reads refused one file).
    writeFileSync(join(dir, 'copy.parzen.jsonl'), readFileSync(journal));
    const copy = writeIn(dir, 'first-copy.json', {
      ...(JSON.parse(readFileSync(first, 'utf8')) as object),
      store: { use: 'jsonl', options: { path: './copy.parzen.jsonl' } },
    });
    const two = await cli('trials', first, copy);
    expect(two.code).toBe(2);
    expect(two.stderr).toContain(
      `${first} (${realpathSync(journal)}) and ${copy} (${realpathSync(join(dir, 'copy.parzen.jsonl'))}) both name a study first, in different stores`,
    );
    // The journal through a symbolic link (another option too): one store, listed once (review 129: refused).
    symlinkSync(journal, join(dir, 'linked.parzen.jsonl'));
    const linked = writeIn(dir, 'first-linked.json', {
      ...(JSON.parse(readFileSync(first, 'utf8')) as object),
      store: { use: 'jsonl', options: { path: './linked.parzen.jsonl', fsync: 'always' } },
    });
    const throughLink = await cli('trials', first, linked, '--json');
    expect(throughLink.code, throughLink.stderr).toBe(0);
    expect((JSON.parse(throughLink.stdout) as unknown[]).length).toBe(4);
    // A bare `jsonl` store is its default file, `<study>.parzen.jsonl`: the same file named is the same store.
    writeFileSync(join(dir, 'second.parzen.jsonl'), readFileSync(journal));
    const bare = writeIn(dir, 'second-bare.json', {
      ...(JSON.parse(readFileSync(config('second'), 'utf8')) as object),
      store: { use: 'jsonl' },
    });
    const byName = writeIn(dir, 'second-named.json', {
      ...(JSON.parse(readFileSync(config('second'), 'utf8')) as object),
      store: { use: 'jsonl', options: { path: './second.parzen.jsonl' } },
    });
    const named = await cli('trials', bare, byName, '--json');
    expect(named.code, named.stderr).toBe(0);
    expect((JSON.parse(named.stdout) as { study: string }[]).map(({ study }) => study)).toEqual(['second', 'second']);
    // The same store by another path is the same study: listed once.
    const sub = join(dir, 'sub');
    mkdirSync(sub, { recursive: true });
    const again = writeIn(sub, 'first.json', {
      ...(JSON.parse(readFileSync(first, 'utf8')) as object),
      store: { use: 'jsonl', options: { path: '../studies.parzen.jsonl' } },
    });
    const once = await cli('trials', first, again, '--json');
    expect(once.code, once.stderr).toBe(0);
    expect((JSON.parse(once.stdout) as unknown[]).length).toBe(4);
  });

  it('refuses a config given twice, and --study with several configs; names a bad one', async () => {
    const first = config('first');
    const twice = await cli('trials', first, `${dir}/./first.json`);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('is given twice: give each config once.');
    const study = await cli('best', first, config('second'), '--study', 'second');
    expect(study.code).toBe(2);
    expect(study.stderr).toContain(
      "--study picks one study of a config's store (or of --store's): give one config with it, not 2.",
    );
    const missing = await cli('trials', first, join(dir, 'nowhere.json'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nowhere.json: no such config file');
    expect(missing.stdout).toBe('');
  });
});

describe('the store keeps the study space; inspection reads it (issue 9, defect 5)', () => {
  it('decodes choices with the stored space and warns when the config describes another', async () => {
    const reordered = { ...space, model: { type: 'choice', options: ['knn', 'svm'] } };
    const path = config('first', { space: reordered });
    const result = await cli('trials', path, '--json');
    expect(result.code, result.stderr).toBe(0);
    const rows = JSON.parse(result.stdout) as { params: { model: unknown } }[];
    expect(rows).toHaveLength(4);
    for (const row of rows) expect(['svm', 'tree', 'knn']).toContain(row.params.model);
    expect(result.stderr).toMatch(/warning: study first was run with another space than .*first\.json describes now/);
  });

  it("warns when the config flips the direction: best is the stored direction's (trial 50: said nothing)", async () => {
    const path = config('first', { direction: 'maximize' });
    const best = await cli('best', path, '--json');
    expect(best.code, best.stderr).toBe(0);
    expect(best.stderr).toContain(
      `parzen: warning: study first was created to minimize; ${path} says maximize now. Its best and ranks are by the stored direction (minimize).`,
    );
    const same = await cli('best', config('first'), '--json');
    expect(same.stderr).not.toContain('was created to');
    // Another config's --study: it says nothing of that study (review 53).
    const other = await cli('best', config('second', { direction: 'maximize' }), '--study', 'first', '--json');
    expect(other.code, other.stderr).toBe(0);
    expect(other.stderr).not.toContain('was created to');
  });

  it('reads one store for a config reached through a linked folder (trial 52: a second, empty study beside the link)', async () => {
    const project = join(dir, 'linked-project');
    mkdirSync(join(project, 'cfg'), { recursive: true });
    writeFileSync(join(project, 'cfg', 'obj.mjs'), 'export default (p) => p.x * p.x;\n');
    const path = join(project, 'cfg', 'c.json');
    writeFileSync(
      path,
      JSON.stringify({
        name: 'linked',
        space: { x: { type: 'uniform', low: -1, high: 1 } },
        objective: { use: 'module', options: { path: './obj.mjs' } },
        store: { use: 'sqlite', options: { path: '../stores/s.db' } },
        budget: { maxTrials: 3 },
      }),
    );
    symlinkSync(join(project, 'cfg'), join(dir, 'link'));
    expect((await cli('run', path, '--quiet')).code).toBe(0);
    const through = await cli('run', join(dir, 'link', 'c.json'), '--more-trials', '2', '--quiet');
    expect(through.code, through.stderr).toBe(0);
    const listed = JSON.parse((await cli('trials', join(dir, 'link', 'c.json'), '--json')).stdout) as unknown[];
    expect(listed).toHaveLength(5);
    expect(existsSync(join(project, 'stores', 's.db'))).toBe(true);
    expect(existsSync(join(dir, 'stores'))).toBe(false);
    // A linked config file too (review 54): its paths are its real folder's.
    mkdirSync(join(dir, 'elsewhere'), { recursive: true });
    symlinkSync(path, join(dir, 'elsewhere', 'c.json'));
    const linkedFile = await cli('trials', join(dir, 'elsewhere', 'c.json'), '--json');
    expect(linkedFile.code, linkedFile.stderr).toBe(0);
    expect(JSON.parse(linkedFile.stdout) as unknown[]).toHaveLength(5);
  });

  it('refuses a store that is not there when the one beside the link is: where builds before 2026-12-03 kept it (trial 63: run started over)', async () => {
    const project = join(dir, 'upgraded');
    mkdirSync(join(project, 'repo'), { recursive: true });
    mkdirSync(join(project, 'exp'), { recursive: true });
    writeFileSync(join(project, 'repo', 'obj.mjs'), 'export default (p) => p.x * p.x;\n');
    writeFileSync(
      join(project, 'repo', 'up.json'),
      JSON.stringify({
        name: 'up',
        space: { x: { type: 'uniform', low: -1, high: 1 } },
        objective: { use: 'module', options: { path: './obj.mjs' } },
        budget: { maxTrials: 3 },
      }),
    );
    // The journal an earlier build wrote beside the link (the default name, read from the link's folder).
    const earlier = join(project, 'exp', 'up.parzen.jsonl');
    expect((await cli('run', join(project, 'repo', 'up.json'), '--quiet', '--store', `jsonl:${earlier}`)).code).toBe(0);
    symlinkSync(join(project, 'repo', 'up.json'), join(project, 'exp', 'up.json'));
    for (const command of ['run', 'trials']) {
      const refused = await cli(command, join(project, 'exp', 'up.json'));
      expect(refused.code, refused.stderr).toBe(2);
      expect(refused.stderr).toContain(`but ${realpathSync(earlier)} is`);
      expect(refused.stderr).toContain(`--store jsonl:${realpathSync(earlier)}`);
    }
    // A bare `--store jsonl` is the same file beside the config (review 67: any --store skipped the check).
    const bare = await cli('run', join(project, 'exp', 'up.json'), '--store', 'jsonl', '--quiet');
    expect(bare.code, bare.stderr).toBe(2);
    expect(bare.stderr).toContain(`but ${realpathSync(earlier)} is`);
    expect(existsSync(join(project, 'repo', 'up.parzen.jsonl'))).toBe(false);
    // A bare `sqlite` store likewise (review 68: not looked for).
    const database = join(project, 'exp', 'up.parzen.db');
    expect((await cli('run', join(project, 'repo', 'up.json'), '--quiet', '--store', `sqlite:${database}`)).code).toBe(
      0,
    );
    const sqlite = await cli('run', join(project, 'exp', 'up.json'), '--store', 'sqlite', '--quiet');
    expect(sqlite.code, sqlite.stderr).toBe(2);
    expect(sqlite.stderr).toContain(`but ${realpathSync(database)} is`);
    expect(existsSync(join(project, 'repo', 'up.parzen.db'))).toBe(false);
    // Named, it goes on; the config read from its own folder, or with the file moved there, is as before.
    const named = await cli('trials', join(project, 'exp', 'up.json'), '--json', '--store', `jsonl:${earlier}`);
    expect(JSON.parse(named.stdout) as unknown[]).toHaveLength(3);
  });

  it('says a bad store flag of the flag, not of a config it does not have (review 53)', async () => {
    const bad = await cli('trials', '--store', 'postgres:postgres://u:hunter2@127.0.0.1:1/db');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /^parzen: --store "postgres:postgres:\/\/u:\*\*\*@127\.0\.0\.1:1\/db": expected a URL without a password/,
    );
    expect(bad.stderr).not.toContain('/store/options');
    expect(bad.stderr).not.toContain('hunter2');
  });

  it('names the studies the store holds for a --study it does not hold, with a config too (trial 48: "Run it first.")', async () => {
    const path = config('first');
    const result = await cli('trials', path, '--study', 'nope');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Nothing to list: study `nope` is not in its jsonl store .*, which holds `first`/);
    // No run of the config makes it: no command that would.
    expect(result.stderr).not.toMatch(/Run it first|parzen run/);
    // The config's own study, not run yet: running it is the way (review 51: it got the list instead).
    // With the studies it holds (trial 50: a renamed study did not show the one meant).
    const own = await cli('trials', config('notyet'));
    expect(own.stderr).toMatch(
      /Nothing to list: study `notyet` is not in its jsonl store .*, which holds `first`(, `[^`]+`)*( and \d+ more \(`parzen studies .*notyet\.json` lists them\))?; `parzen run .*notyet\.json` starts it\.$/,
    );
    // resume checks the config first, objective included: one that writes nothing here.
    writeIn(dir, 'quiet-objective.mjs', 'export default () => 1;\n');
    const resume = await cli(
      'resume',
      config('notyet', { objective: { use: 'module', options: { path: './quiet-objective.mjs' } } }),
    );
    expect(resume.code).toBe(1);
    // One sentence naming the study and its store, and the command that starts it (it was two glued: "Nothing to
    // resume: The store has no study named ...").
    const journal = join(dir, 'studies.parzen.jsonl');
    expect(resume.stderr).toMatch(
      new RegExp(
        `^parzen: .*notyet\\.json: Nothing to resume: study \`notyet\` is not in its jsonl store ${journal.replaceAll('.', '\\.')}, which holds \`first\`(, \`[^\`]+\`)*( and \\d+ more \\(\`parzen studies\` lists them\\))?; \`parzen run .*notyet\\.json\` starts it\\.$`,
      ),
    );
    expect(resume.stderr).not.toMatch(/Run it first|Start it with|The store/);
  });

  it('does not warn when the config only reorders keys of the space', async () => {
    const path = config('first', { space: { model: space.model, x: { high: 1, low: 0, type: 'uniform' } } });
    const result = await cli('trials', path, '--json');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
  });

  it('trials --csv of a study without trials still has a column per parameter of the stored space', async () => {
    const path = join(dir, 'empty.parzen.db');
    const store = createSqliteStore({ path });
    await store.openStudy({ name: 'empty', direction: 'minimize', seed: 1, space });
    await store.close();
    const result = await cli('trials', '--store', `sqlite:${path}`, '--csv');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('study,number,state,loss,x,model,error_code,error_message,started_at,finished_at');
  });

  it('works from --store alone: the only study, or --study when the store holds several', async () => {
    const only = await cli('trials', '--store', `sqlite:${database}`, '--json');
    expect(only.code, only.stderr).toBe(0);
    expect((JSON.parse(only.stdout) as { study: string }[]).map((row) => row.study)).toEqual(['only', 'only', 'only']);

    const several = await cli('trials', '--store', `jsonl:${journal}`);
    expect(several.code).toBe(2);
    expect(several.stderr).toMatch(/holds 2 studies \(first, second\); pick one with --study NAME/);

    const misspelt = await cli('best', '--store', `jsonl:${journal}`, '--study', 'secnod');
    expect(misspelt.code).toBe(1);
    expect(misspelt.stderr).toMatch(
      /No best trial to show: study `secnod` is not in the jsonl store .*, which holds `[a-z]+`, `second`/,
    );
    // With the near one (trial 62: no did-you-mean).
    expect(misspelt.stderr).toMatch(
      /`second` \(did you mean `second`\?\); `parzen run CONFIG --store jsonl:.*` starts it there, for a CONFIG whose "name" is `secnod`\./,
    );

    const picked = await cli('best', '--store', `jsonl:${journal}`, '--study', 'second', '--json');
    expect(picked.code, picked.stderr).toBe(0);
    expect(JSON.parse(picked.stdout)).toMatchObject({ study: 'second', trials: { complete: 2 } });
    expect((JSON.parse(picked.stdout) as { best: { params: { model: unknown } } }).best.params.model).toMatch(
      /svm|tree|knn/,
    );

    const unknown = await cli('trials', '--store', 'foo:bar');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(
      '--store "foo:bar": expected one of the store plugins: memory, jsonl, sqlite, postgres, found "foo" (a store plugin is known only through the "plugins" of a config given with the flag).',
    );
    expect(unknown.stderr).not.toContain('Invalid config');

    // Without a config a file store has no default file: the flag needs its path.
    const bare = await cli('trials', '--store', 'sqlite');
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('--store sqlite without a config needs the file: --store sqlite:PATH');
    expect(bare.stderr).not.toContain('inspect.parzen');

    const neither = await cli('trials');
    expect(neither.code).toBe(2);
    expect(neither.stderr).toMatch(/Give a config, or --store SPEC/);
  });
});

describe('trials --params, --state and --top: the columns and rows a wide or long study needs', () => {
  const rowsOf = async (...flags: string[]) => {
    const result = await cli('trials', '--store', `jsonl:${journal}`, '--study', 'first', '--json', ...flags);
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout) as { number: number; loss: number; params: Record<string, unknown> }[];
  };

  it('--top n lists the n best complete trials best first, --state the trials in those states', async () => {
    const all = await rowsOf();
    const best = [...all].sort((a, b) => a.loss - b.loss || a.number - b.number).slice(0, 2);
    expect((await rowsOf('--top', '2')).map(({ number }) => number)).toEqual(best.map(({ number }) => number));
    expect(await rowsOf('--top', '99')).toHaveLength(4);
    // Its table has no error column, which only complete trials would leave empty in every row.
    const table = await cli('trials', '--store', `jsonl:${journal}`, '--study', 'first', '--top', '2');
    expect(table.stdout.split('\n')[0]).toMatch(/^ *# +state +loss +\S/);
    expect(table.stdout.split('\n')[0]).not.toMatch(/error/);
    expect((await cli('trials', '--store', `jsonl:${journal}`, '--study', 'first')).stdout.split('\n')[0]).toMatch(
      /error$/,
    );
    expect(await rowsOf('--state', 'failed,pruned')).toEqual([]);
    expect((await rowsOf('--state', 'complete')).map(({ number }) => number)).toEqual([0, 1, 2, 3]);
    const clash = await cli(
      'trials',
      '--store',
      `jsonl:${journal}`,
      '--study',
      'first',
      '--state',
      'complete',
      '--top',
      '1',
    );
    expect(clash.code).toBe(2);
    const bad = await cli('trials', '--store', `jsonl:${journal}`, '--study', 'first', '--state', 'done');
    expect(bad.stderr).toContain('found "done"');
  });

  it('--top follows a maximize study, ties broken by number; an empty listing says what it left out (review 101)', async () => {
    const path = join(dir, 'max.parzen.jsonl');
    await fmin({
      name: 'max',
      direction: 'maximize',
      space: { 'a, b': { type: 'choice', options: [1, 2, 3] }, c: { type: 'uniform', low: 0, high: 1 } },
      objective: (params) => params['a, b'] as number,
      suggester: createRandomSuggester(),
      maxTrials: 8,
      store: createJsonlStore({ path }),
      seed: 5,
    });
    const listed = await cli('trials', '--store', `jsonl:${path}`, '--json', '--top', '3', '--params', 'a, b');
    expect(listed.code, listed.stderr).toBe(0);
    const rows = JSON.parse(listed.stdout) as { number: number; loss: number; params: Record<string, unknown> }[];
    const all = JSON.parse((await cli('trials', '--store', `jsonl:${path}`, '--json')).stdout) as typeof rows;
    const best = [...all].sort((a, b) => b.loss - a.loss || a.number - b.number).slice(0, 3);
    expect(rows.map(({ number }) => number)).toEqual(best.map(({ number }) => number));
    expect(rows[0]?.loss).toBe(Math.max(...all.map(({ loss }) => loss)));
    // The whole value is the parameter's name, commas and all.
    expect(rows.map(({ params }) => Object.keys(params))).toEqual([['a, b'], ['a, b'], ['a, b']]);
    const none = await cli('trials', '--store', `jsonl:${path}`, '--state', 'failed,running');
    expect(none.stdout).toBe('No failed or running trials (of 8 trials).');
  });

  it('--params keeps those columns in that order, in every format; a name the space lacks is refused', async () => {
    expect((await rowsOf('--params', 'model')).map(({ params }) => Object.keys(params))).toEqual([
      ['model'],
      ['model'],
      ['model'],
      ['model'],
    ]);
    const csv = await cli('trials', '--store', `jsonl:${journal}`, '--study', 'first', '--csv', '--params', 'model,x');
    expect(csv.stdout.split('\n')[0]).toBe(
      'study,number,state,loss,model,x,error_code,error_message,started_at,finished_at',
    );
    // Given again for each name (a name with commas): not refused as a repeated flag.
    expect((await rowsOf('--params', 'x', '--params', 'model'))[0]?.params).toEqual({
      x: expect.any(Number),
      model: expect.any(String),
    });
    const table = await cli('trials', '--store', `jsonl:${journal}`, '--study', 'first', '--params', 'model');
    expect(table.stdout.split('\n')[0]?.split(/\s+/)).toEqual(['#', 'state', 'loss', 'model', 'error']);
    const unknown = await cli('trials', '--store', `jsonl:${journal}`, '--study', 'first', '--params', 'X');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(
      '--params: "X" is not a parameter of the study\'s space (did you mean `x`?); it has `x`, `model`.',
    );
  });
});

describe('a matrix run in part (user trial 26)', () => {
  it('trials and best show the studies that ran and say which have not, instead of showing nothing', async () => {
    const path = join(dir, 'partial.parzen.jsonl');
    await fill(createJsonlStore({ path }), 'mm.seed-1', 3);
    await fill(createJsonlStore({ path }), 'mm.seed-2', 2);
    const config = writeIn(dir, 'mm.json', {
      name: 'mm',
      space,
      objective: { use: 'module', options: { path: './never-loaded.mjs' } },
      store: { use: 'jsonl', options: { path: './partial.parzen.jsonl' } },
      budget: { maxTrials: 3 },
      matrix: { seed: [1, 2, 3] },
    });
    const trials = await cli('trials', config, '--json');
    expect(trials.code, trials.stderr).toBe(0);
    const rows = JSON.parse(trials.stdout) as { study: string }[];
    expect(rows.map((row) => row.study)).toEqual(['mm.seed-1', 'mm.seed-1', 'mm.seed-1', 'mm.seed-2', 'mm.seed-2']);
    expect(trials.stderr).toContain("1 of the matrix's 3 studies has not run yet (mm.seed-3); showing the others.");
    const best = await cli('best', config, '--json');
    expect(best.code).toBe(0);
    expect((JSON.parse(best.stdout) as unknown[]).length).toBe(2);
    // One of three run: still an array (it was one object, so a script broke when the next one ran).
    const one = writeIn(dir, 'mm1.json', { ...JSON.parse(readFileSync(config, 'utf8')), matrix: { seed: [1, 7, 8] } });
    expect(JSON.parse((await cli('best', one, '--json')).stdout)).toEqual([
      expect.objectContaining({ study: 'mm.seed-1' }),
    ]);
    // None has run: still the error it was.
    const none = writeIn(dir, 'none.json', { ...JSON.parse(readFileSync(config, 'utf8')), name: 'nn' });
    const missing = await cli('trials', none);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(
      /Nothing to list: none of the 3 studies \(nn\.seed-1, nn\.seed-2, nn\.seed-3\) is in its jsonl store .*; `parzen run .*none\.json` starts them\./,
    );
  });

  it('names the first few of the studies not run yet, and how many more, as validate folds a list', async () => {
    const path = join(dir, 'many.parzen.jsonl');
    await fill(createJsonlStore({ path }), 'many.seed-1', 1);
    const config = writeIn(dir, 'many.json', {
      name: 'many',
      space,
      objective: { use: 'module', options: { path: './never-loaded.mjs' } },
      store: { use: 'jsonl', options: { path: './many.parzen.jsonl' } },
      budget: { maxTrials: 3 },
      matrix: { seed: [1, 2, 3, 4, 5, 6, 7, 8, 9] },
    });
    const said =
      "8 of the matrix's 9 studies have not run yet (many.seed-2, many.seed-3, many.seed-4, many.seed-5, many.seed-6 " +
      'and 3 more); showing the others.';
    for (const command of ['trials', 'best']) {
      const result = await cli(command, config);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toContain(said);
    }
  });
});

describe('--salvage: a journal damaged in the middle (user trial 26)', () => {
  it('trials and export read past the damaged line, naming what they skip; a run still refuses the file', async () => {
    const path = join(dir, 'damaged.parzen.jsonl');
    await fill(createJsonlStore({ path }), 'damaged', 4);
    const lines = readFileSync(path, 'utf8').split('\n');
    const at = lines.findIndex((line) => line.includes('"op":"finish"') && line.includes('"number":1'));
    lines[at] = `${(lines[at] as string).slice(0, 30)}#@!garbage`;
    writeFileSync(path, lines.join('\n'));
    const refused = await cli('trials', '--store', `jsonl:${path}`);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`is corrupt at line ${at + 1}`);
    const read = await cli('trials', '--store', `jsonl:${path}`, '--salvage', '--json');
    expect(read.code, read.stderr).toBe(0);
    expect((JSON.parse(read.stdout) as { state: string }[]).map((row) => row.state)).toEqual([
      'complete',
      'running',
      'complete',
      'complete',
    ]);
    // The table does not promise a run that marks it failed: a run refuses the damaged journal (trial 48).
    const table = await cli('trials', '--store', `jsonl:${path}`, '--salvage');
    expect(table.stdout).toMatch(
      /^\s*1\s+running\s.*no end read: its worker is gone, or its end was on a damaged line/m,
    );
    expect(table.stdout).not.toContain('a run of the study marks it failed');
    // (Each skipped line is named in a warning on stderr: see store-file's journal-recovery test.)
    const out = join(dir, 'salvaged.jsonl');
    expect((await cli('export', '--store', `jsonl:${path}`, '--salvage', '-o', out)).code).toBe(0);
    expect(readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(1 + 3);
    // A lost params line: the trial finishes without params; export --salvage leaves it out (review 26:
    // it was written, and import, all or nothing, refused the whole file).
    const params = lines.findIndex((line) => line.includes('"op":"params"') && line.includes('"number":2'));
    lines[params] = `${(lines[params] as string).slice(0, 30)}#@!garbage`;
    writeFileSync(path, lines.join('\n'));
    const out2 = join(dir, 'salvaged2.jsonl');
    const exported = await cli('export', '--store', `jsonl:${path}`, '--salvage', '-o', out2);
    expect(exported.stderr).toContain('left out 1 salvaged trial(s) whose params were lost (#2)');
    const into = writeIn(dir, 'salvaged.json', {
      name: 'damaged',
      seed: 3,
      space,
      objective: { use: 'module', options: { path: './never-loaded.mjs' } },
      store: { use: 'jsonl', options: { path: './salvaged-into.parzen.jsonl' } },
      budget: { maxTrials: 10 },
    });
    const imported = await cli('import', into, out2);
    expect(imported.code, imported.stderr).toBe(0);
    // A SQLite database is salvaged trial by trial (an undamaged one reads whole); a PostgreSQL one is not.
    const sqlite = await cli('trials', '--store', `sqlite:${database}`, '--salvage', '--json');
    expect(sqlite.code, sqlite.stderr).toBe(0);
    expect(JSON.parse(sqlite.stdout)).toHaveLength(3);
    const postgres = await cli('trials', '--store', 'postgres:postgres://nobody@127.0.0.1:1/none', '--salvage');
    expect(postgres.code).toBe(2);
    expect(postgres.stderr).toContain(
      '--salvage reads past damaged lines of a JSONL journal or damaged trials of a SQLite database; the postgres store has none to skip.',
    );
  });

  it('keeps a finished trial whose creation line alone was lost: exported, imported, and counted by TPE on resume', async () => {
    const path = join(dir, 'lost-creation.parzen.jsonl');
    await fill(createJsonlStore({ path }), 'lost', 4);
    const intact = createJsonlStore({ path, readOnly: true });
    const last = (await intact.listTrials('lost'))[3];
    await intact.close();
    const lines = readFileSync(path, 'utf8').split('\n');
    const at = lines.findIndex((line) => line.includes('"op":"trial"') && line.includes('"number":3'));
    lines[at] = `${(lines[at] as string).slice(0, 30)}#@!garbage`;
    writeFileSync(path, lines.join('\n'));
    // It was dropped: its params and finish lines were skipped as updates of a trial never created.
    const out = join(dir, 'lost-creation.jsonl');
    const exported = await cli('export', '--store', `jsonl:${path}`, '--salvage', '-o', out);
    expect(exported.code, exported.stderr).toBe(0);
    expect(readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(1 + 4);
    const into = writeIn(dir, 'lost-creation.json', {
      name: 'lost',
      seed: 3,
      space,
      objective: { use: 'module', options: { path: './never-loaded.mjs' } },
      store: { use: 'jsonl', options: { path: './lost-into.parzen.jsonl' } },
      budget: { maxTrials: 6 },
    });
    const imported = await cli('import', into, out);
    expect(imported.code, imported.stderr).toBe(0);
    const store = createJsonlStore({ path: join(dir, 'lost-into.parzen.jsonl') });
    const histories: number[] = [];
    const tpe = createTpeSuggester();
    await fmin({
      name: 'lost',
      space,
      objective: ({ x }) => x,
      suggester: {
        ...tpe,
        beginTrial: (context) => {
          histories.push(context.history.length);
          return tpe.beginTrial(context);
        },
      },
      maxTrials: 6,
      store,
      seed: 3,
    });
    const trials = await store.listTrials('lost');
    await store.close();
    // The resumed run sees the 4 salvaged trials and numbers its own from #4.
    expect(histories).toEqual([4, 5]);
    expect(trials.map((trial) => [trial.number, trial.state])).toEqual(
      [0, 1, 2, 3, 4, 5].map((number) => [number, 'complete']),
    );
    expect(trials[3]).toMatchObject({ internal: last?.internal, loss: (last as { loss: number }).loss });
  });
});

describe('read-only commands do not write or run anything', () => {
  it.each([
    [
      'a missing journal',
      (missing: string) => ['trials', '--store', `jsonl:${missing}/x.parzen.jsonl`, '--study', 's'],
    ],
    ['a missing database', (missing: string) => ['best', '--store', `sqlite:${missing}/x.parzen.db`]],
    [
      'a config whose default store is missing',
      (missing: string) => [
        'trials',
        config('nowhere', { store: { use: 'jsonl', options: { path: `${missing}/n.jsonl` } } }),
      ],
    ],
  ])('%s: says there is no study and creates nothing, folders included', async (_what, args) => {
    const missing = join(dir, `missing-${Math.random().toString(36).slice(2)}`);
    const result = await cli(...args(missing));
    expect(result.code).toBe(1);
    // The study or the store, named with its file, not there yet.
    expect(result.stderr).toMatch(
      /^parzen: (.*: )?(Nothing to list|No best trial to show): .* store \S*missing-\S*,? (is )?a file not there yet/,
    );
    expect(existsSync(missing)).toBe(false);
  });

  it('neither imports the config plugins nor the objective, nor changes the journal or takes its lock', async () => {
    const before = readFileSync(journal);
    const mtime = statSync(journal).mtimeMs;
    const path = config('first', { plugins: ['./evil-plugin.mjs'] });
    expect((await cli('trials', path)).code).toBe(0);
    expect((await cli('best', path)).code).toBe(0);
    expect(existsSync(join(dir, 'plugin-ran'))).toBe(false);
    expect(existsSync(join(dir, 'objective-ran'))).toBe(false);
    expect(existsSync(`${journal}.lock`)).toBe(false);
    expect(readFileSync(journal)).toEqual(before);
    expect(statSync(journal).mtimeMs).toBe(mtime);
  });

  it('resume of a missing study creates no store either', async () => {
    const missing = join(dir, 'resume-missing');
    const path = config('resumed', { store: { use: 'sqlite', options: { path: `${missing}/r.db` } } });
    const result = await cli('resume', path);
    expect(result.code).toBe(1);
    // One sentence: the study, its store's file (not there), and the real command that starts it (not a placeholder).
    expect(result.stderr).toBe(
      `parzen: ${path}: Nothing to resume: study \`resumed\` is not in its sqlite store ${missing}/r.db, a file not there yet (has the study run? else check the store's path); \`parzen run ${path}\` starts it.`,
    );
    expect(existsSync(missing)).toBe(false);
    // A path and a --store with spaces: the command is quoted for the shell, so that it works as pasted.
    const spaced = writeIn(dir, 'resumed spaced.json', {
      name: 'resumed-spaced',
      space,
      objective: { use: 'module', options: { path: './evil-objective.mjs' } },
      budget: { maxTrials: 4 },
    });
    const store = `sqlite:${join(missing, 'my db.db')}`;
    const quoted = await cli('resume', spaced, '--store', store);
    expect(quoted.stderr).toContain(`\`parzen run '${spaced}' --store '${store}'\` starts it.`);
    // Its --json error names the config, as run's errors do; explain's too (trial 88).
    for (const command of ['resume', 'explain']) {
      const json = await cli(command, path, '--json');
      expect([command, JSON.parse(json.stdout)]).toMatchObject([
        command,
        { errors: [{ file: path, code: 'STUDY_NOT_FOUND' }] },
      ]);
    }
    expect(existsSync(missing)).toBe(false);
  });
});

describe('parzen studies', () => {
  it("lists every study of a store (--store, or the config's), with trials by state and the best loss; read-only", async () => {
    const table = await cli('studies', '--store', `jsonl:${journal}`);
    expect(table.code, table.stderr).toBe(0);
    const lines = table.stdout.split('\n');
    expect(lines[0]).toMatch(
      /^study\s+direction\s+suggester\s+trials\s+complete\s+pruned\s+failed\s+running\s+best loss\s+created$/,
    );
    expect(lines[1]).toMatch(/^first\s+minimize\s+random\s+4\s+4\s+0\s+0\s+0\s+0\.\d+\s+20\d\d-/);
    expect(lines[2]).toMatch(/^second\s+minimize\s+random\s+2\s+2\s+0\s+0\s+0\s/);
    expect(lines).toHaveLength(3);

    rmSync(join(dir, 'objective-ran'), { force: true }); // an earlier test's `resume` ran the objective
    const json = await cli('studies', config('first'), '--json');
    expect(json.code, json.stderr).toBe(0);
    // The words of `run --json`: `trials` counts by state, `best` a trial (number and loss).
    const studies = JSON.parse(json.stdout) as {
      study: string;
      trials: Record<string, number>;
      best: { number: number; loss: number };
    }[];
    expect(studies.map((study) => [study.study, study.trials])).toEqual([
      ['first', { complete: 4, pruned: 0, failed: 0, running: 0 }],
      ['second', { complete: 2, pruned: 0, failed: 0, running: 0 }],
    ]);
    expect(studies[0]?.best.loss).toBeLessThan(1);
    expect(Object.keys(studies[0]?.best ?? {})).toEqual(['number', 'loss']);
    expect(Number.isInteger(studies[0]?.best.number)).toBe(true);
    // With the seed each study's trials draw from (trial 58: no --json output gave it).
    expect(studies.every((study) => Number.isInteger((study as { seed?: number }).seed))).toBe(true);
    // The config's objective and plugins are not loaded to list a store.
    expect(existsSync(join(dir, 'objective-ran'))).toBe(false);

    const sqlite = await cli('studies', '--store', `sqlite:${database}`, '--json');
    expect((JSON.parse(sqlite.stdout) as { study: string }[]).map((study) => study.study)).toEqual(['only']);
  });

  it('gives the Parzen version that created each study in `studies --json`, "unknown" when its store kept none', async () => {
    const path = join(dir, 'versions.parzen.jsonl');
    const store = createJsonlStore({ path });
    const spec = { direction: 'minimize', seed: 1, space: { x: { type: 'uniform', low: 0, high: 1 } } } as const;
    await store.openStudy({ ...spec, name: 'made', parzenVersion: '0.0.9' });
    await store.openStudy({ ...spec, name: 'older' });
    await store.close();
    const json = await cli('studies', '--store', `jsonl:${path}`, '--json');
    expect(json.code, json.stderr).toBe(0);
    const listed = JSON.parse(json.stdout) as { study: string; parzenVersion: string }[];
    expect(listed.map((study) => [study.study, study.parzenVersion])).toEqual([
      ['made', '0.0.9'],
      ['older', 'unknown'],
    ]);
  });

  it('reads a study whose name the API allows and a config does not (trial 62: `--study "a b"` was refused)', async () => {
    const path = join(dir, 'spaced.parzen.jsonl');
    await fill(createJsonlStore({ path }), 'a b', 2);
    for (const command of ['trials', 'export', 'best']) {
      const read = await cli(command, '--store', `jsonl:${path}`, '--study', 'a b');
      expect(read.code, `${command}: ${read.stderr}`).toBe(0);
    }
    const rows = await cli('trials', '--store', `jsonl:${path}`, '--study', 'a b', '--json');
    expect((JSON.parse(rows.stdout) as unknown[]).length).toBe(2);
  });

  it('refuses a config whose name no config may have, as run does, not reading a store file it made up (trial 88)', async () => {
    for (const name of ['a b', 5, undefined]) {
      const config = writeIn(
        dir,
        'badly-named.json',
        JSON.stringify({
          name,
          space,
          objective: { use: 'module', options: { path: './evil-objective.mjs' } },
          budget: { maxTrials: 2 },
        }),
      );
      for (const command of ['trials', 'best', 'studies', 'export']) {
        const read = await cli(
          command,
          config,
          '--json',
          ...(command === 'export' ? ['-o', join(dir, 'x.jsonl')] : []),
        );
        expect([command, read.code]).toEqual([command, 2]);
        const error = (JSON.parse(read.stdout) as { errors: { code: string; issues: { pointer: string }[] }[] })
          .errors[0];
        expect(error?.code).toBe('CONFIG_INVALID');
        expect(error?.issues.map((issue) => issue.pointer)).toEqual(['/name']);
        expect(read.stdout).not.toContain('inspect.parzen');
      }
    }
  });

  it('gives best null, not a missing key, for a study without a complete trial (trial 36)', async () => {
    const path = join(dir, 'failing.parzen.jsonl');
    const store = createJsonlStore({ path });
    await store.openStudy({ name: 'failing', direction: 'minimize', seed: 1, space });
    const trial = await store.createTrial('failing');
    await store.finishTrial('failing', trial?.number ?? 0, { state: 'failed', error: { code: 'X', message: 'x' } });
    await store.close();
    const json = await cli('studies', '--store', `jsonl:${path}`, '--json');
    expect(JSON.parse(json.stdout)).toMatchObject([
      { study: 'failing', trials: { failed: 1 }, best: null, suggester: null },
    ]);
  });

  it('shows an Error told as told, where it was created: as stored now and as older builds stored it (`createdAt`)', async () => {
    const path = join(dir, 'told.parzen.jsonl');
    const store = createJsonlStore({ path });
    const study = await Study.open({ name: 'told', space, suggester: createRandomSuggester(), store });
    await study.tell((await study.ask()).number, new RangeError('out of memory'));
    const older = await store.createTrial('told');
    await store.finishTrial('told', older?.number ?? 1, {
      state: 'failed',
      error: {
        code: 'OBJECTIVE_THREW',
        message: 'lost the GPU',
        details: { errorName: 'WorkerError', createdAt: '/srv/service.mjs:40:9', told: true },
      },
    });
    await store.close();
    const listed = await cli('trials', '--store', `jsonl:${path}`);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(
      /OBJECTIVE_THREW: out of memory \(RangeError passed to tell\(\), created at \S+inspect\.test\.ts:\d+:\d+\)/,
    );
    expect(listed.stdout).toContain(
      'OBJECTIVE_THREW: lost the GPU (WorkerError passed to tell(), created at /srv/service.mjs:40:9)',
    );
  });

  it('needs a config or --store, and names a store that does not exist', async () => {
    const none = await cli('studies');
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Give a config, or --store SPEC');
    const missing = await cli('studies', '--store', `jsonl:${join(dir, 'missing.parzen.jsonl')}`);
    expect(missing.code).toBe(1);
    // The run that creates it needs the flag too (review 125: `parzen run CONFIG` writes the config's own store).
    expect(missing.stderr).toBe(
      `parzen: Nothing to list: the jsonl store ${join(dir, 'missing.parzen.jsonl')} is a file not there yet: check the path, or \`parzen run CONFIG --store jsonl:${join(dir, 'missing.parzen.jsonl')}\` starts one there.`,
    );
    for (const command of ['trials', 'best', 'export'])
      expect((await cli(command, '--store', `jsonl:${join(dir, 'missing.parzen.jsonl')}`)).stderr).toContain(
        '`parzen run CONFIG --store jsonl:',
      );
  });
});

describe('a running trial whose worker is gone', () => {
  it('is listed as running with a note that the next run marks it failed; --json says workerGone (review: it looked alive)', async () => {
    const path = join(dir, 'gone.parzen.jsonl');
    const store = createJsonlStore({ path });
    await store.openStudy({ name: 'gone', direction: 'minimize', seed: 0, space });
    // A worker on another host whose lease lapsed an hour ago, and one whose lease runs for another hour.
    const past = new Date(Date.now() - 3_600_000).toISOString();
    const future = new Date(Date.now() + 3_600_000).toISOString();
    await store.createTrial('gone', { lease: { owner: 'elsewhere:4242:x', expiresAt: past } });
    await store.createTrial('gone', { lease: { owner: 'elsewhere:4243:x', expiresAt: future } });
    // A worker on this host whose process has ended, its lease still running.
    const ended = spawnSync(process.execPath, ['-e', '0']).pid;
    await store.createTrial('gone', { lease: { owner: `${hostname()}:${ended}:x`, expiresAt: future } });
    await store.close();
    const table = await cli('trials', '--store', `jsonl:${path}`);
    expect(table.code, table.stderr).toBe(0);
    const lines = table.stdout.split('\n');
    // Only its lease says so of a worker on another host, which may come back (trial 161: "its worker is gone").
    expect(lines[1]).toMatch(
      /^0\s+running\s.*its lease lapsed \(a worker on host elsewhere, which may still be busy\): a run of the study marks it failed \(STALE_TRIAL\); if its worker still finishes it, the result is kept as a new trial$/,
    );
    expect(lines[2]).toMatch(/^1\s+running$/);
    expect(lines[3]).toMatch(/^2\s+running\s.*its worker is gone: a run of the study marks it failed \(STALE_TRIAL\)$/);
    const json = JSON.parse((await cli('trials', '--store', `jsonl:${path}`, '--json')).stdout) as {
      workerGone?: boolean;
      leaseLapsed?: string;
    }[];
    expect(json.map((row) => row.workerGone)).toEqual([true, undefined, true]);
    expect(json.map((row) => row.leaseLapsed)).toEqual(['elsewhere', undefined, undefined]);
    // studies says so too (trial 117: `running 1`, no more).
    const studies = await cli('studies', '--store', `jsonl:${path}`);
    expect(studies.stdout).toMatch(/^gone\s.*\s3 \(2 with their worker gone\)\s/m);
    // best says so too (`4 running` after a kill -9, as if they still ran; `(4 worker gone)`).
    const best = await cli('best', '--store', `jsonl:${path}`);
    expect(best.stderr).toContain(
      'parzen: study gone: the worker of 2 of its 3 running trials is gone: a run of the study marks them failed (STALE_TRIAL).',
    );
    const listed = JSON.parse((await cli('studies', '--store', `jsonl:${path}`, '--json')).stdout) as unknown[];
    expect(listed).toMatchObject([{ study: 'gone', trials: { running: 3, workerGone: 2 } }]);
  });
});

describe('a matrix whose store names no file (each study in a file named after it)', () => {
  it('best, trials and studies read every study, each from its own file (the open-once change read only the first)', async () => {
    await fill(createJsonlStore({ path: join(dir, 'own.seed-1.parzen.jsonl') }), 'own.seed-1', 2);
    await fill(createJsonlStore({ path: join(dir, 'own.seed-2.parzen.jsonl') }), 'own.seed-2', 3);
    const path = writeIn(dir, 'own.json', {
      name: 'own',
      space,
      objective: { use: 'module', options: { path: './evil-objective.mjs' } },
      store: { use: 'jsonl' },
      budget: { maxTrials: 4 },
      matrix: { seed: [1, 2] },
    });
    const best = await cli('best', path, '--json');
    expect(best.code, best.stderr).toBe(0);
    expect((JSON.parse(best.stdout) as { study: string }[]).map((b) => b.study)).toEqual(['own.seed-1', 'own.seed-2']);
    expect(best.stderr).toBe('');
    const trials = JSON.parse((await cli('trials', path, '--json')).stdout) as { study: string }[];
    expect(trials.map((t) => t.study)).toEqual(['own.seed-1', 'own.seed-1', 'own.seed-2', 'own.seed-2', 'own.seed-2']);
    const studies = JSON.parse((await cli('studies', path, '--json')).stdout) as { study: string }[];
    expect(studies.map((s) => s.study)).toEqual(['own.seed-1', 'own.seed-2']);
  });
});

describe('long listings (trial 31: `trials | head` formatted everything first)', () => {
  let big: string;
  beforeAll(async () => {
    big = join(dir, 'big.parzen.jsonl');
    await fill(createJsonlStore({ path: big }), 'big', 1200);
  });

  it('--jsonl writes one trial per line, each a JSON object, as --json writes them in one array', async () => {
    const lines = await cli('trials', '--store', `jsonl:${big}`, '--jsonl');
    const array = await cli('trials', '--store', `jsonl:${big}`, '--json');
    expect(lines.code).toBe(0);
    const rows = lines.stdout.split('\n').map((line) => JSON.parse(line));
    expect(rows).toHaveLength(1200);
    expect(rows).toEqual(JSON.parse(array.stdout));
    expect((await cli('trials', '--store', `jsonl:${big}`, '--jsonl', '--csv')).code).toBe(2);
  });

  it('writes the table, the CSV and the JSON lines in batches, and stops once the reader has gone away', async () => {
    for (const mode of [[], ['--csv'], ['--jsonl']]) {
      const batches: string[] = [];
      const output: Output = {
        result: (text) => batches.push(text),
        note: () => {},
        readerGone: () => batches.length >= 1,
      };
      expect(await runCli(['node', 'parzen', 'trials', '--store', `jsonl:${big}`, ...mode], output)).toBe(0);
      expect(batches).toHaveLength(1);
      expect((batches[0] as string).split('\n')).toHaveLength(500);
      const whole = await cli('trials', '--store', `jsonl:${big}`, ...mode);
      expect(whole.stdout.startsWith(batches[0] as string)).toBe(true);
      expect(whole.stdout.split('\n').length).toBeGreaterThanOrEqual(1200);
    }
  });

  it('a --json result lost to a reader that left fails the command (exit 1, OUTPUT_FAILED), as run --json does', async () => {
    for (const command of ['trials', 'best', 'studies']) {
      const notes: string[] = [];
      const lost: Output = { result: () => {}, note: (line) => notes.push(line), readerGone: () => true };
      expect(await runCli(['node', 'parzen', command, '--store', `jsonl:${big}`, '--json'], lost), command).toBe(1);
      expect(notes.at(-1)).toMatch(
        /^parzen: OUTPUT_FAILED: the command ran to its end \(what it changes is changed\), but the reader of stdout closed the pipe before its --json result/,
      );
      // A human view (`| head -1` to peek) is no script's result: exit 0, nothing said.
      const peeked: string[] = [];
      const head: Output = { result: () => {}, note: (line) => peeked.push(line), readerGone: () => true };
      expect(await runCli(['node', 'parzen', command, '--store', `jsonl:${big}`], head), command).toBe(0);
      expect(peeked.filter((line) => line.includes('OUTPUT_FAILED'))).toEqual([]);
    }
  });
});
