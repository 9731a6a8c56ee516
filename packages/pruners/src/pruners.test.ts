import { ParzenError, SERVICES } from '@parzen/engine/plugin';
import { validatePluginOptions } from '@parzen/engine/testing';
import { describe, expect, it } from 'vitest';
import { crc32 } from './crc32.js';
import { percentileOf } from './curve.js';
import { bracketOf, createHyperbandPruner, hyperbandBrackets } from './hyperband.js';
import { manifests, patientPrunerManifest, successiveHalvingPrunerManifest } from './manifest.js';
import { createPatientPruner } from './patient.js';
import { createMedianPruner, createPercentilePruner } from './percentile.js';
import { createSuccessiveHalvingPruner } from './successive-halving.js';
import { createThresholdPruner } from './threshold.js';

describe('numbers shared with Python', () => {
  it('crc32 is zlib’s (binascii.crc32)', () => {
    expect(crc32('123456789')).toBe(3421780262);
    expect(crc32('ref_7')).toBe(2148274309);
  });

  it('percentileOf interpolates linearly as numpy.percentile', () => {
    expect(percentileOf([3, 1, 2, 10], 25)).toBe(1.75);
    expect(percentileOf([3, 1, 2, 10], 70)).toBe(3.6999999999999975);
    expect(percentileOf([0.1, 0.2, 0.3], 50)).toBe(0.2);
    expect(percentileOf([5], 30)).toBe(5);
  });
});

describe('hyperband brackets', () => {
  it('sizes brackets as Optuna: R = 81, r = 1, η = 3 gives 5 brackets with budgets ⌈5·3^s/(s+1)⌉', () => {
    expect(hyperbandBrackets(1, 81, 3)).toEqual({ count: 5, budgets: [81, 34, 15, 8, 5], total: 143 });
  });

  it('counts brackets exactly at powers of η (Optuna’s float log gives 5 for R = 243)', () => {
    expect(hyperbandBrackets(1, 243, 3).count).toBe(6);
    expect(hyperbandBrackets(2, 20, 3).count).toBe(3);
  });

  it('assigns a trial to a bracket by the hash of study name and number, spread as the budgets', () => {
    const brackets = hyperbandBrackets(1, 81, 3);
    expect(bracketOf(brackets, 'ref', 7)).toBe(bracketOf(brackets, 'ref', 7));
    const counts = [0, 0, 0, 0, 0];
    for (let n = 0; n < 14_300; n++) {
      const bracket = bracketOf(brackets, 'study', n);
      counts[bracket] = (counts[bracket] as number) + 1;
    }
    counts.forEach((count, bracket) => {
      expect(count / 100).toBeCloseTo(brackets.budgets[bracket] as number, -1);
    });
  });
});

describe('options', () => {
  it('rejects bad options with a CONFIG_INVALID error naming each', () => {
    const bad = [
      () => createPercentilePruner({ percentile: 120 }),
      () => createMedianPruner({ intervalSteps: 0 }),
      () => createSuccessiveHalvingPruner({ reductionFactor: 1 }),
      () => createSuccessiveHalvingPruner({ bootstrapCount: 2 }),
      () => createHyperbandPruner({ minResource: 5, maxResource: 3 }),
      () => createHyperbandPruner({ minResource: 'auto' } as never),
      () => createThresholdPruner({}),
      () => createThresholdPruner({ lower: 2, upper: 1 }),
      () => createPatientPruner({ patience: -1 }),
    ];
    for (const create of bad) {
      expect(create).toThrow(ParzenError);
      try {
        create();
      } catch (error) {
        expect((error as ParzenError).code).toBe('CONFIG_INVALID');
        expect((error as ParzenError).issues.length).toBeGreaterThan(0);
      }
    }
  });

  it('states every default in the schema, as Optuna’s', () => {
    expect(validatePluginOptions(successiveHalvingPrunerManifest, {}).value).toEqual({
      minResource: 'auto',
      reductionFactor: 4,
      minEarlyStoppingRate: 0,
      bootstrapCount: 0,
    });
    const byName = Object.fromEntries(manifests.map((m) => [m.name, m]));
    expect(validatePluginOptions(byName.median as never, {}).value).toEqual({
      startupTrials: 5,
      warmupSteps: 0,
      intervalSteps: 1,
      minTrials: 1,
    });
    expect(validatePluginOptions(byName.hyperband as never, {}).value).toEqual({
      minResource: 1,
      maxResource: 'auto',
      reductionFactor: 3,
      bootstrapCount: 0,
    });
    expect(validatePluginOptions(byName.threshold as never, {}).issues.length).toBeGreaterThan(0);
  });

  it('patient validates the wrapped pruner’s options against that pruner’s schema', () => {
    const ok = validatePluginOptions(patientPrunerManifest, {
      patience: 2,
      pruner: { use: 'percentile', options: { percentile: 30 } },
    });
    expect(ok.issues).toEqual([]);
    const bad = validatePluginOptions(patientPrunerManifest, {
      patience: 2,
      pruner: { use: 'percentile', options: { percentile: 300 } },
    });
    expect(bad.issues.map((issue) => issue.pointer)).toContain('/options/pruner/options/percentile');
    // Another name may be a pruner plugin the config loads: the study's registry judges it when patient is made.
    const other = validatePluginOptions(patientPrunerManifest, { patience: 2, pruner: { use: 'my-plugin' } });
    expect(other.issues).toEqual([]);
    const empty = validatePluginOptions(patientPrunerManifest, { patience: 2, pruner: { use: '' } });
    expect(empty.issues.map((issue) => issue.pointer)).toContain('/options/pruner/use');
  });

  it('patient without a study registry (made directly) names the built-in pruners it can wrap', async () => {
    const services = { has: () => false, get: () => undefined as never };
    await expect(
      Promise.resolve().then(() =>
        patientPrunerManifest.create({ patience: 2, pruner: { use: 'my-plugin' } }, { services } as never),
      ),
    ).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      issues: [
        {
          pointer: '/pruner/use',
          expected: expect.stringMatching(/^one of median, percentile, successive-halving, hyperband, threshold \(/),
          found: '"my-plugin"',
        },
      ],
    });
  });

  it("patient within a study makes a built-in it wraps through the study's registry, as a config's pruner is made", async () => {
    // Review 74: a table of its own skipped the registry (and the manifest's create) for the built-ins.
    const made: unknown[] = [];
    const plugins = {
      names: () => ['median'],
      create: async (kind: string, choice: unknown) => {
        made.push([kind, choice]);
        return createMedianPruner({});
      },
    };
    const services = { has: (token: { id: symbol }) => token.id === SERVICES.plugins.id, get: () => plugins as never };
    const pruner = await patientPrunerManifest.create(
      { patience: 2, pruner: { use: 'median', options: { startupTrials: 3 } } },
      { services } as never,
    );
    expect(pruner.name).toBe('patient(median)');
    expect(made).toEqual([['pruner', { use: 'median', options: { startupTrials: 3 } }]]);
  });

  it('a required option left out is named as missing, not as `undefined` (the wrapped pruner too)', async () => {
    // The schema checks a wrapped pruner's options only when `options` is given, so this is create's message.
    let error: ParzenError | undefined;
    try {
      await patientPrunerManifest.create({ patience: 2, pruner: { use: 'percentile' } }, undefined as never);
    } catch (caught) {
      error = caught as ParzenError;
    }
    expect(error).toBeInstanceOf(ParzenError);
    expect((error as ParzenError).issues).toEqual([
      { pointer: '/pruner/options/percentile', expected: 'a number from 0 to 100 (required)', found: 'nothing' },
    ]);
    expect((error as ParzenError).message).not.toContain('undefined');
    expect(() => createPatientPruner({} as never)).toThrow(/\/patience: expected an integer ≥ 0, found nothing/);
  });

  it('patient wraps the named pruner', async () => {
    const pruner = await patientPrunerManifest.create({ patience: 1, pruner: { use: 'median' } }, undefined as never);
    expect(pruner.name).toBe('patient(median)');
  });
});

describe('options given in code (JavaScript, `any`): a typo is an error, not a silent default', () => {
  const unknown = (make: () => unknown) => {
    try {
      make();
    } catch (error) {
      return error as ParzenError;
    }
    return undefined;
  };

  it.each([
    ['median', () => createMedianPruner({ warmupStep: 3 } as never), '/warmupStep'],
    ['median', () => createMedianPruner({ percentile: 30 } as never), '/percentile'],
    ['percentile', () => createPercentilePruner({ percentile: 25, startupTrial: 2 } as never), '/startupTrial'],
    ['successive-halving', () => createSuccessiveHalvingPruner({ eta: 3 } as never), '/eta'],
    ['hyperband', () => createHyperbandPruner({ maxResources: 30 } as never), '/maxResources'],
    ['patient', () => createPatientPruner({ patience: 2, min_delta: 0.1 } as never), '/min_delta'],
  ])('%s names the unknown option', (name, make, pointer) => {
    const error = unknown(make);
    expect(error).toBeInstanceOf(ParzenError);
    expect(error?.code).toBe('CONFIG_INVALID');
    expect(error?.issues).toEqual([
      expect.objectContaining({
        pointer,
        found: expect.stringMatching(
          new RegExp(`^an unknown option \`${pointer.slice(1)}\`( \\(did you mean \`\\w+\`\\?\\))?$`),
        ),
      }),
    ]);
    expect(error?.message).toContain(`Invalid options for the ${name} pruner:`);
  });

  it('the known options still pass, and one given as undefined keeps its default', () => {
    expect(createMedianPruner({ warmupSteps: 3, startupTrials: undefined } as never).name).toBe('median');
    expect(createSuccessiveHalvingPruner({ reductionFactor: undefined } as never).name).toBe('successive-halving');
    expect(createHyperbandPruner({ maxResource: 30, reductionFactor: 2 }).name).toBe('hyperband');
  });
});

describe('threshold bounds from code are checked as a config checks them', () => {
  const issuesOf = (options: unknown) => {
    try {
      createThresholdPruner(options as never);
    } catch (error) {
      expect((error as ParzenError).code).toBe('CONFIG_INVALID');
      return (error as ParzenError).issues;
    }
    return [];
  };

  it('refuses a bound that is not a finite number, naming it', () => {
    expect(issuesOf({ upper: 'abc' })).toEqual([{ pointer: '/upper', expected: 'a finite number', found: '"abc"' }]);
    expect(issuesOf({ lower: Number.NaN })).toEqual([{ pointer: '/lower', expected: 'a finite number', found: 'NaN' }]);
    expect(issuesOf({ lower: null })).toEqual([{ pointer: '/lower', expected: 'a finite number', found: 'null' }]);
    expect(issuesOf({ lower: 0, upper: Number.POSITIVE_INFINITY })).toMatchObject([{ pointer: '/upper' }]);
  });

  it('still takes one finite bound', () => {
    expect(issuesOf({ upper: 10 })).toEqual([]);
    expect(issuesOf({ lower: -1, upper: 1 })).toEqual([]);
  });
});

describe("pruners' option errors show values as every config message does (review 75)", () => {
  it('says NaN (not null) and shortens a long value', () => {
    const issuesOf = (make: () => unknown) => {
      try {
        make();
      } catch (error) {
        return (error as ParzenError).issues;
      }
      return [];
    };
    expect(issuesOf(() => createMedianPruner({ startupTrials: Number.NaN }))).toMatchObject([
      { pointer: '/startupTrials', found: 'NaN' },
    ]);
    const [long] = issuesOf(() => createPercentilePruner({ percentile: 'x'.repeat(300) as never }));
    expect(long?.pointer).toBe('/percentile');
    expect(long?.found.length).toBeLessThanOrEqual(90);
  });
});
