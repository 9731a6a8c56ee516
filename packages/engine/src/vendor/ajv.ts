/**
 * The part of ajv the engine uses. The build bundles this file into one module (see
 * `scripts/bundle-vendor.mjs`): ajv is about 90 CommonJS files, resolved on every config load. From
 * sources this is a plain re-export.
 */
export { Ajv } from 'ajv';
