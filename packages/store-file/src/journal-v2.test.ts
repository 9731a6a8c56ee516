import { appendFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { StudySpec } from '@parzen/engine/plugin';
import { expectEnqueuedTakenOnce, expectReportsSeenIncrementally, useTempDir } from '@parzen/test-kit';
import { describe, expect, it } from 'vitest';
import { encodeRecord } from './journal-records.js';
import { createJsonlStore } from './jsonl-store.js';

const tempPath = useTempDir('jsonl-v2');
const spec: StudySpec = {
  name: 'v2',
  direction: 'minimize',
  seed: 3,
  space: { x: { type: 'uniform', low: 0, high: 1 } },
};

const open = (path: string, options: { readonly readOnly?: boolean } = {}) => {
  const warnings: string[] = [];
  const store = createJsonlStore({ path, ...options, onWarning: (message) => warnings.push(message) });
  return { store, warnings };
};
const records = (path: string): Record<string, unknown>[] =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
/** The journal's records by op, a header as `journal N` (its format version). */
const opsOf = (path: string): string[] =>
  records(path).map((record) => (record.op === 'journal' ? `journal ${record.version}` : String(record.op)));

/** A journal exactly as Parzen wrote it before format version 2: a complete trial and a running one. */
const versionOneJournal = (): string => {
  const path = tempPath('old.parzen.jsonl');
  const at = '2026-01-01T00:00:00.000Z';
  const lines = [
    { op: 'journal', format: 'parzen-jsonl', version: 1 },
    { op: 'study', study: { ...spec, createdAt: at } },
    { op: 'trial', study: spec.name, number: 0, startedAt: at },
    { op: 'params', study: spec.name, number: 0, params: { x: 0.25 } },
    {
      op: 'finish',
      study: spec.name,
      number: 0,
      finishedAt: at,
      outcome: { state: 'complete', loss: 1.5, attributes: { acc: 0.9 } },
    },
    { op: 'trial', study: spec.name, number: 1, startedAt: at, lease: { owner: 'w', expiresAt: at } },
  ];
  writeFileSync(path, lines.map((line) => `${JSON.stringify(line)}\n`).join(''));
  return path;
};

describe('jsonl journal format version 2 (intermediate values, enqueued entries, added trials)', () => {
  it('reads a version 1 journal, and declares version 2 just before its first version 2 record', async () => {
    const path = versionOneJournal();
    const { store, warnings } = open(path);
    expect((await store.openStudy(spec)).resumed).toBe(true);
    expect((await store.listTrials(spec.name)).map((trial) => trial.state)).toEqual(['complete', 'running']);
    await store.setParams(spec.name, 1, { x: 0.5 });
    expect(records(path).filter((record) => record.op === 'journal')).toHaveLength(1); // nothing new yet
    await store.reportIntermediate(spec.name, 1, 0, 0.9);
    await store.enqueue(spec.name, [{ internal: { x: 0.75 }, key: 'k' }]);
    expect((await store.createTrial(spec.name))?.internal).toEqual({ x: 0.75 });
    await store.close();

    const ops = opsOf(path);
    expect(ops).toEqual([
      'journal 1',
      'study',
      'trial',
      'params',
      'finish',
      'trial',
      'params',
      'journal 2',
      'report',
      'enqueue',
      'trial',
    ]);
    const again = open(path).store;
    const trials = await again.listTrials(spec.name);
    // Written before the loss and the attrs had these names (`value`, `attributes`): read as loss and attrs.
    expect(trials[0]).toMatchObject({ state: 'complete', loss: 1.5, internal: { x: 0.25 }, attrs: { acc: 0.9 } });
    expect(trials[0]).not.toHaveProperty('attributes');
    expect(trials[0]).not.toHaveProperty('value');
    expect(trials[1]).toMatchObject({
      state: 'running',
      internal: { x: 0.5 },
      intermediate: [{ step: 0, value: 0.9 }],
    });
    expect(trials[2]).toMatchObject({ state: 'running', internal: { x: 0.75 } });
    expect(await again.enqueue(spec.name, [{ internal: { x: 0.1 }, key: 'k' }])).toBe(0);
    await again.close();
    // Raising the format of a journal that had records is said, once (trial 63: unsaid, and older builds were
    // then refused it).
    expect(warnings).toEqual([
      `JSONL journal \`${path}\` now has format version 2, for a record that needs it (it had 1, the lowest its records needed until now): Parzen versions that cannot read format version 2 can no longer open it (nothing to do when every worker that shares it runs this Parzen; update those that do not).`,
    ]);
    // A journal this store starts is not said to be upgraded as its first later records come.
    const freshPath = tempPath('fresh.parzen.jsonl');
    const fresh = open(freshPath);
    await fresh.store.openStudy(spec);
    await fresh.store.enqueue(spec.name, [{ internal: { x: 0.75 }, key: 'k' }]);
    await fresh.store.close();
    // Nor by the next store on it in this process (review 67: a batch's shared journal, begun by its first study).
    const next = open(freshPath);
    await next.store.openStudy(spec);
    await next.store.addTrials(spec.name, [
      { internal: { x: 0.5 }, outcome: { state: 'complete', loss: 1 }, key: 'k2' },
    ]);
    await next.store.close();
    // Raised twice (2 for the entry, 3 for the keyed trial), said neither time.
    expect(records(freshPath).filter((record) => record.op === 'journal')).toHaveLength(3);
    expect([...fresh.warnings, ...next.warnings]).toEqual([]);
  });

  it("raises the format unsaid when the journal's first line says its maker reads the new version (trial 117: a fleet's journal warned mid-run)", async () => {
    const fresh = tempPath('reads.parzen.jsonl');
    const first = open(fresh);
    await first.store.openStudy(spec);
    await first.store.close();
    expect(records(fresh)[0]).toEqual({ op: 'journal', format: 'parzen-jsonl', version: 1, reads: 6 });
    // As another process of this build, or of an older one, began it: the first line alone decides.
    const raised = async (reads: number | undefined) => {
      const path = tempPath(`reads-${reads}.parzen.jsonl`);
      const header = { op: 'journal', format: 'parzen-jsonl', version: 1, ...(reads === undefined ? {} : { reads }) };
      const study = { op: 'study', study: { ...spec, createdAt: '2026-01-01T00:00:00.000Z' } };
      writeFileSync(path, `${JSON.stringify(header)}\n${JSON.stringify(study)}\n`);
      const { store, warnings } = open(path);
      await store.enqueue(spec.name, [{ internal: { x: 0.75 }, key: 'k' }]);
      await store.close();
      return warnings.map((warning) => warning.replace(path, 'J'));
    };
    expect(await raised(4)).toEqual([]);
    expect(await raised(2)).toEqual([]);
    const said =
      'JSONL journal `J` now has format version 2, for a record that needs it (it had 1, the lowest its records needed until now): Parzen versions that cannot read format version 2 can no longer open it (nothing to do when every worker that shares it runs this Parzen; update those that do not).';
    expect(await raised(1)).toEqual([said]);
    expect(await raised(undefined)).toEqual([said]);
  });

  it('declares version 3 just before the first added trial that names an enqueued key (review 35)', async () => {
    const path = tempPath('v3.parzen.jsonl');
    const { store } = open(path);
    await store.openStudy(spec);
    await store.addTrials(spec.name, [{ internal: { x: 0.1 }, outcome: { state: 'complete', loss: 1 } }]);
    await store.addTrials(spec.name, [{ internal: { x: 0.2 }, outcome: { state: 'complete', loss: 2 }, key: 'k' }]);
    await store.close();
    const ops = opsOf(path);
    expect(ops).toEqual(['journal 1', 'study', 'journal 2', 'add', 'journal 3', 'add']);
    // A Parzen that reads version 2 at most refuses the file there, instead of queuing the entry again.
    writeFileSync(path, readFileSync(path, 'utf8').replace('"version":3', '"version":7'));
    await expect(open(path).store.listTrials(spec.name)).rejects.toMatchObject({
      message: expect.stringContaining('has format version 7; this Parzen reads version 6'),
    });
  });

  it('declares version 4 before the finish that gives an entry back; lines from before it keep their entries taken (review 36)', async () => {
    const path = tempPath('v4.parzen.jsonl');
    const { store } = open(path);
    await store.openStudy(spec);
    await store.enqueue(spec.name, [{ internal: { x: 0.1 } }, { internal: { x: 0.2 } }]);
    const interrupted = { state: 'failed', error: { code: 'INTERRUPTED', message: 'Ctrl-C' } } as const;
    await store.createTrial(spec.name); // takes 0.1
    await store.createTrial(spec.name); // takes 0.2
    await store.createTrial(spec.name); // takes none
    await store.finishTrial(spec.name, 2, interrupted); // gives nothing back: version 2 will do
    await store.finishTrial(spec.name, 0, interrupted);
    await store.close();
    const ops = opsOf(path);
    expect(ops).toEqual([
      'journal 1',
      'study',
      'journal 2',
      'enqueue',
      'trial',
      'trial',
      'trial',
      'finish',
      'journal 4',
      'finish',
    ]);
    const written = readFileSync(path, 'utf8');
    // Read again: 0.1 waits again, first.
    const again = open(path).store;
    expect((await again.createTrial(spec.name))?.internal).toEqual({ x: 0.1 });
    await again.close();
    // The same journal as a version 3 Parzen wrote it (no version 4 line): its entry stays taken.
    const older = tempPath('v3-interrupted.parzen.jsonl');
    writeFileSync(older, written.replace(/.*"version":4.*\n/, ''));
    const reader = open(older).store;
    expect((await reader.createTrial(spec.name))?.internal).toEqual({});
    await reader.close();
  });

  it('declares version 5 before the first removal of a waiting entry, in a journal an older Parzen wrote: its lines stay as they were', async () => {
    // A journal as a version 4 Parzen left it: two entries queued, the first taken by a trial that was
    // interrupted (given back), the second waiting.
    const path = tempPath('v5.parzen.jsonl');
    const at = '2026-01-01T00:00:00.000Z';
    const interrupted = { state: 'failed', error: { code: 'INTERRUPTED', message: 'Ctrl-C' } };
    const lines = [
      { op: 'journal', format: 'parzen-jsonl', version: 1, reads: 4 },
      { op: 'study', study: { ...spec, createdAt: at } },
      { op: 'journal', format: 'parzen-jsonl', version: 2 },
      { op: 'enqueue', study: spec.name, entries: [{ params: { x: 0.1 }, key: 'a' }, { params: { x: 0.2 } }] },
      { op: 'trial', study: spec.name, number: 0, startedAt: at, entry: 0 },
      { op: 'journal', format: 'parzen-jsonl', version: 4 },
      { op: 'finish', study: spec.name, number: 0, finishedAt: at, outcome: interrupted },
    ];
    const written = lines.map((line) => `${JSON.stringify(line)}\n`).join('');
    writeFileSync(path, written);
    const { store, warnings } = open(path);
    await store.openStudy(spec);
    expect(await store.removeEnqueued(spec.name, [{ key: 'a' }])).toEqual({
      removed: [{ internal: { x: 0.1 }, key: 'a' }],
      missing: [],
    });
    await store.close();
    // Appended after what was there, under a version 5 header (said: the journal's maker reads 4 at most).
    expect(readFileSync(path, 'utf8').startsWith(written)).toBe(true);
    expect(records(path).slice(lines.length)).toEqual([
      { op: 'journal', format: 'parzen-jsonl', version: 5 },
      { op: 'remove', study: spec.name, entries: [0] },
    ]);
    expect(warnings).toEqual([expect.stringContaining('now has format version 5, for a record that needs it')]);
    const again = open(path).store;
    expect(await again.listEnqueued(spec.name)).toEqual([{ internal: { x: 0.2 } }]);
    expect((await again.createTrial(spec.name))?.internal).toEqual({ x: 0.2 });
    expect((await again.createTrial(spec.name))?.internal).toEqual({});
    expect(await again.enqueue(spec.name, [{ internal: { x: 0.1 }, key: 'a' }])).toBe(0);
    await again.close();
    // A Parzen refuses a version above its own: one that reads version 4 at most refuses this file at the
    // removal's header, instead of handing the removed entry out (shown here one version up).
    writeFileSync(path, readFileSync(path, 'utf8').replace('"version":5', '"version":7'));
    await expect(open(path).store.listTrials(spec.name)).rejects.toMatchObject({
      message: expect.stringContaining('has format version 7; this Parzen reads version 6'),
    });
  });

  it('writes the loss as `loss` (journals from before the rename said `value`)', async () => {
    const path = tempPath('loss.parzen.jsonl');
    const { store } = open(path);
    await store.openStudy(spec);
    await store.createTrial(spec.name);
    await store.finishTrial(spec.name, 0, { state: 'complete', loss: 0.5, attrs: { acc: 1 } });
    await store.close();
    const finish = records(path).find((record) => record.op === 'finish');
    expect(finish?.outcome).toEqual({ state: 'complete', loss: 0.5, attrs: { acc: 1 } });
  });

  it('writes nothing for a step already reported, and keeps non-finite values', async () => {
    const path = tempPath('values.parzen.jsonl');
    const { store } = open(path);
    await store.openStudy(spec);
    await store.createTrial(spec.name);
    await store.reportIntermediate(spec.name, 0, 0, Number.POSITIVE_INFINITY);
    await store.reportIntermediate(spec.name, 0, 0, 2);
    await store.addTrials(spec.name, [
      {
        internal: { x: 0.1 },
        outcome: { state: 'pruned', loss: Number.NEGATIVE_INFINITY },
        intermediate: [
          { step: 3, value: Number.NaN },
          { step: 1, value: 4 },
          { step: 3, value: 5 },
        ],
      },
    ]);
    await store.close();
    expect(records(path).filter((record) => record.op === 'report')).toHaveLength(1);
    const trials = await open(path).store.listTrials(spec.name);
    expect(trials[0]?.intermediate).toEqual([{ step: 0, value: Number.POSITIVE_INFINITY }]);
    expect(trials[1]).toMatchObject({ state: 'pruned', loss: Number.NEGATIVE_INFINITY });
    expect(trials[1]?.intermediate).toEqual([
      { step: 1, value: 4 },
      { step: 3, value: Number.NaN },
    ]);
  });

  it('adds all trials of a call or none: a torn `add` line is skipped whole, then repaired', async () => {
    const path = tempPath('torn.parzen.jsonl');
    const first = open(path).store;
    await first.openStudy(spec);
    await first.addTrials(spec.name, [{ internal: { x: 0.2 }, outcome: { state: 'complete', loss: 1 } }]);
    await first.close();
    const add = encodeRecord({
      op: 'add',
      study: spec.name,
      number: 1,
      at: new Date().toISOString(),
      trials: Array.from({ length: 50 }, (_, i) => ({
        params: { x: i / 50 },
        outcome: { state: 'complete', loss: i },
      })),
    });
    appendFileSync(path, add.slice(0, Math.floor(add.length / 2))); // the process died mid-write
    const { store, warnings } = open(path);
    await store.openStudy(spec);
    expect(warnings).toHaveLength(1);
    expect((await store.listTrials(spec.name)).map((trial) => trial.number)).toEqual([0]);
    const added = await store.addTrials(spec.name, [{ internal: { x: 0.9 }, outcome: { state: 'complete', loss: 9 } }]);
    expect(added.map((trial) => trial.number)).toEqual([1]);
    await store.close();
    const again = open(path);
    expect((await again.store.listTrials(spec.name)).map((trial) => trial.internal.x)).toEqual([0.2, 0.9]);
    expect(again.warnings).toEqual([]);
    await again.store.close();
  });

  it('shows another store its reports and added trials on its next look', async () => {
    const path = tempPath('shared.parzen.jsonl');
    await expectReportsSeenIncrementally(() => createJsonlStore({ path }));
  });

  it('hands each of 20 entries to exactly one trial across 4 processes', { timeout: 60_000 }, async () => {
    const path = tempPath('race.parzen.jsonl');
    await expectEnqueuedTakenOnce({
      target: {
        kind: 'jsonl',
        path,
        module: fileURLToPath(new URL('../dist/index.js', import.meta.url)),
        factory: 'createJsonlStore',
      },
      open: () => createJsonlStore({ path }),
    });
  });
});

const gone: StudySpec = { ...spec, name: 'gone' };
const kept: StudySpec = { ...spec, name: 'kept' };
const at = '2026-01-01T00:00:00.000Z';

const line = (record: unknown): string => `${JSON.stringify(record)}\n`;

/** A journal as a version 5 Parzen left it: two studies, one with trials, queued and removed entries. */
const versionFiveJournal = (path: string): string => {
  const lines = [
    { op: 'journal', format: 'parzen-jsonl', version: 1, reads: 5 },
    { op: 'study', study: { ...gone, createdAt: at } },
    { op: 'study', study: { ...kept, createdAt: at } },
    { op: 'trial', study: gone.name, number: 0, startedAt: at },
    { op: 'params', study: gone.name, number: 0, params: { x: 0.25 } },
    { op: 'finish', study: gone.name, number: 0, finishedAt: at, outcome: { state: 'complete', loss: 1 } },
    { op: 'trial', study: kept.name, number: 0, startedAt: at },
    { op: 'finish', study: kept.name, number: 0, finishedAt: at, outcome: { state: 'complete', loss: 7 } },
    { op: 'journal', format: 'parzen-jsonl', version: 2 },
    { op: 'enqueue', study: gone.name, entries: [{ params: { x: 0.1 }, key: 'a' }, { params: { x: 0.2 } }] },
    { op: 'journal', format: 'parzen-jsonl', version: 5 },
    { op: 'remove', study: gone.name, entries: [1] },
  ];
  const written = lines.map(line).join('');
  writeFileSync(path, written);
  return written;
};

// A study could not be deleted from a journal but by deleting the file, with every other study in it.
describe('jsonl journal: a deleted study (format version 6)', () => {
  it('appends a delete line under a version 6 header to a journal an older Parzen wrote, its lines kept', async () => {
    const path = tempPath('v6.parzen.jsonl');
    const written = versionFiveJournal(path);
    const { store, warnings } = open(path);
    expect(await store.deleteStudy(gone.name)).toEqual({
      study: { ...gone, createdAt: at },
      trials: { complete: 1, pruned: 0, failed: 0, running: 0 },
      blocking: [],
    });
    await store.close();
    expect(readFileSync(path, 'utf8').startsWith(written)).toBe(true);
    expect(records(path).slice(written.split('\n').length - 1)).toEqual([
      { op: 'journal', format: 'parzen-jsonl', version: 6 },
      { op: 'delete', study: gone.name },
    ]);
    // Said: the journal's maker reads version 5 at most, and refuses it from the header on.
    expect(warnings).toEqual([expect.stringContaining('now has format version 6, for a record that needs it')]);
    const reader = open(path, { readOnly: true }).store;
    expect((await reader.listStudies()).map((study) => study.name)).toEqual([kept.name]);
    expect(await reader.listTrials(kept.name)).toMatchObject([{ number: 0, state: 'complete', loss: 7 }]);
    await expect(reader.getStudy(gone.name)).rejects.toMatchObject({ code: 'STUDY_NOT_FOUND' });
    await reader.close();
    // A Parzen refuses a version above its own: one that reads version 5 at most refuses this file at the
    // deletion's header, instead of showing the deleted study (shown here one version up).
    writeFileSync(path, readFileSync(path, 'utf8').replace('"version":6', '"version":7'));
    await expect(open(path).store.listStudies()).rejects.toMatchObject({
      message: expect.stringContaining('has format version 7; this Parzen reads version 6'),
    });
  });

  it('reads a study created anew after the deletion as a new study, none of the old one in it', async () => {
    const path = tempPath('anew.parzen.jsonl');
    const first = open(path).store;
    await first.openStudy(gone);
    await first.enqueue(gone.name, [{ internal: { x: 0.1 }, key: 'a' }]);
    await first.createTrial(gone.name);
    await first.finishTrial(gone.name, 0, { state: 'complete', loss: 2 });
    await first.deleteStudy(gone.name);
    expect((await first.openStudy({ ...gone, seed: 9 })).resumed).toBe(false);
    await first.enqueue(gone.name, [{ internal: { x: 0.3 }, key: 'a' }]);
    await first.close();
    const ops = opsOf(path);
    expect(ops).toEqual([
      'journal 1',
      'study',
      'journal 2',
      'enqueue',
      'trial',
      'finish',
      'journal 6',
      'delete',
      'study',
      'enqueue',
    ]);
    const { store, warnings } = open(path, { readOnly: true });
    expect((await store.getStudy(gone.name)).seed).toBe(9);
    expect(await store.listTrials(gone.name)).toEqual([]);
    expect(await store.listEnqueued(gone.name)).toEqual([{ internal: { x: 0.3 }, key: 'a' }]);
    expect(await store.listTakenEntries(gone.name)).toEqual([]);
    expect(warnings).toEqual([]);
    await store.close();
  });

  it('ignores, and says, a line naming the study after its deletion (a lock broken while a worker wrote), as a repeat', async () => {
    const path = tempPath('after.parzen.jsonl');
    const store = open(path).store;
    await store.openStudy(gone);
    await store.openStudy(kept);
    await store.createTrial(gone.name);
    await store.deleteStudy(gone.name);
    await store.close();
    appendFileSync(
      path,
      line({ op: 'finish', study: gone.name, number: 0, finishedAt: at, outcome: { state: 'complete', loss: 1 } }),
    );
    const { store: reader, warnings } = open(path, { readOnly: true });
    expect((await reader.listStudies()).map((study) => study.name)).toEqual([kept.name]);
    expect(warnings).toEqual([
      expect.stringContaining('repeats what an earlier line decided (a finish line of study `gone`, deleted before)'),
    ]);
    await reader.close();
  });

  it('keeps the study, lines and all, when a running trial blocks the deletion; the file does not grow', async () => {
    const path = tempPath('blocked.parzen.jsonl');
    const store = open(path).store;
    await store.openStudy(gone);
    await store.createTrial(gone.name, { lease: { owner: 'w', expiresAt: at } });
    const size = statSync(path).size;
    const blocked = await store.deleteStudy(gone.name, { blocks: () => true });
    expect(blocked.blocking.map((trial) => trial.number)).toEqual([0]);
    expect(statSync(path).size).toBe(size);
    expect(await store.listTrials(gone.name)).toHaveLength(1);
    await store.close();
  });
});
