#!/usr/bin/env node
import { watchEarlySignals } from './early-signals.js';

// Before the rest of the CLI loads (imported below, not statically, so these listeners come first): a
// Ctrl-C then is said by `run` as one while it prepares, not a silent exit 130.
const [, , command] = process.argv;
if (command === 'run' || command === 'resume') watchEarlySignals();
const [{ exitAfterFlush, tolerateClosedReaders }, { runCli }] = await Promise.all([
  import('./flush-streams.js'),
  import('./program.js'),
]);

tolerateClosedReaders();
// process.exit, not exitCode: an objective that ignores its abort signal must not keep a stopped run alive.
// But only once stdout and stderr have drained: a pipe that reads slowly must still get every byte.
await exitAfterFlush(await runCli(process.argv));
