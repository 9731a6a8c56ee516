/**
 * @packageDocumentation
 * The `parzen` command line: run, resume, validate and inspect experiments described by JSON or YAML
 * configs, batches and matrices with a comparison table, and a progress reporter. `runCli` runs it
 * in-process (what `parzen` does, without exiting).
 */
export { CliError, EXIT, EXIT_CODES_HELP, exitCodeFor } from './exit-codes.js';
export type { Output } from './output.js';
export { cliLoadOptions } from './prepare-runs.js';
export { buildProgram, runCli } from './program.js';
export {
  createProgressReporter,
  type ProgressMode,
  type ProgressOptions,
  type ProgressSettings,
  progressReporterManifest,
} from './progress-reporter.js';
