import { mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StudySpec } from '@parzen/engine/plugin';
import { tempFolder } from '@parzen/test-kit';
import { describe, expect, it } from 'vitest';
import { createJsonlStore } from './jsonl-store.js';

const spec: StudySpec = {
  name: 'study',
  direction: 'minimize',
  seed: 1,
  space: { x: { type: 'uniform', low: 0, high: 1 } },
};
const dir = tempFolder('parzen-adversarial-journal-');
const quiet = { onWarning: () => undefined, lockTimeoutMs: 1000 };

describe('the journal store refuses files that are not journals (issue 9)', () => {
  it.each([
    [
      'a one-line JSON config without a trailing newline',
      'config.json',
      '{"name":"heart","space":{},"budget":{"maxTrials":3}}',
    ],
    ['a one-line notes file', 'notes.txt', 'remember to tune the learning rate'],
    ['a notes file with lines', 'notes.md', '# Notes\n\nsome text\n'],
    ['a JSON line that is not a record', 'data.jsonl', '{"a":1}\n{"a":2}\n'],
    ['a YAML config', 'experiment.yaml', 'name: heart\nbudget: {maxTrials: 3}\n'],
    ['a file starting with a blank line', 'blank.txt', '\nhello'],
    // Its first line, `{`, is where a torn header would start: only the header's start with nothing after
    // it (or the repair a writer added) is a torn header.
    ['a pretty-printed JSON config', 'experiment.json', '{\n  "name": "heart",\n  "budget": { "maxTrials": 3 }\n}\n'],
    ['a pretty-printed JSON config without a last newline', 'config2.json', '{\n  "name": "heart"\n}'],
  ])(
    '%s: left untouched, with STORE_CORRUPT naming it (as sqlite says a file that is no database)',
    async (_what, name, content) => {
      const path = join(dir, name);
      writeFileSync(path, content);
      const store = createJsonlStore({ path, ...quiet });
      await expect(store.openStudy(spec)).rejects.toMatchObject({
        code: 'STORE_CORRUPT',
        message: expect.stringContaining('is not a Parzen journal'),
      });
      await store.close();
      const reader = createJsonlStore({ path, ...quiet, readOnly: true });
      await expect(reader.listStudies()).rejects.toThrow(/is not a Parzen journal/);
      await reader.close();
      expect(readFileSync(path, 'utf8')).toBe(content);
    },
  );

  it('names a SQLite database as such, and the store that reads it (it quoted its binary first line)', async () => {
    const path = join(dir, 'study.parzen.db');
    writeFileSync(path, Buffer.concat([Buffer.from('SQLite format 3\u0000'), Buffer.alloc(84, 1), Buffer.from('\n')]));
    const reader = createJsonlStore({ path, ...quiet, readOnly: true });
    await expect(reader.listStudies()).rejects.toThrow(
      `is not a Parzen journal: it is a SQLite database. It is left as it is; read it with the sqlite store (\`createSqliteStore({ path })\` in code, \`--store sqlite:${path}\` or \`"use": "sqlite"\` for the CLI).`,
    );
    await reader.close();
  });

  it("describes the first line with text of someone else's file without quoting it (trial 93: a .env's secret in a CI log)", async () => {
    const path = join(dir, 'secrets.env');
    writeFileSync(path, '\n\nSECRET_TOKEN=abc123\nPASSWORD=s3cret\n');
    const reader = createJsonlStore({ path, ...quiet, readOnly: true });
    const message = await reader.listStudies().then(
      () => 'read',
      (error: Error) => error.message,
    );
    await reader.close();
    expect(message).toContain('is not a Parzen journal: its first line is text that is not JSON (19 characters)');
    expect(message).not.toMatch(/abc123|s3cret/);
  });

  it('still accepts an empty file and a journal whose header a crash cut short', async () => {
    const empty = join(dir, 'empty.jsonl');
    writeFileSync(empty, '');
    const torn = join(dir, 'torn.jsonl');
    writeFileSync(torn, '{"op":"journal","form');
    for (const path of [empty, torn]) {
      const store = createJsonlStore({ path, ...quiet });
      expect((await store.openStudy(spec)).resumed).toBe(false);
      await store.close();
      const again = createJsonlStore({ path, ...quiet });
      expect((await again.openStudy(spec)).resumed).toBe(true);
      await again.close();
    }
  });
});

describe('a lock path that is a directory (issue 9)', () => {
  it.each([
    ['fresh', 0],
    ['old enough to look stale', 3600],
  ])('fails at once with a clear error when the directory is %s, instead of spinning', async (_what, ageSeconds) => {
    const path = join(dir, `locked-${ageSeconds}.jsonl`);
    mkdirSync(`${path}.lock`);
    const old = Date.now() / 1000 - ageSeconds;
    utimesSync(`${path}.lock`, old, old);
    const store = createJsonlStore({ path, ...quiet, lockTimeoutMs: 30_000, staleLockMs: 1000 });
    const started = Date.now();
    await expect(store.openStudy(spec)).rejects.toThrow(/lock path is a directory \(EISDIR\)/);
    expect(Date.now() - started).toBeLessThan(5000);
    await store.close();
  });
});

describe('a journal path that is a folder', () => {
  it('is STORE_FAILED naming it, for the read-only commands too (was a bare EISDIR with a stack trace)', async () => {
    const path = join(dir, 'studies');
    mkdirSync(path);
    const reader = createJsonlStore({ path, ...quiet, readOnly: true });
    for (const read of [() => reader.listStudies(), () => reader.getStudy('study')])
      await expect(read()).rejects.toMatchObject({
        code: 'STORE_FAILED',
        message: expect.stringMatching(/`.*studies`: this is a folder, not a journal file/),
      });
    await reader.close();
    const store = createJsonlStore({ path, ...quiet });
    // The same words when a run opens it to write (trial 44: a bare EISDIR).
    await expect(store.openStudy(spec)).rejects.toMatchObject({
      code: 'STORE_FAILED',
      message: expect.stringMatching(/`.*studies`: this is a folder, not a journal file/),
    });
    await store.close();
  });
});

describe('a record too long for one journal line', () => {
  it('is STORE_FAILED saying what to do, nothing written (review 45: a 600 MB import crashed with a RangeError)', async () => {
    const path = join(dir, 'huge-import.jsonl');
    const store = createJsonlStore({ path, ...quiet });
    await store.openStudy(spec);
    const before = readFileSync(path, 'utf8');
    // JSON.stringify of a line past V8's string limit throws a RangeError; made to here without 512 MiB.
    const stringify = JSON.stringify;
    JSON.stringify = ((value: unknown, ...rest: unknown[]) => {
      if ((value as { op?: unknown })?.op === 'add') throw new RangeError('Invalid string length');
      return stringify(value, ...(rest as []));
    }) as typeof JSON.stringify;
    try {
      const trials = [1, 2].map((loss) => ({ internal: { x: 0.5 }, outcome: { state: 'complete', loss } as const }));
      await expect(store.addTrials(spec.name, trials)).rejects.toMatchObject({
        code: 'STORE_FAILED',
        message: expect.stringContaining(
          'these 2 trials (an import is one line, all or none) would make a line longer than a JavaScript string can be (about 512 MiB); nothing was written. Import them in parts',
        ),
      });
    } finally {
      JSON.stringify = stringify;
    }
    expect(readFileSync(path, 'utf8')).toBe(before);
    expect(await store.listTrials(spec.name)).toEqual([]);
    await store.close();
  });
});
