import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { heartConfig, lastJsonLine, tempDir, writeIn } from './cli-harness.js';
import { cli } from './cli-in-process.js';

// An objective plugin that writes a line to its log when it is created and when it is closed.
const countingPlugin = `import { appendFileSync } from 'node:fs';
export const manifests = [{
  kind: 'objective',
  name: 'counted',
  optionsSchema: { type: 'object', required: ['log'], properties: { log: { type: 'string' } } },
  create: (options) => {
    appendFileSync(options.log, 'created\\n');
    return {
      name: 'counted',
      evaluate: async (params) => ({ status: 'ok', loss: params.x ** 2 + params.y ** 2 }),
      close: () => appendFileSync(options.log, 'closed\\n'),
    };
  },
}];
`;

let dir: string;
beforeAll(() => {
  dir = tempDir('parzen-once-');
  writeIn(dir, 'counted.mjs', countingPlugin);
});

const countedConfig = (name: string, log: string, extra: Record<string, unknown> = {}) =>
  heartConfig({ name, plugins: ['./counted.mjs'], objective: { use: 'counted', options: { log } }, ...extra });

const logOf = (log: string): string[] => readFileSync(log, 'utf8').trim().split('\n');

describe('a run builds its objective once', () => {
  it('run: the objective the preflight checked is the one that runs, closed once', async () => {
    const log = join(dir, 'run.log');
    const run = await cli('run', writeIn(dir, 'run.json', countedConfig('once', log)), '--json', '--quiet');
    expect(run.code, run.stderr).toBe(0);
    expect(lastJsonLine(run.stdout)).toMatchObject({ trials: { complete: 8 } });
    expect(logOf(log)).toEqual(['created', 'closed']);
  });

  it('validate: creates and closes it once, running nothing', async () => {
    const log = join(dir, 'validate.log');
    expect((await cli('validate', writeIn(dir, 'validate.json', countedConfig('checked', log)))).code).toBe(0);
    expect(logOf(log)).toEqual(['created', 'closed']);
  });

  it('a batch with a bad config runs nothing and closes every objective it started', async () => {
    const log = join(dir, 'batch.log');
    const good = writeIn(dir, 'good.json', countedConfig('good', log));
    const bad = writeIn(dir, 'bad.json', heartConfig({ name: 'bad', budget: { maxTrials: -1 } }));
    expect((await cli('run', good, bad, '--quiet')).code).toBe(2);
    expect(logOf(log)).toEqual(['created', 'closed']);
  });

  it('resume of a study that does not exist closes the objective it started', async () => {
    const log = join(dir, 'resume.log');
    const path = writeIn(dir, 'resume.json', countedConfig('absent', log, { store: { use: 'memory' } }));
    expect((await cli('resume', path)).code).toBe(1);
    expect(logOf(log)).toEqual(['created', 'closed']);
  });
});
