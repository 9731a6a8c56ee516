/**
 * @packageDocumentation
 * A third-party suggester for Parzen: simulated annealing like hyperopt's `anneal`. A config loads it
 * through `"plugins": ["<path or package>"]`; the module exports `manifests`, which is all the loader needs.
 */
export { type AnnealOptions, createAnnealSuggester, defaultAnnealOptions } from './anneal-suggester.js';
export { annealManifest, manifests } from './manifest.js';
