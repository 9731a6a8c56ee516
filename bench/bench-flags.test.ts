import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  BENCH_SCRIPTS,
  type BenchScriptName,
  checkFlags,
  flagProblem,
  positiveCount,
  usage,
  wholeCount,
} from './run-flags.js';

const bench = new URL('./', import.meta.url);
const source = (file: string): string => readFileSync(new URL(file, bench), 'utf8');

/** bench/*.ts modules other scripts import; they read no flag of their own except `publish`'s `--out`. */
const HELPERS = ['latency-notes', 'problem-file', 'results-file', 'run-flags', 'store-bench-utils', 'tpe-problems'];
/** `'--x'` literals that are not the script's flags: `postgres --version`, run by store-postgres; `parzen run --quiet`. */
const NOT_FLAGS: Partial<Record<BenchScriptName, readonly string[]>> = {
  'store-postgres': ['version'],
  'halton-startup': ['quiet'],
};

/**
 * The flags a module's source reads, comments left out: whole `'--name'` literals (`process.argv.includes`,
 * `indexOf`, `argv[i - 1] === '--tpe'`), the first argument of the scripts' reading helpers (`argument('seeds')`,
 * `flag('seeds', 10)`, `count(...)`, `positiveIntegers(...)`, `arg('--space', ...)`), node:util parseArgs'
 * option names, and `--out` where the store helpers' `publish` is imported.
 */
const flagsRead = (text: string): Set<string> => {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|\s)\/\/.*$/gm, '');
  const names = new Set<string>();
  for (const match of code.matchAll(/['"`]--([a-z][a-z0-9-]*)['"`]/g)) names.add(match[1] as string);
  for (const match of code.matchAll(
    /\b(?:argument|flag|count|positiveIntegers|arg)\(\s*['"`](?:--)?([a-z][a-z0-9-]*)['"`]/g,
  ))
    names.add(match[1] as string);
  const options = /parseArgs\(\{\s*options:\s*\{([\s\S]*?)\n\s*\},?\n/.exec(code)?.[1];
  for (const match of options?.matchAll(/^\s*'?([a-z][a-z0-9-]*)'?:\s*\{/gm) ?? []) names.add(match[1] as string);
  if (/\bpublish\b[\s\S]*?from '\.\/store-bench-utils\.js'/.test(code)) names.add('out');
  return names;
};

/** A command line split as a shell splits this one (words, and single-quoted parts). */
const words = (command: string): string[] =>
  [...command.matchAll(/(?:[^\s']+|'[^']*')+/g)].map((match) => match[0].replace(/'([^']*)'/g, '$1'));

const tpeSuite = BENCH_SCRIPTS['tpe-suite'];

describe('bench flags: --help, and a bad command line refused before anything runs', () => {
  afterEach(() => vi.restoreAllMocks());

  it('lists every runnable bench script, and each checks its flags first', () => {
    const scripts = readdirSync(bench)
      .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
      .map((file) => file.slice(0, -3))
      .filter((name) => !HELPERS.includes(name));
    expect(Object.keys(BENCH_SCRIPTS).sort()).toEqual(scripts.sort());
    for (const name of scripts) expect(source(`${name}.ts`), name).toContain(`checkFlags('${name}');`);
  });

  it("declares exactly the flags each script's source reads", () => {
    const helperFlags: Record<string, string[]> = { 'store-bench-utils': ['out'], 'run-flags': ['help'] };
    for (const name of HELPERS) expect([...flagsRead(source(`${name}.ts`))], name).toEqual(helperFlags[name] ?? []);
    for (const [name, spec] of Object.entries(BENCH_SCRIPTS)) {
      const read = [...flagsRead(source(`${name}.ts`))].filter(
        (flag) => !(NOT_FLAGS[name as BenchScriptName] ?? []).includes(flag),
      );
      expect(
        spec.flags.map((flag) => flag.name),
        name,
      ).toEqual(expect.arrayContaining(read));
      expect(read, name).toEqual(expect.arrayContaining(spec.flags.map((flag) => flag.name)));
    }
  });

  it('finds the flags in the ways the scripts read them today: argv literals and their flag helpers (so an undeclared one read so fails the test above)', () => {
    const read = flagsRead(
      [
        "const a = process.argv.includes('--alpha');",
        "const b = argument('beta') ?? flag('gamma', 1) ?? arg('--delta', 'x');",
        'const { values } = parseArgs({\n  options: {\n    epsilon: { type: "string" },\n  },\n});',
        "// process.argv.includes('--commented')",
      ].join('\n'),
    );
    expect([...read].sort()).toEqual(['alpha', 'beta', 'delta', 'epsilon', 'gamma']);
  });

  it('gives each script an example that its flags accept, taken from bench/README.md where it is there', () => {
    const readme = source('README.md');
    for (const [name, spec] of Object.entries(BENCH_SCRIPTS)) {
      const all = words(spec.example);
      const at = all.indexOf(`bench/${name}.ts`);
      // A script timed on the built packages is run without the source condition, and its help says so.
      expect(all.slice(0, at), name).toEqual(
        (spec as { built?: boolean }).built === true
          ? ['node', '--import', 'tsx']
          : ['node', '--conditions=@parzen/source', '--import', 'tsx'],
      );
      expect(flagProblem(spec, all.slice(at + 1)), name).toBeUndefined();
      if (readme.includes(`bench/${name}.ts`)) expect(readme, name).toContain(spec.example);
    }
  });

  it('asks for the help text with --help or -h anywhere a flag may stand, even beside a bad flag', () => {
    expect(flagProblem(tpeSuite, ['--help'])).toBe('help');
    expect(flagProblem(tpeSuite, ['--half', 'train', '-h'])).toBe('help');
    expect(flagProblem(tpeSuite, ['--halves', '--help'])).toBe('help');
    // A value that happens to be -h is the flag's value.
    expect(flagProblem(tpeSuite, ['--out', '-h', '--half', 'train'])).toBeUndefined();
  });

  it("help text: the script's purpose, its flags with their defaults, and the example", () => {
    const text = usage('tpe-suite');
    expect(text).toMatch(/^tpe-suite: the benchmark suite/);
    expect(text).toContain('Usage: node --conditions=@parzen/source --import tsx bench/tpe-suite.ts [flags]');
    expect(text).toMatch(/--seeds N +seeds per problem and variant \(default: 30\)/);
    expect(text).toMatch(/--variant 'name=\{json\}' +one more variant \(repeatable\)/);
    expect(text).toMatch(
      /--write +write the results file, with the day, commit and machine, keeping its lines from <!-- readings: kept by --write --> on; a slice only with --out\n/,
    );
    expect(text).toContain('--help, -h');
    expect(text).toContain(
      'Example:\n  node --conditions=@parzen/source --import tsx bench/tpe-suite.ts --half train --write\n',
    );
    for (const name of Object.keys(BENCH_SCRIPTS) as BenchScriptName[]) {
      for (const flag of BENCH_SCRIPTS[name].flags) expect(usage(name), name).toContain(`--${flag.name}`);
    }
  });

  it('accepts the flags as the scripts read them: values, switches, JSON, repeated --variant', () => {
    expect(flagProblem(tpeSuite, [])).toBeUndefined();
    expect(
      flagProblem(tpeSuite, [
        '--half',
        'fresh',
        '--seeds',
        '30',
        '--variants',
        'parzen={},optuna5={"profile":"optuna5"}',
        '--variant',
        'a={}',
        '--variant',
        'b={"gamma":0.1}',
        '--write',
        '--out',
        'results/x.md',
      ]),
    ).toBeUndefined();
    expect(flagProblem(BENCH_SCRIPTS.pruning, ['--tpe', '{"profile":"optuna5"}', '--spread', '0'])).toBeUndefined();
    expect(flagProblem(BENCH_SCRIPTS['tpe-quality'], ['--above', '-1'])).toBeUndefined();
  });

  it('refuses an unknown or misspelt flag', () => {
    expect(flagProblem(tpeSuite, ['--half', 'train', '--halves'])).toBe('--halves: unknown flag (--help lists them)');
    expect(flagProblem(BENCH_SCRIPTS.pruning, ['--seed', '30'])).toBe('--seed: unknown flag (--help lists them)');
    expect(flagProblem(tpeSuite, ['-s'])).toBe('-s: unknown flag (--help lists them)');
    // `--name=value` is not read by the scripts that look a flag up in process.argv.
    expect(flagProblem(tpeSuite, ['--seeds=30'])).toBe('--seeds=30: unknown flag (--help lists them)');
    // report-loop reads its flags with node:util's parseArgs, which takes `--name=value`.
    expect(flagProblem(BENCH_SCRIPTS['report-loop'], ['--steps=100', '--pruner', 'median'])).toBeUndefined();
    expect(flagProblem(BENCH_SCRIPTS['report-loop'], ['--step=100'])).toBe(
      '--step=100: unknown flag (--help lists them)',
    );
  });

  it('refuses a value flag without its value: at the end, or followed by another flag', () => {
    expect(flagProblem(tpeSuite, ['--half', 'train', '--seeds'])).toBe('--seeds: expected a value (N)');
    expect(flagProblem(tpeSuite, ['--half', '--seeds', '10'])).toBe('--half: expected a value (HALF)');
    expect(flagProblem(BENCH_SCRIPTS['store-overhead'], ['--out'])).toBe('--out: expected a value (FILE)');
  });

  it('refuses a stray argument, a switch given a value, and a flag read once given twice', () => {
    expect(flagProblem(tpeSuite, ['train'])).toBe(
      'train: unexpected argument (flags are --name or --name value; --help lists them)',
    );
    expect(flagProblem(tpeSuite, ['--write', 'yes'])).toBe(
      'yes: unexpected argument (flags are --name or --name value; --help lists them)',
    );
    expect(flagProblem(BENCH_SCRIPTS['engine-overhead'], ['10'])).toBe(
      '10: unexpected argument (flags are --name or --name value; --help lists them)',
    );
    expect(flagProblem(BENCH_SCRIPTS['report-loop'], ['--pruner=median', '--pruner', 'none'])).toBe(
      '--pruner: given twice (it is read once)',
    );
    expect(flagProblem(tpeSuite, ['--seeds', '10', '--seeds', '30'])).toBe('--seeds: given twice (it is read once)');
    // The first problem is the one said.
    expect(flagProblem(tpeSuite, ['--halves', 'x'])).toBe('--halves: unknown flag (--help lists them)');
  });

  it('checkFlags: help on stdout with exit 0; a refusal as `<script>: <message>` on stderr with exit 2', () => {
    const exit = vi.spyOn(process, 'exit').mockImplementation((code) => {
      throw new Error(`exit ${code}`);
    });
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const stderr = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(() => checkFlags('pruning', ['--help'])).toThrow('exit 0');
    expect(stdout).toHaveBeenCalledWith(usage('pruning'));
    expect(() => checkFlags('pruning', ['--seed', '30'])).toThrow('exit 2');
    expect(stderr).toHaveBeenCalledWith('pruning: --seed: unknown flag (--help lists them)');
    exit.mockClear();
    checkFlags('pruning', ['--seeds', '30', '--write']);
    expect(exit).not.toHaveBeenCalled();
  });

  it('a real script prints its help and exits 0 before running anything', () => {
    const run = spawnSync(
      process.execPath,
      ['--conditions=@parzen/source', '--import', 'tsx', 'bench/tpe-normal-span.ts', '--help'],
      { cwd: new URL('..', bench), encoding: 'utf8', timeout: 30_000 },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(usage('tpe-normal-span'));
  });

  it("tpe-latency-study's help lists every space it takes and the built packages its figures need", () => {
    const text = usage('tpe-latency-study');
    expect(text).toContain('Usage: node --import tsx bench/tpe-latency-study.ts [flags]');
    expect(text).not.toContain('--conditions=@parzen/source --import tsx bench/tpe-latency-study.ts');
    expect(text).toContain('--space small3|small3-uniform|small4|mix10|cont10');
    expect(text).toMatch(/Run it on the built packages .* up to 2x longer/s);
    const spaces = /const SPACES[\s\S]*?\n};/.exec(source('tpe-latency-study.ts'))?.[0] ?? '';
    const declared = [...spaces.matchAll(/^ {2}(?:'([\w-]+)'|(\w+)):/gm)].map((match) => match[1] ?? match[2]);
    expect(declared).toEqual(['small3', 'small3-uniform', 'small4', 'mix10', 'cont10']);
  });

  it('counts: a positive integer (or 0 where allowed), else the refusal', () => {
    const refuse = (message: string): never => {
      throw new Error(message);
    };
    expect(positiveCount(refuse, 'trials', '2000', 5)).toBe(2000);
    expect(positiveCount(refuse, 'trials', undefined, 5)).toBe(5);
    for (const bad of ['abc', '0', '-3', '2.5', ''])
      expect(() => positiveCount(refuse, 'trials', bad, 5)).toThrow(`--trials ${bad}: expected a positive integer`);
    expect(wholeCount(refuse, 'lag', '0', 1)).toBe(0);
    expect(wholeCount(refuse, 'lag', undefined, 3)).toBe(3);
    for (const bad of ['abc', '-1', '1.5', ' '])
      expect(() => wholeCount(refuse, 'lag', bad, 0)).toThrow(`--lag ${bad}: expected a whole number (0 or more)`);
  });

  it('a real script refuses a bad number or name with exit 2 before running (tpe-latency-study ran nothing, exit 0)', () => {
    const run = (...args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'bench/tpe-latency-study.ts', ...args], {
        cwd: new URL('..', bench),
        encoding: 'utf8',
        timeout: 30_000,
      });
    const trials = run('--trials', 'abc');
    expect(trials.stderr).toBe('tpe-latency-study: --trials abc: expected a positive integer\n');
    expect(trials.stdout).toBe('');
    expect(trials.status).toBe(2);
    const space = run('--space', 'bogus');
    expect(space.stderr).toBe(
      'tpe-latency-study: --space bogus: expected one of small3, small3-uniform, small4, mix10, cont10\n',
    );
    expect(space.status).toBe(2);
    const options = run('--options', '{gamma');
    expect(options.stderr).toMatch(/^tpe-latency-study: --options: not JSON \(/);
    expect(options.status).toBe(2);
  });

  it('every script that takes a count refuses one that is not a whole number in range, before running (exit 2)', () => {
    const positive = 'a positive integer';
    const whole = 'a whole number (0 or more)';
    const cases: Partial<Record<BenchScriptName, { flag: string; value: string; expected: string }>> = {
      'report-scale': { flag: '--trials', value: 'x', expected: positive },
      'report-learning-curves': { flag: '--steps', value: '1.5', expected: positive },
      'report-loop': { flag: '--steps', value: 'abc', expected: positive },
      'tpe-failures': { flag: '--evals', value: 'abc', expected: positive },
      'tpe-repeats': { flag: '--seeds', value: '0', expected: positive },
      'tpe-parallel': { flag: '--lag', value: '-1', expected: whole },
      'tpe-latency': { flag: '--fail-every', value: 'x', expected: whole },
    };
    for (const [script, { flag, value, expected }] of Object.entries(cases)) {
      const run = spawnSync(
        process.execPath,
        ['--conditions=@parzen/source', '--import', 'tsx', `bench/${script}.ts`, flag, value],
        { cwd: new URL('..', bench), encoding: 'utf8', timeout: 60_000 },
      );
      expect(run.stderr, script).toBe(`${script}: ${flag} ${value}: expected ${expected}\n`);
      expect(run.status, script).toBe(2);
    }
  }, 300_000);
});
