import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { CliError } from './exit-codes.js';

const lineAndColumn = (text: string, position: number): string => {
  const before = text.slice(0, position).split('\n');
  return `line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`;
};

const parseJson = (text: string, path: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message)?.[1];
    const where = position === undefined ? '' : ` at ${lineAndColumn(text, Number(position))}`;
    throw new CliError(`${path}: not valid JSON${where}: ${message}`);
  }
};

const parseYamlText = (text: string, path: string): unknown => {
  try {
    return parseYaml(text, { prettyErrors: true }) as unknown;
  } catch (error) {
    if (error instanceof YAMLParseError) throw new CliError(`${path}: not valid YAML: ${error.message}`);
    throw error;
  }
};

/**
 * Reads an experiment config: `.json` as JSON, `.yaml`/`.yml` as YAML, anything else as JSON if it
 * parses, else YAML. A missing file or a syntax error is a {@link CliError} (exit 2) naming the file and
 * the line and column.
 */
export const readConfigFile = (path: string): unknown => {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(
      code === 'ENOENT' ? `${path}: no such config file.` : `${path}: cannot read: ${(error as Error).message}`,
    );
  }
  const extension = extname(path).toLowerCase();
  if (extension === '.json') return parseJson(text, path);
  if (extension === '.yaml' || extension === '.yml') return parseYamlText(text, path);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return parseYamlText(text, path);
  }
};
