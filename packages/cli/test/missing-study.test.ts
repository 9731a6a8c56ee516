import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { heartModule, journalHeartConfig, tempDir, writeIn } from './cli-harness.js';
import { cliIn } from './cli-in-process.js';

// A study not in its store was said by each command in the store's words ("The store has no study named `x`. It holds
// `y`. Run it first.", "No study at F: ... `parzen run CONFIG` creates it"), with a placeholder for the config the user
// gave; resume alone said it in one sentence. Every command now says it as resume does, its own verb first.
let dir: string;
const jsonl = { use: 'jsonl', options: { path: './shared.jsonl' } };
const sqlite = { use: 'sqlite', options: { path: './shared.db' } };
beforeAll(async () => {
  dir = tempDir('parzen-missing-study-');
  writeIn(dir, 'heart.mjs', heartModule);
  for (const store of [jsonl, sqlite]) {
    const ran = await cliIn(dir, 'run', journalHeartConfig(dir, 'heart', { store }), '--quiet');
    expect(ran.code, ran.stderr).toBe(0);
  }
});

const VERBS = {
  trials: 'Nothing to list',
  best: 'No best trial to show',
  export: 'Nothing to export',
  explain: 'Nothing to explain',
  report: 'Nothing to report',
  queue: 'No queue to list',
  resume: 'Nothing to resume',
} as const;

/** Each command's words for `config` (typed relative to `dir`), the same sentence after its verb. */
const saidByEach = async (config: string, sentence: string, ...flags: string[]) => {
  for (const [command, verb] of Object.entries(VERBS)) {
    const extra = command === 'report' ? ['-o', join(dir, 'r.html')] : [];
    const result = await cliIn(dir, command, config, ...flags, ...extra);
    expect(result.code, `${command}: ${result.stderr}`).toBe(1);
    expect(result.stderr.split('\n').at(-1), command).toBe(`parzen: ${config}: ${verb}: ${sentence}`);
  }
};

describe('a study not in its store, said by every command', () => {
  it('a jsonl store holding another study: the study, the store and its studies, and the run as typed', async () => {
    journalHeartConfig(dir, 'other', { store: jsonl });
    await saidByEach(
      'other.json',
      `study \`other\` is not in its jsonl store ${join(dir, 'shared.jsonl')}, which holds \`heart\`; \`parzen run other.json\` starts it.`,
    );
    // --json keeps its code.
    const json = await cliIn(dir, 'trials', 'other.json', '--json');
    expect(JSON.parse(json.stdout)).toMatchObject({
      errors: [{ file: 'other.json', code: 'STUDY_NOT_FOUND', message: expect.stringMatching(/^Nothing to list: /) }],
    });
    // delete names no run (there is nothing to delete).
    const deleted = await cliIn(dir, 'delete', 'other.json', '--yes');
    expect(deleted.stderr).toBe(
      `parzen: other.json: Nothing to delete: study \`other\` is not in its jsonl store ${join(dir, 'shared.jsonl')}, which holds \`heart\`.`,
    );
  });

  it('a sqlite store, and a name that differs only in case (a typo?)', async () => {
    journalHeartConfig(dir, 'Heart', { store: sqlite });
    await saidByEach(
      'Heart.json',
      `study \`Heart\` is not in its sqlite store ${join(dir, 'shared.db')}, which holds \`heart\` (\`heart\` differs from \`Heart\` only in case: a typo?); \`parzen run Heart.json\` starts it.`,
    );
  });

  it('a store file not there yet', async () => {
    journalHeartConfig(dir, 'absent', { store: { use: 'jsonl', options: { path: './absent.jsonl' } } });
    await saidByEach(
      'absent.json',
      `study \`absent\` is not in its jsonl store ${join(dir, 'absent.jsonl')}, a file not there yet (has the study run? else check the store's path); \`parzen run absent.json\` starts it.`,
    );
    const listed = await cliIn(dir, 'studies', 'absent.json');
    expect(listed.stderr).toBe(
      `parzen: absent.json: Nothing to list: its jsonl store ${join(dir, 'absent.jsonl')} is a file not there yet (has a study run in it? else check the store's path).`,
    );
  });

  it('a memory store: it keeps nothing after its run, and what keeps it', async () => {
    journalHeartConfig(dir, 'kept', { store: { use: 'memory' } });
    await saidByEach(
      'kept.json',
      'study `kept` is not there: its memory store keeps nothing after its run; give the config a jsonl or sqlite store ("store": {"use": "jsonl"}), then `parzen run kept.json` keeps it.',
    );
    // Review 180: `studies` said "The store holds no study yet." of a memory store, which a run leaves empty.
    const listed = await cliIn(dir, 'studies', '--store', 'memory');
    expect(listed.stdout).toBe('The store holds no study: a memory store keeps nothing after its run.');
  });

  // Review 179: SQLite's :memory: database was said as a file `:memory:` beside the config, "not there yet".
  it("SQLite's :memory: database: it keeps nothing after its run, as the memory store", async () => {
    journalHeartConfig(dir, 'inram', { store: { use: 'sqlite', options: { path: ':memory:' } } });
    await saidByEach(
      'inram.json',
      'study `inram` is not there: its sqlite store in memory (`:memory:`) keeps nothing after its run; give its sqlite store a file ("path": "./study.db"), then `parzen run inram.json` keeps it.',
    );
  });

  it("a matrix's studies (names with digests): all of them, and the run that starts them", async () => {
    journalHeartConfig(dir, 'mx', {
      store: jsonl,
      matrix: { suggester: [{ use: 'tpe', options: { startupTrials: 4 } }, { use: 'random' }] },
    });
    for (const command of ['trials', 'best', 'export'] as const) {
      const result = await cliIn(dir, command, 'mx.json');
      expect(result.stderr).toMatch(
        new RegExp(
          `^parzen: mx\\.json: ${VERBS[command]}: none of the 2 studies \\(mx\\.suggester-tpe-[0-9a-f]{6}, mx\\.suggester-random\\) is in its jsonl store ${join(dir, 'shared.jsonl').replaceAll('.', '\\.')}, which holds \`heart\`; \`parzen run mx\\.json\` starts them\\.$`,
        ),
      );
    }
    // One of them by --study: the run of that one.
    const one = await cliIn(dir, 'trials', 'mx.json', '--study', 'mx.suggester-random');
    expect(one.stderr).toBe(
      `parzen: mx.json: Nothing to list: study \`mx.suggester-random\` is not in its jsonl store ${join(dir, 'shared.jsonl')}, which holds \`heart\`; \`parzen run mx.json --study mx.suggester-random\` starts it.`,
    );
  });

  // Review 180: `report g1.json g3.json` said both were missing from the first one's sqlite store; g3's is a jsonl file.
  it("a batch whose studies are kept in different stores: each study's store", async () => {
    journalHeartConfig(dir, 'g1', { store: sqlite });
    journalHeartConfig(dir, 'g3', { store: jsonl });
    const result = await cliIn(dir, 'report', 'g1.json', 'g3.json', '-o', join(dir, 'g.html'));
    expect(result.stderr.split('\n').at(-1)).toBe(
      `parzen: Nothing to report: none of the 2 studies (g1, g3) is in their stores (\`g1\`: sqlite store ${join(dir, 'shared.db')}; \`g3\`: jsonl store ${join(dir, 'shared.jsonl')}); \`parzen run g1.json g3.json\` starts them.`,
    );
  });

  it('--study NAME the store lacks: a near name, and no run (none of the config would make it)', async () => {
    journalHeartConfig(dir, 'heart', { store: jsonl });
    const result = await cliIn(dir, 'best', 'heart.json', '--study', 'haert');
    expect(result.stderr).toBe(
      `parzen: heart.json: No best trial to show: study \`haert\` is not in its jsonl store ${join(dir, 'shared.jsonl')}, which holds \`heart\` (did you mean \`heart\`?).`,
    );
    // --store alone: the run of a config with that flag.
    const alone = await cliIn(dir, 'trials', '--store', 'jsonl:./shared.jsonl', '--study', 'haert');
    expect(alone.stderr).toBe(
      `parzen: Nothing to list: study \`haert\` is not in the jsonl store ${join(dir, 'shared.jsonl')}, which holds \`heart\` (did you mean \`heart\`?); \`parzen run CONFIG --store jsonl:./shared.jsonl\` starts it there, for a CONFIG whose "name" is \`haert\`.`,
    );
  });
});
