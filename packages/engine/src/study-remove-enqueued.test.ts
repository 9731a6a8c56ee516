import { describe, expect, it } from 'vitest';
import { createMemoryStore } from './builtins/memory-store.js';
import type { TrialStore } from './contracts/store.js';
import type { Suggester } from './contracts/suggester.js';
import { sampleDistribution } from './domain/sample-distribution.js';
import { choice, uniform } from './domain/space-builder.js';
import { ParzenError } from './errors.js';
import { Study } from './study.js';

const prior: Suggester = {
  name: 'prior',
  beginTrial: (context) => ({ sampleParam: (param) => sampleDistribution(param.distribution, context.rng) }),
};
const space = { x: uniform(0, 1), model: choice(['tree', 'svm']) };
const errorOf = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

// A waiting entry could not be taken out of the queue: one enqueued by mistake, or left by a config that no longer
// lists it, ran first at every resume.
describe('study.removeEnqueued', () => {
  it('takes waiting entries out by key or by params (as the objective sees them); they are never handed out', async () => {
    const study = await Study.open({ space, suggester: prior });
    await study.enqueue({ x: 0.1, model: 'svm' }, { key: 'first' });
    await study.enqueue({ model: 'svm' });
    await study.enqueue({ x: 0.3 }, { key: 'third' });
    await study.enqueue({ model: 'svm' });
    expect(await study.enqueued()).toEqual([
      { params: { x: 0.1, model: 'svm' }, key: 'first' },
      { params: { model: 'svm' } },
      { params: { x: 0.3 }, key: 'third' },
      { params: { model: 'svm' } },
    ]);
    // Every waiting entry with exactly those params (both copies), not one that fixes more.
    expect(await study.removeEnqueued({ params: { model: 'svm' } })).toEqual([
      { params: { model: 'svm' } },
      { params: { model: 'svm' } },
    ]);
    expect(await study.removeEnqueued([{ key: 'first' }])).toEqual([
      { params: { x: 0.1, model: 'svm' }, key: 'first' },
    ]);
    expect(await study.enqueued()).toEqual([{ params: { x: 0.3 }, key: 'third' }]);
    expect((await study.ask()).params.x).toBe(0.3);
    expect(await study.enqueued()).toEqual([]);
    // The removed key stays queued: enqueued again with it, nothing is.
    expect(await study.enqueue({ x: 0.9 }, { key: 'first' })).toBe(false);
    expect(await study.removeEnqueued([])).toEqual([]);
  });

  it('refuses an entry no longer waiting, naming it and the trial that took it; nothing is removed', async () => {
    const study = await Study.open({ space, suggester: prior });
    await study.enqueue({ x: 0.1 }, { key: 'ran' });
    await study.enqueue({ x: 0.2 }, { key: 'running' });
    await study.enqueue({ x: 0.3 }, { key: 'lost' });
    await study.enqueue({ x: 0.4 }, { key: 'waits' });
    await study.tell((await study.ask()).number, 1);
    const running = await study.ask();
    // Told INTERRUPTED three times (its worker never answered), `lost` is given up after its third attempt.
    for (let i = 0; i < 3; i++) {
      const lost = await study.ask();
      expect(lost.params.x).toBe(0.3);
      await study.tell(lost.number, new ParzenError('INTERRUPTED', 'no answer'));
    }
    const refused = await errorOf(
      study.removeEnqueued([
        { key: 'waits' },
        { key: 'ran' },
        { key: 'running' },
        { key: 'lost' },
        { key: 'never' },
        { params: { x: 0.2 } },
      ]),
    );
    expect(refused).toBeInstanceOf(ParzenError);
    expect(refused).toMatchObject({
      code: 'ENTRY_NOT_WAITING',
      message:
        'Nothing was removed from the queue of study `study`: only entries still waiting can be removed, and these 5 are not:\n' +
        '  key `ran`: trial #0 ran it (complete)\n' +
        `  key \`running\`: trial #${running.number} took it and is running\n` +
        '  key `lost`: trial #4 was its last attempt, and it was given up\n' +
        '  key `never`: no entry with this key waits (none was queued with it, or it was removed)\n' +
        `  the entry {"x":0.2}: trial #${running.number} took it and is running`,
      issues: [
        expect.objectContaining({ pointer: '/1', expected: 'an entry still waiting' }),
        expect.objectContaining({ pointer: '/2' }),
        expect.objectContaining({ pointer: '/3' }),
        expect.objectContaining({ pointer: '/4' }),
        expect.objectContaining({ pointer: '/5' }),
      ],
    });
    expect(await study.enqueued()).toEqual([{ params: { x: 0.4 }, key: 'waits' }]);
    await study.removeEnqueued({ key: 'waits' });
    expect(await errorOf(study.removeEnqueued({ key: 'waits' }))).toMatchObject({
      code: 'ENTRY_NOT_WAITING',
      message: expect.stringContaining(
        'key `waits`: no entry with this key waits (none was queued with it, or it was removed)',
      ),
    });
  });

  it('checks what it is given: a choice of another shape, params that do not fit the space', async () => {
    const study = await Study.open({ space, suggester: prior });
    expect(await errorOf(study.removeEnqueued('first' as never))).toMatchObject({
      code: 'CONFIG_INVALID',
      message:
        'Invalid study.removeEnqueued choice:\n  /0: expected { key: string } or { params: {...} } (an entry\'s key, or its params as the objective sees them), found "first"',
    });
    expect(await errorOf(study.removeEnqueued({ key: 'a', params: { x: 0.1 } } as never))).toMatchObject({
      code: 'CONFIG_INVALID',
    });
    // @ts-expect-error params are typed by the space
    expect(await errorOf(study.removeEnqueued({ params: { model: 'forest' } }))).toMatchObject({
      code: 'PARAMS_INVALID',
      issues: [expect.objectContaining({ pointer: '/0/params/model' })],
    });
  });

  it('on a store without removeEnqueued (a third-party store), fails with STORE_UNSUPPORTED naming the method', async () => {
    const { removeEnqueued: _left, ...older } = createMemoryStore();
    const store: TrialStore = older;
    const study = await Study.open({ space, suggester: prior, store });
    await study.enqueue({ x: 0.5 });
    expect(await errorOf(study.removeEnqueued({ params: { x: 0.5 } }))).toMatchObject({
      code: 'STORE_UNSUPPORTED',
      message:
        'The `memory` store cannot remove enqueued entries: it has no `removeEnqueued` method. Use a built-in store (memory, jsonl, sqlite, postgres).',
    });
    expect(await study.enqueued()).toEqual([{ params: { x: 0.5 } }]);
  });
});
