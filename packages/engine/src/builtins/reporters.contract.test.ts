import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
