/**
 * The suite's problems as an objective module, the way a CLI user plugs one in:
 * `"objective": { "use": "module", "options": { "path": "./objective.mjs", "export": "<problem name>" } }`.
 * The default export maps each problem name to its loss (what the optimizer sees; noisy for the noisy
 * problems); the module objective finds a name under `default` when it is not a top-level export.
 *
 * A JavaScript file, so Node's module cache keeps it (and the ML tasks' cached data) across the studies
 * of one process; it imports the TypeScript implementations, so run under `--import tsx` (bench/tpe-suite.ts
 * does). Test points are checked by the runner (`loadSuite`).
 */
import { suiteDefinitions, suiteLosses } from './problems.ts';

/** Problem name → observed loss. */
export default Object.fromEntries(
  suiteDefinitions().map((definition) => [definition.name, suiteLosses(definition).loss]),
);
