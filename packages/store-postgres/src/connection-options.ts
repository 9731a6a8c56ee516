import { createRequire } from 'node:module';
import { type Clock, type ConfigIssue, ParzenError, passwordMasked, type Stopping } from '@parzen/engine/plugin';
import type { ClientConfig, PoolConfig } from 'pg';

/**
 * Options of {@link createPostgresStore}. A config's `postgres` store takes `url`, `passwordEnv`, `poolSize`,
 * `connectTimeoutMs`, `retryTimeoutMs` and `fsync` of them (the config reference's Stores section); the others are
 * for code only.
 */
export interface PostgresStoreOptions {
  /** `postgres://user@host:port/database`, without a password (rejected if it has one). */
  readonly url: string;
  /** The environment variable that holds the password; default `PGPASSWORD`. */
  readonly passwordEnv?: string;
  /** Connections this process keeps open at most. Default 4. */
  readonly poolSize?: number;
  /** How long connecting may take before it counts as failed. Default 10 s. */
  readonly connectTimeoutMs?: number;
  /** How long an operation keeps retrying transient errors (server restarting, connection reset). Default 60 s. */
  readonly retryTimeoutMs?: number;
  /** Which writes wait for the server to flush them: `'finish'` (default), `'always'` or `'never'`. */
  readonly fsync?: 'finish' | 'always' | 'never';
  /**
   * The run's stop signals (the `stopping` service): a retry gives up at the first Ctrl-C (`INTERRUPTED`),
   * except for writes that save a result (finishing a trial, reporting a value, adding trials), which
   * give up only at the second.
   */
  readonly stopping?: Stopping;
  /**
   * Open for reading only, as `parzen trials`, `best`, `export` and `report` do: an older schema is not
   * upgraded (that would change the database under the workers of the Parzen that wrote it); a version
   * this Parzen can read as it is (3) is read so, an older one is refused with what to do.
   */
  readonly readOnly?: boolean;
  /** Stamps studies' and trials' times (the study's `clock` service from a config). Default: the system's. */
  readonly clock?: Clock;
  /**
   * Where the store says that an operation has waited long on the server (a lock another session holds);
   * default: stderr. A config's store uses the study's logger.
   */
  readonly onWarning?: (message: string) => void;
}

/** The pool's settings and a password-free description of the server for messages. */
export interface ConnectionPlan {
  readonly pool: PoolConfig;
  /** `user@host:port/database`, for messages (never a password). */
  readonly where: string;
  readonly user: string;
  readonly database: string;
  /** Where the password came from (`PGPASSWORD`, or the `passwordEnv` variable), if any. */
  readonly passwordSource: string | undefined;
  /** The URL's `sslmode`, if it has one (a message about SSL says it). */
  readonly sslMode?: string;
  /** Opened to read only (`readOnly`): a missing privilege is said as the grants a reader needs. */
  readonly readOnly?: boolean;
}

const URL_POINTER = '/url';
/** The `sslmode` values node-postgres knows (another, libpq's `allow` too, it would read as verify-full). */
const SSL_MODES = ['disable', 'no-verify', 'prefer', 'require', 'verify-ca', 'verify-full'];
const EXPECTED_URL =
  'postgres://USER@HOST[:PORT]/DATABASE (a Unix socket: postgres://USER@/DATABASE?host=/run/postgresql), without a password';

// libpq's form for a Unix socket, `postgres://USER@/DATABASE?host=/run/postgresql`: a user and no host, which the WHATWG
// URL parser refuses (trial 161: refused, with no word of a form that works). Parsed with this host put in, taken out
// again when the URL is shown; node-postgres reads the URL as it was given.
const HOSTLESS = /^(postgres(?:ql)?:\/\/[^/?#@]*@)(?=[/?#]|$)/i;
const PLACEHOLDER = 'unix-socket.invalid';
const POSTGRES_URL = /^postgres(?:ql)?:\/\//i;

/** `url` as the WHATWG parser reads it (libpq's hostless socket form too), and how to show it again. */
const parsedUrl = (url: string): { readonly parsed: URL; readonly shown: (parsed: URL) => string } => {
  try {
    return { parsed: new URL(url), shown: (parsed) => parsed.toString() };
  } catch (error) {
    if (!HOSTLESS.test(url)) throw error;
    return {
      parsed: new URL(url.replace(HOSTLESS, `$1${PLACEHOLDER}`)),
      shown: (parsed) => parsed.toString().replace(`@${PLACEHOLDER}`, '@'),
    };
  }
};

const badOption = (pointer: string, expected: string, found: string, message: string): ParzenError => {
  const issue: ConfigIssue = { pointer, expected, found };
  return new ParzenError('CONFIG_INVALID', message, { issues: [issue] });
};
const badUrl = (expected: string, found: string, message: string): ParzenError =>
  badOption(URL_POINTER, expected, found, `Invalid postgres store URL: ${message}`);

/**
 * The URL with any password masked, for messages: as the parser reads it when it is a postgres URL, else as
 * `passwordMasked` guesses it (a URL that does not parse is when a user sees it quoted).
 */
export const redactUrl = (url: string): string => {
  try {
    const { parsed, shown } = parsedUrl(url);
    if (!POSTGRES_URL.test(url)) return passwordMasked(url);
    if (parsed.password !== '') parsed.password = '***';
    if (parsed.searchParams.has('password')) parsed.searchParams.set('password', '***');
    return shown(parsed);
  } catch {
    return passwordMasked(url);
  }
};

const parseUrl = (url: string): URL => {
  let parsed: URL;
  try {
    parsed = parsedUrl(url).parsed;
  } catch {
    // Masked (trial 161: quoted with its password in clear, on stderr and twice in `run --json`).
    const shown = redactUrl(url);
    throw badUrl(EXPECTED_URL, JSON.stringify(shown), `\`${shown}\` is not a URL; expected ${EXPECTED_URL}.`);
  }
  // `postgres:USER@HOST/DATABASE`, without `//`, parses as a path, which node-postgres read as the database's name
  // (trial 161: with the password in it, shown as where the server was).
  if (!POSTGRES_URL.test(url)) {
    throw badUrl(EXPECTED_URL, redactUrl(url), `\`${redactUrl(url)}\` must start with postgres:// or postgresql://.`);
  }
  if (parsed.password !== '' || parsed.searchParams.has('password')) {
    throw badUrl(
      "a URL without a password (it goes in PGPASSWORD, or the variable passwordEnv names, in each worker's environment)",
      redactUrl(url),
      `\`${redactUrl(url)}\` contains a password. Passwords never go in the config: remove it from the URL and ` +
        'set PGPASSWORD in the environment of each worker (or name another variable in the `passwordEnv` option).',
    );
  }
  const sslMode = parsed.searchParams.get('sslmode');
  if (sslMode !== null && !SSL_MODES.includes(sslMode))
    throw badUrl(
      `sslmode one of ${SSL_MODES.join(', ')}`,
      redactUrl(url),
      `\`${redactUrl(url)}\` has sslmode=${sslMode}; node-postgres knows ${SSL_MODES.join(', ')} (see the store's README for what each means there).`,
    );
  return parsed;
};

const readPassword = (
  passwordEnv: string | undefined,
  env: NodeJS.ProcessEnv,
): { readonly password?: string; readonly source?: string } => {
  if (passwordEnv !== undefined) {
    const password = env[passwordEnv];
    if (password === undefined) {
      throw badOption(
        '/passwordEnv',
        `an environment variable named ${passwordEnv} holding the password`,
        `no variable ${passwordEnv} in the environment`,
        `The postgres store reads its password from \`${passwordEnv}\` (option passwordEnv), but that environment variable is not set.`,
      );
    }
    return { password, source: passwordEnv };
  }
  const password = env.PGPASSWORD;
  return password === undefined ? {} : { password, source: 'PGPASSWORD' };
};

/**
 * What is wrong with the URL (not postgres:// or postgresql://, a password in it) and the `passwordEnv`
 * variable (not set), as {@link planConnection} would refuse them, without connecting or loading `pg`:
 * the store plugin's `check` (`parzen validate`, and before a config's store is created).
 */
export const connectionIssues = (
  options: PostgresStoreOptions,
  env: NodeJS.ProcessEnv = process.env,
): ConfigIssue[] => {
  const issues: ConfigIssue[] = [];
  for (const check of [() => parseUrl(options.url), () => readPassword(options.passwordEnv, env)]) {
    try {
      check();
    } catch (error) {
      if (!(error instanceof ParzenError)) throw error;
      issues.push(...error.issues);
    }
  }
  return issues;
};

/**
 * Checks the store's URL (postgres:// or postgresql://, no password in it) and reads the password from
 * the environment. Nothing connects yet. `parse` is pg-connection-string's `parseIntoClientConfig` (loaded
 * by the caller, with `pg`, only when a store is opened).
 *
 * @throws `ParzenError` `CONFIG_INVALID` for a malformed URL, a URL with a password, or a missing
 * `passwordEnv` variable.
 */
export const planConnection = (
  options: PostgresStoreOptions,
  parse: (url: string) => ClientConfig,
  env: NodeJS.ProcessEnv = process.env,
): ConnectionPlan => {
  const sslMode = parseUrl(options.url).searchParams.get('sslmode');
  const { password, source } = readPassword(options.passwordEnv, env);
  let client: ClientConfig;
  try {
    client = parse(options.url);
  } catch (error) {
    // A file the URL names that cannot be read (sslrootcert, sslcert, sslkey), or sslmode=verify-ca&uselibpqcompat=true
    // without sslrootcert: node-postgres's own words, said of the URL.
    const said = error instanceof Error ? error.message : String(error);
    if (said === 'Invalid URL')
      throw badUrl(
        EXPECTED_URL,
        redactUrl(options.url),
        `\`${redactUrl(options.url)}\` is not a URL node-postgres reads; expected ${EXPECTED_URL}.`,
      );
    throw badUrl(
      'SSL options node-postgres accepts, naming files it can read (sslrootcert, sslcert, sslkey)',
      said,
      `\`${redactUrl(options.url)}\`: ${said}`,
    );
  }
  const user = client.user || env.PGUSER || env.USER || 'postgres';
  const database = client.database || env.PGDATABASE || user;
  const host = client.host || env.PGHOST || 'localhost';
  const port = client.port ?? env.PGPORT ?? 5432;
  const { password: _fromUrl, ...rest } = client;
  return {
    pool: {
      ...rest,
      user,
      database,
      password: password ?? fromPgpass,
      max: options.poolSize ?? 4,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
      idleTimeoutMillis: 30_000,
      keepAlive: true,
      application_name: client.application_name ?? 'parzen',
    },
    where: `${user}@${host}:${port}/${database}`,
    user,
    database,
    passwordSource: source,
    ...(sslMode === null ? {} : { sslMode }),
    ...(options.readOnly === true ? { readOnly: true } : {}),
  };
};

// Trial 161: left to node-postgres, which reads it too, every command printed its DeprecationWarning.
/**
 * The password libpq's password file gives for the connection (`PGPASSFILE`, else `~/.pgpass`; only when it is
 * readable by its owner alone), read by the `pgpass` module node-postgres itself uses; undefined when it has none.
 */
const fromPgpass = (async (parameters: unknown): Promise<string | undefined> => {
  // node-postgres's own dependency, found from where node-postgres is.
  const fromPg = createRequire(createRequire(import.meta.url).resolve('pg'));
  const pgpass = fromPg('pgpass') as (parameters: unknown, found: (password: string | undefined) => void) => void;
  return new Promise((resolve) => pgpass(parameters, resolve));
}) as unknown as () => Promise<string>;

// Trial 161: raw, it reached a CLI user's terminal with `node --trace-warnings` advice.
/**
 * `parse` (pg-connection-string's), with the process warning it emits once for `sslmode` prefer, require or
 * verify-ca (node-postgres reads them as verify-full) caught and told to `aliased` instead.
 */
export const parsingQuietly =
  (parse: (url: string) => ClientConfig, aliased: () => void) =>
  (url: string): ClientConfig => {
    const emit = process.emitWarning;
    process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
      const text = typeof warning === 'string' ? warning : warning.message;
      if (text.startsWith('SECURITY WARNING: The SSL modes')) return aliased();
      return (emit as (...args: unknown[]) => void).call(process, warning, ...rest);
    }) as typeof process.emitWarning;
    try {
      return parse(url);
    } finally {
      process.emitWarning = emit;
    }
  };

/**
 * What a URL's `sslmode` of prefer, require or verify-ca means to node-postgres, said once where libpq's users
 * would expect its meaning.
 */
export const sslModeNote = (plan: ConnectionPlan): string => {
  const libpq =
    plan.sslMode === 'prefer'
      ? "libpq's prefer falls back to an unencrypted connection and does not check the certificate"
      : plan.sslMode === 'verify-ca'
        ? "libpq's verify-ca checks the certificate but not its host name"
        : `libpq's ${plan.sslMode} does not check the certificate`;
  return (
    `PostgreSQL store \`${plan.where}\`: node-postgres reads sslmode=${plan.sslMode} in the URL as verify-full: the connection is encrypted and the server's certificate must be valid for its host name, where ${libpq}. ` +
    `Write sslmode=verify-full to say so, or add uselibpqcompat=true to the URL for libpq's meaning${plan.sslMode === 'prefer' ? ' (without the fallback)' : ''}; the store's README lists the modes.`
  );
};
