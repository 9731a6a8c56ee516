import { describe, expect, it } from 'vitest';
import { ParzenError } from '../errors.js';
import { strayBetweenTrialsNote, strayErrorSource } from './stray-errors.js';

describe('strayErrorSource', () => {
  // A script running fmin piped into `head`: the objective's console.log hit the closed pipe and the trial was
  // said to have "thrown outside its call", blaming code that has no mistake.
  it("says a write into a closed pipe is the reader's leaving, not the objective's mistake", () => {
    const epipe = Object.assign(new Error('write EPIPE'), { code: 'EPIPE', syscall: 'write', errno: -32 });
    expect(strayErrorSource(epipe)).toBe(
      "the reader of the process's output closed the pipe (as `| head` does) and the objective wrote to it",
    );
    expect(strayErrorSource(new Error('late boom'))).toBe(
      'the objective threw outside its call (in a timer or a callback)',
    );
    expect(strayErrorSource(new ParzenError('REPORT_INVALID', 'bad step'))).toMatch(/did not await was refused/);
    expect(strayErrorSource(null)).toMatch(/threw outside its call/);
  });
});

describe('strayBetweenTrialsNote', () => {
  // An earlier trial's timer threw while the next one ran, and that next trial was failed at its own params.
  it('names the trial whose left-behind timer or callback threw, when the error came from a trial that had ended', () => {
    expect(strayBetweenTrialsNote(new Error('late boom'))).toBe(
      'the objective threw outside its call (in a timer or a callback) between trials: late boom',
    );
    expect(strayBetweenTrialsNote(new Error('late boom'), 3)).toMatch(
      /^an error was thrown by a timer or callback trial #3's objective left behind, after that trial ended \(no trial failed for it\): late boom/,
    );
    expect(strayBetweenTrialsNote(new ParzenError('REPORT_INVALID', 'bad step'), 2)).toMatch(
      /^a report\(step, value\) trial #2's objective did not await was refused, after that trial ended/,
    );
  });
});
