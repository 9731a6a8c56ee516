import { specWithoutPassword } from './store-spec.js';

// Review 149: in double quotes `$HOME` expanded.
/**
 * A word of a suggested command as a POSIX shell reads it: as it is when plain, else in single quotes, inside which
 * nothing expands; a quote in it is closed, escaped and reopened.
 */
export const shellWord = (word: string): string =>
  /^[\w./:@%+=,-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;

/**
 * The words of a suggested command that name the study read (the config, `--store` without a URL's password,
 * `--study`), as the command line gave them, and a clause saying a password was left out (else empty).
 */
export const sourceWords = (
  path: string | undefined,
  flags: { readonly store?: string; readonly study?: string },
): { readonly words: string; readonly password: string } => {
  const store = flags.store === undefined ? undefined : specWithoutPassword(flags.store);
  const words = [
    ...(path === undefined ? (store === undefined ? ['CONFIG'] : []) : [shellWord(path)]),
    ...(store === undefined ? [] : [`--store ${shellWord(store.spec)}`]),
    ...(flags.study === undefined ? [] : [`--study ${shellWord(flags.study)}`]),
  ].join(' ');
  const password =
    store?.removed === true
      ? "; the URL's password is left out: the postgres store reads it from PGPASSWORD (or the variable its passwordEnv option names), never from the URL"
      : '';
  return { words, password };
};
