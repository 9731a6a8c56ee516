import { fileURLToPath, pathToFileURL } from 'node:url';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  codeThrownAt,
  configErrorUnder,
  describeValue,
  didYouMean,
  didYouMeanField,
  didYouMeanValue,
  issuesUnder,
  ParzenError,
  thrownAt,
  unknownPlugin,
} from './errors.js';

const thrown = (stack: string) => Object.assign(new Error('x'), { stack });

describe('thrownAt', () => {
  it("gives the first frame's own place in a file, as path:line:column", () => {
    expect(
      thrownAt(thrown('Error: x\n    at helper (file:///tmp/m/obj.mjs:2:9)\n    at file:///tmp/m/obj.mjs:4:1')),
    ).toBe('/tmp/m/obj.mjs:2:9');
    expect(thrownAt(thrown('Error: x\n    at /tmp/m/obj.cjs:3:7'))).toBe('/tmp/m/obj.cjs:3:7');
  });

  it("skips Node's own frames and data: URLs rather than make up a path (review 51: /modules/esm/translators:205:3)", () => {
    const stack = [
      'Error: load failed here',
      '    at helper (data:text/javascript,const%20helper:1:30)',
      '    at ModuleJob.run (node:internal/modules/esm/translators:205:3)',
      '    at node:internal/modules/cjs/loader:1207:15',
    ].join('\n');
    expect(thrownAt(thrown(stack))).toBeUndefined();
    expect(thrownAt(thrown(`${stack}\n    at load (/tmp/m/user.js:7:2)`))).toBe('/tmp/m/user.js:7:2');
    // Past the loader's own frame, nothing is the module's (review 52: the loader was named).
    const loader = '/opt/parzen/objectives/dist/load-module-export.js';
    expect(thrownAt(thrown(`${stack}\n    at importModule (${loader}:30:17)`), loader)).toBeUndefined();
    expect(thrownAt(thrown(`${stack}\n    at importModule (file://${loader}:30:17)`), loader)).toBeUndefined();
  });

  it("names no frame of tsx's loader, which is not the module (trial 162: tsx's bundle was the place)", () => {
    const tsx = 'file:///w/node_modules/.pnpm/tsx@4.23.15/node_modules/tsx/dist/register-nyXW-TH3.mjs';
    expect(thrownAt(thrown(`Error: Unknown file extension ".py"\n    at load (${tsx}:2:4283)`))).toBeUndefined();
    // A module tsx runs: its own frame, above tsx's.
    expect(thrownAt(thrown(`Error: x\n    at file:///tmp/m/obj.ts:3:9\n    at load (${tsx}:2:4283)`))).toBe(
      '/tmp/m/obj.ts:3:9',
    );
  });
});

describe('codeThrownAt', () => {
  const engine = fileURLToPath(new URL('.', import.meta.url));
  const caller = `    at Object.evaluate (${pathToFileURL(`${engine}builtins/function-objective.js`).href}:14:56)`;

  it('names the first frame of code with no file, as node -e, the REPL and new Function make it (trial 171)', () => {
    expect(codeThrownAt(thrown(`Error: x\n    at objective ([eval]:2:126)\n${caller}`))).toBe('[eval]:2:126');
    expect(codeThrownAt(thrown(`Error: x\n    at REPL1:1:30\n${caller}`))).toBe('REPL1:1:30');
    const generated = 'at eval (eval at <anonymous> (file:///tmp/m/run.mjs:2:19), <anonymous>:3:7)';
    expect(codeThrownAt(thrown(`Error: x\n    ${generated}\n${caller}`))).toBe(
      '<anonymous>:3:7 (eval at /tmp/m/run.mjs:2:19)',
    );
    expect(codeThrownAt(thrown(`Error: x\n    at f (file:///tmp/m/obj.mjs:2:9)\n${caller}`))).toBe(
      '/tmp/m/obj.mjs:2:9',
    );
  });

  it("skips the runtime's and Node's own frames; Parzen's own frame first is an unknown place, not Parzen's file", () => {
    const natives = '    at JSON.parse (<anonymous>)\n    at next (node:internal/streams/reader:3:9)';
    expect(codeThrownAt(thrown(`SyntaxError: x\n${natives}\n    at parse (/tmp/m/obj.mjs:5:1)\n${caller}`))).toBe(
      '/tmp/m/obj.mjs:5:1',
    );
    expect(codeThrownAt(thrown(`Error: x\n${caller}`))).toBeUndefined();
    expect(codeThrownAt(thrown(`Error: x\n${natives}`))).toBeUndefined();
    expect(codeThrownAt(thrown('Error: x'))).toBeUndefined();
  });
});

describe('describeValue', () => {
  it("names an object's functions, which JSON leaves out (review 135: a nameless reporter was `found {}`)", () => {
    expect(describeValue({ onEvent: () => {} })).toBe('{} with the function `onEvent`');
    expect(describeValue({ name: 'csv', onEvent() {}, end() {} })).toBe(
      '{"name":"csv"} with the functions `onEvent`, `end`',
    );
    const many = Object.fromEntries(['a', 'b', 'c', 'd', 'e', 'f'].map((key) => [key, () => 0]));
    expect(describeValue(many)).toBe('{} with the functions `a`, `b`, `c`, `d`, `e`, ...');
    expect(describeValue({ x: 1 })).toBe('{"x":1}');
    expect(describeValue([() => 0])).toBe('[null]');
    // A class's methods too (review 138), but never the runtime's own (a Date, a Map, an Error).
    class Reporter {
      onEvent(): void {}
      end(): void {}
    }
    expect(describeValue(new Reporter())).toBe('{} with the functions `onEvent`, `end`');
    class Loud extends Reporter {
      shout(): void {}
    }
    expect(describeValue(new Loud())).toBe('{} with the functions `shout`, `onEvent`, `end`');
    expect(describeValue(new Date(0))).toBe('"1970-01-01T00:00:00.000Z"');
    expect(describeValue(new Map([[1, 2]]))).toBe('{}');
    expect(describeValue(new Error('x'))).toBe('{}');
  });
});

describe("hyperopt's names get a hint in a config and in code (trial 55)", () => {
  it('fmin arguments, and max_evals inside budget', () => {
    expect(didYouMeanField('max_evals', ['maxTrials', 'moreTrials', 'maxSeconds'])).toBe(
      ' (did you mean `maxTrials`?)',
    );
    expect(didYouMeanField('rstate', ['name', 'seed', 'space'])).toBe(' (did you mean `seed`?)');
    expect(didYouMeanField('trials', ['store', 'space'])).toBe(' (did you mean `store`?)');
    expect(didYouMeanField('fn', ['objective', 'space'])).toBe(' (did you mean `objective`?)');
    // Optuna's TPESampler arguments among the tpe suggester's options (trial 96).
    const tpe = ['startupTrials', 'candidates', 'constantLiar', 'priorWeight', 'grouping'];
    expect(
      ['n_startup_trials', 'n_ei_candidates', 'constant_liar', 'prior_weight'].map((name) =>
        didYouMeanField(name, tpe),
      ),
    ).toEqual([
      ' (did you mean `startupTrials`?)',
      ' (did you mean `candidates`?)',
      ' (did you mean `constantLiar`?)',
      ' (did you mean `priorWeight`?)',
    ]);
    expect(didYouMeanValue('univariate', ['independent', 'joint', 'groups'])).toBe(' (did you mean `independent`?)');
    expect(didYouMeanField('multivariate', ['grouping'])).toMatch(
      /^ \(Optuna's multivariate=True is .*"grouping": "joint"/,
    );
    expect(didYouMeanValue('multivariate', ['independent', 'joint', 'groups'])).toBe(' (did you mean `joint`?)');
    expect(didYouMeanField('points_to_evaluate', ['enqueue'])).toBe(' (did you mean `enqueue`?)');
  });

  it("a config's own budget fields at its top level, where fmin takes them: said as budget's", () => {
    const top = ['name', 'space', 'objective', 'budget', 'concurrency'];
    expect(
      ['maxTrials', 'moreTrials', 'maxSeconds', 'lossThreshold', 'maxConsecutiveFailures'].map((name) =>
        didYouMeanField(name, top),
      ),
    ).toEqual([
      ' (did you mean `budget.maxTrials`?)',
      ' (did you mean `budget.moreTrials`?)',
      ' (did you mean `budget.maxSeconds`?)',
      ' (did you mean `budget.lossThreshold`?)',
      ' (did you mean `budget.maxConsecutiveFailures`?)',
    ]);
  });

  it("a per-trial time limit asked of a plugin that has none: the run's, with the value in the run's unit", () => {
    // A module objective's options: path, export, isolate, reuseThreads, loadTimeoutSeconds (a load's limit, no
    // trial's: the hint stands, and the load's is not offered for a trial's).
    const moduleOptions = ['path', 'export', 'isolate', 'reuseThreads', 'loadTimeoutSeconds'];
    expect(didYouMeanField('trialTimeoutSeconds', moduleOptions, { value: 90, in: 'config' })).toBe(
      " (a trial's time limit is the config's top-level `trialTimeoutSeconds`, not an option of this object: move it there)",
    );
    expect(didYouMeanField('timeoutMs', moduleOptions, { value: 2000, in: 'config' })).toBe(
      ' (a trial\'s time limit is the config\'s top-level `trialTimeoutSeconds`: `"timeoutMs": 2000` is `"trialTimeoutSeconds": 2` there)',
    );
    expect(didYouMeanField('timeout_seconds', moduleOptions, { value: 90, in: 'config' })).toBe(
      ' (a trial\'s time limit is the config\'s top-level `trialTimeoutSeconds`: `"timeout_seconds": 90` is `"trialTimeoutSeconds": 90` there)',
    );
    expect(didYouMeanField('timeoutSeconds', moduleOptions, { value: 1.5, in: 'code' })).toBe(
      " (a trial's time limit is the run's `trialTimeoutMs` option (`fmin`, `study.optimize`): `timeoutSeconds: 1.5` is `trialTimeoutMs: 1500` there)",
    );
    // A bare `timeout` has no unit to convert from.
    expect(didYouMeanField('timeout', moduleOptions, { value: 5, in: 'config' })).toBe(
      " (a trial's time limit is the config's top-level `trialTimeoutSeconds`, in seconds)",
    );
    // Where the object has a limit of its own, or is the budget, the other hints stand.
    expect(didYouMeanField('timeoutMs', ['command', 'timeoutSeconds'], { value: 2500, in: 'config' })).toBe(
      ' (did you mean `timeoutSeconds`? a config gives it in seconds: `"timeoutMs": 2500` is `"timeoutSeconds": 2.5`)',
    );
    expect(didYouMeanField('timeout', ['maxTrials', 'maxSeconds'])).toBe(' (did you mean `maxSeconds`?)');
    // A store's own limit (SQLite's busy timeout) is no trial's: no hint toward trialTimeoutMs.
    expect(didYouMeanField('timeout', ['path', 'busyTimeoutMs', 'fsync'], { value: 5, in: 'code' })).not.toContain(
      'trialTimeoutMs',
    );
  });

  it("an object's inherited members are no field names nor values (trial 93: `constructor` got `function Object()`)", () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      expect(didYouMeanField(name, ['name', 'seed', 'space'])).not.toMatch(/function|object Object/);
      expect(didYouMeanValue(name, ['tpe', 'random'])).not.toMatch(/function|object Object/);
    }
  });
});

describe('a name that looks like a known one but is written with other code points (trial 52: NFC and NFD)', () => {
  it('names both spellings, since a plain did-you-mean would print what looks like the name given', () => {
    const composed = 'caf\u00e9';
    const decomposed = 'cafe\u0301';
    expect(didYouMean(decomposed, ['other', composed])).toBe(
      ` (\`${composed}\` looks the same but is written with other Unicode code points: c a f U+00E9 against c a f e U+0301; names are compared code point for code point)`,
    );
    expect(didYouMean(composed, [decomposed])).toContain('c a f e U+0301 against c a f U+00E9');
    // A name the list holds as it is, or one merely near, is as before.
    expect(didYouMean('cafe', [composed])).toBe(' (did you mean `café`?)');
  });
});

describe('instanceof ParzenError across copies of the engine (trial 60)', () => {
  it("holds for another copy's ParzenError (the brand), and subclasses still test as classes", async () => {
    const { ParzenError } = await import('./errors.js');
    // Another copy's class: the same source, evaluated again (a plugin's own node_modules/@parzen/engine).
    // @ts-expect-error: the query makes it a module of its own, which TypeScript does not resolve
    const copy = (await import('./errors.js?copy')) as typeof import('./errors.js');
    expect(copy.ParzenError).not.toBe(ParzenError);
    const foreign = new copy.ParzenError('TRIAL_ALREADY_FINISHED', 'from a plugin');
    expect(foreign instanceof ParzenError).toBe(true);
    expect(new ParzenError('CONFIG_INVALID', 'here') instanceof copy.ParzenError).toBe(true);
    expect(new Error('plain') instanceof ParzenError).toBe(false);
    expect(Object.keys(foreign)).not.toContain('Symbol(parzen.ParzenError)');
    expect(JSON.stringify(foreign)).not.toContain('parzen.ParzenError');
    class Narrower extends ParzenError {}
    expect(new Narrower('CONFIG_INVALID', 'x') instanceof ParzenError).toBe(true);
    expect(foreign instanceof Narrower).toBe(false);
  });
});

describe('a printed ParzenError (trial 99: `plugin: undefined` and `trials: undefined` in an uncaught one)', () => {
  it('lists the facts it has and not the ones it lacks', () => {
    const bare = inspect(new ParzenError('CONFIG_INVALID', 'bad'));
    expect(bare).toContain("code: 'CONFIG_INVALID'");
    expect(bare).not.toContain('undefined');
    const full = new ParzenError('SUGGESTER_FAILED', 'bad', { plugin: 'tpe', trials: [] });
    expect(inspect(full)).toContain("plugin: 'tpe'");
    expect(full.trials).toEqual([]);
    expect(new ParzenError('CONFIG_INVALID', 'bad').plugin).toBeUndefined();
  });
});

describe('configErrorUnder (review 68)', () => {
  it("puts a plugin's relative issues under the prefix, says a listed message again, keeps its own words and absolute ones", () => {
    const listed = new ParzenError('CONFIG_INVALID', 'Invalid x options:\n  /level: expected at most 3, found 5', {
      issues: [{ pointer: '/level', expected: 'at most 3', found: '5' }],
    });
    const placed = configErrorUnder('/pruner/options', listed) as ParzenError;
    expect(placed.message).toBe('Invalid x options:\n  /pruner/options/level: expected at most 3, found 5');
    expect(placed.issues.map((issue) => issue.pointer)).toEqual(['/pruner/options/level']);
    // A plugin's account in its own words: kept whole, its issue placed and listed after it (review 69).
    const words = new ParzenError('CONFIG_INVALID', 'Cannot use PostgreSQL at `u@h/d`: the host does not resolve.', {
      issues: [{ pointer: '/url', expected: 'a reachable database', found: 'u@h/d' }],
    });
    const said = configErrorUnder('/store/options', words) as ParzenError;
    expect(said.message).toBe(
      'Cannot use PostgreSQL at `u@h/d`: the host does not resolve.\n  /store/options/url: expected a reachable database, found u@h/d',
    );
    expect(said.issues.map((issue) => issue.pointer)).toEqual(['/store/options/url']);
    // Absolute issues only: kept where they are, and listed (trial 66: the message alone was printed).
    const absolute = new ParzenError('CONFIG_INVALID', 'Invalid my-obj options', {
      issues: [{ pointer: '/space', expected: 'a', found: 'b', absolute: true }],
    });
    const kept = configErrorUnder('/objective/options', absolute) as ParzenError;
    expect(kept.message).toBe('Invalid my-obj options\n  /space: expected a, found b');
    // A pointer written without its leading slash, and the options as a whole (`""`).
    expect(
      issuesUnder('/suggester/options', [
        { pointer: 'level', expected: 'a', found: 'b' },
        { pointer: '', expected: 'a', found: 'b' },
      ]).map((issue) => issue.pointer),
    ).toEqual(['/suggester/options/level', '/suggester/options']);
    // Placed twice (the plugin factory's, then the slot's): listed once.
    const twice = configErrorUnder('/objective/options', configErrorUnder('/options', words)) as ParzenError;
    expect(twice.message.match(/expected a reachable database/g)).toHaveLength(1);
  });
});

describe('a plugin of ours whose package was not given (trial 94: "(none loaded)" for `module`)', () => {
  it('names its package and where to list it; other names keep the did-you-mean', () => {
    const error = unknownPlugin('objective', 'module', [], '/objective/use');
    expect(error.message).toContain('`module` is in the package @parzen/objectives: install it and list it');
    expect(error.message).toContain(
      'with the parzen package, `[...plugins, thatPackage]`: given plugins replace its own',
    );
    expect(error.issues[0]?.expected).toBe(
      'one of the objective plugins: (none loaded); `module` is in @parzen/objectives, not loaded: list that package in "plugins" beside the others the config uses (in code, runExperiment\'s plugins option: with the parzen package, `[...plugins, thatPackage]`)',
    );
    expect(unknownPlugin('store', 'postgres', ['memory', 'jsonl'], '/store/use').issues[0]?.expected).toContain(
      '`postgres` is in @parzen/store-postgres',
    );
    expect(unknownPlugin('pruner', 'hyperband', [], '/pruner/use').message).toContain('@parzen/pruners');
    const mine = unknownPlugin('suggester', 'tpee', ['random', 'tpe'], '/suggester/use');
    expect(mine.message).toContain('(did you mean `tpe`?)');
    expect(mine.message).toContain('Is its package listed in "plugins"?');
    // A misspelt name of one of ours that is not loaded (review 98: no hint).
    expect(unknownPlugin('objective', 'modul', [], '/objective/use').message).toContain(
      '(did you mean `module`? It is in @parzen/objectives, not loaded)',
    );
    // Inherited members are no plugin of ours.
    expect(unknownPlugin('constructor', 'toString', [], '/x').message).not.toMatch(/function|is in the package/);
  });
});

describe('didYouMean of a name that looks like the one offered', () => {
  // Trial 183: `--study kyoto‐1` (a typographic hyphen) was offered `kyoto-1`, to the eye the same name.
  it('says which characters differ, with their code points', () => {
    expect(didYouMean('kyoto\u20101', ['kyoto-1', 'osaka-2'])).toBe(
      ' (did you mean `kyoto-1`?: it has - U+002D where this has \u2010 U+2010)',
    );
    expect(didYouMean('\u0430dam', ['adam', 'sgd'])).toBe(
      ' (did you mean `adam`?: it has a U+0061 where this has \u0430 U+0430)',
    );
  });

  it('says nothing more of a plain typo or a case difference', () => {
    expect(didYouMean('suggestor', ['suggester'])).toBe(' (did you mean `suggester`?)');
    expect(didYouMean('URL', ['url'])).toBe(' (did you mean `url`?)');
  });
});
