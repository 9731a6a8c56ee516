import type { ChoiceLiteral, Trial } from '@parzen/engine';
import { didYouMean } from '@parzen/engine/host';
import { type CompiledSpace, type ParamAssignment, type ParamNode, toExternalParams } from '@parzen/engine/plugin';
import { CliError } from '../exit-codes.js';
import { listNames } from '../list-names.js';
import type { WhereCondition } from '../parse-flags.js';

/** The `--where` conditions as `trials` and `best` say them: `model = mlp and depth = 4`. */
export const whereText = (conditions: readonly WhereCondition[]): string =>
  conditions.map(({ name, value }) => `${name} = ${value}`).join(' and ');

/** A number as a `--where` value writes it: decimal, as `--json` shows one (`4`, `0.001`, `-1e-5`). */
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

/** A string option that a bare value would read as a number, a boolean or null: written in double quotes. */
const looksLikeOther = (text: string): boolean => NUMBER.test(text) || ['true', 'false', 'null'].includes(text);

/** An option as `--where` takes it: a string as its text (in double quotes when it reads as another value). */
const optionWords = (option: ChoiceLiteral): string =>
  typeof option === 'string' && !looksLikeOther(option) ? `\`${option}\`` : `\`${JSON.stringify(option)}\``;

/**
 * The options of a choice a `--where` value names: a number by its value (`4` is `4.0`), `true`, `false` and
 * `null` as written, and a string option by its text when no such option is named (in double quotes, as JSON,
 * always: `"4"` for the string where an option is the number 4).
 */
const optionsNamed = (options: readonly ChoiceLiteral[], value: string): ChoiceLiteral[] => {
  let quoted: string | undefined;
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    try {
      quoted = JSON.parse(value) as string;
    } catch {
      quoted = undefined;
    }
  }
  if (quoted !== undefined) return options.filter((option) => option === quoted);
  const others = options.filter((option) =>
    typeof option === 'number'
      ? NUMBER.test(value.trim()) && Number(value) === option
      : typeof option !== 'string' && String(option) === value.trim(),
  );
  if (others.length > 0) return others;
  // A string as written, else without the spaces around it (`--where "model = mlp"`, as the name is read).
  const exact = options.filter((option) => option === value);
  return exact.length > 0 ? exact : options.filter((option) => option === value.trim());
};

/** What one condition keeps of a parameter's values (as the objective sees them), or why no value can be it. */
const accepted = (
  param: ParamNode,
  { name, value }: WhereCondition,
): { readonly accepts: (external: unknown) => boolean } | { readonly refusal: string } => {
  const options = param.optionValues;
  if (options !== undefined) {
    const named = optionsNamed(options, value);
    if (named.length > 0) return { accepts: (external) => named.includes(external as ChoiceLiteral) };
    const strings = options.filter((option): option is string => typeof option === 'string' && !looksLikeOther(option));
    return {
      refusal: `--where ${name}=${value}: ${JSON.stringify(value)} is not an option of the choice \`${name}\`${didYouMean(value, strings)}; its options are ${listNames(options.map(optionWords), 20)}.`,
    };
  }
  if (!NUMBER.test(value.trim()))
    return {
      refusal: `--where ${name}=${value}: \`${name}\` is a number (${param.definition.type}), and ${JSON.stringify(value)} is none: give its value as --json shows it (--where ${name}=0.5).`,
    };
  const number = Number(value);
  // To 12 significant digits: a quantized value is stored as its grid's floating-point product
  // (0.30000000000000004 for 3 x 0.1), which `--where q=0.3` means.
  const rounded = Number(number.toPrecision(12));
  return {
    accepts: (external) =>
      external === number || (typeof external === 'number' && Number(external.toPrecision(12)) === rounded),
  };
};

/**
 * The studies with only their trials that meet every `--where` condition (`trials --where`, `best --where`, `export --where`): the
 * parameter's value as the objective sees it (a choice's option value) is the condition's; a parameter a trial
 * did not have (a branch's that the trial's choices left out) never meets one. Throws, as bad input, for a name
 * no study's space has (naming those it has) and for a value that no study's parameter of that name can have
 * (a choice's: naming its options). No conditions: the studies as they are.
 */
export const whereTrials = <S extends { readonly space: CompiledSpace; readonly trials: readonly Trial[] }>(
  studies: readonly S[],
  conditions: readonly WhereCondition[] | undefined,
): S[] => {
  if (conditions === undefined || conditions.length === 0) return [...studies];
  // By study, then by condition: what it keeps of the parameter's values (undefined: nothing, the study has no
  // such parameter or it cannot have that value).
  const accepts = studies.map((): ((external: unknown) => boolean)[] => []);
  for (const condition of conditions) {
    const params = studies.map(({ space }) => space.byName.get(condition.name));
    if (params.every((param) => param === undefined)) {
      const known = [...new Set(studies.flatMap(({ space }) => space.params.map((param) => param.name)))];
      const spaces = studies.length === 1 ? "the study's space" : "the studies' spaces";
      throw new CliError(
        `--where ${condition.name}=${condition.value}: ${JSON.stringify(condition.name)} is not a parameter of ${spaces}${didYouMean(condition.name, known)}; ${studies.length === 1 ? 'it has' : 'they have'} ${listNames(
          known.map((name) => `\`${name}\``),
          20,
        )}.`,
      );
    }
    const found = params.map((param) => (param === undefined ? undefined : accepted(param, condition)));
    const refusals = found.flatMap((result) => (result !== undefined && 'refusal' in result ? [result.refusal] : []));
    if (!found.some((result) => result !== undefined && 'accepts' in result)) throw new CliError(refusals[0] as string);
    found.forEach((result, at) => {
      accepts[at]?.push(result !== undefined && 'accepts' in result ? result.accepts : () => false);
    });
  }
  return studies.map((study, at) => {
    const tests = accepts[at] ?? [];
    return {
      ...study,
      trials: study.trials.filter((trial) => {
        const params: Readonly<Record<string, unknown>> = toExternalParams(study.space, trial.internal);
        return conditions.every(
          ({ name }, index) => Object.hasOwn(params, name) && (tests[index]?.(params[name]) ?? false),
        );
      }),
    };
  });
};

/**
 * The enqueued entries a trial meeting every `--where` condition could run (conditions checked by {@link whereTrials}
 * first): an entry that fixes a condition's parameter to another value is left out; one that leaves the parameter to
 * the suggester is kept, as its trial may draw the value.
 * `export --where`'s header carries the keys of these alone, as its trial lines are the matching trials alone.
 */
export const whereEntries = <E extends { readonly internal: ParamAssignment }>(
  space: CompiledSpace,
  entries: readonly E[],
  conditions: readonly WhereCondition[] | undefined,
): E[] => {
  if (conditions === undefined || conditions.length === 0) return [...entries];
  const tests = conditions.map((condition) => {
    const param = space.byName.get(condition.name);
    const found = param === undefined ? undefined : accepted(param, condition);
    return found !== undefined && 'accepts' in found ? found.accepts : () => false;
  });
  return entries.filter((entry) => {
    const params: Readonly<Record<string, unknown>> = toExternalParams(space, entry.internal);
    return conditions.every(({ name }, index) =>
      Object.hasOwn(params, name) ? (tests[index]?.(params[name]) ?? false) : mayBeActive(space, name, entry.internal),
    );
  });
};

/**
 * Whether a trial running an entry that leaves `name` to the suggester may have it: some choice option that activates
 * it is one the entry fixes, or one it leaves open on a path that may be active itself (review 179: an entry fixing
 * `model` to `rf` was kept by `--where C=0.2`, a parameter only `svm` has).
 */
const mayBeActive = (space: CompiledSpace, name: string, fixed: ParamAssignment): boolean => {
  const node = space.byName.get(name);
  if (node === undefined || node.conditions.length === 0) return true;
  return node.conditions.some(({ parent, index }) => {
    const chosen = fixed[parent];
    return (chosen === undefined || chosen === index) && mayBeActive(space, parent, fixed);
  });
};
