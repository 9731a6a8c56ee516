import { createHash } from 'node:crypto';
import { CUT_SHORT_CAUSES } from '@parzen/engine/host';
import { type Distribution, gridSteps, type ParamNode } from '@parzen/engine/plugin';
import { graphemes } from '../graphemes.js';
import type { ReplaySnapshot } from '../replay.js';

/** The kinds drawn on a log axis. */
const LOG_KINDS = ['loguniform', 'qloguniform', 'lognormal', 'qlognormal'];

/** Whether a parameter is drawn (and its importance measured) on a log scale. */
export const isLogScaled = (distribution: Distribution): boolean => LOG_KINDS.includes(distribution.kind);

/**
 * Whether a log kind can produce 0, which a log axis cannot draw: qlognormal, and a qloguniform whose low is below
 * q/2 (its grid starts at 0, `gridSteps`: hyperopt's round(exp(x)/q)·q; qloguniform(1, 100, 10) gives 0 for a
 * third of its draws).
 */
export const takesZeroOnLog = (distribution: Distribution): boolean =>
  distribution.kind === 'qlognormal' || (distribution.kind === 'qloguniform' && gridSteps(distribution).first <= 0);

/**
 * The values a bounded kind takes, from lowest to highest: its bounds, widened to the ends of its grid for a
 * quantized kind (whose values lie up to q/2 past a bound: quniform(1, 10, 4) gives 0, 4 and 8); a randint's high is
 * exclusive. Undefined for an unbounded kind.
 */
export const valueRange = (distribution: Distribution): readonly [number, number] | undefined => {
  switch (distribution.kind) {
    case 'uniform':
    case 'loguniform':
    case 'uniformint':
      return [distribution.low, distribution.high];
    case 'randint':
      return [distribution.low, distribution.high - 1];
    case 'quniform':
    case 'qloguniform': {
      const { first, last } = gridSteps(distribution);
      return [Math.min(distribution.low, first * distribution.q), Math.max(distribution.high, last * distribution.q)];
    }
    default:
      return undefined;
  }
};

/**
 * The x/y scale of a parameter: log for log kinds, and the range of its values ({@link valueRange}) when it has one.
 * A log kind that can take 0 ({@link takesZeroOnLog}) is on a symlog scale instead, linear from 0 to q and logarithmic
 * above: every value is drawn (a log scale placed 0 at NaN, and the trial was not drawn).
 */
export const paramScale = (distribution: Distribution): Record<string, unknown> => {
  const range = valueRange(distribution);
  const type = takesZeroOnLog(distribution) ? 'symlog' : isLogScaled(distribution) ? 'log' : undefined;
  return {
    ...(type === undefined ? { zero: false } : { type }),
    ...(type === 'symlog' && 'q' in distribution ? { constant: distribution.q } : {}),
    ...(range === undefined ? {} : { domain: [...range], nice: false }),
  };
};

/**
 * Where a value sits along its parameter's axis, in the units {@link paramScale}'s scale spaces evenly (the log, the
 * symlog log1p(v/q), or the value), and back: for positions computed outside Vega (parallel coordinates, the pair
 * plot's numbers).
 */
export const paramPosition = (
  distribution: Distribution,
): { readonly at: (value: number) => number; readonly back: (position: number) => number } => {
  if (takesZeroOnLog(distribution) && 'q' in distribution) {
    const { q } = distribution;
    return {
      at: (v) => Math.sign(v) * Math.log1p(Math.abs(v / q)),
      back: (c) => Math.sign(c) * Math.expm1(Math.abs(c)) * q,
    };
  }
  return isLogScaled(distribution) ? { at: Math.log, back: Math.exp } : { at: (v) => v, back: (c) => c };
};

/**
 * A sentence for a chart's description when one of its parameters is on a symlog axis ({@link takesZeroOnLog}), or ''.
 */
export const symlogNote = (params: readonly ParamNode[]): string => {
  const names = params.filter((param) => takesZeroOnLog(param.distribution)).map((param) => param.name);
  return names.length === 0
    ? ''
    : ` ${names.join(', ')} can be 0 (a quantized log parameter rounds its smallest values to 0): ${names.length === 1 ? 'its axis is' : 'their axes are'} symlog, linear from 0 to one step q and logarithmic above.`;
};

/** Whether a parameter only takes whole numbers: randint, uniformint, and the quantized kinds with a whole step. */
const integerValued = (distribution: Distribution): boolean =>
  distribution.kind === 'randint' ||
  distribution.kind === 'uniformint' ||
  (distribution.kind === 'quniform' && Number.isInteger(distribution.q)) ||
  (distribution.kind === 'qloguniform' && Number.isInteger(distribution.q)) ||
  (distribution.kind === 'qnormal' && Number.isInteger(distribution.q)) ||
  (distribution.kind === 'qlognormal' && Number.isInteger(distribution.q));

/**
 * The ticks of a log axis from `low` to `high`: the powers of ten, and 2 and 5 times them as well when the
 * range spans less than 3 decades (Vega's own labels read 0.00001, 0.0001, 0.001, 0.01, 0.02, 0.1, 0.2, 1,
 * some 2s kept and some dropped). Empty when fewer than two ticks would fall in the range (Vega's own ticks then).
 */
export const logTicks = (low: number, high: number, integer = false): number[] => {
  if (!(low > 0) || !(high > low) || !Number.isFinite(high)) return [];
  const few = Math.log10(high / low) < 3;
  const ticks: number[] = [];
  for (let k = Math.floor(Math.log10(low)); k <= Math.ceil(Math.log10(high)); k++)
    for (const m of few ? [1, 2, 5] : [1]) {
      const tick = Number((m * 10 ** k).toPrecision(1));
      // Bounds given in binary (1e-5 stored as 0.0000100000000000000008) still count as ticks.
      if (tick >= low * (1 - 1e-9) && tick <= high * (1 + 1e-9) && (!integer || Number.isInteger(tick)))
        ticks.push(tick);
    }
  return ticks.length >= 2 ? ticks : [];
};

/** A tick label in powers of ten: `1e-8`, `2e-5`, `1` (not `1e+0`), `1e+5`. */
export const EXPONENT_LABEL = "replace(format(datum.value, '~e'), /e\\+0$/, '')";

/** A tick label as a decimal: `0.001`, `0.1`, `1`, `100` (`format` alone takes its digits from the ticks' step). */
export const DECIMAL_LABEL = "format(datum.value, '~r')";

/**
 * Whether ticks at powers of ten (and 2 and 5 times them) are labelled as decimals: when every one but 0 is from
 * 0.001 to below 10,000; past them every tick in powers of ten ({@link EXPONENT_LABEL}), so one axis reads in one
 * format (not `1e-8, 1e-5, 0.001`).
 */
// Trial 132 (parameter axes) and trial 141 (the comparison's regret axes: `1e+2, 10, 1, 0.1`).
export const decimalTicks = (ticks: readonly number[]): boolean => {
  const { low, high } = extent(ticks.filter((tick) => tick > 0));
  return !(low < 1e-3) && !(high >= 1e4);
};

/** The label of an axis ticked at powers of ten, one format for all its ticks ({@link decimalTicks}). */
export const decadeLabel = (ticks: readonly number[]): string => (decimalTicks(ticks) ? DECIMAL_LABEL : EXPONENT_LABEL);

/**
 * The axis properties of a parameter over these values (`scale` as {@link paramScale} gives it): whole-number ticks for
 * an integer parameter (not 1.0, 1.5, 2.0, ... on a randint's axis), and {@link logTicks} on a log axis, over the
 * distribution's range when it has one, else over the values.
 */
export const paramAxis = (distribution: Distribution, values: readonly number[]): Record<string, unknown> => {
  const integer = integerValued(distribution);
  if (isLogScaled(distribution)) {
    const bounds = valueRange(distribution);
    const range =
      bounds === undefined
        ? extent(values.filter((v) => v > 0 && Number.isFinite(v)))
        : { low: bounds[0], high: bounds[1] };
    // On a symlog axis: 0, then the powers of ten from one step q up.
    const zero = takesZeroOnLog(distribution) && 'q' in distribution;
    const upper = logTicks(zero ? distribution.q : range.low, range.high, integer);
    const ticks = zero && upper.length > 0 ? [0, ...upper] : upper;
    if (ticks.length > 0) {
      // Decimals from 0.001 to 1000; past them every tick in powers of ten (trial 132: '~g' switches below 1e-6).
      return decimalTicks(ticks) ? { values: ticks, format: '~r' } : { values: ticks, labelExpr: EXPONENT_LABEL };
    }
  }
  return integer ? { format: 'd', tickMinStep: 1 } : {};
};

/** The report's own names (the trial table's columns, the charts' axes and tooltip titles). */
// `built`: the TPE density chart's tick tooltip (review 155: a `built` parameter made two entries of that title).
export const OWN_NAMES: ReadonlySet<string> = new Set(['trial', 'state', 'loss', 'step', 'seconds', 'error', 'built']);

/**
 * The name a parameter is shown under beside the report's own names (`own`): `params.NAME` when it is one of them or
 * starts with `params.` or `attrs.`, as `parzen trials` names it; else its name. One rule for the table's columns,
 * the parallel coordinates' axes and every tooltip (a tooltip keeps one entry per title: scikit-learn's `loss`
 * choice titled `loss` hid the trial's loss).
 */
// Review 120 (a `step` parameter made two table columns), trial 52 (a `loss` axis), review 154 (the tooltips).
export const paramLabel = (name: string, own: ReadonlySet<string> = OWN_NAMES): string =>
  own.has(name) || name.startsWith('params.') || name.startsWith('attrs.') ? `params.${name}` : name;

/**
 * A tooltip entry of a parameter's value in `field`: a number to 6 significant digits, as the loss beside it and the
 * trial table (not `lr: 0.00007594438212725`); a whole-number parameter's as it is, a choice's as its label; titled as
 * {@link paramLabel} names it.
 */
// Trial 141 found the raw values.
export const paramTooltip = (param: ParamNode, field: string): Record<string, unknown> =>
  param.distribution.kind === 'categorical' || integerValued(param.distribution)
    ? { field, title: paramLabel(param.name) }
    : { field, title: paramLabel(param.name), type: 'quantitative', format: '.6~g' };

/** The lowest and highest finite values (±Infinity the other way round when there is none). */
const finiteExtent = (values: readonly number[]): { low: number; high: number } =>
  extent(values.filter((value) => Number.isFinite(value)));

/** The log-axis rule of {@link spansDecades}, over an extent. */
const overDecades = ({ low, high }: { low: number; high: number }): boolean =>
  low > 0 && high / low >= 1000 && high < 1e300;

/**
 * Whether losses are drawn on a log axis: all positive, spanning 3 or more powers of ten, and below 1e300 (a log
 * axis rounds its top up to a power of ten, which past the largest number is Infinity: no ticks, every point at
 * 0). On a linear axis such losses' early bad trials flatten every good one against the bottom.
 */
// One rule for every loss axis (trial 28: the history's; trial 115: the parallel coordinates and the distribution
// stayed linear; review 120: the log axis over losses near 1.7e308).
export const spansDecades = (values: readonly number[]): boolean => overDecades(finiteExtent(values));

/**
 * Pixels between a chart's frame and the extreme values on a loss axis or a slice plot's parameter axis (Vega's
 * scale padding): a mark at the lowest or highest value is drawn whole inside the frame, not half over it (a user
 * trial: the worst trial half hidden in a slice's corner, a two-valued history's points all on its frames).
 */
export const FRAME_PADDING = 10;

/** At most this many distinct losses get a tick each ({@link lossAxis}). */
const FEW_LOSSES = 5;

/**
 * A loss axis over these values: log when they are positive over 3 or more powers of ten ({@link spansDecades}),
 * linear (`zero: false`), or symlog when their range passes
 * `Number.MAX_VALUE` (finite losses near ±1.7e308 together): a linear scale's span is then infinite and Vega
 * draws NaN ticks and positions. Symlog keeps the order and the sign, and its span is finite. Padded by
 * {@link FRAME_PADDING} pixels at each end; with at most {@link FEW_LOSSES} distinct losses, a tick at each of them
 * (a user trial: a history of losses 0.09 and 0.19 had a tick at neither).
 */
export const lossAxis = (
  values: readonly number[],
  title = 'loss',
  /** Log whenever the values allow one (all positive, below 1e300), not only over 3 powers of ten. */
  log = false,
): Record<string, unknown> => {
  const { low, high } = finiteExtent(values);
  const distinct = [...new Set(values.filter((value) => Number.isFinite(value)))].sort((a, b) => a - b);
  const few =
    distinct.length > 0 && distinct.length <= FEW_LOSSES ? { axis: { values: distinct, format: '.6~g' } } : {};
  if (overDecades({ low, high }) || (log && low > 0 && high < 1e300))
    // Not rounded out to whole decades (`nice`), which left up to a decade empty above the highest loss.
    return { title: `${title} (log scale)`, scale: { type: 'log', nice: false, padding: FRAME_PADDING }, ...few };
  // One loss (a trial, or a constant objective): Vega's ticks over an empty span print six decimals ("41.244252").
  if (high - low !== Number.POSITIVE_INFINITY) return { title, scale: { zero: false, padding: FRAME_PADDING }, ...few };
  // Vega's ticks divide the span too: fixed ticks at 0 and ±10^(100k) within the range, and a fixed domain.
  const ticks = [-1e300, -1e200, -1e100, 0, 1e100, 1e200, 1e300].filter((tick) => tick >= low && tick <= high);
  return {
    title: `${title} (symlog scale: the range passes ±1.7e308)`,
    scale: { type: 'symlog', domain: [low, high], nice: false },
    axis: { values: ticks, format: '.0e' },
  };
};

/** Numeric (non-categorical) parameters, in evaluation order. */
export const numericParams = (params: readonly ParamNode[]): ParamNode[] =>
  params.filter((param) => param.distribution.kind !== 'categorical');

/** A label for an option value: strings as they are, everything else as JSON. */
export const optionLabel = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

/**
 * Each option's label ({@link optionLabel}), a string JSON-quoted when another option would print the same
 * (else `"1"` and `1`, `"true"` and `true` are drawn in one place, their bars over each other).
 */
export const optionLabels = (values: readonly unknown[]): string[] => {
  const plain = values.map(optionLabel);
  const seen = new Map<string, number>();
  for (const label of plain) seen.set(label, (seen.get(label) ?? 0) + 1);
  const quoted = values.map((value, i) => {
    const label = plain[i] as string;
    return (seen.get(label) ?? 0) > 1 && typeof value === 'string' ? JSON.stringify(value) : label;
  });
  // Still alike (review 54: the string `"1"`, quotes and all, against the string 1 quoted): every string
  // JSON-quoted, which tells any two literals apart.
  return new Set(quoted).size === quoted.length
    ? quoted
    : values.map((value) => (typeof value === 'string' ? JSON.stringify(value) : optionLabel(value)));
};

/** The label of one of a choice's values, as {@link optionLabels} labels the choice's options. */
export const choiceLabel = (param: ParamNode, value: unknown): string => {
  const values = param.optionValues ?? [];
  const at = values.indexOf(value as (typeof values)[number]);
  return at < 0 ? optionLabel(value) : (optionLabels(values)[at] as string);
};

/** Colours of the seed's figure: log l(x) green, log g(x) red, their difference black. */
export const SERIES = {
  below: 'log l(x) (good trials)',
  above: 'log g(x) (the others)',
  difference: 'log l(x) − log g(x)',
} as const;
/** The colour scale for {@link SERIES}: green, red, black. */
export const SERIES_COLORS = { domain: Object.values(SERIES), range: ['#2ca02c', '#d62728', '#000000'] };

/** w in the score log l − w · log g the replayed suggestions used (1 when there are none), rounded for labels. */
export const replayedWeight = (snapshots: readonly ReplaySnapshot[]): number =>
  sig(snapshots[0]?.explanation.aboveWeight ?? 1);

/** The rows ("after k trials") that used each weight, in order: weight → row numbers. */
export const rowsByWeight = (rows: readonly { readonly after: number; readonly weight: number }[]) => {
  const byWeight = new Map<number, number[]>();
  for (const { after, weight } of rows) byWeight.set(weight, [...(byWeight.get(weight) ?? []), after]);
  return byWeight;
};

/** Row numbers for a caption: "10, 20" or, past three, "20–90". */
export const listRows = (rows: readonly number[]): string =>
  rows.length > 3 ? `${rows[0]}–${rows.at(-1)}` : rows.join(', ');

/** The black series when TPE scored log l − w · log g: its label and colour scale (w = 1: {@link SERIES}). */
export const scoreSeries = (aboveWeight: number | 'w', failures = false) => {
  const base = aboveWeight === 1 ? SERIES.difference : `log l(x) − ${aboveWeight}·log g(x)`;
  // With failed: "avoid", the score TPE used also adds log P(a trial there finishes).
  const label = failures ? `${base} + log P(finishes)` : base;
  return { label, colors: { domain: [SERIES.below, SERIES.above, label], range: SERIES_COLORS.range } };
};

/** Common top-level settings of every spec (no `$schema` fetch; the page never goes online). */
export const base = (title: string): Record<string, unknown> => ({
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  title,
  // No label or title limit on legends: Vega cuts labels at 160 px ("log l(x) (good tri…") and titles at 180
  // (trial 132: "objective (contour …" in the SVGs, where text widths are estimated, not measured).
  config: {
    view: { stroke: '#ddd' },
    axis: { labelFontSize: 11, titleFontSize: 12 },
    legend: { labelLimit: 0, titleLimit: 0 },
  },
});

/**
 * The most bytes (UTF-8) of a chart id ({@link chartId}): its files `<id>.vl.json` and `<id>-2.svg` stay well within
 * the 255 bytes most file systems allow a name (a parameter named with 90 CJK characters, 270 bytes, failed the
 * SVG report with ENAMETOOLONG).
 */
export const MAX_CHART_ID_BYTES = 180;

const utf8 = new TextEncoder();

/**
 * A chart id safe in HTML ids and file names: letters (any script, so `α` stays `α`), their accents, digits, `_` and `-`;
 * anything else becomes `_`. One longer than {@link MAX_CHART_ID_BYTES} is cut between whole characters (grapheme
 * clusters) and ends in `-` and 8 hex digits of a digest of the whole name, so two long names that start alike keep
 * two ids. Two names can still give one id (`LR` and `lr`, `a b` and `a_b`): {@link uniqueChartIds} tells them apart.
 */
export const chartId = (...parts: readonly string[]): string => {
  const id = parts
    .join('-')
    .replace(/[^\p{L}\p{M}\p{N}_-]+/gu, '_')
    .toLowerCase();
  if (utf8.encode(id).length <= MAX_CHART_ID_BYTES) return id;
  const digest = `-${createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 8)}`;
  let kept = '';
  let bytes = digest.length;
  for (const cluster of graphemes(id)) {
    bytes += utf8.encode(cluster).length;
    if (bytes > MAX_CHART_ID_BYTES) break;
    kept += cluster;
  }
  return `${kept}${digest}`;
};

/**
 * The charts with ids unique in the page, compared as file names are on a disk that ignores case and Unicode
 * normalisation (macOS: `LR` and `lr`, an NFC and an NFD `é`, name one file): a repeated id gets `-2`, `-3`, ... in
 * page order, so no chart overwrites another's SVG file.
 */
export const uniqueChartIds = <T extends { readonly id: string }>(charts: readonly T[]): T[] => {
  const taken = new Set<string>();
  const key = (id: string) => id.normalize('NFC').toLowerCase();
  return charts.map((chart) => {
    let id = chart.id;
    for (let n = 2; taken.has(key(id)); n++) id = `${chart.id}-${n}`;
    taken.add(key(id));
    return id === chart.id ? chart : { ...chart, id };
  });
};

/**
 * The lowest and highest of `values` (∞ and −∞ when there are none), by a loop: `Math.min(...values)`
 * overflows the stack past about 120,000 values, a large study's trials.
 */
export const extent = (values: Iterable<number>): { low: number; high: number } => {
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (const value of values) {
    if (value < low) low = value;
    if (value > high) high = value;
  }
  return { low, high };
};

/** A number rounded to `digits` significant digits, to keep inline data small. */
export const sig = (value: number, digits = 5): number => Number(value.toPrecision(digits));

/** The most options of a choice a chart draws or labels (more are neither drawable nor readable). */
export const MAX_OPTIONS_SHOWN = 40;

/**
 * How the charts draw a failed trial cut short (failed as `INTERRUPTED` or `STALE_TRIAL`: a stopped run, a lost
 * worker or an interrupted trial), apart from one its objective failed: its legend entry, colour and shape.
 */
export const CUT_SHORT = {
  kind: 'cut short',
  color: '#8c564b',
  shape: 'triangle-down',
  drawn: 'brown triangles',
} as const;

/** What a trial cut short is, as the run's summary says it, for the charts' captions. */
export const CUT_SHORT_WORDS = `cut short (failed as INTERRUPTED or STALE_TRIAL: ${CUT_SHORT_CAUSES}, not a failure of the objective)`;
