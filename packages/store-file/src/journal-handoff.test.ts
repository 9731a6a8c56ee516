import * as fs from 'node:fs';
import type { StudySpec } from '@parzen/engine/plugin';
import { useTempDir } from '@parzen/test-kit';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createJsonlStore, keepClosedJournals } from './jsonl-store.js';

// The bytes the store reads, counted: a store that reads the journal again reads all of it.
const read = vi.hoisted(() => ({ bytes: 0 }));
vi.mock('node:fs', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:fs')>();
  const readSync = ((...args: Parameters<typeof original.readSync>) => {
    const count = original.readSync(...args);
    read.bytes += count;
    return count;
  }) as typeof original.readSync;
  return { ...original, readSync, default: { ...original, readSync } };
});

const tempPath = useTempDir('jsonl-handoff');
const spec = (name: string): StudySpec => ({
  name,
  direction: 'minimize',
  seed: 1,
  space: { x: { type: 'uniform', low: 0, high: 1 } },
});

/** A journal of `studies` studies of `trials` complete trials each, written by one store, closed. */
const journalOf = async (path: string, studies: number, trials: number): Promise<void> => {
  const store = createJsonlStore({ path, fsync: 'never' });
  for (let study = 0; study < studies; study++) {
    const name = `s${study}`;
    await store.openStudy(spec(name));
    for (let trial = 0; trial < trials; trial++) {
      const running = await store.createTrial(name);
      if (running === undefined) throw new Error('no trial');
      await store.setParams(name, running.number, { x: trial / trials });
      await store.finishTrial(name, running.number, { state: 'complete', loss: trial });
    }
  }
  await store.close();
};

/** What a run of study `name` does with its store when it has nothing left to run: open it, list, close. */
const rerun = async (path: string, name: string) => {
  const store = createJsonlStore({ path });
  const before = read.bytes;
  const { resumed } = await store.openStudy(spec(name));
  const losses = (await store.listTrials(name)).map((trial) => (trial.state === 'complete' ? trial.loss : null));
  await store.close();
  return { resumed, losses, bytesRead: read.bytes - before };
};

describe('a store opened again on the journal a closed store of the process left unchanged, while journals are kept (trial 136)', () => {
  let release: () => void = () => undefined;
  beforeEach(() => {
    release = keepClosedJournals();
  });
  afterEach(() => release());

  it("takes over that store's replica instead of reading the whole file again: each study of a matrix in one journal", async () => {
    const path = tempPath('m.parzen.jsonl');
    await journalOf(path, 40, 5);
    const size = fs.statSync(path).size;
    // The store that wrote it closed last: each next one reads only the last bytes, to compare them.
    for (const name of ['s0', 's1', 's17', 's39']) {
      const again = await rerun(path, name);
      expect(again).toMatchObject({ resumed: true, losses: [0, 1, 2, 3, 4] });
      expect(again.bytesRead).toBeLessThan(size / 4);
    }
  });

  it('reads the file again when it changed since (appended to by another store, edited in place), and sees the change', async () => {
    const path = tempPath('changed.parzen.jsonl');
    await journalOf(path, 3, 2);
    await rerun(path, 's0');
    // Another process's store (here: one of this process that was open meanwhile) appends a trial.
    const other = createJsonlStore({ path });
    const before = await rerun(path, 's0');
    const trial = await other.createTrial('s1');
    await other.finishTrial('s1', trial?.number ?? -1, { state: 'complete', loss: 7 });
    await other.close();
    // The other store closed last: it left the replica, with its trial.
    expect((await rerun(path, 's1')).losses).toEqual([0, 1, 7]);
    expect(before.losses).toEqual([0, 1]);
    // Edited in place, same size: a loss changed by hand.
    const text = fs.readFileSync(path, 'utf8');
    fs.writeFileSync(path, text.replace('"loss":7', '"loss":8'));
    const edited = await rerun(path, 's1');
    expect(edited.losses).toEqual([0, 1, 8]);
    expect(edited.bytesRead).toBeGreaterThanOrEqual(text.length);
  });

  it('is not handed to a read-only store, and is let go when the hold ends', async () => {
    const path = tempPath('kept.parzen.jsonl');
    await journalOf(path, 10, 20);
    const size = fs.statSync(path).size;
    const reader = createJsonlStore({ path, readOnly: true });
    const before = read.bytes;
    expect((await reader.listTrials('s1')).length).toBe(20);
    expect(read.bytes - before).toBeGreaterThanOrEqual(size);
    await reader.close();
    expect((await rerun(path, 's0')).bytesRead).toBeLessThan(size / 4);
    release();
    expect((await rerun(path, 's0')).bytesRead).toBeGreaterThanOrEqual(size);
  });
});

describe('without a hold (keepClosedJournals)', () => {
  it('a store lets go of what it read at close, and the next one reads the file (trial 73)', async () => {
    const path = tempPath('unkept.parzen.jsonl');
    await journalOf(path, 2, 3);
    const size = fs.statSync(path).size;
    expect((await rerun(path, 's0')).bytesRead).toBeGreaterThanOrEqual(size);
    expect((await rerun(path, 's1')).bytesRead).toBeGreaterThanOrEqual(size);
  });
});
