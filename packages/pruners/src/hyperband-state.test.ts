import { readFileSync } from 'node:fs';
import type { PruneContext, RunningTrial, Trial } from '@parzen/engine/plugin';
import { describe, expect, it } from 'vitest';
import { bracketOf, createHyperbandPruner, hyperbandBrackets, TrialHashes } from './hyperband.js';

const complete = (number: number): Trial => ({
  study: 'shared',
  number,
  state: 'complete',
  loss: number,
  internal: {},
  startedAt: '',
  finishedAt: '',
  intermediate: Array.from({ length: 9 }, (_, step) => ({ step, value: (number * 7) % 11 })),
});

const judged = (number: number): PruneContext => {
  const trial: RunningTrial = {
    study: 'shared',
    number,
    state: 'running',
    internal: {},
    startedAt: '',
    intermediate: Array.from({ length: 4 }, (_, step) => ({ step, value: number % 5 })),
  };
  const trials = [...Array.from({ length: 30 }, (_, n) => complete(n)), trial];
  return { study: 'shared', direction: 'minimize', trial, step: 3, trials };
};

describe('hyperband keeps its trial hashes per pruner, not in the module', () => {
  it('holds no mutable state at module level (a Map or Set shared by every pruner and study)', () => {
    const source = readFileSync(new URL('./hyperband.ts', import.meta.url), 'utf8');
    const topLevel = source
      .split('\n')
      .filter((line) => /^(export )?(const|let)\s+\w+\s*=\s*new (Map|Set)\b/.test(line));
    expect(topLevel).toEqual([]);
  });

  it('two pruners of the same study decide alike, each with its own hashes', () => {
    const first = createHyperbandPruner({ maxResource: 9 });
    const second = createHyperbandPruner({ maxResource: 9 });
    const numbers = Array.from({ length: 20 }, (_, n) => 30 + n);
    const decisions = numbers.map((number) => first.shouldPrune(judged(number)));
    expect(numbers.map((number) => second.shouldPrune(judged(number)))).toEqual(decisions);
    expect(decisions).toContain(true);
    expect(decisions).toContain(false);
  });

  it('the remembered hashes give the brackets the plain CRC-32 gives', () => {
    const brackets = hyperbandBrackets(1, 81, 3);
    const hashes = new TrialHashes();
    for (let number = 0; number < 200; number++) {
      expect(bracketOf(brackets, 'study', number, hashes)).toBe(bracketOf(brackets, 'study', number));
    }
  });
});
