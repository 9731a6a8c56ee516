import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFunctionObjective } from '../builtins/function-objective.js';
import { createMemoryStore } from '../builtins/memory-store.js';
import type { ObjectiveAdapter } from '../contracts/objective.js';
import type { TrialStore } from '../contracts/store.js';
import type { Suggester } from '../contracts/suggester.js';
import { compileSpace } from '../domain/compile-space.js';
import { sampleDistribution } from '../domain/sample-distribution.js';
import type { SpaceDefinition } from '../domain/space-definition.js';
import type { Trial } from '../domain/trial.js';
import { ParzenError } from '../errors.js';
import { Study } from '../study.js';
import { configEntryKeys, ENTRY_ATTEMPTS, stoppedEntryNote, withEnqueueKeys } from './enqueue.js';
import { runStudy } from './run-study.js';

const space: SpaceDefinition = {
  x: { type: 'uniform', low: -2, high: 2 },
  model: { type: 'choice', options: [{ value: 'a', space: { depth: { type: 'randint', low: 1, high: 5 } } }, 'b'] },
};

/** Counts its beginTrial calls, to show that fully enqueued trials never reach the suggester. */
const countingSuggester = () => {
  const counter = { began: 0 };
  const suggester: Suggester = {
    name: 'prior',
    beginTrial: (context) => {
      counter.began++;
      return { sampleParam: (param) => sampleDistribution(param.distribution, context.rng) };
    },
  };
  return { suggester, counter };
};

/** A run's options: study `name` of the space in `store`, by the counting suggester. */
const runOptions = (name: string, store: TrialStore, objective: ObjectiveAdapter) => ({
  spec: { name, direction: 'minimize' as const, seed: 1, space },
  space: compileSpace(space),
  store,
  suggester: countingSuggester().suggester,
  objective,
});

/** An objective's result that never comes: it rejects once its trial is stopped (`signal`). */
const untilStopped = (signal: AbortSignal): Promise<number> =>
  new Promise<number>((_resolve, reject) =>
    signal.addEventListener('abort', () => reject(signal.reason), { once: true }),
  );

describe('entries an earlier config queued (trial 50: removed from the config, they still ran, unsaid)', () => {
  it('says which wait though this run no longer lists them, and counts the waiting ones in study.started', async () => {
    const store = createMemoryStore();
    const base = runOptions(
      'left',
      store,
      createFunctionObjective((params) => params.x as number),
    );
    const started: unknown[] = [];
    const first = [{ x: 0.5, model: 'b' }, { model: 'b' }, { x: 1, model: 'b' }];
    await runStudy({ ...base, enqueue: first, budget: { maxTrials: 1 } });
    const warnings: string[] = [];
    await runStudy({
      ...base,
      enqueue: [{ x: 0.5, model: 'b' }],
      budget: { maxTrials: 1 },
      onWarning: (line) => warnings.push(line),
      reporters: [{ name: 'seen', onEvent: (event) => void (event.type === 'study.started' && started.push(event)) }],
    });
    expect(warnings).toEqual([
      // At its limit (1 trial of 1): they run first once it has room (review 59: "run first" of nothing).
      'study left: 2 entries an earlier run\'s `enqueue` list queued wait and run first once the study has room for more trials, though this run\'s list does not have them: {"model":"b"}, {"model":"b","x":1}. A queued entry stays queued until a trial runs it, or it is removed: `parzen queue CONFIG --remove-unlisted` (in code, study.removeEnqueued).',
    ]);
    expect(started).toEqual([expect.objectContaining({ waitingEntries: 2 })]);
    // The same list again: nothing to say.
    const again: string[] = [];
    await runStudy({ ...base, enqueue: first, budget: { maxTrials: 1 }, onWarning: (line) => again.push(line) });
    expect(again.filter((line) => line.includes('earlier run'))).toEqual([]);
    // A run of a config file: the command names it, with the run's --store (review 153's kind: not `CONFIG`).
    const named: string[] = [];
    await runStudy({
      ...base,
      enqueue: [],
      budget: { maxTrials: 1 },
      onWarning: (line) => named.push(line),
      configFile: { path: 'my exp.json', store: 'sqlite:s.db' },
    });
    expect(named.filter((line) => line.includes('earlier run'))).toEqual([
      expect.stringContaining("`parzen queue 'my exp.json' --store sqlite:s.db --remove-unlisted`"),
    ]);
  });
});

describe('enqueue', () => {
  it('runs a config enqueue list first, once, also across a resume; partial entries are completed by the suggester', async () => {
    const store = createMemoryStore();
    const seen: Record<string, unknown>[] = [];
    const objective = createFunctionObjective((params) => {
      seen.push({ ...params });
      return params.x as number;
    });
    const enqueue = [{ x: 0.125, model: 'a', depth: 3 }, { model: 'b' }, { x: 0.125, model: 'a', depth: 3 }];
    const { suggester, counter } = countingSuggester();
    const options = {
      spec: { name: 'q', direction: 'minimize' as const, seed: 1, space },
      space: compileSpace(space),
      store,
      suggester,
      objective,
      enqueue,
    };
    await runStudy({ ...options, budget: { maxTrials: 5 } });
    expect(seen.slice(0, 3).map((params) => params.model)).toEqual(['a', 'b', 'a']);
    expect(seen[0]).toEqual({ x: 0.125, model: 'a', depth: 3 });
    expect(seen[2]).toEqual({ x: 0.125, model: 'a', depth: 3 }); // listed twice, runs twice
    expect(seen[1]?.model).toBe('b');
    expect(typeof seen[1]?.x).toBe('number');
    expect(seen[1]?.x).not.toBe(0.125);
    // Trials 0 and 2 were fully given: the suggester began only trials 1, 3 and 4.
    expect(counter.began).toBe(3);
    await runStudy({ ...options, budget: { moreTrials: 3 } });
    expect(seen).toHaveLength(8);
    expect(seen.filter((params) => params.x === 0.125)).toHaveLength(2);
  });

  it('runs an entry again, first, when its trial was interrupted or its worker died; not when it failed', async () => {
    const store = createMemoryStore();
    const seen: unknown[] = [];
    let hang = true;
    const controller = new AbortController();
    const objective = createFunctionObjective((params, context) => {
      seen.push(params.x);
      if (params.x === 0.25) throw new Error('bad params');
      // The first trial runs until the run is interrupted, once it has begun (a timer from the run's start fired
      // before the first trial on a loaded machine).
      if (hang) {
        hang = false;
        setTimeout(() => controller.abort(), 20);
        return untilStopped(context.signal);
      }
      return params.x as number;
    });
    const enqueue = [
      { x: 0.5, model: 'b' },
      { x: 0.25, model: 'b' },
      { x: 0.75, model: 'b' },
    ];
    const options = { ...runOptions('q', store, objective), enqueue };
    await runStudy({ ...options, budget: { maxTrials: 100 }, signal: controller.signal, gracePeriodMs: 0 });
    expect(seen).toEqual([0.5]);
    // A worker that died while running the second entry: its trial is stale, with the lease of a gone process.
    await store.createTrial('q', {
      lease: { owner: `${hostname()}:999999999:gone`, expiresAt: '2099-01-01T00:00:00Z' },
    });
    await runStudy({ ...options, budget: { moreTrials: 4 } });
    const trials = await store.listTrials('q');
    const ends = trials.map((trial) => (trial.state === 'failed' ? trial.error.code : trial.state));
    expect(ends).toEqual(['INTERRUPTED', 'STALE_TRIAL', 'complete', 'OBJECTIVE_THREW', 'complete', 'complete']);
    // The resume ran the interrupted entry, then the stale trial's, then the last; the failed one once.
    expect(seen.slice(1, 4)).toEqual([0.5, 0.25, 0.75]);
    expect(seen.filter((x) => x === 0.25)).toHaveLength(1);
    expect(typeof seen[4]).toBe('number');
    expect([0.5, 0.25, 0.75]).not.toContain(seen[4]);
  });

  it("counts in study.started the entry a dead worker's trial gives back as the run begins (trial 56: only the next run said so)", async () => {
    const store = createMemoryStore();
    const spec = { name: 'given-back', direction: 'minimize' as const, seed: 1, space };
    await store.openStudy(spec);
    // An entry of an earlier config's list (keyed as configs key them).
    const [key] = configEntryKeys([{ x: 0.5, model: 'b' }]);
    await store.enqueue?.('given-back', [{ internal: { x: 0.5, model: 1 }, key: key as string }]);
    // A worker that is gone took the entry.
    const taken = await store.createTrial('given-back', {
      lease: { owner: `${hostname()}:999999999:gone`, expiresAt: '2099-01-01T00:00:00Z' },
    });
    expect(taken?.internal).toEqual({ x: 0.5, model: 1 });
    const started: unknown[] = [];
    const warnings: string[] = [];
    await runStudy({
      spec,
      space: compileSpace(space),
      store,
      suggester: countingSuggester().suggester,
      objective: createFunctionObjective((params) => params.x as number),
      budget: { maxTrials: 1 },
      enqueue: [],
      onWarning: (message) => warnings.push(message),
      reporters: [{ name: 'seen', onEvent: (event) => void (event.type === 'study.started' && started.push(event)) }],
    });
    expect(started).toEqual([expect.objectContaining({ waitingEntries: 1 })]);
    // And named among the entries this run's list does not have (review 58: said only by the next run).
    expect(
      warnings.some((message) => message.includes('though this run\'s list does not have it: {"model":"b","x":0.5}')),
    ).toBe(true);
  });

  it('does not run an entry again when only the lease of its worker (on another host) lapsed', async () => {
    const store = createMemoryStore();
    const spec = { name: 'q', direction: 'minimize' as const, seed: 1, space };
    await store.openStudy(spec);
    await store.enqueue?.('q', [{ internal: { x: 0.5, model: 1 } }, { internal: { x: 0.25, model: 1 } }]);
    // A worker elsewhere took the first entry; its lease lapsed, but it may still be busy with it.
    await store.createTrial('q', { lease: { owner: 'elsewhere:123:run', expiresAt: '2000-01-01T00:00:00Z' } });
    const seen: unknown[] = [];
    const objective = createFunctionObjective((params) => {
      seen.push(params.x);
      return params.x as number;
    });
    await runStudy({
      spec,
      space: compileSpace(space),
      store,
      suggester: countingSuggester().suggester,
      objective,
      budget: { moreTrials: 2 },
    });
    const [first] = await store.listTrials('q');
    expect(first).toMatchObject({ state: 'failed', error: { code: 'STALE_TRIAL', details: { lease: 'lapsed' } } });
    expect(seen[0]).toBe(0.25);
    expect(seen).not.toContain(0.5);
  });

  it('refuses values that do not fit the space, with JSON pointers, before anything runs', async () => {
    const store = createMemoryStore();
    const { suggester } = countingSuggester();
    const run = runStudy({
      spec: { name: 'bad', direction: 'minimize', seed: 1, space },
      space: compileSpace(space),
      store,
      suggester,
      objective: createFunctionObjective(() => 1),
      budget: { maxTrials: 3 },
      enqueue: [{ x: 0 }, { x: 9, model: 'c' }],
    });
    await expect(run).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      issues: [
        { pointer: '/enqueue/1/x', expected: 'a number from -2 to 2', found: '9' },
        { pointer: '/enqueue/1/model', expected: 'one of "a", "b"' },
      ],
    });
    expect(await store.listTrials('bad')).toEqual([]);
  });

  it('study.enqueue hands params to the next ask, skips a known key, and checks the values', async () => {
    const study = await Study.open({ space, suggester: countingSuggester().suggester, seed: 3 });
    expect(await study.enqueue({ x: -1.5, model: 'b' }, { key: 'known' })).toBe(true);
    expect(await study.enqueue({ x: 1.5, model: 'b' }, { key: 'known' })).toBe(false);
    expect(await study.enqueue({ model: 'a' })).toBe(true);
    const first = await study.ask();
    expect(first.params).toEqual({ x: -1.5, model: 'b' });
    const second = await study.ask();
    expect(second.params.model).toBe('a');
    expect(second.params.depth).toBeGreaterThanOrEqual(1);
    expect((await study.ask()).params).not.toEqual(first.params);
    await expect(study.enqueue({ x: 3 })).rejects.toMatchObject({
      code: 'PARAMS_INVALID',
      issues: [{ pointer: '/x', expected: 'a number from -2 to 2' }],
    });
    await expect(study.enqueue({ depth: 2 })).rejects.toMatchObject({ issues: [{ pointer: '/depth' }] });
  });
});

describe(`an entry whose trials keep ending unrun is given up after ${ENTRY_ATTEMPTS} attempts`, () => {
  const gone = { owner: `${hostname()}:999999999:gone`, expiresAt: '2099-01-01T00:00:00Z' };

  it('a run its caller stops at the entry each time (Ctrl-C, SIGTERM, its signal) uses up no attempt: the entry waits, first (review 149)', async () => {
    const store = createMemoryStore();
    const seen: unknown[] = [];
    let controller = new AbortController();
    let stopAtEntry = true;
    // The entry x=0.5 is stopped each time (a run stopped at it); 0.25 fails; others complete.
    const objective = createFunctionObjective((params, context) => {
      seen.push(params.x);
      if (params.x === 0.25) throw new Error('bad params');
      if (params.x !== 0.5 || !stopAtEntry) return params.x as number;
      setTimeout(() => controller.abort(), 20);
      return untilStopped(context.signal);
    });
    const warnings: string[] = [];
    const options = {
      ...runOptions('stuck', store, objective),
      enqueue: [
        { x: 0.25, model: 'b' },
        { x: 0.5, model: 'b' },
        { x: 0.75, model: 'b' },
      ],
      onWarning: (message: string) => warnings.push(message),
      gracePeriodMs: 0,
    };
    // The first run and more resumes than the attempts each stop at the entry.
    for (let run = 0; run <= ENTRY_ATTEMPTS; run++) {
      controller = new AbortController();
      await runStudy({ ...options, budget: { maxTrials: 100 }, signal: controller.signal });
    }
    expect(seen).toEqual([0.25, 0.5, 0.5, 0.5, 0.5]);
    const trials = await store.listTrials('stuck');
    expect(trials.map((trial) => (trial.state === 'failed' ? trial.error.code : trial.state))).toEqual([
      'OBJECTIVE_THREW',
      'INTERRUPTED',
      'INTERRUPTED',
      'INTERRUPTED',
      'INTERRUPTED',
    ]);
    // Each trial the stop cut short stays marked as one that ran the entry (the store gave the entry back, and
    // lists it as taken by none of them), with no attempt.
    const key = 'enqueue:{"model":"b","x":0.5}#0';
    const stopped = { internal: { x: 0.5, model: 1 }, key, stopped: true };
    expect(trials.map((trial) => trial.state === 'failed' && trial.error.details?.entry)).toEqual([
      undefined,
      stopped,
      stopped,
      stopped,
      stopped,
    ]);
    expect((await store.listTakenEntries?.('stuck'))?.map(({ trial }) => trial)).toEqual([0]);
    expect(warnings.filter((line) => line.includes('not handed out again'))).toEqual([]);
    // Said at each stop, with the ways out (an entry longer than each run gets was stopped at every run, unsaid).
    expect(warnings.filter((line) => line.includes('the stop cut short'))).toEqual(
      [1, 2, 3, 4].map(
        (number) =>
          `study stuck: the stop cut short trial #${number}, which ran the enqueued entry {"model":"b","x":0.5}; a stop you ask for (Ctrl-C, SIGTERM, the run's signal) uses none of its 3 attempts, so it waits again and runs first at the next run. ` +
          "If it needs longer than each run is given (a scheduler's time limit, `timeout`), it is stopped at every run: give the run trialTimeoutSeconds (a trial that times out counts as run), " +
          `or take the entry out of the queue (\`parzen queue CONFIG --remove '${key}'\`, in code study.removeEnqueued({ key: ${JSON.stringify(key)} })).`,
      ),
    );
    // A worker gone at it after those stops: its first attempt (the marked trials the stops cut short are none).
    expect((await store.createTrial('stuck', { lease: gone }))?.internal).toEqual({ x: 0.5, model: 1 });
    await runStudy({ ...options, budget: { maxTrials: 0 } });
    const stale = (await store.listTrials('stuck'))[5];
    expect(stale?.state === 'failed' && stale.error.details?.entry).toEqual({
      internal: { x: 0.5, model: 1 },
      key,
      attempt: 1,
    });
    // The next resume, not stopped, runs it first, then the rest, and not the failed one again.
    stopAtEntry = false;
    await runStudy({ ...options, budget: { moreTrials: 2 } });
    expect(seen.slice(5)).toEqual([0.5, 0.75]);
    expect(seen.filter((x) => x === 0.25)).toHaveLength(1);
    expect(await store.listEnqueued?.('stuck')).toEqual([]);
  });

  it('a stop the store could not record (its database out of reach) uses no attempt either: a later run marks the trial INTERRUPTED', async () => {
    const name = `stop-unrecorded-${process.pid}-${Date.now()}`;
    const memory = createMemoryStore();
    let down = false;
    const store: TrialStore = Object.assign(Object.create(memory) as TrialStore, {
      finishTrial: (study: string, number: number, outcome: Parameters<TrialStore['finishTrial']>[2]) =>
        down
          ? Promise.reject(new ParzenError('STORE_FAILED', 'connection lost (retried for 60 s).'))
          : memory.finishTrial(study, number, outcome),
    });
    const controller = new AbortController();
    const objective = createFunctionObjective((params, context) => {
      if (params.x !== 0.5) return params.x as number;
      down = true;
      setTimeout(() => controller.abort(), 20);
      return untilStopped(context.signal);
    });
    const warnings: string[] = [];
    const options = {
      ...runOptions(name, store, objective),
      enqueue: [{ x: 0.5, model: 'b' }],
      onWarning: (message: string) => warnings.push(message),
      gracePeriodMs: 0,
    };
    const file = join(tmpdir(), `parzen-unrecorded-${userInfo().username}`, `${name}.stops.jsonl`);
    try {
      await expect(runStudy({ ...options, budget: { maxTrials: 5 }, signal: controller.signal })).rejects.toMatchObject(
        { code: 'STORE_FAILED' },
      );
      expect(warnings.join('\n')).toContain(
        `the store has it as running, and a later run of study ${name} on this host marks it failed as stopped (INTERRUPTED), so an enqueued entry it ran waits again with none of its attempts used`,
      );
      // Its worker gone (as when the stopped process has exited), the store back: the next run records the stop.
      down = false;
      const [running] = await memory.listTrials(name);
      const owner = (running?.state === 'running' ? running.lease?.owner : undefined) as string;
      await memory.renewLease(name, 0, gone);
      writeFileSync(file, readFileSync(file, 'utf8').replaceAll(JSON.stringify(owner), JSON.stringify(gone.owner)));
      const started: { failed: number; running?: number }[] = [];
      await runStudy({
        ...options,
        budget: { maxTrials: 0 },
        reporters: [{ name: 'seen', onEvent: (event) => void (event.type === 'study.started' && started.push(event)) }],
      });
      // Counted as failed as the run begins, not as running.
      expect(started).toMatchObject([{ failed: 1, running: 0 }]);
      const [trial] = await memory.listTrials(name);
      expect(trial?.state === 'failed' && trial.error).toMatchObject({
        code: 'INTERRUPTED',
        details: { entry: { internal: { x: 0.5, model: 1 }, stopped: true } },
      });
      expect(warnings.at(-1)).toBe(
        `study ${name}: #0, cut short by a stop (Ctrl-C, SIGTERM, the run's signal) while the store could not record it, is marked failed, INTERRUPTED, as that run would have: an enqueued entry it ran waits again, with none of its attempts used.`,
      );
      expect((await memory.listEnqueued?.(name))?.map(({ internal }) => internal)).toEqual([{ x: 0.5, model: 1 }]);
    } finally {
      rmSync(file, { force: true });
    }
  });

  // Review 151: nothing pinned that the note is said only of a trial the stop cut short. Here the objective has
  // returned, and the stop's grace period ends while its last report is still being stored: the trial ran the
  // entry to its end (complete), and the entry waits no more.
  it("a stop that lets the entry's trial end with its own result says nothing of it: the entry ran, and waits no more", async () => {
    const memory = createMemoryStore();
    const report = memory.reportIntermediate?.bind(memory);
    const store: TrialStore = Object.assign(Object.create(memory) as TrialStore, {
      reportIntermediate: async (study: string, number: number, step: number, value: number) => {
        await new Promise((resolve) => setTimeout(resolve, 200));
        await report?.(study, number, step, value);
      },
    });
    const controller = new AbortController();
    const objective = createFunctionObjective((params, context) => {
      if (params.x === 0.5) {
        void context.report(0, 1);
        controller.abort();
      }
      return params.x as number;
    });
    const warnings: string[] = [];
    await runStudy({
      ...runOptions('graced', store, objective),
      enqueue: [{ x: 0.5, model: 'b' }],
      onWarning: (message: string) => warnings.push(message),
      gracePeriodMs: 20,
      budget: { maxTrials: 5 },
      signal: controller.signal,
    });
    const trials = await store.listTrials('graced');
    expect(trials.map((trial) => trial.state)).toEqual(['complete']);
    expect(warnings.filter((line) => line.includes('the stop cut short'))).toEqual([]);
    expect(await store.listEnqueued?.('graced')).toEqual([]);
  });

  // Review 151: the key was put in bare single quotes, so a key holding one gave a command the shell reads wrong.
  it("the stop's note gives a command a shell reads back with the entry's key, whatever the key holds", () => {
    const key = `it's "mine", {a,b} $HOME`;
    const note = stoppedEntryNote('s', compileSpace(space), 3, { trial: 3, internal: { x: 0.5 }, key });
    const command = /`(parzen queue CONFIG --remove [^`]*)`/.exec(note)?.[1] as string;
    const words = execFileSync('sh', ['-c', `printf '%s\\n' ${command}`], { encoding: 'utf8' });
    expect(words).toBe(`parzen\nqueue\nCONFIG\n--remove\n${key}\n`);
  });

  // The command said `CONFIG` for the config file of a run that came from one (`parzen run`): a command to edit.
  it("the stop's note names the run's config file, and the --store and --study that find its study, quoted for a shell", () => {
    const key = 'enqueue:{"x":0.5}#0';
    const file = { path: "my runs/it's.json", store: 'sqlite:out dir/s.db', study: 'lr=0.1' };
    const keyed = stoppedEntryNote('s', compileSpace(space), 3, { trial: 3, internal: { x: 0.5 }, key }, file);
    const command = /`(parzen queue [^`]*)`/.exec(keyed)?.[1] as string;
    expect(command).toBe(
      `parzen queue 'my runs/it'\\''s.json' --store 'sqlite:out dir/s.db' --study lr=0.1 --remove '${key}'`,
    );
    const words = execFileSync('sh', ['-c', `printf '%s\\n' ${command}`], { encoding: 'utf8' });
    expect(words).toBe(`parzen\nqueue\n${file.path}\n--store\n${file.store}\n--study\nlr=0.1\n--remove\n${key}\n`);
    // An entry without a key (queued in code) by its params; the plain path of a run without flags as it is.
    const keyless = stoppedEntryNote(
      's',
      compileSpace(space),
      3,
      { trial: 3, internal: { x: 0.5 } },
      { path: 'q.json' },
    );
    expect(keyless).toContain(
      `(\`parzen queue q.json --remove-params '{"x":0.5}'\`, in code, study.removeEnqueued({ params: {"x":0.5} })).`,
    );
    // A run in code, from no file: the command's placeholder, and the code.
    expect(stoppedEntryNote('s', compileSpace(space), 3, { trial: 3, internal: { x: 0.5 } })).toContain(
      '(in code, study.removeEnqueued({ params: {"x":0.5} })).',
    );
  });

  // The run's own time budget cuts no trial short: an entry that needs longer than maxSeconds runs to its end, once,
  // and is not handed out again (it is neither an attempt nor a stop its caller asked for).
  it('an entry whose trial outlasts maxSeconds runs to its end once: the run stops after it, and nothing is said of it', async () => {
    const store = createMemoryStore();
    const seen: unknown[] = [];
    const objective = createFunctionObjective(async (params) => {
      seen.push(params.x);
      if (params.x === 0.5) await new Promise((resolve) => setTimeout(resolve, 300));
      return params.x as number;
    });
    const warnings: string[] = [];
    const options = {
      ...runOptions('long', store, objective),
      enqueue: [{ x: 0.5, model: 'b' }],
      onWarning: (message: string) => warnings.push(message),
    };
    const result = await runStudy({ ...options, budget: { maxTrials: 100, maxSeconds: 0.1 } });
    expect(result.reason).toBe('max-seconds');
    expect(seen).toEqual([0.5]);
    expect((await store.listTrials('long')).map((trial) => trial.state)).toEqual(['complete']);
    expect(await store.listEnqueued?.('long')).toEqual([]);
    // The next run does not run it again.
    await runStudy({ ...options, budget: { moreTrials: 1 } });
    expect(seen.slice(1)).not.toContain(0.5);
    expect(warnings).toEqual([]);
  });

  it("a worker gone at it each time (stale at each run's start): given up at the third; queued anew, it has its attempts again", async () => {
    const store = createMemoryStore();
    const warnings: string[] = [];
    const resume = () =>
      runStudy({
        ...runOptions(
          'killer',
          store,
          createFunctionObjective((params) => params.x as number),
        ),
        budget: { maxTrials: 0 },
        onWarning: (message) => warnings.push(message),
      });
    await resume();
    await store.enqueue?.('killer', [{ internal: { x: 0.5, model: 1 } }]);
    // A worker takes the entry and dies (its process gone); the next run marks its trial stale.
    for (let attempt = 1; attempt <= ENTRY_ATTEMPTS; attempt++) {
      expect((await store.createTrial('killer', { lease: gone }))?.internal).toEqual({ x: 0.5, model: 1 });
      await resume();
    }
    expect((await store.listTrials('killer')).map((trial) => trial.state === 'failed' && trial.error.details)).toEqual([
      { worker: gone.owner, entry: { internal: { x: 0.5, model: 1 }, attempt: 1 } },
      { worker: gone.owner, entry: { internal: { x: 0.5, model: 1 }, attempt: 2 } },
      { worker: gone.owner, entry: { internal: { x: 0.5, model: 1 }, attempt: 3 }, entrySkipped: true },
    ]);
    expect(warnings.filter((line) => line.includes('not handed out again'))).toEqual([
      'study killer: the enqueued entry {"x":0.5,"model":"b"} is not handed out again: the 3 trials that took it (#0, #1, #2) each ended unrun, ' +
        'their worker gone or lost (3 attempts in all; a run stopped by its caller, a Ctrl-C, uses none), so that a resume does not run it first again and again. ' +
        "If it stops its worker (a crash, too much memory), fix that; to run it again, queue it anew (study.enqueue(params), or a copy of the entry in the config's `enqueue` list).",
    ]);
    // Not handed out again: the next trial takes no entry.
    expect((await store.createTrial('killer'))?.internal).toEqual({});
    await store.finishTrial('killer', 3, { state: 'failed', error: { code: 'INTERRUPTED', message: 'x' } });
    // Queued anew (a retry the user asks for): handed out, and its attempts count afresh.
    await store.enqueue?.('killer', [{ internal: { x: 0.5, model: 1 } }]);
    expect((await store.createTrial('killer', { lease: gone }))?.internal).toEqual({ x: 0.5, model: 1 });
    await resume();
    expect((await store.listTrials('killer')).at(-1)).toMatchObject({
      error: { code: 'STALE_TRIAL', details: { entry: { attempt: 1 } } },
    });
    expect(await store.listEnqueued?.('killer')).toEqual([{ internal: { x: 0.5, model: 1 } }]);
  });
});

describe('equal entries queued without keys (review 149: they shared one count of attempts)', () => {
  it("each copy has its own attempts: one that ran to an end does not leave its unrun trials to the next copy's count", async () => {
    const warnings: string[] = [];
    const study = await Study.open({
      name: 'copies',
      space: { x: { type: 'uniform', low: 0, high: 1 } },
      suggester: countingSuggester().suggester,
      store: createMemoryStore(),
      onWarning: (message) => warnings.push(message),
    });
    // The re-evaluation recipe: the same params twice, then another.
    await study.enqueue({ x: 0.5 });
    await study.enqueue({ x: 0.5 });
    await study.enqueue({ x: 0.25 });
    const lost = new ParzenError('INTERRUPTED', 'its worker never answered');
    const xs: unknown[] = [];
    const take = async () => {
      const trial = await study.ask();
      xs.push(trial.params.x);
      return trial.number;
    };
    await study.tell(await take(), lost); // #0: the first copy, cut short: back first in the queue
    await study.tell(await take(), lost); // #1: the first copy again
    await study.tell(await take(), 1); // #2: the first copy runs to an end
    await study.tell(await take(), lost); // #3: the second copy's first attempt
    await study.tell(await take(), 1); // #4: the second copy again, now run
    await study.tell(await take(), 1); // #5: x = 0.25
    expect(xs).toEqual([0.5, 0.5, 0.5, 0.5, 0.5, 0.25]);
    const trials = await study.trials();
    expect(trials.map((trial) => (trial.state === 'failed' ? trial.error.details?.entry : trial.state))).toEqual([
      { internal: { x: 0.5 }, attempt: 1 },
      { internal: { x: 0.5 }, attempt: 2 },
      'complete',
      { internal: { x: 0.5 }, attempt: 1 },
      'complete',
      'complete',
    ]);
    expect(warnings.filter((line) => line.includes('not handed out again'))).toEqual([]);
  });
});

describe('withEnqueueKeys (an import answering a config enqueue list)', () => {
  const done = (internal: Record<string, number>) => ({ internal, outcome: { state: 'complete' as const, loss: 1 } });
  it('gives each keyed entry to the first trial not yet matched that has its values, each trial once', () => {
    const entries = [
      { internal: { x: 0.1 }, key: 'a' },
      { internal: { x: 0.1 }, key: 'a2' },
      { internal: { m: 1 }, key: 'partial' },
      { internal: { x: 0.9 }, key: 'none' },
      { internal: { x: 0.2 } },
    ];
    const trials = [done({ x: 0.5, m: 1 }), done({ x: 0.1, m: 0 }), done({ x: 0.2, m: 1 }), done({ x: 0.1, m: 1 })];
    const { trials: keyed, answered } = withEnqueueKeys(entries, trials);
    expect(keyed.map((trial) => trial.key)).toEqual(['partial', 'a', undefined, 'a2']);
    expect(answered).toEqual([
      [0, 1],
      [1, 3],
      [2, 0],
    ]);
    // The trials given are left as they were.
    expect(trials.every((trial) => !('key' in trial))).toBe(true);
  });

  it('does not give an entry to a trial that ended unrun: in the new store it waits again', () => {
    const cut = (code: string) => ({
      internal: { x: 0.1 },
      outcome: { state: 'failed' as const, error: { code, message: '' } },
    });
    const trials = [cut('INTERRUPTED'), cut('STALE_TRIAL'), cut('OBJECTIVE_THREW')];
    const { trials: keyed, answered } = withEnqueueKeys([{ internal: { x: 0.1 }, key: 'a' }], trials);
    expect(keyed.map((trial) => trial.key)).toEqual([undefined, undefined, 'a']);
    expect(answered).toEqual([[0, 2]]);
    expect(withEnqueueKeys([{ internal: { x: 0.1 }, key: 'a' }], trials.slice(0, 2)).answered).toEqual([]);
  });

  it("leaves an entry the study's own trials ran or run to them, each answering one (trial 67: credited to the import)", () => {
    const entries = [
      { internal: { m: 1 }, key: 'partial' },
      { internal: { x: 0.1 }, key: 'a' },
      { internal: { x: 0.1 }, key: 'a2' },
    ];
    const at = '2026-01-01T00:00:00.000Z';
    const stored = (number: number, internal: Record<string, number>, state: 'complete' | 'running' = 'complete') =>
      (state === 'running'
        ? { study: 's', number, internal, startedAt: at, state }
        : { study: 's', number, internal, startedAt: at, finishedAt: at, state, loss: 1 }) as Trial;
    const interrupted = {
      ...stored(3, { x: 0.1, m: 1 }),
      state: 'failed',
      error: { code: 'INTERRUPTED', message: '' },
    } as unknown as Trial;
    // #0 ran the partial entry; #1 runs `a` now (review 71), #2 ran `a2`; #3 ended unrun and answers none.
    const existing = [
      stored(0, { x: 0.5, m: 1 }),
      stored(1, { x: 0.1, m: 0 }, 'running'),
      stored(2, { x: 0.1, m: 0 }),
      interrupted,
    ];
    const trials = [done({ x: 0.7, m: 1 }), done({ x: 0.1, m: 1 })];
    const { trials: keyed, answered } = withEnqueueKeys(entries, trials, existing);
    expect(keyed.map((trial) => trial.key)).toEqual([undefined, undefined]);
    expect(answered).toEqual([]);
    // Only the interrupted #3 beside the imported trials: its entry waits again, an imported trial answers it.
    expect(withEnqueueKeys(entries, trials, [interrupted]).trials.map((trial) => trial.key)).toEqual(['partial', 'a']);
    // An entry waiting in the store was taken by no trial: the import's trial with its values takes it.
    const taking = withEnqueueKeys(entries, trials, existing, new Set(['partial']));
    expect(taking.trials.map((trial) => trial.key)).toEqual(['partial', undefined]);
  });
});
