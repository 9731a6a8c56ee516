/**
 * The benchmark problems of bench/problems.json (a copy of the shared, language-neutral file) as Parzen
 * spaces and objectives, with a check that each reproduces the file's test points.
 */
import { readFileSync } from 'node:fs';
import type { ExternalParams, SpaceDefinition } from '@parzen/engine';
import { checkTestPoints, type ProblemParameter, spaceOf, type TestPoint } from './problem-file.js';

interface ProblemFile {
  readonly problems: readonly {
    readonly name: string;
    readonly space: readonly ProblemParameter[];
    readonly known_min: { readonly value: number };
    readonly constants?: { readonly alpha: number[]; readonly A: number[][]; readonly P: number[][] };
    readonly test_points: readonly TestPoint[];
  }[];
}

/** One benchmark problem: its space, its loss (minimised) and its known minimum. */
export interface Problem {
  readonly name: string;
  readonly space: SpaceDefinition;
  readonly loss: (params: ExternalParams) => number;
  readonly minimum: number;
}

const file = JSON.parse(readFileSync(new URL('./problems.json', import.meta.url), 'utf8')) as ProblemFile;

const num = (params: ExternalParams, name: string): number => params[name] as number;

const heart = (p: ExternalParams): number => {
  const x = num(p, 'x');
  const y = num(p, 'y');
  return -((x ** 2 + y ** 2 - 1) ** 3 - x ** 2 * y ** 3);
};

const branin = (p: ExternalParams): number => {
  const x1 = num(p, 'x1');
  const x2 = num(p, 'x2');
  const b = 5.1 / (4 * Math.PI ** 2);
  const c = 5 / Math.PI;
  const t = 1 / (8 * Math.PI);
  return (x2 - b * x1 ** 2 + c * x1 - 6) ** 2 + 10 * (1 - t) * Math.cos(x1) + 10;
};

const hartmann6 =
  (constants: { readonly alpha: number[]; readonly A: number[][]; readonly P: number[][] }) =>
  (p: ExternalParams): number => {
    const xs = [1, 2, 3, 4, 5, 6].map((j) => num(p, `x${j}`));
    let total = 0;
    constants.alpha.forEach((alpha, i) => {
      const inner = xs.reduce(
        (sum, x, j) => sum + (constants.A[i]?.[j] ?? 0) * (x - (constants.P[i]?.[j] ?? 0)) ** 2,
        0,
      );
      total += alpha * Math.exp(-inner);
    });
    return -total;
  };

const well = (base: number, depth: number, q: number): number => base + depth * (1 - Math.exp(-q / 2));

const conditionalModels = (p: ExternalParams): number => {
  if (p.model === 'svm') {
    const c = Math.log10(num(p, 'svm_C'));
    const g = Math.log10(num(p, 'svm_gamma'));
    const gOpt = -1.5 - 0.5 * (c - 1);
    return well(0.12, 0.4, ((c - 1) / 1.5) ** 2 + ((g - gOpt) / 0.5) ** 2);
  }
  if (p.model === 'random_forest') {
    const n = num(p, 'rf_n_estimators');
    const k = num(p, 'rf_max_depth');
    const f = num(p, 'rf_max_features');
    return well(0.08, 0.4, Math.log2(n / 300) ** 2 + ((k - 12) / 4) ** 2 + ((f - (0.2 + 0.02 * k)) / 0.15) ** 2);
  }
  const u = Math.log10(num(p, 'mlp_learning_rate'));
  const h = num(p, 'mlp_hidden_units');
  const r = num(p, 'mlp_dropout');
  const uOpt = -2.5 - 0.75 * Math.log2(h / 64);
  return well(0.03, 0.6, ((u - uOpt) / 0.25) ** 2 + (Math.log2(h / 128) / 0.5) ** 2 + ((r - 0.3) / 0.1) ** 2);
};

const losses: Readonly<Record<string, (constants: ProblemFile['problems'][number]['constants']) => Problem['loss']>> = {
  heart: () => heart,
  branin: () => branin,
  hartmann6: (constants) => hartmann6(constants ?? { alpha: [], A: [], P: [] }),
  conditional_models: () => conditionalModels,
};

/** Every problem of bench/problems.json. Throws if one does not reproduce its test points to 1e-9. */
export const loadProblems = (): Problem[] =>
  file.problems.map((definition) => {
    const make = losses[definition.name];
    if (make === undefined) throw new Error(`No implementation for problem \`${definition.name}\`.`);
    const loss = make(definition.constants);
    checkTestPoints(definition.name, definition.test_points, loss);
    return { name: definition.name, space: spaceOf(definition.space), loss, minimum: definition.known_min.value };
  });
