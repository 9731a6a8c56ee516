import { describe, expect, it } from 'vitest';
import { expandArgv, expandEnv, TemplateError } from './argv-template.js';

const context = {
  params: { lr: 0.001, units: 64, model: 'svm', flag: true, trial: 'mine' },
  trialNumber: 7,
  study: 's',
};

describe('expandArgv', () => {
  it('fills parameters, reserved names and literal braces', () => {
    expect(
      expandArgv(['python3', 'train.py', '--lr', '{lr}', '--units={units}', '{model}', '{flag}', '{{x}}'], context),
    ).toEqual(['python3', 'train.py', '--lr', '0.001', '--units=64', 'svm', 'true', '{x}']);
    expect(expandArgv(['{study}', '{params}'], { ...context, params: { a: 1 } })).toEqual(['s', '{"a":1}']);
  });

  it('lets a parameter named like a reserved word win', () => {
    expect(expandArgv(['{trial}'], context)).toEqual(['mine']);
    expect(expandArgv(['{trial}'], { ...context, params: {} })).toEqual(['7']);
  });

  it('leaves out an element whose optional parameter is inactive', () => {
    expect(expandArgv(['run', '--depth={depth?}', '--lr={lr?}'], context)).toEqual(['run', '--lr=0.001']);
  });

  it('rejects an unknown name, naming the element and the active parameters', () => {
    expect(() => expandArgv(['run', '--lr={lrr}'], context)).toThrow(TemplateError);
    expect(() => expandArgv(['run', '--lr={lrr}'], context)).toThrow(
      /command\[1\].*\{lrr\}.*active: lr, units, model, flag, trial/,
    );
  });

  it('expands env values the same way, leaving out inactive optional ones', () => {
    expect(expandEnv({ LEARNING_RATE: '{lr}', DEPTH: '{depth?}', FIXED: 'yes' }, context)).toEqual({
      LEARNING_RATE: '0.001',
      FIXED: 'yes',
    });
    expect(() => expandEnv({ X: '{nope}' }, context)).toThrow(/env\.X "\{nope\}"/);
  });
});
