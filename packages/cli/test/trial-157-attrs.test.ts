// What a user trial with a noisy objective found hard to see: the trials' attrs in `parzen trials`, which
// trials ran an enqueued entry, and a seed for the objective's own randomness (trial 157).

import { beforeAll, describe, expect, it } from 'vitest';
import { heartConfig, tempDir, writeIn } from './cli-harness.js';
import { cli } from './cli-in-process.js';

/** Records the seed it was given, its trial number and a long curve in attrs; runs in a worker thread. */
const seededModule = `export default ({ x, y }, context) => ({
  loss: x * x + y * y,
  attrs: { seed: context.seed ?? null, trial: context.trialNumber, curve: Array.from({ length: 20 }, (_, i) => i / 7) },
});
`;

let dir: string;
/** A config of `name` with `extra`, its journal beside it. */
const config = (name: string, extra: Record<string, unknown> = {}): string =>
  writeIn(dir, `${name}.json`, {
    ...heartConfig({ name, objective: { use: 'module', options: { path: './seeded.mjs' } } }),
    store: { use: 'jsonl', options: { path: `./${name}.parzen.jsonl` } },
    ...extra,
  });

interface Row {
  readonly number: number;
  readonly params: Record<string, unknown>;
  readonly attrs?: { seed?: number; trial?: number; curve?: number[] };
  readonly enqueued?: { params: Record<string, unknown>; key?: string };
}
const rowsOf = async (path: string, ...flags: string[]): Promise<Row[]> => {
  const listed = await cli('trials', path, '--json', ...flags);
  expect(listed.code, listed.stderr).toBe(0);
  return JSON.parse(listed.stdout) as Row[];
};

let study: string;
beforeAll(async () => {
  dir = tempDir('parzen-trial-157-');
  writeIn(dir, 'seeded.mjs', seededModule);
  study = config('seeded', { enqueue: [{ x: 0.5 }, { x: 0.25, y: 0.25 }] });
  const run = await cli('run', study, '--quiet');
  expect(run.code, run.stderr).toBe(0);
});

describe('attrs in the trials table', () => {
  it('shows short attrs as attrs.NAME columns, and says which long ones it left out', async () => {
    const table = await cli('trials', study);
    expect(table.code, table.stderr).toBe(0);
    const header = table.stdout.split('\n')[0]?.trim().split(/\s+/);
    expect(header).toEqual(['#', 'state', 'loss', 'x', 'y', 'attrs.seed', 'attrs.trial', 'enqueued', 'error']);
    expect(table.stderr).toContain(
      'parzen: attrs.curve is not shown (its values are long): `--params attrs.curve` shows it, and --csv and --json list every attribute.',
    );
  });

  it('--params takes attrs.NAME, as --csv names the column, in the order given', async () => {
    const rows = await rowsOf(study);
    const table = await cli('trials', study, '--params', 'attrs.seed,x');
    expect(table.code, table.stderr).toBe(0);
    const lines = table.stdout.split('\n');
    expect(lines[0]?.trim().split(/\s+/)).toEqual(['#', 'state', 'loss', 'attrs.seed', 'x', 'enqueued', 'error']);
    expect(lines[3]?.trim().split(/\s+/)[3]).toBe(String(rows[2]?.attrs?.seed));
    // The CSV's attrs columns are those named; --json's attrs too.
    const csv = await cli('trials', study, '--csv', '--params', 'x,attrs.trial,attrs.seed');
    expect(csv.stdout.split('\n')[0]).toBe(
      'study,number,state,loss,x,attrs.trial,attrs.seed,error_code,error_message,started_at,finished_at,enqueued',
    );
    expect((await rowsOf(study, '--params', 'attrs.seed'))[0]).toMatchObject({
      params: {},
      attrs: { seed: rows[0]?.attrs?.seed },
    });
    // Without attrs.NAME, --params narrows the params alone (as before).
    expect(Object.keys((await rowsOf(study, '--params', 'x'))[0]?.attrs ?? {})).toEqual(['seed', 'trial', 'curve']);
  });

  it('refuses an attribute no trial has, naming those they have; a bare attribute name is told its spelling', async () => {
    const typo = await cli('trials', study, '--params', 'x,attrs.sed');
    expect(typo.code).toBe(2);
    expect(typo.stderr).toBe(
      'parzen: --params: "attrs.sed" is not an attribute of any trial (did you mean `attrs.seed`?); the trials have `attrs.seed`, `attrs.trial`, `attrs.curve`.',
    );
    const bare = await cli('trials', study, '--params', 'seed');
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain(
      '"seed" is not a parameter of the study\'s space; it has `x`, `y`. `seed` is an attribute of the trials: name it `attrs.seed`.',
    );
  });
});

describe('--params with an attribute whose name has a comma', () => {
  it('takes a flag whose whole value is attrs.NAME as that one name, and refuses an empty name', async () => {
    writeIn(dir, 'comma.mjs', "export default ({ x, y }) => ({ loss: x * x + y * y, attrs: { 'a,b': 1, a: 2 } });\n");
    const comma = config('comma', { objective: { use: 'module', options: { path: './comma.mjs' } } });
    expect((await cli('run', comma, '--quiet')).code).toBe(0);
    const header = async (...flags: string[]) => {
      const listed = await cli('trials', comma, ...flags);
      expect(listed.code, listed.stderr).toBe(0);
      return listed.stdout.split('\n')[0]?.trim().split(/\s+/);
    };
    expect(await header('--params', 'attrs.a,b')).toEqual(['#', 'state', 'loss', 'attrs.a,b', 'error']);
    expect(await header('--params', 'x', '--params', 'attrs.a,b', '--params', 'attrs.a,y')).toEqual([
      '#',
      'state',
      'loss',
      'x',
      'attrs.a,b',
      'attrs.a',
      'y',
      'error',
    ]);
    // In a list, the comma splits: the refusal says how to give such a name.
    const listed = await cli('trials', comma, '--params', 'x,attrs.a,b');
    expect(listed.code).toBe(2);
    expect(listed.stderr).toContain('"b" is not a parameter');
    expect(listed.stderr).toContain(
      'A name with a comma (`attrs.a,b`) is given in a --params flag of its own: --params x --params "attrs.a,b".',
    );
    for (const malformed of ['x,,y', 'x,', ',x', ' , ']) {
      const refused = await cli('trials', comma, '--params', malformed);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toBe(
        `parzen: --params ${JSON.stringify(malformed)}: an empty name (two commas in a row, or a comma at either end); give names separated by single commas, or the flag again for each name. A name with a comma (\`attrs.a,b\`) is given in a --params flag of its own: --params x --params "attrs.a,b".`,
      );
    }
  });
});

describe('trials that ran an enqueued entry', () => {
  it('--json gives the entry (the params it fixed, its key); the table marks them', async () => {
    const rows = await rowsOf(study);
    expect(rows[0]?.enqueued).toEqual({ params: { x: 0.5 }, key: 'enqueue:{"x":0.5}#0' });
    expect(rows[1]?.enqueued).toEqual({ params: { x: 0.25, y: 0.25 }, key: 'enqueue:{"x":0.25,"y":0.25}#0' });
    expect(rows.slice(2).every((row) => row.enqueued === undefined)).toBe(true);
    const lines = (await cli('trials', study)).stdout.split('\n');
    const column = lines[0]?.indexOf('enqueued') ?? -1;
    expect(lines.slice(1).map((line) => line.slice(column).trim())).toEqual([
      'x',
      'all params',
      ...rows.slice(2).map(() => ''),
    ]);
  });
});

describe('the enqueued column of --csv, read back by import', () => {
  it('gives the entry as --json does, last, and import reads the CSV and the JSON lines back', async () => {
    const rows = await rowsOf(study);
    const csv = await cli('trials', study, '--csv');
    expect(csv.code, csv.stderr).toBe(0);
    const lines = csv.stdout.trim().split('\n');
    expect(lines[0]?.split(',').at(-1)).toBe('enqueued');
    // The --json field as JSON, CSV-quoted; empty for a drawn trial.
    expect(lines[1]?.endsWith(`,"${JSON.stringify(rows[0]?.enqueued).replaceAll('"', '""')}"`)).toBe(true);
    expect(lines[3]?.endsWith(',')).toBe(true);
    writeIn(dir, 'listed.csv', csv.stdout);
    writeIn(dir, 'listed.jsonl', (await cli('trials', study, '--jsonl')).stdout);
    for (const file of ['listed.csv', 'listed.jsonl']) {
      const into = config(`into-${file.replace('.', '-')}`, { enqueue: [{ x: 0.5 }, { x: 0.25, y: 0.25 }] });
      const imported = await cli('import', into, `${dir}/${file}`);
      expect(imported.code, imported.stderr).toBe(0);
      const back = await rowsOf(into);
      expect(back.map((row) => [row.params, row.attrs])).toEqual(rows.map((row) => [row.params, row.attrs]));
      // The config's entries the imported trials ran are marked as run by their params, as the source's were.
      expect(back.map((row) => row.enqueued)).toEqual(rows.map((row) => row.enqueued));
    }
  });

  it('names a parameter called `enqueued` params.enqueued beside the column, and import reads it back', async () => {
    const named = config('named', {
      space: { enqueued: { type: 'uniform', low: -2, high: 2 }, y: { type: 'uniform', low: -2, high: 2 } },
      objective: { use: 'module', options: { path: './named.mjs' } },
      enqueue: [{ enqueued: 0.5 }],
      budget: { maxTrials: 3 },
    });
    writeIn(dir, 'named.mjs', 'export default ({ enqueued, y }) => enqueued * enqueued + y * y;\n');
    expect((await cli('run', named, '--quiet')).code).toBe(0);
    const csv = await cli('trials', named, '--csv');
    expect(csv.stdout.split('\n')[0]).toBe(
      'study,number,state,loss,params.enqueued,y,error_code,error_message,started_at,finished_at,enqueued',
    );
    writeIn(dir, 'named.csv', csv.stdout);
    const into = config('named-into', {
      space: { enqueued: { type: 'uniform', low: -2, high: 2 }, y: { type: 'uniform', low: -2, high: 2 } },
      objective: { use: 'module', options: { path: './named.mjs' } },
    });
    const imported = await cli('import', into, `${dir}/named.csv`);
    expect(imported.code, imported.stderr).toBe(0);
    expect((await rowsOf(into)).map((row) => row.params)).toEqual((await rowsOf(named)).map((row) => row.params));
  });
});

describe("the objective's seed (context.seed) in a worker thread", () => {
  it('differs across trials and study seeds, and is the same for the same trial in a rerun', async () => {
    const seeds = async (path: string) => (await rowsOf(path)).map((row) => row.attrs?.seed);
    const first = await seeds(study);
    expect(first).toHaveLength(8);
    expect(new Set(first).size).toBe(8);
    expect(first.every((seed) => Number.isInteger(seed))).toBe(true);
    const rerun = config('rerun', { enqueue: [{ x: 0.5 }, { x: 0.25, y: 0.25 }] });
    expect((await cli('run', rerun, '--quiet')).code).toBe(0);
    expect(await seeds(rerun)).toEqual(first);
    const other = config('other', { seed: 2 });
    expect((await cli('run', other, '--quiet')).code).toBe(0);
    const otherSeeds = await seeds(other);
    expect(otherSeeds.every((seed, index) => seed !== first[index])).toBe(true);
  });
});
