import type { Trial } from '@parzen/engine';
import { describe, expect, it } from 'vitest';
import { learningCurvesChart } from '../src/charts/study-charts.js';
import { buildReport, type Chart, type ReportPage, type ReportStudy, renderHtml } from '../src/index.js';
import { pageCharts, specToSvg } from '../src/plugin.js';
import { mixedObjective, mixedSpace, runTpeStudy } from './fixtures.js';

// A trial cut short (its worker gone: kill -9, failed as STALE_TRIAL; or a second Ctrl-C, INTERRUPTED) was drawn
// as the red cross of a failure of the objective: after a kill -9 the history read as the objective's crash.

const chart = (page: ReportPage, id: string): Chart => {
  const found = pageCharts(page).find((c) => c.id === id || c.id.startsWith(`${id}-`));
  if (found === undefined) throw new Error(`no chart ${id}`);
  return found;
};
type Scale = { domain: string[]; range: string[] };
type Layer = {
  data?: { values: Record<string, unknown>[] };
  encoding: { color?: { scale?: Scale }; shape?: { scale?: Scale }; fill?: { scale?: Scale } };
};
const layers = (c: Chart) => (c.spec as { layer: Layer[] }).layer;

/** The study with two trials cut short: trial 6 failed as STALE_TRIAL, trial 7 as INTERRUPTED. */
const cutStudy = async (): Promise<ReportStudy> => {
  const study = await runTpeStudy(30, { space: mixedSpace, objective: mixedObjective });
  const cut = (trial: Trial, code: string, message: string): Trial =>
    trial.state === 'running'
      ? trial
      : ({
          study: trial.study,
          number: trial.number,
          state: 'failed',
          internal: trial.internal,
          startedAt: trial.startedAt,
          finishedAt: trial.finishedAt,
          error: { code, message },
        } as Trial);
  return {
    ...study,
    trials: study.trials.map((trial) =>
      trial.number === 6
        ? cut(trial, 'STALE_TRIAL', "its worker's lease lapsed")
        : trial.number === 7
          ? cut(trial, 'INTERRUPTED', 'the run was stopped')
          : trial,
    ),
  };
};

describe('trials cut short, drawn apart from failures of the objective', async () => {
  const study = await cutStudy();
  const threw = study.trials.filter((t) => t.state === 'failed' && t.error.code === 'OBJECTIVE_THREW');
  const page = await buildReport(study);

  it('has both kinds to draw', () => {
    expect(threw.length).toBeGreaterThan(0);
  });

  it('draws them in the history with a mark and legend entry of their own', async () => {
    const history = chart(page, 'history');
    const [points] = layers(history);
    const rows = points?.data?.values ?? [];
    expect(rows.filter((row) => row.glyph === 'cut short').map((row) => row.number)).toEqual([6, 7]);
    expect(rows.filter((row) => row.glyph === 'failed').map((row) => row.number)).toEqual(threw.map((t) => t.number));
    expect(rows.find((row) => row.number === 6)?.said).toBe('none (cut short)');
    const shape = points?.encoding.shape?.scale as Scale;
    const color = points?.encoding.color?.scale as Scale;
    expect(shape.domain).toEqual(['complete', 'failed', 'cut short']);
    expect(shape.range).toEqual(['circle', 'cross', 'triangle-down']);
    expect(color.range[2]).not.toBe(color.range[1]);
    expect(history.description).toContain(
      'With no loss, failed trials are red crosses, trials cut short (failed as INTERRUPTED or STALE_TRIAL: a stopped run, a lost worker or an interrupted trial, not a failure of the objective) are brown triangles, at the worst loss shown',
    );
    // As drawn (`--format svg`): a legend entry of its own, in its own colour.
    const svg = await specToSvg(history.spec);
    expect(svg).toContain('>cut short</text>');
    expect(svg).toContain('#8c564b');
    // And in the HTML page, the spec it draws.
    expect(renderHtml(page)).toContain('"glyph":"cut short"');
  });

  it('draws them in the pair plot apart, and says so', () => {
    const pair = chart(page, 'pair');
    const kinds = layers(pair).flatMap((layer) => layer.data?.values ?? []);
    const kindOf = (number: number) => kinds.find((row) => row.number === number && 'kind' in row)?.kind;
    expect(kindOf(6)).toBe('cut short (no loss)');
    expect(kindOf(7)).toBe('cut short (no loss)');
    expect(kindOf(threw[0]?.number ?? -1)).toBe('failed (no loss)');
    expect(pair.description).toContain('trials cut short (failed as INTERRUPTED or STALE_TRIAL');
  });

  it('says in the table and the notes which failed trials were cut short', () => {
    expect(page.table?.legend?.error).toContain('`INTERRUPTED` and `STALE_TRIAL` say it was cut short');
    expect(page.notes[0]).toContain(
      `${threw.length + 2} failed (2 of them cut short: a stopped run, a lost worker or an interrupted trial)`,
    );
  });

  it('draws a curve of a trial cut short apart in the learning curves', () => {
    const times = { startedAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T00:00:01.000Z' };
    const intermediate = [0, 1].map((step) => ({ step, value: 2 - step }));
    const reported = (number: number, state: 'complete' | 'failed', code?: string): Trial =>
      ({
        ...{ study: 's', number, state, internal: {}, intermediate, ...times },
        ...(state === 'complete' ? { loss: 1 } : { error: { code, message: 'gone' } }),
      }) as Trial;
    const curves = learningCurvesChart([
      reported(0, 'complete'),
      reported(1, 'failed', 'OBJECTIVE_THREW'),
      reported(2, 'failed', 'STALE_TRIAL'),
    ]);
    const spec = curves?.spec as { data: { values: { number: number; state: string }[] }; layer: Layer[] };
    expect(spec.data.values.filter((row) => row.number === 2).map((row) => row.state)).toEqual([
      'cut short',
      'cut short',
    ]);
    expect(spec.data.values.find((row) => row.number === 1)?.state).toBe('failed');
    expect(spec.layer[0]?.encoding.color?.scale?.domain).toEqual(['complete', 'failed', 'cut short']);
    expect(curves?.description).toContain('Brown lines are trials cut short');
  });

  it('leaves a study without trials cut short as it was', async () => {
    const plain = await buildReport(await runTpeStudy(30, { space: mixedSpace, objective: mixedObjective }));
    const [points] = layers(chart(plain, 'history'));
    expect(points?.encoding.shape?.scale?.domain).toEqual(['complete', 'failed']);
    expect(chart(plain, 'history').description).toContain('Failed trials (no loss) are red crosses at the worst loss');
    expect(plain.table?.legend?.error).toBeUndefined();
    expect(plain.notes[0]).toMatch(/\d+ failed, 0 pruned/);
  });
});
