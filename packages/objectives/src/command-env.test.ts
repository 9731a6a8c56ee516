import { afterEach, describe, expect, it } from 'vitest';
import { commandEnv } from './command-env.js';

const inherited = ['PARZEN_PARAM_GAMMA', 'PARZEN_PARAM_C', 'PARZEN_PARAMS'] as const;
afterEach(() => {
  for (const name of inherited) delete process.env[name];
});

describe("a command's environment", () => {
  it("leaves out the parent's own PARZEN_PARAMS and PARZEN_PARAM_ variables (an inactive parameter's leaked in)", () => {
    // A shell that exported them to try the program by hand, then ran parzen.
    process.env.PARZEN_PARAM_GAMMA = '5';
    process.env.PARZEN_PARAM_C = '7';
    process.env.PARZEN_PARAMS = '{"C":7,"gamma":5}';
    const base = { trialNumber: 3, seed: 11, study: 's', extra: {}, inherit: true };
    // The rf branch: C and gamma are the svm branch's, inactive here.
    const rf = commandEnv({ ...base, params: { model: 'rf', depth: 4 } });
    expect(rf.PARZEN_PARAM_GAMMA).toBeUndefined();
    expect(rf.PARZEN_PARAM_C).toBeUndefined();
    expect(rf.PARZEN_PARAMS).toBe('{"model":"rf","depth":4}');
    expect(rf.PARZEN_PARAM_DEPTH).toBe('4');
    expect(rf.PATH).toBe(process.env.PATH);
    // paramsInEnv false: none at all, as documented.
    const none = commandEnv({ ...base, params: { model: 'rf', depth: 4 }, paramsInEnv: false });
    expect(Object.keys(none).filter((name) => name.startsWith('PARZEN_PARAM'))).toEqual([]);
    // What the config's `env` sets is the user's own, kept.
    const own = commandEnv({ ...base, params: { model: 'rf' }, extra: { PARZEN_PARAM_GAMMA: 'mine' } });
    expect(own.PARZEN_PARAM_GAMMA).toBe('mine');
  });
});
