/**
 * The language-neutral problem files (bench/problems.json, bench/suite/problems.json): their parameter
 * kinds as Parzen spaces, and the check that an implementation reproduces a file's test points.
 */
import type { ExternalParams, ParameterDefinition, SpaceDefinition } from '@parzen/engine';

/** One parameter of a problem file (see the file's `schema.parameter`). */
export interface ProblemParameter {
  readonly name: string;
  readonly kind: 'uniform' | 'loguniform' | 'quniform' | 'qloguniform' | 'randint' | 'choice' | 'normal';
  readonly low?: number;
  readonly high?: number;
  readonly q?: number;
  readonly mu?: number;
  readonly sigma?: number;
  readonly options?: readonly (string | boolean)[];
  readonly branches?: Readonly<Record<string, readonly ProblemParameter[]>>;
}

/** A reference value of a problem file: the loss at `params` (and, for a noisy problem, the noise-free `clean`). */
export interface TestPoint {
  readonly params: ExternalParams;
  readonly loss: number;
  readonly clean?: number;
}

/** A required number of a parameter, or an error naming the parameter and the field. */
const numberOf = (p: ProblemParameter, field: 'low' | 'high' | 'q' | 'mu' | 'sigma'): number => {
  const value = p[field];
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new Error(
      `parameter ${p.name} (${p.kind}): expected a finite number ${field}, found ${JSON.stringify(value)}`,
    );
  return value;
};

// Trial 107: a boolean option's branch (keyed "true" in JSON) was dropped, an unknown kind or a missing bound
// passed silently (bounds 0 and 1), so a problem ran with another space than its file's.
const parameter = (p: ProblemParameter): ParameterDefinition => {
  switch (p.kind) {
    case 'uniform':
    case 'loguniform':
      return { type: p.kind, low: numberOf(p, 'low'), high: numberOf(p, 'high') };
    case 'quniform':
    case 'qloguniform':
      return { type: p.kind, low: numberOf(p, 'low'), high: numberOf(p, 'high'), q: numberOf(p, 'q') };
    case 'randint':
      return { type: 'randint', low: numberOf(p, 'low'), high: numberOf(p, 'high') };
    case 'normal':
      return { type: 'normal', mu: numberOf(p, 'mu'), sigma: numberOf(p, 'sigma') };
    case 'choice': {
      const options = p.options ?? [];
      if (!Array.isArray(options) || options.length === 0)
        throw new Error(`parameter ${p.name} (choice): expected a non-empty list of options`);
      // A JSON object's keys are strings: a boolean option's branch is keyed by its text ("true", "false"), so
      // `true` beside "true" could not tell their branches apart.
      const keys = new Set(options.map(String));
      if (keys.size < options.length)
        throw new Error(
          `parameter ${p.name} (choice): options ${JSON.stringify(options)} repeat a text, which would key two branches alike`,
        );
      const stray = Object.keys(p.branches ?? {}).filter((key) => !keys.has(key));
      if (stray.length > 0)
        throw new Error(
          `parameter ${p.name} (choice): branches ${stray.join(', ')} name no option (options: ${[...keys].join(', ')})`,
        );
      return {
        type: 'choice',
        options: options.map((value) => {
          const branch = p.branches?.[String(value)];
          return branch === undefined ? value : { value, space: spaceOf(branch) };
        }),
      };
    }
    default: {
      const unknown = p as { readonly name: string; readonly kind: unknown };
      throw new Error(`parameter ${unknown.name}: unknown kind ${JSON.stringify(unknown.kind)}`);
    }
  }
};

/**
 * A problem file's parameter list as a Parzen space (branches become nested option spaces). Throws on what the
 * file's schema does not allow: an unknown kind, a missing number, a branch that names no option, a name given
 * twice in one list (the same name in two branches is Parzen's to accept, when the definitions agree).
 */
export const spaceOf = (parameters: readonly ProblemParameter[]): SpaceDefinition => {
  const names = parameters.map((p) => p.name);
  const twice = names.filter((name, i) => names.indexOf(name) !== i);
  if (twice.length > 0) throw new Error(`parameter ${twice[0]} is given twice in one list`);
  return Object.fromEntries(parameters.map((p) => [p.name, parameter(p)]));
};

/** Whether `got` matches the reference `expected` to 1e-9 (relative above 1, absolute below). */
export const reproduces = (got: number, expected: number): boolean =>
  Math.abs(got - expected) <= 1e-9 * Math.max(1, Math.abs(expected));

/**
 * Throws unless `loss` (and `clean`, where a point has a noise-free value) reproduces every test point
 * of problem `name` to 1e-9.
 */
export const checkTestPoints = (
  name: string,
  points: readonly TestPoint[],
  loss: (params: ExternalParams) => number,
  clean: (params: ExternalParams) => number = loss,
): void => {
  for (const point of points) {
    const checks: [string, number, number | undefined][] = [
      ['loss', loss(point.params), point.loss],
      ['clean loss', clean(point.params), point.clean],
    ];
    for (const [what, got, expected] of checks) {
      if (expected !== undefined && !reproduces(got, expected)) {
        throw new Error(
          `${name}: test point ${JSON.stringify(point.params)} gives ${what} ${got}, expected ${expected}`,
        );
      }
    }
  }
};
