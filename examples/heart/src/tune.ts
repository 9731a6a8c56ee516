/**
 * The tuner for the heart program: a separate module, so `heart.ts` stays free of tuning code. It loads
 * `heart.experiment.json`, registers the program's error as the `heart` objective and runs the study.
 *
 *   node examples/heart/dist/tune.js [--seed N] [--max-trials N] [--suggester tpe|random|quasi-random]
 *                                    [--store path.jsonl] [--json]
 *
 * Trials are written to `heart.parzen.jsonl` beside the config as they finish; running again resumes.
 * Ctrl-C stops asking, lets the running trial finish, prints the summary and exits 130.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as random from '@parzen/algo-random';
import * as tpe from '@parzen/algo-tpe';
import { installInterruptHandlers, ParzenError, type RunResult, runExperiment } from '@parzen/engine';
import * as jsonl from '@parzen/store-file';
import { HyperParameters } from './heart.js';

interface Flags {
  readonly seed?: number;
  readonly maxTrials?: number;
  readonly suggester?: string;
  readonly store?: string;
  readonly json: boolean;
}

const USAGE =
  'Usage: node examples/heart/dist/tune.js [--seed N] [--max-trials N] [--suggester tpe|random|quasi-random]\n' +
  '                                        [--store path.jsonl] [--json]\n';
const VALUE_FLAGS = new Set(['--seed', '--max-trials', '--suggester', '--store']);

/** A mistake in the command line: said with the usage, exit 2, no stack trace. */
class UsageError extends Error {}

/** A flag this tuner does not know is a mistake, not a default run (a typo such as --max-trial ran 100 trials). */
const checkFlags = (argv: readonly string[]): void => {
  for (let index = 0; index < argv.length; index++) {
    const flag = argv[index] as string;
    if (VALUE_FLAGS.has(flag)) index++;
    else if (flag !== '--json') throw new UsageError(`unknown flag ${JSON.stringify(flag)}`);
  }
};

const parseFlags = (argv: readonly string[]): Flags => {
  checkFlags(argv);
  const value = (name: string): string | undefined => {
    const index = argv.indexOf(name);
    if (index < 0) return undefined;
    const given = argv[index + 1];
    if (given === undefined || given.startsWith('--')) throw new UsageError(`${name} needs a value`);
    return given;
  };
  const integer = (name: string): number | undefined => {
    const text = value(name);
    if (text === undefined) return undefined;
    const parsed = Number(text);
    if (!Number.isInteger(parsed)) throw new UsageError(`${name} expects an integer, found ${JSON.stringify(text)}`);
    return parsed;
  };
  const seed = integer('--seed');
  const maxTrials = integer('--max-trials');
  const suggester = value('--suggester');
  const store = value('--store');
  return {
    ...(store === undefined ? {} : { store }),
    json: argv.includes('--json'),
    ...(seed === undefined ? {} : { seed }),
    ...(maxTrials === undefined ? {} : { maxTrials }),
    ...(suggester === undefined ? {} : { suggester }),
  };
};

/** The objective: set the program's hyperparameters from the trial's params and run it. */
const objective = (params: Readonly<Record<string, unknown>>): number => {
  const hyperparameters = new HyperParameters();
  Object.assign(hyperparameters, params);
  return hyperparameters.runAndGetError();
};

/** The one-line JSON result printed last with `--json`. */
const jsonResult = (result: RunResult) => ({
  best:
    result.summary.best === undefined
      ? null
      : { number: result.summary.best.number, loss: result.summary.best.loss, params: result.summary.bestParams },
  // Every count, 0 too, as `parzen run --json` gives them.
  trials: {
    complete: result.summary.complete,
    failed: result.summary.failed,
    pruned: result.summary.pruned,
    running: result.summary.running,
  },
});

const main = async (): Promise<number> => {
  // `pnpm heart -- --json` hands the `--` on (pnpm 12; npm drops it): an end of options, not a flag (trial 34).
  const argv = process.argv.slice(2).filter((arg, index) => !(index === 0 && arg === '--'));
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE);
    return 0;
  }
  const flags = parseFlags(argv);
  const configDir = join(dirname(fileURLToPath(import.meta.url)), '..');
  const config = JSON.parse(readFileSync(join(configDir, 'heart.experiment.json'), 'utf8')) as Record<string, unknown>;
  const seed = flags.seed ?? (config.seed as number);
  const suggester = flags.suggester ?? (config.suggester as { use: string }).use;
  const tuned = {
    ...config,
    seed,
    // One study per seed and algorithm, so `--seed 2` starts its own study instead of resuming seed 1's.
    name: `${config.name as string}-${suggester}-seed${seed}`,
    suggester: flags.suggester === undefined ? config.suggester : { use: flags.suggester },
    store: flags.store === undefined ? config.store : { use: 'jsonl', options: { path: flags.store } },
    budget: flags.maxTrials === undefined ? config.budget : { maxTrials: flags.maxTrials },
    reporters: flags.json ? [{ use: 'console', options: { trials: false, stream: 'stderr' } }] : config.reporters,
  };
  const interrupts = installInterruptHandlers((_signal, count) => {
    if (count === 1) process.stderr.write('\nStopping: finishing the running trial (Ctrl-C again to stop at once)\n');
  });
  try {
    const result = await runExperiment(tuned, {
      plugins: [random, tpe, jsonl],
      functions: { heart: objective },
      baseDir: configDir,
      signal: interrupts.signal,
      forceSignal: interrupts.forceSignal,
    });
    if (flags.json) process.stdout.write(`${JSON.stringify(jsonResult(result))}\n`);
    return interrupts.exitCode() ?? 0;
  } finally {
    interrupts.dispose();
  }
};

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `${error instanceof ParzenError || error instanceof UsageError ? error.message : String((error as Error)?.stack ?? error)}\n`,
    );
    if (error instanceof UsageError) process.stderr.write(USAGE);
    process.exitCode =
      error instanceof UsageError || (error instanceof ParzenError && error.code.startsWith('CONFIG')) ? 2 : 1;
  },
);
