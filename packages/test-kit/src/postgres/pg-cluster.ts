/**
 * A throwaway PostgreSQL cluster for the tests: `initdb` in a temp folder, `pg_ctl` on a free loopback
 * port, TCP only (no Unix socket), stopped and removed at the end. As root (CI), the server tools run as
 * the `postgres` user through `runuser`, since `initdb` refuses to run as root.
 */
import { execFile, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The role the tests give a password (scram-sha-256 over TCP), to check wrong-password handling. */
export const PASSWORD_ROLE = 'parzen_pw';

/** Where the server binaries are: the newest `/usr/lib/postgresql/N/bin` with an `initdb`, or undefined. */
export const findPostgresBin = (root = '/usr/lib/postgresql'): string | undefined => {
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((name) => /^\d+$/.test(name) && existsSync(join(root, name, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : join(root, versions[0], 'bin');
};

/** What a test needs to reach and control a cluster; plain data, so vitest can pass it to test files. */
export interface ClusterInfo {
  readonly bin: string;
  readonly dir: string;
  readonly dataDir: string;
  readonly logFile: string;
  readonly port: number;
  /** `runuser -u postgres --` as root, else nothing. */
  readonly asUser: readonly string[];
  /** A superuser URL (trust auth on 127.0.0.1). */
  readonly adminUrl: string;
  /** Server settings (`-c name=value`) given at every start. */
  readonly settings: readonly string[];
}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject()));
    });
  });

const tool = (info: Pick<ClusterInfo, 'bin' | 'asUser'>, name: string, args: readonly string[]) => {
  const [command, ...rest] = [...info.asUser, join(info.bin, name), ...args] as [string, ...string[]];
  return run(command, rest, { timeout: 60_000 });
};

// Only the password role needs a password; everyone else is trusted on loopback (a throwaway cluster).
const HBA = `host all ${PASSWORD_ROLE} 127.0.0.1/32 scram-sha-256
host all all 127.0.0.1/32 trust
`;

/** `pg_ctl start` on the cluster's port; resolves once the server accepts connections. */
export const startServer = async (info: ClusterInfo): Promise<void> => {
  const settings = ['listen_addresses=127.0.0.1', 'max_connections=200', ...info.settings];
  const options = [`-p ${info.port}`, "-k ''", ...settings.map((setting) => `-c ${setting}`)].join(' ');
  await tool(info, 'pg_ctl', ['-D', info.dataDir, '-o', options, '-l', info.logFile, '-w', '-t', '30', 'start']);
};

/** `pg_ctl stop` with the given mode (`fast` rolls back open transactions and closes sessions). */
export const stopServer = async (info: ClusterInfo, mode: 'fast' | 'immediate' = 'fast'): Promise<void> => {
  await tool(info, 'pg_ctl', ['-D', info.dataDir, '-m', mode, '-w', 'stop']);
};

/**
 * Creates, configures and starts a cluster in a new temp folder. Tests run it with `fsync=off` (the
 * default here: nothing they check survives a power loss); the benchmark passes `[]` for real flushes.
 * A detached watcher stops and removes it once process `owner` (default: this one) is gone.
 */
export const startCluster = async (
  bin: string,
  settings: readonly string[] = ['fsync=off'],
  owner: number = process.pid,
): Promise<ClusterInfo> => {
  const root = userInfo().uid === 0;
  const dir = mkdtempSync(join(tmpdir(), 'parzen-pg-'));
  if (root) chownSync(dir, uidOf('postgres'), gidOf('postgres'));
  const asUser = root ? ['runuser', '-u', 'postgres', '--'] : [];
  const port = await freePort();
  const info: ClusterInfo = {
    bin,
    dir,
    dataDir: join(dir, 'data'),
    logFile: join(dir, 'server.log'),
    port,
    asUser,
    adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    settings,
  };
  removeWhenGone(info, owner);
  await tool(info, 'initdb', ['-D', info.dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  writeFileSync(join(info.dataDir, 'pg_hba.conf'), HBA);
  try {
    await startServer(info);
  } catch (error) {
    const log = existsSync(info.logFile) ? readFileSync(info.logFile, 'utf8') : '';
    throw new Error(`PostgreSQL did not start on port ${port}: ${(error as Error).message}\n${log}`);
  }
  return info;
};

/** `createdb NAME` on the cluster, owned by the superuser. */
export const createDatabase = async (info: ClusterInfo, name: string): Promise<void> => {
  await tool(info, 'createdb', ['-h', '127.0.0.1', '-p', String(info.port), '-U', 'postgres', name]);
};

/**
 * A detached watcher that stops the server and removes its folder once process `owner` is gone, so a
 * test run killed before its teardown leaves no server behind.
 */
const removeWhenGone = (info: ClusterInfo, owner: number): void => {
  const stop = [...info.asUser, join(info.bin, 'pg_ctl'), '-D', info.dataDir, '-m', 'immediate', 'stop']
    .map((word) => `'${word}'`)
    .join(' ');
  const script = `while kill -0 ${owner} 2>/dev/null; do sleep 2; done; [ -d '${info.dataDir}' ] && ${stop}; rm -rf '${info.dir}'`;
  spawn('sh', ['-c', script], { detached: true, stdio: 'ignore' }).unref();
};

/** Stops the server at once and removes its folder. */
export const removeCluster = async (info: ClusterInfo): Promise<void> => {
  await stopServer(info, 'immediate').catch(() => undefined);
  rmSync(info.dir, { recursive: true, force: true });
};

const idOf = (file: string, name: string, field: number): number => {
  const line = readFileSync(file, 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith(`${name}:`));
  const id = Number(line?.split(':')[field]);
  if (!Number.isInteger(id)) throw new Error(`No user ${name} in ${file}: install PostgreSQL (it creates the user).`);
  return id;
};
const uidOf = (name: string) => idOf('/etc/passwd', name, 2);
const gidOf = (name: string) => idOf('/etc/passwd', name, 3);
