import { homedir } from 'node:os';
import { join } from 'node:path';
import { ParzenError } from '@parzen/engine';
import { formatIssues } from '@parzen/engine/plugin';
import { describe, expect, it } from 'vitest';
import { CliError } from './exit-codes.js';
import { blameStoreFlag, parseStoreSpec, specWithoutPassword } from './store-spec.js';

describe('blameStoreFlag', () => {
  it("says an options issue of the flag, and keeps a store's own account whole (review 67: a server's reason was lost)", () => {
    const issue = {
      pointer: '/store/options/url',
      expected: 'a URL without a password',
      found: 'postgres://u:***@h/d',
    };
    const invalid = new ParzenError('CONFIG_INVALID', `Invalid options:\n  ${issue.pointer}: ...`, { issues: [issue] });
    expect((blameStoreFlag(invalid, '--store') as Error).message).toBe(
      '--store: expected a URL without a password (options/url), found postgres://u:***@h/d.',
    );
    // As configErrorUnder gives it: the store's own words, then its placed issues listed (review 70: untested).
    const placed = [{ ...issue, absolute: true }];
    const server = new ParzenError(
      'CONFIG_INVALID',
      `Cannot use PostgreSQL at \`u@h:5432/d\`: database "d" does not exist. Create it with createdb d.\n${formatIssues(placed)}`,
      { issues: placed },
    );
    const said = blameStoreFlag(server, '--store') as ParzenError;
    expect(said.code).toBe('CONFIG_INVALID');
    expect(said.message).toBe(
      '--store: Cannot use PostgreSQL at `u@h:5432/d`: database "d" does not exist. Create it with createdb d.',
    );
  });
});

describe('parseStoreSpec', () => {
  it('reads a plugin name and an optional path relative to the working directory', () => {
    expect(parseStoreSpec('memory', '/work')).toEqual({ use: 'memory' });
    expect(parseStoreSpec('sqlite:./runs/x.db', '/work')).toEqual({
      use: 'sqlite',
      options: { path: '/work/runs/x.db' },
    });
    expect(parseStoreSpec('jsonl:/abs/x.jsonl', '/work')).toEqual({ use: 'jsonl', options: { path: '/abs/x.jsonl' } });
    expect(parseStoreSpec('jsonl:C:x', '/work')).toEqual({ use: 'jsonl', options: { path: '/work/C:x' } });
  });

  // Trial 159: a shell does not expand `~` after `jsonl:`, and `./~/x.jsonl` was made in the working directory.
  it('reads a path starting with ~/ as in the home folder, for every store kind with a path', () => {
    for (const use of ['jsonl', 'sqlite', 'my-store'])
      expect(parseStoreSpec(`${use}:~/studies/x`, '/work')).toEqual({
        use,
        options: { path: join(homedir(), 'studies/x') },
      });
    expect(parseStoreSpec('jsonl:./~/x.jsonl', '/work')).toEqual({
      use: 'jsonl',
      options: { path: '/work/~/x.jsonl' },
    });
  });

  it('reads a postgres URL, alone or after postgres:, without resolving it as a path', () => {
    const url = 'postgres://parzen@db.example:5433/studies';
    const expected = { use: 'postgres', options: { url } };
    expect(parseStoreSpec(url, '/work')).toEqual(expected);
    expect(parseStoreSpec(`postgres:${url}`, '/work')).toEqual(expected);
    expect(parseStoreSpec('postgresql://parzen@db/s', '/work')).toEqual({
      use: 'postgres',
      options: { url: 'postgresql://parzen@db/s' },
    });
  });

  it('rejects a spec that is not NAME or NAME:PATH', () => {
    expect(() => parseStoreSpec(':x.db')).toThrow(CliError);
    expect(() => parseStoreSpec('sql ite')).toThrow(/expected NAME or NAME:PATH/);
  });

  it('says which form was meant when given a file name', () => {
    expect(() => parseStoreSpec('m.parzen.jsonl')).toThrow(
      /found a file name; did you mean --store jsonl:m\.parzen\.jsonl\?/,
    );
    expect(() => parseStoreSpec('runs.db')).toThrow(/did you mean --store sqlite:runs\.db\?/);
    // Optuna's storage URL (trial 100: `sqlite:///x.db` made /x.db at the file system's root).
    expect(() => parseStoreSpec('sqlite:///x.db')).toThrow(/an SQLAlchemy URL.*did you mean --store sqlite:x\.db\?/);
    expect(() => parseStoreSpec('sqlite:////data/x.db')).toThrow(/did you mean --store sqlite:\/data\/x\.db\?/);
    expect(parseStoreSpec('sqlite:/data/x.db')).toEqual({ use: 'sqlite', options: { path: '/data/x.db' } });
    expect(() => parseStoreSpec('notes.txt')).toThrow(/found a file name; e\.g\. jsonl:/);
    expect(() => parseStoreSpec('memory:x')).toThrow(/the memory store keeps nothing on disk, so it takes no path/);
    // A folder's path (review 89: resolved, `jsonl:./out/` lost its slash and made a journal file `out`).
    // A store plugin's own path may be a folder's: only the file stores' is refused (review 90).
    expect(parseStoreSpec('mystore:./dir/', '/w')).toEqual({ use: 'mystore', options: { path: '/w/dir' } });
    expect(() => parseStoreSpec('jsonl:./out/')).toThrow(
      '--store "jsonl:./out/": expected the path of a file the store keeps the study in, found a folder\'s path (it ends with a slash).',
    );
    // A path too (trial 62: only a bare name was offered the form).
    expect(() => parseStoreSpec('./x.parzen.jsonl')).toThrow(
      /found a path; did you mean --store jsonl:\.\/x\.parzen\.jsonl\?/,
    );
    expect(() => parseStoreSpec('/tmp/x.parzen.db')).toThrow(/did you mean --store sqlite:\/tmp\/x\.parzen\.db\?/);
    // Quoted for the shell, as every command Parzen suggests is: a path with a space pasted as shown works.
    expect(() => parseStoreSpec('./my runs/x.parzen.db')).toThrow(
      "did you mean --store 'sqlite:./my runs/x.parzen.db'?",
    );
  });
});

describe('specWithoutPassword', () => {
  it("takes a URL's password out, and changes nothing else", () => {
    expect(specWithoutPassword('postgres://ann:secret@db/studies')).toEqual({
      spec: 'postgres://ann@db/studies',
      removed: true,
    });
    expect(specWithoutPassword('postgres://db/studies?password=x&sslmode=require')).toEqual({
      spec: 'postgres://db/studies?sslmode=require',
      removed: true,
    });
    expect(specWithoutPassword('postgres://db/studies?sslmode=require&password=x')).toEqual({
      spec: 'postgres://db/studies?sslmode=require',
      removed: true,
    });
    // A spec ending in ? or & with no password is someone's path: left as it is (review 150).
    expect(specWithoutPassword('jsonl:./runs&')).toEqual({ spec: 'jsonl:./runs&', removed: false });
    expect(specWithoutPassword('sqlite:./what?')).toEqual({ spec: 'sqlite:./what?', removed: false });
  });
});
