import { type ParamNode, sampleFromUnit } from '@parzen/engine/plugin';
import type { ContourSegment } from '../contour.js';
import type { ReplaySnapshot } from '../replay.js';
import type { TrialPoint } from '../trial-points.js';
import type { Chart } from '../types.js';
import {
  base,
  CUT_SHORT,
  CUT_SHORT_WORDS,
  chartId,
  listRows,
  MAX_OPTIONS_SHOWN,
  optionLabels,
  paramAxis,
  paramLabel,
  paramPosition,
  paramScale,
  paramTooltip,
  rowsByWeight,
  SERIES,
  scoreSeries,
  sig,
  symlogNote,
} from './common.js';

/** A contour under the trials: its segments and levels, or nothing when no function was given. */
export interface PairContour {
  /** The contour lines' pieces, at `levels`. */
  readonly segments: readonly ContourSegment[];
  /** The levels some segment is drawn at. */
  readonly levels: readonly number[];
  /** What the function was evaluated with (e.g. "other params at the best trial's values (#12)"). */
  readonly note: string;
  /**
   * Why the function could not be evaluated over this pair at all (its two parameters are never active
   * together): the plot has no contour lines and its caption says this instead of the note.
   */
  readonly unavailable?: string;
  /** Where the function failed (threw or gave no finite number), for the page's notes; absent if nowhere. */
  readonly failure?: string;
  /** Whether the higher levels are drawn darker (a maximize study's better values); else the lower ones. */
  readonly darkerHigher?: boolean;
}

/** The most trials a pair plot draws as their numbers; more are drawn as dots. */
const PAIR_NUMBERS = 300;

/** The pair plot's side, in pixels. */
const PAIR_SIZE = 420;

/**
 * Pixels between each axis's domain and the plot's edge (Vega's scale padding): a number, a dot or the best's
 * ring at a bound is drawn whole inside the plot, not over the axis and its labels.
 */
const PAIR_PADDING = 14;

/** A pair plot axis: its scale's domain (the one Vega draws: given, never rounded out) and whether it is log. */
interface PairAxis {
  readonly domain: readonly [number, number];
  /** Where a value sits along the axis ({@link paramPosition}). */
  readonly at: (value: number) => number;
}

/**
 * A pair plot axis's domain: a bounded parameter's bounds; else the range of the trials' values and of the
 * contour lines (review 103: with only the values, a contour to ±4σ squeezed the trials Vega drew into the
 * middle, and the numbers estimated apart overlapped), padded by 5 % (in log for log kinds); with neither,
 * the central 95 % of its distribution.
 */
const pairAxis = (param: ParamNode, values: readonly number[]): PairAxis => {
  const own = paramScale(param.distribution);
  const { at, back } = paramPosition(param.distribution);
  if (own.domain !== undefined) return { domain: own.domain as [number, number], at };
  const usable = values.filter((v) => Number.isFinite(at(v)));
  if (usable.length === 0) {
    const [low, high] = [0.025, 0.975].map((u) => sampleFromUnit(param.distribution, u)) as [number, number];
    return { domain: [low, high], at };
  }
  const low = at(Math.min(...usable));
  const high = at(Math.max(...usable));
  const pad = high > low ? 0.05 * (high - low) : 0.5;
  return { domain: [back(low - pad), back(high + pad)], at };
};

/**
 * Which trials of a pair plot get their number drawn: the best, then the others by trial number, each unless
 * its number would overlap one already drawn (at the plot's 420 pixels, 11-pixel digits); the rest are dots
 * (trial 96: where TPE concentrated, 90 numbers overlapped into one blot). Positions are placed on the axes'
 * domains as Vega draws them (they are given to it, not rounded out), {@link PAIR_PADDING} in from each edge.
 */
const numberedTrials = (
  rows: readonly {
    readonly number: number;
    readonly x: number;
    readonly y: number;
    readonly best: boolean;
    readonly state: string;
  }[],
  xAxis: PairAxis,
  yAxis: PairAxis,
): Set<number> => {
  const pixels = ({ domain, at }: PairAxis) => {
    const low = at(domain[0]);
    const span = at(domain[1]) - low;
    const inner = PAIR_SIZE - 2 * PAIR_PADDING;
    return (v: number) =>
      span > 0 && Number.isFinite(span) ? PAIR_PADDING + ((at(v) - low) / span) * inner : PAIR_SIZE / 2;
  };
  const px = pixels(xAxis);
  const py = pixels(yAxis);
  // Each number's box, with the mark of its state to its right when it has one.
  const boxes: { left: number; right: number; cy: number }[] = [];
  const numbered = new Set<number>();
  const order = [...rows].sort((a, b) => Number(b.best) - Number(a.best) || a.number - b.number);
  for (const row of order) {
    const digits = String(row.number).length;
    const cx = px(row.x);
    const box = {
      left: cx - numberHalfWidth(digits),
      right: cx + (marksState(row.state) ? markerOffset(digits) + MARKER_HALF : numberHalfWidth(digits)),
      cy: py(row.y),
    };
    if (boxes.some((other) => other.left < box.right && box.left < other.right && Math.abs(other.cy - box.cy) < 11))
      continue;
    boxes.push(box);
    numbered.add(row.number);
  }
  return numbered;
};

/** Half a trial number's width at the pair plot's 11-pixel font, estimated a little wide. */
const numberHalfWidth = (digits: number): number => 3.3 * digits + 1;

/** Whether a trial drawn as its number has its state's mark beside it (a complete trial's number stands alone). */
const marksState = (state: string): boolean => state === 'pruned' || state === 'failed' || state === CUT_SHORT.kind;

/** How far right of a number's middle the mark of its state is drawn: just past its digits. */
const markerOffset = (digits: number): number => Number((numberHalfWidth(digits) + 4).toFixed(1));

/** The mark beside a number: its area in square pixels, and about half its width. */
const MARKER_SIZE = 40;
const MARKER_HALF = 3.5;

/** The opacity of a pair plot's dots where there are more than {@link PAIR_NUMBERS} (they overlap). */
const DOT_OPACITY = 0.7;

/** Failed trials in the pair plots: drawn, since they show where the objective fails, but not as results. */
const FAILED_GREY = '#aaaaaa';

/**
 * The pair plot's kinds of trial, each a colour and a shape of its own and an entry of its legend: the best
 * (ringed too), and the states of finished trials (a running trial has no result to draw: the plot leaves it out).
 */
const PAIR_KINDS = [
  { kind: 'best (ringed)', color: '#d62728', shape: 'circle' },
  { kind: 'complete', color: '#222', shape: 'circle' },
  { kind: 'pruned', color: '#ff7f0e', shape: 'diamond' },
  { kind: 'failed (no loss)', color: FAILED_GREY, shape: 'cross' },
  // Not a failure of the objective: a stopped run or a lost worker ended it (after a kill -9, read as a crash).
  { kind: `${CUT_SHORT.kind} (no loss)`, color: CUT_SHORT.color, shape: CUT_SHORT.shape },
] as const;

/** The colour of a kind of {@link PAIR_KINDS}. */
const kindColor = (kind: string): string => PAIR_KINDS.find((k) => k.kind === kind)?.color ?? '#222';

/** A pair plot trial's kind, as {@link PAIR_KINDS} names it (`state`: {@link CUT_SHORT}'s kind for a trial cut short). */
const pairKind = (row: { readonly best: boolean; readonly state: string }): string =>
  row.best
    ? 'best (ringed)'
    : row.state === 'failed' || row.state === CUT_SHORT.kind
      ? `${row.state} (no loss)`
      : row.state;

/** What the pair plot's colours and shapes say of the trials that did not complete, when it draws any. */
const stateNote = (
  rows: readonly { readonly state: string }[],
  dotted: readonly { readonly state: string }[],
): string => {
  // Their shapes as drawn: a dot of that shape, or the shape beside the number (every one, or some).
  const shape = (state: string, name: string, plural: string) => {
    const dots = dotted.filter((r) => r.state === state).length;
    const all = rows.filter((r) => r.state === state).length;
    return dots === all
      ? ` ${plural}`
      : dots === 0
        ? ` with a ${name} beside the number`
        : ` ${plural}, or a ${name} beside the number`;
  };
  const failed = rows.some((r) => r.state === 'failed');
  const cut = rows.some((r) => r.state === CUT_SHORT.kind);
  const pruned = rows.some((r) => r.state === 'pruned');
  const parts = [
    ...(failed ? [`failed trials light grey${shape('failed', 'cross', 'crosses')} (no loss)`] : []),
    ...(cut ? [`trials ${CUT_SHORT_WORDS} brown${shape(CUT_SHORT.kind, 'triangle', 'triangles')} (no loss)`] : []),
    ...(pruned ? [`pruned ones orange${shape('pruned', 'diamond', 'diamonds')}`] : []),
  ];
  return parts.length === 0 ? '' : `, ${parts.join(', ')}`;
};

/**
 * The seed's first figure: finished trials drawn as their numbers at their (x, y) values, over contour lines of
 * the objective when a cheap function is given. The best trial's number is red, in a ring; failed
 * trials are light grey crosses (those cut short, by a stopped run or a lost worker, brown triangles), pruned ones orange diamonds (as numbers, that shape beside the number), the
 * legend naming each. Running trials are left out.
 */
export const pairChart = (
  points: readonly TrialPoint[],
  x: ParamNode,
  y: ParamNode,
  contour: PairContour | undefined,
  bestNumber: number | undefined,
): Chart => {
  // A running trial has no result yet (no loss, maybe no params): not drawn, and no kind of the legend. A
  // failed trial cut short (a stopped run, a lost worker) is drawn as such, not as a failure of the objective.
  const placed = points.flatMap((p) => {
    const state = p.cutShort === true ? CUT_SHORT.kind : p.state;
    const a = p.params[x.name];
    const b = p.params[y.name];
    return p.state !== 'running' &&
      typeof a === 'number' &&
      typeof b === 'number' &&
      Number.isFinite(a) &&
      Number.isFinite(b)
      ? [
          {
            number: p.number,
            x: a,
            y: b,
            loss: p.loss,
            state,
            best: p.number === bestNumber,
            kind: pairKind({ best: p.number === bestNumber, state }),
          },
        ]
      : [];
  });
  // The best trial last, so it is drawn on top (trial 77: in a converged study the later trials' numbers,
  // drawn over it, hid the red one).
  const rows = [...placed.filter((r) => !r.best), ...placed.filter((r) => r.best)];
  const lines = contour !== undefined && contour.unavailable === undefined && contour.segments.length > 0;
  // Both axes' domains given to Vega, so the numbers placed apart below are apart as drawn (and with nothing
  // to draw an unbounded axis still has one: a scale over no data has an infinite extent, Vega draws no axis).
  const segments = lines ? (contour?.segments ?? []) : [];
  const axes = {
    x: pairAxis(x, [...rows.map((row) => row.x), ...segments.flatMap((seg) => [seg.x1, seg.x2])]),
    y: pairAxis(y, [...rows.map((row) => row.y), ...segments.flatMap((seg) => [seg.y1, seg.y2])]),
  };
  const scale = (param: ParamNode) => ({
    ...paramScale(param.distribution),
    domain: [...axes[param === x ? 'x' : 'y'].domain],
    nice: false,
    padding: PAIR_PADDING,
  });
  const axis = (param: ParamNode, field: 'x' | 'y') => ({
    ...paramAxis(
      param.distribution,
      rows.map((row) => row[field]),
    ),
    titleLimit: 400,
  });
  const xEnc = { field: 'x', type: 'quantitative', title: x.name, scale: scale(x), axis: axis(x, 'x') };
  const yEnc = { field: 'y', type: 'quantitative', title: y.name, scale: scale(y), axis: axis(y, 'y') };
  const layers: Record<string, unknown>[] = [];
  if (contour !== undefined && lines) {
    layers.push({
      data: {
        values: contour.segments.map((s) => ({
          x: sig(s.x1),
          y: sig(s.y1),
          x2: sig(s.x2),
          y2: sig(s.y2),
          level: sig(s.level),
        })),
      },
      mark: { type: 'rule', strokeWidth: 1.2, opacity: 0.8 },
      encoding: {
        x: xEnc,
        y: yEnc,
        x2: { field: 'x2' },
        y2: { field: 'y2' },
        // One legend entry per level drawn (trial 57: a quantile scale's legend showed values no line had).
        color: {
          field: 'level',
          type: 'ordinal',
          title: 'objective (contour levels)',
          // The levels some line is drawn at (review 58: a given level no line reaches was listed too). The
          // better values darker, in either direction (trial 139: a maximize study's best region was the palest).
          scale: {
            scheme: 'blues',
            reverse: contour.darkerHigher !== true,
            domain: contour.levels.map((level) => sig(level)),
          },
        },
        tooltip: [{ field: 'level', type: 'quantitative', title: 'contour level' }],
      },
    });
  }
  // Numbers, as the seed drew them, while they can be read; past that many they overlap into a blot
  // (trial 28), so dots (the trial in the tooltip). Among fewer, a number that would cover another is a dot.
  const asNumbers = rows.length <= PAIR_NUMBERS;
  const numbered = asNumbers ? numberedTrials(rows, axes.x, axes.y) : new Set<number>();
  const dotted = rows.filter((row) => !numbered.has(row.number));
  // A ring around the best trial: found by its shape too, not by red alone among orange pruned trials, and
  // among hundreds of dots (trial 92). Under the numbers, so hovering the best shows its own tooltip (review 96:
  // the ring on top showed only its number); over the dots, white inside, so dots under the best's number do
  // not show between its strokes (review 103: a column of 100 dots through it).
  // Drawn as dots (more than 300 trials), the best is a red dot: its ring stays under the dots, unfilled.
  const best = rows.filter((row) => row.best);
  const ring =
    best.length === 0
      ? []
      : [
          {
            data: { values: best },
            mark: {
              type: 'point',
              filled: false,
              size: 420,
              strokeWidth: 2,
              stroke: '#d62728',
              ...(asNumbers ? { fill: 'white', fillOpacity: 0.9 } : {}),
            },
            encoding: { x: xEnc, y: yEnc },
          },
        ];
  if (!asNumbers) layers.push(...ring);
  // Where each trial is drawn, and what its tooltip says.
  const placeAndTooltip = {
    x: xEnc,
    y: yEnc,
    tooltip: [
      { field: 'number', title: 'trial' },
      { field: 'state' },
      paramTooltip(x, 'x'),
      paramTooltip(y, 'y'),
      { field: 'loss', format: '.6g' },
    ],
  };
  // A failed trial is not a result at its point, nor a pruned one a whole one (trial 32: they were drawn as
  // complete ones): light grey (red is the best trial's here), and the history's orange.
  const trialEncoding = {
    ...placeAndTooltip,
    color: {
      condition: ['best (ringed)', 'failed (no loss)', `${CUT_SHORT.kind} (no loss)`, 'pruned'].map((kind) => ({
        test: `datum.kind === '${kind}'`,
        value: kindColor(kind),
      })),
      value: kindColor('complete'),
    },
  };
  const numbers = rows.filter((row) => numbered.has(row.number));
  // A number's state is told by a shape too, not by its colour alone (a user trial: in grey print or to a
  // colour-blind reader, complete, pruned and failed numbers looked alike): a pruned or failed trial's number has
  // its diamond or cross just right of its digits, a layer per number of digits.
  const marked = numbers.filter((row) => marksState(row.state));
  const byDigits = new Map<number, typeof marked>();
  for (const row of marked) {
    const digits = String(row.number).length;
    byDigits.set(digits, [...(byDigits.get(digits) ?? []), row]);
  }
  // One legend rule for every pair plot (a user trial: one plot listed only "pruned", another "complete" too): every
  // kind of trial drawn is listed, the best and complete ones too, whether drawn as numbers or dots, its symbol as
  // strong as the marks drawn (the legend took the dots' paler opacity for the diamonds beside numbers). Complete
  // trials alone have nothing to tell apart: no legend. Their fill, not their colour: that is the contour lines'
  // scale, of the objective's levels.
  const shown = new Set(rows.map((row) => row.kind));
  const kinds = PAIR_KINDS.filter(({ kind }) => shown.has(kind));
  const strength = asNumbers ? 1 : DOT_OPACITY;
  const withLegend = kinds.some(({ kind }) => kind !== 'complete');
  const legend = withLegend ? { legend: { symbolOpacity: strength, symbolStrokeWidth: 0 } } : { legend: null };
  const kindEncoding = {
    ...placeAndTooltip,
    fill: {
      field: 'kind',
      type: 'nominal',
      title: 'trial',
      scale: { domain: kinds.map((k) => k.kind), range: kinds.map((k) => k.color) },
      ...legend,
    },
    shape: {
      field: 'kind',
      type: 'nominal',
      title: 'trial',
      scale: { domain: kinds.map((k) => k.kind), range: kinds.map((k) => k.shape) },
      ...legend,
    },
  };
  // Each number over a white halo of its own shape, so it reads over the grid and contour lines under it (drawn
  // over them bare, its digits ran into theirs). The halos go under the dots: over them, they erased the dots
  // beside a number (review 123). Not interactive: the tooltips are the trials' own marks'.
  if (numbers.length > 0)
    layers.push({
      data: { values: numbers },
      mark: {
        type: 'text',
        fontSize: 11,
        fill: 'white',
        stroke: 'white',
        strokeWidth: 3,
        strokeJoin: 'round',
        interactive: false,
      },
      encoding: { x: xEnc, y: yEnc, text: { field: 'number' } },
    });
  // Dots under the numbers, so the best trial's number (the last of them) stays readable on top.
  // As strong as the marks beside numbers among numbers (the legend's symbols are); paler among many dots.
  if (dotted.length > 0)
    layers.push({
      data: { values: dotted },
      mark: { type: 'point', filled: true, size: asNumbers ? 10 : 14, opacity: strength },
      // Each state a shape of its own, not told by colour alone (trial 141: three colours of dots).
      encoding: kindEncoding,
    });
  for (const [digits, values] of byDigits)
    layers.push({
      data: { values },
      mark: { type: 'point', filled: true, size: MARKER_SIZE, opacity: 1, xOffset: markerOffset(digits) },
      encoding: kindEncoding,
    });
  // Numbers alone (no dot, no mark beside one: the best's among complete ones), the legend all the same: from a
  // layer of no data, which draws nothing.
  if (withLegend && dotted.length === 0 && byDigits.size === 0)
    layers.push({ data: { values: [] }, mark: { type: 'point', filled: true }, encoding: kindEncoding });
  if (asNumbers) layers.push(...ring);
  // An empty layer over an unbounded axis draws nothing but a Vega warning: leave it out under contour lines.
  if (numbers.length > 0 || (rows.length === 0 && !lines))
    layers.push({
      data: { values: numbers },
      mark: { type: 'text', fontSize: 11 },
      encoding: { ...trialEncoding, text: { field: 'number' } },
    });
  const title = `${x.name} × ${y.name}`;
  return {
    id: chartId('pair', x.name, y.name),
    title: `Trials over ${title}`,
    description: `Each trial drawn as ${asNumbers ? `its number${dotted.length === 0 ? '' : ` (${dotted.length === 1 ? 'one, whose number would cover another one drawn first, is' : `${dotted.length}, whose numbers would cover others drawn first, are`} drawn as ${dotted.length === 1 ? 'a dot' : 'dots'}: the best first, then by trial number; the tooltip names each trial)`}` : `a dot (more than ${PAIR_NUMBERS} trials: numbers would overlap; the tooltip names the trial)`} at its (${x.name}, ${y.name})${
      // Said only where there is a best (trial 92: "the best is red" on a study with no complete trial).
      best.length > 0 ? '; the best is red, in a ring' : ''
    }${stateNote(rows, dotted)}.${
      contour === undefined
        ? ''
        : contour.unavailable === undefined
          ? ` Lines: contours of the objective (${contour.note}).`
          : ` No contour lines: ${contour.unavailable}.`
    }${symlogNote([x, y])}`,
    spec: { ...base(title), width: PAIR_SIZE, height: PAIR_SIZE, layer: layers },
    marks: [
      // The trials (a number over its halo: two texts), and the best one's ring (a symbol too).
      ...(numbers.length > 0 || (rows.length === 0 && !lines)
        ? [{ mark: 'text' as const, count: 2 * numbers.length }]
        : []),
      ...(dotted.length + best.length + marked.length > 0
        ? [{ mark: 'symbol' as const, count: dotted.length + best.length + marked.length }]
        : []),
      ...(lines ? [{ mark: 'rule' as const, count: contour?.segments.length ?? 0 }] : []),
    ],
  };
};

/**
 * A parameter's curves in one snapshot: for a parameter decided jointly, its slice of the joint model
 * through the chosen point (what the decision used; its own entry holds only the marginals); otherwise
 * its own explanation.
 */
const curvesOf = (snapshot: ReplaySnapshot, name: string) => {
  const slice = snapshot.joint?.slices.find((s) => s.name === name);
  if (slice !== undefined) return { grid: slice.grid, value: slice.value, joint: true };
  const own = snapshot.explanation.params.find((p) => p.name === name);
  return own === undefined ? undefined : { grid: own.grid, value: own.winner.value, joint: false };
};

/** The snapshots that have curves for a parameter, and whether any of them came from the joint model. */
const snapshotCurves = (param: ParamNode, snapshots: readonly ReplaySnapshot[]) => {
  const found = snapshots.flatMap((snapshot) => {
    const curves = curvesOf(snapshot, param.name);
    return curves === undefined
      ? []
      : [{ after: snapshot.trialNumber, weight: snapshotWeight(snapshot, param.name), ...curves }];
  });
  return { found, joint: found.some((f) => f.joint) };
};

const finite = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * w in the score log l − w · log g of a parameter's decision in one snapshot: its own entry's (the
 * `discreteAboveWeight` of a decision over choices and unordered integers, or the `explore` option's while
 * it lasts), else the snapshot's.
 */
const snapshotWeight = (snapshot: ReplaySnapshot, name: string): number =>
  sig(snapshot.explanation.params.find((p) => p.name === name)?.aboveWeight ?? snapshot.explanation.aboveWeight);

/** "after 10, 20: 1; after 30–90: 0.65": the rows of each weight, when they differ. */
const weightsByRow = (found: readonly { readonly after: number; readonly weight: number }[]): string =>
  [...rowsByWeight(found)].map(([weight, afters]) => `w = ${weight} after ${listRows(afters)}`).join('; ');

/**
 * What a caption adds when a drawn row had no good trial: no trial had a loss yet, or the best loss was a
 * plateau the split left out (`ties: "above"`), so l there is the prior alone (trial 28: "over the good
 * trials" of an empty set).
 */
const noGoodTrials = (found: readonly { readonly after: number }[], snapshots: readonly ReplaySnapshot[]): string => {
  const drawn = new Set(found.map((f) => f.after));
  const emptyRows = snapshots.filter((s) => drawn.has(s.trialNumber) && s.explanation.below.length === 0);
  // No trial with a loss (every one observed failed) is not a plateau (trial 77: "a tie of many trials", none).
  const lossless = emptyRows.filter((s) => s.explanation.observed === 0).map((s) => s.trialNumber);
  const plateau = emptyRows.filter((s) => s.explanation.observed > 0).map((s) => s.trialNumber);
  return (
    (lossless.length === 0
      ? ''
      : ` After ${listRows(lossless)} no trial had a loss yet (every trial observed failed), so l and g there are the prior alone.`) +
    (plateau.length === 0
      ? ''
      : ` After ${listRows(plateau)} no trial was good: the best loss was a tie of at least twice as many trials as the split picks as good (a plateau, which ties: "above" leaves out of it), so l there is the prior alone.`)
  );
};

/**
 * The most ticks a row of {@link densityChart} draws for one set (l's trials, or g's): 200 in a 520-pixel row
 * are 2.6 pixels apart, as dense as the eye reads (500 put the 10,000-trial page's render past 3 s on a quiet
 * machine, bench/results/report-scale.md).
 */
const MAX_TICKS = 200;

/**
 * The curves' legend: line symbols, so g's dashes show (trial 132: the merged legend drew filled dots, the
 * dashed g a dented blob).
 */
const CURVE_LEGEND = { orient: 'top', symbolType: 'stroke', symbolStrokeWidth: 2, symbolSize: 400 };

/**
 * Which suggestions a TPE figure draws: `false`, past ones of a TPE study (what TPE saw); `true`, past ones of a study
 * another suggester drew (what TPE would have seen); `'next'`, the one suggestion the study's next trial would get.
 */
export type TpeFigure = boolean | 'next';

/** A TPE figure's title; of a study another suggester drew, what TPE would have seen; of the next trial, its own. */
const tpeTitle = (name: string, figure: TpeFigure): string =>
  figure === 'next'
    ? `TPE's next suggestion: ${name}`
    : figure
      ? `What TPE would have seen: ${name}`
      : `What TPE saw: ${name}`;

/** When a figure's rows were drawn: after every few trials, or for the next trial (one row). */
const figureWhen = (figure: TpeFigure, found: readonly { readonly after: number }[]): string =>
  figure === 'next' ? `For the next trial, #${found[0]?.after}, from the trials so far` : 'After every few trials';

/** What TPE did with the value the figure marks: chose it, would have, or would choose it next. */
const figureChose = (figure: TpeFigure): string =>
  figure === 'next' ? 'would choose' : figure ? 'would have chosen' : 'chose';

/** `count` of `items`, evenly spaced, the first and the last included. */
const evenlySpaced = <T>(items: readonly T[], count: number): T[] =>
  Array.from({ length: count }, (_, i) => items[Math.round((i * (items.length - 1)) / (count - 1))] as T);

/**
 * The seed's second figure for one numeric parameter: per replayed snapshot (a row per "after k trials"),
 * log l(x) green, log g(x) red and the score log l − w · log g black over the parameter's range (w: the
 * weight its decisions were scored with), and a vertical line at the value TPE chose.
 */
export const densityChart = (
  param: ParamNode,
  snapshots: readonly ReplaySnapshot[],
  trialValue: (trial: number) => number | undefined = () => undefined,
  /**
   * Which suggestions it draws: `false`, a TPE study's past ones; `true`, a study another suggester drew (titled
   * "What TPE would have seen"); `'next'`, the one suggestion the next trial would get.
   */
  figure: TpeFigure = false,
): Chart | undefined => {
  // Compact rows (a: snapshot, x, l = log l, g = log g, f = log P(finishes) where failures count; w: the
  // chosen value; t: a trial's value that built l (s "l") or g (s "g")); the spec folds them into curves.
  const rows: Record<string, unknown>[] = [];
  const { found, joint } = snapshotCurves(param, snapshots);
  const shown = found.length;
  let ticks = 0;
  let thinned = false;
  // Trial 51: which trials built l and g was not shown: a tick per trial under each row, green or red; at
  // most MAX_TICKS of a set per row, evenly spaced (trial 61: every trial of every row made a 60,000-trial
  // study's page 295 MB).
  for (const snapshot of snapshots) {
    const own = snapshot.explanation.params.find((p) => p.name === param.name);
    if (own === undefined || !found.some((f) => f.after === snapshot.trialNumber)) continue;
    // g's ticks first, so l's are drawn over them where both sets have a value (trial 108: an integer's good
    // trials sat under the red ticks of the others at the same value).
    for (const [s, all] of [
      ['g', own.above],
      ['l', own.below],
    ] as const) {
      const numbers = all.length <= MAX_TICKS ? all : evenlySpaced(all, MAX_TICKS);
      thinned ||= numbers.length < all.length;
      for (const number of numbers) {
        const t = trialValue(number);
        if (t === undefined || !Number.isFinite(t)) continue;
        rows.push({ a: snapshot.trialNumber, t: sig(t), s });
        ticks++;
      }
    }
  }
  for (const curves of found) {
    const a = curves.after;
    const { x, logL, logG, logFinishing } = curves.grid;
    x.forEach((value, i) => {
      const l = logL[i];
      const g = logG[i];
      const f = logFinishing?.[i];
      rows.push({
        a,
        x: sig(value),
        l: finite(l) ? sig(l) : null,
        g: finite(g) ? sig(g) : null,
        k: curves.weight,
        ...(f === undefined ? {} : { f: finite(f) ? sig(f) : null }),
      });
    });
    rows.push({ a, w: curves.value });
  }
  if (shown === 0) return undefined;
  const x = {
    field: 'x',
    type: 'quantitative',
    title: param.name,
    scale: paramScale(param.distribution),
    axis: paramAxis(
      param.distribution,
      found.flatMap((f) => f.grid.x),
    ),
  };
  // An integer's or a quantized parameter's l and g are masses of its values (trial 108: "log density").
  const yTitle =
    'q' in param.distribution || param.distribution.kind === 'uniformint' || param.distribution.kind === 'randint'
      ? 'log probability'
      : 'log density';
  // Each row is drawn with the w its decision was scored with (the explore option changes it mid-study).
  const weights = new Set(found.map((f) => f.weight));
  const weight = weights.size === 1 ? (found[0]?.weight as number) : undefined;
  const failures = found.some((f) => f.grid.logFinishing !== undefined);
  const score = scoreSeries(weight ?? 'w', failures);
  const label = `datum.key === 'l' ? '${SERIES.below}' : datum.key === 'g' ? '${SERIES.above}' : '${score.label}'`;
  const plain =
    weight === 1
      ? 'their difference'
      : weight !== undefined
        ? `the score log l − ${weight}·log g`
        : `the score log l − w·log g (${weightsByRow(found)})`;
  const difference = failures
    ? `${weight === 1 ? 'the score log l − log g' : plain} + log P(a trial there finishes)`
    : plain;
  return {
    id: chartId('density', param.name),
    title: tpeTitle(param.name, figure),
    description: `${figureWhen(figure, found)}: log l(${param.name}) over the good trials (green), log g(${param.name}) over the others (red, dashed), ${difference} (black), and the value TPE ${figureChose(figure)} (vertical line: the largest ${weight === 1 ? 'difference' : 'score'} among the candidates drawn from l, or with avoidRepeats the largest one that does not repeat a tried trial); the ticks under each row are the trials that built l (green) and g (red), at their values${thinned ? ` (${MAX_TICKS} of a set at most, evenly spaced by trial number)` : ''}.${joint ? ' Decided jointly (multivariate TPE): the curves are slices of the joint l and g along this parameter, the others fixed at the chosen point.' : ''}${failures ? ' Trials had failed (failed: "avoid"): log P(a trial there finishes) compares where they failed with where trials finished; it pulls the score down where failures gather and shifts it evenly where they fall as the finished trials do.' : ''}${noGoodTrials(found, snapshots)}`,
    spec: {
      ...base(tpeTitle(param.name, figure)),
      data: { values: rows },
      facet: {
        row: { field: 'a', type: 'ordinal', title: 'trials so far', header: { labelAngle: 0, labelAlign: 'left' } },
      },
      spec: {
        width: 520,
        height: 90,
        layer: [
          {
            transform: [
              { filter: '!isValid(datum.w) && !isValid(datum.t)' },
              {
                calculate:
                  'isValid(datum.l) && isValid(datum.g) && (!isDefined(datum.f) || isValid(datum.f)) ? datum.l - datum.k * datum.g + (isValid(datum.f) ? datum.f : 0) : null',
                as: 'd',
              },
              { fold: ['l', 'g', 'd'] },
              { filter: 'isValid(datum.value)' },
              { calculate: label, as: 'series' },
            ],
            mark: { type: 'line', strokeWidth: 1.5 },
            encoding: {
              x,
              y: { field: 'value', type: 'quantitative', title: yTitle, scale: { zero: false } },
              color: { field: 'series', type: 'nominal', scale: score.colors, title: null, legend: CURVE_LEGEND },
              // g dashed, so l and g differ by more than green and red (trial 92: red–green colour blindness).
              strokeDash: {
                field: 'series',
                type: 'nominal',
                scale: {
                  domain: score.colors.domain,
                  range: [
                    [1, 0],
                    [5, 3],
                    [1, 0],
                  ],
                },
                title: null,
                legend: CURVE_LEGEND,
              },
            },
          },
          {
            transform: [{ filter: 'isValid(datum.w)' }],
            mark: { type: 'rule', color: '#000', strokeDash: [4, 2] },
            encoding: { x: { ...x, field: 'w' } },
          },
          {
            // Coloured by the curves' own scale and labels (trial 57: a scale of their own, merged with the
            // curves', added "l" and "g" to the legend and made Vega warn of conflicting scales).
            transform: [
              { filter: 'isValid(datum.t)' },
              { calculate: `datum.s === 'l' ? '${SERIES.below}' : '${SERIES.above}'`, as: 'series' },
            ],
            mark: { type: 'tick', orient: 'vertical', size: 7, thickness: 1.5, opacity: 0.8 },
            encoding: {
              x: { ...x, field: 't' },
              y: { value: 86 },
              color: { field: 'series', type: 'nominal', scale: score.colors, title: null, legend: CURVE_LEGEND },
              tooltip: [
                { field: 't', type: 'quantitative', title: paramLabel(param.name) },
                { field: 's', type: 'nominal', title: 'built' },
              ],
            },
          },
        ],
      },
      resolve: { scale: { y: 'independent' } },
    },
    marks: [
      { mark: 'line', count: 3 * shown },
      { mark: 'rule', count: shown },
      ...(ticks === 0 ? [] : [{ mark: 'rect' as const, count: ticks }]),
    ],
  };
};

/** A choice chart's two sets of bars, named as the density charts' curves and `parzen explain` name them. */
const CHOICE_SETS = { below: 'l(x) (good trials)', above: 'g(x) (the others)' } as const;

/**
 * For a choice of more than {@link MAX_OPTIONS_SHOWN} options, the options its chart draws, in the choice's
 * order: every option TPE chose in a snapshot, then those with the highest probability under l(x) in any
 * snapshot; undefined when every option fits.
 */
const optionsWorthShowing = (
  options: readonly string[],
  rows: readonly Record<string, unknown>[],
): string[] | undefined => {
  if (options.length <= MAX_OPTIONS_SHOWN) return undefined;
  const highest = new Map<string, number>();
  const chosen: string[] = [];
  for (const row of rows) {
    if (row.set !== CHOICE_SETS.below) continue;
    const option = row.option as string;
    if (row.chosen === true) chosen.push(option);
    highest.set(option, Math.max(highest.get(option) ?? 0, row.p as number));
  }
  const byL = [...highest.entries()].sort((a, b) => b[1] - a[1]).map(([option]) => option);
  // The latest choices first (review 99: of more than 40, the earliest were kept and the last snapshots lost their ▼).
  const keep = new Set<string>();
  for (const option of chosen.reverse()) if (keep.size < MAX_OPTIONS_SHOWN) keep.add(option);
  for (const option of byL) {
    if (keep.size >= MAX_OPTIONS_SHOWN) break;
    keep.add(option);
  }
  return options.filter((option) => keep.has(option));
};

/**
 * Each log value's share of them all, as a log: v − log Σ exp(v), the sum taken around the largest value, so
 * that log densities far below 0 (a joint slice's, −2000) keep their proportions instead of all becoming
 * exp(−2000) = 0. All −∞ (or none finite): −∞ each.
 */
export const logShares = (values: readonly (number | undefined)[]): number[] => {
  const logs = values.map((v) => v ?? Number.NEGATIVE_INFINITY);
  const top = logs.reduce((max, v) => Math.max(max, v), Number.NEGATIVE_INFINITY);
  if (!Number.isFinite(top)) return logs.map(() => Number.NEGATIVE_INFINITY);
  const total = top + Math.log(logs.reduce((sum, v) => sum + Math.exp(v - top), 0));
  return logs.map((v) => v - total);
};

/** The top of a choice chart's probability axis: the band above 1 holds the options' scores. */
const SCORE_BAND = 1.2;

/**
 * The seed's figure for a choice: per snapshot, the below (l) and above (g) probability of every option,
 * and each option's score (log l − w · log g, plus log P(a trial there finishes) where failures count),
 * which decided (the bars can favour one option and the failure term another).
 */
export const categoricalChart = (
  param: ParamNode,
  snapshots: readonly ReplaySnapshot[],
  /** Which suggestions it draws: `false`, a TPE study's past ones; `true`, a study another suggester drew (what TPE would have seen); `'next'`, the next trial's. */
  figure: TpeFigure = false,
): Chart | undefined => {
  const rows: Record<string, unknown>[] = [];
  const options = optionLabels(param.optionValues ?? []);
  const { found, joint } = snapshotCurves(param, snapshots);
  const shown = found.length;
  for (const curves of found) {
    const { after } = curves;
    const { x, logL, logG, logFinishing } = curves.grid;
    // A joint slice is a density through the chosen point: normalised over the options, in logs.
    const logP = (values: readonly number[]) =>
      curves.joint ? logShares(values) : values.map((v) => v ?? Number.NEGATIVE_INFINITY);
    const logPl = logP(logL);
    const logPg = logP(logG);
    const pl = logPl.map(Math.exp);
    const pg = logPg.map(Math.exp);
    x.forEach((index, i) => {
      const option = options[index] ?? String(index);
      const chosen = index === curves.value;
      const f = logFinishing?.[i];
      const scoreOf = (l: number | undefined, g: number | undefined) =>
        finite(l) && finite(g) && (f === undefined || finite(f)) ? l - curves.weight * g + (f ?? 0) : undefined;
      // The score printed is the one the bars add up to (trial 166: a joint decision's printed score, its own, differed
      // from the bars' by the other parameters' part, the same for every option of a row); the joint one that decided,
      // as `parzen explain` prints it, is the tooltip's.
      const score = scoreOf(logPl[i], logPg[i]);
      const jointScore = curves.joint ? scoreOf(logL[i], logG[i]) : undefined;
      rows.push({
        after,
        option,
        set: CHOICE_SETS.below,
        p: pl[i],
        chosen,
        ...(score === undefined ? {} : { score: sig(score) }),
        ...(jointScore === undefined ? {} : { joint: sig(jointScore) }),
      });
      rows.push({ after, option, set: CHOICE_SETS.above, p: pg[i], chosen });
    });
  }
  if (shown === 0) return undefined;
  // A choice of many options: the ones that matter, in their order (trial 95: 1,003 options drew a 60,289 px
  // canvas of invisible bars, and 1,500 failed to draw at all).
  const kept = optionsWorthShowing(options, rows);
  if (kept !== undefined) {
    const keep = new Set(kept);
    rows.splice(0, rows.length, ...rows.filter((row) => keep.has(row.option as string)));
  }
  const axisOptions = kept ?? options;
  const failures = found.some((f) => f.grid.logFinishing !== undefined);
  const weights = new Set(found.map((f) => f.weight));
  const weight = weights.size === 1 ? String(found[0]?.weight) : 'w';
  const scored = rows.filter((row) => row.score !== undefined).length;
  // Labels level while they fit; long or many ones slanted and cut at 120 px (trial 28: they overlapped).
  const crowded = axisOptions.length * Math.max(...axisOptions.map((option) => option.length), 1) > 40;
  const x = {
    field: 'option',
    type: 'nominal',
    title: param.name,
    sort: axisOptions,
    axis: crowded ? { labelAngle: -30, labelLimit: 120 } : { labelAngle: 0 },
  };
  return {
    id: chartId('categorical', param.name),
    title: tpeTitle(param.name, figure),
    description: `${kept === undefined ? '' : `${kept.length} of its ${options.length} options shown: those TPE chose (the latest ${MAX_OPTIONS_SHOWN}, if it chose more) and those the good trials' model l favoured most in any snapshot. `}${figureWhen(figure, found)}: the probability of each option of ${param.name} under the good trials' model l (green) and the others' model g (red), each option's score at the top (log l − ${weight === '1' ? '' : `${weight}·`}log g${failures ? ' + log P(a trial there finishes)' : ''}${weight === 'w' ? `; ${weightsByRow(found)}` : ''}); ▼ marks the option TPE ${figureChose(figure)}: the best score among the candidates drawn from l, which is not always the highest score shown (an option no candidate landed on is not chosen, whatever its score).${failures ? ' Trials had failed (failed: "avoid"): log P(a trial there finishes) lowers the score of options where failures gather, so an option whose bars look best can lose.' : ''}${joint ? " Decided jointly (multivariate TPE): the bars are the joint l and g with the other parameters at the chosen point, divided by their sums over the options so that each row's bars add up to 1, and each score is computed from the bars drawn. The joint score TPE ranked by (the score `parzen explain` prints; a score's tooltip gives it) adds the same amount to every option of a row, the other parameters' part of the joint l and g, so both rank the options alike." : ''}`,
    spec: {
      ...base(tpeTitle(param.name, figure)),
      data: { values: rows },
      facet: {
        row: { field: 'after', type: 'ordinal', title: 'trials so far', header: { labelAngle: 0, labelAlign: 'left' } },
      },
      spec: {
        width: Math.max(240, 60 * axisOptions.length),
        height: 108,
        layer: [
          {
            mark: 'bar',
            encoding: {
              x,
              xOffset: { field: 'set', type: 'nominal' },
              y: {
                field: 'p',
                type: 'quantitative',
                title: 'probability',
                scale: { domain: [0, SCORE_BAND], nice: false },
                axis: { values: [0, 0.5, 1] },
              },
              color: {
                field: 'set',
                type: 'nominal',
                scale: { domain: [CHOICE_SETS.below, CHOICE_SETS.above], range: ['#2ca02c', '#d62728'] },
                title: null,
                legend: { orient: 'top' },
              },
            },
          },
          {
            transform: [{ filter: `datum.chosen && datum.set === '${CHOICE_SETS.below}'` }],
            mark: { type: 'text', text: '▼', dy: -4, baseline: 'bottom' },
            encoding: { x, y: { datum: SCORE_BAND } },
          },
          {
            // In the band above probability 1, which no bar reaches (trial 77: drawn at the top of the
            // probability axis, the scores ran across the tops of bars near 1).
            transform: [{ filter: 'isValid(datum.score)' }],
            mark: { type: 'text', fontSize: 10, baseline: 'middle', color: '#000' },
            encoding: {
              x,
              y: { datum: (1 + SCORE_BAND) / 2 },
              text: { field: 'score', type: 'quantitative', format: '.2f' },
              tooltip: [
                { field: 'option', type: 'nominal', title: paramLabel(param.name) },
                { field: 'score', type: 'quantitative', title: 'score (of the bars)' },
                ...(joint
                  ? [{ field: 'joint', type: 'quantitative', title: 'joint score (as explain prints it)' }]
                  : []),
              ],
            },
          },
        ],
      },
    },
    marks: [
      { mark: 'rect', count: rows.length },
      { mark: 'text', count: shown + scored },
    ],
  };
};
