import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Trial } from '@parzen/engine';
import { recordStop } from '@parzen/engine/host';
import { compileSpace } from '@parzen/engine/plugin';
import { describe, expect, it } from 'vitest';
import { formatNumber } from './format-number.js';
import { type TrialRow, trialRows, trialsCsvLines, trialsTableLines } from './format-trials.js';

const row = (number: number, value: unknown): TrialRow => ({
  study: 's',
  number,
  state: 'complete',
  loss: 0.5,
  params: { c: value },
  startedAt: '2026-12-03T00:00:00.000Z',
});

describe('the trials table (trial 52)', () => {
  it('tells a string that reads as another value from that value, and keeps a line break on its row', () => {
    const lines = [
      ...trialsTableLines([
        row(0, '1'),
        row(1, 1),
        row(2, 'true'),
        row(3, true),
        row(4, 'line\nbreak'),
        row(5, 'plain'),
      ]),
    ];
    expect(lines).toHaveLength(7); // the header and one line per trial
    const cell = (index: number) => lines[index + 1]?.trim().split(/\s{2,}/)[3];
    expect([0, 1, 2, 3, 4, 5].map(cell)).toEqual(['"1"', '1', '"true"', 'true', '"line\\nbreak"', 'plain']);
  });

  it('orders the parameter columns as the space does, not as the first trials set them (trial 87)', () => {
    const rows: TrialRow[] = [
      { ...row(0, 1), params: { lr: 0.1, model: 'tree', depth: 3 } },
      { ...row(1, 1), params: { lr: 0.2, model: 'svm', C: 1, kernel: 'rbf' } },
    ];
    const header = (spaceNames?: string[]) =>
      [...trialsTableLines(rows, false, spaceNames)][0]?.trim().split(/\s+/).slice(3, -1);
    expect(header(['lr', 'model', 'C', 'kernel', 'gamma', 'depth'])).toEqual(['lr', 'model', 'C', 'kernel', 'depth']);
    expect(header()).toEqual(['lr', 'model', 'depth', 'C', 'kernel']);
  });

  it('quotes a string with a space at either end, or a separator, format or C1 character (review 54)', () => {
    const values = [' a', 'x\u2028y', 'p\u009bq', 'r\u202etxt', 'a b'];
    const lines = [...trialsTableLines(values.map((value, i) => row(i, value)))];
    const shown = ['" a"', '"x\\u2028y"', '"p\\u009bq"', '"r\\u202etxt"', 'a b'];
    expect(lines.slice(1).map((line, i) => line.includes(shown[i] as string))).toEqual([true, true, true, true, true]);
    expect(lines[5]).toContain('a b');
    // Inside the quotes too, such characters are written as escapes (review 55: U+202E still reversed the row).
    expect(lines[4]).toContain('"r\\u202etxt"');
    expect(lines[2]).toContain('"x\\u2028y"');
  });

  it('cuts a long attribute asked for between whole characters (trial 183: half an emoji)', () => {
    const long = { ...row(0, 1), attrs: { curve: `${'y'.repeat(198)}${'🚀'.repeat(150)}` } };
    const lines = [...trialsTableLines([long], false, [], [{ attr: 'curve' }])];
    expect(lines[1]).toContain(` ${'y'.repeat(198)}…`);
    expect(lines[1]).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it('shows an integer in full, other numbers to 6 significant digits', () => {
    expect(formatNumber(9007199254740991)).toBe('9007199254740991');
    expect(formatNumber(123456789)).toBe('123456789');
    expect(formatNumber(0.123456789)).toBe('0.123457');
    // Every digit of the integer part and one after the point (trial 82: 123456789.12 showed as 123457000);
    // float noise still rounds away (review 86: 2.9999999999999996 showed in full).
    expect(formatNumber(123456789.12345679)).toBe('123456789.1');
    expect(formatNumber(1234567.891)).toBe('1234567.9');
    expect(formatNumber(-999999.5)).toBe('-999999.5');
    expect(formatNumber(1e15 + 0.5)).toBe('1000000000000000.5');
    expect(formatNumber(2.5)).toBe('2.5');
    expect(formatNumber(2.9999999999999996)).toBe('3');
    expect(formatNumber(0.1 + 0.2)).toBe('0.3');
    expect(formatNumber(32.00000000000001)).toBe('32');
    expect(formatNumber(-0.0000123456789)).toBe('-0.0000123457');
    expect(formatNumber(Number.POSITIVE_INFINITY)).toBe('Infinity');
    expect(formatNumber(551263637505274400000)).toBe('5.51264e+20'); // past 2^53: no exact integer, not shown as one
    expect(formatNumber(2 ** 53 + 2)).toBe('9.0072e+15');
  });
});

// Trial 161: an entry whose trials killed their worker: three trials took it, only the last was marked enqueued.
describe("a matrix config's CSV columns", () => {
  it('come after every other column, and a parameter named matrix.… is written params.matrix.… apart from them', () => {
    const rows = [
      { ...row(0, 1), params: { 'matrix.seed': 1, x: 2 } },
      { ...row(1, 1), study: 't', params: { x: 3 } },
    ];
    const values = new Map([['s', { '/seed': 4, 'space/x/high': 5 }]]);
    const [header, first, second] = [...trialsCsvLines(rows, [], [], values)];
    expect(header).toBe(
      'study,number,state,loss,params.matrix.seed,x,error_code,error_message,started_at,finished_at,matrix.seed,matrix.space/x/high',
    );
    expect(first?.endsWith(',4,5')).toBe(true);
    // A study the matrices do not name: empty cells.
    expect(second?.endsWith(',,')).toBe(true);
  });
});

describe('the enqueued column', () => {
  it('marks every trial that took an entry, those that gave it back (STALE_TRIAL) too', () => {
    const space = compileSpace({
      x: { type: 'uniform', low: -2, high: 2 },
      y: { type: 'uniform', low: -2, high: 2 },
    });
    const at = '2026-12-03T00:00:00.000Z';
    const entry = (attempt: number) => ({
      entry: { internal: { x: -1.5, y: 0 }, key: 'enqueue:{"x":-1.5,"y":0}#0', attempt },
    });
    const stale = (number: number, details: Record<string, unknown>): Trial => ({
      study: 's',
      number,
      state: 'failed',
      internal: { x: -1.5, y: 0 },
      startedAt: at,
      finishedAt: at,
      error: {
        code: 'STALE_TRIAL',
        message: 'Left running by the process 1 on host vm, which stopped before the store recorded its end.',
        details: { worker: 'vm:1:x', ...details },
      },
    });
    const trials: Trial[] = [
      stale(0, entry(1)),
      stale(1, entry(2)),
      // The one the store lists as holding it.
      stale(2, {}),
      {
        study: 's',
        number: 3,
        state: 'complete',
        internal: { x: 0.5, y: -0.3 },
        startedAt: at,
        finishedAt: at,
        loss: 0,
      },
    ];
    const rows = trialRows('s', space, trials, { taken: [{ trial: 2, internal: { x: -1.5, y: 0 } }] });
    expect(rows.map((row) => row.enqueued?.params)).toEqual([
      { x: -1.5, y: 0 },
      { x: -1.5, y: 0 },
      { x: -1.5, y: 0 },
      undefined,
    ]);
    expect(rows[0]?.enqueued?.key).toBe('enqueue:{"x":-1.5,"y":0}#0');
  });
});

// Trial 161: which machine runs a running trial could be seen with psql only.
describe('a running trial', () => {
  it('has its worker as host:pid and its lease time', () => {
    const space = compileSpace({ x: { type: 'uniform', low: -2, high: 2 } });
    const expiresAt = '2099-01-01T00:00:00.000Z';
    const running = (owner: string): Trial => ({
      study: 's',
      number: 0,
      state: 'running',
      internal: { x: 0.5 },
      startedAt: '2026-12-03T00:00:00.000Z',
      lease: { owner, expiresAt },
    });
    const [parzens] = trialRows('s', space, [
      running('box2:9031:0d4c2b9e-1c2f-4a8e-9b7d-5e6f7a8b9c0d:1796595889:pid-4026531836'),
    ]);
    expect(parzens).toMatchObject({ worker: 'box2:9031', leaseExpiresAt: expiresAt });
    const [other] = trialRows('s', space, [running('a-service')]);
    expect(other).toMatchObject({ worker: 'a-service', leaseExpiresAt: expiresAt });
  });
});

// A stop the store could not record is kept in this user's rescue folder, and the next run marks the trial failed as
// stopped (INTERRUPTED, no attempt of its entry used): the listing said STALE_TRIAL of it.
describe('a running trial whose worker is gone', () => {
  it('says a run marks it INTERRUPTED when its stop is kept in the rescue folder, else STALE_TRIAL', () => {
    const space = compileSpace({ x: { type: 'uniform', low: -2, high: 2 } });
    const study = 'stopped row';
    const owner = `${hostname()}:999999999:gone`;
    const running = (number: number): Trial => ({
      study,
      number,
      state: 'running',
      internal: { x: 0.5 },
      startedAt: '2026-12-03T00:00:00.000Z',
      lease: { owner, expiresAt: '2099-01-01T00:00:00.000Z' },
    });
    // A rescue folder of this test's own (the folder is under the temporary folder), the stop kept by the engine
    // as a run keeps it, under its own names.
    const temporary = mkdtempSync(join(tmpdir(), 'parzen-stopped-row-'));
    const before = process.env.TMPDIR;
    process.env.TMPDIR = temporary;
    try {
      expect(recordStop(study, 1, owner)).toBe(true);
      const rows = trialRows(study, space, [running(0), running(1)]);
      expect(rows.map((row) => [row.workerGone, row.stoppedHere])).toEqual([
        [true, undefined],
        [true, true],
      ]);
      const cells = [...trialsTableLines(rows)].slice(1).map((line) => line.slice(line.indexOf('its ')));
      expect(cells[0]).toBe('its worker is gone: a run of the study marks it failed (STALE_TRIAL)');
      expect(cells[1]).toContain('a run of the study on this host marks it failed as stopped (INTERRUPTED)');
    } finally {
      if (before === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = before;
      rmSync(temporary, { recursive: true, force: true });
    }
  });
});
