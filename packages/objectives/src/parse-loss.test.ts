import { describe, expect, it } from 'vitest';
import { describeLastLine, findLossLine, lossTracker, quotedLine } from './parse-loss.js';

describe('findLossLine', () => {
  it('takes the last line that is a bare number or a JSON object with loss', () => {
    expect(findLossLine('epoch 1\n0.5\nepoch 2\n0.25\n')).toBe(0.25);
    expect(findLossLine('{"loss": 1}\n{"loss": -3.5, "acc": 0.9}\ndone\n')).toEqual({ loss: -3.5, acc: 0.9 });
    expect(findLossLine('1e-3\r\n')).toBe(0.001);
  });

  it('ends lines at a lone \\r too, as report lines do (a progress bar redrawn before the loss)', () => {
    expect(findLossLine('epoch 1\repoch 2\r{"loss": 0.5}\n')).toEqual({ loss: 0.5 });
    expect(findLossLine('100%\r0.25')).toBe(0.25);
  });

  it('skips JSON without loss, arrays and broken JSON', () => {
    expect(findLossLine('2\n{"accuracy": 1}\n[1]\n{"loss": 3\n')).toBe(2);
    expect(findLossLine('2\n{"status": "ok"}\n')).toBe(2);
  });

  it("takes hyperopt's failed result without a loss, its fields kept (trial 55: it was 'printed no loss')", () => {
    expect(findLossLine('0.5\n{"status": "fail", "error": "diverged"}\n')).toEqual({
      status: 'fail',
      error: 'diverged',
    });
    // Only as the last line: a JSON log line with status fail after the loss is a log line (review 57).
    expect(findLossLine('{"loss": 0.3}\n{"event": "upload", "status": "fail"}\ndone\n')).toEqual({ loss: 0.3 });
    expect(findLossLine('{"loss": 0.3}\n{"event": "upload", "status": "fail"}\n')).toEqual({ loss: 0.3 });
    expect(findLossLine('epoch 1\n{"status": "fail"}\nbye\n')).toBeUndefined();
  });

  it('reads Python spellings of NaN and infinity as numbers', () => {
    expect(findLossLine('nan')).toBeNaN();
    expect(findLossLine('-inf')).toBe(Number.NEGATIVE_INFINITY);
    expect(findLossLine('{"loss": NaN, "tag": "Infinity"}')).toEqual({ loss: Number.NaN, tag: 'Infinity' });
    expect(findLossLine('{"loss": -Infinity}')).toEqual({ loss: Number.NEGATIVE_INFINITY });
  });

  it('finds nothing in garbage', () => {
    expect(findLossLine('hello\nworld 42\n')).toBeUndefined();
    expect(findLossLine('')).toBeUndefined();
  });

  it("takes no inherited member for a special number (a line `constructor` was read as Object's constructor)", () => {
    for (const word of ['constructor', 'toString', '__proto__', 'valueOf']) expect(findLossLine(word)).toBeUndefined();
    expect(findLossLine('0.5\nconstructor\n')).toBe(0.5);
  });
});

describe('describeLastLine', () => {
  it('quotes the last line a program printed, saying why a loss-like line is not JSON', () => {
    expect(describeLastLine('accuracy: high\n\n')).toBe('its last line was `accuracy: high`');
    expect(describeLastLine('')).toBe('it printed nothing on stdout');
    expect(describeLastLine(`${'x'.repeat(300)}\r\n`)).toBe(
      `its last line was \`${'x'.repeat(200)}… (100 more characters cut)\``,
    );
    expect(describeLastLine("{'loss': 0.5}\n")).toMatch(
      /^its last line was `\{'loss': 0.5\}`, which is not JSON \(.+\); print json.dumps\(\{"loss": x\}\) in Python, not the dict$/,
    );
    expect(describeLastLine('{"loss": .25}')).toMatch(/^its last line was `\{"loss": .25\}`, which is not JSON \(/);
    // An earlier such line is pointed at too (trial 130: only the last line was quoted).
    expect(describeLastLine("{'loss': 0.5}\ntraining finished\n")).toMatch(
      /^its last line was `training finished`; an earlier line, `\{'loss': 0.5\}`, looks like a loss line but is not JSON \(.+\); print json.dumps\(\{"loss": x\}\) in Python, not the dict$/,
    );
    expect(describeLastLine('{"loss": 0.5, "note": "ok"}\ndone\n')).toBe('its last line was `done`');
  });

  it('says when the last line is longer than the stdout Parzen keeps (a 5 MB JSON line was quoted as `…qqqq…`)', () => {
    const kept = `…${'q'.repeat(200)}", "loss": 0.5}\n`;
    expect(describeLastLine(kept)).toMatch(
      /^its last line is longer than the 216 characters of stdout kept for this message, so it is not shown; a loss line is read only up to 1,000,000 characters/,
    );
    // A tail that holds a line break still quotes its last line.
    expect(describeLastLine(`…qqq\nnot a loss\n`)).toBe('its last line was `not a loss`');
  });
});

describe('lossTracker', () => {
  it('ignores a bare number printed after a {"loss": x} line, and notes it (an epoch count printed last was the loss)', () => {
    const seen = (text: string) => {
      const tracker = lossTracker();
      for (const line of text.split('\n')) tracker.see(line);
      return [tracker.found, tracker.numberAfterLoss?.value];
    };
    expect(seen('{"loss": 0.7, "acc": 0.9}\nTotal epochs:\n100')).toEqual([{ loss: 0.7, acc: 0.9 }, 100]);
    // A later JSON line still replaces an earlier one (the last one wins), and what came before it is not noted.
    expect(seen('{"loss": 0.7}\n100\n{"loss": 0.5}')).toEqual([{ loss: 0.5 }, undefined]);
    expect(seen('{"loss": 0.7}\n100\n{"loss": 0.5}\n3\n4')).toEqual([{ loss: 0.5 }, 4]);
    // Bare numbers alone: the last one is the loss.
    expect(seen('1\n2\n0.3')).toEqual([0.3, undefined]);
    expect(seen('1\n{"loss": 0.2}')).toEqual([{ loss: 0.2 }, undefined]);
    expect(findLossLine('{"loss": 0.7}\n3\n')).toEqual({ loss: 0.7 });
    // Its line as printed, for the warning (`100.0` is not said as 100).
    const tracker = lossTracker();
    for (const line of ['{"loss": 0.7}', '  100.0 ']) tracker.see(line);
    expect(tracker.numberAfterLoss).toEqual({ value: 100, line: '100.0' });
  });
});

describe('quotedLine', () => {
  // Review 180: a warning quoting a program's line printed its escape sequences raw (`\x1b[2J` cleared the screen,
  // U+202E reversed what followed).
  it('writes out the characters a terminal would obey, and keeps the rest as printed', () => {
    expect(quotedLine('{"step":1,"value":\u001b[2J\u001b[31m}')).toBe('`{"step":1,"value":\\u001b[2J\\u001b[31m}`');
    expect(quotedLine('lr\u202eevil')).toBe('`lr\\u202eevil`');
    expect(quotedLine('  {"loss": "é 研究"}  ')).toBe('`{"loss": "é 研究"}`');
  });
});
