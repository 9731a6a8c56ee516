/**
 * The problems of bench/suite/problems.json in TypeScript: the same formulas as objectives.py, in the same
 * arithmetic order, and a loader that refuses to return them unless every test point is reproduced to 1e-9.
 */
import { readFileSync } from 'node:fs';
import type { ExternalParams, SpaceDefinition } from '@parzen/engine';
import { checkTestPoints, type ProblemParameter, spaceOf, type TestPoint } from '../problem-file.js';

/**
 * The halves of the suite: defaults are chosen on `train`; `heldout` is only reported; `fresh` (appended after
 * the defaults were tuned and `heldout` had been read) is only reported and was never tuned on.
 */
export type Half =
  | 'train'
  | 'heldout'
  | 'fresh'
  | 'fresh2'
  | 'fresh3'
  | 'fresh4'
  | 'fresh5'
  | 'fresh6'
  | 'fresh7'
  | 'fresh8'
  | 'fresh9'
  | 'fresh10'
  | 'fresh11'
  | 'fresh12'
  | 'fresh13'
  | 'fresh14'
  | 'fresh15'
  | 'fresh16'
  | 'fresh17';

/** One entry of bench/suite/problems.json (the fields the TypeScript side reads). */
export interface SuiteDefinition {
  readonly name: string;
  readonly family: string;
  readonly half: Half;
  readonly coupled: boolean;
  readonly template: string;
  readonly space: readonly ProblemParameter[];
  readonly constants?: Constants;
  readonly noise?: { readonly sigma: number; readonly seed: number };
  readonly known_min: { readonly value: number };
  readonly test_points: readonly TestPoint[];
}

/** A suite problem: its space, the loss an optimizer sees, the noise-free loss regret is measured on. */
export interface SuiteProblem {
  readonly name: string;
  readonly family: string;
  readonly half: Half;
  readonly coupled: boolean;
  readonly space: SpaceDefinition;
  /** What the optimizer sees: `clean` plus seeded noise for a noisy problem. */
  readonly loss: (params: ExternalParams) => number;
  /** The noise-free loss. */
  readonly clean: (params: ExternalParams) => number;
  readonly minimum: number;
}

type Constants = Readonly<Record<string, unknown>>;
type Template = (p: ExternalParams, k: Constants) => number;

const num = (p: ExternalParams, name: string): number => p[name] as number;
const int = (k: Constants, name: string): number => k[name] as number;
const vec = (k: Constants, name: string): readonly number[] => k[name] as number[];
const mat = (k: Constants, name: string): readonly (readonly number[])[] => k[name] as number[][];
const xs = (p: ExternalParams, n: number): number[] => Array.from({ length: n }, (_, i) => num(p, `x${i + 1}`));
const at = (values: readonly number[], i: number): number => values[i] as number;

/** base + depth · mean_i (1 − exp(−q_i / 2)). */
const wells = (base: number, depth: number, qs: readonly number[]): number => {
  let total = 0;
  for (const q of qs) total += 1 - Math.exp(-q / 2);
  return base + (depth * total) / qs.length;
};

// ---------------------------------------------------------------- seeded noise (as objectives.py)

const fnv = (h: number, bytes: Uint8Array): number => {
  let out = h;
  for (const byte of bytes) out = Math.imul(out ^ byte, 16777619) >>> 0;
  return out;
};

const fmix = (value: number): number => {
  let h = value >>> 0;
  h = (h ^ (h >>> 16)) >>> 0;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h = (h ^ (h >>> 13)) >>> 0;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
};

const utf8 = new TextEncoder();

const valueBytes = (value: unknown): Uint8Array => {
  if (typeof value === 'boolean') return Uint8Array.of(value ? 1 : 0);
  if (typeof value === 'string') return utf8.encode(value);
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value as number, true);
  return new Uint8Array(view.buffer);
};

/** 32-bit FNV-1a hash of a seed and the active parameters sorted by name. */
export const paramHash = (params: ExternalParams, seed: number): number => {
  const seedBytes = new DataView(new ArrayBuffer(4));
  seedBytes.setUint32(0, seed >>> 0, true);
  let h = fnv(2166136261, new Uint8Array(seedBytes.buffer));
  for (const name of Object.keys(params).sort()) {
    h = fnv(h, utf8.encode(name));
    h = fnv(h, valueBytes(params[name]));
  }
  return h;
};

/** A standard-normal-like draw (Irwin–Hall of 4 uniforms, variance 1) fixed by the params and a seed. */
export const standardNoise = (params: ExternalParams, seed: number): number => {
  const h = paramHash(params, seed);
  let total = 0;
  for (let k = 0; k < 4; k++) total += fmix((h ^ Math.imul(k + 1, 0x9e3779b9)) >>> 0) / 4294967296;
  return (total - 2) * Math.sqrt(3);
};

// ---------------------------------------------------------------- continuous families

const bananaChain: Template = (p, k) => {
  const d = int(k, 'd');
  const x = xs(p, d);
  let total = (at(x, 0) - int(k, 'c')) ** 2;
  for (let i = 0; i < d - 1; i++) {
    const g = at(x, i) * at(x, i) - int(k, 's') * at(x, i);
    total += int(k, 'a') * (at(x, i + 1) - g) ** 2;
  }
  return total;
};

const rotatedEllipsoid: Template = (p, k) => {
  const d = int(k, 'd');
  const x = xs(p, d);
  const r = mat(k, 'R');
  const center = vec(k, 'center');
  let total = 0;
  for (let i = 0; i < d; i++) {
    let z = 0;
    for (let j = 0; j < d; j++) z += at(r[i] as number[], j) * (at(x, j) - at(center, j));
    total += 10 ** ((int(k, 'exponent') * i) / (d - 1)) * z * z;
  }
  return total;
};

const narrowValley: Template = (p) => {
  const x = num(p, 'x');
  const y = num(p, 'y');
  return 500 * (x + y - 1) ** 2 + (x - 2 * y + 0.4) ** 2;
};

const logProductValley: Template = (p) => {
  const u = Math.log10(num(p, 'lr'));
  const b = Math.log10(num(p, 'batch'));
  const w = Math.log10(num(p, 'decay'));
  return 20 * (u - 0.8 * b + 4) ** 2 + 5 * (w + u + 4) ** 2 + 0.1 * (b - 2) ** 2;
};

const bumps: Template = (p, k) => {
  const d = int(k, 'd');
  const x = xs(p, d);
  const bowlCenter = vec(k, 'bowl_center');
  let bowl = 0;
  for (let j = 0; j < d; j++) bowl += (at(x, j) - at(bowlCenter, j)) ** 2;
  let total = int(k, 'bowl') * bowl;
  const centers = mat(k, 'centers');
  const depth = vec(k, 'depth');
  const width = vec(k, 'width');
  for (let b = 0; b < depth.length; b++) {
    let r2 = 0;
    for (let j = 0; j < d; j++) r2 += (at(x, j) - at(centers[b] as number[], j)) ** 2;
    total -= at(depth, b) * Math.exp(-r2 / (2 * at(width, b) * at(width, b)));
  }
  return total;
};

const rastriginShift: Template = (p, k) => {
  const d = int(k, 'd');
  const x = xs(p, d);
  let total = 10 * d;
  for (let j = 0; j < d; j++) {
    const z = at(x, j) - at(vec(k, 'shift'), j);
    total += z * z - 10 * Math.cos(2 * Math.PI * z);
  }
  return total;
};

const ackleyShift: Template = (p, k) => {
  const d = int(k, 'd');
  const x = xs(p, d);
  let s2 = 0;
  let sc = 0;
  for (let j = 0; j < d; j++) {
    const z = at(x, j) - at(vec(k, 'shift'), j);
    s2 += z * z;
    sc += Math.cos(2 * Math.PI * z);
  }
  return -20 * Math.exp(-0.2 * Math.sqrt(s2 / d)) - Math.exp(sc / d) + 20 + Math.E;
};

const sixHumpCamel: Template = (p) => {
  const x = num(p, 'x');
  const y = num(p, 'y');
  return (4 - 2.1 * x * x + x ** 4 / 3) * x * x + x * y + (-4 + 4 * y * y) * y * y;
};

const goldsteinPrice: Template = (p) => {
  const x = num(p, 'x');
  const y = num(p, 'y');
  const a = 1 + (x + y + 1) ** 2 * (19 - 14 * x + 3 * x * x - 14 * y + 6 * x * y + 3 * y * y);
  const b = 30 + (2 * x - 3 * y) ** 2 * (18 - 32 * x + 12 * x * x + 48 * y - 36 * x * y + 27 * y * y);
  return a * b;
};

const beale: Template = (p) => {
  const x = num(p, 'x');
  const y = num(p, 'y');
  return (1.5 - x + x * y) ** 2 + (2.25 - x + x * y * y) ** 2 + (2.625 - x + x * y * y * y) ** 2;
};

const himmelblau: Template = (p) => {
  const x = num(p, 'x');
  const y = num(p, 'y');
  return (x * x + y - 11) ** 2 + (x + y * y - 7) ** 2;
};

const levy: Template = (p, k) => {
  const d = int(k, 'd');
  const w = xs(p, d).map((v) => 1 + (v - 1) / 4);
  let total = Math.sin(Math.PI * at(w, 0)) ** 2;
  for (let j = 0; j < d - 1; j++) total += (at(w, j) - 1) ** 2 * (1 + 10 * Math.sin(Math.PI * at(w, j) + 1) ** 2);
  total += (at(w, d - 1) - 1) ** 2 * (1 + Math.sin(2 * Math.PI * at(w, d - 1)) ** 2);
  return total;
};

const zakharovShift: Template = (p, k) => {
  const d = int(k, 'd');
  const x = xs(p, d);
  let s1 = 0;
  let s2 = 0;
  for (let j = 0; j < d; j++) {
    const z = at(x, j) - at(vec(k, 'shift'), j);
    s1 += z * z;
    s2 += 0.5 * (j + 1) * z;
  }
  return s1 + s2 ** 2 + s2 ** 4;
};

const rosenbrock: Template = (p, k) => {
  const d = int(k, 'd');
  const x = xs(p, d);
  let total = 0;
  for (let j = 0; j < d - 1; j++) total += 100 * (at(x, j + 1) - at(x, j) * at(x, j)) ** 2 + (1 - at(x, j)) ** 2;
  return total;
};

const ellipsoidShift: Template = (p, k) => {
  const d = int(k, 'd');
  const x = xs(p, d);
  let total = 0;
  for (let j = 0; j < d; j++) {
    const z = at(x, j) - at(vec(k, 'shift'), j);
    total += 10 ** ((int(k, 'exponent') * j) / (d - 1)) * z * z;
  }
  return total;
};

// ---------------------------------------------------------------- mixed spaces

const qlearn: Template = (p, k) => {
  const c = (name: string) => int(k, name);
  const u = Math.log10(num(p, 'lr'));
  const b = Math.log2(num(p, 'batch_size') / 16);
  const g = num(p, 'discount');
  const e = Math.log10(num(p, 'eps_decay'));
  const m = Math.log10(num(p, 'memory'));
  const h = Math.log2(num(p, 'hidden') / 32);
  const t = num(p, 'target_update') / 1000;
  const n = num(p, 'epochs');
  const w = num(p, 'warmup') / 1000;
  const dq = p.double_q === true;
  const qs = [
    ((u - (c('lr0') + c('lr_slope') * b)) / c('lr_width')) ** 2,
    ((g - (dq ? c('discount_dq') : c('discount_plain'))) / 0.03) ** 2,
    ((e - (c('eps0') + 0.2 * n)) / 0.4) ** 2,
    ((m - c('memory_log10')) / 0.5) ** 2,
    ((h - c('hidden_log2')) / 1) ** 2,
    ((t - c('target')) / 0.4) ** 2,
    ((w - c('warmup')) / 1) ** 2,
  ];
  const base = c('base') + (dq ? 0 : c('plain_cost')) + 0.02 * Math.abs(n - c('epochs'));
  return wells(base, 0.8, qs);
};

const qlearnProduct: Template = (p) => {
  const u = Math.log10(num(p, 'lr'));
  const b = Math.log2(num(p, 'batch_size') / 32);
  const g = num(p, 'discount');
  const e = Math.log10(num(p, 'eps_increment'));
  const m = Math.log10(num(p, 'memory'));
  const h = Math.log2(num(p, 'hidden') / 16);
  const ns = num(p, 'n_step');
  const n = num(p, 'epochs');
  const tau = Math.log10(num(p, 'tau'));
  const pr = p.prioritized === true ? 1 : 0;
  let s = Math.exp(-0.5 * ((u - (-4.2 + 0.4 * b + 0.3 * pr)) / 0.35) ** 2);
  s *= Math.exp(-0.5 * ((g - (0.99 - 0.04 * ns)) / 0.05) ** 2);
  s *= Math.exp(-0.5 * ((e - (-3.5 + 0.25 * n)) / 0.5) ** 2);
  s *= Math.exp(-0.5 * ((m - 4) / 0.6) ** 2);
  s *= Math.exp(-0.5 * ((h - 4) / 1.2) ** 2);
  s *= Math.exp(-0.5 * ((tau + 2) / 0.6) ** 2);
  s *= 1 - 0.04 * Math.abs(ns - 3) - 0.02 * Math.abs(n - 4) - 0.05 * (1 - pr);
  return 1 - s;
};

const KERNEL_BASE: Readonly<Record<string, number>> = { rbf: 0.1, poly: 0.14, linear: 0.22, sigmoid: 0.3 };
const KERNEL_C: Readonly<Record<string, number>> = { rbf: 1, poly: -0.5, linear: -2, sigmoid: 0.5 };
const KERNEL_DEGREE: Readonly<Record<string, number>> = { rbf: 1, poly: 3, linear: 1, sigmoid: 2 };
const ACTIVATION_BASE: Readonly<Record<string, number>> = { relu: 0, tanh: 0.03, gelu: 0.01 };
const pick = (table: Readonly<Record<string, number>>, key: unknown): number => table[String(key)] as number;

const mixedIntCat: Template = (p) => {
  const c = Math.log10(num(p, 'C'));
  const deg = num(p, 'degree');
  const units = Math.log2(num(p, 'units'));
  const layers = num(p, 'layers');
  const qs = [
    ((c - pick(KERNEL_C, p.kernel)) / 0.7) ** 2,
    0.3 * (deg - pick(KERNEL_DEGREE, p.kernel)) ** 2,
    ((units - 6 - 0.5 * (layers - 3)) / 0.8) ** 2,
    0.2 * (layers - 3) ** 2,
  ];
  return wells(pick(KERNEL_BASE, p.kernel) + pick(ACTIVATION_BASE, p.activation), 0.7, qs);
};

const GRID_SHIFT: Readonly<Record<string, number>> = { a: 0, b: 0.5, c: -1, d: 1.5, e: 2.5 };
const GRID_BASE: Readonly<Record<string, number>> = { a: 0.4, b: 0, c: 0.3, d: 0.2, e: 0.6 };

const quantizedGrid: Template = (p) => {
  const x1 = num(p, 'x1');
  const x2 = Math.log10(num(p, 'x2'));
  const x3 = num(p, 'x3');
  const x5 = num(p, 'x5');
  return (
    (x1 - 1.5 - pick(GRID_SHIFT, p.x4)) ** 2 +
    4 * (x2 - 2 + 0.1 * (x1 - 2)) ** 2 +
    ((x3 - 7) / 3) ** 2 +
    (x5 - 0.1 * x3) ** 2 +
    pick(GRID_BASE, p.x4)
  );
};

// ---------------------------------------------------------------- conditional spaces

const trainer: Template = (p, k) => {
  const c = (name: string) => int(k, name);
  const bs = Math.log2(num(p, 'batch_size') / 64);
  const wd = Math.log10(num(p, 'weight_decay'));
  const qs = [((wd - c('wd_opt')) / 1) ** 2];
  if (p.optimizer === 'sgd') {
    const u = Math.log10(num(p, 'sgd_lr'));
    const kind = p.sgd_momentum;
    const [mom, base] =
      kind === 'none'
        ? [0, c('sgd_base') + 0.04]
        : kind === 'classic'
          ? [num(p, 'classic_momentum'), c('sgd_base') + 0.01]
          : [num(p, 'nesterov_momentum'), c('sgd_base')];
    const eff = u - Math.log10(1 - mom);
    qs.push(((eff - (c('sgd_eff') + 0.5 * bs)) / 0.2) ** 2);
    if (kind !== 'none') qs.push(((mom - 0.9) / 0.08) ** 2);
    return wells(base, 0.6, qs);
  }
  if (p.optimizer === 'adam') {
    const u = Math.log10(num(p, 'adam_lr'));
    const b1 = num(p, 'adam_beta1');
    const eps = Math.log10(num(p, 'adam_eps'));
    qs.push(((u - (c('adam_lr') + 0.25 * bs)) / 0.3) ** 2);
    qs.push(((b1 - 0.9) / 0.05) ** 2);
    qs.push(((eps + 8) / 2) ** 2);
    return wells(c('adam_base'), 0.6, qs);
  }
  const u = Math.log10(num(p, 'rms_lr'));
  const rho = num(p, 'rms_rho');
  qs.push(((u - (-3 + 0.3 * bs)) / 0.3) ** 2);
  qs.push(((rho - 0.95) / 0.03) ** 2);
  return wells(c('rms_base') - (p.rms_centered === 'yes' ? 0.01 : 0), 0.6, qs);
};

const scheduledTrainer: Template = (p) => {
  const u = Math.log10(num(p, 'lr'));
  const lrOpt = pick({ sgd: -1.5, adam: -3.2, adagrad: -2 }, p.optimizer);
  let base = pick({ sgd: 0.1, adam: 0.09, adagrad: 0.13 }, p.optimizer);
  const qs = [((u - lrOpt) / 0.3) ** 2];
  if (p.optimizer === 'sgd') qs.push(((num(p, 'sgd_momentum') - 0.9) / 0.05) ** 2);
  if (p.schedule === 'constant') {
    base += 0.03;
  } else if (p.schedule === 'step') {
    const step = num(p, 'step_size');
    const gamma = num(p, 'step_gamma');
    qs.push(((gamma - (0.9 - 0.015 * step)) / 0.08) ** 2);
    qs.push(((step - 20) / 10) ** 2);
    base += 0.01;
  } else {
    const warm = num(p, 'warmup') / 1000;
    qs.push(((warm - 0.3) / 0.2) ** 2);
    qs.push(((Math.log10(num(p, 'min_lr_ratio')) + 2.5) / 0.7) ** 2);
    if (p.restarts === 'yes') {
      qs.push(((num(p, 'cycle') - 12) / 4) ** 2);
      base -= 0.02;
    }
  }
  return wells(base, 0.7, qs);
};

const nestedModels: Template = (p) => {
  if (p.model === 'linear') {
    const alpha = Math.log10(num(p, 'alpha'));
    const qs = [((alpha + 2) / 0.8) ** 2];
    const base = pick({ l1: 0.24, l2: 0.23, elasticnet: 0.2 }, p.penalty);
    if (p.penalty === 'elasticnet') qs.push(((num(p, 'l1_ratio') - 0.3) / 0.15) ** 2);
    return wells(base, 0.5, qs);
  }
  if (p.model === 'tree') {
    const n = Math.log10(num(p, 'n_trees'));
    const depth = num(p, 'depth');
    const qs = [((n - 2.5) / 0.5) ** 2, ((depth - 9 + 2 * (n - 2.5)) / 2) ** 2];
    return wells(p.criterion === 'entropy' ? 0.12 : 0.13, 0.5, qs);
  }
  const layers = num(p, 'layers');
  const u = Math.log10(num(p, 'net_lr'));
  const drop = num(p, 'dropout');
  const qs = [((u - (-3 - 0.3 * (layers - 2))) / 0.3) ** 2, ((drop - 0.2 - 0.1 * layers) / 0.1) ** 2];
  const base = pick({ relu: 0.09, tanh: 0.11, leaky: 0.07 }, p.activation);
  if (p.activation === 'leaky') qs.push(((Math.log10(num(p, 'slope')) + 1.3) / 0.4) ** 2);
  return wells(base, 0.6, qs);
};

const pipeline: Template = (p) => {
  let base = 0;
  const qs: number[] = [];
  if (p.preprocess === 'none') {
    base += 0.05;
  } else if (p.preprocess === 'pca') {
    qs.push(((num(p, 'n_components') - 12) / 5) ** 2);
    base += p.whiten === 'yes' ? 0 : 0.01;
  } else {
    base += 0.02 + 0.01 * Math.abs(num(p, 'poly_degree') - 2);
    base += p.interaction_only === 'yes' ? 0 : 0.01;
  }
  if (p.classifier === 'svm') {
    const c = Math.log10(num(p, 'svm_C'));
    if (p.svm_kernel === 'rbf') {
      const g = Math.log10(num(p, 'rbf_gamma'));
      qs.push(((c - 1) / 0.8) ** 2);
      qs.push(((g + 2 + 0.5 * (c - 1)) / 0.4) ** 2);
      base += 0.06;
    } else {
      qs.push(((c + 0.5) / 0.8) ** 2);
      qs.push(((num(p, 'poly_kernel_degree') - 3) / 1) ** 2);
      qs.push(((num(p, 'coef0') - 1) / 0.5) ** 2);
      base += 0.08;
    }
  } else {
    qs.push(((Math.log2(num(p, 'k')) - 3) / 0.7) ** 2);
    base += p.knn_weights === 'distance' ? 0.09 : 0.1;
  }
  return wells(base, 0.6, qs);
};

// ---------------------------------------------------------------- two small ML tasks on fixed data

interface Dataset {
  readonly x_train: readonly (readonly number[])[];
  readonly y_train: readonly number[];
  readonly x_val: readonly (readonly number[])[];
  readonly y_val: readonly number[];
}

const datasets = new Map<string, Dataset>();
const dataset = (name: string): Dataset => {
  let data = datasets.get(name);
  if (data === undefined) {
    data = JSON.parse(readFileSync(new URL(`./data/${name}`, import.meta.url), 'utf8')) as Dataset;
    datasets.set(name, data);
  }
  return data;
};

/** Bias, raw features, then squares and/or pairwise products, in objectives.py's order. */
const ridgeFeatures = (row: readonly number[], kind: string): number[] => {
  const out = [1, ...row];
  const n = row.length;
  if (kind === 'quadratic' || kind === 'full') for (let i = 0; i < n; i++) out.push(at(row, i) * at(row, i));
  if (kind === 'interactions' || kind === 'full') {
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) out.push(at(row, i) * at(row, j));
  }
  return out;
};

interface RidgeMatrices {
  readonly gram: number[][];
  readonly xty: number[];
  readonly val: number[][];
  readonly yv: readonly number[];
}

const ridgeCache = new Map<string, RidgeMatrices>();
const ridgeMatrices = (kind: string): RidgeMatrices => {
  const cached = ridgeCache.get(kind);
  if (cached !== undefined) return cached;
  const d = dataset('ridge.json');
  const rows = d.x_train.map((r) => ridgeFeatures(r, kind));
  const n = rows.length;
  const m = (rows[0] as number[]).length;
  const gram = Array.from({ length: m }, () => new Array<number>(m).fill(0));
  const xty = new Array<number>(m).fill(0);
  for (let r = 0; r < n; r++) {
    const row = rows[r] as number[];
    for (let i = 0; i < m; i++) {
      xty[i] = at(xty, i) + at(row, i) * at(d.y_train, r);
      const g = gram[i] as number[];
      for (let j = 0; j < m; j++) g[j] = at(g, j) + at(row, i) * at(row, j);
    }
  }
  for (let i = 0; i < m; i++) {
    xty[i] = at(xty, i) / n;
    const g = gram[i] as number[];
    for (let j = 0; j < m; j++) g[j] = at(g, j) / n;
  }
  const out = { gram, xty, val: d.x_val.map((r) => ridgeFeatures(r, kind)), yv: d.y_val };
  ridgeCache.set(kind, out);
  return out;
};

const RIDGE_CAP = 10;

const mlRidge: Template = (p) => {
  const { gram, xty, val, yv } = ridgeMatrices(String(p.features));
  const lr = num(p, 'lr');
  const l2 = num(p, 'l2');
  const mom = num(p, 'momentum');
  const epochs = Math.round(num(p, 'epochs'));
  const m = xty.length;
  const w = new Array<number>(m).fill(0);
  const v = new Array<number>(m).fill(0);
  const grad = new Array<number>(m).fill(0);
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = 0; i < m; i++) {
      let s = 0;
      const row = gram[i] as number[];
      for (let j = 0; j < m; j++) s += at(row, j) * at(w, j);
      grad[i] = 2 * (s - at(xty, i)) + 2 * l2 * at(w, i);
    }
    let big = false;
    for (let i = 0; i < m; i++) {
      v[i] = mom * at(v, i) - lr * at(grad, i);
      w[i] = at(w, i) + at(v, i);
      if (!(Math.abs(at(w, i)) < 1e6)) big = true;
    }
    if (big) return RIDGE_CAP;
  }
  let sse = 0;
  for (let r = 0; r < val.length; r++) {
    const row = val[r] as number[];
    let pred = 0;
    for (let j = 0; j < m; j++) pred += at(row, j) * at(w, j);
    const err = pred - at(yv, r);
    sse += err * err;
  }
  const mse = sse / val.length;
  // biome-ignore lint/complexity/useMathMinMax: a NaN must become the cap, as in objectives.py (Math.min keeps NaN)
  return mse < RIDGE_CAP ? mse : RIDGE_CAP;
};

interface Neighbour {
  readonly dist: number;
  readonly index: number;
}

const knnCache = new Map<string, Neighbour[][]>();
/** For each validation row, the training rows sorted by (distance, index) under a scaling and a metric. */
const knnNeighbours = (scaling: string, metric: string): Neighbour[][] => {
  const key = `${scaling}/${metric}`;
  const cached = knnCache.get(key);
  if (cached !== undefined) return cached;
  const { x_train: xt, x_val: xv } = dataset('knn.json');
  const f = (xt[0] as number[]).length;
  const shift = new Array<number>(f).fill(0);
  const scale = new Array<number>(f).fill(1);
  if (scaling === 'standard') {
    for (let j = 0; j < f; j++) {
      let mean = 0;
      for (const r of xt) mean += at(r, j);
      mean /= xt.length;
      let variance = 0;
      for (const r of xt) variance += (at(r, j) - mean) * (at(r, j) - mean);
      shift[j] = mean;
      scale[j] = Math.sqrt(variance / xt.length);
    }
  } else if (scaling === 'minmax') {
    for (let j = 0; j < f; j++) {
      const column = xt.map((r) => at(r, j));
      shift[j] = Math.min(...column);
      scale[j] = Math.max(...column) - Math.min(...column);
    }
  }
  const scaled = (rows: readonly (readonly number[])[]) =>
    rows.map((r) => r.map((value, j) => (value - at(shift, j)) / at(scale, j)));
  const st = scaled(xt);
  const out = scaled(xv).map((a) => {
    const dists = st.map((b, index): Neighbour => {
      let dist = 0;
      if (metric === 'l1') {
        for (let j = 0; j < f; j++) dist += Math.abs(at(a, j) - at(b, j));
      } else if (metric === 'l2') {
        let s = 0;
        for (let j = 0; j < f; j++) s += (at(a, j) - at(b, j)) * (at(a, j) - at(b, j));
        dist = Math.sqrt(s);
      } else {
        for (let j = 0; j < f; j++) dist = Math.max(dist, Math.abs(at(a, j) - at(b, j)));
      }
      return { dist, index };
    });
    return dists.sort((x, y) => x.dist - y.dist || x.index - y.index);
  });
  knnCache.set(key, out);
  return out;
};

const mlKnn: Template = (p) => {
  const { y_train: yt, y_val: yv } = dataset('knn.json');
  const neighbours = knnNeighbours(String(p.scaling), String(p.metric));
  const k = num(p, 'k');
  const h = p.weighting === 'gaussian' ? num(p, 'bandwidth') : 1;
  let total = 0;
  for (let r = 0; r < yv.length; r++) {
    let numerator = 0;
    let denominator = 0;
    for (let t = 0; t < k; t++) {
      const { dist, index } = (neighbours[r] as Neighbour[])[t] as Neighbour;
      let wt: number;
      if (p.weighting === 'uniform') wt = 1;
      else if (p.weighting === 'inverse') wt = 1 / (dist + 1e-3);
      else {
        const z = dist / h;
        wt = Math.exp(-0.5 * z * z);
      }
      numerator += wt * at(yt, index);
      denominator += wt;
    }
    const prob = denominator > 0 ? numerator / denominator : 0.5;
    const err = prob - at(yv, r);
    total += err * err;
  }
  return total / yv.length;
};

const TEMPLATES: Readonly<Record<string, Template>> = {
  banana_chain: bananaChain,
  rotated_ellipsoid: rotatedEllipsoid,
  narrow_valley: narrowValley,
  log_product_valley: logProductValley,
  bumps,
  rastrigin_shift: rastriginShift,
  ackley_shift: ackleyShift,
  six_hump_camel: sixHumpCamel,
  goldstein_price: goldsteinPrice,
  beale,
  himmelblau,
  levy,
  zakharov_shift: zakharovShift,
  rosenbrock,
  ellipsoid_shift: ellipsoidShift,
  qlearn,
  qlearn_product: qlearnProduct,
  mixed_int_cat: mixedIntCat,
  quantized_grid: quantizedGrid,
  trainer,
  scheduled_trainer: scheduledTrainer,
  nested_models: nestedModels,
  pipeline,
  ml_ridge: mlRidge,
  ml_knn: mlKnn,
};

/** The problem definitions of bench/suite/problems.json, unchecked. */
export const suiteDefinitions = (): readonly SuiteDefinition[] =>
  (
    JSON.parse(readFileSync(new URL('./problems.json', import.meta.url), 'utf8')) as {
      problems: SuiteDefinition[];
    }
  ).problems;

/** A definition's noise-free and observed losses. */
export const suiteLosses = (
  definition: SuiteDefinition,
): { clean: (params: ExternalParams) => number; loss: (params: ExternalParams) => number } => {
  const template = TEMPLATES[definition.template];
  if (template === undefined) throw new Error(`${definition.name}: no implementation of \`${definition.template}\`.`);
  const constants = definition.constants ?? {};
  const clean = (params: ExternalParams) => template(params, constants);
  const { noise } = definition;
  const loss =
    noise === undefined
      ? clean
      : (params: ExternalParams) => clean(params) + noise.sigma * standardNoise(params, noise.seed);
  return { clean, loss };
};

/**
 * Every problem of bench/suite/problems.json (or those `names` lists). Throws unless each reproduces its
 * test points (observed and noise-free losses) to 1e-9.
 */
export const loadSuite = (names?: readonly string[]): SuiteProblem[] =>
  suiteDefinitions()
    .filter((definition) => names === undefined || names.includes(definition.name))
    .map((definition) => {
      const { clean, loss } = suiteLosses(definition);
      checkTestPoints(definition.name, definition.test_points, loss, clean);
      return {
        name: definition.name,
        family: definition.family,
        half: definition.half,
        coupled: definition.coupled,
        space: spaceOf(definition.space),
        loss,
        clean,
        minimum: definition.known_min.value,
      };
    });
