import { homedir } from 'node:os';
import { join } from 'node:path';
import { shellQuoted } from '@parzen/engine/host';
import { describe, expect, it } from 'vitest';
import { heartConfig, heartModule, tempDir, writeIn } from './cli-harness.js';
import { cli } from './cli-in-process.js';

// A refused config's hint for reading its trials without it: the store it names must be the one the config (or
// the --store flag) reads, resolved as a run resolves it (a run reads `~/x.jsonl` in the home folder).
describe('the --store hint of a refused config', () => {
  const refused = (store: unknown): string => {
    const folder = tempDir('parzen-read-without-');
    writeIn(folder, 'heart.mjs', heartModule);
    return writeIn(folder, 'refused.json', heartConfig({ name: 'kept', budget: { maxTrials: 0 }, store }));
  };

  it('resolves a store path under ~ to the home folder, as a run does', async () => {
    const path = refused({ use: 'jsonl', options: { path: '~/kept-parzen-hint.jsonl' } });
    const read = await cli('best', path);
    expect(read.code).toBe(2);
    expect(read.stderr).toContain(`--store ${shellQuoted(`jsonl:${join(homedir(), 'kept-parzen-hint.jsonl')}`)}`);
  });
});

describe('the --store and --study values the hint names', () => {
  const refused = (config: Record<string, unknown>): { folder: string; path: string } => {
    const folder = tempDir('parzen-read-without-values-');
    writeIn(folder, 'heart.mjs', heartModule);
    // heartConfig's memory store left out, unless the test gives one.
    const { store: _, ...storeless } = heartConfig({ name: 'kept', budget: { maxTrials: 0 } });
    return { folder, path: writeIn(folder, 'refused.json', { ...storeless, ...config }) };
  };

  it("names the default store's journal of a config without a store", async () => {
    const { folder, path } = refused({});
    expect((await cli('best', path)).stderr).toContain(
      `--store ${shellQuoted(`jsonl:${join(folder, 'kept.parzen.jsonl')}`)} --study kept in place of the config.`,
    );
  });

  it("lists a matrix's studies, in the journal they share", async () => {
    const { folder, path } = refused({ matrix: { seed: [1, 2] } });
    expect((await cli('trials', path)).stderr).toContain(
      `--store ${shellQuoted(`jsonl:${join(folder, 'kept.parzen.jsonl')}`)} --study NAME in place of the config, NAME one of the matrix's studies: kept.seed-1, kept.seed-2.`,
    );
  });

  it("gives each study of a matrix its own store's flags when each has its own file, all of them when few", async () => {
    const { folder, path } = refused({ matrix: { seed: [1, 2, 3, 4] }, store: { use: 'sqlite' } });
    const flags = (seed: number) =>
      `--store ${shellQuoted(`sqlite:${join(folder, `kept.seed-${seed}.parzen.db`)}`)} --study kept.seed-${seed}`;
    expect((await cli('best', path)).stderr).toContain(
      `--store SPEC --study NAME in place of the config, for each study of the matrix: ${flags(1)}, ${flags(2)}, ${flags(3)}, ${flags(4)}.`,
    );
    // Many: the first three, and how to find the others.
    const many = refused({ matrix: { seed: [1, 2, 3, 4, 5, 6] }, store: { use: 'sqlite' } });
    const more = (seed: number) =>
      `--store ${shellQuoted(`sqlite:${join(many.folder, `kept.seed-${seed}.parzen.db`)}`)} --study kept.seed-${seed}`;
    expect((await cli('best', many.path)).stderr).toContain(
      `for each study of the matrix: ${more(1)}, ${more(2)}, ${more(3)} and 3 more (each in its own file in ${shellQuoted(many.folder)}, named after the study: \`parzen studies --store sqlite:FILE\` names the study a file holds).`,
    );
  });

  it("names the command that lists a shared store's studies when a matrix has many", async () => {
    const { folder, path } = refused({ matrix: { seed: [1, 2, 3, 4, 5, 6] } });
    const spec = shellQuoted(`jsonl:${join(folder, 'kept.parzen.jsonl')}`);
    expect((await cli('trials', path)).stderr).toContain(
      `NAME one of the matrix's studies: kept.seed-1, kept.seed-2, kept.seed-3 and 3 more (\`parzen studies --store ${spec}\` lists the studies the store holds).`,
    );
  });
});
