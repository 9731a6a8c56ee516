import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Output } from '../src/output.js';
import { runCli } from '../src/program.js';
import { tempDir, writeIn } from './cli-harness.js';

const cli = async (...args: string[]) => {
  const out = { stdout: [] as string[], stderr: [] as string[] };
  const output: Output = { result: (line) => out.stdout.push(line), note: (line) => out.stderr.push(line) };
  const code = await runCli(['node', 'parzen', ...args], output);
  return { code, stdout: out.stdout.join('\n'), stderr: out.stderr.join('\n') };
};

const pageData = (html: string) =>
  JSON.parse(html.split('<script type="application/json" id="parzen-data">')[1]?.split('</script>')[0] ?? '') as {
    notes: string[];
    sections: { id: string; text: string[]; charts: { id: string; description: string }[] }[];
    table: { columns: string[]; rows: unknown[][] };
  };

// svm: the loss depends on C; tree: on depth, and every tree beats every svm (so the best trial has no C).
// The spy records what the contour function was called with.
const objective = `export default ({ x, model, C, depth }) =>
  (x - 0.5) ** 2 + (model === 'svm' ? 2 + Math.abs(Math.log10(C) - 1) : Math.abs(depth - 7) / 10);
`;
const spy = `import { appendFileSync } from 'node:fs';
import f from './obj.mjs';
export const spy = (p) => { appendFileSync(new URL('./calls.jsonl', import.meta.url), JSON.stringify(p) + '\\n'); return f(p); };
export const text = () => 'abc';
`;

let dir: string;
let config: string;
beforeAll(async () => {
  dir = tempDir('parzen-report-cond-');
  writeIn(dir, 'obj.mjs', objective);
  writeIn(dir, 'spy.mjs', spy);
  config = writeIn(dir, 'cond.json', {
    name: 'cond',
    seed: 1,
    space: {
      x: { type: 'uniform', low: 0, high: 1 },
      act: { type: 'choice', options: ['relu', null] },
      model: {
        type: 'choice',
        options: [
          { value: 'svm', space: { C: { type: 'loguniform', low: 0.01, high: 1000 } } },
          { value: 'tree', space: { depth: { type: 'randint', low: 1, high: 20 } } },
        ],
      },
    },
    objective: { use: 'module', options: { path: './obj.mjs' } },
    suggester: { use: 'random' },
    store: { use: 'jsonl', options: { path: './cond.parzen.jsonl' } },
    budget: { maxTrials: 12 },
  });
  const run = await cli('run', config, '--quiet');
  expect(run.code, run.stderr).toBe(0);
});

describe('parzen report on a conditional space', () => {
  it('--contour calls the function with the pair parameters active and nothing from another branch', async () => {
    const out = join(dir, 'xc.html');
    const result = await cli('report', config, '-o', out, '--contour', `${join(dir, 'spy.mjs')}#spy`, '--pair', 'x,C');
    expect(result.code, result.stderr).toBe(0);
    const calls = readFileSync(join(dir, 'calls.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(calls).toHaveLength(1600);
    for (const params of calls) {
      expect(params).toMatchObject({ model: 'svm' });
      expect(Object.keys(params).sort()).toEqual(['C', 'act', 'model', 'x']);
    }
    const pair = pageData(readFileSync(out, 'utf8'))
      .sections.flatMap((s) => s.charts)
      .find((c) => c.id === 'pair-x-c');
    expect(pair?.description).toMatch(
      /Lines: contours of the objective \(other params at the best trial’s values \(#\d+\), but model = "svm" so that C is active, without depth \(inactive then\);/,
    );
  });

  it('--contour: a function that gives a string is said to give that string, not NaN', async () => {
    const out = join(dir, 'text.html');
    const result = await cli('report', config, '-o', out, '--contour', `${join(dir, 'spy.mjs')}#text`, '--pair', 'x,C');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(
      /^parzen: --contour: the function failed \(threw or gave no finite number\) at 1600 of the 1600 points it was called at \(no contour lines\); the first time it gave "abc" for \{.*\}\.\nWrote .*text\.html$/,
    );
    expect(pageData(readFileSync(out, 'utf8')).notes).toContain(
      'The contour function failed at 1600 of the 1600 grid points of x × C, so that plot has no contour lines; the first time it returned "abc".',
    );
  });

  it('--pair with a choice lists only the numeric parameters it could use', async () => {
    const result = await cli('report', config, '-o', join(dir, 'p.html'), '--pair', 'x,model');
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'parzen: --pair "x,model": expected two different numeric parameters of the space (x, C, depth), found `model`, a choice',
    );
  });

  it('the trial table shows the choice option null as null, an inactive parameter as an empty cell', async () => {
    const out = join(dir, 'table.html');
    expect((await cli('report', config, '-o', out)).code).toBe(0);
    const { table } = pageData(readFileSync(out, 'utf8'));
    const act = table.columns.indexOf('act');
    const depth = table.columns.indexOf('depth');
    const trials = JSON.parse((await cli('trials', config, '--json')).stdout) as { params: Record<string, unknown> }[];
    expect(trials.some((t) => t.params.act === null)).toBe(true);
    table.rows.forEach((row, i) => {
      const params = trials[i]?.params ?? {};
      expect(row[act]).toBe(params.act === null ? 'null' : params.act);
      expect(row[depth]).toBe(params.depth ?? null);
    });
  });

  it('the "Next suggestion" of a study of random search says it has no model to draw, from the config or the store', async () => {
    const said =
      "This study's suggester is `random` (random search: every trial drawn at random from the space, whatever the trials before it gave), not TPE: there is no model of the trials so far to draw, so no next suggestion is explained (`parzen explain` explains the next trial of a TPE study).";
    for (const [name, args] of [
      ['config', [config]],
      ['store', ['--store', `jsonl:${join(dir, 'cond.parzen.jsonl')}`]],
    ] as const) {
      const out = join(dir, `next-${name}.html`);
      const result = await cli('report', ...args, '-o', out);
      expect(result.code, result.stderr).toBe(0);
      const next = pageData(readFileSync(out, 'utf8')).sections.find((s) => s.id === 'next');
      expect(next?.text).toEqual([said]);
      expect(next?.charts).toEqual([]);
    }
  });
});
