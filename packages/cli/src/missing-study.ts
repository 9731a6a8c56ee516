import { existsSync } from 'node:fs';
import { type LoadedExperiment, ParzenError, type PluginChoice } from '@parzen/engine';
import { didYouMean } from '@parzen/engine/host';
import { passwordMasked, type TrialStore } from '@parzen/engine/plugin';
import { commandOf, storeFlagWords } from './command-words.js';
import { ConfigProblems } from './config-problems.js';
import { listNames } from './list-names.js';
import { type PreparedRun, storeFile, storeKeepsNothing } from './prepare-runs.js';

/** How many of the studies a store holds a missing study's sentence names (then `and N more`). */
const HELD_SHOWN = 5;

/** The config a missing study was asked for by: the path as the user typed it, and the flags that named its study. */
export interface AskedBy {
  /** Several: a batch's configs. */
  readonly path: string | readonly string[];
  /** `--store` as typed, when the flag chose the store. */
  readonly store?: string | undefined;
  /** The `--study` a run of the config needs to start this study alone (a matrix's variant). */
  readonly study?: string | undefined;
}

/** What is known of a study its store does not hold: enough to say it in one sentence and what starts it. */
export interface MissingFacts {
  /** The studies asked for (several: a matrix none of whose studies is there); none: the store's only study. */
  readonly studies: readonly string[];
  /** The store's choice: its kind, and its file or URL. */
  readonly store: PluginChoice;
  /** The store's file (a file store's, as a run resolves it), when it keeps the study in one. */
  readonly file?: string | undefined;
  /** The studies the store holds, when it lists them. */
  readonly held?: readonly string[] | undefined;
  /** The config, when one was given; absent: `--store` alone. */
  readonly config?: AskedBy | undefined;
  /** `--store` as typed, when the flag chose the store (with or without a config). */
  readonly storeFlag?: string | undefined;
  /** The study is one a run of the config makes (its own, a matrix's); else a `--study` of another name. */
  readonly own: boolean;
  /** A matrix config's studies, for a `--study` that is none of them. */
  readonly matrixStudies?: readonly string[] | undefined;
  /** A sentence the command adds after (what a run of the config will do first, say). */
  readonly after?: string | undefined;
  /** Studies of a batch kept in different stores: each study's store in words (`g1: sqlite store /x/a.db`). */
  readonly storeOfEach?: readonly string[] | undefined;
}

/** The verb of each command that reads a study, put first when the study is not there (`Nothing to list: ...`). */
const VERBS: Readonly<Record<string, { readonly verb: string; readonly starts: boolean }>> = {
  trials: { verb: 'Nothing to list', starts: true },
  best: { verb: 'No best trial to show', starts: true },
  explain: { verb: 'Nothing to explain', starts: true },
  export: { verb: 'Nothing to export', starts: true },
  report: { verb: 'Nothing to report', starts: true },
  queue: { verb: 'No queue to list', starts: true },
  studies: { verb: 'Nothing to list', starts: true },
  resume: { verb: 'Nothing to resume', starts: true },
  // A study not there is nothing to delete: a run that would make it is no advice here.
  delete: { verb: 'Nothing to delete', starts: false },
};

const quoted = (names: readonly string[], shown: number): string =>
  listNames(
    names.map((name) => `\`${name}\``),
    shown,
  );

/** The store in words: its kind and its file, or its URL (its password masked). */
const storeWords = (facts: MissingFacts): string => {
  const { use, options } = facts.store;
  const url = (options as { url?: unknown } | undefined)?.url;
  const where = facts.file ?? (typeof url === 'string' ? passwordMasked(url) : undefined);
  return where === undefined ? `${use} store` : `${use} store ${where}`;
};

/** The command that starts the study (none: no run of a config the user gave would make it). */
const startCommand = (facts: MissingFacts): string | undefined => {
  const { config } = facts;
  if (config === undefined || !facts.own) return undefined;
  const flags = {
    ...(config.store === undefined ? {} : { store: config.store }),
    ...(config.study === undefined || facts.studies.length !== 1 ? {} : { study: config.study }),
  };
  return commandOf('run', config.path, flags).command;
};

/**
 * A study its store does not hold, in one sentence (after the command's verb, {@link sayMissing}): the study, its store
 * (its kind and file or URL, whether the file is there, the studies it holds, the first few), and the command that
 * starts it (`parzen run CONFIG` as the user typed it), or what to do with `--store` alone.
 */
export const missingSentence = (facts: MissingFacts, starts = true): string => {
  const { studies, held } = facts;
  const one = studies.length === 1;
  const them = studies.length === 0 ? 'its study' : one ? 'it' : 'them';
  const its = facts.config === undefined ? 'the' : 'its';
  const subject =
    studies.length === 0
      ? undefined
      : one
        ? `study \`${studies[0]}\``
        : `none of the ${studies.length} studies (${listNames(studies)})`;
  const start = starts ? startCommand(facts) : undefined;
  if (storeKeepsNothing(facts.store)) {
    const gone = 'which keeps nothing after its run';
    const memory = facts.store.use === 'memory' ? 'memory store' : 'sqlite store in memory (`:memory:`)';
    if (facts.config === undefined)
      return `${subject === undefined ? 'no study is' : `${subject} is not`} in a ${memory}, ${gone}${starts ? '; read the store the study ran in: --store jsonl:PATH or sqlite:PATH' : ''}`;
    // Review 180: "is kept in its memory store, which keeps nothing" contradicted itself.
    const what = subject === undefined ? 'no study is there' : one ? `${subject} is not there` : `${subject} is there`;
    const kept = !starts
      ? ''
      : facts.storeFlag !== undefined
        ? `; \`${commandOf('run', facts.config.path, { store: 'jsonl' }).command}\` keeps ${them} in a jsonl file beside the config, which --store jsonl reads`
        : facts.store.use !== 'memory'
          ? `; give its sqlite store a file ("path": "./study.db"), then \`${commandOf('run', facts.config.path, {}).command}\` keeps ${them}`
          : `; give the config a jsonl or sqlite store ("store": {"use": "jsonl"}), then \`${commandOf('run', facts.config.path, {}).command}\` keeps ${them}`;
    return `${what}: ${facts.storeFlag === undefined ? 'its' : 'a'} ${memory} keeps nothing after its run${kept}`;
  }
  // Review 180: a batch's studies in different stores were said to be in the first one's.
  if (facts.storeOfEach !== undefined) {
    const said = `${subject ?? 'no study'} is in ${one ? 'its store' : 'their stores'} (${facts.storeOfEach.join('; ')})`;
    return start === undefined ? said : `${said}; \`${start}\` starts ${them}`;
  }
  const store = `${its} ${storeWords(facts)}`;
  const absent = facts.file !== undefined && !existsSync(facts.file);
  const place =
    subject === undefined
      ? `${store} holds no study`
      : one
        ? `${subject} is not in ${store}`
        : `${subject} is in ${store}`;
  let said: string;
  // `--store` alone: a run of some config with the flag starts a study in that store.
  const flagRun =
    starts && facts.config === undefined && facts.storeFlag !== undefined
      ? `\`parzen run CONFIG ${storeFlagWords(facts.storeFlag)}\` starts ${
          // Review 180: a run of CONFIG starts CONFIG's study, this one only if the config has its name.
          subject === undefined ? 'one there' : `it there, for a CONFIG whose "name" is \`${studies[0]}\``
        }`
      : undefined;
  if (absent && flagRun !== undefined)
    said = `${subject === undefined ? `${store} is` : `${place},`} a file not there yet: check the path, or ${flagRun}`;
  else if (absent && subject === undefined)
    said = `${store} is a file not there yet (${facts.config === undefined ? "check the store's path" : "has a study run in it? else check the store's path"})`;
  else if (absent)
    said = `${place}, a file not there yet (${facts.own && facts.config !== undefined ? `${one ? 'has the study' : 'have the studies'} run? else check the store's path` : "check the store's path"})`;
  else if (held === undefined) said = place;
  else if (held.length === 0)
    said = subject === undefined ? `${store} holds no study yet` : `${place}, which holds no study yet`;
  else {
    const lister = commandOf(
      'studies',
      facts.config?.path,
      facts.storeFlag === undefined ? {} : { store: facts.storeFlag },
    ).command;
    const more = held.length > HELD_SHOWN ? ` (\`${lister}\` lists them)` : '';
    said = `${place}, which holds ${quoted(held, HELD_SHOWN)}${more}${nearName(facts)}`;
  }
  if (facts.matrixStudies !== undefined && !facts.own)
    said += `, and --study picks one of the config's matrix studies, which are ${listNames(facts.matrixStudies)}`;
  if (start !== undefined) return `${said}; \`${start}\` starts ${them}`;
  return flagRun === undefined || absent ? said : `${said}; ${flagRun}`;
};

/**
 * A name the store holds that the asked one may have meant: for the config's own study, one that differs only in case
 * (trial 167: "First" beside "first"); for a `--study`, any near one (`--study quadd` for `quad`).
 */
const nearName = ({ studies, held = [], own }: MissingFacts): string => {
  const [name] = studies;
  if (name === undefined || studies.length !== 1) return '';
  if (!own) return didYouMean(name, held);
  const variants = held.filter((other) => other !== name && other.toLowerCase() === name.toLowerCase());
  return variants.length === 0
    ? ''
    : ` (${quoted(variants, HELD_SHOWN)} ${variants.length === 1 ? 'differs' : 'differ'} from \`${name}\` only in case: a typo?)`;
};

const afterSaid = ({ after }: MissingFacts): string => (after === undefined ? '' : ` ${after}`);

/** A study its store does not hold (`STUDY_NOT_FOUND`), with what is known of it to say it per command. */
export class StudyMissing extends ParzenError {
  constructor(
    readonly facts: MissingFacts,
    cause?: unknown,
  ) {
    const sentence = missingSentence(facts);
    super('STUDY_NOT_FOUND', `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.${afterSaid(facts)}`, { cause });
  }
}

/** The config a prepared run's study is asked for by: its path, `--store` as typed, and a matrix variant's `--study`. */
export const askedByRun = (run: PreparedRun, flags: { readonly store?: string | undefined }): AskedBy => ({
  path: run.configPath,
  store: flags.store,
  study: Object.keys(run.variant.indices).length === 0 ? undefined : run.experiment.config.name,
});

/**
 * The error of studies none of which is in its store (a matrix's, a batch's): said together when each is a
 * {@link StudyMissing}, the store named when they share one; else the first.
 */
export const missingTogether = (errors: readonly unknown[]): unknown => {
  const [first] = errors;
  if (errors.length < 2 || !errors.every((error) => error instanceof StudyMissing)) return first;
  const all = errors.map((error) => (error as StudyMissing).facts);
  const facts = all[0] as MissingFacts;
  const paths = [...new Set(all.flatMap(({ config }) => (config === undefined ? [] : [config.path].flat())))];
  const eachStore = all.map((each) => storeWords(each));
  const storeOfEach =
    new Set(eachStore).size === 1
      ? undefined
      : all.flatMap(({ studies }, at) => studies.map((name) => `\`${name}\`: ${eachStore[at]}`));
  return new StudyMissing(
    {
      ...facts,
      storeOfEach,
      // One `--study` looked for in each store of a matrix kept per study is one study.
      studies: [...new Set(all.flatMap(({ studies }) => studies))],
      file: all.every(({ file }) => file === facts.file) ? facts.file : undefined,
      held: all.every(({ file }) => file === facts.file) ? facts.held : undefined,
      ...(facts.config === undefined ? {} : { config: { ...facts.config, path: paths, study: undefined } }),
    },
    first,
  );
};

/** The studies the store held when `error` (a {@link StudyMissing}) was said, if it listed them. */
export const studiesHeldBeside = (error: unknown): readonly string[] | undefined =>
  error instanceof StudyMissing ? error.facts.held : undefined;

/** The studies `store` holds, when it lists them (undefined when it cannot). */
export const heldStudies = async (store: TrialStore | undefined): Promise<readonly string[] | undefined> =>
  (await store?.listStudies?.().catch(() => undefined))?.map((study) => study.name);

/**
 * `error` said as {@link StudyMissing} when it is a `STUDY_NOT_FOUND` of the study `facts` names (the store's
 * "has no study", or its file not there yet), with the studies `store` holds; any other error as it is.
 */
export const missingStudy = async (
  error: unknown,
  facts: Omit<MissingFacts, 'held'>,
  store?: TrialStore,
): Promise<unknown> => {
  if (!(error instanceof ParzenError) || error.code !== 'STUDY_NOT_FOUND' || error instanceof StudyMissing)
    return error;
  return new StudyMissing({ ...facts, held: await heldStudies(store) }, error);
};

/** {@link missingStudy} for the study of a config's experiment (its own), asked for by the config at `by`. */
export const missingOfExperiment = (
  error: unknown,
  experiment: LoadedExperiment,
  by: AskedBy | undefined,
  store?: TrialStore,
): Promise<unknown> =>
  missingStudy(
    error,
    {
      studies: [experiment.config.name],
      store: experiment.config.store,
      file: storeFile(experiment),
      config: by,
      storeFlag: by?.store,
      own: true,
    },
    store,
  );

/**
 * The error as the command `command` says it: a {@link StudyMissing} (alone, or a config's problem) after the
 * command's verb (`Nothing to list: study ...`), and for `delete` without the run that would start it.
 */
export const sayMissing = (command: string | undefined, error: unknown): unknown => {
  const words = command === undefined ? undefined : VERBS[command];
  if (words === undefined) return error;
  const said = (one: unknown): unknown =>
    one instanceof StudyMissing
      ? new ParzenError(
          'STUDY_NOT_FOUND',
          `${words.verb}: ${missingSentence(one.facts, words.starts)}.${afterSaid(one.facts)}`,
          {
            cause: one,
          },
        )
      : one;
  return error instanceof ConfigProblems
    ? new ConfigProblems(
        error.problems.map((problem) => ({ ...problem, error: said(problem.error) })),
        error.prepared,
      )
    : said(error);
};
