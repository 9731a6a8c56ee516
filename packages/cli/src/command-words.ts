import { shellQuoted } from '@parzen/engine/host';
import { specWithoutPassword } from './store-spec.js';

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
    ...(path === undefined ? (store === undefined ? ['CONFIG'] : []) : [shellQuoted(path)]),
    ...(store === undefined ? [] : [`--store ${shellQuoted(store.spec)}`]),
    ...(flags.study === undefined ? [] : [`--study ${shellQuoted(flags.study)}`]),
  ].join(' ');
  const password =
    store?.removed === true
      ? "; the URL's password is left out: the postgres store reads it from PGPASSWORD (or the variable its passwordEnv option names), never from the URL"
      : '';
  return { words, password };
};
