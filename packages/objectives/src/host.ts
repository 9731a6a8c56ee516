/**
 * @packageDocumentation
 * For Parzen's own hosts (the `parzen` CLI): loading TypeScript and a module's export as the `module`
 * objective does, reading numbers as the `command` objective reads them, and routing a worker's stdout.
 * Not for configs or plugin authors; not covered by the stability promise of the package's root.
 * @module @parzen/objectives/host
 */
export { LOADER_FILE, loadModuleExport } from './load-module-export.js';
export { parseJsonWithNonFinite } from './parse-loss.js';
export { importTypeScript, registerTypeScript } from './register-typescript.js';
export { routeObjectiveStdout } from './thread-stdio.js';
