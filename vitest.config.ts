import { availableParallelism } from 'node:os';
import { defaultServerConditions } from 'vite';
import { configDefaults, defineConfig } from 'vitest/config';

// Tests that need a PostgreSQL server: they run in the `postgres` project, which starts one.
const POSTGRES_TESTS = ['packages/store-postgres/test/**/*.test.ts', 'packages/cli/test/postgres-*.test.ts'];

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
          exclude: [...configDefaults.exclude, ...POSTGRES_TESTS],
        },
      },
      {
        // Its global setup starts one throwaway PostgreSQL server, only when these tests are selected.
        extends: true,
        test: {
          name: 'postgres',
          include: POSTGRES_TESTS,
          globalSetup: ['packages/test-kit/src/postgres/global-setup.ts'],
        },
      },
    ],
  },
});
