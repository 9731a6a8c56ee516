import { ParzenError, type PluginChoice } from '@parzen/engine';
import { shellQuoted } from '@parzen/engine/host';
import { endsWithSeparator, formatIssues, passwordMasked, resolveConfigPath } from '@parzen/engine/plugin';
import { CliError, EXIT } from './exit-codes.js';

/** A mistake in the `--store` flag: its `--json` error names no config file (see `CliError`'s `place.flag`). */
const storeFlagError = (message: string): CliError =>
  new CliError(message, EXIT.badInput, 'CLI_INPUT', { flag: '--store' });

const POSTGRES_URL = /^postgres(?:ql)?:\/\//;

/** The `--store` text each parsed choice came from, so a message about it can quote what the user typed. */
const typedSpecs = new WeakMap<PluginChoice, string>();

/** The flag as the user typed it, for messages: `--store "sqlit:x.db"`. */
export const storeFlag = (spec: string): string => `--store ${JSON.stringify(withoutPassword(spec))}`;

/**
 * A spec with the password of a URL in it masked (review 53: the flag was quoted with the password; trial 161: so was a
 * URL that does not parse, and `postgres:USER:PASSWORD@HOST`). A file store's path is left as it is.
 */
const withoutPassword = (spec: string): string =>
  /^postgres(?:ql)?:/i.test(spec.trim()) || spec.includes('//') || /password=/i.test(spec)
    ? passwordMasked(spec)
    : spec;

/**
 * A spec for a command to run, with a URL's password taken out (not masked: a masked URL fails as shown), and
 * whether there was one. The postgres store takes none in its URL: it reads it from PGPASSWORD.
 */
export const specWithoutPassword = (spec: string): { readonly spec: string; readonly removed: boolean } => {
  const masked = withoutPassword(spec);
  const withoutUserPassword = masked === spec ? spec : masked.replace(/:\*\*\*@/, '@');
  // A `password=` parameter, with the separator it leaves at the end when it was the last one (only then).
  const withoutParameter = withoutUserPassword.replace(/([?&])password=[^&\s]*(&?)/i, (_, separator, next) =>
    next === '' ? '' : separator,
  );
  return { spec: withoutParameter, removed: withoutParameter !== spec };
};

/** The `--store` text a choice {@link parseStoreSpec} made came from, as typed (else undefined). */
export const typedSpec = (choice: PluginChoice): string | undefined => typedSpecs.get(choice);

/** {@link storeFlag} for a choice {@link parseStoreSpec} made, else `--store`. */
export const storeFlagLabel = (choice: PluginChoice): string => {
  const typed = typedSpecs.get(choice);
  return typed === undefined ? '--store' : storeFlag(typed);
};

/**
 * Parses `--store SPEC`: `memory`, `jsonl`, `jsonl:./x.jsonl`, `sqlite:./x.db`, `postgres:URL` (or the
 * URL alone, `postgres://user@host/db`), or `<plugin>:<path>` for any store plugin taking a `path`. A
 * relative path is relative to the working directory (where the user typed it), not to the config; `~/…` is in
 * the home folder.
 */
export const parseStoreSpec = (spec: string, cwd: string = process.cwd()): PluginChoice => {
  const choice = parseSpec(spec, cwd);
  typedSpecs.set(choice, spec);
  return choice;
};

const parseSpec = (spec: string, cwd: string): PluginChoice => {
  const trimmed = spec.trim();
  if (POSTGRES_URL.test(trimmed)) return { use: 'postgres', options: { url: trimmed } };
  if (trimmed.startsWith('postgres:')) return { use: 'postgres', options: { url: trimmed.slice('postgres:'.length) } };
  const match = /^([A-Za-z0-9][A-Za-z0-9._-]*)(?::(.+))?$/.exec(spec.trim());
  // A path where a store name goes (`--store ./study.jsonl`, `/data/study.db`): the form meant (trial 62: only
  // a bare file name was offered one).
  const kind = storeKindOf(trimmed);
  if (match === null && kind !== undefined && /[\\/]/.test(trimmed))
    throw storeFlagError(
      `${storeFlag(spec)}: expected a store name or NAME:PATH, found a path; did you mean --store ${shellQuoted(`${kind}:${trimmed}`)}?`,
    );
  if (match === null)
    throw storeFlagError(
      `${storeFlag(spec)}: expected NAME or NAME:PATH, e.g. sqlite:./study.db, jsonl:./study.jsonl, postgres:postgres://user@host/db or memory.`,
    );
  const [, use, path] = match as unknown as [string, string, string | undefined];
  // A file name where a store name goes (`--store study.jsonl`): say which form was meant.
  if (path === undefined && use.includes('.')) {
    throw storeFlagError(
      `${storeFlag(spec)}: expected a store name or NAME:PATH, found a file name` +
        (kind === undefined
          ? '; e.g. jsonl:./study.jsonl or sqlite:./study.db.'
          : `; did you mean --store ${shellQuoted(`${kind}:${use}`)}?`),
    );
  }
  // (Trial 62: said as "an unknown field `path`", which the user never wrote.)
  if (use === 'memory' && path !== undefined)
    throw storeFlagError(
      `${storeFlag(spec)}: the memory store keeps nothing on disk, so it takes no path: --store memory.`,
    );
  // Optuna's storage URL (SQLAlchemy's: `sqlite:///x.db` is x.db here, `sqlite:////data/x.db` is /data/x.db):
  // read as a path, `///x.db` would be /x.db at the root of the file system (trial 100).
  if (use === 'sqlite' && path?.startsWith('//') === true) {
    const meant = path.startsWith('////') ? path.slice(3) : path.replace(/^\/+/, '');
    throw storeFlagError(
      `${storeFlag(spec)}: an SQLAlchemy URL, as Optuna's storage takes it; Parzen's form is sqlite:PATH: did you mean --store sqlite:${meant}?`,
    );
  }
  // A folder's path: resolved, it would lose its slash and name a file (review 89: `jsonl:./out/` made `out`).
  if (path !== undefined && (use === 'jsonl' || use === 'sqlite') && endsWithSeparator(path))
    throw storeFlagError(
      `${storeFlag(spec)}: expected the path of a file the store keeps the study in, found a folder's path (it ends with a slash).`,
    );
  // `~/…` is the home folder (a shell does not expand it after `jsonl:`; trial 159: a folder named `~` was made).
  return path === undefined ? { use } : { use, options: { path: resolveConfigPath(cwd, path) } };
};

/** The built-in file store a file name's extension suggests. */
const storeKindOf = (file: string): 'jsonl' | 'sqlite' | undefined =>
  /\.jsonl$/i.test(file) ? 'jsonl' : /\.(db|sqlite3?)$/i.test(file) ? 'sqlite' : undefined;

/** How a store's "no study here" error names the run that creates the store. */
const RUN_CREATES = '`parzen run CONFIG`';

/**
 * A store problem found in a config whose store came from `--store` (`flag`, as the user typed it, or
 * `--store`): said of the flag, since the config may have no `store` at all (a typo such as
 * `--store sqlit:x.db` was reported at `/store/use` of a config without one). Any other error as it is.
 */
export const blameStoreFlag = (error: unknown, flag: string): unknown => {
  // A store not there yet names the run that creates it: with the flag, that run needs the flag too (review 125:
  // `parzen run CONFIG` would write the config's own store).
  if (error instanceof ParzenError && error.code === 'STUDY_NOT_FOUND' && error.message.includes(RUN_CREATES))
    return new ParzenError(error.code, error.message.replace(RUN_CREATES, `\`parzen run CONFIG ${flag}\``), {
      cause: error,
    });
  const issues = error instanceof ParzenError ? error.issues : [];
  if (issues.length === 0 || issues.some((issue) => !issue.pointer.startsWith('/store'))) return error;
  // A store's own account (a server's reason: "database does not exist", what to do) kept whole, said of
  // the flag (review 67: replaced by its bare expected/found line).
  if (error instanceof ParzenError && !error.message.startsWith('Invalid '))
    // Without the config pointers listed under it: the flag, not the config, named the store.
    return new ParzenError(error.code, `${flag}: ${error.message.replace(`\n${formatIssues(issues)}`, '')}`, {
      cause: error,
    });
  // NAME:PATH for a store plugin that takes no `path` (trial 127: said as a garbled pair of field issues).
  const noPath = issues.find((issue) => issue.pointer === '/store/options/path' && /unknown field/.test(issue.found));
  if (noPath !== undefined)
    return storeFlagError(
      `${flag}: NAME:PATH sets a store's \`path\` option, which this store does not take (${noPath.expected}); give its options in the config's "store" instead.`,
    );
  const said = issues.map((issue) => {
    const where = issue.pointer === '/store/use' ? '' : ` (${issue.pointer.slice('/store/'.length)})`;
    // A plugin's store is known through a config's "plugins" only (trial 127: nothing said so).
    // Not for a near miss of a built-in one (review 135: `sqlit` got both hints).
    const plugin =
      issue.pointer === '/store/use' && /store plugins/.test(issue.expected) && !/did you mean/.test(issue.found)
        ? ' (a store plugin is known only through the "plugins" of a config given with the flag)'
        : '';
    // The engine's word on listing a package in "plugins" is the config's: the flag's own replaces it.
    const expected = plugin === '' ? issue.expected : issue.expected.replace(/; a plugin of another package .*$/, '');
    return `expected ${expected}${where}, found ${issue.found}${plugin}`;
  });
  return storeFlagError(`${flag}: ${said.join('; ')}.`);
};

/**
 * For a `.catch` around opening a store that the `--store` flag (`flag`, as typed; undefined without one)
 * chose: the error said of the flag (its password masked) when there is one, as it is otherwise.
 */
export const throwOfStoreFlag =
  (flag: string | undefined) =>
  (error: unknown): never => {
    // The flag as typed (review 70: looked up by the parsed choice, which the loaded config no longer is,
    // report and explain said a bare `--store`).
    throw flag === undefined ? error : blameStoreFlag(error, storeFlag(flag));
  };
