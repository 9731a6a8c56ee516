import { ParzenError } from '@parzen/engine';
import { PARZEN_VERSION } from '@parzen/engine/version';
import { Command, CommanderError, Option } from 'commander';
import type { ReportFlags } from './commands/report.js';
import type { RunFlags } from './commands/run.js';
import { ConfigProblems } from './config-problems.js';
import { configsOfCommand } from './early-signals.js';
import { CliError, EXIT, EXIT_CODES_HELP } from './exit-codes.js';
import { tolerateClosedReaders } from './flush-streams.js';
import { type Output, processOutput } from './output.js';
import {
  FLAG_MAX_CONCURRENCY,
  FLAG_MAX_TRIALS,
  importanceMethod,
  integer,
  maxTrialsFlag,
  nonNegativeInteger,
  nonNegativeIntegerUpTo,
  numberList,
  port,
  positiveInteger,
  positiveIntegerUpTo,
  positiveSeconds,
  trialStates,
  whereCondition,
} from './parse-flags.js';
import { reportError } from './report-error.js';

/** The forms of `--store SPEC`, the same for every command that takes it (see `parseStoreSpec`). */
const STORE_FORMS =
  'jsonl[:PATH], sqlite:PATH, postgres:postgres://USER@HOST/DB (the password from PGPASSWORD), or NAME:PATH for a store plugin (paths relative to the working directory; ~/ is the home folder)';
const SALVAGE_HELP =
  'read a damaged store anyway: a JSONL journal skipping (and naming) each line that is no record, a SQLite database each trial it cannot read';
const WHERE_HELP =
  "the value as the objective sees it (a choice's option value: model=mlp; a number by value to 12 significant digits: depth=4, q=0.3 for a stored 0.30000000000000004; true, false, null; a string option that reads as another value in double quotes: 'size=\"4\"'); a trial without the parameter (its choices left it out) has none; the flag again for each condition, all of which must hold (--where model=mlp --where optimizer=adam)";
/** `--study` of the commands that read a study: any study of the store, not only those the config describes. */
const readStudy = (what: string): string =>
  `the study to ${what}, by name: any study the store holds (the config's store, or --store's), not only one the config describes (default: the config's, or the store's only study); run's --study instead runs only one of the config's own studies`;
const READ_STORE = `read this store instead of the config's (enough on its own, no config needed, except a store plugin's NAME:PATH, whose plugin a config's "plugins" loads): ${STORE_FORMS}`;

const runOptions = (command: Command): Command =>
  command
    .option('--seed <n>', 'study seed (overrides the config)', integer)
    .option('--max-trials <n>', 'stop when the study has this many trials, earlier runs included', maxTrialsFlag)
    .option(
      '--more-trials <n>',
      "run this many trials beyond those the study already has when this run starts (workers started together each count from the size they see: give a fleet --max-trials); 0 runs none and prints the study's summary (a study not made yet is not created: said on stderr)",
      nonNegativeIntegerUpTo(FLAG_MAX_TRIALS),
    )
    .option(
      '--max-seconds <s>',
      "time limit of each study's run, in seconds, not of the whole batch: each study of a matrix or of several configs gets its own (replaces the config's budget.maxSeconds); no trial starts after it, running ones finish",
      positiveSeconds,
    )
    .option('--concurrency <n>', 'trials evaluated at once', positiveIntegerUpTo(FLAG_MAX_CONCURRENCY))
    .option(
      '--store <spec>',
      `store to use: memory, ${STORE_FORMS}; a bare jsonl or sqlite is the file <name>.parzen.jsonl or <name>.parzen.db beside the config`,
    )
    .option(
      '--study <name>',
      "only this study of the config: one of a matrix's studies (to top up one study of a batch, with --more-trials), refused when the config does not describe it; the read commands' --study (trials, best, export, explain, report) reads any study of the store instead",
    )
    .option('--json', 'print the result as one JSON line last on stdout')
    .option(
      '--quiet',
      "print only the summary (no progress; one config's summary says a study this run started); with --json only the JSON line, stderr then carrying only warnings and errors",
    );

const chomp = (text: string): string => (text.endsWith('\n') ? text.slice(0, -1) : text);

/** Builds the `parzen` program; each action stores its exit code in `exit.code`. */
export const buildProgram = (output: Output, exit: { code: number }): Command => {
  const program = new Command('parzen')
    .description(
      'Declarative hyperparameter optimization: run and inspect experiments described by a JSON or YAML config.',
    )
    // The build's version, as a study records it (`0.1.0+COMMIT` when built from a git checkout).
    .version(PARZEN_VERSION)
    .exitOverride()
    // Help, the version and flag errors go through `output` too, so an in-process caller gets them all.
    .configureOutput({
      writeOut: (text) => output.result(chomp(text)),
      writeErr: (text) => output.note(chomp(text)),
      // A flag error in the same one-line form as every other error (`parzen: ...`), not commander's `error: ...`.
      outputError: (text, write) => write(text.replace(/^error: /, 'parzen: ')),
    })
    .showHelpAfterError('(run `parzen --help` for usage)')
    // The config a command reads, for the `--json` line of a Ctrl-C that stops it (a command's first argument).
    .hook('preAction', (_program, command) => {
      const [first] = command.processedArgs as unknown[];
      configsOfCommand(Array.isArray(first) ? first : typeof first === 'string' ? [first] : []);
    })
    .addHelpText('after', `\n${EXIT_CODES_HELP.join('\n')}`);
  runOptions(
    program
      .command('run')
      .argument('<config...>', 'experiment configs (JSON or YAML); several, or a matrix, run as a batch'),
  )
    .description('Run (or continue) the experiments; several configs or a matrix print a comparison table.')
    .action(async (configs: string[], flags: RunFlags) => {
      exit.code = await (await import('./commands/run.js')).runConfigs(configs, flags, output);
    });
  runOptions(program.command('resume').argument('<config>', 'experiment config of a study that exists in its store'))
    .description('Continue an existing study to its budget (fails if the store has no such study).')
    .action(async (config: string, flags: RunFlags) => {
      exit.code = await (await import('./commands/run.js')).runConfigs([config], flags, output, true);
    });
  program
    .command('validate')
    .summary(
      'Check configs without running: schema, space, plugin options, objective, and a study already in the store.',
    )
    .argument('<config...>', 'experiment configs')
    .option('--json', 'print {"valid": [...]} or {"errors": [...]} as the last stdout line')
    .description(
      'Check configs (schema, space, plugin options, objective module or program, and a study already in its store: same space and direction, a jsonl/sqlite store file that is there readable as one; noted: another seed, suggester or suggester settings, how many enqueued entries already ran or were removed from the queue, entries still waiting that the config no longer lists, a maxTrials already spent, a jsonl/sqlite store switched beside the config, and a store file named after the study that holds only other studies) without running.',
    )
    .action(async (configs: string[], flags: { json?: boolean }) => {
      exit.code = await (await import('./commands/validate.js')).validateConfigs(configs, output, flags.json === true);
    });
  program
    .command('trials')
    .summary("List the study's trials (read-only): params, loss, state, short attrs; --json, --jsonl or --csv.")
    .argument('[configs...]', 'experiment configs (optional with --store): their studies are listed together')
    .addOption(new Option('--json', 'one JSON array').conflicts(['csv', 'jsonl']))
    .addOption(
      new Option(
        '--jsonl',
        'one JSON object per trial per line, written as it is formatted (for jq; head stops it early), once the study is read',
      ).conflicts(['csv', 'json']),
    )
    .addOption(
      new Option(
        '--csv',
        "CSV with a header (a matrix config's studies: a matrix.KEY column per matrix key, last, what the study's variant set)",
      ).conflicts(['json', 'jsonl']),
    )
    .option(
      '--params <names>',
      'only these columns, in this order: parameters, and attrs.NAME for an attribute (then only the attributes named are listed); comma-separated, or the flag again for each: a flag whose whole value is one name is that name, commas and all (--params x --params "attrs.a,b")',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .addOption(
      new Option('--state <states>', 'only trials in these states, comma-separated: complete, pruned, failed, running')
        .argParser(trialStates)
        .conflicts(['top']),
    )
    .option(
      '--top <n>',
      "only the n best complete trials of each study, best first (by loss in the study's direction)",
      positiveInteger,
    )
    .option('--where <name=value>', `only trials whose parameter has this value: ${WHERE_HELP}`, whereCondition)
    .option('--store <spec>', READ_STORE)
    .option('--study <name>', readStudy('read'))
    .option('--salvage', SALVAGE_HELP)
    .description(
      'List the study\'s trials (read-only; values decoded with the space stored with the study), with their short attrs (attrs.NAME) and, for a trial that ran an enqueued entry, the params the entry fixed (--json and --jsonl: "enqueued"; --csv: an "enqueued" column, last, the same entry as JSON).',
    )
    .action(async (configs: string[], flags) => {
      exit.code = await (await import('./commands/inspect.js')).listTrials(configs, flags, output);
    });
  program
    .command('studies')
    .summary('List the studies a store holds: suggester, trials by state, best loss (read-only).')
    .argument('[config]', "experiment config: its store's studies (optional with --store)")
    .option('--json', 'one JSON array (given a matrix config, each line has "values": what its matrix set, or null)')
    .option('--store <spec>', READ_STORE)
    .option('--salvage', SALVAGE_HELP)
    .description(
      "List the studies a store holds: suggester (with its profile), trials by state, best loss (read-only); given a matrix config, what its study names' digest labels stand for.",
    )
    .action(async (config: string | undefined, flags) => {
      exit.code = await (await import('./commands/inspect.js')).listStoreStudies(config, flags, output);
    });
  program
    .command('best')
    .summary("Show the study's best trial: the complete trial with the best observed loss (read-only).")
    .argument('[configs...]', "experiment configs (optional with --store): each study's best")
    .option('--json', 'one JSON line (a matrix variant\'s study with "values": what its matrix set, the seed too)')
    .option(
      '--where <name=value>',
      `the best of the trials whose parameter has this value (the counts then are theirs; none complete: exit 1): ${WHERE_HELP}`,
      whereCondition,
    )
    .option('--store <spec>', READ_STORE)
    .option('--study <name>', readStudy('read'))
    .option('--salvage', SALVAGE_HELP)
    .description(
      "Show the study's best trial: the complete trial with the lowest observed loss (the highest when maximizing); with a noisy objective, its luckiest draw (read-only).",
    )
    .action(async (configs: string[], flags) => {
      exit.code = await (await import('./commands/inspect.js')).showBest(configs, flags, output);
    });
  program
    .command('explain')
    .summary('Show the params TPE would suggest next and how it chose them; --trial N for a past trial (read-only).')
    .argument('[config]', 'experiment config (optional with --store)')
    .option('--seed <n>', 'the seed `run --seed N` would use (overrides the config and the store)', integer)
    .option(
      '--trial <n>',
      "explain how a past trial's params were chosen instead: its suggestion replayed from the trials before it, with its own random stream, an enqueued entry's values kept (said when the replay differs from what it stored)",
      nonNegativeInteger,
    )
    .option(
      '--json',
      'one JSON line: the params and the explanation in full (the densities on a grid, every candidate); with --trial, also "stored", "reproduced", "settings" ("config", or "store" when only the stored TPE settings and seed replay the trial, and with --store alone), "enqueued" (the params an enqueued entry gave the trial) and "enqueuedAll" (it gave them all) for a trial that ran an entry, and "haltonPoint" for a start-up trial the quasi-random start-up drew (trial n takes point n; given only when the replay gives the stored values)',
    )
    .option('--store <spec>', READ_STORE)
    .option('--study <name>', readStudy('read'))
    .description(
      "Show the params TPE would suggest for the study's next trial, if no other finished first, and how it chose them; with --trial N, how it chose trial N's (read-only).",
    )
    .action(async (config: string | undefined, flags) => {
      exit.code = await (await import('./commands/explain.js')).explainNext(config, flags, output);
    });
  program
    .command('export')
    .summary("Write the study's finished trials as JSONL, to import them elsewhere (read-only).")
    .argument('[config]', 'experiment config (optional with --store)')
    .option('-o, --output <file>', 'write the JSONL here (default: stdout); a .csv or .tsv name is refused')
    .option('--store <spec>', READ_STORE)
    .option('--study <name>', readStudy('export'))
    .option(
      '--where <name=value>',
      `only the trials whose parameter has this value (the header's trial count and waiting entries, and --json's count, then are theirs): ${WHERE_HELP}`,
      whereCondition,
    )
    .option('--salvage', SALVAGE_HELP)
    .option('--json', 'with -o: print {"study", "output", "trials", "leftOut", "nonFinite"} as the last stdout line')
    // Refused with the command that writes CSV (trial 153: `unknown option '--csv'` said nothing of it).
    .addOption(new Option('--csv').hideHelp())
    .description(
      "Write the study's finished trials as JSONL (read-only), to import them elsewhere; for CSV: `parzen trials CONFIG --csv`.",
    )
    .action(async (config: string | undefined, flags) => {
      exit.code = await (await import('./commands/export.js')).exportStudy(config, flags, output);
    });
  program
    .command('import')
    .argument('<config>', 'experiment config: the trials go to its study, in its store')
    .argument(
      '<file>',
      'a `parzen export` file, results JSONL ({"params": {...}, "loss": n} a line) or a CSV; - reads standard input (JSON lines when its first line begins with {, else CSV)',
    )
    .option('--on-invalid <mode>', 'reject: any invalid line imports nothing; skip: import the other lines', 'reject')
    .option('--store <spec>', `import into this store instead of the config's: ${STORE_FORMS}`)
    .option('--study <name>', "the study to import into: one of a matrix config's (default: the config's only one)")
    .option(
      '--allow-repeats',
      "import even when no row is new: each a copy of one of the study's trials, or a repeat of one without times of its own (a file imported before); copies are then imported too",
    )
    .option(
      '--skip-repeats',
      'leave out the rows that repeat a trial the study has (same params, state, loss and error: a file imported again), said by line, and import the rest (exit 0 when none is new); not with --allow-repeats',
    )
    .option(
      '--json',
      'print {"study", "store", "imported": [numbers], "finished", "importedBefore", "notImported", "foreign" (a rescue file\'s trials and lines: see the CLI README), "skipped": [lines], "repeatsOfStudy", "repeatedLines", "skippedRepeats": [lines]} as the last stdout line ("interrupted": SIGNAL too after a Ctrl-C; "studyTakenOut": true|false, on an error\'s line too, when this import created the study: true when it took it out again as it imported nothing)',
    )
    .option(
      '--ignore-header',
      "read an export's rows only, leaving its header aside (the study it came from: its space, direction, seed and suggester, and its count of trial lines), for a study whose space or direction was changed on purpose",
    )
    .description("Add finished trials to the config's study (created if needed), all or none.")
    .action(async (config: string, file: string, flags) => {
      exit.code = await (await import('./commands/import.js')).importTrials(config, file, flags, output);
    });
  program
    .command('report')
    .argument('[config...]', 'experiment configs; several, or a matrix, give a comparison page (none: --store)')
    .option(
      '-o, --output <path>',
      'the HTML file (default report.html), or the folder for --format svg (default report-svg)',
    )
    .option('--store <spec>', `read this store instead of the config's (without a config: its study): ${STORE_FORMS}`)
    .option('--study <name>', readStudy('report'))
    .option('--salvage', SALVAGE_HELP)
    .option('--format <format>', 'html (one self-contained file) or svg (one file per chart)', 'html')
    .option(
      '--contour [file#export]',
      "draw the objective's contours under the pair plots: the config's module objective, or a cheap function of the params",
    )
    .option(
      '--pair <x,y>',
      'a pair of numeric parameters to plot (repeat for more; default: pairs of the 4 most important that 5 finished trials set together)',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option(
      '--contour-levels <list>',
      'with --contour: the levels to draw, e.g. -0.5,-0.2,0,1,20 (default: 10 at quantiles of the values)',
      numberList,
    )
    .option(
      '--importance <method>',
      "fanova (the default: the share of the loss's variance each parameter explains, by a random forest) or ped-anova (how differently the best 10 % of trials are spread)",
      importanceMethod,
    )
    .option(
      '--every <n>',
      'replay TPE after every n trials, and at the last trial (default: about 10 snapshots)',
      positiveInteger,
    )
    .option(
      '--trial <n>',
      'replay TPE at trial n: its suggestion drawn as a snapshot (repeat for more; with --every, beside the spaced ones; without, only these)',
      (value: string, previous: number[] = []) => [...previous, nonNegativeInteger(value)],
    )
    .option(
      '--no-next',
      'leave out the page\'s "Next suggestion" section: the params TPE would give the next trial, and its model now, as parzen explain computes them (drawn by default for a TPE study)',
    )
    .option(
      '--serve',
      'serve the page on 127.0.0.1 and update it as trials finish, from before the study runs too; a --trial the study has not reached yet is drawn once it does (Ctrl-C stops)',
    )
    .option('--port <n>', 'port for --serve (default: any free port)', port)
    .option('--interval <ms>', 'how often --serve reads the store (default 1000)', positiveInteger)
    .option(
      '--json',
      'print {"format", "output", "files" (svg), "studies": [{"name", "trials"}], "notes"} as the last stdout line',
    )
    .description("Write the study's report: what TPE saw, the optimization history, importance, slices and the trials.")
    .action(async (configs: string[], flags: ReportFlags) => {
      exit.code = await (await import('./commands/report.js')).reportConfigs(configs, flags, output);
    });
  program
    .command('queue')
    .summary("List the enqueued entries waiting in the study's queue; with --remove, take entries out.")
    .argument('[config]', 'experiment config: its study, in its store (optional with --store)')
    .option(
      '--remove <key>',
      "take the waiting entry of this key out of the queue (the flag again for each); a config's entry has the key enqueue:<its JSON>#<occurrence>. Quote it for the shell, which otherwise takes its double quotes and braces: paste it as the listing shows it, in single quotes ('enqueue:{\"x\":0.7}#0')",
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option(
      '--remove-params <json>',
      'take out every waiting entry with exactly these params, a JSON object as the listing shows them, in single quotes (\'{"x":0.25}\'): an entry queued without a key is taken out this way (the flag again for each)',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option(
      '--remove-unlisted',
      "take out every waiting entry an earlier run's config queued that this config's enqueue list no longer has",
    )
    .option(
      '--store <spec>',
      `the study's store instead of the config's (enough on its own, no config needed, except for --remove-unlisted and a store plugin's NAME:PATH, whose plugin a config's "plugins" loads): ${STORE_FORMS}`,
    )
    .option('--study <name>', "the study (default: the config's, or the store's only study; a matrix config's by name)")
    .option(
      '--json',
      'print {"study", "waiting": [{"params", "key", "unlisted"}], "removed": [...]} as the last stdout line',
    )
    .description(
      "List the enqueued entries waiting in the study's queue, in the order they are handed out, with their keys (read-only; a key is shown as a shell reads it back, in single quotes when it needs them, and --json gives it as it is); with --remove, --remove-params or --remove-unlisted, take waiting entries out, all or none (one a trial took cannot be), their keys still queued so a run does not queue them again.",
    )
    // More words than a config: refused by showQueue, which tells a key the shell split apart (review 151).
    .allowExcessArguments()
    .action(async (config: string | undefined, flags, command: Command) => {
      exit.code = await (await import('./commands/queue.js')).showQueue(config, flags, output, command.args.slice(1));
    });
  program
    .command('delete')
    .summary('Delete one study from its store, with its trials and enqueued entries; the other studies stay.')
    .argument('[config]', 'experiment config: its study, in its store (optional with --store and --study)')
    .option('--store <spec>', `the study's store instead of the config's: ${STORE_FORMS}`)
    .option(
      '--study <name>',
      "the study to delete, by name: any study of the store (the config's, or --store's), as the read commands' --study reads one the config does not describe too; needed with --store and no config, and for a matrix config (default: the config's one study)",
    )
    .option(
      '--yes',
      'delete without asking: needed where there is no terminal to ask at (a script, CI); at a terminal the command asks, naming the study, its store and its trials',
    )
    .option(
      '--force',
      "delete even while workers run its trials: each then stops at its next call to the store, its running trials' results not recorded (kept in its rescue file)",
    )
    .option(
      '--json',
      'print {"study", "store", "deleted", "trials": {complete, pruned, failed, running}} as the last stdout line',
    )
    .description(
      "Delete one study from its store, with its trials, intermediate values and enqueued entries, all or none; the store's other studies stay. Asks first at a terminal (elsewhere needs --yes); refuses a study live workers run (--force); keep a copy first with `parzen export`.",
    )
    .action(async (config: string | undefined, flags) => {
      exit.code = await (await import('./commands/delete.js')).deleteStudyCommand(config, flags, output);
    });
  program
    .command('schema')
    .argument('[config]', 'also include the options of the plugins this config lists')
    .description('Print the JSON Schema of experiment configs (for editors: "$schema").')
    .action(async (config: string | undefined) => {
      exit.code = await (await import('./commands/schema.js')).printSchema(config, output);
    });
  // Each command's usage hint names its own help (`parzen trials --help`, not `parzen --help`), and a
  // flag other tools have gets what does it here instead of commander's nearest spelling (`--sort`: `--store`).
  for (const command of program.commands) {
    command.showHelpAfterError(`(run \`parzen ${command.name()} --help\` for usage)`);
    command.configureOutput({
      outputError: (text, write) => write(withFlagHint(command.name(), text.replace(/^error: /, 'parzen: '))),
    });
  }
  return program;
};

/** Flags of other tools a command does not have, by command: what does it here. */
const FLAG_HINTS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  trials: Object.fromEntries(
    ['--sort', '--sort-by', '--sortby', '--order', '--order-by', '--orderby', '--best', '--head', '--limit'].map(
      (flag) => [
        flag,
        '(trials are listed by number; `--top N` lists the N best complete trials, best first, and `parzen best` the best one)',
      ],
    ),
  ),
};

/** A flag error with the hint {@link FLAG_HINTS} has for its flag in place of commander's did-you-mean. */
const withFlagHint = (command: string, text: string): string => {
  const flag = /unknown option '(--[\w-]+)/.exec(text)?.[1];
  const hint = flag === undefined ? undefined : FLAG_HINTS[command]?.[flag.toLowerCase()];
  if (hint === undefined) return text;
  return `${text.replace(/\n\(Did you mean [^)]*\)/, '').trimEnd()}\n${hint}\n`;
};

/**
 * Runs the CLI on `argv` (as `process.argv`) and returns the exit code; never throws. Writing to the process's
 * own stdout and stderr (no `output` given), it lets their reader go away as the `parzen` binary does
 * (`node tune.mjs | head -1`): what is left to print is dropped, and the command goes on.
 */
export const runCli = async (argv: readonly string[], output: Output = processOutput): Promise<number> => {
  // Trial 149: called from a script, an objective's console.log into a closed pipe (EPIPE) was an uncaught
  // error, said as "the objective threw outside its call", or a crash with a stack.
  // Only for the call, unless the reader went away during it (review 147: a host script printing on after
  // runCli returned kept writing into the closed pipe instead of ending as Node programs do).
  const untolerate = output === processOutput ? tolerateClosedReaders() : () => {};
  const exit = { code: EXIT.ok as number };
  let json = false;
  // The command named, for the words its errors are said in.
  let command: Command | undefined;
  try {
    const program = buildProgram(output, exit);
    // The command line's command and its own arguments, found once for the checks before commander parses it.
    const args = argv.slice(2);
    command = commandOf(program, args);
    if (command !== undefined) {
      const own = ownArgs(args);
      json = jsonAsked(command, own);
      refuseRepeatedFlags(command, own);
      refuseFlagsAsValues(command, own);
    } else {
      // A mistyped command (`parzen rnu cfg.json --json | jq`): the error as JSON too, or the pipe read nothing.
      const end = args.indexOf('--');
      json = (end === -1 ? args : args.slice(0, end)).includes('--json');
    }
    await program.parseAsync(helpOfUnknown(program, argv));
    // A --json result is a script's: lost to a reader that left (`parzen best --json | ./record` whose recorder
    // died), the command failed, as `run --json` (which says so itself) and `export -o` fail then.
    if (json && exit.code === EXIT.ok) {
      await output.flushResults?.();
      if (output.readerGone?.() === true) {
        output.note(
          'parzen: OUTPUT_FAILED: the command ran to its end (what it changes is changed), but the reader of stdout closed the pipe before its --json result was all written: the result was lost, and the command exits 1.',
        );
        return EXIT.studyError;
      }
    }
    return exit.code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help asked for is done; help shown because no command was given (`parzen`, `parzen $EMPTY`) is bad
      // input, so a script's `set -e` stops there (trial 69: exit 0).
      const done =
        ['commander.helpDisplayed', 'commander.version'].includes(error.code) ||
        (error.code === 'commander.help' && error.exitCode === 0);
      if (done) return EXIT.ok;
      // Commander printed the message on stderr; a script that parses `--json` gets it as an error line too.
      if (json)
        output.result(
          JSON.stringify({
            errors: [{ file: null, code: 'CLI_INPUT', message: error.message.replace(/^error: /, ''), issues: [] }],
          }),
        );
      return EXIT.badInput;
    }
    // A study not in its store, after the command's verb (`Nothing to list: study ...`).
    const said = missingStudyError(error)
      ? (await import('./missing-study.js')).sayMissing(command?.name(), error)
      : error;
    return reportError(said, json, output);
  } finally {
    // Kept when the reader went away during the call: what the command wrote last still fails after it returns.
    if (output.readerGone?.() !== true) untolerate();
  }
};

/** Whether `error` may say a study not in its store (alone, or a config's problem). */
const missingStudyError = (error: unknown): boolean =>
  error instanceof ConfigProblems || (error instanceof ParzenError && error.code === 'STUDY_NOT_FOUND');

/** The command an argument list names (its first word that is no flag), if it is one. */
const commandOf = (program: Command, args: readonly string[]): Command | undefined => {
  const name = args.find((arg) => !arg.startsWith('-'));
  return program.commands.find((candidate) => candidate.name() === name || candidate.aliases().includes(name ?? ''));
};

/** The command's own arguments: those after its name and before any `--`. */
const ownArgs = (args: readonly string[]): readonly string[] => {
  const start = args.findIndex((arg) => !arg.startsWith('-')) + 1;
  const end = args.indexOf('--');
  return args.slice(start, end === -1 ? args.length : end);
};

/** Whether `arg` is an option of `command` that takes the next argument as its value (`-o FILE`). */
const takesNext = (command: Command, arg: string): boolean =>
  command.options.some((option) => option.required && (arg === option.long || arg === option.short));

/**
 * Whether the command line asks for `--json` output (errors too then go to stdout as JSON): the command has the
 * flag and it is given as the flag, before any `--` and not as another option's value (trial 88: `--json` after
 * `--`, as `--study`'s value or to `schema`, which has none, made errors JSON).
 */
const jsonAsked = (command: Command, own: readonly string[]): boolean => {
  if (!command.options.some((option) => option.long === '--json')) return false;
  return own.some((arg, i) => arg === '--json' && !(i > 0 && takesNext(command, own[i - 1] as string)));
};

/**
 * Refuses an option whose value is one of its command's own flags (trial 88: `export CFG -o --json`, as a script's
 * `-o $OUT` with `OUT` empty gives, wrote a file named `--json` and exited 0). `--out=--json` still says it is meant.
 */
const refuseFlagsAsValues = (command: Command, own: readonly string[]): void => {
  const flags = new Set(['--help', '-h', ...command.options.flatMap((option) => [option.long, option.short])]);
  own.forEach((arg, i) => {
    const next = own[i + 1];
    if (next !== undefined && takesNext(command, arg) && flags.has(next)) {
      const option = command.options.find((candidate) => arg === candidate.long || arg === candidate.short);
      const long = option?.long ?? arg;
      throw new CliError(
        `${arg} needs a value and got \`${next}\`, one of the flags of \`${command.name()}\` (an empty variable?): give ${arg} its value, or write ${long}=${next} if that is the value.`,
      );
    }
  });
};

/**
 * Flags given once per value on purpose (`--pair x,y --pair x,z`, `--params 'a, b' --params c`), and those of one
 * command only (`report --trial 40 --trial 59`; explain's --trial is one trial).
 */
const REPEATABLE = new Set(['--pair', '--params', '--remove', '--remove-params', '--where', 'report --trial']);

/**
 * Refuses a flag with a value given twice to one command (`--seed 1 --seed 2`), where the last would win without
 * a word (trial 62). (`--max-trials` with `--more-trials` is two limits, the first reached ends the run: N more,
 * never past a total, as a fleet's worker may want; review 63.)
 */
const refuseRepeatedFlags = (command: Command, own: readonly string[]): void => {
  const given = own.filter((arg) => arg.startsWith('-'));
  for (const option of command.options) {
    if (
      option.long === undefined ||
      !(option.required || option.optional) ||
      REPEATABLE.has(option.long) ||
      REPEATABLE.has(`${command.name()} ${option.long}`)
    )
      continue;
    const times = given.filter(
      (arg) =>
        arg === option.long ||
        arg.startsWith(`${option.long}=`) ||
        (option.short !== undefined && arg === option.short),
    ).length;
    if (times > 1)
      throw new CliError(
        `${option.long} is given ${times} times: give it once (otherwise the last would win without a word).`,
      );
  }
};

/**
 * `help X` and `X --help` for an X that is no command: the command line as `X` alone, so the unknown command is
 * an error with its did-you-mean (trial 62: `parzen help runn` printed the whole help and exited 0).
 */
const helpOfUnknown = (program: Command, argv: readonly string[]): string[] => {
  const args = argv.slice(2);
  const asked =
    args[0] === 'help'
      ? args[1]
      : args.includes('--help') || args.includes('-h')
        ? args.find((arg) => !arg.startsWith('-'))
        : undefined;
  const known = (name: string) =>
    name === 'help' || program.commands.some((command) => command.name() === name || command.aliases().includes(name));
  return asked === undefined || known(asked) ? [...argv] : [...argv.slice(0, 2), asked];
};
