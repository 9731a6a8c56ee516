/**
 * @packageDocumentation
 * `@parzen/engine/testing`, for plugin authors' tests: contract suites to run with vitest against your suggester,
 * store, objective, pruner, stopper or reporter (`describeStoreContract(...)` and the others), and a plugin
 * context to create a plugin with in a test. Imports vitest; nothing else of Parzen loads it.
 * @module @parzen/engine/testing
 */

export {
  describeObjectiveContract,
  type ObjectiveBehaviour,
  type ObjectiveContractOptions,
} from './objective-contract.js';
export { type TestPluginContextOptions, testPluginContext } from './plugin-context.js';
export { describePrunerContract, type PrunerContractOptions } from './pruner-contract.js';
export { describeReporterContract, type ReporterContractOptions } from './reporter-contract.js';
export { describeStopperContract, type StopperContractOptions } from './stopper-contract.js';
export { describeStoreContract, numbersAcrossHandles, type StoreContractOptions } from './store-contract.js';
export {
  describeSuggesterContract,
  firstDifferenceAfterResume,
  type SuggesterContractOptions,
} from './suggester-contract.js';
export { validatePluginOptions } from './validate-options.js';
