import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { describeReporterContract } from '../testing/reporter-contract.js';
import { createConsoleReporter } from './console-reporter.js';
import { createEventsReporter } from './events-reporter.js';

const dir = mkdtempSync(join(tmpdir(), 'parzen-reporter-contract-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The console reporter's lines are kept out of the test's output.
const quietly = (run: () => void): void => {
  const write = process.stdout.write;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  try {
    run();
  } finally {
    process.stdout.write = write;
  }
};
describeReporterContract('console', {
  create: () => {
    const reporter = createConsoleReporter({ trials: true });
    return { name: reporter.name, onEvent: (event) => quietly(() => reporter.onEvent(event)) };
  },
});
describeReporterContract('events', { create: () => createEventsReporter({ path: join(dir, 'events.jsonl') }) });

it('the events reporter wrote the run the contract suite gave it', () => {
  const lines = readFileSync(join(dir, 'events.jsonl'), 'utf8').trim().split('\n');
  expect(JSON.parse(lines[0] as string)).toMatchObject({ type: 'study.started' });
  expect(JSON.parse(lines.at(-1) as string)).toMatchObject({ type: 'study.finished' });
});

it('the events reporter checks options given in code as a config would (trial 54: a misspelt type wrote nothing)', () => {
  const refused = (options: unknown) => {
    try {
      createEventsReporter(options as Parameters<typeof createEventsReporter>[0]);
    } catch (error) {
      return error as { code: string; message: string };
    }
    return undefined;
  };
  const misspelt = refused({ path: join(dir, 'never.jsonl'), types: ['trial.finished', 'trial.finish'] });
  expect(misspelt?.code).toBe('CONFIG_INVALID');
  expect(misspelt?.message).toMatch(
    /\/types\/1: expected one of the event types \(.*\), found "trial\.finish" \(did you mean `trial\.finished`\?\)/,
  );
  expect(refused({ path: join(dir, 'never.jsonl'), type: ['trial.finished'] })?.message).toMatch(/\/type: /);
  expect(refused({ path: 3 })?.code).toBe('CONFIG_INVALID');
  expect(existsSync(join(dir, 'never.jsonl'))).toBe(false);
  // A folder's path (review 89: `sub/dir/` made a file `dir` from code).
  expect(refused({ path: `${join(dir, 'sub', 'dir')}/` })?.message).toMatch(
    /\/path: .*a folder's path \(it ends with a slash\)/,
  );
  expect(existsSync(join(dir, 'sub'))).toBe(false);
});

it('one events reporter serves runs one after another and at once, and holds no file while no run uses it (trial 73)', async () => {
  const { fmin } = await import('../fmin.js');
  const { sampleDistribution } = await import('../domain/sample-distribution.js');
  const path = join(dir, 'shared.jsonl');
  // The descriptors open on the events file (a count of all of them moved with other test files' threads, which
  // share this process: a clean-clone run saw 28 then 25).
  const open = () =>
    readdirSync('/proc/self/fd').filter((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`) === path;
      } catch {
        return false; // closed between the listing and the look
      }
    }).length;
  const before = 0;
  const shared = createEventsReporter({ path });
  expect(open()).toBe(before);
  const run = (name: string, wait: number) =>
    fmin({
      name,
      objective: async (params) => {
        await new Promise((resolve) => setTimeout(resolve, wait));
        return params.x;
      },
      space: { x: { type: 'uniform', low: 0, high: 1 } },
      suggester: {
        name: 'prior',
        beginTrial: (context) => ({ sampleParam: (param) => sampleDistribution(param.distribution, context.rng) }),
      },
      maxTrials: 3,
      reporters: [shared],
    });
  const finished = () =>
    readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; study?: string })
      .filter((event) => event.type === 'study.finished').length;
  await run('first', 0);
  await run('second', 0);
  expect(finished()).toBe(2);
  await Promise.all([run('a', 1), run('b', 15), run('c', 30)]);
  expect(finished()).toBe(5);
  expect(open()).toBe(before);
});
