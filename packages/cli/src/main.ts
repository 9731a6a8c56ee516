#!/usr/bin/env node
import { exitAfterFlush, tolerateClosedReaders } from './flush-streams.js';
import { runCli } from './program.js';

tolerateClosedReaders();
// process.exit, not exitCode: an objective that ignores its abort signal must not keep a stopped run alive.
// But only once stdout and stderr have drained: a pipe that reads slowly must still get every byte.
await exitAfterFlush(await runCli(process.argv));
