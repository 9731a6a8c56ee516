import {
  appendFileSync,
  closeSync,
  copyFileSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { hostname } from 'node:os';
import type { FinishedTrial, StudySpec } from '@parzen/engine/plugin';
import { rejectionOf, useTempDir } from '@parzen/test-kit';
import { describe, expect, it } from 'vitest';
import { isJournalFile, JournalReader } from './journal-reader.js';
import { createJsonlStore, type JsonlStore } from './jsonl-store.js';
import { Replica } from './replica.js';

const tempPath = useTempDir('jsonl-recovery');
const spec: StudySpec = {
  name: 'recovery',
  direction: 'minimize',
  seed: 3,
  space: { x: { type: 'uniform', low: 0, high: 1 } },
};

const open = (path: string) => {
  const warnings: string[] = [];
  const store = createJsonlStore({ path, onWarning: (message) => warnings.push(message) });
  return { store, warnings };
};

/** A journal with a study and three trials: #0 complete, #1 failed, #2 running. */
const writeJournal = async (): Promise<string> => {
  const path = tempPath('study.parzen.jsonl');
  const { store } = open(path);
  await store.openStudy(spec);
  for (let i = 0; i < 3; i++) {
    await store.createTrial(spec.name);
    await store.setParams(spec.name, i, { x: i / 10 });
  }
  await store.finishTrial(spec.name, 0, { state: 'complete', loss: 0.5 });
  await store.finishTrial(spec.name, 1, { state: 'failed', error: { code: 'OBJECTIVE_THREW', message: 'no' } });
  await store.close();
  return path;
};

/**
 * A journal with three complete trials (losses 0.5, 0.25, 0.125), written as parallel workers write
 * them: all three created, then their params, then #1's reports (and attrs), then their finishes.
 */
const writeFinished = async (): Promise<string> => {
  const path = tempPath('finished.parzen.jsonl');
  const { store } = open(path);
  await store.openStudy(spec);
  for (let i = 0; i < 3; i++) await store.createTrial(spec.name);
  for (let i = 0; i < 3; i++) await store.setParams(spec.name, i, { x: i / 10 });
  await store.reportIntermediate(spec.name, 1, 0, 0.75);
  await store.reportIntermediate(spec.name, 1, 1, 0.5);
  await store.finishTrial(spec.name, 0, { state: 'complete', loss: 0.5 });
  await store.finishTrial(spec.name, 1, { state: 'complete', loss: 0.25, attrs: { note: 'kept' } });
  await store.finishTrial(spec.name, 2, { state: 'complete', loss: 0.125 });
  await store.close();
  return path;
};

/** The index of the line of `op` for trial `number`. */
const indexOf = (lines: readonly string[], op: string, number: number): number =>
  lines.findIndex((line) => line.includes(`"op":"${op}"`) && line.includes(`"number":${number}`));

/** The line number (from 1) of the line of `op` for trial `number`. */
const lineOf = (path: string, op: string, number: number): number =>
  indexOf(readFileSync(path, 'utf8').split('\n'), op, number) + 1;

/** Damages the lines of these ops of these trials in place; returns their line numbers (from 1). */
const damage = (path: string, ...which: readonly (readonly [string, number])[]): number[] => {
  const lines = readFileSync(path, 'utf8').split('\n');
  const damaged = which.map(([op, number]) => {
    const at = indexOf(lines, op, number);
    lines[at] = `${(lines[at] as string).slice(0, 25)}#@!garbage`;
    return at + 1;
  });
  writeFileSync(path, lines.join('\n'));
  return damaged;
};

const lineCount = (path: string): number => readFileSync(path, 'utf8').split('\n').length - 1;

const expectIntact = async (store: JsonlStore) => {
  const trials = await store.listTrials(spec.name);
  expect(trials.map((trial) => trial.state)).toEqual(['complete', 'failed', 'running']);
  expect(trials[0]).toMatchObject({ loss: 0.5, internal: { x: 0 } });
};

describe('jsonl journal recovery', () => {
  it.each([
    ['an unterminated half-written line', '{"op":"finish","study":"recovery","numb'],
    ['NUL padding left by a power loss', '\0'.repeat(64)],
    ['a complete line of garbage', '{"op":"finish", garbage\n'],
  ])('skips a torn last line (%s) with a warning, and never glues later lines onto it', async (_case, tail) => {
    const path = await writeJournal();
    const tornLine = lineCount(path) + 1;
    appendFileSync(path, tail);
    const first = open(path);
    expect((await first.store.openStudy(spec)).resumed).toBe(true);
    expect(first.warnings).toHaveLength(1);
    expect(first.warnings[0]).toContain(`line ${tornLine} is torn`);
    expect(first.store.warnings).toEqual(first.warnings);
    await expectIntact(first.store);
    expect((await first.store.createTrial(spec.name))?.number).toBe(3);
    await first.store.finishTrial(spec.name, 3, { state: 'complete', loss: 0.25 });
    await first.store.close();

    const lines = readFileSync(path, 'utf8').split('\n');
    expect(lines[tornLine - 1]).toBe(tail.replace('\n', ''));
    expect(JSON.parse(lines[tornLine] ?? '')).toMatchObject({ op: 'repair', line: tornLine });
    const second = open(path);
    await second.store.openStudy(spec);
    expect(second.warnings).toEqual([]);
    const trials = await second.store.listTrials(spec.name);
    expect(trials.map((trial) => trial.number)).toEqual([0, 1, 2, 3]);
    expect(trials[3]).toMatchObject({ state: 'complete', loss: 0.25 });
    await second.store.close();
  });

  it('says a torn last line to a read-only reader when no process holds the lock, not while one may be writing (trial 62)', async () => {
    const path = await writeJournal();
    const tornLine = lineCount(path) + 1;
    appendFileSync(path, '{"op":"finish","study":"recovery","numb');
    const read = (warnings: string[]) =>
      createJsonlStore({ path, readOnly: true, onWarning: (message) => warnings.push(message) });
    const quiet: string[] = [];
    // A live holder of the lock (this process, as a writer in the middle of its append would be).
    writeFileSync(`${path}.lock`, JSON.stringify({ pid: process.pid, host: hostname() }));
    const held = read(quiet);
    await expectIntact(held);
    await held.close();
    expect(quiet).toEqual([]);
    rmSync(`${path}.lock`);
    const warned: string[] = [];
    const reader = read(warned);
    await expectIntact(reader);
    await reader.listTrials(spec.name);
    await reader.close();
    expect(warned).toHaveLength(1);
    expect(warned[0]).toContain(`line ${tornLine} is torn`);
    expect(warned[0]).toContain('the next run of the study sets it aside');
    expect(readFileSync(path, 'utf8').endsWith('"numb')).toBe(true);
  });

  it('says nothing of whole lines a writer appended after the reader caught up (trial 69: "torn or corrupt")', async () => {
    const path = await writeJournal();
    const warnings: string[] = [];
    const reader = new JournalReader(path, new Replica(), (message) => warnings.push(message));
    const fd = openSync(path, 'r');
    try {
      reader.catchUp(fd);
      // A writer appends two records between the reader's catch-up and its look at the tail, and is done
      // (no lock held): those are lines not read yet, not a torn one.
      const finish = { op: 'finish', study: spec.name, number: 2, finishedAt: new Date().toISOString() };
      appendFileSync(path, `${JSON.stringify({ ...finish, outcome: { state: 'complete', loss: 2 } })}\n`);
      appendFileSync(
        path,
        `${JSON.stringify({ op: 'trial', study: spec.name, number: 3, startedAt: finish.finishedAt })}\n`,
      );
      reader.noteTornTail(fd, () => false);
      expect(warnings).toEqual([]);
      // Nor of those lines and the start of a third being written.
      appendFileSync(path, '{"op":"params","study":"recovery","num');
      reader.noteTornTail(fd, () => false);
      expect(warnings).toEqual([]);
    } finally {
      closeSync(fd);
    }
  });

  it('completes a last record that only lacks its newline, without a warning', async () => {
    const path = await writeJournal();
    const finish = {
      op: 'finish',
      study: spec.name,
      number: 2,
      finishedAt: new Date().toISOString(),
      outcome: { state: 'complete', loss: 2 },
    };
    appendFileSync(path, JSON.stringify(finish));
    const { store, warnings } = open(path);
    await store.openStudy(spec);
    await store.createTrial(spec.name);
    expect(warnings).toEqual([]);
    expect((await store.listTrials(spec.name)).map((trial) => trial.state)).toEqual([
      'complete',
      'failed',
      'complete',
      'running',
    ]);
    await store.close();
  });

  it("counts a last record without its newline in what the next change decides (trial 112: a full disk's cut)", async () => {
    const path = await writeJournal();
    const cut = async (change: (store: JsonlStore) => Promise<unknown>) => {
      const { store } = open(path);
      await store.openStudy(spec);
      await change(store);
      await store.close();
      // The write stopped just before its newline.
      truncateSync(path, readFileSync(path).length - 1);
    };
    const records = (op: string, number: number) =>
      readFileSync(path, 'utf8')
        .split('\n')
        .filter((line) => line.includes(`"op":"${op}"`) && line.includes(`"number":${number},`)).length;
    // A trial's creation: the next is #4, not #3 again.
    await cut((store) => store.createTrial(spec.name));
    let { store, warnings } = open(path);
    await store.openStudy(spec);
    expect((await store.createTrial(spec.name))?.number).toBe(4);
    expect(records('trial', 3)).toBe(1);
    await store.close();
    // A trial's finish: finishing it again (a sweep of stale trials) is refused, not recorded.
    await cut((store) => store.finishTrial(spec.name, 2, { state: 'complete', loss: 2 }));
    ({ store, warnings } = open(path));
    await store.openStudy(spec);
    const again = store.finishTrial(spec.name, 2, { state: 'failed', error: { code: 'STALE_TRIAL', message: 'x' } });
    expect((await rejectionOf(again))?.code).toBe('TRIAL_ALREADY_FINISHED');
    expect(records('finish', 2)).toBe(1);
    // An import: the same batch again is a repeat.
    const added = [{ internal: { x: 0.7 }, outcome: { state: 'complete', loss: 7 } as const }];
    await cut((store) => store.addTrials(spec.name, added, { refuseRepeats: true }));
    ({ store, warnings } = open(path));
    await store.openStudy(spec);
    expect((await rejectionOf(store.addTrials(spec.name, added, { refuseRepeats: true })))?.code).toBe(
      'IMPORT_REPEATED',
    );
    expect((await store.listTrials(spec.name)).map((trial) => trial.state)).toEqual([
      'complete',
      'failed',
      'complete',
      'running',
      'running',
      'complete',
    ]);
    expect(warnings).toEqual([]);
    await store.close();
  });

  it('reads a last record without its newline read-only too, as the next change counts it (review 116)', async () => {
    const path = await writeJournal();
    const { store: writer } = open(path);
    await writer.openStudy(spec);
    await writer.finishTrial(spec.name, 2, { state: 'complete', loss: 2 });
    await writer.close();
    truncateSync(path, readFileSync(path).length - 1);
    const warnings: string[] = [];
    const reader = createJsonlStore({ path, readOnly: true, onWarning: (message) => warnings.push(message) });
    const states = async () => (await reader.listTrials(spec.name)).map((trial) => trial.state);
    expect(await states()).toEqual(['complete', 'failed', 'complete']);
    // A writer ends the line and appends: the reader passes over that newline and reads on.
    const { store: next } = open(path);
    await next.openStudy(spec);
    await next.createTrial(spec.name);
    await next.close();
    expect(await states()).toEqual(['complete', 'failed', 'complete', 'running']);
    expect(warnings).toEqual([]);
    // And counts lines as the file has them: a torn line after is named by its own number.
    appendFileSync(path, '{"op":"tri');
    const torn = readFileSync(path, 'utf8').split('\n').length;
    await states();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`line ${torn}`);
    await reader.close();
  });

  it('fails with STORE_CORRUPT naming the file and line when a line in the middle is damaged', async () => {
    const path = await writeJournal();
    const lines = readFileSync(path, 'utf8').split('\n');
    lines[4] = '{"op":"params","study":"recovery","number":1,"par#ms":{}}';
    writeFileSync(path, lines.join('\n'));
    const { store } = open(path);
    const error = await rejectionOf(store.openStudy(spec));
    expect(error?.code).toBe('STORE_CORRUPT');
    expect(error?.message).toContain(path);
    expect(error?.message).toContain('line 5');
    expect(error?.message).toContain('par#ms');
    // The salvage is the CLI's, said as such to a store opened in code too (trial 164), after the commands.
    expect(error?.message).toContain(
      `or save what is intact: \`parzen export --store jsonl:${path} --salvage -o saved.jsonl\`, then \`parzen import\` it into a new store (the \`parzen\` command of @parzen/cli, for a journal written from code too).`,
    );
    expect((await rejectionOf(store.listTrials(spec.name)))?.code).toBe('STORE_CORRUPT');
  });

  it('reads a hand-edited journal with blank lines (was STORE_CORRUPT at the first one) and appends after them', async () => {
    const path = await writeJournal();
    const lines = readFileSync(path, 'utf8').split('\n');
    lines.splice(4, 0, '', '  \r');
    writeFileSync(path, `${lines.join('\n')}\n`);
    const { store, warnings } = open(path);
    expect((await store.openStudy(spec)).resumed).toBe(true);
    await expectIntact(store);
    await store.finishTrial(spec.name, 2, { state: 'complete', loss: 0.125 });
    await store.close();
    expect(warnings).toEqual([]);
    const again = open(path);
    expect((await again.store.listTrials(spec.name))[2]).toMatchObject({ state: 'complete', loss: 0.125 });
    expect(again.warnings).toEqual([]);
    await again.store.close();
  });

  it('reads past a UTF-8 byte order mark an editor added, and appends after it (trial 68: not a journal)', async () => {
    const path = await writeJournal();
    writeFileSync(path, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), readFileSync(path)]));
    expect(isJournalFile(path)).toBe(true); // so export -o, say, still refuses to write over it
    const { store, warnings } = open(path);
    expect((await store.openStudy(spec)).resumed).toBe(true);
    await expectIntact(store);
    await store.finishTrial(spec.name, 2, { state: 'complete', loss: 0.125 });
    await store.close();
    expect(warnings).toEqual([]);
    const again = open(path);
    expect((await again.store.listTrials(spec.name))[2]).toMatchObject({ state: 'complete', loss: 0.125 });
    await again.store.close();
    // A file of the mark alone (an empty file an editor saved) is an empty journal (review 72: refused).
    const bare = tempPath('bom-only.parzen.jsonl');
    writeFileSync(bare, Buffer.from([0xef, 0xbb, 0xbf]));
    // Not a journal yet to a tool that must not write over one, as a file of blank lines (review 75).
    expect(isJournalFile(bare)).toBe(false);
    const fresh = open(bare);
    expect((await fresh.store.openStudy(spec)).resumed).toBe(false);
    await fresh.store.createTrial(spec.name);
    await fresh.store.close();
    const reopened = open(bare);
    expect(await reopened.store.listTrials(spec.name)).toHaveLength(1);
    await reopened.store.close();
    // The header written after the mark.
    expect(readFileSync(bare, 'utf8').slice(1).split('\n')[0]).toMatch(/^\{"op":"journal"/);
  });

  it.each([
    ['a newline', '\n'],
    ['a byte order mark and a newline', '\uFEFF\n'],
    ['a mark and a Windows line end', '\uFEFF\r\n'],
    ['blank lines and unterminated spaces', '\n\t\n\r\n  '],
  ])(
    'takes a file of only %s (an editor\'s empty file) as an empty journal (stop 49: "not a Parzen journal")',
    async (_what, text) => {
      const path = tempPath(`blank-${text.length}-${text.charCodeAt(0)}.parzen.jsonl`);
      writeFileSync(path, text);
      const fresh = open(path);
      expect((await fresh.store.openStudy(spec)).resumed).toBe(false);
      await fresh.store.createTrial(spec.name);
      await fresh.store.close();
      const reopened = open(path);
      expect(await reopened.store.listTrials(spec.name)).toHaveLength(1);
      await reopened.store.close();
      // Nothing said of the blanks (not torn lines), and the header on a line of its own after them.
      expect([...fresh.warnings, ...reopened.warnings]).toEqual([]);
      const lines = readFileSync(path, 'utf8').split('\n');
      expect(lines.filter((line) => line.trim() !== '')[0]).toMatch(/^\{"op":"journal"/);
      // Not a journal to a tool that must not write over one until it holds one: it held nothing.
      const blank = tempPath(`blank-again-${text.length}-${text.charCodeAt(0)}.txt`);
      writeFileSync(blank, text);
      expect(isJournalFile(blank)).toBe(false);
      // A config after blank lines is still someone else's file.
      const config = tempPath(`blank-config-${text.length}-${text.charCodeAt(0)}.json`);
      writeFileSync(config, `${text.trimEnd()}\n{\n  "name": "x"\n}\n`);
      expect((await rejectionOf(open(config).store.openStudy(spec)))?.message).toContain('is not a Parzen journal');
    },
  );

  it('fails with STORE_CORRUPT when the lines contradict each other (a skipped trial number)', async () => {
    const path = await writeJournal();
    appendFileSync(
      path,
      `${JSON.stringify({ op: 'trial', study: spec.name, number: 7, startedAt: new Date().toISOString() })}\n`,
    );
    const error = await rejectionOf(open(path).store.openStudy(spec));
    expect(error?.code).toBe('STORE_CORRUPT');
    expect(error?.message).toMatch(/line 11: found trial #7 .* where trial #3 was expected next/);
  });

  it('keeps the first of two lines creating the same trial number, and ignores the later one', async () => {
    const path = await writeJournal();
    const reader = open(path).store;
    const before = await reader.listTrials(spec.name);
    await reader.close();
    const later = { op: 'trial', study: spec.name, number: 1, startedAt: '2030-01-01T00:00:00.000Z' };
    appendFileSync(
      path,
      `${JSON.stringify({ ...later, lease: { owner: 'elsewhere:1:x', expiresAt: later.startedAt } })}\n`,
    );
    const { store, warnings } = open(path);
    await store.openStudy(spec);
    await expectIntact(store);
    const trials = await store.listTrials(spec.name);
    expect(trials.map((trial) => trial.number)).toEqual([0, 1, 2]);
    expect(trials[1]).toEqual(before[1]);
    expect((await store.createTrial(spec.name))?.number).toBe(3);
    await store.close();
    // Said, with the line (trial 126: only a broken lock or a hand edit writes one, and nothing said so).
    expect(warnings).toEqual([
      expect.stringMatching(
        /line \d+ repeats what an earlier line decided \(trial #1 of `recovery` created again\); it is ignored and the first stands/,
      ),
    ]);
  });

  it('keeps the first finish of a trial, and says a later finish or params line of it (trial 126)', async () => {
    const path = await writeJournal();
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    const finish = JSON.parse(lines[indexOf(lines, 'finish', 0)] as string) as Record<string, unknown>;
    const params = JSON.parse(lines[indexOf(lines, 'params', 1)] as string) as Record<string, unknown>;
    appendFileSync(
      path,
      `${JSON.stringify({ ...finish, outcome: { state: 'complete', loss: -999 } })}\n${JSON.stringify({ ...params, params: { x: 9 } })}\n`,
    );
    const { store, warnings } = open(path);
    const trials = await store.listTrials(spec.name);
    expect(trials[0]).toMatchObject({ state: 'complete', loss: 0.5 });
    expect(trials[1]).toMatchObject({ state: 'failed', internal: { x: 0.1 } });
    await store.close();
    // Said once in a process: another store on the journal (a matrix's next variant) does not say it again.
    const again = open(path);
    await again.store.listTrials(spec.name);
    await again.store.close();
    expect(again.warnings).toEqual([]);
    expect(warnings).toEqual([
      expect.stringContaining(
        `line ${lines.length + 1} repeats what an earlier line decided (a finish of trial #0 of \`recovery\`, already finished (complete))`,
      ),
      expect.stringContaining(
        `line ${lines.length + 2} repeats what an earlier line decided (params of trial #1 of \`recovery\`, already finished (failed))`,
      ),
    ]);
  });

  it('refuses a journal written by a newer format version', async () => {
    const path = tempPath('newer.parzen.jsonl');
    writeFileSync(path, `${JSON.stringify({ op: 'journal', format: 'parzen-jsonl', version: 99 })}\n`);
    const error = await rejectionOf(open(path).store.openStudy(spec));
    expect(error).toMatchObject({ code: 'STORE_FAILED' });
    expect(error?.message).toContain('version 99');
  });

  it('fails when the file shrinks under an open store', async () => {
    const path = await writeJournal();
    const { store } = open(path);
    await store.openStudy(spec);
    truncateSync(path, 10);
    const error = await rejectionOf(store.listTrials(spec.name));
    expect(error).toMatchObject({ code: 'STORE_FAILED' });
    expect(error?.message).toContain('shrank');
  });

  it('keeps non-finite values, which JSON cannot write as numbers', async () => {
    const path = await writeJournal();
    const { store } = open(path);
    await store.openStudy(spec);
    await store.finishTrial(spec.name, 2, { state: 'pruned', loss: Number.NEGATIVE_INFINITY });
    await store.close();
    const again = open(path).store;
    expect((await again.listTrials(spec.name))[2]).toMatchObject({ state: 'pruned', loss: Number.NEGATIVE_INFINITY });
    await again.close();
  });
});

describe('jsonl journal read in chunks (review 44: a journal past 512 MiB, one string, could not be opened)', () => {
  it('reads the same trials whatever the chunk size, lines longer than a chunk and a torn tail included', async () => {
    const path = await writeJournal();
    appendFileSync(path, '{"op":"fini'); // a torn last line: left unread at every chunk size
    const read = (chunkBytes?: number) => {
      const replica = new Replica();
      const warnings: string[] = [];
      const reader = new JournalReader(path, replica, (message) => warnings.push(message), false, chunkBytes);
      const fd = openSync(path, 'r');
      try {
        reader.catchUp(fd);
      } finally {
        closeSync(fd);
      }
      return { trials: replica.study(spec.name)?.trials, warnings };
    };
    const whole = read();
    expect(whole.trials?.map((trial) => trial.state)).toEqual(['complete', 'failed', 'running']);
    for (const chunkBytes of [1, 7, 64, 300]) expect(read(chunkBytes)).toEqual(whole);
  });
});

describe('jsonl journal shared by two stores', () => {
  it('reads only what was appended since it last looked, and allocates after the other store', async () => {
    const path = await writeJournal();
    const a = open(path).store;
    const b = open(path).store;
    await a.openStudy(spec);
    await b.openStudy(spec);
    // Damage the first line in place (same length): a reader that re-parsed the file would now fail.
    const text = readFileSync(path, 'utf8');
    const firstEnd = text.indexOf('\n');
    writeFileSync(path, `${'x'.repeat(firstEnd)}${text.slice(firstEnd)}`);
    expect((await a.createTrial(spec.name))?.number).toBe(3);
    expect((await b.createTrial(spec.name))?.number).toBe(4);
    await b.finishTrial(spec.name, 3, { state: 'complete', loss: 1 });
    const seenByA = await a.listTrials(spec.name);
    expect(seenByA.map((trial) => [trial.number, trial.state])).toEqual([
      [0, 'complete'],
      [1, 'failed'],
      [2, 'running'],
      [3, 'complete'],
      [4, 'running'],
    ]);
    expect(await b.listTrials(spec.name)).toEqual(seenByA);
    expect((await rejectionOf(a.finishTrial(spec.name, 3, { state: 'complete', loss: 2 })))?.code).toBe(
      'TRIAL_ALREADY_FINISHED',
    );
    await a.close();
    await b.close();
  });

  it('keeps several studies in one file', async () => {
    const path = tempPath('two.parzen.jsonl');
    const store = open(path).store;
    await store.openStudy(spec);
    await store.openStudy({ ...spec, name: 'other' });
    await store.createTrial('other');
    await store.createTrial(spec.name);
    await store.createTrial('other');
    expect((await store.listTrials('other')).map((trial) => trial.number)).toEqual([0, 1]);
    expect((await store.listTrials(spec.name)).map((trial) => trial.number)).toEqual([0]);
    await store.close();
  });
});

describe('salvage: a damaged line in the middle, read-only (user trial 26: nothing could be read out)', () => {
  it('skips the line and what contradicts the lines before it, naming each, and reads the rest', async () => {
    const path = await writeJournal();
    // Damage the record that finishes trial #0 (the line before the last): nothing later depends on it.
    const lines = readFileSync(path, 'utf8').split('\n');
    const finish = lines.findIndex((line) => line.includes('"op":"finish"') && line.includes('"number":0'));
    lines[finish] = `${(lines[finish] as string).slice(0, 25)}#@!garbage`;
    writeFileSync(path, lines.join('\n'));
    expect(await rejectionOf(createJsonlStore({ path, readOnly: true }).listTrials(spec.name))).toMatchObject({
      code: 'STORE_CORRUPT',
    });
    const warnings: string[] = [];
    const store = createJsonlStore({ path, readOnly: true, salvage: true, onWarning: (m) => warnings.push(m) });
    try {
      const trials = await store.listTrials(spec.name);
      // Trial #0 lost its finish (still running as far as the journal says); #1 and #2 are as they were.
      expect(trials.map((trial) => trial.state)).toEqual(['running', 'failed', 'running']);
      expect(warnings).toEqual([
        expect.stringMatching(new RegExp(`salvage skipped line ${finish + 1} \\(it is not a journal record`)),
      ]);
    } finally {
      await store.close();
    }
  });

  it('keeps the trials after one whose creation and params lines were lost, the lost one a failed STORE_SALVAGED trial', async () => {
    const path = await writeJournal();
    damage(path, ['trial', 1], ['params', 1]);
    const warnings: string[] = [];
    const store = createJsonlStore({ path, readOnly: true, salvage: true, onWarning: (m) => warnings.push(m) });
    try {
      const trials = await store.listTrials(spec.name);
      // Trial #2 came after the lost #1: it was refused too ("trial #2 where #1 was expected"); now kept.
      expect(trials.map((trial) => trial.state)).toEqual(['complete', 'failed', 'running']);
      expect(trials[1]).toMatchObject({ internal: {}, error: { code: 'STORE_SALVAGED' } });
      expect(trials[2]).toMatchObject({ number: 2, internal: { x: 0.2 } });
      // No params to rebuild #1 from: its finish is skipped, and said so.
      expect(warnings).toContainEqual(
        expect.stringContaining(
          `salvage skipped line ${lineOf(path, 'finish', 1)} (an update of trial #1 of \`recovery\`, whose creation line was lost and no params line came before to rebuild it from)`,
        ),
      );
      expect(warnings.join('\n')).not.toContain('rebuilt');
    } finally {
      await store.close();
    }
  });

  it('rebuilds a trial whose creation line alone was lost from its params, reports and finish (it was dropped)', async () => {
    const path = await writeFinished();
    const [created] = damage(path, ['trial', 1]);
    const warnings: string[] = [];
    const store = createJsonlStore({ path, readOnly: true, salvage: true, onWarning: (m) => warnings.push(m) });
    try {
      const trials = await store.listTrials(spec.name);
      expect(trials.map((trial) => [trial.number, trial.state])).toEqual([
        [0, 'complete'],
        [1, 'complete'],
        [2, 'complete'],
      ]);
      expect(trials[1]).toMatchObject({
        number: 1,
        internal: { x: 0.1 },
        loss: 0.25,
        attrs: { note: 'kept' },
        intermediate: [
          { step: 0, value: 0.75 },
          { step: 1, value: 0.5 },
        ],
      });
      // Only the creation line held the start time: the finish time stands for it.
      const rebuilt = trials[1] as FinishedTrial;
      expect(rebuilt.startedAt).toBe(rebuilt.finishedAt);
      expect(rebuilt).not.toHaveProperty('lease');
      // Once each in what a run's mirror reads too, though the placeholder of #1 was replaced.
      const changed = await store.listTrialsSince?.(spec.name);
      expect(changed?.trials.map((trial) => trial.number)).toEqual([0, 1, 2]);
      expect(warnings).toEqual([
        expect.stringContaining(`salvage skipped line ${created} (it is not a journal record`),
        expect.stringContaining(
          `salvage rebuilt trial #1 of \`recovery\`, whose creation line was lost, from its later lines (params at line ${lineOf(path, 'params', 1)},`,
        ),
      ]);
    } finally {
      await store.close();
    }
  });

  it('rebuilds the last trial when its creation line alone was lost (it was left out)', async () => {
    const path = await writeFinished();
    damage(path, ['trial', 2]);
    const store = createJsonlStore({ path, readOnly: true, salvage: true, onWarning: () => undefined });
    try {
      const trials = await store.listTrials(spec.name);
      expect(trials.map((trial) => trial.number)).toEqual([0, 1, 2]);
      expect(trials[2]).toMatchObject({ state: 'complete', internal: { x: 0.2 }, loss: 0.125 });
    } finally {
      await store.close();
    }
  });

  it('drops the last trial when its creation and params lines were lost, and says so', async () => {
    const path = await writeFinished();
    damage(path, ['trial', 2], ['params', 2]);
    const warnings: string[] = [];
    const store = createJsonlStore({ path, readOnly: true, salvage: true, onWarning: (m) => warnings.push(m) });
    try {
      expect((await store.listTrials(spec.name)).map((trial) => trial.number)).toEqual([0, 1]);
      expect(warnings).toContainEqual(
        expect.stringContaining(
          `salvage skipped line ${lineOf(path, 'finish', 2)} (an update of trial #2 of \`recovery\`, whose creation line was lost and no params line`,
        ),
      );
    } finally {
      await store.close();
    }
  });

  it('is refused for a store that writes: nothing is appended to a damaged journal', () => {
    expect(() => createJsonlStore({ path: tempPath('w.parzen.jsonl'), salvage: true })).toThrow(
      /salvage only with readOnly/,
    );
  });
});

describe('a journal deleted, moved or replaced under an open store (trial 53)', () => {
  it('refuses the next write with STORE_FAILED instead of appending to a file nobody will read', async () => {
    const path = tempPath('gone.parzen.jsonl');
    const store = createJsonlStore({ path });
    await store.openStudy(spec);
    const first = await store.createTrial(spec.name);
    await store.finishTrial(spec.name, first?.number ?? 0, { state: 'complete', loss: 1 });
    const second = await store.createTrial(spec.name);
    renameSync(path, `${path}.moved`);
    const moved = await rejectionOf(store.finishTrial(spec.name, second?.number ?? 1, { state: 'complete', loss: 2 }));
    expect(moved).toMatchObject({ code: 'STORE_FAILED' });
    expect((moved as Error).message).toBe(
      `Journal \`${path}\`: the journal file was deleted or moved while this store had it open: what it records now would go into the removed file and be lost. Nothing more is written; if it was moved, move it back and run again`,
    );
    // Another file at the path (a copy put back, a new study): not written either.
    copyFileSync(`${path}.moved`, path);
    const replaced = await rejectionOf(store.createTrial(spec.name));
    expect((replaced as Error).message).toContain(
      'the journal file was replaced by another file while this store had it open',
    );
    expect(readFileSync(path, 'utf8')).toBe(readFileSync(`${path}.moved`, 'utf8'));
    await store.close();
  });
});
