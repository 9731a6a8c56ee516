import { cpus, loadavg } from 'node:os';

/** The machine as the TPE benchmarks record it: cores, CPU model, Node version. */
export const machineNote = (): string =>
  `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), node ${process.version}`;

/**
 * The day and the load averages (1, 5, 15 min), as results compared across days on a machine whose speed varies
 * need them: `2026-12-05, load average 0.6 / 2.0 / 2.7`.
 */
export const dayAndLoad = (): string =>
  `${new Date().toISOString().slice(0, 10)}, load average ${loadavg()
    .map((load) => load.toFixed(1))
    .join(' / ')}`;

/**
 * A bench script's refusal of a bad flag value: said as `<script>: <message>` on stderr, exit 2, before anything
 * runs (trial 105: NaN rows, broken tables or nothing, and exit 0).
 */
export const refuser =
  (script: string) =>
  (message: string): never => {
    console.error(`${script}: ${message}`);
    return process.exit(2);
  };

/** The text after `--name` on the command line, or undefined when the flag is not given. */
export const argument = (name: string): string | undefined => {
  const at = process.argv.indexOf(`--${name}`);
  return at < 0 ? undefined : process.argv[at + 1];
};

/**
 * A flag's positive integer (`text`, or `fallback` when the flag is not given), or the refusal; with `least` 0, a
 * whole number (0 allowed).
 */
export const positiveCount = (
  refuse: (message: string) => never,
  flag: string,
  text: string | undefined,
  fallback: number,
  least: 0 | 1 = 1,
): number => {
  const value = Number(text ?? fallback);
  return text?.trim() !== '' && Number.isInteger(value) && value >= least
    ? value
    : refuse(`--${flag} ${text}: expected ${least === 0 ? 'a whole number (0 or more)' : 'a positive integer'}`);
};

/** A flag's whole number, 0 allowed (`text`, or `fallback` when the flag is not given), or the refusal. */
export const wholeCount = (
  refuse: (message: string) => never,
  flag: string,
  text: string | undefined,
  fallback: number,
): number => positiveCount(refuse, flag, text, fallback, 0);

/** One flag of a bench script: `--name`, and `value` (a placeholder for the help text) when it takes a value. */
export interface BenchFlag {
  readonly name: string;
  readonly value?: string;
  readonly help: string;
  /** The default as the help text says it (left out for a switch, which is off unless given). */
  readonly default?: string;
  /** Read at every occurrence (`--tpe`, `--variant`); any other flag may be given once. */
  readonly repeatable?: boolean;
}

/** A runnable bench script: what it measures in one line, a command from bench/README.md (or its header), its flags. */
export interface BenchScript {
  readonly purpose: string;
  readonly example: string;
  readonly flags: readonly BenchFlag[];
  /** `--name=value` is accepted too (the script reads its flags with node:util's parseArgs, which takes it). */
  readonly inlineValues?: boolean;
  /**
   * Run on the built packages (`node --import tsx`, after a build), not the sources: its results file's figures
   * are times that tsx's transform of the sources changes (the help says so, and shows that command).
   */
  readonly built?: boolean;
}

const COMMAND = 'node --conditions=@parzen/source --import tsx bench';
/** A script timed on the built packages: `npx --yes pnpm@12.4.2 build` first. */
const BUILT_COMMAND = 'node --import tsx bench';
const OUT_STORE: BenchFlag = { name: 'out', value: 'FILE', help: 'also write the report to FILE' };
const WRITE: BenchFlag = { name: 'write', help: 'write the results file' };
/** `tpe-suite.ts` and `tpe-quality.ts`'s `--write` (bench/results-file.ts). */
const WRITE_KEEPING: BenchFlag = {
  name: 'write',
  help: 'write the results file, with the day, commit and machine, keeping its lines from <!-- readings: kept by --write --> on; a slice only with --out',
};

/**
 * The flags of every runnable bench script, as the script reads them. `checkFlags` refuses any other before the
 * script runs (a misspelt flag was ignored, so a benchmark ran with defaults nobody asked for); bench/bench-flags.test.ts
 * checks this list against the flags each script's source reads.
 */
export const BENCH_SCRIPTS = {
  'halton-startup': {
    purpose:
      'the one-time cost of quasi-random (Halton) values by number of parameters: `parzen run` wall time and memory, and the sampler alone',
    example: `${COMMAND}/halton-startup.ts --out bench/results/halton-startup.md`,
    flags: [
      { name: 'dims', value: 'N,N', help: 'numbers of parameters', default: '3000,6000,10000' },
      { name: 'trials', value: 'N', help: 'trials of each run', default: '2' },
      {
        name: 'cli',
        value: 'FILE',
        help: "the CLI to run (another checkout's build, for a before/after)",
        default: 'packages/cli/dist/main.js',
      },
      OUT_STORE,
    ],
  },
  'engine-overhead': {
    purpose: 'run-loop overhead per trial (memory store, random search, trivial objective) at growing study sizes',
    example: `${COMMAND}/engine-overhead.ts`,
    flags: [],
  },
  pruning: {
    purpose: 'epochs the pruners save at equal final regret on a small SGD trainer (TPE or random search)',
    example: `${COMMAND}/pruning.ts --seeds 30 --write`,
    flags: [
      { name: 'seeds', value: 'N', help: 'seeds per row', default: '10' },
      { name: 'first-seed', value: 'N', help: 'the first seed (1: tuning seeds, 11: held-out ones)', default: '1' },
      {
        name: 'trials',
        value: 'N',
        help: "trials of the no-pruning study (its epochs are the others' budget)",
        default: '100',
      },
      { name: 'epochs', value: 'N', help: 'epochs per full training', default: '30' },
      { name: 'spread', value: 'N', help: 'decades spanned by the feature scales (0: all 1)', default: '3' },
      { name: 'suggester', value: 'tpe|random', help: 'the search', default: 'tpe' },
      { name: 'max-trials', value: 'N', help: "a pruned study's cap on trials", default: '2000' },
      { name: 'schedule', value: 'constant|linear', help: 'the learning-rate schedule', default: 'constant' },
      {
        name: 'shuffle',
        value: 'trial|fixed',
        help: "each trial's own minibatch order, or one for all",
        default: 'trial',
      },
      {
        name: 'noise-free',
        value: 'K',
        help: 'regret on the mean of K more trainings of the incumbent (0: off)',
        default: '0',
      },
      {
        name: 'tpe',
        value: 'JSON',
        help: 'TPE options for every row, such as \'{"profile":"optuna5"}\'',
        default: '{}',
      },
      { name: 'sweep', help: "the pruners' option grid instead of the default rows" },
      { name: 'chosen', help: "the defaults beside the sweep's choice" },
      { name: 'basic', help: 'only no pruning and the three pruners with their defaults' },
      WRITE,
      {
        name: 'out',
        value: 'FILE',
        help: 'with --write: the results file, relative to bench/',
        default: 'results/pruning.md',
      },
      { name: 'dump-data', value: 'FILE', help: 'write the dataset as JSON (for pruning_optuna.py) and stop' },
      { name: 'shuffle-noise', help: 'print how much a final loss depends on the minibatch order, and stop' },
    ],
  },
  'pruning-noisy-curve': {
    purpose: "how often the median pruner stops the best settings' trials when each epoch's value is noisy",
    example: `${COMMAND}/pruning-noisy-curve.ts --seeds 30 --write`,
    flags: [{ name: 'seeds', value: 'N', help: 'seeds per row', default: '10' }, WRITE],
  },
  'report-loop': {
    purpose: 'time per intermediate report of one trial, by store, with and without a pruner',
    example: `${COMMAND}/report-loop.ts --steps 2000,8000 --pruner median`,
    inlineValues: true,
    flags: [
      { name: 'steps', value: 'N,N', help: 'reports per trial, comma-separated', default: '2000,20000' },
      {
        name: 'stores',
        value: 'A,B',
        help: 'stores, comma-separated, of memory, jsonl, sqlite',
        default: 'memory,jsonl,sqlite',
      },
      { name: 'pruner', value: 'none|median', help: 'the pruner judging each report', default: 'none' },
    ],
  },
  'report-learning-curves': {
    purpose: "the learning curves of `parzen report` on long curves: build time, file size and Chromium's render time",
    example: `${COMMAND}/report-learning-curves.ts --trials 100 --steps 5000 --render`,
    flags: [
      { name: 'trials', value: 'N', help: 'trials of the study, each reporting every step', default: '100' },
      { name: 'steps', value: 'N', help: 'steps each trial reports', default: '5000' },
      { name: 'render', help: "also time Chromium's rendering of the page" },
    ],
  },
  'report-scale': {
    purpose: "scale of `parzen report`: build time, file size and Chromium's render time of a large study's report",
    example: `${COMMAND}/report-scale.ts --repeat 3 --write`,
    flags: [
      { name: 'trials', value: 'N', help: 'trials of the large study', default: '10000' },
      { name: 'repeat', value: 'N', help: 'renders timed per report', default: '3' },
      { name: 'write', help: 'write results/report-scale.md' },
    ],
  },
  'store-overhead': {
    purpose: 'JSONL and SQLite store overhead per trial as a study grows, and the time to load it',
    example: `${COMMAND}/store-overhead.ts --out bench/results/store-overhead.md`,
    flags: [OUT_STORE],
  },
  'store-postgres': {
    purpose: 'the PostgreSQL store: overhead per trial, load time, and throughput of 1, 4 and 8 worker processes',
    example: `${COMMAND}/store-postgres.ts --out bench/results/store-postgres.md`,
    flags: [OUT_STORE, { name: 'quick', help: '1,000 and 10,000 trials instead of 10,000 and 100,000 (a smoke run)' }],
  },
  'store-throughput': {
    purpose: 'throughput of 1, 2 and 4 worker processes sharing one study on one store file',
    example: `${COMMAND}/store-throughput.ts --out bench/results/store-throughput.md`,
    flags: [OUT_STORE],
  },
  'tpe-failures': {
    purpose: 'objectives that fail on part of their space: trials spent failing and best loss, per TPE setting',
    example: `${COMMAND}/tpe-failures.ts --first-seed 10 --seeds 20 --variants 'ignore={"failed":"ignore"},avoid={"failed":"avoid"}'`,
    flags: [
      {
        name: 'first-seed',
        value: 'N',
        help: 'the first seed (0-9: the tuning half, 10-29: the reported one)',
        default: '0',
      },
      { name: 'seeds', value: 'N', help: 'seeds per problem', default: '10' },
      { name: 'evals', value: 'N', help: 'evaluations per study', default: '100' },
      {
        name: 'variants',
        value: "'name={json},...'",
        help: 'TPE settings (or "random"), comma-separated',
        default: 'ignore, worst, avoid, optuna5, hyperopt and random',
      },
    ],
  },
  'tpe-latency-study': {
    purpose: 'latency of TPE suggestions in a study TPE drives itself (ask, then tell), per window of trials',
    example: `${BUILT_COMMAND}/tpe-latency-study.ts --space cont10 --trials 10000 --window 1000`,
    built: true,
    flags: [
      { name: 'space', value: 'small3|small3-uniform|small4|mix10|cont10', help: 'the space', default: 'small3' },
      { name: 'trials', value: 'N', help: 'trials in the study', default: '2000' },
      { name: 'window', value: 'N', help: 'trials per window', default: '500' },
      { name: 'options', value: 'JSON', help: 'TPE options', default: '{}' },
    ],
  },
  'tpe-shared-suggester': {
    purpose:
      'one TPE suggester given to two studies asked at once, against one of their own each: ask time and suggestions',
    example: `${BUILT_COMMAND}/tpe-shared-suggester.ts --trials 600`,
    built: true,
    flags: [{ name: 'trials', value: 'N', help: 'trials in each study', default: '600' }],
  },
  'tpe-latency': {
    purpose: 'latency of one TPE suggestion at 100 / 1,000 / 10,000 finished trials, per profile',
    example: `${COMMAND}/tpe-latency.ts --write`,
    flags: [
      { name: 'only', value: 'A,B', help: 'profiles, comma-separated', default: 'every profile' },
      { name: 'sizes', value: 'N,N', help: 'finished-trial counts, comma-separated', default: '100,1000,10000' },
      { name: 'steps', value: 'N', help: 'timed suggestions per size', default: '100' },
      { name: 'fail-every', value: 'K', help: 'fail every K-th trial (0: none)', default: '0' },
      { name: 'space', value: 'uniform10|uniform50|randint4|small3|mixed51', help: 'the space', default: 'uniform10' },
      { name: 'write', help: 'write results/tpe-latency.md, keeping its hand-written paragraphs' },
    ],
  },
  'tpe-normal-span': {
    purpose: 'the range the default TPE models a normal parameter on (change NORMAL_SPAN by hand to compare)',
    example: `${COMMAND}/tpe-normal-span.ts`,
    flags: [],
  },
  'tpe-parallel': {
    purpose: 'parallel quality of TPE: 4 workers with and without the constant liar against sequential runs',
    example: `${COMMAND}/tpe-parallel.ts --seeds 30 --lag 3 --write`,
    flags: [
      { name: 'seeds', value: 'N', help: 'seeds per problem', default: '10' },
      { name: 'evals', value: 'N', help: 'evaluations per study', default: '100' },
      { name: 'half', value: 'HALF', help: 'the suite half', default: 'train' },
      {
        name: 'problems',
        value: 'A,B',
        help: 'only these problems, comma-separated',
        default: 'every problem of the half',
      },
      {
        name: 'lies',
        value: 'A,B',
        help: 'extra constant-liar values with 4 workers, comma-separated',
        default: 'none',
      },
      { name: 'lag', value: 'K', help: 'add sequential runs that see each trial K trials late', default: 'none' },
      { name: 'write', help: 'write results/tpe-parallel.md' },
    ],
  },
  'tpe-quality': {
    purpose: 'median regret of random search and the TPE profiles on the four shared problems, next to the peers',
    example: `${COMMAND}/tpe-quality.ts --tpe 'optuna5={"profile":"optuna5"}' --tpe 'random-start={"startup":"random"}' --write`,
    flags: [
      { name: 'seeds', value: 'N', help: 'seeds per problem', default: '20' },
      { name: 'evals', value: 'N', help: 'evaluations per study', default: '100' },
      { name: 'only', value: 'A,B', help: 'algorithms, comma-separated (with the --tpe names)', default: 'all' },
      { name: 'tpe', value: "'name={json}'", help: 'a TPE variant over the default profile', repeatable: true },
      { name: 'problems', value: 'A,B', help: 'problems, comma-separated', default: 'all four' },
      { name: 'above', value: 'R', help: 'also count the seeds whose final regret exceeds R' },
      { name: 'report', value: 'DIR', help: 'also write comparison pages DIR/<problem>.html' },
      WRITE_KEEPING,
      {
        name: 'out',
        value: 'FILE',
        help: 'with --write: the results file, relative to bench/',
        default: 'results/tpe-quality.md',
      },
    ],
  },
  'tpe-noisy-repeats': {
    purpose:
      'how many trials TPE gives its most-tried setting of a small noisy discrete space, with and without avoidRepeats',
    example: `${COMMAND}/tpe-noisy-repeats.ts --seeds 8 --write`,
    flags: [{ name: 'seeds', value: 'N', help: 'seeds per row', default: '8' }, WRITE],
  },
  'tpe-repeats': {
    purpose: 'exact repeats per suite problem and TPE variant (the evidence behind avoidRepeats)',
    example: `${COMMAND}/tpe-repeats.ts --seeds 30`,
    flags: [
      { name: 'seeds', value: 'N', help: 'seeds per problem', default: '30' },
      { name: 'evals', value: 'N', help: 'evaluations per study', default: '100' },
      { name: 'problems', value: 'A,B', help: 'only these problems, comma-separated', default: 'every suite problem' },
      {
        name: 'variants',
        value: "'name={json},...'",
        help: 'TPE variants, comma-separated',
        default: 'parzen, allowed, hyperopt and optuna5',
      },
    ],
  },
  'tpe-shared-name': {
    purpose: "one parameter name in two branches against a name per branch: the default TPE's median regret",
    example: `${COMMAND}/tpe-shared-name.ts`,
    flags: [],
  },
  'tpe-suite': {
    purpose: 'the benchmark suite: TPE variants against the peers on one half of bench/suite/problems.json',
    example: `${COMMAND}/tpe-suite.ts --half train --write`,
    flags: [
      {
        name: 'half',
        value: 'HALF',
        help: 'train, heldout, fresh, fresh2 … fresh17, or all (every half read)',
        default: 'none: required unless --from',
      },
      { name: 'seeds', value: 'N', help: 'seeds per problem and variant', default: '30' },
      { name: 'evals', value: 'N', help: 'evaluations per study', default: '100' },
      {
        name: 'variants',
        value: "'name={json},...'",
        help: 'TPE variants (options over the default profile)',
        default: 'parzen={},parzen-independent={"grouping":"independent"}',
      },
      { name: 'variant', value: "'name={json}'", help: 'one more variant', repeatable: true },
      {
        name: 'problems',
        value: 'A,B',
        help: 'only these problems, comma-separated',
        default: 'every problem of the half',
      },
      { name: 'concurrency', value: 'N', help: 'trials at a time per study', default: '1' },
      { name: 'workers', value: 'N', help: 'worker processes', default: '2' },
      WRITE_KEEPING,
      {
        name: 'out',
        value: 'FILE',
        help: 'with --write: the results file, relative to bench/',
        default: 'results/tpe-suite-<half>.md; with --from, the .md beside the saved run',
      },
      { name: 'from', value: 'FILE', help: 'render a saved run (its .json) again instead of running' },
    ],
  },
} as const satisfies Record<string, BenchScript>;

export type BenchScriptName = keyof typeof BENCH_SCRIPTS;

/** `--help`'s text: the purpose, the flags with their defaults, and an example command. */
export const usage = (script: BenchScriptName): string => {
  const spec: BenchScript = BENCH_SCRIPTS[script];
  const rows: [string, string][] = [
    ...spec.flags.map((flag): [string, string] => [
      `--${flag.name}${flag.value === undefined ? '' : ` ${flag.value}`}`,
      `${flag.help}${flag.default === undefined ? '' : ` (default: ${flag.default})`}${flag.repeatable ? ' (repeatable)' : ''}`,
    ]),
    ['--help, -h', 'this text'],
  ];
  const width = Math.max(...rows.map(([left]) => left.length));
  return [
    `${script}: ${spec.purpose}`,
    '',
    `Usage: ${spec.built === true ? BUILT_COMMAND : COMMAND}/${script}.ts${spec.flags.length > 0 ? ' [flags]' : ''}`,
    ...(spec.built === true
      ? [
          '',
          'Run it on the built packages (npx --yes pnpm@12.4.2 build first), as its results file was: with',
          '--conditions=@parzen/source, tsx transforms the sources and the same run takes up to 2x longer, not',
          'comparable with the recorded figures.',
        ]
      : []),
    '',
    'Flags:',
    ...rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`),
    '',
    'Example:',
    `  ${spec.example}`,
    '',
  ].join('\n');
};

/**
 * What is wrong with `args` for `spec`, or `help` when they ask for the help text (`--help` or `-h` where a flag
 * may stand), or `undefined` when they are fine: an unknown flag, a flag's value missing (none, or the next
 * argument is a flag), a flag given twice that is read once, or an argument that belongs to no flag.
 */
export const flagProblem = (spec: BenchScript, args: readonly string[]): string | 'help' | undefined => {
  let problem: string | undefined;
  const seen = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--help' || arg === '-h') return 'help';
    if (!arg.startsWith('-')) {
      problem ??= `${arg}: unexpected argument (flags are --name or --name value; --help lists them)`;
      continue;
    }
    const eq = spec.inlineValues === true ? arg.indexOf('=') : -1;
    const name = arg.startsWith('--') ? (eq > 0 ? arg.slice(2, eq) : arg.slice(2)) : '';
    const flag = spec.flags.find((candidate) => candidate.name === name);
    if (flag === undefined) {
      problem ??= `${arg}: unknown flag (--help lists them)`;
      continue;
    }
    if (seen.has(name) && flag.repeatable !== true) problem ??= `--${name}: given twice (it is read once)`;
    seen.add(name);
    if (flag.value === undefined) {
      if (eq > 0) problem ??= `--${name}: takes no value`;
    } else if (eq < 0) {
      const value = args[i + 1];
      if (value === undefined || value.startsWith('--')) problem ??= `--${name}: expected a value (${flag.value})`;
      else i++;
    }
  }
  return problem;
};

/**
 * A bench script's first step: prints its help and exits 0 on `--help`/`-h`; refuses a bad command line (see
 * `flagProblem`) with `<script>: <message>` on stderr, exit 2, before anything runs.
 */
export const checkFlags = (script: BenchScriptName, args: readonly string[] = process.argv.slice(2)): void => {
  const problem = flagProblem(BENCH_SCRIPTS[script], args);
  if (problem === 'help') {
    process.stdout.write(usage(script));
    process.exit(0);
  }
  if (problem !== undefined) refuser(script)(problem);
};
