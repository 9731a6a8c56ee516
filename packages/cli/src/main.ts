#!/usr/bin/env node
import { sayInterrupts, watchEarlySignals } from './early-signals.js';
import { exitCleanlyAfterHangUp } from './hung-up-terminal.js';

exitCleanlyAfterHangUp();

// Before the rest of the CLI loads (imported below, not statically, so these listeners come first): a
// Ctrl-C then is said by `run` as one while it prepares, not a silent exit 130.
const [, , command] = process.argv;
/** `--json` among the command's own flags, before any `--` (review 91: `validate x -- --json` got JSON on Ctrl-C). */
function jsonFlag(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).includes('--json');
}
if (command === 'run' || command === 'resume') watchEarlySignals();
// The other commands but import (its own) and a served report (it stops on Ctrl-C, exit 0) say a Ctrl-C.
else if (command !== undefined && command !== 'import' && !process.argv.includes('--serve'))
  sayInterrupts(command, jsonFlag(process.argv.slice(3)));
const [{ exitAfterFlush, tolerateClosedReaders }, { runCli }] = await Promise.all([
  import('./flush-streams.js'),
  import('./program.js'),
]);

tolerateClosedReaders();
// process.exit, not exitCode: an objective that ignores its abort signal must not keep a stopped run alive.
// But only once stdout and stderr have drained: a pipe that reads slowly must still get every byte.
await exitAfterFlush(await runCli(process.argv));
