import { describe, expect, it } from 'vitest';
import { BUFFERED_WINDOW_MS, bufferingJudge, type ReportTiming, stdoutEvidence } from './buffered-stdout.js';

/** A trial started at 0 that exited at `exitedAt`, its reports read at `readAt` (ms), neither pruned nor held still. */
const timing = (readAt: number[], exitedAt: number, over: Partial<ReportTiming> = {}): ReportTiming => ({
  startedAt: 0,
  exitedAt,
  readAt,
  pruned: false,
  heldStill: false,
  ...over,
});

describe('what one trial says of its program stdout', () => {
  it('reports read all at once as the program ended, a second or more after it started, look buffered', () => {
    expect(stdoutEvidence(timing([1100, 1100], 1102))).toBe('buffered');
    // A few milliseconds between reads of one burst (a buffer read in two parts).
    expect(stdoutEvidence(timing([1100, 1100, 1105], 1110))).toBe('buffered');
    // The exit counts, not when the last report was stored: a slow store takes its time after the reads.
    expect(stdoutEvidence(timing([1100, 1100], 1100 + BUFFERED_WINDOW_MS))).toBe('buffered');
    expect(stdoutEvidence(timing([1100, 1100], 1101 + BUFFERED_WINDOW_MS))).toBe('none');
  });

  it('reports apart, most of them in reads of their own, show a program that flushes', () => {
    // A long start, then short epochs flushed one by one (30 ms apart): not buffered.
    expect(stdoutEvidence(timing([1100, 1130, 1160], 1172))).toBe('flushed');
    // Two of three read together (the machine held one process back 30 ms), the third apart.
    expect(stdoutEvidence(timing([1130, 1130, 1160], 1172))).toBe('flushed');
    expect(stdoutEvidence(timing([0, 600], 1200))).toBe('flushed');
    // Reports in two bursts (a block-sized buffer that filled as the program ran): apart, yet no sign of flushing.
    const bursts = [...Array<number>(5).fill(500), ...Array<number>(5).fill(1500)];
    expect(stdoutEvidence(timing(bursts, 1510))).toBe('none');
  });

  it('a flushed program held back until its last report reads as buffered: one trial cannot tell them apart', () => {
    // The short epochs above, the program kept off the CPU for 60 ms (seen at load 12 on two cores).
    expect(stdoutEvidence(timing([1161, 1161, 1165], 1175))).toBe('buffered');
  });

  it('says nothing of one report, a short trial, a burst the program ran on after, or a pause of this process', () => {
    expect(stdoutEvidence(timing([], 1500))).toBe('none');
    expect(stdoutEvidence(timing([1400], 1402))).toBe('none');
    expect(stdoutEvidence(timing([900, 900], 905))).toBe('none');
    expect(stdoutEvidence(timing([1100, 1100], 1600))).toBe('none');
    expect(stdoutEvidence(timing([1100, 1100], 1102, { heldStill: true }))).toBe('none');
    // Held still, reports apart: no sign either way (the reads tell nothing of when the program wrote).
    expect(stdoutEvidence(timing([1100, 1200], 1300, { heldStill: true }))).toBe('none');
  });

  it('a burst the pruner stopped, a second or more after the start, looks buffered however long the program then took to exit', () => {
    expect(stdoutEvidence(timing([1100, 1100], 6100, { pruned: true }))).toBe('buffered');
    expect(stdoutEvidence(timing([300, 300], 400, { pruned: true }))).toBe('none');
    // Pruned at its first report, which came alone: nothing to tell.
    expect(stdoutEvidence(timing([50], 60, { pruned: true }))).toBe('none');
  });
});

describe("a run's judge of its program's stdout", () => {
  it('tells at the second trial that looked buffered, naming the first, once per run', () => {
    const judge = bufferingJudge();
    expect(judge.see(1, 'buffered')).toBeUndefined();
    expect(judge.see(2, 'none')).toBeUndefined();
    expect(judge.see(3, 'buffered')).toBe(1);
    expect(judge.see(4, 'buffered')).toBeUndefined();
  });

  it('never tells once a trial showed its reports apart: the program flushes, and a burst was the machine', () => {
    const first = bufferingJudge();
    expect(first.see(0, 'flushed')).toBeUndefined();
    expect(first.see(1, 'buffered')).toBeUndefined();
    expect(first.see(2, 'buffered')).toBeUndefined();
    const between = bufferingJudge();
    expect(between.see(0, 'buffered')).toBeUndefined();
    expect(between.see(1, 'flushed')).toBeUndefined();
    expect(between.see(2, 'buffered')).toBeUndefined();
    expect(between.see(3, 'buffered')).toBeUndefined();
  });

  it('one burst alone, as a flushed program held back on a loaded machine gives, is not told', () => {
    const judge = bufferingJudge();
    expect(judge.see(0, 'buffered')).toBeUndefined();
    for (let trial = 1; trial < 10; trial++) expect(judge.see(trial, 'none')).toBeUndefined();
  });
});
