import type { MatrixVariant } from '@parzen/engine';
import { describeValue, escapePointer, ParzenError } from '@parzen/engine/plugin';

/** The start of what a store that names a file after its study expects of a name too long for the file system. */
const TOO_LONG =
  /^a study name of at most (\d+) characters for a store that keeps the study in a file named after it \(([^)]*)\)/;

/**
 * A matrix variant's study name too long for a store that keeps each study in a file named after it, said at the
 * matrix value whose part of the name is longest (`/matrix/objective~1options~1path/1`), with that part's length:
 * the name is the matrix's, and the config's `/name` the store blames holds only its start. Other errors, and names
 * no matrix value made long, are returned as they are.
 */
export const longNameOfMatrix = (error: unknown, variant: MatrixVariant): unknown => {
  if (!(error instanceof ParzenError) || variant.parts === undefined) return error;
  const at = error.issues.findIndex((issue) => issue.pointer === '/name' && TOO_LONG.test(issue.expected));
  const issue = error.issues[at];
  if (issue === undefined) return error;
  const keys = Object.keys(variant.indices);
  const parts = variant.parts;
  const longest = keys.reduce<number>(
    (best, _, index) => ((parts[index]?.length ?? 0) > (parts[best]?.length ?? 0) ? index : best),
    0,
  );
  const key = keys[longest];
  const part = parts[longest];
  // A name long with the config's own `name`, each part short: the store's words stand.
  if (key === undefined || part === undefined || part.length <= variant.study.length / 2) return error;
  const [, room, file] = TOO_LONG.exec(issue.expected) ?? [];
  const shown = part.length > 40 ? `${part.slice(0, 30)}…${part.slice(-8)}` : part;
  const blamed = {
    ...issue,
    pointer: `/matrix/${escapePointer(key)}/${variant.indices[key]}`,
    expected: `a value whose part of the study name is shorter: \`${shown}\` (${part.length} characters) makes the name ${variant.study.length} characters long, and a store that keeps each study in a file named after it (${file}) takes at most ${room}; or give the store a "path" (one file for every study)`,
    found: describeValue(variant.values[key]),
  };
  const before = `  /name: expected ${issue.expected}, found ${issue.found}`;
  const after = `  ${blamed.pointer}: expected ${blamed.expected}, found ${blamed.found}`;
  return new ParzenError(
    error.code,
    error.message.replace(before, () => after),
    {
      ...(error.plugin === undefined ? {} : { plugin: error.plugin }),
      issues: error.issues.map((other, index) => (index === at ? blamed : other)),
      cause: error,
    },
  );
};
