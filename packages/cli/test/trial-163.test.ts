// What a durability trial found wrong or confusing (trial 163): a terminal that hangs up under a run, store
// files that change under a run, and the wording of what `import` finishes.

import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliPath, requireBuiltCli, tempDir, writeIn } from './cli-harness.js';
import { cli } from './cli-in-process.js';

let dir: string;
beforeAll(() => {
  requireBuiltCli();
  dir = tempDir('parzen-trial-163-');
});

const hasPython = (() => {
  try {
    execFileSync('python3', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('a terminal that hangs up under `parzen run` (WRONG 1)', () => {
  // A real hang-up, not `kill -HUP`: the run's stdin and stdout are a pseudo-terminal whose other end
  // closes, as when the terminal window closes. Node 20 then failed its own terminal reset at exit and
  // died of SIGSEGV with a native stack trace.
  it.runIf(hasPython)('ends by SIGHUP ($? 129) after the running trial, without a native crash', () => {
    writeIn(
      dir,
      'slow.mjs',
      'export default async ({ x }) => { await new Promise((r) => setTimeout(r, 700)); return x * x; };\n',
    );
    writeIn(dir, 'hup.json', {
      name: 'hup',
      space: { x: { type: 'uniform', low: -1, high: 1 } },
      objective: { use: 'module', options: { path: './slow.mjs' } },
      store: { use: 'jsonl' },
      budget: { maxTrials: 100 },
    });
    const script = `
import os, pty, select, sys, time
pid, fd = pty.fork()
if pid == 0:
    os.dup2(os.open('hup.err', os.O_WRONLY | os.O_CREAT | os.O_TRUNC), 2)
    os.execv(sys.argv[1], [sys.argv[1], sys.argv[2], 'run', 'hup.json'])
# Hang up once the run is under way (its first trial done, so its handlers are in place), read from the file its
# stderr goes to: a fixed wait raced a start slowed by a loaded machine (the hang-up came while it prepared).
def under_way():
    try:
        with open('hup.err', 'rb') as err: return b'trial #0 complete' in err.read()
    except FileNotFoundError: return False
start = time.time()
while time.time() - start < 30 and not under_way():
    if select.select([fd], [], [], 0.05)[0]:
        try: os.read(fd, 65536)
        except OSError: break
os.close(fd)
_, status = os.waitpid(pid, 0)
print(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 'signal %d' % os.WTERMSIG(status))
`;
    const result = spawnSync('python3', ['-c', script, process.execPath, cliPath], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 50_000,
    });
    const stderr = readFileSync(join(dir, 'hup.err'), 'utf8');
    // Killed by the signal, as a program a signal stopped ends (a shell around it stops too).
    expect(result.stdout.trim(), stderr).toBe('signal 1');
    expect(stderr).toContain('SIGHUP: letting running trials finish');
    expect(stderr).not.toMatch(/Assertion failed|Native stack trace|write EIO/);
  });
});

describe("another study's store file copied over the study's own (CONFUSING 5)", () => {
  const config = (name: string, store: string) =>
    writeIn(dir, `${name}.json`, {
      name,
      space: { x: { type: 'uniform', low: -1, high: 1 } },
      objective: { use: 'module', options: { path: './square.mjs' } },
      store: { use: store },
      budget: { maxTrials: 2 },
    });

  it.each(['jsonl', 'sqlite'])(
    'is noted by validate and run (%s): the file holds other studies, not this one',
    async (store) => {
      writeIn(dir, 'square.mjs', 'export default ({ x }) => x * x;\n');
      const ext = store === 'jsonl' ? 'parzen.jsonl' : 'parzen.db';
      const ran = await cli('run', config(`other-${store}`, store), '--quiet');
      expect(ran.code, ran.stderr).toBe(0);
      const edit = config(`edit-${store}`, store);
      copyFileSync(join(dir, `other-${store}.${ext}`), join(dir, `edit-${store}.${ext}`));
      const note = `${join(dir, `edit-${store}.${ext}`)}, the ${store} store file named after study edit-${store}, holds study other-${store} but not edit-${store} (a file copied from another study's?): a run starts study edit-${store} anew in it, beside it`;
      const validated = await cli('validate', edit);
      expect(validated.code, validated.stderr).toBe(0);
      expect(validated.stderr).toContain(note);
      const run = await cli('run', edit, '--max-trials', '1');
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toContain(note);
      // Once the study is there, nothing more is said.
      const again = await cli('validate', edit);
      expect(again.stderr).not.toContain('a file copied');
    },
  );
});
