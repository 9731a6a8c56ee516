/**
 * @packageDocumentation
 * The `parzen` command line: run, resume, validate and inspect experiments described by JSON or YAML
 * configs, batches and matrices with a comparison table, and a progress reporter.
 */
export { builtinModules, defaultStore, defaultSuggester } from './builtin-modules.js';
export { type BatchOutcome, type ComparisonRow, compareOutcomes, formatComparison } from './comparison.js';
export { CliError, EXIT, exitCodeFor } from './exit-codes.js';
export { expandMatrix, type Variant } from './matrix.js';
export { applyOverrides, type ConfigOverrides } from './overrides.js';
export { ConfigProblems, cliLoadOptions, type PreparedRun, prepareRuns } from './prepare-runs.js';
export { buildProgram, runCli } from './program.js';
export { createProgressReporter, type ProgressMode, progressReporterManifest } from './progress-reporter.js';
export { readConfigFile } from './read-config-file.js';
export { parseStoreSpec } from './store-spec.js';
export { summaryJson } from './summary-json.js';
