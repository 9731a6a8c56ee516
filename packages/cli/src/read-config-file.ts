import { closeSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, extname, isAbsolute, resolve } from 'node:path';
import { shellQuoted } from '@parzen/engine/host';
import { isJournalFile } from '@parzen/store-file';
import { CliError, EXIT } from './exit-codes.js';
import { duplicateKeys, MAX_DEPTH, tooDeep } from './json-checks.js';
import { notUtf8Text } from './utf8-text.js';

const lineAndColumn = (text: string, position: number): string => {
  const before = text.slice(0, position).split('\n');
  return `line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`;
};

const parseJson = (text: string, path: string): unknown => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch (error) {
    const message = (error as Error).message;
    const token = /^Unexpected token '(.)'/.exec(message)?.[1];
    const position =
      /position (\d+)/.exec(message)?.[1] ?? (token === undefined ? undefined : outsideStrings(text, token));
    const where = position === undefined ? '' : ` at ${lineAndColumn(text, Number(position))}`;
    const char = token ?? (position === undefined ? undefined : text[Number(position)]);
    const comma = trailingComma(text);
    const hint =
      comma !== undefined
        ? ` (JSON has no comma after the last item of an object or array: remove the one at ${lineAndColumn(text, comma)})`
        : char === undefined
          ? ''
          : (TOKEN_HINTS[char] ?? '');
    // The place said once, as a line and column: the parser's own `in JSON at position 2` left out.
    const said =
      where === '' ? message : message.replace(/(?: in JSON)? at position \d+(?: \(line \d+ column \d+\))?$/, '');
    // With an issue as every CONFIG_INVALID has (trial 88: `--json` had no `issues` for this one).
    throw new CliError(`${path}: not valid JSON${where}: ${said}${hint}`, EXIT.badInput, 'CONFIG_INVALID', {
      issues: [{ pointer: '', expected: 'valid JSON', found: `${said}${where}${hint}` }],
    });
  }
  checkDepth(parsed, path);
  const duplicates = duplicateKeys(text);
  if (duplicates.length > 0)
    throw new CliError(
      `${path}: ${duplicates
        .slice(0, SHOWN_DUPLICATES)
        .map(({ pointer, position }) => `the key at ${pointer} appears twice (${lineAndColumn(text, position)})`)
        .join(
          '; ',
        )}${duplicates.length > SHOWN_DUPLICATES ? `, and ${(duplicates.length - SHOWN_DUPLICATES).toLocaleString('en')} more keys` : ''}; JSON keeps only the last value, so remove one.`,
      EXIT.badInput,
      'CONFIG_INVALID',
      {
        issues: duplicates.map(({ pointer, position }) => ({
          pointer,
          expected: 'each key once',
          found: `the key again (${lineAndColumn(text, position)})`,
        })),
      },
    );
  return withoutExtensionKeys(parsed);
};

/** How many duplicate keys a message names (review 63: 20,000 made one line of 1.3 MB). */
const SHOWN_DUPLICATES = 10;

/** What to do about a character JSON has no use for, when Node names it. */
const TOKEN_HINTS: Readonly<Record<string, string>> = {
  '/': ' (JSON has no comments: remove them, or write the config in YAML, .yaml, which has)',
  N: ' (JSON has no NaN: leave the key out, or use null where the schema allows it)',
  I: ' (JSON has no Infinity: use a large number)',
  "'": ' (JSON strings take double quotes)',
};

/**
 * The first trailing comma (outside strings, only white space before a `}` or `]`) when trailing commas are what
 * makes the text invalid: without them all it parses (review 63: a comma in a comment, or one later than
 * another mistake, got the hint and lost the right one).
 */
const trailingComma = (text: string): number | undefined => {
  const commas: number[] = [];
  let inString = false;
  let comma: number | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if ((c === '}' || c === ']') && comma !== undefined) commas.push(comma);
    if (c === ',') comma = i;
    else if (!/\s/.test(c)) comma = undefined;
    if (c === '"') inString = true;
  }
  if (commas.length === 0) return undefined;
  // In one pass (review 64: a copy per comma took 8 s for 20,000 of them).
  const parts: string[] = [];
  let from = 0;
  for (const at of commas) {
    parts.push(text.slice(from, at), ' ');
    from = at + 1;
  }
  parts.push(text.slice(from));
  const without = parts.join('');
  try {
    JSON.parse(without);
    return commas[0];
  } catch {
    return undefined;
  }
};

/**
 * Where `char` first stands outside a string literal: Node's "Unexpected token" message names the
 * character but not its place (it quotes the start of the file instead).
 */
const outsideStrings = (text: string, char: string): string | undefined => {
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === char) return String(i);
  }
  return undefined;
};

/** Nesting past {@link MAX_DEPTH} levels is refused before anything walks the config recursively. */
const checkDepth = (parsed: unknown, path: string): void => {
  const pointer = tooDeep(parsed);
  if (pointer !== undefined)
    throw new CliError(
      `${path}: nested deeper than ${MAX_DEPTH} levels (at ${pointer.slice(0, 200)}).`,
      EXIT.badInput,
      'CONFIG_INVALID',
    );
};

/**
 * A config's top-level `x-...` keys are not config fields, so they are left out before the config is checked:
 * in YAML they hold anchors for the rest of the file (`x-common: &common {...}`, as compose files do), in
 * JSON notes; the printed schema allows them (trial 48: an editor flagged the documented anchors).
 */
const withoutExtensionKeys = (parsed: unknown): unknown =>
  typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
    ? Object.fromEntries(Object.entries(parsed).filter(([key]) => !key.startsWith('x-')))
    : parsed;

/**
 * YAML: duplicate keys are errors, and an alias bomb stops at yaml's alias limit; any error the parser
 * raises (its own, or a stack overflow on absurd nesting) is bad input, not a crash.
 */
const parseYamlText = (text: string, path: string): unknown => {
  let parsed: unknown;
  try {
    // Loaded for YAML configs only (its Node build is CommonJS), so JSON configs never load the parser.
    const { parse } = createRequire(import.meta.url)('yaml') as typeof import('yaml');
    // Merge keys (`<<: *anchor`) as YAML 1.1 has them, the usual way to vary a shared block (trial 36).
    parsed = parse(text, { prettyErrors: true, maxAliasCount: 100, uniqueKeys: true, merge: true }) as unknown;
  } catch (error) {
    // Without the carriage returns of a CRLF file, which hid the excerpt's ^ marker (trial 68).
    const message = (error instanceof Error ? error.message : String(error)).replaceAll('\r', '');
    // The parser's advice is for its own API (trial 62: "please use YAML.parseAllDocuments()").
    const several = /^Source contains multiple documents/.exec(message);
    throw new CliError(
      several === null
        ? `${path}: not valid YAML: ${message}`
        : `${path}: not valid YAML: a config is one YAML document, and a \`---\` line starts another (keep one, or put each in a file of its own)${message.slice(several[0].length).replace(/^; please use YAML\.parseAllDocuments\(\)/, '')}`,
      EXIT.badInput,
      'CONFIG_INVALID',
    );
  }
  checkDepth(parsed, path);
  return withoutExtensionKeys(parsed);
};

/** The most a config file may hold: a config's enqueued entries are at most 100,000, well within it. */
const MAX_CONFIG_BYTES = 64 * 1024 * 1024;

/**
 * The file as UTF-8 text, read at most {@link MAX_CONFIG_BYTES} (trial 62: `validate /dev/zero` read on until it
 * was killed, and a 300 MB file was read whole before its error). Pipes (`<(...)`) are read too.
 */
const readBounded = (path: string): Buffer => {
  const fd = openSync(path, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(1024 * 1024);
      const read = readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      total += read;
      if (total > MAX_CONFIG_BYTES)
        throw new CliError(
          `${path}: is larger than ${MAX_CONFIG_BYTES / 1024 / 1024} MiB, more than a config holds; trials to add belong in a file for \`parzen import\`.`,
          EXIT.badInput,
          'CONFIG_INVALID',
        );
      chunks.push(chunk.subarray(0, read));
    }
    return Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
};

/** Source files a config may name (an objective module, a program), by extension: what they are. */
const SOURCE_FILES: Readonly<Record<string, string>> = {
  '.js': 'a JavaScript module',
  '.mjs': 'a JavaScript module',
  '.cjs': 'a JavaScript module',
  '.jsx': 'a JavaScript module',
  '.ts': 'a TypeScript module',
  '.mts': 'a TypeScript module',
  '.cts': 'a TypeScript module',
  '.tsx': 'a TypeScript module',
  '.py': 'a Python program',
  '.sh': 'a shell script',
};

/**
 * What a file given as the config is when it is plainly no config, said before it is parsed (trial 167: a module
 * was read as YAML, `/export default ...: found an unknown field`, and a journal gave a YAML syntax error).
 */
const notAConfig = (path: string, text: string): string | undefined => {
  const extension = extname(path).toLowerCase();
  const source = SOURCE_FILES[extension];
  if (source !== undefined)
    return `${source}, not a config: expected a JSON or YAML config (.json, .yaml or .yml), which names ${
      source.endsWith('module')
        ? `its objective module in "objective" ({"use": "module", "options": {"path": ${JSON.stringify(`./${basename(path)}`)}}})`
        : `the program in "objective" ({"use": "command", "options": {"command": [...]}})`
    }.`;
  if (extension === '.json' || extension === '.yaml' || extension === '.yml') return undefined;
  // The file again, by the journal store's own rule: only a regular file (a pipe is read once).
  if (statSync(path, { throwIfNoEntry: false })?.isFile() === true && isJournalFile(path))
    return `a Parzen journal (a study store), not a config: list its studies with \`parzen studies --store jsonl:${shellQuoted(path)}\`; a config names its store in "store".`;
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  if (lines.length > 1 && isJsonLines(lines))
    return 'JSON Lines (a JSON value on each line: trials for `parzen import`, an export, an events file?), not a config: expected one JSON or YAML object.';
  return undefined;
};

/** Whether the first lines are each a JSON object (and the text as a whole is not JSON). */
const isJsonLines = (lines: readonly string[]): boolean => {
  const parses = (text: string) => {
    try {
      return typeof JSON.parse(text) === 'object';
    } catch {
      return false;
    }
  };
  return lines.slice(0, 5).every((line) => line.trim().startsWith('{') && parses(line)) && !parses(lines.join('\n'));
};

/**
 * Reads an experiment config: `.json` as JSON, `.yaml`/`.yml` as YAML, anything else as JSON if it
 * parses, else YAML. A missing file or a syntax error is a {@link CliError} (exit 2) naming the file and
 * the line and column; so are duplicate keys, nesting deeper than {@link MAX_DEPTH} levels and a YAML
 * alias bomb. A UTF-8 byte order mark is ignored.
 */
export const readConfigFile = (path: string): unknown => {
  try {
    return readConfigText(path);
  } catch (error) {
    // Every CONFIG_INVALID carries issues in `--json` (review 91: bad YAML, an empty or binary file had none).
    if (!(error instanceof CliError) || error.code !== 'CONFIG_INVALID' || error.place.issues !== undefined)
      throw error;
    const found = error.message.startsWith(`${path}: `) ? error.message.slice(path.length + 2) : error.message;
    throw new CliError(error.message, error.exitCode, error.code, {
      ...error.place,
      issues: [{ pointer: '', expected: 'a config: one JSON or YAML object', found }],
    });
  }
};

/**
 * A reader of config files that reads each path once (`read`, by default {@link readConfigFile}): a command that needs
 * a config at several steps (its check, the files `-o` must not overwrite) gets what was read first, or its error
 * again. A config from a pipe (`/dev/stdin`) is there once.
 */
export const readingOnce = (read: (path: string) => unknown = readConfigFile): ((path: string) => unknown) => {
  const known = new Map<string, { readonly value: unknown } | { readonly error: unknown }>();
  return (path) => {
    let found = known.get(path);
    if (found === undefined) {
      try {
        found = { value: read(path) };
      } catch (error) {
        found = { error };
      }
      known.set(path, found);
    }
    if ('error' in found) throw found.error;
    return found.value;
  };
};

const readConfigText = (path: string): unknown => {
  let text: string;
  // Checked on the bytes below (review 63: a U+FFFD the file holds was taken for a decoding failure).
  let bytes: Buffer;
  try {
    bytes = readBounded(path);
    text = bytes.toString('utf8');
  } catch (error) {
    if (error instanceof CliError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(
      code === 'ENOENT'
        ? // `-` is standard input only for import's trials (trial 88: `run -` said no more); a config from a
          // pipe is read by the path of standard input.
          `${path}: no such config file${
            path === '-'
              ? '. A config is read from a path: for standard input give /dev/stdin (`envsubst < t.json | parzen run /dev/stdin`), whose relative paths (store, objective) then resolve from the working folder; `-` is standard input only for the trials file of `parzen import`.'
              : isAbsolute(path)
                ? '.'
                : // Where it was looked for (trial 104: `pnpm parzen` runs from the repository root, not the shell's folder).
                  ` (looked for ${resolve(path)}, from the folder ${process.cwd()}).`
          }`
        : code === 'EISDIR'
          ? `${path}: is a folder, not a config file.`
          : `${path}: cannot read: ${(error as Error).message}`,
    );
  }
  text = text.replace(/^\uFEFF/, ''); // a UTF-8 byte order mark (Windows editors) is not content
  // Said as what they are, the same way for JSON and YAML (trial 62: three wordings for an empty file, and a
  // binary file's bytes echoed to the terminal).
  if (text.trim() === '')
    throw new CliError(
      `${path}: the file is empty; expected a config (an object with at least \`space\` and \`objective\`).`,
      EXIT.badInput,
      'CONFIG_INVALID',
    );
  if (bytes.subarray(0, 16).toString('latin1') === 'SQLite format 3\0')
    throw new CliError(
      `${path}: is a SQLite database (a study store), not a config: list its studies with \`parzen studies --store sqlite:${shellQuoted(path)}\`; a config names its store in "store".`,
      EXIT.badInput,
      'CONFIG_INVALID',
    );
  const notText = notUtf8Text(path, bytes, 'a JSON or YAML config');
  if (notText !== undefined) throw new CliError(notText, EXIT.badInput, 'CONFIG_INVALID');
  const other = notAConfig(path, text);
  if (other !== undefined) throw new CliError(`${path}: is ${other}`, EXIT.badInput, 'CONFIG_INVALID');
  const extension = extname(path).toLowerCase();
  if (extension === '.json') return parseJson(text, path);
  if (extension === '.yaml' || extension === '.yml') return parseYamlText(text, path);
  try {
    JSON.parse(text);
  } catch {
    return parseYamlText(text, path);
  }
  return parseJson(text, path);
};

/**
 * The folder a config's relative paths (store, objective module, plugins) resolve against: the folder of the file
 * itself, with symbolic links resolved (the file's and its folders'), so one config reached through a linked folder
 * keeps one store (otherwise `../stores/s.db` from a linked folder would be a second, empty study beside the link).
 */
export const configFolder = (path: string): string => {
  // A config read from a pipe or a device (`/dev/stdin`, `<(envsubst < t.json)`) has no folder of its own:
  // its paths resolve from the working folder (trial 53: under /proc/PID/fd, where even Parzen's own
  // modules could not be found).
  try {
    if (!statSync(path).isFile()) return realpathSync(process.cwd());
  } catch {
    // Not there: said by the reader.
  }
  // The file's own links too (review 54: a linked config file still opened a second store).
  try {
    return dirname(realpathSync(resolve(path)));
  } catch {
    const folder = dirname(resolve(path));
    try {
      return realpathSync(folder);
    } catch {
      return folder;
    }
  }
};
