import { describe, expect, it } from 'vitest';
import { createAjv, validateWith } from '../config/ajv-issues.js';
import type { Trial } from '../domain/trial.js';
import { didYouMean, didYouMeanField, didYouMeanValue } from '../errors.js';
import { importInvalid } from '../runtime/imported-trials.js';
import { createNoImprovementStopper } from './no-improvement-stopper.js';
import { countOf, failureNote, lastStderrLine, passwordMasked, printable } from './words.js';

const at = '2026-01-01T00:00:00.000Z';

describe('counts in messages: singular for one', () => {
  it('countOf', () => {
    expect([0, 1, 2].map((count) => countOf(count, 'trial'))).toEqual(['0 trials', '1 trial', '2 trials']);
  });

  it('the no-improvement stopper names its rule with 1 trial, not 1 trials', () => {
    const trials: Trial[] = [10, 11].map((loss, number) => ({
      study: 's',
      number,
      state: 'complete',
      internal: {},
      startedAt: at,
      finishedAt: at,
      loss,
    }));
    const stopper = createNoImprovementStopper({ trials: 1, minDelta: 0 });
    const context = { study: 's', direction: 'minimize', trial: trials[1], trials, best: undefined } as const;
    expect(stopper.shouldStop(context as never)).toBe('no improvement of 0% in 1 trial');
  });

  it('an import of one bad row says 1 of 1 row', () => {
    const error = importInvalid([{ row: 0, issues: [{ pointer: '/loss', expected: 'a number', found: '"x"' }] }], 1);
    expect(error.message).toMatch(/^1 of 1 row cannot be imported, so nothing was imported:/);
  });

  it('config limits say 1 item, 1 field, 2 characters; a minimum length of 1 is a non-empty string, as in code', () => {
    const schema = {
      type: 'object',
      properties: {
        list: { type: 'array', minItems: 1 },
        box: { type: 'object', minProperties: 1 },
        text: { type: 'string', minLength: 1 },
        code: { type: 'string', minLength: 2 },
      },
    };
    const issues = validateWith(createAjv().compile(schema), { list: [], box: {}, text: '', code: 'x' });
    expect(issues.map((issue) => issue.expected)).toEqual([
      'at least 1 item',
      'at least 1 field',
      'a non-empty string',
      'a string of at least 2 characters',
    ]);
  });
});

describe('the stderr note of a failed command trial', () => {
  it('shows the last line the program wrote, without progress-bar rewrites or colours', () => {
    expect(failureNote({ stderrTail: 'loading\nValueError: C must be positive\n\n' })).toBe(
      ' (stderr: ValueError: C must be positive)',
    );
    expect(failureNote({ stderrTail: 'epoch 1/3\repoch 2/3\rRuntimeError: diverged\n' })).toBe(
      ' (stderr: RuntimeError: diverged)',
    );
    expect(failureNote({ stderrTail: '\u001b[31mError: colored\u001b[0m\n' })).toBe(' (stderr: Error: colored)');
    expect(failureNote({})).toBe('');
  });

  // A COMMAND_FAILED trial's message says the line now: not said twice where a line shows the trial.
  it('says nothing more of a message that says the line, as a failed command trial now does', () => {
    const details = { stderrTail: 'Traceback (most recent call last):\nValueError: bad lr\n' };
    expect(failureNote(details, '`python3 train.py` exited with code 1: ValueError: bad lr.')).toBe('');
    expect(failureNote(details, '`python3 train.py` exited with code 1.')).toBe(' (stderr: ValueError: bad lr)');
    // A short line the message holds elsewhere is still said (review 153: `loss` was dropped).
    expect(failureNote({ stderrTail: 'loss\n' }, 'The objective returned no loss.')).toBe(' (stderr: loss)');
    expect(lastStderrLine(`${'é'.repeat(130)}\n`)).toBe(`${'é'.repeat(119)}…`);
    expect(lastStderrLine('\n  \n')).toBeUndefined();
  });

  it("says where a thrown error came from, its class and place (trial 54), and nothing for a plain Error's lack of a class", () => {
    expect(failureNote({ errorName: 'TypeError', thrownAt: '/home/me/objective.mjs:3:17', stack: '...' })).toBe(
      ' (TypeError at /home/me/objective.mjs:3:17)',
    );
    expect(failureNote({ thrownAt: '/home/me/objective.mjs:3:17' })).toBe(' (at /home/me/objective.mjs:3:17)');
    expect(failureNote({ errorName: 'RangeError' })).toBe(' (RangeError)');
    // A stack with no place of the user's code: the place is unknown (trial 171: Parzen's own file was named).
    expect(failureNote({ stack: 'Error: x' })).toBe(' (at an unknown place)');
    expect(failureNote({ errorName: 'TypeError', stack: 'TypeError: x' })).toBe(' (TypeError at an unknown place)');
    expect(failureNote(undefined)).toBe('');
  });

  it('says of an Error given to study.tell that it was, and where it was created, not where it was thrown', () => {
    expect(failureNote({ errorName: 'TypeError', thrownAt: '/srv/service.mjs:40:9', told: true })).toBe(
      ' (TypeError passed to tell(), created at /srv/service.mjs:40:9)',
    );
    // As older builds stored the place.
    expect(failureNote({ errorName: 'TypeError', createdAt: '/srv/service.mjs:40:9', told: true })).toBe(
      ' (TypeError passed to tell(), created at /srv/service.mjs:40:9)',
    );
    expect(failureNote({ told: true })).toBe(' (passed to tell())');
  });
});

describe('didYouMean (trial 34: a misspelt key got the list of every field, no hint)', () => {
  const top = ['name', 'seed', 'suggester', 'store', 'concurrency', 'budget', 'stopper'];
  it('names the one known name a few edits away', () => {
    expect(didYouMean('suggestor', top)).toBe(' (did you mean `suggester`?)');
    expect(didYouMean('concurency', top)).toBe(' (did you mean `concurrency`?)');
    expect(didYouMean('maxTrails', ['maxTrials', 'moreTrials', 'maxSeconds'])).toBe(' (did you mean `maxTrials`?)');
    expect(didYouMean('Seed', top)).toBe(' (did you mean `seed`?)');
  });

  it('names the one known name the given one begins (trial 40: `timeout` for `timeoutSeconds`)', () => {
    expect(didYouMean('timeout', ['command', 'timeoutSeconds', 'stdin'])).toBe(' (did you mean `timeoutSeconds`?)');
    expect(didYouMean('Startup', ['startupTrials', 'gamma'])).toBe(' (did you mean `startupTrials`?)');
  });

  it("knows other tools' names for fields: where they are here (trial 47: a store's `file` for `path`)", () => {
    const schema = {
      type: 'object',
      additionalProperties: false,
      properties: {
        suggester: {},
        store: { type: 'object', additionalProperties: false, properties: { path: {}, busyTimeoutMs: {} } },
        budget: {},
        concurrency: {},
      },
    };
    const validate = createAjv().compile(schema);
    const found = (config: object) => validateWith(validate, config).map((issue) => issue.found);
    expect(found({ sampler: {}, n_trials: 5, n_jobs: 2, timeout: 60 })).toEqual([
      'an unknown field `sampler` (did you mean `suggester`?)',
      'an unknown field `n_trials` (did you mean `budget.moreTrials`?)',
      'an unknown field `n_jobs` (did you mean `concurrency`?)',
      'an unknown field `timeout` (did you mean `budget.maxSeconds`?)',
    ]);
    expect(found({ store: { file: 'x.db' } })).toEqual(['an unknown field `file` (did you mean `path`?)']);
    // Only where the field meant exists: no `path` among a budget's fields, so no hint from the synonym.
    expect(didYouMeanField('file', ['maxTrials', 'maxSeconds'])).toBe('');
    // Misspellings still get their hint.
    expect(didYouMeanField('suggestor', ['suggester', 'store'])).toBe(' (did you mean `suggester`?)');
    // Code's options (trial 76): hooks by their name in code, Optuna's `catch` not offered `catchStrayErrors`.
    const fminOptions = ['objective', 'maxTrials', 'budget', 'stopWhen', 'reporters', 'catchStrayErrors'];
    expect(didYouMeanField('early_stop_fn', fminOptions)).toBe(' (did you mean `stopWhen` or `budget.patience`?)');
    // hyperopt's names: fmin's own maxTrials (not the budget's), SparkTrials' parallelism, early_stop_fn in a budget.
    expect(didYouMeanField('max_evals', fminOptions)).toBe(' (did you mean `maxTrials`?)');
    expect(didYouMeanField('max_evals', ['name', 'budget'])).toBe(' (did you mean `budget.maxTrials`?)');
    expect(didYouMeanField('parallelism', ['name', 'budget', 'concurrency'])).toBe(' (did you mean `concurrency`?)');
    expect(didYouMeanField('early_stop_fn', ['maxTrials', 'patience', 'lossThreshold'])).toBe(
      ' (did you mean `patience`?)',
    );
    expect(didYouMeanField('early_stop_fn', ['name', 'budget', 'stopper'])).toBe(
      ' (did you mean `stopper` or `budget.patience`?)',
    );
    expect(didYouMeanField('callbacks', fminOptions)).toBe(' (did you mean `stopWhen` or `reporters`?)');
    expect(didYouMeanField('callbacks', ['stopper', 'reporters'])).toBe(' (did you mean `stopper` or `reporters`?)');
    expect(didYouMeanField('loss_threshold', fminOptions)).toBe(' (did you mean `budget.lossThreshold`?)');
    expect(didYouMeanField('catch', fminOptions)).toMatch(
      /^ \(nothing to set: an error the objective throws fails its trial/,
    );
  });

  it("knows other tools' words for values, and misspelt values, in configs (trial 40)", () => {
    const schema = {
      type: 'object',
      properties: { stdin: { enum: ['json', 'none'] }, command: { type: 'array' }, types: { type: 'array' } },
    };
    const issues = validateWith(createAjv().compile(schema), {
      stdin: 'jsno',
      command: 'python3 train.py --lr {lr}',
      types: 'a b',
    });
    expect(issues.map((issue) => issue.found)).toEqual([
      '"jsno" (did you mean `json`?)',
      '"python3 train.py --lr {lr}" (a list is expected, one item per argument: ["python3","train.py","--lr","{lr}"])',
      '"a b" (a list is expected, one item each: ["a","b"])',
    ]);
    const types = ['uniform', 'uniformint', 'choice'];
    expect(
      ['categorical', 'Float', 'int', 'unifrom', 'tree', 'hp.choice', 'hp.tree'].map((value) =>
        didYouMeanValue(value, types),
      ),
    ).toEqual([
      ' (did you mean `choice`?)',
      ' (did you mean `uniform`?)',
      ' (did you mean `uniformint`?)',
      ' (did you mean `uniform`?)',
      '',
      // hyperopt's names (trial 62).
      ' (did you mean `choice`?)',
      '',
    ]);
    // A list too long is said by its length (trial 62: 200,000 enqueued entries were printed).
    const short = { type: 'object', properties: { list: { type: 'array', maxItems: 2 } } };
    const long = Array.from({ length: 25 }, (_, i) => i);
    expect(validateWith(createAjv().compile(short), { list: long }).map((issue) => issue.found)).toEqual(['25 items']);
    // A short one is shown as it is.
    expect(validateWith(createAjv().compile(short), { list: [1, 2, 3] }).map((issue) => issue.found)).toEqual([
      '[1,2,3]',
    ]);
    // A word among the branches of an anyOf (trial 62: `constantLiar: "wrost"` got none).
    const liar = {
      type: 'object',
      properties: { lie: { anyOf: [{ enum: [false, 'worst', 'best'] }, { type: 'number' }] } },
    };
    expect(validateWith(createAjv().compile(liar), { lie: 'wrost' }).map((issue) => issue.found)).toEqual([
      '"wrost" (did you mean `worst`?)',
    ]);
    // Optuna's constant_liar=True, by the field's name (trial 124); not another field's, nor `false`'s.
    const named = {
      type: 'object',
      properties: {
        constantLiar: { anyOf: [{ enum: [false, 'worst', 'best'] }, { type: 'number' }] },
        other: { anyOf: [{ enum: ['worst', 'best'] }, { type: 'number' }] },
      },
    };
    expect(
      validateWith(createAjv().compile(named), { constantLiar: true, other: true }).map((issue) => issue.found),
    ).toEqual(['true (Optuna\'s constant_liar=True is `"worst"` here)', 'true']);
  });

  it('says nothing when no name is close, or two are as close', () => {
    expect(didYouMean('objective', top)).toBe('');
    expect(didYouMean('stroe', ['store', 'stoner'])).toBe(' (did you mean `store`?)');
    expect(didYouMean('stoer', ['store', 'stoner'])).toBe('');
    expect(didYouMean('moreTrials', ['maxTrials', 'maxSeconds'])).toBe('');
    expect(didYouMean('ab', ['ac', 'ad'])).toBe('');
    // The start of a name only when it is the start of one name alone, and not too short.
    expect(didYouMean('time', ['timeoutSeconds', 'timeZone'])).toBe('');
    expect(didYouMean('tim', ['timeoutSeconds'])).toBe('');
  });
});

describe('printable (trial 93: an error message set the window title, cleared the screen, split a table row)', () => {
  it('writes what a terminal would obey as \\u escapes, and leaves everything else', () => {
    const hostile = 'boom \u001b]0;PWNED\u0007\u001b[2J\u001b[31mRED\u001b[0m \u202eX\u009b\r';
    expect(printable(hostile)).toBe(
      'boom \\u001b]0;PWNED\\u0007\\u001b[2J\\u001b[31mRED\\u001b[0m \\u202eX\\u009b\\u000d',
    );
    expect(printable('two\nlines\tand a tab')).toBe('two\nlines\tand a tab');
    expect(printable('two\nlines\tand a tab', true)).toBe('two\\u000alines\\u0009and a tab');
    const plain = 'héllo 学习率 😀 -1e-3 "quoted"';
    expect(printable(plain, true)).toBe(plain);
    // Windows line ends stay line ends; the marks right-to-left text uses stay (review 98).
    expect(printable('one\r\ntwo\u001b')).toBe('one\ntwo\\u001b');
    expect(printable('שלום\u200f עולם\u200e \u061c', true)).toBe('שלום\u200f עולם\u200e \u061c');
    // Twice in a row (a global pattern keeps its position between calls).
    expect(printable('\u001b', true)).toBe('\\u001b');
    expect(printable('\u001b', true)).toBe('\\u001b');
  });

  it("in a failed command trial's stderr note too, a tab kept", () => {
    expect(failureNote({ stderrTail: 'a\tb\u001b\n' })).toBe(' (stderr: a\tb\\u001b)');
    expect(failureNote({ stderrTail: 'fatal \u001b]8;;http://x/\u0007link\n' })).toBe(
      ' (stderr: fatal \\u001b]8;;http://x/\\u0007link)',
    );
  });
});

// Trial 161: a URL that did not parse was quoted with its password in clear.
describe('passwordMasked', () => {
  it('masks the password of a URL whether or not it parses, and of every password= parameter', () => {
    const cases: [string, string][] = [
      ['postgres://ann:s3cr3t@db:5432/studies', 'postgres://ann:***@db:5432/studies'],
      ['postgres://ann:s3cr3t@db:notaport/studies', 'postgres://ann:***@db:notaport/studies'],
      ['postgres://ann:s3cr3t@/studies', 'postgres://ann:***@/studies'],
      ['postgres://ann:s3cr3t@[::1/studies', 'postgres://ann:***@[::1/studies'],
      ['postgres:ann:s3cr3t@db/studies', 'postgres:ann:***@db/studies'],
      ['postgres:postgres:ann:s3cr3t@db/studies', 'postgres:postgres:***@db/studies'],
      ['ann:s3cr3t@db/studies', 'ann:***@db/studies'],
      ['postgres://ann:s3/cr?3#t@db/studies', 'postgres://ann:***@db/studies'],
      ['postgres://ann@corp:s3cr3t@db/studies', 'postgres://ann%40corp:***@db/studies'],
      ['postgres://ann@corp:s3cr3t@db:x/studies', 'postgres://ann@corp:***@db:x/studies'],
      [
        'postgres://db:x/studies?sslmode=require&password=s3cr3t',
        'postgres://db:x/studies?sslmode=require&password=***',
      ],
      ['postgres://db/studies?password=s3cr3t&sslmode=require', 'postgres://db/studies?password=***&sslmode=require'],
      ['host=db password=s3cr3t user=ann', 'host=db password=*** user=ann'],
    ];
    for (const [url, masked] of cases) {
      expect(passwordMasked(url)).toBe(masked);
      expect(passwordMasked(url)).not.toContain('s3');
    }
  });

  it('leaves a URL or text without a password as it is', () => {
    for (const text of [
      'postgres://ann@db:5432/studies?application_name=a@b',
      'postgres://ann@db:notaport/studies',
      'postgres://ann@/studies?host=/run/postgresql',
      'postgres:ann@db/studies',
      'sqlite:./runs/x.db',
    ])
      expect(passwordMasked(text)).toBe(text);
  });
});
