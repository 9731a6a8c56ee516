import type { ConfigFile } from '@parzen/engine';
import { shellQuoted, studyCommand } from '@parzen/engine/host';
import type { PreparedRun } from './prepare-runs.js';
import { specWithoutPassword } from './store-spec.js';

/** The flags of a command line that name a study besides its config: `--store` (as typed) and `--study`. */
export interface StudyFlags {
  readonly store?: string;
  readonly study?: string;
}

/**
 * What the CLI's suggested commands name a study by (a config file's path, `--store` without a URL's password,
 * `--study`), for the engine's {@link studyCommand} and for {@link commandOf}: the one place a store spec is made fit
 * to print. A URL's password is taken out, not masked (the postgres store refuses a URL with one, and reads it from
 * PGPASSWORD), so the command works as shown.
 */
export const configFileOf = (path: string, flags: StudyFlags): ConfigFile => ({
  path,
  ...(flags.store === undefined ? {} : { store: specWithoutPassword(flags.store).spec }),
  ...(flags.study === undefined ? {} : { study: flags.study }),
});

/** `--store SPEC` as a suggested command writes it: without a URL's password, quoted for the shell. */
export const storeFlagWords = (store: string): string => `--store ${shellQuoted(specWithoutPassword(store).spec)}`;

/**
 * {@link configFileOf} for a run of a config: `--study` names a matrix's variant (any matrix, even one of a single
 * variant, as its study's name is not the config's "name").
 */
export const runFileOf = (run: PreparedRun, flags: { readonly store?: string }): ConfigFile =>
  configFileOf(run.configPath, {
    ...flags,
    ...(Object.keys(run.variant.indices).length === 0 ? {} : { study: run.experiment.config.name }),
  });

/**
 * `parzen <command>` naming a study, as every command the CLI suggests names it: the config files' paths (`CONFIG`
 * without one, unless `--store` names the store), `--store` and `--study`, each quoted for the shell, the store
 * without a URL's password (see {@link configFileOf}); and a clause saying a password was left out (else empty).
 */
export const commandOf = (
  command: string,
  paths: string | readonly string[] | undefined,
  flags: StudyFlags,
): { readonly command: string; readonly password: string } => {
  const given = paths === undefined ? [] : typeof paths === 'string' ? [paths] : paths;
  const last = given.at(-1);
  const file = configFileOf(last ?? '', flags);
  const line =
    last !== undefined
      ? // The study's command as the engine's messages say it; a batch's other configs before its last.
        studyCommand([command, ...given.slice(0, -1).map(shellQuoted)].join(' '), file)
      : [
          `parzen ${command}`,
          file.store === undefined ? 'CONFIG' : `--store ${shellQuoted(file.store)}`,
          ...(file.study === undefined ? [] : [`--study ${shellQuoted(file.study)}`]),
        ].join(' ');
  const password =
    flags.store !== undefined && specWithoutPassword(flags.store).removed
      ? "; the URL's password is left out: the postgres store reads it from PGPASSWORD (or the variable its passwordEnv option names), never from the URL"
      : '';
  return { command: line, password };
};
