/**
 * @packageDocumentation
 * Random and quasi-random search for Parzen.
 */
export { manifests, quasiRandomSuggesterManifest, randomSuggesterManifest } from './manifest.js';
export { createQuasiRandomSuggester, type QuasiRandomOptions } from './quasi-random-suggester.js';
export { createRandomSuggester, type RandomOptions } from './random-suggester.js';
