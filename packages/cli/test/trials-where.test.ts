import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createRandomSuggester } from '@parzen/algo-random';
import { fmin, type SpaceDefinition } from '@parzen/engine';
import { createJsonlStore } from '@parzen/store-file';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir, writeIn } from './cli-harness.js';
import { cli } from './cli-in-process.js';

/** A tree-structured space: each model's parameters are active only in its branch. */
const space = {
  model: {
    type: 'choice',
    options: [
      { value: 'svm', space: { C: { type: 'loguniform', low: 0.01, high: 10 } } },
      { value: 'rf', space: { depth: { type: 'randint', low: 2, high: 5 } } },
      {
        value: 'mlp',
        space: {
          optimizer: {
            type: 'choice',
            options: [{ value: 'adam', space: { adam_lr: { type: 'loguniform', low: 1e-5, high: 0.1 } } }, 'sgd'],
          },
        },
      },
    ],
  },
  scale: { type: 'choice', options: [true, false, null] },
  // A string that reads as a number beside that number: the string is given in double quotes.
  size: { type: 'choice', options: ['4', 4, 'big'] },
  // Stored as its grid's floating-point products (0.30000000000000004).
  q: { type: 'quniform', low: 0, high: 1, q: 0.1 },
} as const satisfies SpaceDefinition;

interface Row {
  readonly number: number;
  readonly state: string;
  readonly loss?: number;
  readonly params: Record<string, unknown>;
}

let store: string;
/** The study's trials, as `trials --json` lists them. */
let all: Row[];
beforeAll(async () => {
  const dir = tempDir('parzen-where-');
  store = `jsonl:${join(dir, 'tree.parzen.jsonl')}`;
  const jsonl = createJsonlStore({ path: join(dir, 'tree.parzen.jsonl') });
  await fmin({
    name: 'tree',
    space,
    // The svm branch is best: the filtered best must be another trial.
    objective: (params) => (params.model === 'svm' ? 0.01 * params.C : params.model === 'rf' ? params.depth : 50),
    suggester: createRandomSuggester(),
    maxTrials: 40,
    store: jsonl,
    seed: 11,
  });
  await jsonl.close();
  all = JSON.parse((await cli('trials', '--store', store, '--json')).stdout) as Row[];
});

const numbersOf = async (...args: string[]): Promise<number[]> => {
  const run = await cli('trials', '--store', store, '--json', ...args);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return (JSON.parse(run.stdout) as Row[]).map(({ number }) => number);
};

const bestOf = (rows: readonly Row[]): Row =>
  [...rows]
    .filter((row) => row.state === 'complete')
    .sort((a, b) => (a.loss as number) - (b.loss as number) || a.number - b.number)[0] as Row;

describe('trials --where and best --where: the trials of one branch', () => {
  it('trials --where keeps the trials whose parameter has the value, all conditions holding', async () => {
    // Each condition below keeps some trials and leaves out others (none would prove nothing).
    const where = (test: (params: Record<string, unknown>) => boolean) => {
      const kept = all.filter(({ params }) => test(params)).map(({ number }) => number);
      expect(kept.length).toBeGreaterThan(0);
      expect(kept.length).toBeLessThan(all.length);
      return kept;
    };
    const rf = where((params) => params.model === 'rf');
    expect(await numbersOf('--where', 'model=rf')).toEqual(rf);
    // Spaces around the = are read as the name's are (the value " rf" was no option).
    expect(await numbersOf('--where', 'model = rf')).toEqual(rf);
    // Numbers by value, booleans and null by their words; every --where must hold.
    const depth = (all.find(({ params }) => params.model === 'rf')?.params.depth as number) ?? 2;
    expect(await numbersOf('--where', `depth=${depth}.0`)).toEqual(where((params) => params.depth === depth));
    expect(await numbersOf('--where', 'scale=null')).toEqual(where((params) => params.scale === null));
    expect(await numbersOf('--where', 'model=mlp', '--where', 'scale=false')).toEqual(
      where((params) => params.model === 'mlp' && params.scale === false),
    );
    expect(await numbersOf('--where', 'size=4')).toEqual(where((params) => params.size === 4));
    expect(await numbersOf('--where', 'size="4"')).toEqual(where((params) => params.size === '4'));
    expect(await numbersOf('--where', 'size=big')).toEqual(where((params) => params.size === 'big'));
    // A nested branch's parameter: trials outside its branch never have it.
    expect(await numbersOf('--where', 'optimizer=adam')).toEqual(where((params) => params.optimizer === 'adam'));
    // With --top: the n best of the matching trials.
    expect(await numbersOf('--where', 'model=mlp', '--top', '1')).toEqual([
      bestOf(all.filter(({ params }) => params.model === 'mlp')).number,
    ]);
  });

  it('best --where prints the best complete trial of the matching ones, --json in its usual shape', async () => {
    const mlp = all.filter(({ params }) => params.model === 'mlp');
    const expected = bestOf(mlp);
    const text = await cli('best', '--store', store, '--where', 'model=mlp');
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`Study tree (trials where model = mlp): ${mlp.length} complete, 0 failed`);
    expect(text.stdout).toContain(`Best trial #${expected.number}:`);
    const json = await cli('best', '--store', store, '--where', 'model=mlp', '--json');
    const plain = JSON.parse((await cli('best', '--store', store, '--json')).stdout) as Record<string, unknown>;
    const result = JSON.parse(json.stdout) as { best: { number: number }; trials: { complete: number } };
    expect(Object.keys(result)).toEqual(Object.keys(plain));
    expect(result.best.number).toBe(expected.number);
    expect(result.trials.complete).toBe(mlp.length);
    expect((plain as { best: { number: number } }).best.number).toBe(bestOf(all).number);
  });

  it('best --where with no matching trial says so and exits 1, as a study without a best does', async () => {
    const none = await cli('best', '--store', store, '--where', 'model=svm', '--where', 'depth=3');
    expect(none.code).toBe(1);
    expect(none.stderr).toBe(
      `parzen: study tree has no best where model = svm and depth = 3: none of its ${all.length} trials has model = svm and depth = 3.`,
    );
    const trials = await cli('trials', '--store', store, '--where', 'model=svm', '--where', 'depth=3');
    expect(trials.code).toBe(0);
    expect(trials.stdout).toBe(`No trials where model = svm and depth = 3 (of ${all.length} trials).`);
  });

  it('refuses an unknown name, a value no option has and a --where without =, as bad input', async () => {
    const unknown = await cli('best', '--store', store, '--where', 'modle=mlp');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(
      '--where modle=mlp: "modle" is not a parameter of the study\'s space (did you mean `model`?); it has `model`, `C`, `depth`, `optimizer`, `adam_lr`, `scale`, `size`, `q`.',
    );
    const option = await cli('trials', '--store', store, '--where', 'model=knn', '--json');
    expect(option.code).toBe(2);
    expect(JSON.parse(option.stdout)).toMatchObject({ errors: [{ code: 'CLI_INPUT' }] });
    expect(option.stderr).toContain(
      '--where model=knn: "knn" is not an option of the choice `model`; its options are `svm`, `rf`, `mlp`.',
    );
    const size = await cli('trials', '--store', store, '--where', 'size=5');
    expect(size.stderr).toContain('"5" is not an option of the choice `size`; its options are `"4"`, `4`, `big`.');
    const number = await cli('trials', '--store', store, '--where', 'depth=deep');
    expect(number.code).toBe(2);
    expect(number.stderr).toContain('`depth` is a number (randint), and "deep" is none');
    const malformed = await cli('trials', '--store', store, '--where', 'model');
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('expected NAME=VALUE');
  });
});

/** A config `<file>.json` in `dir` of study `name` in `./<file>.parzen.jsonl`, to import into (its objective never loaded). */
const importConfig = (dir: string, file: string, name: string, seed: number): string =>
  writeIn(dir, `${file}.json`, {
    name,
    seed,
    space,
    objective: { use: 'module', options: { path: './missing-objective.mjs' } },
    store: { use: 'jsonl', options: { path: `./${file}.parzen.jsonl` } },
    budget: { maxTrials: 10 },
  });

describe('export --where: the trials of one branch, the header and --json counting them', () => {
  it('writes only the matching trials, to stdout and with -o, the header and --json describing what was written', async () => {
    const rf = all.filter(({ params }) => params.model === 'rf');
    expect(rf.length).toBeGreaterThan(1);
    expect(rf.length).toBeLessThan(all.length);
    const piped = await cli('export', '--store', store, '--where', 'model=rf');
    expect(piped.code).toBe(0);
    expect(piped.stderr).toBe('');
    const [header, ...rows] = piped.stdout.split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(header).toMatchObject({ parzen: 'export', trials: rf.length });
    expect(rows.map((row) => row.params)).toEqual(rf.map(({ params }) => params));
    const file = join(tempDir('parzen-where-export-'), 'rf.jsonl');
    const written = await cli('export', '--store', store, '--where', 'model=rf', '-o', file, '--json');
    expect(written.code).toBe(0);
    expect(written.stderr).toBe(`Exported ${rf.length} trials of study tree (trials where model = rf) to ${file}.`);
    expect(JSON.parse(written.stdout)).toMatchObject({ study: 'tree', output: file, trials: rf.length });
    expect((await readFile(file, 'utf8')).trimEnd()).toBe(piped.stdout);
    // The file says it holds part of the study, and an import of it says so (not read as a move of the whole).
    expect(header?.where).toBe('model = rf');
    const into = importConfig(dirname(file), 'rf', 'tree', 1);
    const imported = await cli('import', into, file);
    expect(imported.code).toBe(0);
    expect(imported.stderr).toContain(
      `parzen: note: ${file} holds part of its study, the trials where model = rf (exported with --where): TPE learns from those alone.`,
    );
    const whole = await cli('export', '--store', store);
    expect(JSON.parse(whole.stdout.split('\n')[0] as string)).not.toHaveProperty('where');
  });

  it("carries in its header the keys of the enqueued entries a matching trial could run, not the whole study's; its import round-trips", async () => {
    const own = tempDir('parzen-where-entries-');
    const path = join(own, 'queued.parzen.jsonl');
    const jsonl = createJsonlStore({ path });
    await fmin({
      name: 'queued',
      space,
      objective: (params) => (params.model === 'rf' ? params.depth : 1),
      suggester: createRandomSuggester(),
      maxTrials: 12,
      store: jsonl,
      seed: 3,
    });
    // Waiting: an entry of the svm branch, one of the rf branch, and one that leaves the model to the suggester.
    const svm = 'enqueue:{"model":"svm","C":1}#1';
    const rf = 'enqueue:{"model":"rf","depth":3}#1';
    const open = 'enqueue:{"scale":true}#1';
    await jsonl.enqueue('queued', [
      { key: svm, internal: { model: 0, C: 1 } },
      { key: rf, internal: { model: 1, depth: 3 } },
      { key: open, internal: { scale: 0 } },
    ]);
    await jsonl.close();
    const header = async (...where: string[]) => {
      const out = await cli('export', '--store', `jsonl:${path}`, ...where);
      expect(out.code, out.stderr).toBe(0);
      return out;
    };
    const whole = await header();
    expect(JSON.parse(whole.stdout.split('\n')[0] as string).enqueued).toEqual({ waiting: [svm, rf, open] });
    // The svm entry can be no trial's where model = rf: its key is not the part's (it was).
    const part = await header('--where', 'model=rf');
    const [first, ...lines] = part.stdout.split('\n');
    expect(JSON.parse(first as string).enqueued).toEqual({ waiting: [rf, open] });
    expect(part.stderr).toContain(
      '2 enqueued entries wait in study queued that a trial where model = rf could run (of 3 waiting) (',
    );
    // Review 179: an entry that leaves a parameter to the suggester but fixes its branch away is no matching trial's
    // either (the svm entry was kept by --where depth=3, a parameter only rf trials have).
    const depth = await header('--where', 'depth=3');
    expect(JSON.parse(depth.stdout.split('\n')[0] as string).enqueued).toEqual({ waiting: [rf, open] });
    // An import of the part adds its trials as they were (params, loss).
    const file = writeIn(own, 'rf.jsonl', `${part.stdout}\n`);
    const into = importConfig(own, 'into', 'queued', 3);
    const imported = await cli('import', into, file);
    expect(imported.code, imported.stderr).toBe(0);
    const back = await cli('export', into);
    const rows = (text: string) =>
      text
        .split('\n')
        .slice(1)
        .map((line) => {
          const { params, loss } = JSON.parse(line) as { params: unknown; loss: unknown };
          return { params, loss };
        });
    expect(rows(back.stdout)).toEqual(rows(part.stdout));
    expect(lines.length).toBeGreaterThan(0);
  });

  it('a --where no trial meets writes the header alone, said; a bad one is refused as trials refuses it', async () => {
    const none = await cli('export', '--store', store, '--where', 'model=svm', '--where', 'depth=3');
    expect(none.code).toBe(0);
    expect(JSON.parse(none.stdout)).toMatchObject({ parzen: 'export', trials: 0 });
    expect(none.stderr).toBe(
      `parzen: no trials where model = svm and depth = 3 (of ${all.length} trials): the export has its header line only.`,
    );
    const unknown = await cli('export', '--store', store, '--where', 'modle=mlp');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--where modle=mlp: "modle" is not a parameter of the study\'s space');
  });
});

describe('trials --where on a quantized parameter', () => {
  it('q=0.3 finds the trials stored as 0.30000000000000004 (it found none)', async () => {
    const values = [...new Set(all.map(({ params }) => params.q as number))];
    const inexact = values.filter((v) => String(Number(v.toPrecision(12))) !== String(v));
    expect(inexact.length).toBeGreaterThan(0);
    for (const v of inexact) {
      const written = String(Number(v.toPrecision(12)));
      const expected = all.filter(({ params }) => params.q === v).map(({ number }) => number);
      expect(await numbersOf('--where', `q=${written}`), written).toEqual(expected);
    }
  });
});
