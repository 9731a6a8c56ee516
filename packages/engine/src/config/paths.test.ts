import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { endsWithSeparator, expandHome, resolveConfigPath, storeFilePathIssues } from './paths.js';

const dir = mkdtempSync(join(tmpdir(), 'parzen-paths-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('resolveConfigPath', () => {
  // Trial 159: `~/t.jsonl` made a folder named `~` beside the config.
  it('reads a leading `~/` (and `~` alone) as the home folder, as a shell does; any other `~` as it is', () => {
    expect(resolveConfigPath('/configs', '~/studies/x.jsonl')).toBe(join(homedir(), 'studies/x.jsonl'));
    expect(resolveConfigPath('/configs', '~')).toBe(homedir());
    expect(resolveConfigPath('/configs', './~/x.jsonl')).toBe('/configs/~/x.jsonl');
    expect(resolveConfigPath('/configs', '~bob/x.jsonl')).toBe('/configs/~bob/x.jsonl');
    expect(resolveConfigPath('/configs', 'a/~/x.jsonl')).toBe('/configs/a/~/x.jsonl');
    expect(resolveConfigPath('/configs', '/abs/x.jsonl')).toBe('/abs/x.jsonl');
    expect(expandHome('~x')).toBe('~x');
  });
});

describe('storeFilePathIssues', () => {
  it("refuses a path written with a trailing slash: a folder's (trial 86: `./out/` made a journal file `out`)", () => {
    expect(storeFilePathIssues(join(dir, 'out'), '/store/options/path', './out/')).toEqual([
      {
        pointer: '/store/options/path',
        expected: 'the path of a file the store keeps the study in',
        found: "`./out/`, a folder's path (it ends with a slash)",
      },
    ]);
    expect(storeFilePathIssues(join(dir, 'out'), '/path', './out')).toEqual([]);
    // A backslash is a separator only on Windows: on Linux `ev\\` is a file name.
    expect(endsWithSeparator('ev\\')).toBe(sep === '\\');
    expect(endsWithSeparator('ev/')).toBe(true);
  });

  // Trial 167: `postgres://u@localhost/db` made a SQLite file in the folders `postgres:/u@localhost`.
  it('refuses a path written as a URL or as the --store flag spells a store, with the config meant', () => {
    const found = (written: string) => storeFilePathIssues(join(dir, 'x'), '/path', written)[0]?.found;
    expect(found('postgres://u@localhost/db')).toBe(
      '`postgres://u@localhost/db`, a PostgreSQL URL: a PostgreSQL database is the postgres store, {"use": "postgres", "options": {"url": "postgres://u@localhost/db"}}',
    );
    expect(found('sqlite:./x.db')).toBe(
      '`sqlite:./x.db`, the --store flag\'s spelling (sqlite:PATH): in a config the store is named by "use", {"use": "sqlite", "options": {"path": "./x.db"}}',
    );
    expect(found('file:///tmp/x.jsonl')).toBe(
      '`file:///tmp/x.jsonl`, a URL, not a file path (write the path itself, "/tmp/x.jsonl")',
    );
    expect(found('./studies/x.jsonl')).toBeUndefined();
    expect(found('C:/studies/x.jsonl')).toBeUndefined();
  });

  // Trial 167: a journal at /dev/null ran as a study its store did not have.
  it.runIf(process.platform !== 'win32')('refuses a device, which is no regular file', () => {
    expect(storeFilePathIssues('/dev/null')).toEqual([
      {
        pointer: '/path',
        expected: 'the path of a regular file the store keeps the study in',
        found: '`/dev/null`, a character device',
      },
    ]);
  });

  it('refuses a folder, and a path under a file, at the pointer given', () => {
    mkdirSync(join(dir, 'studies'));
    writeFileSync(join(dir, 'results.csv'), 'x\n');
    expect(storeFilePathIssues(join(dir, 'studies'))).toEqual([
      {
        pointer: '/path',
        expected: 'the path of a file the store keeps the study in',
        found: `\`${join(dir, 'studies')}\`, a folder`,
      },
    ]);
    // It was ENOTDIR at the run's first write: exit 1, no pointer.
    expect(storeFilePathIssues(join(dir, 'results.csv', 'deeper', 'study.db'), '/options/path')).toEqual([
      {
        pointer: '/options/path',
        expected: 'a path whose folders are folders',
        found: `\`${join(dir, 'results.csv', 'deeper', 'study.db')}\`, under \`${join(dir, 'results.csv')}\`, which is a file`,
      },
    ]);
  });

  it('takes a file that exists or not, in folders that exist or not (the store makes them)', () => {
    writeFileSync(join(dir, 'study.parzen.jsonl'), '');
    expect(storeFilePathIssues(join(dir, 'study.parzen.jsonl'))).toEqual([]);
    expect(storeFilePathIssues(join(dir, 'new', 'sub', 'study.db'))).toEqual([]);
    expect(storeFilePathIssues('/')).toHaveLength(1);
  });
});
