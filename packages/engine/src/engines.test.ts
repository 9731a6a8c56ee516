import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

type Version = readonly [number, number, number];

/** Whether `version` satisfies one comparator of an npm range (`>=18`, `^20.19.0`, `~1.2`, `20.x`, `18.*`). */
const satisfies = (comparator: string, version: Version): boolean => {
  const match = /^(>=|<=|>|<|=|\^|~)?v?(\d+|x|\*)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?$/.exec(comparator);
  if (match === null) throw new Error(`A range comparator this test cannot read: ${comparator}`);
  const [, op = '', ...parts] = match;
  const wild = (part: string | undefined) => part === undefined || part === 'x' || part === '*';
  const given = parts.map((part) => (wild(part) ? 0 : Number(part))) as unknown as Version;
  const order = (a: Version, b: Version) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
  const at = order(version, given);
  if (op === '>=') return at >= 0;
  if (op === '>') return at > 0;
  if (op === '<=') return at <= 0;
  if (op === '<') return at < 0;
  if (op === '^') return at >= 0 && version[0] === given[0] && (given[0] > 0 || version[1] === given[1]);
  if (op === '~') return at >= 0 && version[0] === given[0] && version[1] === given[1];
  // `20`, `20.x`, `=1.2.3`: each given part equal.
  return parts.every((part, index) => wild(part) || Number(part) === version[index]);
};

/** Whether `version` satisfies an npm range: alternatives by `||`, each comparators separated by spaces. */
const admits = (range: string, version: Version): boolean =>
  range.split('||').some((alternative) =>
    alternative
      .trim()
      .replace(/(>=|<=|>|<|=)\s+/g, '$1')
      .split(/\s+/)
      .every((comparator) => satisfies(comparator, version)),
  );

/** The lockfile's packages whose `engines.node` does not admit `version`, as `name: node RANGE`. */
const refusedBy = (lock: string, version: Version): string[] => {
  const refused: string[] = [];
  let name = '';
  for (const line of lock.split('\n')) {
    const entry = /^ {2}('?[^\s'][^']*?'?):$/.exec(line);
    if (entry !== null) name = entry[1] as string;
    // `{node: '>= 18', pnpm: '>= 10'}` too (review 138: a line with a second key was passed over).
    const engines = /^ {4}engines: \{(.*)\}$/.exec(line)?.[1];
    const node = engines === undefined ? undefined : /(?:^|, )node: (?:'([^']*)'|([^,]*))/.exec(engines);
    const range = node?.[1] ?? node?.[2];
    if (range !== undefined && !admits(range, version)) refused.push(`${name}: node ${range}`);
  }
  return refused;
};

describe('engines', () => {
  it('the range reader reads the forms the lockfile has', () => {
    const v20: Version = [20, 19, 0];
    expect(
      [
        '>=18',
        '>= 12.0.0',
        '>=18.*',
        '^20.19.0 || >=22.12.0',
        '18 || 20 || >=22',
        '20.x || 22.x',
        '6.* || 8.* || >= 10.*',
      ].map((r) => admits(r, v20)),
    ).toEqual([true, true, true, true, true, true, true]);
    expect(['>=22', '^22.12.0', '~20.20.0', '>=20.20', '18 || >=22'].map((r) => admits(r, v20))).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('reads engines lines with one key or several', () => {
    const lock = [
      'packages:',
      '  a@1.0.0:',
      "    engines: {node: '>=22'}",
      '  b@2.0.0:',
      "    engines: {node: '>= 23', pnpm: '>= 10'}",
      '  c@3.0.0:',
      '    engines: {node: ^20.19.0 || >=22.12.0}',
      '  d@4.0.0:',
      "    engines: {pnpm: '>= 99'}",
    ].join('\n');
    expect(refusedBy(lock, [20, 19, 0])).toEqual(['a@1.0.0: node >=22', 'b@2.0.0: node >= 23']);
  });

  // Trial 129: vega-lite 6.5.0 asked for Node 22; on Node 20 npm warned EBADENGINE at every install of @parzen/report.
  it('every package the lockfile installs admits the oldest Node the workspace supports', () => {
    const oldest = /^>=(\d+)\.(\d+)\.(\d+)$/.exec(
      JSON.parse(readFileSync(join(repoDir, 'package.json'), 'utf8')).engines.node,
    );
    expect(oldest, 'the workspace says its Node as >=X.Y.Z').not.toBeNull();
    const version = (oldest as RegExpExecArray).slice(1).map(Number) as unknown as Version;
    const refused = refusedBy(readFileSync(join(repoDir, 'pnpm-lock.yaml'), 'utf8'), version);
    expect(refused).toEqual([]);
  });
});
