import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keptStops, rescuedAmong } from './study-session.js';

describe("the rescue folder's readers", () => {
  // A FIFO planted where a rescue file would be hung the run that read it (readFileSync blocks on a FIFO with no
  // writer): such a file is not one a run wrote, and is passed over.
  it.runIf(process.platform !== 'win32')('pass over a file that is not a regular one, without blocking', () => {
    const study = `fifo-${process.pid}-${Date.now()}`;
    const folder = join(tmpdir(), `parzen-unrecorded-${userInfo().username}`);
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    const files = [join(folder, `${study}.jsonl`), join(folder, `${study}.stops.jsonl`)];
    try {
      for (const file of files) execFileSync('mkfifo', [file]);
      expect(rescuedAmong(study, [{ number: 0, worker: 'w' }])).toBeUndefined();
      expect(keptStops(study)(0, 'w')).toBe(false);
    } finally {
      for (const file of files) rmSync(file, { force: true });
    }
  });
});
