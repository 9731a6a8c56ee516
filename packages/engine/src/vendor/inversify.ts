/**
 * The parts of inversify the engine uses. The build bundles this file into one module (see
 * `scripts/bundle-vendor.mjs`): inversify is about 340 ES modules, and resolving them cost every run
 * about 260 ms of CPU; the bundle loads in about 10 ms. From sources this is a plain re-export.
 */
export { Container } from 'inversify';
