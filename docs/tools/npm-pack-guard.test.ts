/**
 * `npm pack` (or `npm publish`) in a package's folder is refused by the package's `prepack`: npm would copy
 * the `workspace:*` ranges into the tarball as they are, and the tarball could not be installed
 * (EUNSUPPORTEDPROTOCOL). pnpm, which writes the versions, packs as before (packed-install.test.ts packs
 * every package with it).
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const guard = join(root, 'scripts/refuse-npm-pack.mjs');
/** The published packages that depend on another as `workspace:*` (all but the engine). */
const guarded = readdirSync(join(root, 'packages')).filter((folder) => {
  const text = readFileSync(join(root, 'packages', folder, 'package.json'), 'utf8');
  return JSON.parse(text).private !== true && text.includes('"workspace:');
});

/** This process's environment without the npm_* variables pnpm and vitest set, plus `extra`. */
const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_'))),
  ...extra,
});

describe('packing a package with npm', () => {
  it('is refused by every published package that depends on another, with the pnpm command to use instead', async () => {
    expect(guarded.length).toBeGreaterThan(5);
    for (const folder of guarded)
      expect(JSON.parse(readFileSync(join(root, 'packages', folder, 'package.json'), 'utf8')).scripts).toMatchObject({
        prepack: 'node ../../scripts/refuse-npm-pack.mjs',
      });
    const refused = await run('npm', ['pack', '--dry-run'], {
      cwd: join(root, 'packages/algo-random'),
      env: env(),
      timeout: 60_000,
    }).then(
      () => undefined,
      (error: { stderr?: string }) => error.stderr ?? String(error),
    );
    expect(refused).toContain('which npm would copy into the tarball as it is');
    expect(refused).toContain('npx --yes pnpm@12.4.2 pack');
  }, 60_000);

  it('passes under pnpm, or when run by hand', async () => {
    const agent = 'pnpm/12.4.2 npm/? node/v20.20.2 linux x64';
    await expect(run(process.execPath, [guard], { env: env({ npm_config_user_agent: agent }) })).resolves.toBeDefined();
    await expect(run(process.execPath, [guard], { env: env() })).resolves.toBeDefined();
  });
});
