import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { constants } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { collectOutput, tempFolder } from '@parzen/test-kit';

/** The repository root and the built CLI the tests spawn. */
export const repoRoot = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
export const cliPath = join(repoRoot, 'packages/cli/dist/main.js');

/** Fails with instructions when the CLI has not been built (the README's test command builds first). */
export const requireBuiltCli = (): void => {
  if (!existsSync(cliPath)) {
    throw new Error(
      `The end-to-end tests spawn the built CLI, but ${cliPath} does not exist. Build first: \`pnpm build\` (or \`npx tsc -b packages/cli\`).`,
    );
  }
};

export interface CliRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface SpawnOptions {
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Called once the process has started (to send it signals). */
  readonly onStart?: (child: ReturnType<typeof spawn>) => void;
  readonly timeoutMs?: number;
}

/**
 * Whether the CLI in process `pid` has its handlers for SIGINT, SIGTERM and SIGHUP (Linux: the SigCgt mask of
 * /proc/PID/status). Node itself catches SIGINT and SIGTERM from its first milliseconds (to reset the terminal,
 * then die of the signal), so their bits say nothing of the CLI's: SIGHUP's does, which Node leaves alone and
 * the CLI installs last of the three, every time (the early handlers of `run`, `import`'s, the read commands').
 * CI at 197ec856: the SIGINT bit was read, the signal came 500 ms after Node's start, before a loaded machine had
 * loaded the CLI, and Node's own handler ended the process (exit code null).
 */
const catches = (pid: number): boolean => {
  try {
    const mask = /^SigCgt:\s*([0-9a-f]+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return mask !== undefined && (BigInt(`0x${mask}`) >> BigInt(constants.signals.SIGHUP - 1)) % 2n === 1n;
  } catch {
    return false;
  }
};

/**
 * Sends `signal` `afterMs` after the child has a handler for it: a fixed delay from the spawn raced the CLI's
 * start on a loaded machine (the signal came before the handler, and the default action killed it).
 */
export const signalOnceHeard = (
  child: ChildProcess,
  signal: 'SIGHUP' | 'SIGINT' | 'SIGTERM',
  afterMs: number,
): void => {
  const poll = setInterval(() => {
    if (child.exitCode !== null || child.signalCode !== null) return clearInterval(poll);
    if (child.pid === undefined || !catches(child.pid)) return;
    clearInterval(poll);
    setTimeout(() => child.kill(signal), afterMs);
  }, 20);
};

/** Runs `node packages/cli/dist/main.js ...args` in `cwd` and collects its output. */
export const runParzen = (args: readonly string[], options: SpawnOptions): Promise<CliRun> =>
  new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: 'pipe',
    });
    const { stdout, stderr } = collectOutput(child);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `parzen ${args.join(' ')} did not finish in ${options.timeoutMs ?? 30_000} ms.\nstdout: ${stdout()}\nstderr: ${stderr()}`,
        ),
      );
    }, options.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout: stdout(), stderr: stderr() });
    });
    options.onStart?.(child);
  });

/** A fresh temporary folder, removed when the test file ends. */
export const tempDir = (prefix = 'parzen-e2e-'): string => tempFolder(prefix);

/** Makes `@parzen/engine` importable from `dir`, as a third-party plugin there imports it (a symlink). */
export const linkEngine = (dir: string): void => linkPackage(dir, 'engine');

/** Links the workspace's `@parzen/<name>` into `dir`'s node_modules, once. */
const linkPackage = (dir: string, name: string): void => {
  const link = join(dir, 'node_modules', '@parzen', name);
  if (existsSync(link)) return;
  mkdirSync(join(dir, 'node_modules', '@parzen'), { recursive: true });
  symlinkSync(join(repoRoot, 'packages', name), link, 'dir');
};

/** How a store plugin written for a test makes the store it wraps (its options: `path` for a file store). */
const BASE_STORES = {
  memory: { module: 'engine', create: 'createMemoryStore()' },
  jsonl: { module: 'store-file', create: 'createJsonlStore({ path: options.path })' },
  sqlite: { module: 'store-sqlite', create: 'createSqliteStore({ path: options.path })' },
} as const;

/**
 * Writes `<name>.mjs` into `dir` (the packages linked there): a store plugin `name`, a `base` store (memory, else a
 * jsonl or sqlite one at its option `path`) whose `method` raises SIGINT as a call that blocks the thread would (Node
 * delivers it when the event loop turns), or with `throws`, fails with that message instead of calling the store;
 * the properties `without` names are left out (a capability such as `deletesOnlyEmpty`, as a third-party store has).
 */
export const writeSignallingStore = (
  dir: string,
  name: string,
  method: string,
  {
    base = 'memory',
    throws,
    without = [],
  }: { base?: keyof typeof BASE_STORES; throws?: string; without?: readonly string[] } = {},
): void => {
  const { module, create } = BASE_STORES[base];
  linkPackage(dir, 'engine');
  linkPackage(dir, module);
  const call =
    throws === undefined
      ? `setImmediate(() => process.emit('SIGINT', 'SIGINT'));
          return value.apply(target, args);`
      : `throw new Error(${JSON.stringify(throws)});`;
  writeIn(
    dir,
    `${name}.mjs`,
    `import { ${create.split('(')[0]} } from '@parzen/${module}';
export const manifests = [{
  kind: 'store',
  name: '${name}',
  optionsSchema: { type: 'object' },
  create: (options = {}) => {
    const store = ${create};
    return new Proxy(store, {
      get: (target, key) => {
        if (key === 'name') return '${name}';
        if (${JSON.stringify(without)}.includes(key)) return undefined;
        const value = Reflect.get(target, key);
        if (typeof value !== 'function') return value;
        if (key !== '${method}') return value.bind(target);
        return (...args) => {
          ${call}
        };
      },
    });
  },
}];
`,
  );
};

/** Writes a file (JSON-encoding non-strings) into `dir` and returns its path. */
export const writeIn = (dir: string, name: string, content: unknown): string => {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return path;
};

/** Parses the last non-empty line of stdout as JSON. */
export const lastJsonLine = (stdout: string): unknown => {
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines.at(-1) ?? '');
};

/** The seed's heart function as a module objective (knows nothing of Parzen). */
export const heartModule = 'export default ({ x, y }) => -((x ** 2 + y ** 2 - 1) ** 3 - x ** 2 * y ** 3);\n';

/** The same function, to check reported losses. */
export const heart = (x: number, y: number): number => -((x ** 2 + y ** 2 - 1) ** 3 - x ** 2 * y ** 3);

/** A small valid config: random search on the heart function in memory. */
export const heartConfig = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  name: 'heart',
  seed: 1,
  space: { x: { type: 'uniform', low: -2, high: 2 }, y: { type: 'uniform', low: -2, high: 2 } },
  objective: { use: 'module', options: { path: './heart.mjs' } },
  suggester: { use: 'random' },
  store: { use: 'memory' },
  budget: { maxTrials: 8 },
  ...overrides,
});

/**
 * Writes `<name>.json` into `dir`: a heart config of random search run on this thread (`heart.mjs` beside
 * it), 3 trials, kept in the default store (a journal `<name>.parzen.jsonl` beside it) unless `extra`
 * sets one. Returns its path.
 */
export const journalHeartConfig = (dir: string, name: string, extra: Record<string, unknown> = {}): string => {
  const { store: _, ...config } = heartConfig({
    name,
    objective: { use: 'module', options: { path: './heart.mjs', isolate: 'none' } },
    budget: { maxTrials: 3 },
    ...extra,
  });
  return writeIn(dir, `${name}.json`, { ...config, ...(extra.store === undefined ? {} : { store: extra.store }) });
};

/** The processes still alive after a wait (the test kit's). */
export { goneWithin } from '@parzen/test-kit';

/** A program that starts a grandchild, writes its pid to `hang.pid` and never ends (for interrupt tests). */
export const hangModule = `import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
writeFileSync('hang.pid', String(child.pid));
console.error('hanging');
setInterval(() => {}, 1000);\n`;

/**
 * The note the CLI prints for each signal it handles (`SIGINT: letting running trials finish…`, `…: stopping
 * now.`, with no grace period `…: stopping; running trials are recorded…`).
 */
const HANDLED = /^SIG[A-Z]+: (letting running trials finish|stopping now|stopping; running trials)/gm;

/**
 * Sends `signals` one after another, each once the CLI has printed that it handled the one before: two signals
 * sent while a CPU-starved process waits to run would reach it as one. No timer sends the next without that note
 * (one did, after 5 s: on a loaded machine it sent the second before the first was handled, and the two counted
 * as one); a CLI that never says it handled a signal fails its test at the run's time limit, its output shown.
 */
const sendInTurn = (child: ChildProcess, signals: readonly NodeJS.Signals[]): void => {
  let sent = 0;
  let stderr = '';
  let next: NodeJS.Timeout | undefined;
  const sendNext = () => {
    const signal = signals[sent];
    if (signal === undefined) return;
    sent += 1;
    child.kill(signal);
  };
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    // Past the 100 ms in which a repeat of one signal counts as the same one (as `timeout` sends it twice): the
    // CLI handled the last one before its note, and hears the next at least 200 ms later.
    if (next === undefined && sent > 0 && sent < signals.length && (stderr.match(HANDLED)?.length ?? 0) >= sent) {
      next = setTimeout(() => {
        next = undefined;
        sendNext();
      }, 200);
    }
  });
  child.on('close', () => clearTimeout(next));
  sendNext();
};

/** Sends `signals` (in turn) once `file` exists (polling), so the trial's program is surely running. */
export const signalWhenFile = (file: string, signals: NodeJS.Signals[]) => (child: ChildProcess) => {
  const poll = setInterval(() => {
    if (!existsSync(file)) return;
    clearInterval(poll);
    sendInTurn(child, signals);
  }, 50);
  child.on('close', () => clearInterval(poll));
};

/** Sends `signals` (one after another) once stderr matches `when`. */
export const signalWhen = (when: RegExp, signals: NodeJS.Signals[]) => (child: ChildProcess) => {
  let stderr = '';
  let sent = false;
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (!sent && when.test(stderr)) {
      sent = true;
      sendInTurn(child, signals);
    }
  });
};
