import { describe, expect, it } from 'vitest';
import { ParzenError } from '../errors.js';
import { strayErrorSource } from './stray-errors.js';

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
