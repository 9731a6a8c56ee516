import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isAlive } from '@parzen/test-kit';
import { afterEach, describe, expect, it } from 'vitest';

// Process behaviour is the point here: a Parzen process that runs a trial's program is killed with
// SIGKILL (no exit hook runs), and the program must not run on.

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const runCommandSource = new URL('./run-command.ts', import.meta.url).href;

const waitFor = async (condition: () => boolean, timeoutMs: number): Promise<boolean> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return condition();
};

/** A program that writes its pid and its child's pid, then runs until killed; `stubborn` ignores SIGTERM. */
const program = (pidFile: string, stubborn: boolean) => `
const { spawn } = require('node:child_process');
const { writeFileSync } = require('node:fs');
${stubborn ? "process.on('SIGTERM', () => {});" : ''}
const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
writeFileSync(${JSON.stringify(pidFile)}, JSON.stringify([process.pid, child.pid]));
setInterval(() => {}, 1000);
`;

/** A Parzen-like host: runs the program through `runCommand` and waits forever. */
const host = (pidFile: string, stubborn: boolean) => `
const { runCommand } = await import(${JSON.stringify(runCommandSource)});
void runCommand({
  argv: [process.execPath, '-e', ${JSON.stringify(program(pidFile, stubborn))}],
  cwd: process.cwd(),
  env: process.env,
  stderrTail: 1000,
  terminateGraceMs: 1000,
});
setInterval(() => {}, 1000);
`;

const skip = process.platform === 'win32';
const hosts: ChildProcess[] = [];
const dirs: string[] = [];

afterEach(() => {
  for (const child of hosts.splice(0)) child.kill('SIGKILL');
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(skip)('a trial program after its Parzen process is killed with SIGKILL', () => {
  const killHostAndWatch = async (stubborn: boolean) => {
    const dir = mkdtempSync(join(tmpdir(), 'parzen-watchdog-'));
    dirs.push(dir);
    const pidFile = join(dir, 'pids.json');
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', host(pidFile, stubborn)], {
      cwd: packageDir,
      stdio: 'ignore',
    });
    hosts.push(child);
    expect(await waitFor(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').endsWith(']'), 20_000)).toBe(true);
    const pids = JSON.parse(readFileSync(pidFile, 'utf8')) as number[];
    expect(pids.every(isAlive)).toBe(true);
    child.kill('SIGKILL');
    return pids;
  };

  it('is stopped, with everything it started, by SIGTERM to its process group', async () => {
    const pids = await killHostAndWatch(false);
    expect(await waitFor(() => !pids.some(isAlive), 5_000)).toBe(true);
  }, 30_000);

  it('that ignores SIGTERM gets SIGKILL after the grace period', async () => {
    const pids = await killHostAndWatch(true);
    const killedAt = Date.now();
    expect(await waitFor(() => !pids.some(isAlive), 8_000)).toBe(true);
    // Not before the grace period (1 s) ran: it was asked first.
    expect(Date.now() - killedAt).toBeGreaterThanOrEqual(900);
  }, 30_000);
});

// Review 140: the /proc scan at a program's exit runs only when its group still has a member.
describe.skipIf(process.platform !== 'linux')('a process group, as the exit check reads it', () => {
  it('exists, with a live member, while its leader runs, and neither once the group is gone', async () => {
    const { groupExists, groupHasLiveMember } = await import('./process-groups.js');
    const leader = spawn('sleep', ['30'], { detached: true, stdio: 'ignore' });
    const pid = leader.pid as number;
    expect(groupExists(pid)).toBe(true);
    expect(groupHasLiveMember(pid)).toBe(true);
    process.kill(-pid, 'SIGKILL');
    await new Promise((resolve) => leader.once('exit', resolve));
    expect(await waitFor(() => !groupExists(pid), 5000)).toBe(true);
    expect(groupHasLiveMember(pid)).toBe(false);
  });
});
