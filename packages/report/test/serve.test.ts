import { compileSpace, type Trial } from '@parzen/engine/plugin';
import { describe, expect, it } from 'vitest';
import { buildReport, type ReportStudy, serveReport } from '../src/index.js';
import { runTpeStudy } from './fixtures.js';

/** Reads a served page's event stream: each event's name and data, in order. */
const readEvents = async (url: string) => {
  const response = await fetch(url);
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const events: { event: string; data: string }[] = [];
  let pending = '';
  let stopped = false;
  const pump = (async () => {
    while (!stopped) {
      const { value, done } = await reader.read();
      if (done) return;
      pending += decoder.decode(value);
      for (let end = pending.indexOf('\n\n'); end >= 0; end = pending.indexOf('\n\n')) {
        const lines = pending.slice(0, end).split('\n');
        pending = pending.slice(end + 2);
        const event = lines.find((line) => line.startsWith('event: '))?.slice(7);
        if (event !== undefined)
          events.push({ event, data: lines.find((line) => line.startsWith('data: '))?.slice(6) ?? '' });
      }
    }
  })().catch(() => undefined);
  const statuses = () => events.filter((e) => e.event === 'status').map((e) => e.data);
  /** Waits until the `count`th status has come, and gives it. */
  const status = async (count: number) => {
    const deadline = Date.now() + 10_000;
    while (statuses().length < count) {
      if (Date.now() > deadline) throw new Error(`no status ${count}: ${JSON.stringify(events)}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return statuses()[count - 1];
  };
  const stop = async () => {
    stopped = true;
    await reader.cancel();
    await pump;
  };
  return { events, statuses, status, stop };
};

/** The space of study `s`, and its complete trial `number` (loss `number`). */
const space = compileSpace({ x: { type: 'uniform', low: 0, high: 1 } });
const done = (number: number): Trial => ({
  study: 's',
  number,
  state: 'complete',
  internal: { x: number / 4 },
  loss: number,
  startedAt: '2026-01-01T00:00:00.000Z',
  finishedAt: `2026-01-01T00:00:0${number + 1}.000Z`,
});

describe('serveReport status events', () => {
  // Review 146: a failed build, then a failed read, then a read that worked again said `{"ok":true}` (the page:
  // "the server reads the study again") while the page was still the one before the build that failed.
  it('keeps a failed build said after a failed read that works again, until a build works', async () => {
    let trials = [done(0)];
    let readBroken = false;
    let buildBroken = false;
    const server = await serveReport({
      load: async (): Promise<ReportStudy> => {
        if (readBroken) throw new Error('the journal is locked');
        return { name: 's', direction: 'minimize', seed: 1, space, trials, suggester: { use: 'random' } };
      },
      build: async (study) => {
        if (buildBroken) throw new Error('out of memory');
        return buildReport(study);
      },
      intervalMs: 20,
    });
    const stream = await readEvents(`${server.url}events?version=unknown`);
    try {
      buildBroken = true;
      trials = [done(0), done(1)];
      expect(await stream.status(1)).toBe('{"error":"the report could not be built: out of memory"}');
      buildBroken = false; // the trials do not change: the page of [0, 1] is built again at a later poll
      readBroken = true;
      expect(await stream.status(2)).toBe('{"error":"reading the study failed: the journal is locked"}');
      readBroken = false;
      expect(await stream.status(3)).toBe('{"error":"the report could not be built: out of memory"}');
      trials = [done(0), done(1), done(2)];
      expect(await stream.status(4)).toBe('{"ok":true}');
      const rows = () =>
        (JSON.parse(stream.events.filter((e) => e.event === 'report').at(-1)?.data ?? '{}') as { table?: { rows: [] } })
          .table?.rows.length;
      await expect.poll(rows).toBe(3);
      expect(stream.statuses()).toHaveLength(4);
    } finally {
      await stream.stop();
      await server.close();
    }
  });
});

describe('serveReport and a read that takes long', () => {
  it('tells the pages a read still under way after slowReadMs (a store retrying), and when it ends', async () => {
    let slow = false;
    const server = await serveReport({
      load: async (): Promise<ReportStudy> => {
        if (slow) await new Promise((resolve) => setTimeout(resolve, 400));
        return { name: 's', direction: 'minimize', seed: 1, space, trials: [done(0)], suggester: { use: 'random' } };
      },
      build: (study) => buildReport(study),
      intervalMs: 20,
      slowReadMs: 100,
    });
    const stream = await readEvents(`${server.url}events?version=unknown`);
    try {
      slow = true;
      expect(await stream.status(1)).toBe(
        `{"error":"reading the study is taking over 0.1 s (a store that cannot reach its database retries: see the report server's log)"}`,
      );
      slow = false;
      expect(await stream.status(2)).toBe('{"ok":true}');
    } finally {
      await stream.stop();
      await server.close();
    }
  });
});

describe('serveReport and a build that failed', () => {
  /** A server of study `s` whose builds fail while `broken()` says so, each failure told to `told`. */
  const served = (trials: () => Trial[], broken: () => boolean, told: unknown[], intervalMs: number) =>
    serveReport({
      load: async (): Promise<ReportStudy> => ({
        name: 's',
        direction: 'minimize',
        seed: 1,
        space,
        trials: trials(),
        suggester: { use: 'random' },
      }),
      build: async (study) => {
        if (broken()) throw new Error('out of memory');
        return buildReport(study);
      },
      intervalMs,
      onError: (error) => told.push(error),
    });
  /** The rows of the trial table of a page as served at `GET /`. */
  const rowsServed = async (url: string): Promise<number | undefined> => {
    const html = await (await fetch(url)).text();
    const data = /<script type="application\/json" id="parzen-data">(.*?)<\/script>/s.exec(html)?.[1] ?? '{}';
    return (JSON.parse(data) as { table?: { rows: unknown[] } }).table?.rows.length;
  };

  it('builds it again when the page is asked for (a reload), the study unchanged', async () => {
    let trials = [done(0)];
    let broken = false;
    const told: unknown[] = [];
    // Polls far apart: what builds the page again is the request for it.
    const server = await served(
      () => trials,
      () => broken,
      told,
      300,
    );
    const stream = await readEvents(`${server.url}events?version=unknown`);
    try {
      broken = true;
      trials = [done(0), done(1)];
      expect(await stream.status(1)).toBe('{"error":"the report could not be built: out of memory"}');
      broken = false;
      // Before the fix, the page of one trial was served until another trial came.
      expect(await rowsServed(server.url)).toBe(2);
      expect(await stream.status(2)).toBe('{"ok":true}');
      expect(told).toHaveLength(1);
    } finally {
      await stream.stop();
      await server.close();
    }
  });

  it('tries it again at a later poll, telling a failure that repeats once', async () => {
    let trials = [done(0)];
    let failures = 0;
    const told: unknown[] = [];
    // The builds fail three times in a row, then work; the trials do not change after the first failure.
    const server = await served(
      () => trials,
      () => trials.length === 2 && failures++ < 3,
      told,
      20,
    );
    const stream = await readEvents(`${server.url}events?version=unknown`);
    try {
      trials = [done(0), done(1)];
      expect(await stream.status(1)).toBe('{"error":"the report could not be built: out of memory"}');
      expect(await stream.status(2)).toBe('{"ok":true}');
      expect(failures).toBe(4);
      expect(told).toHaveLength(1);
      const rows = () =>
        (JSON.parse(stream.events.filter((e) => e.event === 'report').at(-1)?.data ?? '{}') as { table?: { rows: [] } })
          .table?.rows.length;
      await expect.poll(rows).toBe(2);
    } finally {
      await stream.stop();
      await server.close();
    }
  });
});

describe('serveReport and the next suggestion', () => {
  it('draws the next suggestion again as trials arrive, as the rest of the page', async () => {
    const whole = await runTpeStudy(26);
    let count = 20;
    const server = await serveReport({
      load: async () => ({ ...whole, trials: whole.trials.slice(0, count) }),
      build: (study) => buildReport(study, { awaitTrials: true, trials: [25] }),
      intervalMs: 20,
    });
    const stream = await readEvents(`${server.url}events?version=unknown`);
    type Page = { notes: string[]; sections: { id: string; text: string[]; charts: { id: string }[] }[] };
    const latest = () =>
      JSON.parse(stream.events.filter((e) => e.event === 'report').at(-1)?.data ?? '{"sections":[]}') as Page;
    const next = () => latest().sections.find((s) => s.id === 'next');
    try {
      await expect.poll(() => next()?.text[0]).toMatch(/^The next trial, #20, would get /);
      expect(next()?.charts.map((c) => c.id)).toEqual(['next-density-x', 'next-density-y']);
      // Trial 25, asked for, is awaited: said, then drawn once it comes.
      expect(latest().notes.join(' ')).toContain(
        'Trial #25, asked for, is not in the study yet (its last trial is #19)',
      );
      count = 26;
      await expect.poll(() => next()?.text[0]).toMatch(/^The next trial, #26, would get /);
      expect(latest().notes.join(' ')).not.toContain('not in the study yet');
      expect(
        latest()
          .sections.find((s) => s.id === 'tpe')
          ?.charts.map((c) => c.id),
      ).toEqual(['density-x', 'density-y']);
    } finally {
      await stream.stop();
      await server.close();
    }
  });

  // Review: the page was drawn again only when a trial started or finished, so an entry enqueued while it was
  // served, or a running trial whose worker's lease lapsed, left "Next suggestion" saying other than explain.
  it("draws the next suggestion again when an entry is enqueued, and when a running trial's lease lapses", async () => {
    const whole = await runTpeStudy(12);
    let waiting: ReportStudy['waiting'];
    const lapses = new Date(Date.now() + 4000).toISOString();
    const left: Trial = {
      study: whole.name,
      number: 12,
      state: 'running',
      internal: { x: 0.1, y: 0.2 },
      startedAt: new Date().toISOString(),
      lease: { owner: 'another-host:4242', expiresAt: lapses },
    };
    const server = await serveReport({
      load: async () => ({ ...whole, trials: [...whole.trials, left], ...(waiting === undefined ? {} : { waiting }) }),
      build: (study) => buildReport(study),
      intervalMs: 20,
    });
    const stream = await readEvents(`${server.url}events?version=unknown`);
    type Page = { sections: { id: string; text: string[] }[] };
    const next = () =>
      (
        JSON.parse(stream.events.filter((e) => e.event === 'report').at(-1)?.data ?? '{"sections":[]}') as Page
      ).sections.find((s) => s.id === 'next')?.text ?? [];
    try {
      await expect.poll(() => next()[0]).toMatch(/^The next trial, #13, would get .*; 1 trial running\)/);
      waiting = [{ x: 0.25, y: -1 }];
      await expect
        .poll(() => next()[0])
        .toContain('#13, the next trial, runs the enqueued entry that waits (x = 0.25, y = -1) instead');
      await expect
        .poll(() => next(), { timeout: 10_000 })
        .toContain(
          '#12 was left running by a worker that is gone: counted as failed (STALE_TRIAL), as the next run marks it first (an enqueued entry it ran, if any, then runs again first, which the store alone knows).',
        );
      expect(next()[0]).not.toContain('running');
    } finally {
      await stream.stop();
      await server.close();
    }
  });
});
