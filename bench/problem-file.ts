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

const parameter = (p: ProblemParameter): ParameterDefinition => {
  const { low = 0, high = 1, q = 1, mu = 0, sigma = 1 } = p;
  switch (p.kind) {
    case 'uniform':
    case 'loguniform':
      return { type: p.kind, low, high };
    case 'quniform':
    case 'qloguniform':
      return { type: p.kind, low, high, q };
    case 'randint':
      return { type: 'randint', low, high };
    case 'normal':
      return { type: 'normal', mu, sigma };
    case 'choice':
      return {
        type: 'choice',
        options: (p.options ?? []).map((value) => {
          const branch = typeof value === 'string' ? p.branches?.[value] : undefined;
          return branch === undefined ? value : { value, space: spaceOf(branch) };
        }),
      };
  }
};

/** A problem file's parameter list as a Parzen space (branches become nested option spaces). */
export const spaceOf = (parameters: readonly ProblemParameter[]): SpaceDefinition =>
  Object.fromEntries(parameters.map((p) => [p.name, parameter(p)]));

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
