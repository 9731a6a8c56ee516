/**
 * @packageDocumentation
 * Random and quasi-random search for Parzen.
 */
export { createHaltonScramble, firstPrimes, type HaltonScramble, haltonCoordinate } from './halton.js';
export { quasiRandomSuggesterManifest, randomModule, randomSuggesterManifest } from './manifest.js';
export { createQuasiRandomSuggester, type QuasiRandomOptions } from './quasi-random-suggester.js';
export { createRandomSuggester } from './random-suggester.js';
