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
