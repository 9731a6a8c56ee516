import {
  chmodSync,
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CliError, EXIT } from './exit-codes.js';
import { writeOutputFile, writingOutput } from './output-file.js';

const dir = mkdtempSync(join(tmpdir(), 'parzen-output-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Lines that fail as a full disk does, after some were written. */
function* diskFullAfter(lines: number): Generator<string> {
  for (let line = 0; line < lines; line++) yield `{"line": ${line}, "pad": "${'x'.repeat(4000)}"}`;
  throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
}

describe('writeOutputFile (-o)', () => {
  it("a file that cannot be written inside -o's folder is named, not -o (trial 183: a chart name too long)", async () => {
    const folder = mkdtempSync(join(tmpdir(), 'parzen-svg-'));
    const chart = join(folder, `density-${'長'.repeat(90)}.vl.json`);
    const failed = await writingOutput(folder, () => writeFileSync(chart, '{}')).then(
      () => undefined,
      (error: unknown) => error,
    );
    rmSync(folder, { recursive: true, force: true });
    expect((failed as CliError).message).toBe(
      `cannot write ${chart}, a file parzen writes in -o ${folder}: ENAMETOOLONG: name too long, open '${chart}'`,
    );
  });

  it('a write that fails leaves the file that was there as it was, and no partial file (trial 53)', async () => {
    const path = join(dir, 'backup.jsonl');
    writeFileSync(path, 'the previous backup\n');
    const failed = await writeOutputFile(path, diskFullAfter(600)).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failed).toBeInstanceOf(CliError);
    expect((failed as CliError).exitCode).toBe(EXIT.studyError);
    expect((failed as CliError).message).toBe(`-o: cannot write ${path}: ENOSPC: no space left on device, write`);
    expect(readFileSync(path, 'utf8')).toBe('the previous backup\n');
    expect(readdirSync(dir)).toEqual(['backup.jsonl']);
  });

  it('replaces a complete file, through a link where it is, keeping its permissions; makes missing folders', async () => {
    const real = join(dir, 'real.html');
    writeFileSync(real, 'old');
    chmodSync(real, 0o640);
    const link = join(dir, 'link.html');
    symlinkSync(real, link);
    await writeOutputFile(link, ['a', 'b']);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(real, 'utf8')).toBe('a\nb\n');
    expect(statSync(real).mode & 0o777).toBe(0o640);
    const fresh = join(dir, 'new', 'folder', 'report.html');
    await writeOutputFile(fresh, '<html></html>');
    expect(readFileSync(fresh, 'utf8')).toBe('<html></html>');
    expect(readdirSync(dir).filter((name) => name.endsWith('.partial'))).toEqual([]);
  });

  it('a name near the file system limit, and a dangling link, written where they point (review 56)', async () => {
    const long = join(dir, `${'r'.repeat(240)}.html`);
    await writeOutputFile(long, 'long');
    expect(readFileSync(long, 'utf8')).toBe('long');
    const dangling = join(dir, 'dangling.jsonl');
    symlinkSync(join(dir, 'made-through-link.jsonl'), dangling);
    await writeOutputFile(dangling, ['x']);
    expect(lstatSync(dangling).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'made-through-link.jsonl'), 'utf8')).toBe('x\n');
  });
});
