import { readFileSync, writeFileSync } from 'node:fs';
import type { StudySpec } from '@parzen/engine/plugin';
import { useTempDir } from '@parzen/test-kit';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createSqliteStore } from './sqlite-store.js';

const tempPath = useTempDir('sqlite-damaged');
const spec: StudySpec = {
  name: 'dmg',
  direction: 'minimize',
  seed: 1,
  space: { x: { type: 'uniform', low: 0, high: 1 } },
};

/** A closed store of 10 complete trials, its WAL checked into the file: each b-tree is one leaf page. */
const storeOfTen = async (name: string): Promise<string> => {
  const path = tempPath(name);
  const store = createSqliteStore({ path });
  await store.openStudy(spec);
  await store.addTrials(
    spec.name,
    Array.from({ length: 10 }, (_, i) => ({
      internal: { x: i / 10 },
      outcome: { state: 'complete' as const, loss: i },
    })),
  );
  await store.close();
  const db = new Database(path);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return path;
};

/**
 * Damage as a torn or overwritten page gives it, made exact: the leaf page of `btree` (a table or index name) loses
 * `n` of its cells, the first or the last ones. SQLite reads such a page without an error (only an integrity check
 * notices): its reads simply miss those rows.
 */
const dropCells = (path: string, btree: string, which: 'first' | 'last', n: number): void => {
  const db = new Database(path, { readonly: true });
  const page = db.prepare('SELECT rootpage FROM sqlite_master WHERE name = ?').pluck().get(btree) as number;
  db.close();
  const file = readFileSync(path);
  const pageSize = file.readUInt16BE(16);
  const header = (page - 1) * pageSize;
  expect(file[header]).toBe(0x0a); // a leaf page of an index b-tree (a WITHOUT ROWID table is one too)
  const cells = file.readUInt16BE(header + 3);
  expect(cells).toBe(10);
  if (which === 'first') file.copy(file, header + 8, header + 8 + 2 * n, header + 8 + 2 * cells);
  file.writeUInt16BE(cells - n, header + 3);
  writeFileSync(path, file);
};

const listingError = async (path: string): Promise<Error & { code?: string }> => {
  const store = createSqliteStore({ path, readOnly: true });
  try {
    const trials = await store.listTrials(spec.name);
    throw new Error(`listed ${trials.length} trials: ${trials.map((trial) => trial?.number).join(',')}`);
  } catch (error) {
    return error as Error & { code?: string };
  } finally {
    await store.close();
  }
};

describe('a damaged page that SQLite reads without an error', () => {
  // The table missing its first rows: holes in the listing (the engine got undefined trials). Its last rows: a
  // listing short but without holes, which only the index's count shows. The index missing its last entries: a
  // silently short study (exports wrote it as a backup).
  it.each([
    ['trials', 'first', 'trials 0-3 could not be read'],
    ['trials', 'last', 'read 6 of its 10 trials (trials 6-9 could not be read)'],
    ['trials_by_update', 'last', 'read 6 of its 10 trials (trials 6-9 could not be read)'],
  ] as const)('%s losing its %s cells is STORE_CORRUPT: %s', async (btree, which, said) => {
    const path = await storeOfTen(`${btree}-${which}.db`);
    dropCells(path, btree, which, 4);
    const error = await listingError(path);
    expect(error.code).toBe('STORE_CORRUPT');
    expect(error.message).toContain(`SQLite store \`${path}\` is damaged: listing study \`dmg\` `);
    expect(error.message).toContain(said);
    // SQLite's own check, run only once the listing failed, is quoted; then what to do.
    expect(error.message).toMatch(/SQLite's PRAGMA quick_check: .*\. Nothing was written\. Restore it from a backup/);
    // And how to save what is still readable (SQLite's own .recover is no help: a store with holes is refused).
    expect(error.message).toContain(
      `\`parzen export --store sqlite:${path} --salvage -o saved.jsonl\`, then \`parzen import\``,
    );
  });

  it('a healthy store lists every trial, whole and incrementally', async () => {
    const path = await storeOfTen('healthy.db');
    const store = createSqliteStore({ path });
    expect((await store.listTrials(spec.name)).map((trial) => trial.number)).toEqual([...Array(10).keys()]);
    await store.createTrial(spec.name);
    expect(await store.listTrials(spec.name)).toHaveLength(11);
    await store.close();
  });
});

describe('a damaged text cell', () => {
  it('is STORE_CORRUPT naming the trial and its column, its control characters escaped', async () => {
    const path = await storeOfTen('cell.db');
    const db = new Database(path);
    // What a damaged page gave: bytes that are no JSON, a control character among them.
    db.prepare("UPDATE trials SET params = '{\"x\":' || char(31) || 'zz' WHERE number = 4").run();
    db.close();
    const error = await listingError(path);
    expect(error.code).toBe('STORE_CORRUPT');
    expect(error.message).toContain(`SQLite store \`${path}\` is damaged: trial 4's params is not valid JSON (`);
    expect(error.message).toContain('\\u001f');
    expect(error.message).not.toContain(String.fromCharCode(31));
    expect(error.message).toContain('while listing trials. Nothing was written. Restore it from a backup');
  });
});

describe('salvage: a damaged database read trial by trial', () => {
  it('lists the trials it can read and names those it cannot; refused without readOnly', async () => {
    const path = await storeOfTen('salvage.db');
    dropCells(path, 'trials', 'first', 4);
    const db = new Database(path);
    db.prepare("UPDATE trials SET params = 'not json' WHERE number = 7").run();
    db.close();
    const warnings: string[] = [];
    const store = createSqliteStore({ path, readOnly: true, salvage: true, onWarning: (note) => warnings.push(note) });
    // Those it cannot read are kept in their places, as a JSONL salvage keeps lost trials: failed, STORE_SALVAGED,
    // no params, so the numbers after them stay theirs.
    const listed = await store.listTrials(spec.name);
    expect(listed.map((trial) => trial.number)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const salvaged = listed.filter((trial) => trial.state === 'failed' && trial.error.code === 'STORE_SALVAGED');
    expect(salvaged.map((trial) => trial.number)).toEqual([0, 1, 2, 3, 7]);
    expect(salvaged.every((trial) => Object.keys(trial.internal).length === 0)).toBe(true);
    expect(warnings).toEqual([
      `SQLite store \`${path}\`: salvage read 5 of the 10 trials of study \`dmg\`; trials 0-3, 7 could not be read (damaged or missing): they are kept in their places as failed STORE_SALVAGED trials with no params, which \`parzen export --salvage\` leaves out.`,
    ]);
    await store.close();
    expect(() => createSqliteStore({ path, salvage: true })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
  });

  it('says one trial it cannot read in the singular', async () => {
    const path = await storeOfTen('salvage-one.db');
    const db = new Database(path);
    db.prepare("UPDATE trials SET params = 'not json' WHERE number = 7").run();
    db.close();
    const warnings: string[] = [];
    const store = createSqliteStore({ path, readOnly: true, salvage: true, onWarning: (note) => warnings.push(note) });
    await store.listTrials(spec.name);
    await store.close();
    expect(warnings).toEqual([
      `SQLite store \`${path}\`: salvage read 9 of the 10 trials of study \`dmg\`; trial 7 could not be read (damaged or missing): it is kept in its place as a failed STORE_SALVAGED trial with no params, which \`parzen export --salvage\` leaves out.`,
    ]);
  });
});
