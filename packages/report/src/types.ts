import type {
  CompiledSpace,
  Direction,
  ExternalParams,
  ParamAssignment,
  TakenEntry,
  Trial,
} from '@parzen/engine/plugin';

/**
 * A comparison's table (one row per variant, its first column `variant`) of at most this many rows is also
 * written as a plain table: in the HTML page for readers without JavaScript, and in the SVG index. A study's
 * trial table is not (its columns grow with the parameters; it needs the page's sorting and filtering).
 */
export const STATIC_TABLE_ROWS = 100;

/** The page's table when it is written as a plain table too (see {@link STATIC_TABLE_ROWS}). */
export const staticTable = (table: TrialTable | undefined): TrialTable | undefined =>
  table !== undefined && table.columns[0] === 'variant' && table.rows.length <= STATIC_TABLE_ROWS ? table : undefined;

/** The legend entries of the columns a table has, in its column order. */
export const tableLegend = (table: TrialTable): [string, string][] =>
  table.columns.flatMap((column) =>
    table.legend !== undefined && Object.hasOwn(table.legend, column) ? [[column, table.legend[column] as string]] : [],
  );

/** A cell of a plain table: a number to 6 significant digits, as the page shows it; null as nothing. */
export const staticCell = (value: string | number | boolean | null): string =>
  value === null
    ? ''
    : typeof value === 'number' && !Number.isInteger(value)
      ? String(Number(value.toPrecision(6)))
      : String(value);

/** A Vega-Lite spec as plain JSON data (validated by Vega-Lite when rendered). */
export type VlSpec = Readonly<Record<string, unknown>>;

/** Mark types whose rendered items a test can count (`g.mark-<type>` in Vega's SVG output). */
export type MarkType = 'text' | 'symbol' | 'rect' | 'line' | 'rule' | 'area';

/** How many items of one mark type a chart must render: what a browser test checks. */
export interface MarkCount {
  /** The mark type counted. */
  readonly mark: MarkType;
  /** How many items of it the rendered chart has. */
  readonly count: number;
}

/** One chart of a report: a Vega-Lite spec and the marks it should render. */
export interface Chart {
  /** Unique in the page; also the SVG file name with `--format svg`. */
  readonly id: string;
  /** The chart's heading. */
  readonly title: string;
  /** One or two sentences under the chart: what it shows. */
  readonly description: string;
  /** What is drawn, as a Vega-Lite spec (written beside the SVG as `<id>.vl.json` with `--format svg`). */
  readonly spec: VlSpec;
  /** The items the rendered chart should have, per mark type (what the browser tests count). */
  readonly marks: readonly MarkCount[];
}

/** A titled group of charts with explanatory paragraphs. */
export interface Section {
  /** Unique in the page: the section's anchor, the target of the page's contents. */
  readonly id: string;
  /** The section's heading. */
  readonly title: string;
  /** Paragraphs above its charts, Markdown-style code spans allowed. */
  readonly text: readonly string[];
  /** Its charts, in the order drawn. */
  readonly charts: readonly Chart[];
}

/**
 * The trial table: columns, then one row of cells per trial (numbers stay numbers, for sorting). A null
 * cell is empty (no loss, or a parameter inactive in that trial); a choice whose option is `null` has the
 * string `'null'`, as `parzen trials` shows it.
 */
export interface TrialTable {
  /** The heading (default "Trials"). */
  readonly title?: string;
  /** The column names, in order (a study's: `trial`, `state`, `loss`, ..., the params, `attrs.NAME`, ...). */
  readonly columns: readonly string[];
  /** One row per trial, a cell per column. */
  readonly rows: readonly (readonly (string | number | boolean | null)[])[];
  /**
   * What some columns mean, by column name, one sentence each: shown beside the table (a legend line each) and as
   * its header's title.
   */
  readonly legend?: Readonly<Record<string, string>>;
  /** Columns whose first sort puts the highest first: the loss of a maximize study (the best first). */
  readonly highestFirst?: readonly string[];
  /**
   * The column the rows are already sorted by (a comparison's, ranked best first): the page opens with the rows in
   * their given order, that column marked sorted, until the reader sorts by a column. Default: the first column.
   */
  readonly rankedBy?: string;
  /**
   * The cells of `column` that hold an intermediate value, not a final one (a pruned trial's last report), by row
   * index: the step it was reported at, or null when unknown. The page shows each as `0.42 (intermediate, at
   * step 5)` and sorts them after every final value, whichever the order.
   */
  readonly intermediate?: {
    /** The column those cells are in (the loss's). */
    readonly column: string;
    /** By row index, the step each intermediate value was reported at (null: unknown). */
    readonly at: Readonly<Record<number, number | null>>;
  };
}

/** The best trial as the page shows it. */
export interface BestTrialView {
  /** Its trial number. */
  readonly number: number;
  /** Its loss, as the objective returned it (the study's direction applies). */
  readonly loss: number;
  /** Its params, as the objective saw them (option values for choices). */
  readonly params: ExternalParams;
  /** Its attrs, each as a cell of the trial table (a long value cut, with `…`), when it has any. */
  readonly attrs?: Readonly<Record<string, string | number | boolean | null>>;
}

/** Everything a report page shows, as plain data: the HTML writer and the SVG writer render it. */
export interface ReportPage {
  /** The page's heading and the HTML's `<title>`. */
  readonly title: string;
  /** Facts about the study and about what the page left out (downsampling, replay settings). */
  readonly notes: readonly string[];
  /** The sections, in page order. */
  readonly sections: readonly Section[];
  /** The trial table (a comparison's: one row per variant); absent when the page has none. */
  readonly table?: TrialTable;
  /** The best trial, shown above the charts; absent when no trial completed. */
  readonly best?: BestTrialView;
  /**
   * Changes whenever the trials do, an enqueued entry is added or taken, or a running trial's worker is gone (its
   * lease lapsed); `--serve` pushes a new page when it changes.
   */
  readonly version: string;
  /** How many trials were running when the page was made: a served page with none says "no trial running". */
  readonly running?: number;
}

/** A study as the report reads it: the config's facts and the stored trials. */
export interface ReportStudy {
  /** The study's name. */
  readonly name: string;
  /** Whether the study minimizes or maximizes its loss. */
  readonly direction: Direction;
  /** The study seed: the replay derives each trial's random stream from it, as the run did. */
  readonly seed: number;
  /** The study's search space, compiled: the replay suggests in it, the charts draw its parameters. */
  readonly space: CompiledSpace;
  /** Every trial of the study, ordered by number. */
  readonly trials: readonly Trial[];
  /** The config's suggester; the TPE figures replay its options when it is `tpe`. */
  readonly suggester?: {
    /** The suggester's name (`tpe`, `random`, ...). */
    readonly use: string;
    /** Its options as the config gives them. */
    readonly options?: Readonly<Record<string, unknown>>;
  };
  /** The suggester the study was created with, when its store kept it (it may differ from the config's). */
  readonly createdWith?: string;
  /**
   * The enqueued entry each trial ran, when the store lists them (`listTakenEntries`): the replay keeps the
   * params a partial entry fixed, as the run did, so that what TPE chose is what is explained.
   */
  readonly takenEntries?: readonly TakenEntry[];
  /**
   * The enqueued entries waiting to run, the first to run first (the store's `listEnqueued`, then a config's entries
   * no trial has run): the next trial runs the first one, TPE drawing only the params it leaves out, which the
   * "Next suggestion" section says (as `parzen explain` does).
   */
  readonly waiting?: readonly ParamAssignment[];
  /**
   * What the next run takes where it is not what the study was created with (a config whose seed or TPE settings
   * were edited since): the "Next suggestion" is computed with these, as `parzen explain CONFIG` computes it, and
   * says so; the replay of the past trials keeps the study's own.
   */
  readonly nextRun?: {
    /** The seed the next run takes, when it is not the study's. */
    readonly seed?: number;
    /** The suggester the next run takes, when its options are not the study's. */
    readonly suggester?: {
      /** The suggester's name (`tpe`, `random`, ...). */
      readonly use: string;
      /** Its options as the config gives them. */
      readonly options?: Readonly<Record<string, unknown>>;
    };
  };
}

/** A cheap function of the params (the objective, or a stand-in) to draw contours under the trials. */
export type ContourFunction = (params: ExternalParams) => number | Promise<number>;
