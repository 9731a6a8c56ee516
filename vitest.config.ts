import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { delimiter, isAbsolute, join } from 'node:path';
import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

// The files that take longest, mostly because they run real processes (signals, kill -9, npm, Chromium,
// PostgreSQL), slowest first as measured on 2 cores. They start first so that the short files fill the
// other worker while they wait, instead of one of them running alone at the end.
const SLOW_FIRST = [
  'packages/store-postgres/test/workers.test.ts',
  'docs/tools/packed-install.test.ts',
  'packages/store-file/src/durability.test.ts',
  'examples/pruning-python/src/pruning-python.test.ts',
  'packages/report/test/report.browser.test.ts',
  'packages/cli/test/adversarial-signals.e2e.test.ts',
  'packages/store-sqlite/src/durability.test.ts',
  'packages/cli/test/command-objective.e2e.test.ts',
  'packages/cli/test/postgres-store.test.ts',
  'packages/cli/test/interrupt.e2e.test.ts',
  'packages/cli/test/run.e2e.test.ts',
];

/**
 * On a clean clone with no timing cache Vitest runs the files in the order found. This order starts the
 * slowest file at once (PostgreSQL's worker processes, mostly waiting on leases and a server restart)
 * beside files that keep the cores busy meanwhile, then the list above, then the rest by the duration the
 * cache remembers, longest first, then by size. One project: a worker that finishes a file is reused only
 * for a file of the same project, so the PostgreSQL files, a project of their own until 2026-12-01, cost
 * three more worker processes, each importing the sources again (now the first test file to need the
 * server starts it, `@parzen/test-kit/postgres`).
 */
class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const relative = (spec: TestSpecification) => spec.moduleId.slice(root.length + 1);
    const weight = (spec: TestSpecification): number => {
      const file = relative(spec);
      const listed = SLOW_FIRST.indexOf(file);
      if (listed >= 0) return 1e9 - listed;
      const key = `${spec.project.name}:${file}`;
      const duration = this.ctx.cache.getFileTestResults(key)?.duration;
      return duration ?? (this.ctx.cache.getFileStats(key)?.size ?? 0) / 1e6;
    };
    return [...files].sort((a, b) => weight(b) - weight(a));
  }
}

/**
 * `python3` on PATH may be a version manager's shim: pyenv's is a shell script that takes about 0.25 s of
 * CPU per start, more than most of the Python programs the tests run (measured: the pruning example's file
 * 8.6 -> 4.8 s, the Python heart example's 7.0 -> 4.4 s). The tests (and the processes they start) run the
 * interpreter that `python3` names directly: a folder holding only a `python3` that execs it by its full
 * path (so a virtual environment stays one) goes first on PATH; nothing else on PATH moves. Nothing changes
 * where `python3` is missing.
 */
const preferPythonInterpreter = (): void => {
  const probe = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' });
  const executable = probe.status === 0 ? probe.stdout.trim() : '';
  if (!isAbsolute(executable)) return;
  const folder = join(import.meta.dirname, 'node_modules', '.cache', 'parzen-python3');
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'python3'), `#!/bin/sh\nexec '${executable.replace(/'/g, "'\\''")}' "$@"\n`, {
    mode: 0o755,
  });
  const path = process.env.PATH ?? '';
  if (!path.startsWith(`${folder}${delimiter}`)) process.env.PATH = `${folder}${delimiter}${path}`;
};
preferPythonInterpreter();

export default defineConfig({
  oxc: { decorator: { legacy: true } },
  ssr: { resolve: { conditions: ['@parzen/source', ...defaultServerConditions] } },
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // One module graph per worker, shared by its test files: importing the sources again for every file
    // cost most of the suite's time (engine + TPE: 64 s isolated, 11 s shared). Test files must leave
    // process-wide state (handlers, env, cwd) as they found it.
    isolate: false,
    // Vitest's default is one worker less than the cores: on a 2-core machine, one. Most of the time
    // in the heavy files is child processes and waits, so two workers keep both cores busy
    // (measured on 2 cores: 232 s with one worker, 155–182 s with two).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    sequence: { sequencer: SlowFirstSequencer },
    // Removes the temp folders each test file made with the test kit's `tempFolder` when the file ends.
    setupFiles: ['packages/test-kit/src/temp-cleanup.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'parzen',
          include: [
            'packages/*/src/**/*.test.ts',
            'packages/*/test/**/*.test.ts',
            'examples/*/src/**/*.test.ts',
            'bench/**/*.test.ts',
            'docs/tools/**/*.test.ts',
          ],
          // One PostgreSQL server for the run, started by the first test file that needs it.
          globalSetup: ['packages/test-kit/src/postgres/global-setup.ts'],
        },
      },
    ],
  },
});
