/**
 * The benchmark suite (bench/suite/): our TPE variants against the peers, per half.
 *
 *   node --conditions=@parzen/source --import tsx bench/tpe-suite.ts --half train|heldout|fresh|fresh2|fresh3|fresh4|fresh5|fresh6|fresh7|fresh8|fresh9|fresh10|fresh11|fresh12|fresh13|fresh14|fresh15|fresh16|fresh17|all
 *        [--seeds 30] [--evals 100] [--variants 'name={json},name2={json}'] [--variant 'name={json}' ...]
 *        [--problems a,b] [--concurrency 1] [--workers 2] [--write] [--out results/tpe-suite-<half>.md]
 *   node --conditions=@parzen/source --import tsx bench/tpe-suite.ts --from results/tpe-suite-<half>.json [--write]
 *
 * With --write, the tables go to bench/results/tpe-suite-<half>.md (--from: the .md beside the saved run) and
 * our per-seed regrets at each budget to the .json beside it, both with the date, commit and machine of the run;
 * --from re-renders such a file against the current peer results without rerunning. A slice (--problems, fewer
 * seeds) is written only with --out; the lines from `<!-- readings: kept by --write -->` on, a file's
 * hand-written readings, are kept when it is written again.
 *
 * Each study runs the way a CLI user's does: an experiment config (space, objective as the module
 * bench/suite/objective.ts, suggester `{ use: 'tpe', options }`, memory store, budget, concurrency)
 * loaded with the CLI's own load options (`cliLoadOptions`: the built-in plugin packages) and run by
 * `runLoadedExperiment`, like `parzen run`. Seeds are spread over `--workers` child processes (one per
 * core), each running many studies in-process.
 *
 * Regret after b evaluations = noise-free loss of the trial with the lowest observed loss among the first
 * b (by trial number) − known minimum; for a noise-free problem that is the usual best-so-far regret.
 * The peers' per-seed values (bench/suite/peer-results.json, same rule) give theirs. Win/tie/loss: two-sided
 * Mann–Whitney at p < 0.05 on the per-seed regrets after the full budget, the direction by rank (U), not by
 * the medians (`compareSamples`).
 */
import { fork } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cliLoadOptions } from '@parzen/cli';
import { loadExperiment, runLoadedExperiment, type Trial } from '@parzen/engine';
import { type CompiledSpace, toExternalParams } from '@parzen/engine/plugin';
import { describeRecord, endRecord, type RunRecord, sliceRefusal, startRecord, withReadings } from './results-file.js';
import { argument, checkFlags, positiveCount, refuser } from './run-flags.js';
import { type Half, loadSuite, type SuiteProblem } from './suite/problems.js';
import {
  compareSamples,
  flooredRatio,
  floorSetsRatio,
  geometricMean,
  incumbentIndices,
  quantile,
  regretAsStored,
} from './suite/stats.js';

checkFlags('tpe-suite');

const SUITE_DIR = fileURLToPath(new URL('./suite/', import.meta.url));

/** Peers shown and tested against (keys of the peers' result files). */
const PEERS = [
  'hyperopt_tpe',
  'hyperopt_rand',
  'optuna_tpe',
  'optuna5_tpe',
  'optuna5_tpe_univariate',
  'optuna5_tpe_multivariate_group',
] as const;

interface Task {
  readonly problem: string;
  readonly variant: string;
  readonly options: Readonly<Record<string, unknown>>;
  readonly seed: number;
  readonly evals: number;
  readonly concurrency: number;
}

interface TaskResult {
  readonly task: Task;
  /** Regret after each evaluation 1..evals. */
  readonly trace: number[];
}

/** The experiment config of one study, as a user would write it. */
const studyConfig = (problem: SuiteProblem, task: Task) => ({
  name: `${problem.name}-${task.variant}-${task.seed}`,
  seed: task.seed,
  direction: 'minimize',
  space: problem.space,
  // isolate 'none': the objective runs on the study's thread, where tsx is registered (objective.mjs imports
  // problems.ts). A worker thread started from the built module-worker.js has no tsx and cannot import it.
  // The losses are the same functions either way, so the results are too.
  objective: { use: 'module', options: { path: './objective.mjs', export: problem.name, isolate: 'none' } },
  suggester: { use: 'tpe', options: task.options },
  store: { use: 'memory' },
  reporters: [],
  budget: { maxTrials: task.evals },
  concurrency: task.concurrency,
});

/** Regret after each trial: noise-free loss of the lowest observed loss so far, minus the known minimum. */
const incumbentRegrets = (trials: readonly Trial[], space: CompiledSpace, problem: SuiteProblem): number[] => {
  const ordered = [...trials].sort((a, b) => a.number - b.number);
  const regrets = ordered.map((trial) =>
    regretAsStored(problem.clean(toExternalParams(space, trial.internal)), problem.minimum),
  );
  return incumbentIndices(ordered.map((trial) => (trial.state === 'complete' ? trial.loss : undefined))).map((i) =>
    i < 0 ? Number.NaN : (regrets[i] as number),
  );
};

const runTask = async (problems: ReadonlyMap<string, SuiteProblem>, task: Task): Promise<TaskResult> => {
  const problem = problems.get(task.problem);
  if (problem === undefined) throw new Error(`unknown problem ${task.problem}`);
  const experiment = await loadExperiment(
    studyConfig(problem, task),
    await cliLoadOptions(SUITE_DIR, { force: 'off' }),
  );
  const result = await runLoadedExperiment(experiment);
  return { task, trace: incumbentRegrets(result.trials, experiment.space, problem) };
};

// ---------------------------------------------------------------- main process

/** Splits `a={...},b={...}` at the commas outside braces. */
function splitVariants(list: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < list.length; i++) {
    const c = list[i];
    if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
    else if (c === ',' && depth === 0) {
      out.push(list.slice(start, i));
      start = i + 1;
    }
  }
  out.push(list.slice(start));
  return out.filter((s) => s.length > 0);
}

function parseVariants(): Map<string, Record<string, unknown>> {
  const specs = [
    ...splitVariants(argument('variants') ?? ''),
    ...process.argv.flatMap((value, i) => (process.argv[i - 1] === '--variant' ? [value] : [])),
  ];
  const variants = new Map<string, Record<string, unknown>>();
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    // Refused as the other bad flags are, exit 2 (trial 123: a stack trace).
    if (eq <= 0) refuser('tpe-suite')(`--variants: expected name={json}, got ${spec}`);
    let options: unknown;
    try {
      options = JSON.parse(spec.slice(eq + 1));
    } catch (error) {
      refuser('tpe-suite')(`--variants ${spec.slice(0, eq)}: the options are not JSON (${(error as Error).message})`);
    }
    if (typeof options !== 'object' || options === null || Array.isArray(options))
      refuser('tpe-suite')(
        `--variants ${spec.slice(0, eq)}: expected a JSON object of TPE options, got ${spec.slice(eq + 1)}`,
      );
    variants.set(spec.slice(0, eq), options as Record<string, unknown>);
  }
  if (variants.size === 0) {
    variants.set('parzen', {});
    variants.set('parzen-independent', { grouping: 'independent' });
  }
  return variants;
}

/** bench/suite/peer-results.json (written by suite/compact_peers.py). */
interface PeerFile {
  readonly problems: Record<
    string,
    { readonly algorithms: Record<string, { readonly incumbent_at: Record<string, number[]> }> }
  >;
}

const peerFile = (): PeerFile => {
  const path = `${SUITE_DIR}peer-results.json`;
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as PeerFile) : { problems: {} };
};

/** The peers' per-seed regrets (their incumbents' noise-free values − the known minimum) as sparse traces. */
function peerTraces(file: PeerFile, problem: SuiteProblem, seeds: number): Map<string, number[][]> {
  const out = new Map<string, number[][]>();
  for (const peer of PEERS) {
    const data = file.problems[problem.name]?.algorithms[peer];
    if (data === undefined) continue;
    const traces: number[][] = [];
    for (const [budget, values] of Object.entries(data.incumbent_at)) {
      values.slice(0, seeds).forEach((value, seed) => {
        const trace = traces[seed] ?? [];
        trace[Number(budget) - 1] = regretAsStored(value, problem.minimum);
        traces[seed] = trace;
      });
    }
    out.set(peer, traces);
  }
  return out;
}

const format = (x: number | undefined): string => {
  if (x === undefined || Number.isNaN(x)) return '–';
  if (x === 0) return '0';
  if (!Number.isFinite(x)) return '∞';
  const a = Math.abs(x);
  return a >= 100 ? x.toFixed(1) : a >= 0.01 ? x.toPrecision(3) : x.toExponential(2);
};

async function runAll(tasks: readonly Task[], workers: number): Promise<TaskResult[]> {
  const results: TaskResult[] = [];
  let next = 0;
  let done = 0;
  const started = performance.now();
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const child = fork(fileURLToPath(import.meta.url), [], {
        env: { ...process.env, PARZEN_SUITE_WORKER: '1' },
        execArgv: process.execArgv,
      });
      const feed = () => {
        const task = tasks[next++];
        child.send(task ?? { stop: true });
      };
      child.on('message', (message: { ready?: boolean; result?: TaskResult; error?: string }) => {
        if (message.error !== undefined) {
          reject(new Error(message.error));
          child.kill();
          return;
        }
        if (message.result !== undefined) {
          results.push(message.result);
          done++;
          if (done % 50 === 0 || done === tasks.length) {
            const seconds = (performance.now() - started) / 1000;
            process.stderr.write(`  ${done}/${tasks.length} studies, ${seconds.toFixed(0)} s\n`);
          }
        }
        feed();
      });
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`worker exited with ${code}`))));
    });
  await Promise.all(Array.from({ length: Math.max(1, workers) }, one));
  return results;
}

/** Our side of a run, as saved next to the report: per-seed regrets at each budget. */
interface SavedRun {
  readonly half: Half | 'all';
  readonly seeds: number;
  readonly evals: number;
  readonly concurrency: number;
  readonly workers: number;
  readonly seconds: number;
  readonly machine: string;
  /** The day the run started, its commit (`+dirty`: tracked files changed) and load averages; files saved before lack them. */
  readonly date?: string;
  readonly commit?: string;
  readonly load?: RunRecord['load'];
  readonly command: string;
  readonly problems: readonly string[];
  readonly variants: Readonly<Record<string, Record<string, unknown>>>;
  readonly budgets: readonly number[];
  /** `problem/variant` → per seed, the regret after each budget. */
  readonly regrets: Readonly<Record<string, number[][]>>;
  /**
   * `rounded-alike`: the regrets went through `regretAsStored`, as the peers' do. Files saved before the rule
   * lack it; their regrets are rounded again from the saved values when rendered (`--from`).
   */
  readonly regretRule?: 'rounded-alike';
}

async function main(): Promise<void> {
  const from = argument('from');
  const saved =
    from === undefined
      ? await runSide()
      : (JSON.parse(readFileSync(new URL(from, new URL('./', import.meta.url)), 'utf8')) as SavedRun);
  report(saved, from);
}

/** The seeds a results file of the suite holds unless a slice is asked for (the peers' count too). */
const DEFAULT_SEEDS = 30;

/** Halves no run has read yet (bench/suite/README.md): `--half all` leaves them out. Remove a half once it is read. */
const UNREAD_HALVES: readonly Half[] = ['fresh17'];

async function runSide(): Promise<SavedRun> {
  const half = argument('half') as Half | 'all' | undefined;
  if (
    half !== 'train' &&
    half !== 'heldout' &&
    half !== 'fresh' &&
    half !== 'fresh2' &&
    half !== 'fresh3' &&
    half !== 'fresh4' &&
    half !== 'fresh5' &&
    half !== 'fresh6' &&
    half !== 'fresh7' &&
    half !== 'fresh8' &&
    half !== 'fresh9' &&
    half !== 'fresh10' &&
    half !== 'fresh11' &&
    half !== 'fresh12' &&
    half !== 'fresh13' &&
    half !== 'fresh14' &&
    half !== 'fresh15' &&
    half !== 'fresh16' &&
    half !== 'fresh17' &&
    half !== 'all'
  ) {
    console.error(
      'give --half train|heldout|fresh|fresh2|fresh3|fresh4|fresh5|fresh6|fresh7|fresh8|fresh9|fresh10|fresh11|fresh12|fresh13|fresh14|fresh15|fresh16|fresh17|all',
    );
    process.exit(2);
  }
  // A bad count is refused, exit 2 (review 109: NaN studies and exit 0, or a stack trace).
  const refuse = refuser('tpe-suite');
  const count = (flag: string, fallback: number): number => positiveCount(refuse, flag, argument(flag), fallback);
  const seeds = count('seeds', DEFAULT_SEEDS);
  const evals = count('evals', 100);
  const concurrency = count('concurrency', 1);
  const workers = count('workers', 2);
  const only = argument('problems')?.split(',');
  const variants = parseVariants();
  const budgets = [25, 50, 100, 200].filter((b) => b < evals).concat([evals]);

  const suite = loadSuite();
  // An unknown name is refused, not skipped (trial 105: the other bench scripts ran on with nothing).
  const unknown = (only ?? []).filter((name) => !suite.some((p) => p.name === name));
  if (unknown.length > 0) refuse(`--problems ${unknown.join(',')}: no such problem in bench/suite/problems.json`);
  // `--half all` is every half already read: an unread one is run only when named (trial 123: nothing kept
  // `--half all` off the last unread half, the one the next change to the default is to be reported on).
  const unread = UNREAD_HALVES.filter((name) => name !== half);
  // Named problems of an unread half are not dropped from `--half all` without a word (review 129).
  const namedUnread = half === 'all' ? suite.filter((p) => only?.includes(p.name) && unread.includes(p.half)) : [];
  if (namedUnread.length > 0)
    refuse(
      `--problems ${namedUnread.map((p) => p.name).join(',')}: of ${[...new Set(namedUnread.map((p) => p.half))].join(', ')}, not read yet, which --half all leaves out: run it with --half ${namedUnread[0]?.half}`,
    );
  const problems = suite.filter(
    (p) =>
      (half === 'all' ? !unread.includes(p.half) : p.half === half) && (only === undefined || only.includes(p.name)),
  );
  if (half === 'all' && unread.length > 0)
    console.error(
      `tpe-suite: --half all leaves out ${unread.join(', ')}, not read yet (bench/suite/README.md): name it with --half to run it.`,
    );
  // Names of another half leave nothing to run (review 109: 0 studies, empty tables, exit 0; --write would
  // have replaced a results file with them).
  if (problems.length === 0) {
    const halves = [...new Set(suite.filter((p) => only?.includes(p.name)).map((p) => p.half))];
    refuse(`no problem of --half ${half} in --problems (they are of ${halves.join(', ')})`);
  }
  // A slice written over the half's own file would replace the whole half's tables with a few problems.
  if (process.argv.includes('--write') && argument('out') === undefined) {
    const whole = suite.filter((p) => (half === 'all' ? !unread.includes(p.half) : p.half === half)).length;
    const refusal = sliceRefusal(`results/tpe-suite-${half}.md`, [
      { flag: '--problems', chosen: problems.length, whole, what: `problems of --half ${half}` },
      { flag: '--seeds', chosen: seeds, whole: DEFAULT_SEEDS, what: 'seeds' },
    ]);
    if (refusal !== undefined) refuse(refusal);
  }
  // The day, commit, machine and load, as the results files compare runs across days and commits.
  const record = startRecord();
  console.log(`run: ${describeRecord(record)}`);
  console.log(
    `test points reproduced; ${problems.length} problems (${half}): ${problems.map((p) => p.name).join(', ')}`,
  );
  const tasks: Task[] = problems.flatMap((problem) =>
    [...variants].flatMap(([variant, options]) =>
      Array.from({ length: seeds }, (_, seed) => ({
        problem: problem.name,
        variant,
        options,
        seed,
        evals,
        concurrency,
      })),
    ),
  );
  const started = performance.now();
  const results = await runAll(tasks, workers);
  const seconds = (performance.now() - started) / 1000;
  const ended = endRecord(record);
  const regrets: Record<string, number[][]> = {};
  for (const { task, trace } of results) {
    const key = `${task.problem}/${task.variant}`;
    const list = regrets[key] ?? [];
    list[task.seed] = budgets.map((b) => Number((trace[b - 1] as number).toPrecision(12)));
    regrets[key] = list;
  }
  const quote = (arg: string) => (/^[\w.,=/-]+$/.test(arg) ? arg : `'${arg}'`);
  return {
    half,
    seeds,
    evals,
    concurrency,
    workers,
    seconds,
    machine: ended.machine,
    date: ended.date,
    commit: ended.commit,
    load: ended.load,
    command: `node --conditions=@parzen/source --import tsx bench/tpe-suite.ts ${process.argv.slice(2).map(quote).join(' ')}`,
    problems: problems.map((p) => p.name),
    variants: Object.fromEntries(variants),
    budgets,
    regrets,
    regretRule: 'rounded-alike',
  };
}

function report(run: SavedRun, from: string | undefined): void {
  const { half, seeds, evals, concurrency, workers, seconds, budgets } = run;
  const problems = loadSuite(run.problems);
  const variants = new Map(Object.entries(run.variants));
  // A file saved before equal points were rounded alike: its regrets (loss − minimum, rounded) get the rule
  // from the loss they stand for, so that they compare with the peers' as a fresh run's do.
  const resaved = run.regretRule !== 'rounded-alike';
  const minimumOf = new Map(problems.map((problem) => [problem.name, problem.minimum]));
  const asCompared = (key: string, regret: number): number => {
    const minimum = minimumOf.get(key.slice(0, key.lastIndexOf('/')));
    return !resaved || minimum === undefined ? regret : regretAsStored(regret + minimum, minimum);
  };
  /** Per seed, a sparse trace holding the regret after each budget. */
  const ours = new Map<string, number[][]>(
    Object.entries(run.regrets).map(([key, perSeed]) => [
      key,
      perSeed.map((values) => {
        const trace: number[] = [];
        budgets.forEach((b, i) => {
          trace[b - 1] = asCompared(key, values[i] as number);
        });
        return trace;
      }),
    ]),
  );

  const names = [...variants.keys()];
  const lines: string[] = [];
  const summary = new Map(
    names.map((n) => [n, { ratios: new Map<string, number>(), atOrBelow: 0, coupled: 0, coupledOk: 0 }]),
  );
  /** Problems where the 1e-12 floor, not the medians, sets some variant's ratio (`floorSetsRatio`). */
  const floored = new Set<string>();
  const wtl = new Map(names.map((n) => [n, new Map(PEERS.map((p) => [p, { win: 0, tie: 0, loss: 0 }]))]));
  const at = (traces: number[][], budget: number) => traces.map((t) => t[budget - 1] as number);
  const peersOnFile = peerFile();
  for (const problem of problems) {
    const peers = peerTraces(peersOnFile, problem, seeds);
    const rows: [string, number[][]][] = [
      ...names.map((n): [string, number[][]] => [`**${n}**`, ours.get(`${problem.name}/${n}`) ?? []]),
      ...[...peers],
    ];
    const peerMedians = [...peers]
      .filter(([, traces]) => traces.length > 0 && traces.every((t) => t[evals - 1] !== undefined))
      .map(([peer, traces]): [string, number] => [peer, quantile(at(traces, evals), 0.5)])
      .sort((a, b) => a[1] - b[1]);
    const best = peerMedians[0]?.[1] ?? Number.NaN;
    const bestNote = peerMedians[0] === undefined ? 'no peer results yet' : `best peer: ${peerMedians[0][0]}`;
    lines.push(`\n### ${problem.name} (${problem.family}${problem.coupled ? ', coupled' : ''}; ${bestNote})\n`);
    lines.push(`| algorithm | ${budgets.map((b) => `regret @${b}: median (q25–q75)`).join(' | ')} | ratio @${evals} |`);
    lines.push(`|---|${budgets.map(() => '---').join('|')}|---|`);
    for (const [name, traces] of rows) {
      const cells = budgets.map((b) => {
        const values = at(traces, b);
        return `${format(quantile(values, 0.5))} (${format(quantile(values, 0.25))}–${format(quantile(values, 0.75))})`;
      });
      const r = flooredRatio(quantile(at(traces, evals), 0.5), best);
      lines.push(`| ${name} | ${cells.join(' | ')} | ${format(r)} |`);
    }
    for (const name of names) {
      const mine = at(ours.get(`${problem.name}/${name}`) ?? [], evals);
      const median = quantile(mine, 0.5);
      const r = flooredRatio(median, best);
      const s = summary.get(name);
      if (s !== undefined && !Number.isNaN(best)) {
        s.ratios.set(problem.name, r);
        if (floorSetsRatio(median, best)) floored.add(problem.name);
        if (r <= 1) s.atOrBelow++;
        if (problem.coupled) {
          s.coupled++;
          if (r <= 0.7) s.coupledOk++;
        }
      }
      for (const [peer, traces] of peers) {
        const counts = wtl.get(name)?.get(peer as (typeof PEERS)[number]);
        if (counts !== undefined) counts[compareSamples(mine, at(traces, evals))]++;
      }
    }
  }

  const head: string[] = [];
  head.push(`\n## Summary (${problems.length} problems, regret after ${evals} evaluations)\n`);
  head.push(
    '| variant | geometric mean ratio to best peer | the same without the problems whose ratio the 1e-12 floor sets | worst ratio | at/below best peer | coupled at/below 0.7× |',
  );
  head.push('|---|---|---|---|---|---|');
  for (const name of names) {
    const s = summary.get(name);
    if (s === undefined || s.ratios.size === 0) continue;
    const ratios = [...s.ratios.values()];
    const kept = [...s.ratios].filter(([problem]) => !floored.has(problem)).map(([, r]) => r);
    const withoutFloored =
      floored.size === 0
        ? 'the same (no such problem)'
        : `${kept.length === 0 ? '–' : format(geometricMean(kept))} (${kept.length} problem${kept.length === 1 ? '' : 's'})`;
    head.push(
      `| ${name} | ${format(geometricMean(ratios))} | ${withoutFloored} | ${format(Math.max(...ratios))} | ${s.atOrBelow}/${ratios.length} | ${s.coupledOk}/${s.coupled} |`,
    );
  }
  if (floored.size > 0)
    head.push(
      `\nLeft out of the third column: ${[...floored].join(', ')}, where one median is below the 1e-12 floor and the ` +
        "other above it, so the ratio is the floor's, not the medians' (for any variant of the run, so that every row leaves out the same).",
    );
  head.push(
    '\nWin / tie / loss against each peer (two-sided Mann–Whitney U, normal approximation, p < 0.05, per-seed regrets; ' +
      'the direction by rank, not by median: a win when our regrets rank lower, U below half of n × m):\n',
  );
  head.push(`| variant | ${PEERS.join(' | ')} |`);
  head.push(`|---|${PEERS.map(() => '---').join('|')}|`);
  for (const name of names) {
    const cells = PEERS.map((peer) => {
      const c = wtl.get(name)?.get(peer);
      return c === undefined ? '–' : `${c.win}/${c.tie}/${c.loss}`;
    });
    head.push(`| ${name} | ${cells.join(' | ')} |`);
  }
  console.log(lines.join('\n'));
  console.log(head.join('\n'));
  console.log(`\n${problems.length * names.length * seeds} studies in ${seconds.toFixed(0)} s`);

  if (process.argv.includes('--write')) {
    // A saved run is rendered again over its own file; a run's default is its half's.
    const out =
      argument('out') ?? (from === undefined ? `results/tpe-suite-${half}.md` : from.replace(/\.json$/, '.md'));
    // Relative to this folder; an absolute path is taken as it is.
    const here = new URL('./', import.meta.url);
    if (from === undefined) {
      writeFileSync(new URL(`${out.replace(/\.md$/, '')}.json`, here), `${JSON.stringify(run)}\n`);
    }
    const variantList = [...variants].map(([n, o]) => `- \`${n}\`: \`{ use: 'tpe', options: ${JSON.stringify(o)} }\``);
    const made =
      run.date === undefined || run.commit === undefined || run.load === undefined
        ? `Machine: ${run.machine} (the day and commit of the run were not recorded then)`
        : `Run: ${describeRecord({ date: run.date, commit: run.commit, machine: run.machine, load: run.load })}`;
    const rendered = from === undefined ? undefined : startRecord();
    const generated =
      `# TPE on the benchmark suite: ${half} half\n\n` +
      `${seeds} seeds × ${evals} evaluations${concurrency > 1 ? `, ${concurrency} trials at a time` : ''}, ` +
      `${problems.length} problems of bench/suite/problems.json (half: ${half}). Regret = noise-free loss of the ` +
      "trial with the lowest observed loss among the first b, minus the known minimum, ours and the peers' " +
      "rounded alike (the loss to the 12 significant digits the peers' harness stores, the regret to 12 as ours " +
      'are stored), so that equal points tie. "ratio" = our median ÷ ' +
      "the best peer's median after the full budget (both floored at 1e-12). Peers from bench/suite/peer-results.json " +
      '(hyperopt 0.3.0, Optuna 3.1 = optuna_tpe, Optuna 5.0.0.dev = optuna5_*; 30 seeds, same regret rule); ' +
      'a peer missing from a table had not been run on that problem yet.\n\n' +
      "Our studies ran through the CLI's config path (module objective, `tpe` suggester, memory store). " +
      `${made}; ${seconds.toFixed(0)} s on ${workers} worker processes (the machine is shared)` +
      `${rendered === undefined ? '' : `; tables rendered again on ${rendered.date} at commit ${rendered.commit} (${rendered.machine}) from ${from}`}` +
      `${from !== undefined && resaved ? ' (saved before the rounding rule: our regrets rounded alike from the saved values)' : ''}.\n\n` +
      `Command: \`${run.command}\`\n\nVariants:\n${variantList.join('\n')}\n${head.join('\n')}\n\n## Per problem\n${lines.join('\n')}\n`;
    const target = new URL(out, here);
    const { text, warning } = withReadings(
      generated,
      existsSync(target) ? readFileSync(target, 'utf8') : undefined,
      fileURLToPath(target),
    );
    writeFileSync(target, text);
    if (warning !== undefined) console.error(`tpe-suite: ${warning}`);
    console.log(`wrote ${fileURLToPath(target)}`);
  }
}

// ---------------------------------------------------------------- worker process

if (process.env.PARZEN_SUITE_WORKER === '1') {
  const problems = new Map(loadSuite().map((p) => [p.name, p]));
  process.on('message', (task: Task | { stop: true }) => {
    if ('stop' in task) process.exit(0);
    runTask(problems, task).then(
      (result) => process.send?.({ result }),
      (error: unknown) => process.send?.({ error: String((error as Error).stack ?? error) }),
    );
  });
  process.send?.({ ready: true });
} else {
  await main();
}
