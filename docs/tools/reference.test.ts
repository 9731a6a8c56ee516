import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cliSchema, REGENERATE, renderReferences, typeOf } from './reference.js';

const docs = fileURLToPath(new URL('..', import.meta.url));

describe('the generated reference pages', () => {
  it('are up to date with the schema and the CLI', async () => {
    for (const { file, content } of await renderReferences()) {
      const written = readFileSync(join(docs, file), 'utf8');
      if (written !== content) {
        expect.fail(`docs/${file} is stale: run \`${REGENERATE}\` and commit the result.`);
      }
    }
  });

  it('list every top-level config key, every built-in plugin and every command', async () => {
    const [config, cli] = await renderReferences();
    for (const key of ['name', 'space', 'objective', 'budget', 'enqueue', 'matrix']) {
      expect(config?.content).toContain(`| \`${key}\` |`);
    }
    for (const plugin of ['module', 'command', 'tpe', 'random', 'jsonl', 'sqlite', 'console']) {
      expect(config?.content).toContain(`### \`${plugin}\``);
    }
    expect(config?.content).toContain('| `options.startupTrials` |');
    for (const command of ['run', 'resume', 'validate', 'trials', 'best', 'report', 'schema']) {
      expect(cli?.content).toContain(`## \`parzen ${command}\``);
    }
    expect(cli?.content).toContain('`--max-trials <n>`');
  });

  it('lists no hidden flag, and a description for every option it lists (review 156: `export --csv`, empty)', async () => {
    const [, cli] = await renderReferences();
    const rows = (cli?.content ?? '').split('\n').filter((line) => /^\| `-/.test(line));
    expect(rows.length).toBeGreaterThan(20);
    expect(rows.filter((row) => /^\| `[^`]+` \|\s*\|/.test(row))).toEqual([]);
  });

  // Trial 162: 18 of 20 top-level keys and every parameter kind had no description in the schema (the page's texts
  // lived here), so an editor's hover over `seed` or `"loguniform"` was empty.
  it('takes every top-level key and parameter kind description from the schema, where editors show them', async () => {
    const schema = (await cliSchema()) as {
      properties: Record<string, { description?: string }>;
      $defs: { parameter: { allOf: { then: { description?: string; properties: { type: { const: string } } } }[] } };
    };
    for (const [key, property] of Object.entries(schema.properties)) expect(property.description, key).toMatch(/\w/);
    const kinds = schema.$defs.parameter.allOf.map(({ then }) => [then.properties.type.const, then.description]);
    expect(kinds).toHaveLength(12);
    for (const [kind, description] of kinds) expect(description, kind).toMatch(/\w/);
    expect(Object.fromEntries(kinds).randint).toContain('high is exclusive');
  });

  it('summarises schema types', () => {
    expect(typeOf({ type: 'integer', minimum: 1 })).toBe('integer (≥ 1)');
    expect(typeOf({ enum: ['a', 'b'] })).toBe('`"a"` | `"b"`');
    expect(typeOf({ type: 'object', properties: { use: { enum: ['tpe'] } }, allOf: [] })).toBe(
      'plugin choice `{ "use": NAME }`, NAME one of `"tpe"`',
    );
    expect(typeOf({ type: 'array', items: { type: 'string' } })).toBe('array of string');
  });
});
