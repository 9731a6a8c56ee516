import { describe, expect, it } from 'vitest';
import { outcomeFields, outcomeFromFields, type TrialOutcome } from './trial.js';

describe('outcomeFields and outcomeFromFields: one rule for the table stores', () => {
  it('keeps every outcome through its fields', () => {
    const outcomes: TrialOutcome[] = [
      { state: 'complete', loss: 0.5 },
      { state: 'complete', loss: 0.5, attrs: { epochs: 3 } },
      { state: 'failed', error: { code: 'OBJECTIVE_THREW', message: 'boom' } },
      { state: 'pruned' },
      { state: 'pruned', loss: 2, attrs: { step: 4 } },
    ];
    for (const outcome of outcomes) expect(outcomeFromFields(outcomeFields(outcome))).toEqual(outcome);
    expect(outcomeFields({ state: 'failed', error: { code: 'TIMEOUT', message: 't' } })).toEqual({
      state: 'failed',
      loss: null,
      attrs: null,
      error: { code: 'TIMEOUT', message: 't' },
    });
  });

  it('reads a failed row without an error (a hand edit) as said, in SQLite and PostgreSQL alike', () => {
    // Review 74: SQLite read `{}` (no code, no message), PostgreSQL `{code: 'UNKNOWN', message: ''}`.
    expect(outcomeFromFields({ state: 'failed', loss: null, attrs: null, error: null })).toEqual({
      state: 'failed',
      error: { code: 'UNKNOWN', message: 'the store holds no error for this failed trial' },
    });
    expect(outcomeFromFields({ state: 'complete', loss: null, attrs: null, error: null })).toMatchObject({
      state: 'complete',
      loss: Number.NaN,
    });
  });
});
