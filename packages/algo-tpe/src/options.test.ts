import { validatePluginOptions } from '@parzen/engine/testing';
import { describe, expect, it } from 'vitest';
import { resolveTpeSettings, TPE_PROFILES } from './options.js';
import { tpeOptionsSchema } from './options-schema.js';

const validate = (options: Record<string, unknown>) => {
  const { value, issues } = validatePluginOptions({ optionsSchema: tpeOptionsSchema }, options);
  return {
    ok: issues.length === 0,
    options: (value ?? {}) as Record<string, unknown>,
    errors: issues.map((issue) => issue.pointer.replace(/^\/options/, '')),
    expected: issues.map((issue) => `${issue.expected} (found ${issue.found})`).join('; '),
  };
};

describe('tpe options', () => {
  it('fills the parzen defaults when nothing is given, like resolveTpeSettings', () => {
    const { ok, options } = validate({});
    expect(ok).toBe(true);
    expect(options).toEqual({ ...resolveTpeSettings({}) });
    expect(options.startupTrials).toBe(TPE_PROFILES.parzen.startupTrials);
  });

  for (const compat of ['hyperopt', 'optuna', 'parzen'] as const) {
    it(`fills the ${compat} profile's defaults and keeps given values`, () => {
      const { ok, options } = validate({ compat, candidates: 7 });
      expect(ok).toBe(true);
      expect(options).toEqual(resolveTpeSettings({ compat, candidates: 7 }));
      expect(options.candidates).toBe(7);
    });
  }

  it('gives hyperopt its 20 start-up trials, 0.25·√n split and failed/running as worst', () => {
    expect(resolveTpeSettings({ compat: 'hyperopt' })).toMatchObject({
      startupTrials: 20,
      gamma: 0.25,
      split: 'sqrt',
      candidates: 24,
      priorWeight: 1,
      kernel: 'hyperopt',
      failed: 'worst',
      running: 'worst',
    });
  });

  it('rejects bad options with their path', () => {
    expect(validate({ gamma: 0 }).errors).toContain('/gamma');
    expect(validate({ compat: 'tpe' })).toMatchObject({
      errors: ['/compat'],
      expected: expect.stringContaining('hyperopt'),
    });
    expect(validate({ startupTrials: 2.5 })).toMatchObject({
      errors: ['/startupTrials'],
      expected: expect.stringContaining('integer'),
    });
    expect(validate({ nCandidates: 3 }).expected).toContain('nCandidates');
    expect(validate({ running: 'lie' }).errors).toContain('/running');
  });
});
