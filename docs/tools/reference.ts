/**
 * Renders the generated reference pages: `docs/config-reference.md` from the config's JSON Schema (the
 * one `parzen schema` prints, with the CLI's built-in plugins) and `docs/cli-reference.md` from the
 * commander definitions of `parzen`. `pnpm docs:reference` writes them; a test fails when they are stale.
 */
import { buildProgram, EXIT_CODES_HELP, runCli } from '@parzen/cli';

type Command = ReturnType<typeof buildProgram>;
type Option = Command['options'][number];

/** The command that rewrites the generated pages (named in the stale test's failure message). */
export const REGENERATE = 'pnpm docs:reference';

type Schema = Readonly<Record<string, unknown>>;

const GENERATED_NOTE = (source: string) =>
  `<!-- Generated from ${source} by \`${REGENERATE}\`; do not edit by hand. -->`;

/** The sections of this page a top-level key's row points to (its description is the schema's). */
const SECTION_LINKS: Readonly<Record<string, string>> = {
  space: '[The space](#the-space)',
  objective: '[Objectives](#objectives)',
  suggester: '[Suggesters](#suggesters)',
  store: '[Stores](#stores)',
  reporters: '[Reporters](#reporters)',
  pruner: '[Pruners](#pruners)',
  stopper: '[Stoppers](#stoppers)',
  budget: '[Budget](#budget)',
};

const asSchema = (value: unknown): Schema =>
  typeof value === 'object' && value !== null ? (value as Schema) : ({} as Schema);
const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
const code = (value: unknown): string => `\`${JSON.stringify(value)}\``;

const bounds = (schema: Schema): string => {
  const parts: string[] = [];
  if (schema.minimum !== undefined) parts.push(`≥ ${schema.minimum}`);
  if (schema.exclusiveMinimum !== undefined) parts.push(`> ${schema.exclusiveMinimum}`);
  if (schema.maximum !== undefined) parts.push(`≤ ${schema.maximum}`);
  if (schema.minLength !== undefined) parts.push(`length ≥ ${schema.minLength}`);
  if (schema.minItems !== undefined) parts.push(`≥ ${schema.minItems} items`);
  if (schema.maxItems !== undefined) parts.push(`≤ ${schema.maxItems} items`);
  if (schema.pattern !== undefined) parts.push(`matches \`${schema.pattern}\``);
  return parts.length === 0 ? '' : ` (${parts.join(', ')})`;
};

/** A short human form of a schema's type: `integer (≥ 1)`, `"a" \| "b"`, `array of string`. */
export const typeOf = (schema: Schema): string => {
  if (schema.const !== undefined) return code(schema.const);
  if (Array.isArray(schema.enum)) return schema.enum.map(code).join(' | ');
  if (typeof schema.$ref === 'string')
    return `see [${schema.$ref.replace('#/$defs/', '')}](#the-${schema.$ref.replace('#/$defs/', '')})`;
  // A plugin slot: `use` among the plugins' names, each one's options in an `if`/`then` (none: a slot no config can
  // fill). The object's form, with the names a config may use (trial 33: `plugin choice: "tpe"` read as if the bare
  // name were one).
  const use = asSchema(asSchema(schema.properties).use);
  if (Array.isArray(use.enum) || (use.type === 'string' && schema.not !== undefined)) {
    const uses = Array.isArray(use.enum) ? use.enum : [];
    return uses.length === 0
      ? 'plugin choice `{ "use": NAME }` (none built in)'
      : `plugin choice \`{ "use": NAME }\`, NAME one of ${uses.map(code).join(', ')}`;
  }
  const alternatives = schema.anyOf ?? schema.oneOf;
  // Alternatives that only require fields of one schema (the budget: one of maxTrials, moreTrials, ...).
  const requiring =
    Array.isArray(alternatives) &&
    schema.type !== undefined &&
    alternatives.every((entry) =>
      Object.keys(asSchema(entry)).every((key) => key === 'required' || key === 'properties'),
    );
  if (requiring) {
    const names = alternatives.map((entry) =>
      (asSchema(entry).required as string[]).map((name) => `\`${name}\``).join(' and '),
    );
    return `${String(schema.type)} with at least one of ${names.join(', ')}`;
  }
  if (Array.isArray(alternatives)) return alternatives.map((entry) => typeOf(asSchema(entry))).join(' | ');
  const type = Array.isArray(schema.type) ? schema.type.join(' | ') : String(schema.type ?? 'any');
  if (type === 'array' && schema.items !== undefined)
    return `array of ${typeOf(asSchema(schema.items))}${bounds(schema)}`;
  if (type === 'object' && schema.additionalProperties !== undefined && schema.additionalProperties !== false) {
    const values = asSchema(schema.additionalProperties);
    return `object of ${Object.keys(values).length === 0 ? 'any' : typeOf(values)}${bounds(schema)}`;
  }
  return `${type}${bounds(schema)}`;
};

/** The option that picks other options' defaults (`allOf: [{ if: { properties: { X: { const } } } }]`), if any. */
const conditionKey = (schema: Schema): string | undefined => {
  const first = (Array.isArray(schema.allOf) ? schema.allOf : []).map(asSchema)[0];
  return Object.keys(asSchema(asSchema(first?.if).properties))[0];
};

/** Keys whose default depends on another option (they get a default only in an `allOf` branch). */
const conditionalKeys = (schema: Schema): Set<string> =>
  new Set(
    (Array.isArray(schema.allOf) ? schema.allOf : []).map(asSchema).flatMap((entry) =>
      Object.entries(asSchema(asSchema(entry.then).properties))
        .filter(([, then]) => asSchema(then).default !== undefined)
        .map(([key]) => key),
    ),
  );

const propertyRows = (schema: Schema, prefix = ''): string[] => {
  const byCondition = conditionalKeys(schema);
  const condition = conditionKey(schema);
  // Required always, or required unless a `matrix` supplies them (the editor schema's `if`/`then`).
  const unlessMatrix = ((schema.allOf as readonly Record<string, unknown>[] | undefined) ?? []).flatMap((entry) => {
    const otherwise = entry.else as { required?: unknown } | undefined;
    return entry.if !== undefined && Array.isArray(otherwise?.required) ? (otherwise.required as string[]) : [];
  });
  const required = new Set([...(Array.isArray(schema.required) ? (schema.required as string[]) : []), ...unlessMatrix]);
  const rows: string[] = [];
  for (const [key, value] of Object.entries(asSchema(schema.properties))) {
    const property = asSchema(value);
    const description = typeof property.description === 'string' ? property.description : '';
    const link = prefix === '' ? SECTION_LINKS[key] : undefined;
    const text = link === undefined ? description : `${description} See ${link}.`;
    const defaultValue =
      property.default !== undefined ? code(property.default) : byCondition.has(key) ? `by \`${condition}\`` : '';
    rows.push(
      `| \`${prefix}${key}\` | ${cell(typeOf(property))} | ${cell(defaultValue)} | ${required.has(key) ? 'yes' : ''} | ${cell(text)} |`,
    );
  }
  return rows;
};

const propertyTable = (schema: Schema, prefix = ''): string[] => {
  const rows = propertyRows(schema, prefix);
  if (rows.length === 0) return ['No options.'];
  return ['| key | type | default | required | description |', '|---|---|---|---|---|', ...rows];
};

/** Defaults that depend on another option (`allOf: [{ if: { X: const }, then: { defaults } }]`), as one table. */
const conditionalDefaults = (options: Schema): string[] => {
  let cases = (Array.isArray(options.allOf) ? options.allOf : []).map(asSchema).flatMap((entry) => {
    const [[key, condition] = []] = Object.entries(asSchema(asSchema(entry.if).properties));
    const value = asSchema(condition).const;
    const defaults = Object.entries(asSchema(asSchema(entry.then).properties)).filter(
      ([, then]) => asSchema(then).default !== undefined,
    );
    return key === undefined || value === undefined || defaults.length === 0 ? [] : [{ key, value, defaults }];
  });
  const first = cases[0];
  if (first === undefined) return [];
  // Cases of the option alone: a former name of it filling the same defaults (TPE's `compat`) adds no row.
  cases = cases.filter((entry) => entry.key === first.key);
  // Every option some case gives a default, in the order first met (a case without one shows a dash: its
  // default is worked out from other options, as its description says).
  const names = [...new Set(cases.flatMap((entry) => entry.defaults.map(([name]) => name)))];
  const lines = [
    '',
    `Defaults by \`${first.key}\`:`,
    '',
    `| \`${first.key}\` | ${names.map((name) => `\`${name}\``).join(' | ')} |`,
    `|---|${names.map(() => '---').join('|')}|`,
  ];
  for (const { value, defaults } of cases) {
    const byName = new Map(defaults.map(([name, then]) => [name, asSchema(then).default]));
    lines.push(
      `| ${code(value)} | ${names.map((name) => (byName.has(name) ? cell(code(byName.get(name))) : '—')).join(' | ')} |`,
    );
  }
  if (cases.some(({ defaults }) => names.some((name) => !defaults.some(([given]) => given === name))))
    lines.push('', '—: no default filled in; the plugin works it out from the other options (see its description).');
  return lines;
};

const SLOTS: readonly { key: string; title: string; intro: string }[] = [
  { key: 'objective', title: 'Objectives', intro: 'The `objective` key: `{ "use": NAME, "options": {...} }`.' },
  { key: 'suggester', title: 'Suggesters', intro: 'The `suggester` key (default `{ "use": "tpe" }`).' },
  { key: 'store', title: 'Stores', intro: 'The `store` key (default `{ "use": "jsonl" }`).' },
  { key: 'reporters', title: 'Reporters', intro: 'The `reporters` key: a list of plugin choices.' },
  { key: 'pruner', title: 'Pruners', intro: 'The `pruner` key.' },
  { key: 'stopper', title: 'Stoppers', intro: 'The `stopper` key.' },
];

/** The kinds of a schema keyed by a field (`type`, `use`): each kind's own schema, the `then` of its `if`. */
const keyedKinds = (schema: Schema): Schema[] =>
  ((schema.allOf as unknown[] | undefined) ?? []).map((entry) => asSchema(asSchema(entry).then));

const slotSection = (properties: Schema, slot: (typeof SLOTS)[number]): string[] => {
  const property = asSchema(properties[slot.key]);
  const choices = keyedKinds(asSchema(property.items ?? property));
  const lines = ['', `## ${slot.title}`, '', slot.intro];
  if (choices.length === 0)
    lines.push('', 'The CLI has no built-in plugin of this kind; plugin packages can add some.');
  for (const choice of choices) {
    const name = String(asSchema(asSchema(choice.properties).use).const);
    const options = asSchema(asSchema(choice.properties).options);
    lines.push('', `### \`${name}\``, '');
    if (typeof choice.description === 'string') lines.push(choice.description, '');
    lines.push(...propertyTable(options, 'options.'), ...conditionalDefaults(options));
  }
  return lines;
};

const spaceSection = (defs: Schema): string[] => {
  const lines = [
    '',
    '## The space',
    '',
    'Each parameter is one of these objects (required fields in bold). A `choice` option may be a plain value',
    'or `{ "value": V, "space": {...} }`, whose sub-space is active only when that option is chosen.',
    'A parameter name is any non-empty string, compared code point for code point (as are string options): `café`',
    'with é as one code point (NFC) and with e and an accent (NFD) are two names. `parzen validate` and a run note',
    'names and options that look the same as another but differ in code points, invisible characters or white space',
    'at their ends, and names of only white space or invisible characters: nothing tells them apart on screen.',
    '',
    '| `type` | fields | what it draws |',
    '|---|---|---|',
  ];
  for (const variant of keyedKinds(asSchema(defs.parameter))) {
    const required = new Set((variant.required as string[] | undefined) ?? []);
    const properties = Object.entries(asSchema(variant.properties));
    const type = asSchema(properties.find(([key]) => key === 'type')?.[1]).const;
    const fields = properties
      .filter(([key]) => key !== 'type')
      .map(([key, value]) => `${required.has(key) ? `**${key}**` : key}: ${typeOf(asSchema(value))}`);
    const description = typeof variant.description === 'string' ? variant.description : '';
    lines.push(`| \`${String(type)}\` | ${cell(fields.join('; '))} | ${cell(description)} |`);
  }
  return lines;
};

/** The config reference page for a composed config schema. */
export const renderConfigReference = (schema: Schema): string => {
  const properties = asSchema(schema.properties);
  const lines = [
    GENERATED_NOTE('the JSON Schema of `parzen schema` (the CLI with its built-in plugins)'),
    '',
    '# Config reference',
    '',
    'Every key of an experiment config (JSON or YAML), as `parzen run` reads it. Plugin options are checked',
    'against each plugin’s own schema; a third-party plugin’s options appear in `parzen schema CONFIG` for a',
    'config that lists it under `plugins`. Paths in options are relative to the config’s folder. A plugin',
    'choice is an object, `{ "use": "tpe", "options": { ... } }` (`options` may be left out); a bare name',
    'such as `"tpe"` is not one.',
    '',
    '## Top-level keys',
    '',
    'Besides these, top-level keys starting `x-` are free for the file’s own use (YAML anchors, notes) and are',
    'ignored by Parzen.',
    '',
    ...propertyTable(schema),
    ...spaceSection(asSchema(schema.$defs)),
    '',
    '## Budget',
    '',
    'The `budget` key; at least one rule. The run stops at the first rule reached; running trials finish.',
    '',
    ...propertyTable(asSchema(properties.budget), 'budget.'),
    ...SLOTS.flatMap((slot) => slotSection(properties, slot)),
  ];
  return `${lines.join('\n')}\n`;
};

const optionRow = (option: Option): string => {
  const defaultValue = option.defaultValue === undefined ? '' : code(option.defaultValue);
  // commander keeps `conflictsWith` on the option at run time but does not declare it in its types.
  const conflictsWith = (option as Option & { readonly conflictsWith?: readonly string[] }).conflictsWith ?? [];
  const conflicts =
    conflictsWith.length === 0 ? '' : `; not with ${conflictsWith.map((name) => `\`--${name}\``).join(', ')}`;
  return `| \`${cell(option.flags)}\` | ${cell(`${option.description}${conflicts}`)} | ${cell(defaultValue)} |`;
};

const commandSection = (command: Command): string[] => {
  const args = command.registeredArguments;
  // A hidden flag (`export --csv`, which only refuses with a hint) is not an option to offer (review 156: listed
  // with an empty description).
  const options = command.options.filter((option) => !option.hidden);
  const usage = [
    'parzen',
    command.name(),
    ...args.map((arg) => {
      const name = `${arg.name()}${arg.variadic ? '...' : ''}`;
      return arg.required ? `<${name}>` : `[${name}]`;
    }),
    ...(options.length > 0 ? ['[options]'] : []),
  ].join(' ');
  const lines = ['', `## \`parzen ${command.name()}\``, '', command.description(), '', '```', usage, '```'];
  if (args.length > 0) {
    lines.push('', '| argument | description |', '|---|---|');
    for (const arg of args) lines.push(`| \`${arg.name()}\` | ${cell(arg.description)} |`);
  }
  if (options.length > 0) {
    lines.push('', '| option | description | default |', '|---|---|---|', ...options.map(optionRow));
  }
  return lines;
};

/** The CLI reference page for the `parzen` program. */
export const renderCliReference = (program: Command): string => {
  const lines = [
    GENERATED_NOTE('the commander definitions in `packages/cli/src/program.ts`'),
    '',
    '# CLI reference',
    '',
    program.description(),
    '',
    'Every command also takes `-h, --help` (`parzen help COMMAND` is the same); `parzen --version` (`-V`) prints the version.',
    ...EXIT_CODES_HELP,
    '',
    '| command | what it does |',
    '|---|---|',
    ...program.commands.map(
      (command) =>
        `| [\`${command.name()}\`](#parzen-${command.name()}) | ${cell(command.summary() || command.description())} |`,
    ),
    ...program.commands.flatMap(commandSection),
  ];
  return `${lines.join('\n')}\n`;
};

/** The schema `parzen schema` prints, read in-process. */
export const cliSchema = async (): Promise<Schema> => {
  const lines: string[] = [];
  const status = await runCli(['node', 'parzen', 'schema'], { result: (line) => lines.push(line), note: () => {} });
  if (status !== 0) throw new Error(`parzen schema exited ${status}`);
  return JSON.parse(lines.join('\n')) as Schema;
};

/** Both generated pages, as paths relative to `docs/` and their content. */
export const renderReferences = async (): Promise<readonly { file: string; content: string }[]> => [
  { file: 'config-reference.md', content: renderConfigReference(await cliSchema()) },
  {
    file: 'cli-reference.md',
    content: renderCliReference(buildProgram({ result: () => {}, note: () => {} }, { code: 0 })),
  },
];
