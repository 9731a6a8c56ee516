import type { PoolClient } from 'pg';
import { describe, expect, it } from 'vitest';
import { guardedClient, WaitGivenUp } from '../src/cut-wait.js';

/** A pooled connection as the guard sees it: its backend's number, and the releases asked of it. */
const fakeClient = () => {
  const released: boolean[] = [];
  const client = { processID: 7, release: (broken?: boolean) => released.push(broken === true) };
  return { client: client as unknown as PoolClient, released };
};

/** A statement the test ends: `finish(value)` or `fail(error)`. */
const statement = <T>() => {
  let finish: (value: T) => void = () => undefined;
  let fail: (error: unknown) => void = () => undefined;
  const promise = new Promise<T>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  return { promise, finish, fail };
};

const tick = () => new Promise((resolve) => setTimeout(resolve, 10));

describe('a statement under a give-up signal (review 63/64: the server decides, not the Ctrl-C)', () => {
  it('stands when it ran first: the cancel asked for comes too late to matter', async () => {
    const { client } = fakeClient();
    const stop = new AbortController();
    const cancelled: number[] = [];
    const guard = guardedClient(client, stop.signal, async (pid) => {
      cancelled.push(pid);
    });
    const held = statement<string>();
    const sent = guard.send(() => held.promise);
    stop.abort();
    await tick();
    expect(cancelled).toEqual([7]);
    held.finish('saved');
    expect(await sent).toBe('saved');
  });

  it('ends as given up only when the server cancelled it (57014); another failure is itself', async () => {
    const { client } = fakeClient();
    const stop = new AbortController();
    const guard = guardedClient(client, stop.signal, async () => undefined);
    const held = statement<string>();
    const sent = guard.send(() => held.promise).catch((error: unknown) => error);
    stop.abort();
    held.fail(Object.assign(new Error('canceling statement due to user request'), { code: '57014' }));
    expect(await sent).toBeInstanceOf(WaitGivenUp);
    // Not asked to cancel: a 57014 (someone else's pg_cancel_backend) is the server's error as it is.
    const quiet = guardedClient(client, new AbortController().signal, async () => undefined);
    const other = statement<string>();
    const failing = quiet.send(() => other.promise).catch((error: unknown) => error);
    other.fail(Object.assign(new Error('canceled'), { code: '57014' }));
    expect(await failing).not.toBeInstanceOf(WaitGivenUp);
  });

  it('waits for a statement whose cancel could not be asked, and hands the connection back only once asking is over', async () => {
    const { client, released } = fakeClient();
    const stop = new AbortController();
    const asking = statement<void>();
    const guard = guardedClient(client, stop.signal, () => asking.promise);
    const held = statement<string>();
    const sent = guard.send(() => held.promise);
    stop.abort();
    held.finish('saved');
    expect(await sent).toBe('saved');
    guard.release(false);
    await tick();
    // A cancel still on its way could land on the next user's statement: the connection is kept till then.
    expect(released).toEqual([]);
    asking.fail(new Error('too many connections for role'));
    await tick();
    expect(released).toEqual([false]);
  });

  it('after the stop, cuts a statement only once the server has held it a second', async () => {
    const { client } = fakeClient();
    const stop = new AbortController();
    stop.abort();
    const cancelled: number[] = [];
    const guard = guardedClient(client, stop.signal, async (pid) => {
      cancelled.push(pid);
    });
    const quick = statement<string>();
    const answered = guard.send(() => quick.promise);
    quick.finish('read');
    expect(await answered).toBe('read');
    const held = statement<string>();
    const sent = guard.send(() => held.promise).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(cancelled).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(cancelled).toEqual([7]);
    held.fail(Object.assign(new Error('canceled'), { code: '57014' }));
    expect(await sent).toBeInstanceOf(WaitGivenUp);
  });
});
