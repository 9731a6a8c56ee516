// A journal changed under a running store other than by its appends (trial 163): each is said as what happened.

import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { StudySpec } from '@parzen/engine/plugin';
import { rejectionOf, useTempDir } from '@parzen/test-kit';
import { describe, expect, it } from 'vitest';
import { createJsonlStore } from './jsonl-store.js';

const tempPath = useTempDir('jsonl-changes');
const spec = (name: string): StudySpec => ({
  name,
  direction: 'minimize',
  seed: 3,
  space: { x: { type: 'uniform', low: 0, high: 1 } },
});

/** A journal of study `name` with `trials` complete trials, its store closed. */
const journalOf = async (path: string, name: string, trials: number): Promise<void> => {
  const store = createJsonlStore({ path });
  await store.openStudy(spec(name));
  for (let i = 0; i < trials; i++) {
    const trial = await store.createTrial(name);
    await store.finishTrial(name, trial?.number ?? i, { state: 'complete', loss: i });
  }
  await store.close();
};

describe('a journal changed under an open store', () => {
  it('says that the journal was rewritten in place (a copy over it), not that it is corrupt at some line', async () => {
    const path = tempPath('mine.parzen.jsonl');
    const other = tempPath('other.parzen.jsonl');
    await journalOf(other, 'other', 20);
    const store = createJsonlStore({ path });
    await store.openStudy(spec('mine'));
    const trial = await store.createTrial('mine');
    // `cp other.parzen.jsonl mine.parzen.jsonl`: the same file (inode), its content replaced by a longer one.
    writeFileSync(path, readFileSync(other));
    const error = await rejectionOf(store.finishTrial('mine', trial?.number ?? 0, { state: 'complete', loss: 1 }));
    expect(error).toMatchObject({ code: 'STORE_FAILED' });
    expect((error as Error).message).toContain('the journal file was rewritten in place while this store had it open');
    expect((error as Error).message).not.toMatch(/corrupt|salvage/);
    await store.close();
  });

  it("says that the journal's folder was removed, not that an internal lock draft could not be made", async () => {
    const path = tempPath('gone/gone.parzen.jsonl');
    mkdirSync(dirname(path), { recursive: true });
    const store = createJsonlStore({ path });
    await store.openStudy(spec('gone'));
    const trial = await store.createTrial('gone');
    rmSync(dirname(path), { recursive: true });
    const error = await rejectionOf(store.finishTrial('gone', trial?.number ?? 0, { state: 'complete', loss: 1 }));
    expect(error).toMatchObject({ code: 'STORE_FAILED' });
    expect((error as Error).message).toContain(
      `The folder \`${dirname(path)}\` of the journal was deleted or moved while this store had the journal open`,
    );
    expect((error as Error).message).not.toMatch(/draft|lock file/);
    await store.close();
  });
});
