import { describe, expect, it } from 'vitest';
import { expandArgv, expandEnv, TemplateError, templateProblems, unpairedFlags } from './argv-template.js';

const context = {
  params: { lr: 0.001, units: 64, model: 'svm', flag: true, trial: 'mine' },
  trialNumber: 7,
  seed: 123456789,
  study: 's',
};

describe('expandArgv', () => {
  it('fills parameters, reserved names and literal braces', () => {
    expect(
      expandArgv(['python3', 'train.py', '--lr', '{lr}', '--units={units}', '{model}', '{flag}', '{{x}}'], context),
    ).toEqual(['python3', 'train.py', '--lr', '0.001', '--units=64', 'svm', 'true', '{x}']);
    expect(expandArgv(['{study}', '{params}'], { ...context, params: { a: 1 } })).toEqual(['s', '{"a":1}']);
    // The trial's seed, for the program's own randomness (trial 157: a command could not seed its training).
    expect(expandArgv(['train', '--seed={seed}', '{seed}'], context)).toEqual([
      'train',
      '--seed=123456789',
      '123456789',
    ]);
    expect(expandEnv({ SEED: '{seed}' }, context)).toEqual({ SEED: '123456789' });
  });

  it('lets a parameter named like a reserved word win', () => {
    expect(expandArgv(['{trial}'], context)).toEqual(['mine']);
    expect(expandArgv(['{trial}'], { ...context, params: {} })).toEqual(['7']);
  });

  it('leaves out an element whose optional parameter is inactive', () => {
    expect(expandArgv(['run', '--depth={depth?}', '--lr={lr?}'], context)).toEqual(['run', '--lr=0.001']);
  });

  it('leaves out the bare flag of its name before a lone inactive optional element (trial 40: `--momentum` stayed)', () => {
    const template = [
      'run',
      '--momentum',
      '{momentum?}',
      '--Max_Depth',
      '{max-depth?}',
      '--lr',
      '{lr?}',
      '--verbose',
      'x{n?}',
    ];
    expect(expandArgv(template, context)).toEqual(['run', '--lr', '0.001', '--verbose']);
    expect(expandArgv(template, { ...context, params: { momentum: 0.9, 'max-depth': 3, n: 2 } })).toEqual([
      'run',
      '--momentum',
      '0.9',
      '--Max_Depth',
      '3',
      '--verbose',
      'x2',
    ]);
    // Only a flag of its name on its own goes: not a switch before another parameter (review 40: `--verbose`,
    // `-d`), one with a value, a negative number, `-` (stdin) or `--` (the end of the options).
    expect(
      expandArgv(
        ['--verbose', '{ckpt?}', '-d', '{depth?}', '--mode=fast', '{mode?}', '-1', '{1?}', '-', '{x?}', '--', '{y?}'],
        context,
      ),
    ).toEqual(['--verbose', '-d', '--mode=fast', '-1', '-', '--']);
    expect(unpairedFlags(['--verbose', '{ckpt?}', '--lr', '{lr?}', '-', '{x?}', '-m', 'x{m?}'])).toEqual([
      ['--verbose', '{ckpt?}', 0],
    ]);
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

  it('fills parameters whose names have spaces or letters of any script, and leaves code in braces alone', () => {
    const params = { 'learning rate': 0.1, größe: 3, 'a,b': 'x' };
    const names = ['learning rate', 'größe', 'a,b', 'depth level'];
    const unicode = { ...context, params, names };
    expect(
      expandArgv(['--lr={learning rate}', '{größe}', '{a,b}', '--d={depth level?}', 'f({ loss: 1 })', '{}'], unicode),
    ).toEqual(['--lr=0.1', '3', 'x', 'f({ loss: 1 })', '{}']);
    // A parameter of the space left inactive, without `?`: the trial fails as for any other name.
    expect(() => expandArgv(['{depth level}'], unicode)).toThrow(/`\{depth level\}` names no parameter of trial #7/);
    expect(() => expandArgv(['{grösse}'], unicode)).toThrow(TemplateError);
  });
});

describe('templateProblems', () => {
  it('accepts parameters of any name, rejects unknown names that look like names, and leaves code alone', () => {
    const names = ['learning rate', 'größe'];
    expect(templateProblems(['{learning rate}', '{größe?}', 'print({ "loss": 1 })'], {}, names)).toEqual([]);
    expect(templateProblems(['{grösse}'], { G: '{learning_rate}' }, names)).toEqual([
      {
        pointer: '/command/0',
        expected: 'a parameter of the space (learning rate, größe) or a reserved name (trial, seed, study, params)',
        found: '`{grösse}` in "{grösse}"',
      },
      {
        pointer: '/env/G',
        expected: 'a parameter of the space (learning rate, größe) or a reserved name (trial, seed, study, params)',
        found: '`{learning_rate}` in "{learning_rate}" (did you mean `learning rate`?)',
      },
    ]);
    // A misspelt name gets the name it is a few edits from (trial 104: only the list).
    expect(templateProblems(['--depth', '{dpeth}'], {}, ['lr', 'depth', 'model'])).toEqual([
      expect.objectContaining({ pointer: '/command/1', found: '`{dpeth}` in "{dpeth}" (did you mean `depth`?)' }),
    ]);
    // A conditional parameter's name comes with the `?` it needs (review 108).
    expect(templateProblems(['{dpeth}'], {}, ['model', 'depth'], '', new Map([['depth', 'model']]))).toEqual([
      expect.objectContaining({ found: '`{dpeth}` in "{dpeth}" (did you mean `{depth?}`?)' }),
    ]);
  });

  it('refuses a conditional parameter without `?` (trials where it is inactive would fail), in argv and env', () => {
    const names = ['model', 'C', 'depth'];
    const conditional = new Map([
      ['C', 'model'],
      ['depth', 'model'],
    ]);
    expect(
      templateProblems(['--C', '{C}', '--depth={depth?}'], { C: '{C}' }, names, '/objective/options', conditional),
    ).toEqual([
      {
        pointer: '/objective/options/command/1',
        expected:
          '`{C?}`, which leaves the argument out when `C` is inactive (it is conditional: active only in some branches of `model`, so trials without it would fail)',
        found: '`{C}` in "{C}"',
      },
      {
        pointer: '/objective/options/env/C',
        expected:
          '`{C?}`, which leaves the variable out when `C` is inactive (it is conditional: active only in some branches of `model`, so trials without it would fail)',
        found: '`{C}` in "{C}"',
      },
    ]);
    expect(templateProblems(['{model}', '{C?}'], {}, names, '', conditional)).toEqual([]);
  });

  it('names a parameter misspelt with spaces or case, which would reach the program as literal text', () => {
    const names = ['learning_rate', 'max-depth'];
    expect(templateProblems(['--lr={Learning rate}', 'train'], { D: '{Max Depth?}' }, names)).toEqual([
      {
        pointer: '/command/0',
        expected: '`{learning_rate}` (the parameter is `learning_rate`)',
        found:
          '`{Learning rate}` in "--lr={Learning rate}", which is no placeholder (it would reach the program as it is)',
      },
      {
        pointer: '/env/D',
        expected: '`{max-depth}` (the parameter is `max-depth`)',
        found: '`{Max Depth?}` in "{Max Depth?}", which is no placeholder (it would reach the program as it is)',
      },
    ]);
    // Code in braces that is no parameter's name stays allowed.
    expect(templateProblems(['print({ "learning rate": 1 })', '{ max depth: 2 }'], {}, ['lr'])).toEqual([]);
    // Destructuring a parameter's name in inline code is code, not a placeholder.
    expect(templateProblems(['const { lr } = JSON.parse(x); print({ Lr })'], {}, ['lr'])).toEqual([]);
  });

  it('names a placeholder that looks like a parameter but is written with other code points (NFD, a zero-width space)', () => {
    // Trial 183: `{café}` in NFD for the parameter `café` in NFC, and `{lr}` with a zero-width space, passed
    // validate and reached the program as literal text.
    const cafe = 'caf\u00e9';
    const decomposed = 'cafe\u0301';
    expect(templateProblems([`--c={${decomposed}}`, '--lr={lr\u200B}'], {}, [cafe, 'lr'])).toEqual([
      {
        pointer: '/command/0',
        expected: `\`{${cafe}}\` (the parameter is \`${cafe}\`)`,
        found:
          `\`{${decomposed}}\` in "--c={${decomposed}}", which is no placeholder (it would reach the program as it is) ` +
          `(\`${cafe}\` looks the same but is written with other Unicode code points: c a f U+00E9 against c a f e U+0301; names are compared code point for code point)`,
      },
      {
        pointer: '/command/1',
        expected: '`{lr}` (the parameter is `lr`)',
        found:
          '`{lr\u200B}` in "--lr={lr\u200B}", which is no placeholder (it would reach the program as it is) ' +
          '(`lr` looks the same but is written with other Unicode code points: l r against l r U+200B; names are compared code point for code point)',
      },
    ]);
  });
});
