import * as engine from '@parzen/engine';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { tempDir, writeIn } from './cli-harness.js';
import { cli } from './cli-in-process.js';

// Each read-only open of a run's store, counted: a journal's is a parse of the whole file.
vi.mock('@parzen/engine', async (original) => {
  const actual = await original<typeof engine>();
  return { ...actual, openStoreForReading: vi.fn(actual.openStoreForReading) };
});

let dir: string;
beforeAll(() => {
  dir = tempDir('parzen-start-reads-');
  writeIn(dir, 'square.mjs', 'export default ({ x }) => x * x;\n');
});

// Review 155: the check for a store file holding other studies read a run's whole journal before the run read it
// again (+0.55 s at the start of a run of a 20,000-trial journal), for every run, its own study found or not.
describe('the start of `parzen run` of a bare jsonl store', () => {
  it("reads the journal once: the run's own open, no read-only listing beforehand", async () => {
    const path = writeIn(dir, 'once.json', {
      name: 'once',
      space: { x: { type: 'uniform', low: -1, high: 1 } },
      objective: { use: 'module', options: { path: './square.mjs', isolate: 'none' } },
      store: { use: 'jsonl' },
      budget: { maxTrials: 2 },
    });
    const first = await cli('run', path, '--quiet');
    expect(first.code, first.stderr).toBe(0);
    vi.mocked(engine.openStoreForReading).mockClear();
    const again = await cli('run', path, '--quiet', '--more-trials', '1');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('3 complete');
    expect(engine.openStoreForReading).not.toHaveBeenCalled();
  });
});
