import { existsSync, statSync } from 'node:fs';
import { basename, delimiter, resolve } from 'node:path';
import {
  alwaysActiveParams,
  assertOptions,
  type CompiledSpace,
  type ConfigNote,
  clippedText,
  defineObjective,
  type EvaluationResult,
  type ExternalParams,
  failedResult,
  interpretObjectiveValue,
  invalidConfig,
  lastStderrLine,
  lookAlikeFileHint,
  type ObjectiveAdapter,
  type ObjectSchemaNode,
  requiredChoices,
  resolveConfigPath,
  SERVICES,
  type Services,
  shellQuoted,
} from '@parzen/engine/plugin';
import {
  literalIssues,
  tooLargeMessage,
  unpassableMessage,
  unpassableOptionIssues,
  unpassableStrings,
} from './arg-limits.js';
import {
  expandArgv,
  expandElement,
  expandEnv,
  logFileProblems,
  loneClosingEscapes,
  neverTogetherProblems,
  placeholderNames,
  TemplateError,
  templateProblems,
  unpairedFlags,
} from './argv-template.js';
import { bufferingJudge, stdoutEvidence } from './buffered-stdout.js';
import { asciiCollisionIssues, collisionWarning, commandEnv, envNameCollisions } from './command-env.js';
import { findExecutable, onPath, shebangProblem } from './find-executable.js';
import { outputEncodingAdvice } from './output-encoding.js';
import {
  describeLastLine,
  findLossLine,
  lossTracker,
  parseJsonWithNonFinite,
  parseLossLine,
  quotedLine,
  trackLossLines,
} from './parse-loss.js';
import {
  brokenReport,
  createReportReader,
  MalformedReportError,
  parseReportLine,
  type Report,
} from './report-lines.js';
import { type CommandOutcome, runCommand, StartProblem } from './run-command.js';
import { withSchemaDefaults } from './schema-defaults.js';
import { openTrialLog, type TrialLog } from './trial-log.js';

/** Options of the `command` objective (after the schema's defaults are filled in). */
export interface CommandObjectiveOptions {
  /** The argv template, e.g. `["python3", "train.py", "--lr", "{lr}"]`. */
  readonly command: readonly string[];
  /** Working folder of the program; relative to the config's folder. */
  readonly cwd: string;
  /** Extra environment variables; values may hold placeholders like argv (`{"LR": "{lr}"}`). */
  readonly env: Readonly<Record<string, string>>;
  /** Start from Parzen's own environment (PATH, HOME, a virtualenv ...). */
  readonly inheritEnv: boolean;
  /**
   * Put the params in the environment, as `PARZEN_PARAMS` and `PARZEN_PARAM_<NAME>` (default true). False for
   * values longer than an environment string may be (128 KiB on Linux): the program reads them from stdin.
   */
  readonly paramsInEnv?: boolean;
  /** `json`: the params as one JSON line on standard input; `none`: empty stdin. */
  readonly stdin: 'json' | 'none';
  /**
   * Stop the program (its whole process group: SIGTERM, SIGKILL `pruneGraceSeconds` later) after this many
   * seconds; the trial fails with `TIMEOUT`.
   */
  readonly timeoutSeconds?: number;
  /** How many characters of stderr a failed trial keeps in `error.details.stderrTail`. */
  readonly stderrTailChars: number;
  /**
   * When a trial is stopped (the pruner, a timeout, the run's stop), its process group gets SIGTERM, then
   * SIGKILL after this many seconds if the program is still running (default 5).
   */
  readonly pruneGraceSeconds: number;
  /**
   * A file each trial's output is appended to as the program prints it (stdout's and stderr's bytes as written,
   * each stream a whole line at a time, between a line that opens the trial and one that closes it), relative to
   * the config's folder, its folder made if missing; `{trial}`, `{seed}` and `{study}` are replaced
   * (`"logs/trial-{trial}.log"`). In a file without `{trial}`, which the trials share, each line of output is
   * marked `[trial #N] `. Unset, a trial keeps only the tail of its output (`stderrTailChars`, and the loss line).
   */
  readonly logFile?: string;
}

/**
 * JSON Schema of the `command` objective's options ({@link CommandObjectiveOptions}), with defaults: the manifest's
 * `optionsSchema`, which a config's `options` of `{ "use": "command" }` are checked against (ajv fills the
 * defaults), and which {@link createCommandObjective} checks options given in code against. Typed as an {@link ObjectSchemaNode}: read an option (`.properties.NAME`) or extend the schema with options of your own (`{ ...schema, properties: { ...schema.properties, more } }`); the options are listed in the config reference.
 */
export const commandObjectiveOptionsSchema: ObjectSchemaNode = {
  type: 'object',
  additionalProperties: false,
  required: ['command'],
  properties: {
    command: {
      type: 'array',
      minItems: 1,
      items: { type: 'string' },
      description:
        'argv template: {name} is a parameter, {name?} a conditional one (left out when inactive, with the bare flag of its name just before it: "--m", "{m?}"), {trial}, {seed} (a seed for the program to seed its randomness with, also in PARZEN_SEED), {study}, {params} (JSON).',
    },
    cwd: {
      type: 'string',
      default: '.',
      description: "The program's working folder, relative to the config's folder.",
    },
    env: {
      type: 'object',
      additionalProperties: { type: 'string' },
      default: {},
      description: 'Extra environment variables; values may use the argv placeholders ({lr}, {depth?}, {trial}).',
    },
    inheritEnv: { type: 'boolean', default: true, description: "Start from Parzen's environment." },
    paramsInEnv: {
      type: 'boolean',
      default: true,
      description:
        'Pass the params in the environment too (PARZEN_PARAMS, PARZEN_PARAM_<NAME>); false for values over the 128 KiB an environment string may hold on Linux (read them from stdin).',
    },
    stdin: { enum: ['json', 'none'], default: 'json', description: 'Params as one JSON line on standard input.' },
    timeoutSeconds: {
      type: 'number',
      exclusiveMinimum: 0,
      maximum: 1_000_000,
      description: 'Per-trial limit; stops the process group (SIGTERM, then SIGKILL after pruneGraceSeconds).',
    },
    stderrTailChars: { type: 'integer', minimum: 0, default: 4000, description: 'Stderr kept in a failed trial.' },
    pruneGraceSeconds: {
      type: 'number',
      minimum: 0,
      maximum: 3600,
      default: 5,
      description:
        'A stopped trial gets SIGTERM on its process group, then SIGKILL after this many seconds if its program is still running: a pruned trial, a timeout, a run stopped by Ctrl-C or SIGTERM (at the end of gracePeriodSeconds, or at a second Ctrl-C), and a trial whose Parzen process was killed with kill -9.',
    },
    logFile: {
      type: 'string',
      minLength: 1,
      description:
        'A file each trial\'s whole output (stdout and stderr, as printed) is appended to, relative to the config\'s folder (its folder made if missing); {trial}, {seed} and {study} are replaced: "logs/trial-{trial}.log".',
    },
  },
};

const failed = failedResult;

const describeEnd = (outcome: CommandOutcome): string =>
  outcome.signal === null ? `exited with code ${outcome.exitCode}` : `was killed by ${outcome.signal}`;

/** How the report protocol ended a command: pruned at a report, or not. */
export interface ReportOutcome {
  /** The report at which the pruner said stop (the program was then sent SIGTERM). */
  readonly prunedAt?: Report;
  /** The grace period between SIGTERM and SIGKILL (`pruneGraceSeconds`), for the message. */
  readonly graceSeconds: number;
  /**
   * The result as stdout was read line by line while the program ran: `found` is the parsed last loss
   * line (undefined when no line was one). Every line counts, however much the program printed after
   * it; without this the result is looked for in the kept tail of stdout (its last 64 KiB).
   */
  readonly lossLine?: { readonly found: unknown; readonly line?: string | undefined };
}

/** A line that reads as a Python dict with `step` and `value` keys: `{'step': 0, 'value': 0.5}`. */
const looksLikePythonReport = (line: string): boolean => {
  const text = line.trim();
  return text.startsWith('{') && text.includes("'step'") && text.includes("'value'") && !text.includes("'loss'");
};

/** A finite bare number as a JSON number: its line as printed when JSON reads it so (`100.0`), else its value (`.5`). */
const jsonNumber = ({ value, line }: { readonly value: number; readonly line: string }): string => {
  try {
    if (JSON.parse(line) === value) return line;
  } catch {}
  return JSON.stringify(value);
};

/**
 * This process held still this long (ms) during a trial (stopped with SIGSTOP or Ctrl-Z, a debugger, a blocked
 * thread): the program's reports waited in the pipe meanwhile and were then read together, buffered or not.
 */
const HELD_STILL_MS = 500;
/** Lines a pause held back are read within this long (ms) after it ends, in the same turn of the loop or the next. */
const HELD_BACK_READ_MS = 100;

/**
 * Watches this process for pauses: `heldAt(time)` says whether its event loop held still for {@link HELD_STILL_MS}
 * or more over `time` (a `Date.now()`), the time since the last tick included (the lines a pause held back are read
 * before the next tick can run).
 */
const watchStillness = (): { heldAt(time: number): boolean; stop(): void } => {
  let last = Date.now();
  const pauses: (readonly [number, number])[] = [];
  const timer = setInterval(() => {
    const now = Date.now();
    if (now - last >= HELD_STILL_MS) pauses.push([last, now]);
    last = now;
  }, 50);
  timer.unref();
  return {
    heldAt: (time) => {
      const now = Date.now();
      const all = now - last >= HELD_STILL_MS ? [...pauses, [last, now] as const] : pauses;
      return all.some(([start, end]) => time >= start && time <= end + HELD_BACK_READ_MS);
    },
    stop: () => clearInterval(timer),
  };
};

/** The failure of a command that printed a malformed report line, or whose report was not accepted. */
const reportFailure = (error: unknown, shown: string, details: Record<string, unknown>): EvaluationResult =>
  error instanceof MalformedReportError
    ? failed('COMMAND_BAD_REPORT', `\`${shown}\` printed a ${error.message}; its process group was stopped.`, {
        ...details,
        // Kept as a loss line is (a line may be a megabyte long).
        line: clippedText(error.line),
      })
    : failed(
        'REPORT_FAILED',
        `A report of \`${shown}\` was not accepted: ${error instanceof Error ? error.message : String(error)}; its process group was stopped.`,
        details,
      );

/**
 * The attrs a stopped program printed: the last line that is a JSON object with an `attrs` object (any such
 * line: `{"attrs": ...}`, `{"pruned": true, "attrs": ...}`, a loss of null; review 61: only a line with a
 * finite loss gave them), else the fields of its loss line; only attrs that are JSON.
 */
const prunedProgramAttrs = (
  stdout: string,
  lossLine: unknown,
): { readonly attrs?: Readonly<Record<string, unknown>>; readonly refused?: string } => {
  // Attrs that are not JSON (Python's NaN) are said, not dropped in silence (review 62), as a module's are.
  const judge = (value: unknown) => {
    const judged = interpretObjectiveValue(value);
    if (judged.status === 'ok') return judged.attrs === undefined ? {} : { attrs: judged.attrs };
    return judged.error.code === 'OBJECTIVE_BAD_ATTRS' ? { refused: judged.error.message } : {};
  };
  const lines = stdout.split(/\r?\n|\r/);
  for (let i = lines.length - 1; i >= 0; i--) {
    const text = (lines[i] as string).trim();
    if (!text.startsWith('{') || !text.includes('"attrs"')) continue;
    let value: unknown;
    try {
      value = parseJsonWithNonFinite(text);
    } catch {
      continue;
    }
    const attrs = (value as { attrs?: unknown } | null)?.attrs;
    if (typeof attrs !== 'object' || attrs === null || Array.isArray(attrs)) continue;
    return judge({ loss: 0, attrs });
  }
  return lossLine === undefined ? {} : judge(lossLine);
};

/**
 * Turns a finished command into a trial result: a loss, or a failure with exit code and stderr tail. A
 * command the pruner stopped fails with `PRUNED` (the run loop records the trial as pruned at its last
 * report), whatever it printed or how it ended.
 */
export const interpretCommandOutcome = (
  outcome: CommandOutcome,
  argv: readonly string[],
  timeoutSeconds?: number,
  reports?: ReportOutcome,
): EvaluationResult => {
  const shown = argv.map(shellQuoted).join(' ');
  const details = {
    command: argv,
    exitCode: outcome.exitCode,
    signal: outcome.signal,
    stderrTail: outcome.stderr,
    durationMs: outcome.durationMs,
  };
  if (outcome.startError !== undefined) {
    const { startError } = outcome;
    // A problem that names the program (or its folder) itself is said as validate says it, the name once.
    return failed(
      'COMMAND_NOT_STARTED',
      startError instanceof StartProblem
        ? `The command could not start (${startError.code}): ${startError.message}`
        : `\`${shown}\` could not start: ${startError.message}`,
      details,
    );
  }
  const pruned = reports?.prunedAt;
  if (pruned !== undefined) {
    const end = outcome.graceExpired
      ? `was killed by SIGKILL after the ${reports?.graceSeconds} s grace period`
      : describeEnd(outcome);
    // The attrs of a result line the program printed, on SIGTERM say (a checkpoint's path): the pruned trial
    // keeps them, as a module objective's `{ loss, attrs }` once told to stop (trial 59: commands lost them).
    // Its loss is not the trial's, which is the value at the last report.
    const { attrs, refused } = prunedProgramAttrs(
      outcome.stdout,
      reports?.lossLine === undefined ? findLossLine(outcome.stdout) : reports.lossLine.found,
    );
    return failed(
      'PRUNED',
      `The pruner stopped the trial at step ${pruned.step} (value ${pruned.value}): \`${shown}\` got SIGTERM on its process group and ${end}.`,
      {
        ...details,
        step: pruned.step,
        value: pruned.value,
        ...(attrs === undefined ? {} : { attrs }),
        ...(refused === undefined ? {} : { attrsRefused: refused }),
      },
    );
  }
  if (outcome.lineFailed) return reportFailure(outcome.lineError, shown, details);
  const tracked = reports?.lossLine ?? trackLossLines(outcome.stdout);
  const found = tracked.found;
  // A loss line the program had printed before it was killed or failed, said and kept (trial 40: a crash at
  // exit, a CUDA teardown, lost a loss the message did not mention; trial 130: so did a TIMEOUT or an
  // INTERRUPTED trial, a slow teardown after the loss): the trial fails all the same.
  // The line as the program printed it (review 138: the parsed value re-serialised turned `inf` into `null`).
  const asPrinted = found === undefined ? undefined : (tracked.line ?? JSON.stringify(found));
  // Any `{"loss": ...}` line (a bare number, before one) reads as the loss, an epoch count or a log line of a program still
  // training too (review 138: such a program was told it had printed its loss, and to end with os._exit): said
  // as a line read as its loss, and the advice only as a conditional one, when that line was its last.
  const lastLine = outcome.stdout
    .split(/\r?\n|\r/)
    .map((line) => line.trim())
    .findLast((line) => line !== '');
  // A loss line longer than the kept tail of stdout is that whole tail: its end, not a line after it (review 139).
  // The kept tail starts with `…` once older output was dropped (review 140: so the end never matched).
  const loneTail = (line: string, tail: string, last: string | undefined) => {
    const kept = tail.trim().replace(/^…/, '');
    return last !== undefined && line.length >= kept.length && line.endsWith(last.replace(/^…/, ''));
  };
  const printed = (why: string, advice: string) =>
    asPrinted === undefined
      ? ''
      : `, after printing a line read as its loss (${quotedLine(asPrinted)}, kept in error.details.lossLine)` +
        (lastLine !== asPrinted && !loneTail(asPrinted, outcome.stdout, lastLine)
          ? ` and more after it: ${why}`
          : `: ${why}; if that line was its result, ${advice} once it is out (in Python: sys.stdout.flush() then os._exit(0) skips a ${outcome.timedOut || outcome.aborted ? 'slow' : 'crashing'} teardown)`);
  const withLoss =
    asPrinted === undefined
      ? details
      : {
          ...details,
          // Cut as a thrown message is, by characters, never inside one (review 139: half an emoji was stored).
          lossLine: clippedText(asPrinted),
        };
  if (outcome.timedOut || outcome.aborted) {
    const kill = printed(
      'a program still running when its trial is stopped fails it whatever it printed',
      'end the program',
    );
    // Trial 153: said how it was stopped, SIGTERM first (a program may save a checkpoint), then SIGKILL.
    const grace = reports === undefined ? 'the grace period' : `the ${reports.graceSeconds} s grace period`;
    const how = outcome.graceExpired
      ? `its process group got SIGTERM, then SIGKILL after ${grace}`
      : outcome.signal === 'SIGTERM'
        ? 'its process group got SIGTERM, which ended it'
        : `its process group got SIGTERM, and it ${describeEnd(outcome)}`;
    return outcome.timedOut
      ? failed(
          'TIMEOUT',
          `\`${shown}\` ran past its time limit of ${timeoutSeconds} s (\`timeoutSeconds: ${timeoutSeconds}\`); ${how}${kill}.`,
          withLoss,
        )
      : failed('INTERRUPTED', `\`${shown}\` was stopped; ${how}${kill}.`, withLoss);
  }
  if (outcome.exitCode !== 0) {
    const exit = printed(
      'a program that ends with an error fails its trial whatever it printed',
      'end it with exit code 0',
    );
    // Why it failed, as the program said it last (a Python traceback's last line): in the message a trial keeps,
    // which `trials --json` and code read, not only in the tail of its details.
    const said = lastStderrLine(outcome.stderr);
    const message = `\`${shown}\` ${describeEnd(outcome)}${said === undefined ? '' : `: ${said}`}${exit}`;
    return failed('COMMAND_FAILED', message.endsWith('.') ? message : `${message}.`, withLoss);
  }
  if (found === undefined) {
    return failed(
      'COMMAND_NO_LOSS',
      `\`${shown}\` printed no loss: expected a last line that is a JSON object with "loss" or a bare number; ` +
        `${describeLastLine(outcome.stdout)}` +
        (outcome.stdoutEncoding === undefined ? '' : `; ${outputEncodingAdvice(outcome.stdoutEncoding)}`) +
        (outcome.leftRunning === true
          ? '; processes it had started were still running in its process group when it exited, and were killed then (a job put in the background with & or nohup ends with the program: wait for it, in sh with `wait`, before exiting)'
          : outcome.leftRunning === 'maybe'
            ? '; its process group still had members when it exited (processes it had started, or ones that had ended but were not yet waited for), which were killed then: if it put a job in the background with & or nohup, that job ended with it, so wait for it (in sh, `wait`) before exiting'
            : '') +
        '.',
      { ...details, stdoutTail: outcome.stdout.slice(-1000) },
    );
  }
  // `{"pruned": true}` last: the program ended its own trial pruned, at its last report (its attrs kept).
  if (typeof found === 'object' && found !== null && (found as { pruned?: unknown }).pruned === true) {
    // A loss beside it does not make it complete (review 62: {"pruned": true, "loss": 3} completed at 3).
    const { pruned: _pruned, loss: _loss, ...fields } = found as Record<string, unknown>;
    // A line that is also a report (`step` and `value`, no `loss`) was read as the last report: those two are
    // where the trial ended, not attrs (review 62: they were stored as attrs).
    const report = parseReportLine(JSON.stringify(found));
    const { step: _step, value: _value, ...reportless } = fields;
    const rest = report !== undefined && 'report' in report ? reportless : fields;
    const judged = Object.keys(rest).length === 0 ? undefined : interpretObjectiveValue({ loss: 0, ...rest });
    const attrs = judged?.status === 'ok' ? judged.attrs : undefined;
    const refused =
      judged?.status === 'failed' && judged.error.code === 'OBJECTIVE_BAD_ATTRS' ? judged.error.message : undefined;
    return failed('PRUNED', `\`${shown}\` ended its trial pruned (it printed {"pruned": true}).`, {
      ...details,
      ...(attrs === undefined ? {} : { attrs }),
      ...(refused === undefined ? {} : { attrsRefused: refused }),
    });
  }
  const result = interpretObjectiveValue(found);
  if (result.status === 'ok') return result;
  // The result's own details (the loss of OBJECTIVE_BAD_ATTRS, which its message says is kept) stay; the line
  // the program printed is quoted (trial 130: `{"loss": 1e400}` was said only as "a loss of Infinity").
  const printedLine = tracked.line === undefined ? '' : ` \`${shown}\` printed ${quotedLine(tracked.line)}.`;
  return {
    status: 'failed',
    error: {
      ...result.error,
      message: `${result.error.message}${printedLine}`,
      details: { ...details, ...result.error.details },
    },
  };
};

/** What each reserved placeholder otherwise gives, and where the program still finds it. */
const RESERVED_PLACEHOLDERS: Readonly<Record<string, string>> = {
  trial: "the trial's number (PARZEN_TRIAL in its environment)",
  seed: "the trial's seed (PARZEN_SEED)",
  study: "the study's name (PARZEN_STUDY)",
  params: 'the params as JSON (PARZEN_PARAMS)',
};

/**
 * A parameter named `trial`, `seed`, `study` or `params` that the template uses as `{trial}`: the parameter wins
 * over the reserved placeholder, said once (trial 52: the program got a parameter's value for the trial
 * number, unsaid).
 */
const shadowedPlaceholders = (options: CommandObjectiveOptions, names: readonly string[]): string | undefined => {
  // The placeholders as expanding reads them: `{{trial}}` is literal braces (review 54), `{a: {trial}}` holds one (review 55).
  const known = new Set([...names, ...Object.keys(RESERVED_PLACEHOLDERS)]);
  const used = new Set(
    [...options.command, ...Object.values(options.env)].flatMap((element) => placeholderNames(element, known)),
  );
  const shadowed = Object.keys(RESERVED_PLACEHOLDERS).filter((name) => names.includes(name) && used.has(name));
  if (shadowed.length === 0) return undefined;
  return `the command's ${shadowed.map((name) => `{${name}}`).join(', ')} ${shadowed.length === 1 ? 'is the parameter' : 'are the parameters'} of ${shadowed.length === 1 ? 'that name' : 'those names'}, not ${shadowed.map((name) => RESERVED_PLACEHOLDERS[name]).join(', ')}: a parameter wins over a reserved placeholder.`;
};

/**
 * The bare flags a command keeps when the conditional parameter after them is left out, as notes at the flag's
 * element (`/command/2`). Review 40: a bare flag before another parameter's `{x?}` may be a switch of its own, so it
 * stays. Not for a parameter the space always has (trial 43): its `{x?}` is never left out.
 */
const keptFlags = (command: readonly string[], space: CompiledSpace | undefined): ConfigNote[] => {
  const alwaysActive = (element: string) => space?.byName.get(element.slice(1, -2))?.conditions.length === 0;
  return unpairedFlags(command)
    .filter(([, element]) => !alwaysActive(element))
    .map(([flag, element, index]) => ({
      pointer: `/command/${index}`,
      message: `the command keeps \`${flag}\` when ${element} is left out (the parameter is inactive): only a flag of the parameter's own name goes with it (\`--${element.slice(1, -2)}\`). If \`${flag}\` is that parameter's flag, write the two as one element, \`${flag}=${element}\`.`,
    }));
};

/**
 * Runs any program as the objective, once per trial: the params go in as JSON on stdin, as environment
 * variables (`PARZEN_PARAM_<NAME>`, `PARZEN_PARAMS`, `PARZEN_TRIAL`, `PARZEN_SEED`, `PARZEN_STUDY`) and through the argv
 * template; the loss comes back on stdout. A stdout line `{"step": n, "value": x}` is an intermediate
 * report, passed to the run loop as it is printed; when the pruner says stop, the program's process group
 * gets SIGTERM (SIGKILL after `pruneGraceSeconds`) and the trial fails with `PRUNED`; a timeout or the run's
 * stop ends it the same way. See
 * {@link CommandObjectiveOptions} and the package README.
 */
export const createCommandObjective = (
  /** `command`; the others default as in a config (`cwd` the `baseDir`, `stdin` json, ...). */
  given: Pick<CommandObjectiveOptions, 'command'> & Partial<CommandObjectiveOptions>,
  context: {
    baseDir: string;
    study: string;
    space?: CompiledSpace | undefined;
    services?: Services;
    /** Whether the config's notes said what the template risks (made from a config); else warned of here. */
    noted?: boolean;
  },
): ObjectiveAdapter => {
  // Options given in code are checked here (a config's against the schema first).
  assertOptions(commandObjectiveOptionsSchema, given, 'command objective', 'command');
  const options = withSchemaDefaults<CommandObjectiveOptions>(commandObjectiveOptionsSchema, given);
  const cwd = resolveConfigPath(context.baseDir, options.cwd);
  const names = context.space?.params.map((param) => param.name);
  // A literal argv element or env value no program can be given fails every trial: refused here, before the
  // first (review 138: such trials were spent until the failures rule stopped the run).
  const literal = [
    ...literalIssues(options.command, options.env, new Set(names ?? [])),
    ...(options.logFile === undefined ? [] : logFileProblems(options.logFile)),
  ];
  if (literal.length > 0) throw invalidConfig('options for the command objective', literal);
  // Variables several parameters map to are left out (trial 40: `α` and `λ`, both PARZEN_PARAM__, refused
  // a config whose program reads argv), said once.
  const leaveOut = envNameCollisions(options.paramsInEnv === false ? [] : (names ?? []));
  const env = (
    params: ExternalParams,
    evaluation: { readonly trialNumber: number; readonly seed: number },
    extra: Readonly<Record<string, string>>,
  ) =>
    commandEnv({
      params,
      trialNumber: evaluation.trialNumber,
      seed: evaluation.seed,
      study: context.study,
      extra,
      inherit: options.inheritEnv,
      leaveOut,
      paramsInEnv: options.paramsInEnv !== false,
    });
  // The programs running, each with its stop and the end of its evaluation, which `close` waits for.
  const running = new Map<AbortController, Promise<unknown>>();
  // The study's logger (stderr in the CLI), for what the program's output may have meant.
  const logger = context.services?.has(SERVICES.logger) === true ? context.services.get(SERVICES.logger) : undefined;
  const warn = logger === undefined ? undefined : (message: string) => logger.warn(message);
  const collisions = collisionWarning(leaveOut);
  if (collisions !== undefined) warn?.(collisions);
  const shadowed = shadowedPlaceholders(options, names ?? []);
  if (shadowed !== undefined) warn?.(shadowed);
  // A config's notes said these already (the manifest's `notes`); options given in code are warned of here.
  if (context.noted !== true) for (const note of keptFlags(options.command, context.space)) warn?.(note.message);
  let warnedNumberAfterLoss = false;
  // Whether the program's stdout looks buffered, judged over the run's trials (one trial's timing is weak evidence).
  const buffering = bufferingJudge();
  let warnedMisprinted = false;
  let warnedReportAfterLoss = false;
  let warnedBrokenReport = false;
  let warnedOnStderr = false;
  let warnedLog = false;
  let warnedEncoding = false;
  // A file without {trial} is shared by the trials: each line of output is then marked with its trial.
  const sharedLog =
    options.logFile !== undefined && !placeholderNames(options.logFile, new Set(['trial'])).includes('trial');
  const sayLogProblem = (log: TrialLog, trialNumber: number) => {
    if (log.problem === undefined || warnedLog) return;
    warnedLog = true;
    warn?.(
      `trial #${trialNumber}: its output is not logged (logFile): ${log.problem}. The trials go on; their results are stored as before (said once per run).`,
    );
  };
  // The trial's log file, when `logFile` is set: opened before the program starts (the opening line names the
  // command), closed with how it ended; a file that cannot be written is said once per run, and the trials go on.
  const openLog = (
    evaluation: { readonly trialNumber: number; readonly seed: number },
    argv: readonly string[],
  ): TrialLog | undefined => {
    if (options.logFile === undefined) return undefined;
    const path = resolveConfigPath(
      context.baseDir,
      expandElement(options.logFile, 'logFile', {
        params: {},
        trialNumber: evaluation.trialNumber,
        seed: evaluation.seed,
        study: context.study,
      }) as string,
    );
    const log = openTrialLog(
      path,
      `[parzen] trial #${evaluation.trialNumber} of study ${JSON.stringify(context.study)}, started ${new Date().toISOString()}: ${argv.map(shellQuoted).join(' ')}`,
      sharedLog ? `[trial #${evaluation.trialNumber}] ` : undefined,
    );
    sayLogProblem(log, evaluation.trialNumber);
    return log;
  };
  const closeLog = (log: TrialLog | undefined, evaluation: { readonly trialNumber: number }, end: string) => {
    if (log === undefined) return;
    log.close(`[parzen] trial #${evaluation.trialNumber}: ${end}`);
    sayLogProblem(log, evaluation.trialNumber);
  };
  /** A failed trial names its whole output's file (its details keep only the tails). */
  const namingLog = (result: EvaluationResult, log: TrialLog | undefined): EvaluationResult =>
    log === undefined || result.status !== 'failed'
      ? result
      : { ...result, error: { ...result.error, details: { ...result.error.details, logFile: log.path } } };
  return {
    name: 'command',
    // Killed on abort, it returns its command, stderr tail and any loss it printed: the engine's TIMEOUT
    // (`trialTimeoutSeconds`) or INTERRUPTED keeps them.
    settlesOnAbort: true,
    // A stopped program gets SIGTERM, and SIGKILL only after this (trial 153: Ctrl-C sent SIGKILL alone).
    abortGraceMs: options.pruneGraceSeconds * 1000,
    async evaluate(params, evaluation) {
      let argv: string[];
      let extraEnv: Record<string, string>;
      try {
        const template = {
          params,
          trialNumber: evaluation.trialNumber,
          seed: evaluation.seed,
          study: context.study,
          ...(names === undefined ? {} : { names }),
        };
        argv = expandArgv(options.command, template);
        extraEnv = expandEnv(options.env, template);
      } catch (error) {
        if (error instanceof TemplateError)
          return failed('COMMAND_TEMPLATE', error.message, { command: options.command });
        throw error;
      }
      const trialEnv = env(params, evaluation, extraEnv);
      // Refused before the spawn, said as such (trial 130: a 140 KB choice value failed every trial with a bare
      // `spawn E2BIG`, and three in a row stopped the run as if the program had moved).
      const unpassable = unpassableStrings(argv, trialEnv, extraEnv);
      const commandDetails = { command: argv, exitCode: null, signal: null, stderrTail: '', durationMs: 0 };
      if (unpassable.length > 0)
        return failed(
          'COMMAND_BAD_ARGS',
          unpassableMessage(argv[0] as string, unpassable, options.paramsInEnv !== false),
          commandDetails,
        );
      const stop = new AbortController();
      let ended = () => {};
      running.set(
        stop,
        new Promise<void>((resolve) => {
          ended = resolve;
        }),
      );
      // The loss line is kept as the lines are read: a program may print far more than the tail of stdout
      // that is kept (logs, a summary) after its loss.
      const lossLine = lossTracker();
      let exited = false;
      let exitedAt: number | undefined;
      let closed = false;
      // A prune decided once the program has exited, or closed its stdout after its loss, stops nothing
      // (its reports came buffered, as it ended): its own result stands. Only what Parzen has seen counts:
      // waiting for an exit that may come (tried twice) voided real prunes of flushed programs whose output a
      // loaded machine read late (the pruning example's test failed in CI).
      let lossLines = 0;
      // Reports read after a `{"loss": ...}` line wait for the next loss line (a program may log loss lines as it
      // trains: the last one is the result), which passes them on; those still waiting when stdout ends came
      // after the result and are not the trial's (trial 106: a stray step after the result was stored, and
      // changed later prune decisions; review 110: dropping them at the first loss line lost a logging program's
      // reports).
      let afterLoss = false;
      const held: { readonly line: string; readonly at: number }[] = [];
      const reports = createReportReader(
        evaluation,
        () => exited || (closed && lossLine.found !== undefined),
        () => lossLines,
      );
      const onStdoutRead = (line: string | undefined) => {
        if (line === undefined) closed = true;
        else if (lossLine.see(line) !== undefined) lossLines++;
      };
      // Whether this process held still during the trial: reports read together are then no sign of a buffered
      // stdout (trial 117: a worker stopped with SIGSTOP, then continued, was told its program's stdout was buffered).
      const stillness = watchStillness();
      const log = openLog(evaluation, argv);
      let logEnd = 'ended before its program did (an error in Parzen)';
      try {
        const startedAt = Date.now();
        const outcome = await runCommand({
          argv,
          cwd,
          env: trialEnv,
          signal: AbortSignal.any([evaluation.signal, stop.signal]),
          stderrTail: options.stderrTailChars,
          onStdoutLine: (line, at) => {
            // Said once per run (trial 49: a Python dict printed as a report was passed over in silence, so
            // the pruner never saw a value).
            if (!warnedMisprinted && looksLikePythonReport(line)) {
              warnedMisprinted = true;
              warn?.(
                `trial #${evaluation.trialNumber}: the line ${quotedLine(line)} looks like a report but is not JSON (a Python dict printed as it is), so it is not read as one and no pruner sees it: print(json.dumps({"step": step, "value": value}), flush=True).`,
              );
            }
            // Trial 106: `{"step": 1, "value": }` was passed over in silence, and the curve lost the point.
            if (!warnedBrokenReport && brokenReport(line)) {
              warnedBrokenReport = true;
              warn?.(
                `trial #${evaluation.trialNumber}: the line ${quotedLine(line)} looks like a report but is not JSON (one JSON object a line: {"step": n, "value": x}), so it is not read as one and no pruner sees it (said once per run).`,
              );
            }
            if (afterLoss && parseReportLine(line) !== undefined) {
              held.push({ line, at });
              return undefined;
            }
            // After a `{"loss": ...}` line only another such line is a result (a bare number then is ignored).
            const read = parseLossLine(line);
            const loss = afterLoss && !(typeof read === 'object' && read !== null && 'loss' in read) ? undefined : read;
            if (loss === undefined || held.length === 0) {
              if (typeof loss === 'object' && loss !== null && 'loss' in loss) afterLoss = true;
              return reports.onLine(line, at);
            }
            // A loss line after held reports: they came before it, so before the result; passed on in order.
            return (async () => {
              for (const { line: report, at: readAt } of held.splice(0)) await reports.onLine(report, readAt);
              if (typeof loss === 'object' && loss !== null && 'loss' in loss) afterLoss = true;
              await reports.onLine(line, at);
            })();
          },
          onStdoutRead,
          onExit: () => {
            exited = true;
            exitedAt = Date.now();
          },
          terminate: reports.prune,
          terminateGraceMs: options.pruneGraceSeconds * 1000,
          ...(log === undefined
            ? {}
            : { onOutput: (bytes: Buffer, stream: 'stdout' | 'stderr') => log.write(bytes, stream) }),
          ...(options.stdin === 'json' ? { input: `${JSON.stringify(params)}\n` } : {}),
          ...(options.timeoutSeconds === undefined ? {} : { timeoutMs: options.timeoutSeconds * 1000 }),
        });
        // Why a stopped program was stopped (trial 160: the log said "killed by SIGTERM" alone).
        const stoppedBy = outcome.timedOut
          ? ', stopped at its time limit (timeoutSeconds)'
          : outcome.terminated
            ? reports.prune.aborted
              ? ', stopped by the pruner'
              : ', stopped when a report of it was not accepted'
            : outcome.aborted
              ? ', stopped by the run (its stop, or trialTimeoutSeconds)'
              : '';
        logEnd =
          outcome.startError === undefined
            ? `the program ${describeEnd(outcome)} after ${(outcome.durationMs / 1000).toFixed(1)} s${stoppedBy}`
            : `the program could not be started: ${outcome.startError.message}`;
        // Each string fits, yet all together are too many (ARG_MAX).
        if ((outcome.startError as NodeJS.ErrnoException | undefined)?.code === 'E2BIG')
          return namingLog(
            failed('COMMAND_BAD_ARGS', tooLargeMessage(argv[0] as string, argv, trialEnv), {
              ...commandDetails,
              durationMs: outcome.durationMs,
            }),
            log,
          );
        // The first report read just as a pause of this process ended: held back by the pause, not by the program.
        const firstReadAt = reports.readAt[0];
        const heldStill = firstReadAt !== undefined && stillness.heldAt(firstReadAt);
        const prunedAt = reports.prunedAt();
        // Reports after the last loss line, the result: not stored (said once per run; not for a pruned program,
        // whose later lines are ignored anyway).
        const [late] = held;
        if (late !== undefined && !reports.prune.aborted && !warnedReportAfterLoss) {
          warnedReportAfterLoss = true;
          warn?.(
            `trial #${evaluation.trialNumber}: the report ${quotedLine(late.line)} came after its result, the last {"loss": ...} line, so it is not stored and no pruner saw it (a trial's reports end at its result; said once per run).`,
          );
        }
        // Output that is no UTF-8 (trial 183: Latin-1 attrs stored as U+FFFD in silence), said once per run; a trial
        // that printed no loss says it in its error.
        if (outcome.stdoutEncoding !== undefined && !warnedEncoding && lossLine.found !== undefined) {
          warnedEncoding = true;
          warn?.(
            `trial #${evaluation.trialNumber}: ${outputEncodingAdvice(outcome.stdoutEncoding)}; what it printed that is no UTF-8 is read as U+FFFD, in its attrs too (said once per run).`,
          );
        }
        // Said once per run: a bare number after the result (an epoch count printed last, say) is ignored; a
        // program that meant it as its loss is told how to give it.
        const after = lossLine.numberAfterLoss;
        if (after !== undefined && !warnedNumberAfterLoss && outcome.exitCode === 0) {
          warnedNumberAfterLoss = true;
          // Quoted as printed (`100.0`, `nan`); the advice as JSON takes it (`.5` is 0.5 there, and NaN none).
          const shown = quotedLine(after.line);
          const advice = Number.isFinite(after.value)
            ? `If ${shown} is the loss, print it as {"loss": ${jsonNumber(after)}}`
            : `Were ${shown} the loss, the trial would fail: a loss must be a finite number`;
          warn?.(
            `trial #${evaluation.trialNumber}: the program printed the bare number ${shown} after its {"loss": ...} line; ` +
              `${shown} was ignored, not taken as the loss: once a {"loss": ...} line is printed, that line is the result ` +
              '(a later {"loss": ...} line replaces it; a bare number is the loss only when no such line was printed). ' +
              `${advice} (said once per run).`,
          );
        }
        // Reports that all came at once, a second or more after the program started (Python's stdout into a pipe is
        // block-buffered, so every report arrives at its exit and the pruner can stop nothing), said once per run,
        // at the second trial that shows it: at the end (nothing pruned), or as the burst the pruner judged late (a
        // program that had already finished is then stored pruned, its loss lost).
        const evidence = stdoutEvidence({
          startedAt,
          exitedAt: exitedAt ?? startedAt + outcome.durationMs,
          readAt: reports.readAt,
          pruned: prunedAt !== undefined,
          heldStill,
        });
        const alsoBuffered = buffering.see(evaluation.trialNumber, evidence);
        if (alsoBuffered !== undefined && prunedAt === undefined)
          warn?.(
            `trial #${evaluation.trialNumber}: its ${reports.readAt.length} reports all arrived as the program ended, after ${(outcome.durationMs / 1000).toFixed(1)} s, as trial #${alsoBuffered}'s did: its stdout looks buffered (or it printed them all at its end), so a pruner sees them too late to stop it. Flush each report as it is made (Python: print(..., flush=True)), or run Python unbuffered ("python3", "-u", or PYTHONUNBUFFERED=1 in the objective's env).`,
          );
        if (alsoBuffered !== undefined && prunedAt !== undefined)
          warn?.(
            `trial #${evaluation.trialNumber}: it was pruned at step ${prunedAt.step} on a report that came with ${reports.readAt.length - 1} other${reports.readAt.length === 2 ? '' : 's'} all at once, after ${(((firstReadAt ?? startedAt) - startedAt) / 1000).toFixed(1)} s with none before, as trial #${alsoBuffered}'s reports came: its stdout looks buffered, so the pruner judged late, and a program that had already finished is stored pruned, its loss lost. Flush each report (Python: print(..., flush=True)), or run Python unbuffered ("python3", "-u", or PYTHONUNBUFFERED=1 in the objective's env).`,
          );
        // Reports written to stderr (a logger's default) are not read (trial 49), said once per run.
        if (!warnedOnStderr && reports.readAt.length === 0) {
          const onStderr = outcome.stderr.split(/\r?\n|\r/).find((line) => parseReportLine(line) !== undefined);
          if (onStderr !== undefined) {
            warnedOnStderr = true;
            warn?.(
              `trial #${evaluation.trialNumber}: the program wrote the report ${quotedLine(onStderr)} on stderr; reports are read from stdout only, so no pruner saw it (Python's logging writes to stderr: print the report instead).`,
            );
          }
        }
        const interpreted = interpretCommandOutcome(outcome, argv, options.timeoutSeconds, {
          graceSeconds: options.pruneGraceSeconds,
          lossLine,
          ...(prunedAt === undefined ? {} : { prunedAt }),
        });
        const result = namingLog(interpreted, log);
        // Told to stop only after it had finished: the trial ends as the program did, complete with its loss
        // or failed (review 45: a crash was stored pruned); the run loop prunes it otherwise.
        return reports.prunedLate() !== undefined ? { ...result, finishedBeforePrune: true } : result;
      } finally {
        closeLog(log, evaluation, logEnd);
        stillness.stop();
        running.delete(stop);
        ended();
      }
    },
    async close() {
      // Each one stopped as a stopped trial's is (SIGTERM, SIGKILL after pruneGraceSeconds), and waited for: once
      // the process exits, a group still tracked gets SIGKILL at once.
      for (const stop of running.keys()) stop.abort();
      await Promise.all(running.values());
    },
  };
};

const isFolder = (path: string): boolean => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};

/** Checks, before any trial runs, that the program exists; throws a message saying where it looked. */
const checkProgram = (options: CommandObjectiveOptions, baseDir: string): void => {
  const program = options.command[0] as string;
  const cwd = resolveConfigPath(baseDir, options.cwd);
  // A missing working folder would fail every trial with the spawn's "ENOENT" for the program.
  if (options.cwd !== undefined && !isFolder(cwd))
    throw invalidConfig('options for the command objective', [
      {
        pointer: '/cwd',
        expected: 'an existing folder',
        found: `${existsSync(cwd) ? 'a file' : 'nothing'} at ${cwd}`,
      },
    ]);
  if (/\{[^}]*\}/.test(program)) return; // a templated program name can only be checked per trial
  const env = options.inheritEnv ? { ...process.env, ...options.env } : options.env;
  const result = findExecutable(program, cwd, env.PATH);
  const problem = 'problem' in result ? result.problem : shebangProblem(result.found, env.PATH, cwd);
  if (problem !== undefined)
    throw invalidConfig('options for the command objective', [
      { pointer: '/command/0', expected: 'a program that can be run', found: problem },
    ]);
  // `env python3 train.py` runs the program env is given (trial 40: a missing one failed every trial with
  // exit code 127): the first element after env's VAR=value assignments, searched on PATH (not checked
  // after an option of env's, some of which take a value: -u NAME, -S "python3 -u").
  if (basename(program) === 'env') {
    const at = options.command.findIndex((element, index) => index > 0 && !/^[^=/{-][^=/]*=/.test(element));
    const named = options.command[at];
    // env looks it up on the PATH it sets, when it sets one (review 41: a virtualenv's PATH was refused).
    const setPath = options.command
      .slice(1, at)
      .findLast((element) => element.startsWith('PATH='))
      ?.slice('PATH='.length);
    if (named !== undefined && !named.startsWith('-') && !/\{[^}]*\}/.test(`${named}${setPath ?? ''}`)) {
      // findExecutable reads relative entries from the command's folder (review 42); an empty one is that folder.
      const searched = setPath
        ?.split(delimiter)
        .map((folder) => folder || '.')
        .join(delimiter);
      const found = findExecutable(named, cwd, searched ?? env.PATH);
      if ('problem' in found)
        throw invalidConfig('options for the command objective', [
          { pointer: `/command/${at}`, expected: 'a program that env can run', found: found.problem },
        ]);
    }
  }
  checkScript(options.command, cwd, env.PATH);
};

/**
 * Interpreters whose first argument that is no flag is the script they run, each with the flags after
 * which it runs no script file (`python -m pkg`, `node -e code`, `sh -c cmd`).
 */
const INTERPRETERS: readonly {
  readonly name: RegExp;
  /** Single-letter flags, alone or combined (`-c`, `-lc`, `-um`). */
  readonly letters: string;
  readonly long: ReadonlySet<string>;
  /** Whether it looks a script without a slash up on PATH too, as the shells do. */
  readonly searchesPath?: true;
}[] = [
  { name: /^(python|pypy)[\d.]*$/, letters: 'mc', long: new Set() },
  { name: /^(node|tsx)$/, letters: 'ep', long: new Set(['--eval', '--print']) },
  { name: /^(bash|sh|zsh|dash)$/, letters: 'c', long: new Set(), searchesPath: true },
  { name: /^(ruby|perl|Rscript)$/, letters: 'eE', long: new Set(['--expr']) },
  { name: /^julia$/, letters: 'e', long: new Set(['--eval']) },
];

const SCRIPT_FILE = /\.(py|sh|bash|js|mjs|cjs|ts|mts|r|R|rb|pl|jl)$/;

/**
 * A script an interpreter is told to run must exist (trial 34: `["python3", "trian.py"]` was valid, and
 * every trial of the run failed the same way, using up the study's budget): checked when the command is
 * an interpreter and the script's name is written out (not a template).
 */
const checkScript = (command: readonly string[], cwd: string, pathVariable: string | undefined): void => {
  const interpreter = INTERPRETERS.find(({ name }) => name.test(basename(command[0] as string)));
  if (interpreter === undefined) return;
  for (let at = 1; at < command.length; at++) {
    const arg = command[at] as string;
    if (interpreter.long.has(arg)) return;
    if (/^-[^-]/.test(arg) && [...arg.slice(1)].some((letter) => interpreter.letters.includes(letter))) return;
    if (arg.startsWith('-')) continue;
    if (!SCRIPT_FILE.test(arg) || /\{[^}]*\}/.test(arg)) return;
    const path = resolve(cwd, arg);
    if (!existsSync(path) && !(interpreter.searchesPath === true && !arg.includes('/') && onPath(arg, pathVariable)))
      throw invalidConfig('options for the command objective', [
        {
          pointer: `/command/${at}`,
          expected: `a script that exists (${basename(command[0] as string)} runs it)`,
          found: `nothing at ${path}${lookAlikeFileHint(path)}`,
        },
      ]);
    return;
  }
};

/**
 * Checks, before any trial runs, the template against the space (every `{name}` is a parameter or a
 * reserved name, no element holds parameters that are never active together) and that no two ASCII names
 * share a `PARZEN_PARAM_` variable.
 */
const checkAgainstSpace = (options: CommandObjectiveOptions, space: CompiledSpace | undefined): void => {
  if (space === undefined) return;
  const names = space.params.map((param) => param.name);
  const always = alwaysActiveParams(space);
  const conditional = new Map(
    space.params.flatMap((param) =>
      always.has(param.name) ? [] : [[param.name, (param.conditions[0] as { parent: string }).parent] as const],
    ),
  );
  const known = new Set(names);
  const usedInTemplate = new Set(
    [...options.command, ...Object.values(options.env ?? {})].flatMap((element) => placeholderNames(element, known)),
  );
  const problems = [
    ...templateProblems(options.command, options.env, names, '', conditional),
    ...neverTogetherProblems(options.command, options.env ?? {}, names, (together) => {
      const found = requiredChoices(space, together);
      return 'conflict' in found ? found.conflict : undefined;
    }),
    // No PARZEN_PARAM_ variable is set without paramsInEnv (trial 167: its collisions were refused all the same).
    ...(options.paramsInEnv === false ? [] : asciiCollisionIssues(envNameCollisions(names))),
    // Trial 130: a choice option holding NUL, or too long for an environment string, passed validate and
    // failed every trial that drew it.
    ...unpassableOptionIssues(
      space,
      options.paramsInEnv !== false,
      usedInTemplate,
      // `{params}` is the JSON of the params unless a parameter has that name (review 140: its value then).
      !known.has('params') &&
        [...options.command, ...Object.values(options.env ?? {})].some((element) =>
          placeholderNames(element, new Set(['params'])).includes('params'),
        ),
    ),
  ];
  if (problems.length > 0)
    throw invalidConfig('options for the command objective (checked against the space)', problems);
};

/** `{ "use": "command", "options": { "command": ["python3", "train.py", "--lr", "{lr}"] } }`. */
export const commandObjectiveManifest = defineObjective<CommandObjectiveOptions>({
  name: 'command',
  description:
    'Runs a program per trial (params on stdin, in env and argv); reads the loss from its last {"loss": ...} stdout line (without one, its last bare number).',
  optionsSchema: commandObjectiveOptionsSchema,
  // Said by `parzen validate` with the config's pointer, and once when a run starts (trial 162: a flag kept without
  // its value was a warning of the run alone).
  notes: (options, _written, { space }) => [
    ...loneClosingEscapes(options.command, options.env ?? {}),
    ...(space === undefined ? [] : keptFlags(options.command, space)),
  ],
  create: (options, context) => {
    checkAgainstSpace(options, context.space);
    checkProgram(options, context.baseDir);
    return createCommandObjective(options, { ...context, noted: true });
  },
});
