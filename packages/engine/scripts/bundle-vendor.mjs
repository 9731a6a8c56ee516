// Replaces the engine's built `dist/vendor/*.js` re-exports with one bundled module each, so that a run
// loads inversify and rxjs as two files instead of about 1,000 (see src/vendor/). Runs after `tsc -b`.
// The declarations (`dist/vendor/*.d.ts`) stay tsc's: types still come from the declared dependencies.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
// And the build's version (dist/build-version.json), written on every build.
import './write-build-version.mjs';

const BANNER = '// Bundled by @parzen/engine/scripts/bundle-vendor.mjs';
const dist = fileURLToPath(new URL('../dist/vendor/', import.meta.url));
for (const name of ['ajv', 'inversify', 'rxjs']) {
  const file = `${dist}${name}.js`;
  if (!existsSync(file)) throw new Error(`${file} is missing: run tsc -b first`);
  // tsc -b re-emits the re-export only when its source changes; an already bundled file stays as it is.
  if (readFileSync(file, 'utf8').startsWith(BANNER)) continue;
  await build({
    entryPoints: [file],
    outfile: file,
    allowOverwrite: true,
    bundle: true,
    format: 'esm',
    // Not `node`: rxjs's `node` condition is its CommonJS build; its ES build bundles without a CommonJS
    // wrapper and lets unused operators drop out.
    platform: 'neutral',
    target: 'node20',
    conditions: ['es2015'],
    mainFields: ['es2015', 'module', 'main'],
    legalComments: 'inline',
    // The bundled packages stay dependencies of @parzen/engine, so their licences ship beside it.
    banner: { js: `${BANNER}: ${name} and its dependencies, unchanged.` },
    logLevel: 'warning',
  });
  // tsc's source map describes the re-export, not the bundle.
  rmSync(`${file}.map`, { force: true });
}
