// What a user trial found confusing in export, validate, a grown space's refusal and import (trial 153).

import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { heartModule, journalHeartConfig, lastJsonLine, tempDir, writeIn } from './cli-harness.js';
import { cli, cliIn } from './cli-in-process.js';

let dir: string;
let config: string;
beforeAll(async () => {
  dir = tempDir('parzen-trial-153-');
  writeIn(dir, 'heart.mjs', heartModule);
  config = journalHeartConfig(dir, 'heart');
  const run = await cli('run', config, '--quiet');
  expect(run.code, run.stderr).toBe(0);
});

describe('export asked for CSV', () => {
  it('refuses --csv with the command that writes CSV (was: unknown option)', async () => {
    const asked = await cli('export', config, '--csv');
    expect(asked.code).toBe(2);
    expect(asked.stderr).toContain(`CSV comes from \`parzen trials ${config} --csv > trials.csv\``);
    expect(asked.stderr).not.toContain('unknown option');
    expect(asked.stdout).toBe('');
  });

  it('refuses -o with a .csv or .tsv name, writing nothing (was: JSONL written under that name)', async () => {
    const csv = join(dir, 'results.csv');
    const named = await cli('export', config, '-o', csv);
    expect(named.code).toBe(2);
    expect(named.stderr).toContain(`-o ${csv}: \`parzen export\` writes JSONL only`);
    expect(named.stderr).toContain(`\`parzen trials ${config} --csv > ${csv}\``);
    expect(existsSync(csv)).toBe(false);
    const tsv = join(dir, 'results.TSV');
    const tab = await cli('export', '--store', `jsonl:${join(dir, 'heart.parzen.jsonl')}`, '-o', tsv);
    expect(tab.code).toBe(2);
    // The store as --store is said elsewhere, the .tsv name as .csv.
    expect(tab.stderr).toContain(
      `\`parzen trials --store jsonl:${join(dir, 'heart.parzen.jsonl')} --csv > ${join(dir, 'results.csv')}\``,
    );
    expect(tab.stderr).toContain('there is no TSV');
    expect(existsSync(tsv)).toBe(false);
    // A JSONL name still exports.
    expect((await cli('export', config, '-o', join(dir, 'heart.jsonl'))).code).toBe(0);
  });
});

describe('export asked for CSV into a folder that does not exist', () => {
  it("suggests a command that works as shown: a shell's > creates no folder, so the file in the working directory", async () => {
    const missing = join(dir, 'not-yet', 'results.csv');
    const named = await cliIn(dir, 'export', config, '-o', missing);
    expect(named.code).toBe(2);
    expect(named.stderr).toContain(
      `CSV comes from \`parzen trials ${config} --csv > results.csv\` (its rows import too; the folder ${join(dir, 'not-yet')} does not exist, so this writes it here).`,
    );
    expect(existsSync(join(dir, 'not-yet'))).toBe(false);
    // With a config and --store, the store read is --store's: the suggestion keeps it; a name with a space quoted.
    const spaced = join(dir, 'my results', 'x.csv');
    mkdirSync(join(dir, 'my results'));
    const flagged = await cli('export', config, '--store', `jsonl:${join(dir, 'heart.parzen.jsonl')}`, '-o', spaced);
    expect(flagged.stderr).toContain(
      `\`parzen trials ${config} --store jsonl:${join(dir, 'heart.parzen.jsonl')} --csv > '${spaced}'\``,
    );
  });

  it('quotes for a POSIX shell: nothing expands, a quote kept; a store URL without its password, said (review 149)', async () => {
    // In double quotes `$HOME` expanded: the command read another file.
    const dollar = await cliIn(dir, 'export', "it's $HOME.json", '--study', 'a `b`', '--csv');
    expect(dollar.code).toBe(2);
    expect(dollar.stderr).toContain("`parzen trials 'it'\\''s $HOME.json' --study 'a `b`' --csv > trials.csv`");
    // A masked password failed as shown; the postgres store takes none in its URL.
    const url = await cli('export', '--store', 'postgres://u:secret@localhost/db?password=x&sslmode=require', '--csv');
    expect(url.code).toBe(2);
    expect(url.stderr).toContain(
      "`parzen trials --store 'postgres://u@localhost/db?sslmode=require' --csv > trials.csv` (its rows import too; the URL's password is left out: the postgres store reads it from PGPASSWORD (or the variable its passwordEnv option names), never from the URL).",
    );
    expect(url.stderr).not.toContain('secret');
  });
});

describe('validate with a store it cannot read', () => {
  const notCompared =
    /note: \/store: the `(jsonl|sqlite|postgres)` store could not be read, so study unread was not compared/;

  it('fails on a local store file that is no store, as the run would (exit 1, STORE_CORRUPT)', async () => {
    writeFileSync(join(dir, 'unread.parzen.jsonl'), 'not a journal\n');
    const journal = await cli('validate', journalHeartConfig(dir, 'unread'));
    expect(journal.code, journal.stderr).toBe(1);
    expect(journal.stderr).not.toMatch(notCompared);
    expect(journal.stderr).toContain('is not a Parzen journal');

    writeFileSync(join(dir, 'unread.db'), 'not a database\n');
    const sqlite = journalHeartConfig(dir, 'unread', { store: { use: 'sqlite', options: { path: './unread.db' } } });
    const json = await cli('validate', sqlite, '--json');
    expect(json.code, json.stderr).toBe(1);
    const [error] = (lastJsonLine(json.stdout) as { errors: { code: string; message: string }[] }).errors;
    expect(error).toMatchObject({ code: 'STORE_CORRUPT', message: expect.stringContaining('SQLITE_NOTADB') });
  });

  it('says so of a PostgreSQL server that is not there (a port where nothing listens)', async () => {
    const closed = journalHeartConfig(dir, 'unread', {
      store: { use: 'postgres', options: { url: 'postgres://parzen@127.0.0.1:1/parzen' } },
    });
    const refused = await cli('validate', closed);
    expect(refused.code, refused.stderr).toBe(0);
    expect(refused.stderr).toMatch(notCompared);
    expect(refused.stderr).toMatch(/Cannot reach PostgreSQL .*ECONNREFUSED/);
  });

  it('says nothing of a store that only lacks the study', async () => {
    const fresh = await cli('validate', journalHeartConfig(dir, 'fresh'));
    expect(fresh.code).toBe(0);
    expect(fresh.stderr).not.toContain('could not be read');
  });
});

describe('a space grown by parameters only', () => {
  /** Study heart's config with `dropout` added, and `x` from `low` (its study's: -2). */
  const withDropout = (low: number): string =>
    journalHeartConfig(dir, 'heart', {
      space: {
        x: { type: 'uniform', low, high: 2 },
        y: { type: 'uniform', low: -2, high: 2 },
        dropout: { type: 'uniform', low: 0, high: 0.5 },
      },
    });

  it("says up front that the study's trials lack them and how to carry them over", async () => {
    const refused = await cli('validate', withDropout(-2));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      'Its trials lack `dropout`, so as they are none fits the new space (an import with --on-invalid skip imports none).',
    );
    expect(refused.stderr).toContain(
      'give each trial the value the earlier runs used (a field in its params, or a column), then `parzen import`',
    );
    expect(refused.stderr).not.toContain('--on-invalid skip leaves out');
  });

  it('keeps the recipe of the trials that still fit for a change that adds no parameter', async () => {
    const narrowed = journalHeartConfig(dir, 'heart', {
      space: { x: { type: 'uniform', low: -1, high: 2 }, y: { type: 'uniform', low: -2, high: 2 } },
    });
    const refused = await cli('validate', narrowed);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('--on-invalid skip leaves out those that no longer fit');
    expect(refused.stderr).not.toContain('Its trials lack');
  });

  // Review 147: an added parameter among other changes still got "carry over the trials that still fit": none does.
  it('says the trials lack an added parameter among other changes too', async () => {
    const refused = await cli('validate', withDropout(-1));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Its trials lack `dropout`, so as they are none fits the new space');
    expect(refused.stderr).toContain(
      'Those that then still do not fit the other changes are left out with --on-invalid skip.',
    );
  });
});

describe('import of params without a loss', () => {
  it("points at the config's enqueue list", async () => {
    const toTry = writeIn(dir, 'totry.csv', 'x,y\n0.5,0.25\n');
    const refused = await cli('import', journalHeartConfig(dir, 'totry'), toTry);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('(no loss column).');
    expect(refused.stderr).toContain(
      'To run these params as trials rather than import results, list them in the config\'s `enqueue`, one object of params each (`"enqueue": [{"x": ..., "y": ...}]`): a run evaluates them first.',
    );
    // A CSV of results with its loss under another name is not told so.
    const results = await cli(
      'import',
      journalHeartConfig(dir, 'results'),
      writeIn(dir, 'r.csv', 'x,y,val_loss\n0.5,1,2\n'),
    );
    expect(results.stderr).not.toContain('enqueue');
  });
});
