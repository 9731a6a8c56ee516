import { readFileSync, writeFileSync } from 'node:fs';
import type { StudySpec } from '@parzen/engine/plugin';
import { useTempDir } from '@parzen/test-kit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createJsonlStore, type JsonlStore, keepClosedJournals } from './jsonl-store.js';

const tempPath = useTempDir('jsonl-handoff');
const spec = (name: string): StudySpec => ({
  name,
  direction: 'minimize',
  seed: 1,
  space: { x: { type: 'uniform', low: 0, high: 1 } },
});

/** What a store read of its journal (its replica), and the reader that read it. */
const readingOf = (store: JsonlStore) => store as unknown as { replica: { studies(): unknown[] }; reader: object };

/** A journal of `studies` studies of `trials` complete trials each, written by one store, closed; the store. */
const journalOf = async (path: string, studies: number, trials: number): Promise<JsonlStore> => {
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
  return store;
};

/** What a run of study `name` does with its store when it has nothing left to run: open it, list, close. */
const rerun = async (path: string, name: string) => {
  const store = createJsonlStore({ path });
  const { resumed } = await store.openStudy(spec(name));
  const losses = (await store.listTrials(name)).map((trial) => (trial.state === 'complete' ? trial.loss : null));
  await store.close();
  return { store, resumed, losses };
};

describe('a store opened on the journal a closed store of the process left unchanged, while journals are kept (trial 136)', () => {
  let release: () => void = () => undefined;
  beforeEach(() => {
    release = keepClosedJournals();
  });
  afterEach(() => release());

  it("takes over that store's replica instead of reading the whole file again: each study of a matrix in one journal", async () => {
    const path = tempPath('m.parzen.jsonl');
    let last = await journalOf(path, 40, 5);
    for (const name of ['s0', 's1', 's17', 's39']) {
      const again = await rerun(path, name);
      expect(again).toMatchObject({ resumed: true, losses: [0, 1, 2, 3, 4] });
      expect(readingOf(again.store).replica).toBe(readingOf(last).replica);
      expect(readingOf(again.store).reader).toBe(readingOf(last).reader);
      last = again.store;
    }
    expect(readingOf(last).replica.studies()).toHaveLength(40);
  });

  it('reads the file again when it changed since (appended to by another store, edited in place), and sees the change', async () => {
    const path = tempPath('changed.parzen.jsonl');
    await journalOf(path, 3, 2);
    // A store that was open meanwhile (another process's, as far as the file tells) appends a trial.
    const other = createJsonlStore({ path });
    const before = await rerun(path, 's0');
    const trial = await other.createTrial('s1');
    await other.finishTrial('s1', trial?.number ?? -1, { state: 'complete', loss: 7 });
    const appended = await rerun(path, 's1');
    expect(appended.losses).toEqual([0, 1, 7]);
    expect(readingOf(appended.store).replica).not.toBe(readingOf(before.store).replica);
    await other.close();
    // Edited in place, the same size: a loss changed by hand.
    const text = readFileSync(path, 'utf8');
    writeFileSync(path, text.replace('"loss":7', '"loss":8'));
    const edited = await rerun(path, 's1');
    expect(edited.losses).toEqual([0, 1, 8]);
    expect(readingOf(edited.store).replica).not.toBe(readingOf(other).replica);
  });

  it('is left alone by a second close of the store that left it: the store that took it over still sees the study (review 144)', async () => {
    const path = tempPath('twice.parzen.jsonl');
    const first = await journalOf(path, 1, 1);
    const next = createJsonlStore({ path, fsync: 'never' });
    expect((await next.openStudy(spec('s0'))).resumed).toBe(true);
    expect(readingOf(next).replica).toBe(readingOf(first).replica);
    // A caller's cleanup that closes once more (a finally after a helper closed it) cleared it.
    await first.close();
    expect((await next.listTrials('s0')).map((trial) => trial.number)).toEqual([0]);
    expect((await next.createTrial('s0'))?.number).toBe(1);
    await next.close();
    await next.close();
    const third = createJsonlStore({ path, fsync: 'never' });
    expect((await third.openStudy(spec('s0'))).resumed).toBe(true);
    expect((await third.listTrials('s0')).map((trial) => trial.number)).toEqual([0, 1]);
    await third.close();
  });

  it('is not handed to a read-only store, and is let go when the hold ends', async () => {
    const path = tempPath('kept.parzen.jsonl');
    const writer = await journalOf(path, 2, 3);
    const reader = createJsonlStore({ path, readOnly: true });
    expect((await reader.listTrials('s1')).length).toBe(3);
    expect(readingOf(reader).replica).not.toBe(readingOf(writer).replica);
    await reader.close();
    const kept = await rerun(path, 's0');
    expect(readingOf(kept.store).replica).toBe(readingOf(writer).replica);
    release();
    expect(readingOf(kept.store).replica.studies()).toHaveLength(0);
    expect(readingOf((await rerun(path, 's0')).store).replica).not.toBe(readingOf(writer).replica);
  });
});

describe('without a hold (keepClosedJournals)', () => {
  it('a store lets go of what it read at close, and the next one reads the file (trial 73)', async () => {
    const path = tempPath('unkept.parzen.jsonl');
    const writer = await journalOf(path, 2, 3);
    expect(readingOf(writer).replica.studies()).toHaveLength(0);
    const next = await rerun(path, 's1');
    expect(next.losses).toEqual([0, 1, 2]);
    expect(readingOf(next.store).replica).not.toBe(readingOf(writer).replica);
  });
});
