import { inSeconds, ParzenError, shellQuoted } from '@parzen/engine/plugin';
import type { ConnectionPlan } from './connection-options.js';
import { WaitGivenUp } from './cut-wait.js';

/** What went wrong with the server, as far as retrying and exit codes go. */
export type Trouble = 'transient' | 'input' | 'other';

// Node's socket errors: the server went away, restarts, or the network hiccupped. A host name that does not resolve
// too (trial 161): a typo cannot be told from a name that DNS or service discovery drops while a failover goes on, as a
// wrong port cannot be told from a server that is down; so it is retried in a run, and exits 1 at open, as those do.
const TRANSIENT_ERRNO = new Set([
  'ENOTFOUND',
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
]);
// SQLSTATEs worth another try: serialization failure, deadlock, too many connections, and the server
// shutting down (admin or crash) or starting up.
const TRANSIENT_SQLSTATE = new Set(['40001', '40P01', '53300', '57P01', '57P02', '57P03']);
// node-postgres's own words for a connection that died or never came up in time.
const TRANSIENT_MESSAGE =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|not queryable|Connection closed/i;
// Authentication, a missing database or role, no permission: the config (or the grants) must change.
const INPUT_SQLSTATE = new Set(['28000', '28P01', '3D000', '42501', '3F000']);

const codeOf = (error: unknown): string | undefined => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
};
const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
/** An error as a warning names it: its code (if it has one) and message. */
export const describeFailure = (error: unknown): string => {
  const code = codeOf(error);
  const message = messageOf(error);
  // Node's socket messages name their code already ("connect ECONNREFUSED 127.0.0.1:5432"; review 71: twice).
  return code === undefined || new RegExp(`\\b${code}\\b`).test(message) ? message : `${code}: ${message}`;
};
const isPasswordMissing = (error: unknown): boolean =>
  /client password must be a (non-empty )?string/.test(messageOf(error));

/** The failure in words for people: the driver's own for a missing password is its SASL internals (trial 83). */
const serverWords = (error: unknown): string => (isPasswordMissing(error) ? 'no password was given' : messageOf(error));

/**
 * A connection through a Unix socket (`?host=/run/postgresql`) whose socket file is not there: the server is
 * stopped or restarting (it removes the file), as ECONNREFUSED says over TCP (trial 67: not retried, a restart
 * ended every worker).
 */
const isSocketMissing = (error: unknown): boolean =>
  codeOf(error) === 'ENOENT' && (error as { syscall?: unknown }).syscall === 'connect';

/** The sslmodes node-postgres reads as verify-full (unless the URL has `uselibpqcompat=true`). */
const ALIASED = new Set(['prefer', 'require', 'verify-ca']);
/** The URL asks for SSL (`sslmode`) and the server does not offer it: node-postgres has no fallback. */
const isSslRefused = (error: unknown): boolean => /^The server does not support SSL connections/.test(messageOf(error));
// Node's TLS errors for a certificate it cannot verify (self-signed, an unknown authority, another host name, expired).
const CERTIFICATE_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
]);

/** Sorts an error of node-postgres: retry it, blame the config, or report it as a store failure. */
export const classify = (error: unknown): Trouble => {
  if (error instanceof ParzenError) return 'other';
  const code = codeOf(error);
  // SSL asked where the server has none, or a certificate that does not verify: the URL (or the server) must change.
  if (isSslRefused(error) || (code !== undefined && CERTIFICATE_CODES.has(code))) return 'input';
  if (code !== undefined && (TRANSIENT_ERRNO.has(code) || TRANSIENT_SQLSTATE.has(code) || code.startsWith('08')))
    return 'transient';
  if (isSocketMissing(error)) return 'transient';
  if ((code !== undefined && INPUT_SQLSTATE.has(code)) || isPasswordMissing(error)) return 'input';
  return TRANSIENT_MESSAGE.test(messageOf(error)) ? 'transient' : 'other';
};

/** The tables a reader of the store selects from. */
const PARZEN_TABLES = 'parzen_schema, parzen_studies, parzen_trials, parzen_intermediate, parzen_enqueued';

/**
 * A name as SQL reads it back in a statement to paste: as it is when PostgreSQL would not fold or refuse it, else
 * in double quotes (a role `ci-reader` or `Ann`: unquoted, the first is a syntax error, the second names `ann`).
 */
export const sqlIdentifier = (name: string): string =>
  /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replaceAll('"', '""')}"`;

const hint = (plan: ConnectionPlan, error: unknown): string => {
  const code = codeOf(error);
  const password =
    plan.passwordSource === undefined ? 'no password was given' : `the password from ${plan.passwordSource}`;
  if (isPasswordMissing(error))
    return `The server asks role \`${plan.user}\` for a password: set PGPASSWORD (or the variable named by \`passwordEnv\`).`;
  if (code === '28P01')
    return `Authentication of role \`${plan.user}\` failed (${password} was used): check the password.`;
  if (code === '28000')
    return `The server refuses role \`${plan.user}\`: check the user name in the URL and the server's pg_hba.conf.`;
  if (code === '3D000')
    return `Create it (\`createdb -O ${shellQuoted(plan.user)} ${shellQuoted(plan.database)}\`) or fix the URL.`;
  // Trial 161: a reader (trials, studies, best, export, report) was told to become the owner or get write grants.
  if (code === '42501' && plan.readOnly === true)
    return (
      `Role \`${plan.user}\` lacks a privilege Parzen needs to read \`${plan.database}\`. To read, a role needs CONNECT ` +
      `on the database, USAGE on schema public and SELECT on the parzen_ tables: \`GRANT USAGE ON SCHEMA public TO ${sqlIdentifier(plan.user)}; GRANT SELECT ON ${PARZEN_TABLES} TO ${sqlIdentifier(plan.user)};\` as their owner.`
    );
  if (code === '42501')
    return (
      `Role \`${plan.user}\` lacks a privilege Parzen needs in \`${plan.database}\`. Make the role the database's ` +
      `owner, or grant it CONNECT on the database, CREATE and USAGE on schema public, and SELECT, INSERT, UPDATE on the parzen_ tables (DELETE too, to delete a study).`
    );
  if (code === 'ENOTFOUND')
    return 'The host name in the URL does not resolve: check it (where DNS names the current primary, a failover may have dropped the name for a while).';
  // Trial 161: exit 1 (try again later) and no next step for a URL that asks for SSL of a server without it.
  if (isSslRefused(error))
    return `The URL asks for an encrypted connection (${plan.sslMode === undefined ? 'ssl' : `sslmode=${plan.sslMode}`}) and the server does not offer one: turn SSL on at the server (ssl = on in postgresql.conf, with a certificate), or take sslmode out of the URL (node-postgres never falls back to an unencrypted connection, not even for sslmode=prefer).`;
  if (code !== undefined && CERTIFICATE_CODES.has(code))
    return (
      `The server's certificate could not be verified (node-postgres checks it${plan.sslMode === undefined ? '' : ` for sslmode=${plan.sslMode}`}${ALIASED.has(plan.sslMode ?? '') ? ', which it reads as verify-full' : ''}). ` +
      "Name the authority that signed it with sslrootcert=PATH in the URL; or, to encrypt without checking the certificate (libpq's sslmode=require), write sslmode=require&uselibpqcompat=true."
    );
  if (code === '53300')
    return 'The server has no connection left for this role (max_connections, the slots reserved for superusers, or a CONNECTION LIMIT on the role or the database): close other sessions, lower `poolSize`, or raise the limit; Parzen waited `connectTimeoutMs` for one.';
  if (code === 'ECONNREFUSED')
    return 'Nothing accepts connections there: is the server running, and are the host and port in the URL right?';
  if (isSocketMissing(error))
    return "The server's socket file is not there: is the server running, and are the socket folder (`host`) and port in the URL right?";
  return 'Check that the server is running and that the URL is right.';
};

/**
 * A server that cannot be reached at open (nothing accepts connections: down, restarting, failing over, or a
 * wrong host or port; a host name that does not resolve): `STORE_FAILED`, so the CLI exits 1, not 2: a scheduler that starts workers while the
 * database is down may start them again. Reported at once, with the same hint.
 */
export const unreachableServer = (plan: ConnectionPlan, error: unknown): ParzenError =>
  new ParzenError(
    'STORE_FAILED',
    `Cannot reach PostgreSQL at \`${plan.where}\`: ${serverWords(error)}. ${hint(plan, error)}`,
    {
      cause: error,
    },
  );

/**
 * A connection that cannot work as configured (authentication, missing database, no permission, SSL that does
 * not fit the server): `CONFIG_INVALID`, so the CLI exits 2, with what to do and the server's own words.
 */
export const unusableConnection = (plan: ConnectionPlan, error: unknown): ParzenError =>
  new ParzenError(
    'CONFIG_INVALID',
    `Cannot use PostgreSQL at \`${plan.where}\`: ${serverWords(error)}. ${hint(plan, error)}`,
    {
      cause: error,
      issues: [
        {
          pointer: '/store/options/url',
          expected: 'a reachable database the role may use',
          found: plan.where,
          absolute: true,
        },
      ],
    },
  );

const DO_IT_AGAIN = 'Once the server answers again, do it again: a run resumes the study where it stopped.';

/**
 * Turns an error of node-postgres into a {@link ParzenError} naming the server and what the store was doing;
 * `retried`, when the store retried a transient failure until its `retryTimeoutMs` ran out, says so and what to do;
 * `triedOnce`, when it tried once because an operation before it had given up so, says that.
 */
export const storeError = (
  plan: ConnectionPlan,
  error: unknown,
  doing: string,
  retried?: { readonly forMs: number; readonly limitMs: number },
  triedOnce?: { readonly limitMs: number },
): ParzenError => {
  if (error instanceof ParzenError) return error;
  if (classify(error) === 'input') return unusableConnection(plan, error);
  // Trial 101: after an outage longer than retryTimeoutMs the run ended on the bare socket error.
  const gaveUp =
    classify(error) !== 'transient'
      ? ''
      : retried !== undefined
        ? // Trial 113: "as long as retryTimeoutMs allows" for a retry cut short, and "run again" under report --serve.
          ` (retried for ${inSeconds(retried.forMs)}; retryTimeoutMs is ${inSeconds(retried.limitMs)})`
        : triedOnce === undefined
          ? ''
          : ` (tried once: an operation before it retried for retryTimeoutMs (${inSeconds(triedOnce.limitMs)}) and gave up, and the server has not answered since)`;
  // What to do, apart: a warning that quotes the error while the run goes on leaves it out (trial 161).
  const advice = gaveUp === '' ? undefined : DO_IT_AGAIN;
  return new ParzenError(
    'STORE_FAILED',
    `PostgreSQL store \`${plan.where}\` failed while ${doing}: ${describeFailure(error)}${gaveUp}${advice === undefined ? '' : `. ${advice}`}`,
    { cause: error, ...(advice === undefined ? {} : { advice }) },
  );
};

/**
 * The run was stopped (Ctrl-C) while the store waited: to retry (with the last failure), or on a statement the
 * server held, which it was asked to cancel: `INTERRUPTED`.
 */
export const interrupted = (plan: ConnectionPlan, doing: string, error: unknown): ParzenError =>
  new ParzenError(
    'INTERRUPTED',
    error instanceof WaitGivenUp
      ? `Stopped while PostgreSQL store \`${plan.where}\` waited for the server (${doing}); the server cancelled the statement, so it did not happen.`
      : `Stopped while PostgreSQL store \`${plan.where}\` was retrying (${doing}) after: ${messageOf(error)}.`,
    { cause: error },
  );

/**
 * A database whose server encoding cannot hold every character (LATIN1, WIN1252: every write of a name or
 * attr beyond it failed with 22P05, and the rescue advice looped): `CONFIG_INVALID`, before anything is
 * written. UTF8 holds them all, and SQL_ASCII keeps the bytes as they are.
 */
export const notUtf8Database = (plan: ConnectionPlan, encoding: string): ParzenError =>
  new ParzenError(
    'CONFIG_INVALID',
    `PostgreSQL store \`${plan.where}\`: the database \`${plan.database}\` is ${encoding}; Parzen needs a UTF8 database, ` +
      `since names, options and attrs may hold any character (${encoding} cannot store most of them). Make one with ` +
      `CREATE DATABASE ${sqlIdentifier(plan.database)} ENCODING 'UTF8' TEMPLATE template0 (under another name, or after ` +
      "moving this one's data), and point the store's url at it.",
    {
      issues: [
        {
          pointer: '/store/options/url',
          expected: 'a database in the UTF8 encoding',
          found: `${plan.where} in ${encoding}`,
          absolute: true,
        },
      ],
    },
  );
