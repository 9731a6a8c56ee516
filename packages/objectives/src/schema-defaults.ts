import { definedOptions, type SchemaNode } from '@parzen/engine/plugin';

// From JavaScript, a command objective without `cwd` was a TypeError (review 156).
/**
 * Options given in code, with the defaults a config gets from the options' JSON Schema filled in for those left
 * out (ajv fills them for a config only). Call it after the options were checked against the same schema.
 */
export const withSchemaDefaults = <T extends object>(schema: SchemaNode, options: object): T => {
  const properties = (schema.properties ?? {}) as Readonly<Record<string, SchemaNode>>;
  const defaults = Object.entries(properties).flatMap(([key, property]) =>
    property.default === undefined ? [] : [[key, structuredClone(property.default)]],
  );
  return { ...Object.fromEntries(defaults), ...definedOptions(options) } as T;
};
