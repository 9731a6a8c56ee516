/**
 * @packageDocumentation
 * Random search for Parzen.
 */
export { randomModule, randomSuggesterManifest } from './manifest.js';
export { createRandomSuggester } from './random-suggester.js';
