import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '@parzen/cli';
import { runProcess } from '@parzen/test-kit';
import { describe, expect, it } from 'vitest';

const example = join(dirname(fileURLToPath(import.meta.url)), '..');
const heart = (x: number, y: number): number => -((x ** 2 + y ** 2 - 1) ** 3 - x ** 2 * y ** 3);

/** Runs a Python file of the example (the point here is the program as a process). */
const python = (file: string, input = '') => runProcess('python3', [file], { cwd: example, input, timeoutMs: 10_000 });

describe.concurrent('the seed’s program in Python', () => {
  it('runs as a normal program and holds no tuner code', async () => {
    const run = await python('heart.py');
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('Training error: 0\n'); // heart(1, 1) with the defaults
    const source = readFileSync(join(example, 'heart.py'), 'utf8');
    expect(source).toContain('class HyperParameters:');
    expect(source).toContain('def runAndGetError(self):');
    expect(source).toContain('if __name__ == "__main__":');
    expect(source).not.toMatch(/^\s*(import|from)\s/m);
  });

  it('is driven by the seed’s objective: params as JSON on stdin, the error on stdout', async () => {
    const [run, typo] = await Promise.all([
      python('objective.py', '{"learning_rate": 2, "size_of_hidden_layer": -2}\n'),
      python('objective.py', '{"learning_rat": 2}\n'),
    ]);
    expect(run.stdout).toBe('-375\n');
    expect(typo.status).toBe(1);
    expect(typo.stderr).toContain("'learning_rat' is not a hyperparameter of heart.py");
  });

  it('is tuned by `parzen run experiment.json` through the command objective', async () => {
    const lines: string[] = [];
    const output = { result: (line: string) => lines.push(line), note: () => {} };
    const config = join(example, 'experiment.json');
    const code = await runCli(
      ['node', 'parzen', 'run', config, '--max-trials', '4', '--store', 'memory', '--json'],
      output,
    );
    expect(code).toBe(0);
    const summary = JSON.parse(lines.at(-1) ?? 'null');
    expect(summary.trials).toEqual({ complete: 4, failed: 0, pruned: 0, running: 0 });
    const { learning_rate: x, size_of_hidden_layer: y } = summary.best.params;
    expect(summary.best.loss).toBeCloseTo(heart(x, y), 9);
  });
});
