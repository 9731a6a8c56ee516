import { describe, expect, it } from 'vitest';
import { createReportReader, MalformedReportError, parseReportLine } from './report-lines.js';

describe('report lines', () => {
  it('reads a JSON object with step and value as a report, ignoring its other fields', () => {
    expect(parseReportLine('{"step": 3, "value": 0.41}')).toEqual({ report: { step: 3, value: 0.41 } });
    expect(parseReportLine('  {"value": -2e-3, "step": 0, "lr": 0.1}\r')).toEqual({
      report: { step: 0, value: -0.002 },
    });
    expect(parseReportLine('{"step": 4.0, "value": 1}')).toEqual({ report: { step: 4, value: 1 } });
  });

  it('leaves every other line alone: logs, the loss line, objects without both fields', () => {
    for (const line of [
      'epoch 3 done',
      '0.41',
      '{"loss": 0.2, "step": 9, "value": 0.2}',
      '{"step": 3}',
      '{"value": 3}',
      '{"step": 3, "value": 1',
      '[{"step": 3, "value": 1}]',
      '"step" "value"',
      '',
    ]) {
      expect(parseReportLine(line)).toBeUndefined();
    }
  });

  it.each([
    [
      '{"step": -1, "value": 1}',
      '"step" must be a non-negative integer up to 2^53 − 1 (an epoch, an iteration); found -1',
    ],
    [
      '{"step": 1.5, "value": 1}',
      '"step" must be a non-negative integer up to 2^53 − 1 (an epoch, an iteration); found 1.5',
    ],
    [
      '{"step": 1e20, "value": 1}',
      '"step" must be a non-negative integer up to 2^53 − 1 (an epoch, an iteration); found 100000000000000000000 (beyond 2^53 − 1, integers lose their exact value)',
    ],
    [
      '{"step": "3", "value": 1}',
      '"step" must be a non-negative integer up to 2^53 − 1 (an epoch, an iteration); found "3"',
    ],
    ['{"step": 2, "value": NaN}', '"value" must be a finite number; found NaN'],
    ['{"step": 2, "value": -Infinity}', '"value" must be a finite number; found -Infinity'],
    ['{"step": 2, "value": null}', '"value" must be a finite number; found null'],
  ])('says what is wrong with the malformed report %s', (line, problem) => {
    expect(parseReportLine(line)).toEqual({ problem });
  });

  it('passes reports to the context in order, asks the pruner after each, and ignores lines after a stop', async () => {
    const calls: string[] = [];
    const reader = createReportReader({
      trialNumber: 0,
      seed: 1,
      signal: new AbortController().signal,
      report: async (step, value) => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        calls.push(`report ${step} ${value}`);
      },
      shouldPrune: () => {
        calls.push('shouldPrune');
        return calls.length >= 4;
      },
    });
    await reader.onLine('{"step": 0, "value": 5}');
    await reader.onLine('training...');
    await reader.onLine('{"step": 1, "value": 4}');
    expect(reader.prune.aborted).toBe(true);
    expect(reader.prunedAt()).toEqual({ step: 1, value: 4 });
    await reader.onLine('{"step": 2, "value": 3}');
    await reader.onLine('{"step": -2, "value": 3}');
    expect(calls).toEqual(['report 0 5', 'shouldPrune', 'report 1 4', 'shouldPrune']);
  });

  it('throws a malformed line with the line quoted', async () => {
    const reader = createReportReader({
      trialNumber: 0,
      seed: 1,
      signal: new AbortController().signal,
      report: async () => {},
      shouldPrune: () => false,
    });
    const line = '{"step": -1, "value": 1}';
    await expect(reader.onLine(line)).rejects.toThrow(MalformedReportError);
    await expect(reader.onLine(line)).rejects.toThrow(
      // As printed, not JSON-escaped, so it can be found in the program's output.
      'malformed report line `{"step": -1, "value": 1}`: "step" must be a non-negative integer up to 2^53 − 1 (an epoch, an iteration); found -1',
    );
    // A long one is cut as every kept text is.
    const long = `{"step": -1, "value": 1, "note": "${'x'.repeat(300)}"}`;
    await expect(reader.onLine(long)).rejects.toThrow(
      `malformed report line \`${long.slice(0, 200)}… (${long.length - 200} more characters cut)\`: "step" must`,
    );
  });
});
