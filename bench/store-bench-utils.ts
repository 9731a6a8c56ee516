/** Helpers shared by the store benchmarks: the machine description and writing a results file. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { TrialStore } from '@parzen/engine';
import { createJsonlStore } from '@parzen/store-file';
import { createSqliteStore } from '@parzen/store-sqlite';

const require = createRequire(import.meta.url);

/**
 * The stores under test, by plugin name: how this process opens one, and how a worker process does
 * (the package's built entry and factory, for the test kit's worker).
 */
export const STORES = {
  jsonl: {
    extension: '.parzen.jsonl',
    open: (path: string): TrialStore => createJsonlStore({ path }),
    module: require.resolve('@parzen/store-file'),
    factory: 'createJsonlStore',
  },
  sqlite: {
    extension: '.parzen.db',
    open: (path: string): TrialStore => createSqliteStore({ path }),
    module: require.resolve('@parzen/store-sqlite'),
    factory: 'createSqliteStore',
  },
} as const;

export type StoreKind = keyof typeof STORES;

/** `nproc`, Node version, CPU model and the current load, as one markdown line. */
export const machineLine = (): string => {
  const model =
    readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/)?.[1] ?? cpus()[0]?.model ?? 'unknown CPU';
  const load = loadavg()[0]?.toFixed(1) ?? '?';
  return (
    `Machine: nproc ${availableParallelism()}, Node ${process.version}, ${model}, ${new Date().toISOString().slice(0, 10)}; ` +
    `load average ${load} when the report was written (the machine is shared with other jobs).`
  );
};

/** A temporary folder for one benchmark run; removed by the returned cleanup. */
export const tempFolder = (name: string): { readonly path: (file: string) => string; readonly remove: () => void } => {
  const dir = mkdtempSync(join(tmpdir(), `parzen-${name}-`));
  return { path: (file) => join(dir, file), remove: () => rmSync(dir, { recursive: true, force: true }) };
};

/** Prints the report, and writes it to the file given with `--out <path>`. */
export const publish = (report: string): void => {
  process.stdout.write(`${report}\n`);
  const index = process.argv.indexOf('--out');
  const out = index >= 0 ? process.argv[index + 1] : undefined;
  if (out === undefined) return;
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${report}\n`);
};

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

/**
 * A markdown table laid out as Biome formats it (cells padded to the column width), so a freshly
 * written results file passes `biome check`. `right` marks right-aligned (numeric) columns.
 */
export const markdownTable = (
  header: readonly string[],
  right: readonly boolean[],
  rows: readonly (readonly string[])[],
): string => {
  const widths = header.map((title, column) =>
    Math.max(title.length, 3, ...rows.map((row) => row[column]?.length ?? 0)),
  );
  const cell = (text: string, column: number) =>
    right[column] ? text.padStart(widths[column] ?? 0) : text.padEnd(widths[column] ?? 0);
  const line = (cells: readonly string[]) => `| ${cells.map(cell).join(' | ')} |`;
  const rule = widths.map((width, column) => (right[column] ? `${'-'.repeat(width - 1)}:` : '-'.repeat(width)));
  return [line(header), `| ${rule.join(' | ')} |`, ...rows.map(line)].join('\n');
};
