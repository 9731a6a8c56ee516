import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { resolveTpeSettings, TPE_PROFILES } from './options.js';
import { tpeOptionsSchema } from './options-schema.js';

const validate = (options: Record<string, unknown>) => {
  // The engine validates a config's options with ajv in this mode (allErrors, defaults filled in).
  const check = new Ajv({ allErrors: true, useDefaults: true, strict: false }).compile(tpeOptionsSchema);
  const copy = structuredClone(options);
  const ok = check(copy);
  return { ok, options: copy, errors: (check.errors ?? []).map((e) => `${e.instancePath} ${e.keyword}`) };
};

describe('tpe options', () => {
  it('fills the parzen defaults when nothing is given, like resolveTpeSettings', () => {
    const { ok, options } = validate({});
    expect(ok).toBe(true);
    // Every default but `explore`'s and those it phases (`gamma`, `belowBandwidth`): a value written for these
    // holds for every trial, so the suggester must see what was written; it fills them, to the same settings.
    const { explore: _explore, gamma: _gamma, belowBandwidth: _below, ...rest } = resolveTpeSettings({});
    expect(options).toEqual(rest);
    expect(resolveTpeSettings(options)).toEqual(resolveTpeSettings({}));
    // So a config that writes the profile's own gamma gets it for every trial, as the API does.
    expect(resolveTpeSettings(validate({ gamma: 0.1 }).options).explore).toEqual({ trials: 50, belowBandwidth: 0.5 });
    expect(resolveTpeSettings(validate({ gamma: 0.1 }).options)).toEqual(resolveTpeSettings({ gamma: 0.1 }));
    expect(options.startupTrials).toBe(TPE_PROFILES.parzen.startupTrials);
  });

  for (const profile of ['hyperopt', 'optuna', 'optuna5', 'parzen'] as const) {
    it(`fills the ${profile} profile's defaults and keeps given values`, () => {
      const { ok, options } = validate({ profile, candidates: 7 });
      expect(ok).toBe(true);
      const resolved = resolveTpeSettings({ profile, candidates: 7 });
      const phased = Object.keys(resolved.explore).filter((key) => key !== 'trials');
      const rest = Object.fromEntries(
        Object.entries(resolved).filter(([key]) => key !== 'explore' && !phased.includes(key)),
      );
      expect(options).toEqual(rest);
      expect(resolveTpeSettings(options)).toEqual(resolved);
      expect(options.candidates).toBe(7);
    });
  }

  it('gives hyperopt its 20 start-up trials, 0.25·√n split and failed/running as worst', () => {
    expect(resolveTpeSettings({ profile: 'hyperopt' })).toMatchObject({
      startupTrials: 20,
      gamma: 0.25,
      split: 'sqrt',
      candidates: 24,
      priorWeight: 1,
      kernel: 'hyperopt',
      failed: 'worst',
      constantLiar: 'infinite',
    });
  });

  it("gives optuna5 Optuna 5's default sampler: multivariate (joint), constant liar, 10 start-up, ⌈0.1n⌉", () => {
    expect(resolveTpeSettings({ profile: 'optuna5' })).toMatchObject({
      startupTrials: 10,
      gamma: 0.1,
      split: 'linear',
      kernel: 'optuna',
      forgetting: 25,
      failed: 'ignore',
      constantLiar: 'worst',
      grouping: 'joint',
    });
  });

  it('refuses joint decisions with the univariate hyperopt kernel, in the schema and in code', () => {
    expect(validate({ profile: 'hyperopt', grouping: 'joint' }).errors).toContain('/grouping const');
    expect(() => resolveTpeSettings({ kernel: 'hyperopt', grouping: 'groups' })).toThrow(
      /\/grouping: expected "independent"/,
    );
    expect(validate({ profile: 'parzen', grouping: 'groups', constantLiar: 0.5 }).ok).toBe(true);
    // The kernel the profile sets, not written: the refusal names the profile and what to write.
    expect(() => resolveTpeSettings({ profile: 'hyperopt', grouping: 'joint' })).toThrow(
      '/grouping: expected "independent" with profile "hyperopt", whose kernel "hyperopt" models one parameter at a time; for "joint", give kernel "optuna" too, or another profile, found "joint"',
    );
    expect(resolveTpeSettings({ profile: 'hyperopt', grouping: 'joint', kernel: 'optuna' }).grouping).toBe('joint');
  });

  it('scores with w = 0.65 in the parzen profile and w = 1 (the ratio l/g) in the library profiles', () => {
    expect(resolveTpeSettings({}).aboveWeight).toBe(0.65);
    for (const profile of ['hyperopt', 'optuna', 'optuna5'] as const) {
      expect(resolveTpeSettings({ profile }).aboveWeight).toBe(1);
    }
    expect(resolveTpeSettings({ profile: 'optuna', aboveWeight: 0.5 }).aboveWeight).toBe(0.5);
    expect(validate({ aboveWeight: 0 }).ok).toBe(true);
    expect(validate({ aboveWeight: -0.1 }).errors).toContain('/aboveWeight minimum');
  });

  it('takes a positive belowBandwidth', () => {
    expect(validate({ belowBandwidth: 0.5 }).ok).toBe(true);
    expect(validate({ belowBandwidth: 0 }).errors).toContain('/belowBandwidth exclusiveMinimum');
  });

  it('avoids repeats in the parzen profile only; the library profiles repeat as their libraries do', () => {
    expect(resolveTpeSettings({}).avoidRepeats).toBe(true);
    for (const profile of ['hyperopt', 'optuna', 'optuna5'] as const) {
      expect(resolveTpeSettings({ profile }).avoidRepeats).toBe(false);
    }
    expect(resolveTpeSettings({ profile: 'optuna', avoidRepeats: true }).avoidRepeats).toBe(true);
    expect(validate({ avoidRepeats: 'yes' }).errors).toContain('/avoidRepeats type');
  });

  it('rejects bad options with their path', () => {
    expect(validate({ gamma: 0 }).errors).toContain('/gamma exclusiveMinimum');
    expect(validate({ profile: 'tpe' }).errors).toContain('/profile enum');
    expect(validate({ startupTrials: 2.5 }).errors).toContain('/startupTrials type');
    expect(validate({ nCandidates: 3 }).errors).toContain(' additionalProperties');
    expect(validate({ constantLiar: 'lie' }).errors).toContain('/constantLiar anyOf');
    expect(validate({ multivariate: true }).errors).toContain(' additionalProperties');
    expect(validate({ pruned: 'drop' }).errors).toContain('/pruned enum');
    expect(validate({ pruned: 'impute' }).ok).toBe(true);
  });
});
