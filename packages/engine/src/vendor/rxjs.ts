/**
 * The parts of rxjs the engine uses. The build bundles this file into one module (see
 * `scripts/bundle-vendor.mjs`): rxjs's Node build is about 700 CommonJS files, and resolving them cost
 * every run about 190 ms of CPU; the bundle loads in about 25 ms. From sources this is a plain re-export.
 */
export { filter, Subject } from 'rxjs';
