import { cutShort } from '@parzen/engine/host';
import type { CompiledSpace, Direction, IntermediateValue, ParamNode, Trial } from '@parzen/engine/plugin';
import type { ParamImportance } from '../importance.js';
import { downsampleIndices, type TrialPoint } from '../trial-points.js';
import type { Chart } from '../types.js';
import {
  base,
  CUT_SHORT,
  CUT_SHORT_WORDS,
  choiceLabel,
  extent,
  FRAME_PADDING,
  lossAxis,
  MAX_OPTIONS_SHOWN,
  optionLabels,
  paramAxis,
  paramLabel,
  paramPosition,
  paramScale,
  paramTooltip,
  sig,
  spansDecades,
  symlogNote,
} from './common.js';

/** The widest a title is drawn, in pixels, before it is cut with an ellipsis (the tooltip names it in full). */
export const TITLE_LIMIT = 210;

/**
 * A trial's state as the charts show it: a failed trial cut short (a stopped run, a lost worker) is
 * {@link CUT_SHORT}'s kind, not `failed`, which is a failure of the objective (after a kill -9 its trial read as
 * the objective's crash).
 */
type ShownState = Trial['state'] | typeof CUT_SHORT.kind;

/** A trial's {@link ShownState}. */
const shownState = (trial: { readonly state: Trial['state']; readonly cutShort?: boolean }): ShownState =>
  trial.cutShort === true ? CUT_SHORT.kind : trial.state;

/** Each state's colour, running trials in grey (the learning curves show them). */
const STATE_COLOR: Readonly<Record<ShownState, string>> = {
  complete: '#1f77b4',
  pruned: '#ff7f0e',
  failed: '#d62728',
  [CUT_SHORT.kind]: CUT_SHORT.color,
  running: '#999999',
};

/**
 * A colour scale over the states that occur, in a fixed order: a legend lists only states a chart draws
 * (trial 115: "failed" and "running" listed where no trial was).
 */
const stateScale = (states: Iterable<ShownState>) => {
  const present = new Set(states);
  const domain = (['complete', 'pruned', 'failed', CUT_SHORT.kind, 'running'] as const).filter((state) =>
    present.has(state),
  );
  return { domain, range: domain.map((state) => STATE_COLOR[state]) };
};

/**
 * Why the history has nothing to draw (no trial, or none finished), or undefined when it has: the report then
 * says this instead of drawing an empty chart (not an empty frame under "no trials yet").
 */
export const historyGap = (points: readonly TrialPoint[]): string | undefined =>
  points.length === 0
    ? 'The study has no trials yet: nothing to draw.'
    : points.every((p) => p.state === 'running')
      ? 'No trial has finished yet: nothing to draw.'
      : undefined;

/**
 * Optimization history: every shown trial's loss (pruned ones orange), failed trials as red crosses
 * along the top (those cut short, a stopped run or a lost worker, brown triangles there), and the best loss so
 * far as a step line.
 */
export const historyChart = (points: readonly TrialPoint[], direction: Direction): Chart => {
  const finished = points.filter((p) => p.state !== 'running');
  const valued = finished.filter((p) => p.loss !== null);
  const values = valued.map((p) => p.loss as number);
  const range = extent(values);
  const top = values.length === 0 ? 0 : direction === 'minimize' ? range.high : range.low;
  // `said`: the loss the tooltip gives, none for a trial without one (trial 115: a failed trial's tooltip gave the
  // height its cross is drawn at, another trial's loss, as its own).
  // A failed trial cut short is drawn as such (its state "cut short"), not as a failure of the objective.
  const rows = finished.map((p) => ({
    number: p.number,
    state: shownState(p),
    loss: p.loss ?? top,
    valued: p.loss !== null,
    said: p.loss === null ? (p.state === 'failed' ? `none (${shownState(p)})` : 'none') : String(sig(p.loss, 6)),
    // The legend's entry: its state, or for a trial with no loss other than a failed one (a pruned trial that
    // reported nothing) "pruned, no loss", a cross as a failed one (review 120: an orange dot at the worst loss
    // read as a loss).
    glyph: p.loss !== null || p.state === 'failed' ? shownState(p) : `${p.state}, no loss`,
  }));
  const colors = stateScale(rows.map((row) => row.state));
  const glyphs = colors.domain.flatMap((state) =>
    [state, `${state}, no loss`].filter((glyph) => rows.some((row) => row.glyph === glyph)),
  );
  const glyphColor = (glyph: string) => STATE_COLOR[glyph.split(',')[0] as ShownState];
  const failed = rows.some((row) => row.glyph === 'failed');
  const cut = rows.some((row) => row.glyph === CUT_SHORT.kind);
  // The marks of trials with no loss, drawn at the worst loss shown: failed trials' and those cut short.
  const lossless = [
    ...(failed || !cut ? ['failed trials are red crosses'] : []),
    ...(cut ? [`trials ${CUT_SHORT_WORDS} are ${CUT_SHORT.drawn}`] : []),
  ].join(', ');
  const best = points.filter((p) => p.best !== null).map((p) => ({ number: p.number, best: p.best }));
  // Positive losses over 3 or more decades on a log axis: on a linear one the early bad trials flatten every
  // later one against the bottom (trial 28).
  const overDecades = spansDecades(values);
  // Minimizing, a best-so-far line that falls a power of ten or more, over positive losses: a log axis too, so its
  // later gains show (a user trial: on a noisy study's linear axis, losses of 0.005 to 2.15, the line lay on the
  // floor from trial 18 on, and its gains from 0.0094 to 0.0052 could not be seen). Maximizing, the gains come
  // near the top, where a log axis would squeeze them: linear.
  // (Extents by a loop: a spread of a million values overflows the stack.)
  const fall = extent(best.map((row) => row.best as number).filter((value) => Number.isFinite(value)));
  const bestFalls =
    !overDecades && direction === 'minimize' && range.low > 0 && range.high < 1e300 && fall.high >= 10 * fall.low;
  // Trial numbers are integers: ticks at whole numbers only. With nothing to draw, fixed domains (Vega
  // warns of an infinite extent for a scale over no data).
  const x = {
    field: 'number',
    type: 'quantitative',
    title: 'trial',
    axis: { format: 'd', tickMinStep: 1 },
    // Widened so the first and last trials' marks (a failed trial's cross) are drawn whole (trial 115: half cut
    // off): by half a trial, or 1.5 % of the span on a long study. In trials, not pixels: a pixel padding put
    // ticks at trial -1 on a short study (trial 116). Over the best-so-far line's trials too, which runs on over
    // trials still running (review 124: past the plot's edge).
    scale:
      rows.length === 0
        ? { domain: [0, 1] }
        : { domain: paddedDomain([...rows, ...best].map((row) => row.number)), nice: false },
  };
  return {
    id: 'history',
    title: 'Optimization history',
    description:
      historyGap(points) ??
      (values.length === 0
        ? `No trial has a loss yet: every finished trial failed (${cut ? `along one line: ${lossless}` : 'red crosses along one line'}; the y axis has no values to show).`
        : `Each trial's loss by trial number; the line is the best loss so far (${direction}).${rows.some((row) => row.state === 'pruned' && row.valued) ? ' Pruned trials (orange diamonds) are drawn at the last value they reported when the pruner stopped them, not a final loss; the line counts complete trials only.' : ''} ${cut ? `With no loss, ${lossless},` : 'Failed trials (no loss) are red crosses'} at the worst loss shown (the height only places them)${glyphs.some((glyph) => glyph.endsWith('no loss')) ? ', pruned trials that reported no value orange crosses there too' : ''}.${overDecades ? ' The losses span 3 or more powers of ten: the axis is logarithmic.' : ''}${bestFalls ? ` The best loss so far falls a power of ten or more (${sig(fall.high, 3)} to ${sig(fall.low, 3)}) and every loss is above 0: the axis is logarithmic, so the later gains show (it is linear when the losses span less than 3 powers of ten and the best falls less than one).` : ''}`),
    spec: {
      ...base('Optimization history'),
      width: 640,
      height: 280,
      layer: [
        {
          data: { values: rows },
          mark: { type: 'point', filled: true, size: 30, opacity: 0.75 },
          encoding: {
            x,
            // With no loss at all, the crosses sit at a placeholder 0 that is not a loss: no axis for it.
            y:
              values.length === 0
                ? {
                    field: 'loss',
                    type: 'quantitative',
                    axis: null,
                    ...(rows.length === 0 ? { scale: { domain: [0, 1] } } : {}),
                  }
                : { field: 'loss', type: 'quantitative', ...lossAxis(values, 'loss', bestFalls) },
            // Colour and shape by the one field, so one legend shows each mark as drawn: a cross for a trial
            // without a loss.
            color: {
              field: 'glyph',
              type: 'nominal',
              scale: { domain: glyphs, range: glyphs.map(glyphColor) },
              title: 'state',
            },
            shape: {
              field: 'glyph',
              type: 'nominal',
              scale: {
                domain: glyphs,
                // Each state a shape of its own, not told by colour alone (trial 141: complete and pruned were
                // both circles): a pruned trial a diamond, as where the learning curves' pruner stopped it.
                range: glyphs.map((glyph) =>
                  glyph === 'failed' || glyph.endsWith('no loss')
                    ? 'cross'
                    : glyph === CUT_SHORT.kind
                      ? CUT_SHORT.shape
                      : glyph === 'pruned'
                        ? 'diamond'
                        : 'circle',
                ),
              },
              title: 'state',
            },
            tooltip:
              values.length === 0
                ? [{ field: 'number', title: 'trial' }, { field: 'state' }]
                : [{ field: 'number', title: 'trial' }, { field: 'state' }, { field: 'said', title: 'loss' }],
          },
        },
        // (No best-so-far line without a complete trial: an empty layer only gets Vega warnings.)
        ...(best.length === 0
          ? []
          : [
              {
                data: { values: best },
                mark: { type: 'line', interpolate: 'step-after', color: '#333', strokeWidth: 1.5 },
                encoding: { x, y: { field: 'best', type: 'quantitative' } },
              },
            ]),
      ],
    },
    marks: [
      { mark: 'symbol', count: rows.length },
      { mark: 'line', count: best.length > 0 ? 1 : 0 },
    ],
  };
};

/**
 * The option labels a slice plot's axis holds: every option, or of a choice of more than
 * {@link MAX_OPTIONS_SHOWN}, those in `taken` (the trials' values), in the choice's order.
 */
const shownOptions = (param: ParamNode, taken: ReadonlySet<string>): string[] => {
  const labels = optionLabels(param.optionValues ?? []);
  return labels.length <= MAX_OPTIONS_SHOWN ? labels : labels.filter((label) => taken.has(label));
};

/** The colour scale of a trial's number (grey, darker when later): not viridis, which colours losses. */
const TRIAL_COLORS = { scheme: { name: 'greys', extent: [0.3, 1] } };

/** The legend title of {@link TRIAL_COLORS}: what its colours mean. */
const TRIAL_COLOR_TITLE = 'trial (darker: later)';

/** Slice plots: per parameter, each complete trial's loss against the parameter's value, coloured by trial. */
export const sliceChart = (points: readonly TrialPoint[], space: CompiledSpace): Chart => {
  const complete = points.filter((p) => p.state === 'complete');
  let count = 0;
  // A branch's parameter no complete trial set gets no empty panel (trial 95: 145 of them, each a Vega warning).
  const unset: string[] = [];
  const drawn = space.params.filter((param) => complete.some((p) => p.params[param.name] !== undefined));
  const params = drawn.length === 0 ? space.params : drawn;
  for (const param of space.params) if (!params.includes(param)) unset.push(param.name);
  const panels = params.map((param) => {
    const rows = complete.flatMap((p) =>
      p.params[param.name] === undefined
        ? []
        : [
            {
              number: p.number,
              loss: p.loss,
              x:
                param.distribution.kind === 'categorical'
                  ? choiceLabel(param, p.params[param.name])
                  : p.params[param.name],
            },
          ],
    );
    count += rows.length;
    const categorical = param.distribution.kind === 'categorical';
    const options = categorical ? shownOptions(param, new Set(rows.map((row) => row.x as string))) : [];
    // A long name is cut to the panel's width (trial 77: a 150-character name made its column ~1000 px wide).
    return {
      data: { values: rows },
      width: 220,
      height: 180,
      title: { text: param.name, limit: TITLE_LIMIT },
      mark: { type: 'point', filled: true, size: 25, opacity: 0.7 },
      encoding: {
        x: categorical
          ? {
              field: 'x',
              type: 'nominal',
              // No axis title: the panel's names the choice, and under the turned option labels it floated
              // between the rows like the next row's heading (trial 132).
              title: null,
              // A choice of many options: those the trials took (trial 95: 2,000 bands in 220 px); more than
              // MAX_OPTIONS_SHOWN of them unlabelled (review 99: the labels overprinted), each point's tooltip says.
              scale: { domain: options },
              axis: {
                titleLimit: TITLE_LIMIT,
                ...(options.length > MAX_OPTIONS_SHOWN ? { labels: false, ticks: false } : {}),
              },
            }
          : {
              field: 'x',
              type: 'quantitative',
              title: param.name,
              // A trial at a bound drawn whole inside the frame.
              scale: { ...paramScale(param.distribution), padding: FRAME_PADDING },
              axis: {
                ...paramAxis(
                  param.distribution,
                  rows.map((row) => row.x as number),
                ),
                titleLimit: TITLE_LIMIT,
              },
            },
        y: { field: 'loss', type: 'quantitative', ...lossAxis(complete.map((p) => p.loss as number)) },
        // Whole trial numbers in the legend (trial 115: one trial's legend read "0.000000"). Greys, not the
        // parallel coordinates' viridis, which means the loss just below: one colour scale, one meaning per page
        // (a user trial read viridis as "late" here and "bad" there). Its pale end still shows on white.
        color: {
          field: 'number',
          type: 'quantitative',
          title: TRIAL_COLOR_TITLE,
          scale: TRIAL_COLORS,
          legend: { format: 'd', tickMinStep: 1 },
        },
        tooltip: [{ field: 'number', title: 'trial' }, paramTooltip(param, 'x'), { field: 'loss', format: '.6g' }],
      },
    };
  });
  return {
    id: 'slice',
    title: 'Slice plots',
    description: `Per parameter: the loss of each complete trial against that parameter, coloured by trial number (grey, the later trials darker).${
      unset.length === 0
        ? ''
        : ` Not drawn: ${unset.length === 1 ? 'the parameter' : `the ${unset.length} parameters`} no complete trial set (${unset.slice(0, 10).join(', ')}${unset.length > 10 ? `, and ${unset.length - 10} more` : ''}).`
    }${symlogNote(params)}`,
    // One loss axis for every panel (a user trial: a branch's parameter, set by fewer trials, had its own, from 0.5
    // where the others began at 0).
    spec: { ...base('Slice plots'), columns: 3, concat: panels, resolve: { scale: { color: 'shared', y: 'shared' } } },
    marks: [{ mark: 'symbol', count }],
  };
};

/** The trial numbers' extent widened by half a trial, or 1.5 % of its span when that is more. */
const paddedDomain = (numbers: readonly number[]): [number, number] => {
  const low = Math.min(...numbers);
  const high = Math.max(...numbers);
  const pad = Math.max(0.5, (high - low) * 0.015);
  return [low - pad, high + pad];
};

/** sign(v)·log(1 + |v|), finite for every finite v, and its inverse. */
const symlog = (v: number): number => Math.sign(v) * Math.log1p(Math.abs(v));
const unsymlog = (v: number): number => Math.sign(v) * Math.expm1(Math.abs(v));

/** Where a trial without a parameter crosses its parallel-coordinates axis (the axis runs from 0 to 1). */
const NOT_SET_Y = -0.12;

/**
 * Parallel coordinates: one line per complete trial across every parameter axis and the loss axis,
 * each axis scaled to [0, 1] (log for log kinds, option index for choices, every option labelled),
 * coloured by loss: the good trials (in the study's direction) dark purple, the bad ones yellow.
 */
export const parallelChart = (
  points: readonly TrialPoint[],
  space: CompiledSpace,
  direction: Direction = 'minimize',
): Chart => {
  const complete = points.filter((p) => p.state === 'complete');
  // Losses whose range passes the largest number (±1.7e308) are placed on the loss axis and coloured by
  // symlog, as the history chart draws them (trial 52: a page error from the colour gradient, an axis
  // topped by "Infinity" and every line at its foot).
  const losses = complete.flatMap((p) => (typeof p.loss === 'number' && Number.isFinite(p.loss) ? [p.loss] : []));
  const lowest = losses.reduce((a, b) => Math.min(a, b), Number.POSITIVE_INFINITY);
  const highest = losses.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY);
  const squash = losses.length > 0 && highest - lowest === Number.POSITIVE_INFINITY;
  // Over 3 or more powers of ten the loss axis and the colours are logarithmic, as the other loss axes.
  const logLoss = spansDecades(losses);
  // Coloured by the symlog of the loss itself, on a linear scale whose legend labels undo it: a symlog colour
  // scale over such a domain made the browser's legend gradient fail (trial 57: ±1e308, addColorStop).
  const shadeOf = (p: TrialPoint) => (squash && typeof p.loss === 'number' ? { shade: symlog(p.loss) } : {});
  // Axes by position: the parameters, then the loss. A parameter named `loss` (scikit-learn's) is shown as
  // `params.loss`, as `parzen trials` names it (trial 52: it took the loss axis's place).
  const params: (ParamNode | undefined)[] = [...space.params, undefined];
  const axes = params.map((param) => (param === undefined ? 'loss' : paramLabel(param.name)));
  const rows: Record<string, unknown>[] = [];
  const labels: Record<string, unknown>[] = [];
  axes.forEach((axis, position) => {
    const param = params[position];
    const name = param?.name ?? 'loss';
    const placed = param === undefined ? undefined : paramPosition(param.distribution);
    const raw = (p: TrialPoint): number | undefined => {
      if (placed === undefined)
        return p.loss === null ? undefined : squash ? symlog(p.loss) : logLoss ? Math.log(p.loss) : p.loss;
      const v = p.internal[name];
      return v === undefined ? undefined : placed.at(v);
    };
    const present = complete.flatMap((p) => {
      const v = raw(p);
      return v === undefined || !Number.isFinite(v) ? [] : [{ p, v }];
    });
    // A trial whose branch left the parameter out crosses its axis at "(not set)", below the axis: dropped,
    // its line joined its neighbours and crossed at a height that read as a value (trial 44).
    const unset = param === undefined ? [] : complete.filter((p) => p.internal[name] === undefined);
    for (const p of unset)
      rows.push({ number: p.number, axis, position, y: NOT_SET_Y, loss: p.loss, ...shadeOf(p), raw: 'not set' });
    if (unset.length > 0) labels.push({ axis, position, y: NOT_SET_Y, label: '(not set)' });
    const categorical = param?.distribution.kind === 'categorical';
    const range = extent(present.map((e) => e.v));
    const low = categorical ? 0 : range.low;
    const high = categorical && param.distribution.kind === 'categorical' ? param.distribution.size - 1 : range.high;
    const span = high - low;
    for (const { p, v } of present) {
      rows.push({
        number: p.number,
        axis,
        position,
        y: span > 0 ? sig((v - low) / span, 4) : 0.5,
        loss: p.loss,
        ...shadeOf(p),
        raw: categorical ? choiceLabel(param, p.params[name]) : param === undefined ? p.loss : p.params[name],
      });
    }
    if (present.length === 0) return;
    if (categorical) {
      // Every option, where its lines cross the axis; of a choice of many, those the trials took, at most
      // MAX_OPTIONS_SHOWN (trial 95: 2,000 labels on one axis).
      const taken = new Set(present.map(({ v }) => v));
      const labelled = optionLabels(param?.optionValues ?? []).flatMap((label, index) =>
        (param?.optionValues?.length ?? 0) <= MAX_OPTIONS_SHOWN || taken.has(index) ? [{ label, index }] : [],
      );
      const every = Math.ceil(labelled.length / MAX_OPTIONS_SHOWN);
      labelled
        .filter((_, at) => at % every === 0)
        .forEach(({ label, index }) => {
          labels.push({ axis, position, y: span > 0 ? sig(index / span, 4) : 0.5, label });
        });
    } else {
      // Four digits, but never rounded up past the largest number (review 55: 1.797e308 showed as Infinity).
      const show = (v: number) => {
        const value = placed !== undefined ? placed.back(v) : logLoss ? Math.exp(v) : squash ? unsymlog(v) : v;
        const shown = Number(value.toPrecision(4));
        // Below 0.0001 in powers of ten (trial 132: `0.000001724` beside `6.361e-8`).
        if (shown !== 0 && Math.abs(shown) < 1e-4) return shown.toExponential();
        return Number.isFinite(shown) ? shown.toString() : value.toPrecision(4);
      };
      if (span > 0)
        labels.push({ axis, position, y: 1, label: show(high) }, { axis, position, y: 0, label: show(low) });
      else labels.push({ axis, position, y: 0.5, label: show(low) });
    }
  });
  const notSet = labels.some((label) => label.y === NOT_SET_Y);
  const axisRows = axes.map((axis, position) => ({ axis, position }));
  // Each axis's name cut to its share of the width (trial 77: long names were drawn over each other); the
  // axis line's tooltip names it in full.
  // Each axis gets room for its name up to about 22 characters as an SVG export estimates text (0.8 of the font
  // size a character; trial 132: `sizeOfHiddenL…` in a 3-axis chart), at least 110 px.
  const longest = Math.max(...axes.map((axis) => axis.length));
  const width = Math.max(400, axes.length * Math.min(200, Math.max(110, Math.ceil(0.8 * 11 * longest) + 14)));
  const x = {
    field: 'axis',
    type: 'nominal',
    sort: axes,
    title: null,
    axis: { orient: 'top', labelAngle: 0, labelLimit: Math.floor(width / axes.length) - 10 },
  };
  // A label beside an axis (4 px to its right) ends before the next one.
  const labelLimit = Math.floor(width / axes.length) - 14;
  return {
    id: 'parallel',
    title: 'Parallel coordinates',
    description: `One line per complete trial through ${space.params.length === 1 ? 'the parameter' : `the ${space.params.length} parameters`} drawn and its loss (each axis scaled to its range; log for log parameters; every option of a choice labelled, or of a choice of more than ${MAX_OPTIONS_SHOWN} at most ${MAX_OPTIONS_SHOWN} of those the trials took; a trial without a parameter, its branch not chosen, crosses that axis at "(not set)" below it${logLoss ? '; the loss axis and the colours logarithmic, as the losses span 3 or more powers of ten' : ''}). Dark purple lines are the good trials (${direction === 'minimize' ? 'low' : 'high'} loss), yellow ones the bad.${symlogNote(space.params)}`,
    spec: {
      ...base('Parallel coordinates'),
      width,
      height: 300,
      layer: [
        {
          data: { values: rows },
          mark: { type: 'line', strokeWidth: 1, opacity: 0.5 },
          encoding: {
            x,
            // Padded, so the labels at the axes' ends are drawn whole, not cut at the chart's edge.
            y: {
              field: 'y',
              type: 'quantitative',
              axis: null,
              scale: { domain: [notSet ? NOT_SET_Y : 0, 1], padding: 8 },
            },
            detail: { field: 'number', type: 'nominal' },
            color: {
              field: squash ? 'shade' : 'loss',
              type: 'quantitative',
              // viridis runs from dark purple (its low end) to yellow: the low end at the good losses.
              scale: { scheme: 'viridis', reverse: direction === 'maximize', ...(logLoss ? { type: 'log' } : {}) },
              // The legend says which end is good: the gradient alone gives only the values.
              title: `${squash ? 'loss (symlog; ' : logLoss ? 'loss (log scale; ' : 'loss ('}darker: better)`,
              ...(squash
                ? {
                    legend: {
                      labelExpr: "format((datum.value < 0 ? -1 : 1) * (exp(abs(datum.value)) - 1), '.3g')",
                    },
                  }
                : {}),
            },
            order: { field: 'position', type: 'quantitative' },
            tooltip: [
              { field: 'number', title: 'trial' },
              { field: 'loss', format: '.6g' },
            ],
          },
        },
        {
          data: { values: axisRows },
          mark: { type: 'rule', color: '#888' },
          encoding: { x, y: { datum: 0 }, y2: { datum: 1 }, tooltip: [{ field: 'axis', title: 'axis' }] },
        },
        // The labels on top of the lines, each over a white halo of its own shape: a choice's options are
        // labelled where its lines cross the axis, and drawn bare they were lost among those lines. Each cut to
        // the gap before the next axis (review 123: long options ran into the next axis's labels), named in full
        // by its tooltip; the halo takes no pointer, so the lines under it keep theirs.
        {
          data: { values: labels },
          encoding: { x, y: { field: 'y', type: 'quantitative' }, text: { field: 'label' } },
          layer: [
            {
              mark: {
                type: 'text',
                dx: 4,
                align: 'left',
                fontSize: 10,
                limit: labelLimit,
                fill: 'white',
                stroke: 'white',
                // Wide enough to fill the space between words (trial 132: lines through it read "(not-set)").
                strokeWidth: 6,
                strokeJoin: 'round',
                interactive: false,
              },
            },
            {
              mark: { type: 'text', dx: 4, align: 'left', fontSize: 10, limit: labelLimit, color: '#444' },
              encoding: { tooltip: { field: 'label' } },
            },
          ],
        },
      ],
    },
    marks: [
      { mark: 'line', count: new Set(rows.map((r) => r.number)).size },
      { mark: 'rule', count: axes.length },
      // Each label over its halo.
      { mark: 'text', count: 2 * labels.length },
    ],
  };
};

/** The empirical distribution of the complete trials' losses (at most `max` steps drawn). */
export const ecdfChart = (points: readonly TrialPoint[], max: number): Chart => {
  const values = points
    .filter((p) => p.state === 'complete')
    .map((p) => p.loss as number)
    .sort((a, b) => a - b);
  const n = values.length;
  const step = Math.max(1, Math.ceil(n / max));
  // From 0 at the lowest loss, so the first step is drawn (trial 57: one trial drew nothing).
  const rows = [
    ...(n === 0 ? [] : [{ loss: values[0] as number, fraction: 0 }]),
    ...values.flatMap((value, i) => (i % step === 0 || i === n - 1 ? [{ loss: value, fraction: (i + 1) / n }] : [])),
  ];
  return {
    id: 'ecdf',
    title: 'Empirical distribution of the loss',
    description: 'The share of complete trials with a loss at or below x.',
    spec: {
      ...base('Empirical distribution of the loss'),
      width: 420,
      height: 220,
      data: { values: rows },
      mark: { type: 'line', interpolate: 'step-after' },
      encoding: {
        x: { field: 'loss', type: 'quantitative', ...lossAxis(values) },
        y: { field: 'fraction', type: 'quantitative', title: 'fraction of trials', scale: { domain: [0, 1] } },
      },
    },
    marks: [{ mark: 'line', count: rows.length > 0 ? 1 : 0 }],
  };
};

/** What each importance method measures, as its chart says. */
const IMPORTANCE = {
  fanova: {
    title: 'Parameter importance (fANOVA)',
    description:
      'The share of the loss’s variance each parameter explains on its own, by a random forest fitted to the trials (normalised to sum to 1).',
  },
  'ped-anova': {
    title: 'Parameter importance (PED-ANOVA)',
    description:
      'How much each parameter matters for reaching the best 10 % of losses: the Pearson divergence between the density of its values among those trials and among all trials (normalised to sum to 1).',
  },
} as const;

/** Importances (fANOVA's or PED-ANOVA's) as horizontal bars, largest on top. */
export const importanceChart = (
  importances: readonly ParamImportance[],
  method: 'fanova' | 'ped-anova' = 'fanova',
): Chart => ({
  id: 'importance',
  ...IMPORTANCE[method],
  spec: {
    ...base(IMPORTANCE[method].title),
    width: 420,
    height: { step: 22 },
    data: { values: importances.map((i) => ({ name: i.name, importance: i.importance })) },
    mark: { type: 'bar', color: '#4c78a8' },
    encoding: {
      y: { field: 'name', type: 'nominal', sort: '-x', title: null },
      x: { field: 'importance', type: 'quantitative', scale: { domain: [0, 1] } },
      tooltip: [{ field: 'name' }, { field: 'importance', format: '.3f' }],
    },
  },
  marks: [{ mark: 'rect', count: importances.length }],
});

/** The most reports of one trial the learning curves draw ({@link curveIndices}). */
export const CURVE_POINTS = 200;

/**
 * The reports of one curve the learning curves draw: all of them up to `max`; past it the first, the last, each
 * new best value (in `direction`) and an evenly spaced share of the rest, `max` in all (bests thinned evenly too
 * when they alone are more, the last always kept).
 */
// Review 154: 100 trials of 5,000 reports inlined 500,000 rows twice (62.6 MB) and took Chromium 14 s to draw.
export const curveIndices = (
  points: readonly IntermediateValue[],
  direction: Direction,
  max: number = CURVE_POINTS,
): number[] => {
  const last = points.length - 1;
  const bests = new Set<number>();
  let best: number | undefined;
  points.forEach(({ value }, index) => {
    if (best === undefined || (direction === 'maximize' ? value > best : value < best)) {
      best = value;
      bests.add(index);
    }
  });
  const drawn = downsampleIndices(points.length, max, (index) => index === last || bests.has(index));
  if (drawn.length > 0 && drawn.at(-1) !== last) drawn[drawn.length - 1] = last;
  return drawn;
};

/**
 * Learning curves (Optuna's intermediate-values plot): the values each trial reported, by step, one line
 * per trial coloured by how it ended, so pruned trials show where they stopped reporting. Only the
 * trials given (the caller downsamples), and only those that reported; of a curve of more than
 * {@link CURVE_POINTS} reports, the ones {@link curveIndices} keeps.
 */
export const learningCurvesChart = (trials: readonly Trial[], direction: Direction = 'minimize'): Chart | undefined => {
  // Pruned and failed trials after the others, so their lines and points are drawn over the complete ones (trial
  // 115: an orange curve under the blue ones, a trial pruned at its first report a dot hidden under theirs).
  // A trial cut short (a stopped run, a lost worker) is drawn as such, not as a failure of the objective.
  const drawOrder = { complete: 0, running: 1, failed: 2, [CUT_SHORT.kind]: 2, pruned: 3 } as const;
  const shown = (trial: Trial): ShownState => shownState({ state: trial.state, cutShort: cutShort(trial) });
  const ordered = [...trials].sort((a, b) => drawOrder[shown(a)] - drawOrder[shown(b)] || a.number - b.number);
  const rows = ordered.flatMap((trial) => {
    const points = trial.intermediate ?? [];
    return curveIndices(points, direction).map((index) => {
      const point = points[index] as IntermediateValue;
      return {
        number: trial.number,
        state: shown(trial),
        step: point.step,
        // To the 6 digits its tooltip gives (trial 141: kept to 5, the tooltip's sixth was made up, 1.00020 for 1.000208).
        value: sig(point.value, 6),
      };
    });
  });
  if (rows.length === 0) return undefined;
  const lines = new Set(rows.map((row) => row.number)).size;
  // Where the pruner stopped each pruned trial: its last report, marked.
  const stops = ordered.flatMap((trial) => {
    const last = trial.state === 'pruned' ? trial.intermediate?.at(-1) : undefined;
    return last === undefined ? [] : [{ number: trial.number, step: last.step, value: sig(last.value, 6) }];
  });
  const encoding = {
    x: {
      field: 'step',
      type: 'quantitative',
      title: 'step',
      axis: { format: 'd', tickMinStep: 1 },
      // Step 0 off the left frame, as the loss axes' ends are.
      scale: { padding: FRAME_PADDING },
    },
    y: {
      field: 'value',
      type: 'quantitative',
      ...lossAxis(
        rows.map((row) => row.value),
        'reported value',
      ),
    },
    color: { field: 'state', type: 'nominal', scale: stateScale(rows.map((row) => row.state)), title: 'state' },
  };
  return {
    id: 'learning-curves',
    title: 'Learning curves',
    description: `The values each trial reported (\`context.report(step, value)\`, or a \`{"step", "value"}\` line of a command), by step: one line per trial${stops.length === 0 ? '.' : ', pruned trials in orange, drawn over the others, each ending in a diamond at its last report (the pruner said stop there, or earlier when the objective asked only every few reports).'}${rows.some((row) => row.state === CUT_SHORT.kind) ? ` Brown lines are trials ${CUT_SHORT_WORDS}: their reports end where the trial was cut short.` : ''}`,
    spec: {
      ...base('Learning curves'),
      width: 640,
      height: 280,
      // One copy of the reports, for the lines and the points (each layer's own copy doubled the page).
      data: { values: rows },
      layer: [
        {
          mark: { type: 'line', strokeWidth: 1, opacity: 0.6 },
          encoding: { ...encoding, detail: { field: 'number', type: 'nominal' }, order: { field: 'step' } },
        },
        {
          mark: { type: 'point', filled: true, size: 12, opacity: 0.7 },
          encoding: {
            ...encoding,
            tooltip: [
              { field: 'number', title: 'trial' },
              { field: 'state' },
              { field: 'step' },
              { field: 'value', format: '.6g' },
            ],
          },
        },
        ...(stops.length === 0
          ? []
          : [
              {
                data: { values: stops },
                mark: {
                  type: 'point',
                  shape: 'diamond',
                  filled: true,
                  size: 70,
                  opacity: 1,
                  color: STATE_COLOR.pruned,
                  stroke: '#333',
                  strokeWidth: 0.6,
                },
                encoding: {
                  x: encoding.x,
                  y: encoding.y,
                  tooltip: [
                    { field: 'number', title: 'trial' },
                    { field: 'step', title: 'last report at step' },
                    { field: 'value', format: '.6g' },
                  ],
                },
              },
            ]),
      ],
    },
    marks: [
      { mark: 'line', count: lines },
      { mark: 'symbol', count: rows.length + stops.length },
    ],
  };
};
