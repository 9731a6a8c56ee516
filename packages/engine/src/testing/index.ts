/** Contract suites for plugin authors: run them against your suggester or store with vitest. */
export { describeStoreContract } from './store-contract.js';
export { describeSuggesterContract, type SuggesterContractOptions } from './suggester-contract.js';
