import { fileURLToPath } from 'node:url';
import { describeObjectiveContract, testPluginContext, validatePluginOptions } from '@parzen/engine/testing';
import { commandObjectiveManifest } from './command-objective.js';
import { moduleObjectiveManifest } from './module-objective.js';

/** The contract's behaviours as a module (one export each) and as a shell program (`sh contract-program.sh <behaviour>`). */
const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const context = testPluginContext({ baseDir: fixtures });

/** The options as a config gives them: checked against the plugin's schema, defaults filled in. */
const configured = <O>(manifest: Parameters<typeof validatePluginOptions>[0], options: unknown): O => {
  const { value, issues } = validatePluginOptions(manifest, options);
  if (issues.length > 0) throw new Error(JSON.stringify(issues));
  return value as O;
};

for (const isolate of ['worker', 'none'] as const)
  describeObjectiveContract(`module (isolate: ${isolate})`, {
    create: (behaviour) =>
      moduleObjectiveManifest.create(
        configured(moduleObjectiveManifest, { path: './contract-objective.mjs', export: behaviour, isolate }),
        context,
      ),
    // On Parzen's own thread a function that ignores its signal cannot be stopped (the run loop abandons it).
    ...(isolate === 'none' ? { without: ['forcedStop'] as const } : {}),
  });

// One process per evaluation: a shell script, which starts in a few ms (a node program takes ten times that).
// A stopped program gets SIGTERM, then SIGKILL after pruneGraceSeconds: short here, as the contract's stops are.
describeObjectiveContract('command', {
  create: (behaviour) =>
    commandObjectiveManifest.create(
      configured(commandObjectiveManifest, {
        command: ['sh', 'contract-program.sh', behaviour],
        pruneGraceSeconds: 0.5,
      }),
      context,
    ),
});
