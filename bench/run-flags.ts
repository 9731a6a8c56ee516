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

/** A flag's positive integer (`text`, or `fallback` when the flag is not given), or the refusal. */
export const positiveCount = (
  refuse: (message: string) => never,
  flag: string,
  text: string | undefined,
  fallback: number,
): number => {
  const value = Number(text ?? fallback);
  return Number.isInteger(value) && value > 0 ? value : refuse(`--${flag} ${text}: expected a positive integer`);
};
