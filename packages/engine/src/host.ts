/**
 * @packageDocumentation
 * For Parzen's own hosts (the `parzen` CLI and the report): what they share with the engine to read
 * configs, import and export trials and word their messages. Not for plugin authors, who find theirs in
 * `@parzen/engine/plugin`; not covered by the stability promise of the other entry points. Loads neither
 * inversify, rxjs nor ajv.
 * @module @parzen/engine/host
 */
export {
  checkSameStudyWithDeletion,
  presentSuggester,
  type SpaceMismatchDeletion,
  seedChange,
  spaceDifferences,
  studySuggester,
  suggesterChange,
  versionChange,
} from './builtins/check-same-study.js';
export { consoleReporterManifest, isReaderGone, stopWords } from './builtins/console-reporter.js';
export { countOf, failureNote, printable, shellQuoted, shownNumber } from './builtins/words.js';
export {
  baseConfigSchema,
  composeConfigSchema,
  MAX_CONCURRENCY,
  MAX_SECONDS,
  MAX_TRIALS,
  STUDY_NAME_PATTERN,
  STUDY_NAME_WORDS,
} from './config/experiment-schema.js';
export {
  inVariant,
  notesInVariant,
  sameConfigVariants,
  seedIgnoredNotes,
  segments,
  variantLegend,
  withMatrixKey,
} from './config/matrix.js';
export { importPluginPackage, missingPluginModule } from './di/import-plugins.js';
export { manifestProblem } from './di/registry.js';
export { leftOutRepeats } from './domain/repeated-trials.js';
export { type Closeness, didYouMean, lookAlikeKey, sameTextHint } from './errors.js';
export {
  budgetIssues,
  checkReporterOptions,
  checkStoreOptions,
  openStudyScope,
  type StartedObjective,
  type StudyScope,
  startObjective,
} from './experiment.js';
export {
  type BestsSummary,
  type CountRange,
  type FailedMore,
  quantileOf,
  type RunLength,
  summarizeBests,
  unevenRunNotes,
  unevenRuns,
} from './runtime/bests-summary.js';
export { deleteStudyIn, runsUnderLiveLease, studyInRun, withStudiesHeld } from './runtime/delete-study.js';
export {
  checkEnqueued,
  configEnqueueEntries,
  configEntryKeys,
  configEntryOf,
  leftoverEntriesNote,
  removeEnqueuedEntries,
  studyCommand,
  takenConfigEntries,
  withEnqueueKeys,
} from './runtime/enqueue.js';
export {
  checkImportedRows,
  formatInvalidRows,
  type ImportCheck,
  type InvalidRow,
  importInvalid,
  trialToRow,
} from './runtime/imported-trials.js';
export { signalsDelivered } from './runtime/interrupts.js';
export {
  type BestsComparison,
  compareBests,
  type MannWhitneyResult,
  mannWhitney,
  RANK_TEST_MIN_RUNS,
  type RankedVariant,
  rankVariants,
  SIGNIFICANCE_LEVEL,
  shownPValue,
  type VariantBests,
  versusFirstCell,
} from './runtime/rank-test.js';
export { reopeningStore, studyReopenedNote } from './runtime/reopen-deleted.js';
export { entriesGivenBack, keptForImport, type StaleTrialEnd, staleTrialEnds } from './runtime/stale-trials.js';
export { recordStop, rescuedAmong } from './runtime/study-session.js';
export { CUT_SHORT_CAUSES, cutShort, cutShortNote, summarize } from './runtime/summarize.js';
export { cleanUpQuietly, settledWithin, withCleanup } from './runtime/with-cleanup.js';
export { PARZEN_VERSION } from './version.js';
export { UNKNOWN_VERSION } from './version-unknown.js';
