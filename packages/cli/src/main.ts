#!/usr/bin/env node
import { runCli } from './program.js';

// process.exit, not exitCode: an objective that ignores its abort signal must not keep a stopped run alive.
process.exit(await runCli(process.argv));
