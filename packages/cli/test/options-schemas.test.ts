/**
 * The exported options schemas can be read and extended by a user's code: `schema.properties.path`, and
 * `{ ...schema, properties: { ...schema.properties, extra } }`. Checked by the compiler (`tsc -p tsconfig.test.json`):
 * typed as a bare `SchemaNode`, `properties` was `unknown` and spreading it failed (TS2698).
 */
import { tpeOptionsSchema } from '@parzen/algo-tpe';
import type { SchemaNode } from '@parzen/engine/plugin';
import { commandObjectiveOptionsSchema, moduleObjectiveOptionsSchema } from '@parzen/objectives';
import { jsonlStoreOptionsSchema } from '@parzen/store-file';
import { postgresStoreOptionsSchema } from '@parzen/store-postgres';
import { sqliteStoreOptionsSchema } from '@parzen/store-sqlite';
import { describe, expect, it } from 'vitest';

/** The schema with an option of the user's own added: what a wrapping plugin writes. */
const extended = (schema: typeof jsonlStoreOptionsSchema | typeof tpeOptionsSchema) => {
  const extra: SchemaNode = { type: 'string', description: 'An option of my own.' };
  return { ...schema, properties: { ...schema.properties, extra } };
};

describe('the exported options schemas', () => {
  it('have their options under `properties`, to read one and to extend them', () => {
    const schemas = {
      jsonl: jsonlStoreOptionsSchema,
      sqlite: sqliteStoreOptionsSchema,
      postgres: postgresStoreOptionsSchema,
      command: commandObjectiveOptionsSchema,
      module: moduleObjectiveOptionsSchema,
      tpe: tpeOptionsSchema,
    };
    for (const [name, schema] of Object.entries(schemas)) {
      const more = extended(schema);
      expect(Object.keys(more.properties), name).toEqual([...Object.keys(schema.properties), 'extra']);
      expect(more.type, name).toBe('object');
    }
    // One option each, read by its name.
    const read: (SchemaNode | undefined)[] = [
      jsonlStoreOptionsSchema.properties.path,
      sqliteStoreOptionsSchema.properties.path,
      postgresStoreOptionsSchema.properties.url,
      commandObjectiveOptionsSchema.properties.command,
      moduleObjectiveOptionsSchema.properties.path,
      tpeOptionsSchema.properties.gamma,
    ];
    expect(read.map((option) => typeof option?.description)).toEqual(Array(6).fill('string'));
    expect({ ...jsonlStoreOptionsSchema.properties }.path).toBe(jsonlStoreOptionsSchema.properties.path);
  });
});
