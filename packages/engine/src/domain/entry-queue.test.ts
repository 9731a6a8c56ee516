import { describe, expect, it } from 'vitest';
import { EntryQueue } from './entry-queue.js';

describe('EntryQueue', () => {
  it('hands entries out oldest first, queues a key once, and never hands out an entry an added trial ran', () => {
    const queue = new EntryQueue<string>();
    expect([queue.add('a', 'ka'), queue.add('b', 'kb'), queue.add('a again', 'ka'), queue.add('c')]).toEqual([
      true,
      true,
      false,
      true,
    ]);
    queue.ran('kb', 10, 'b as added'); // waiting: taken by the added trial #10
    queue.ran('kz', 11, 'z as added'); // never queued: now known, trial #11's own params its entry
    queue.ran('kz', 13, 'z again'); // known now: as a database's unique key keeps it, the first trial's alone
    // What add would take, without taking it: a key known, or repeated in the batch, is not.
    expect(queue.accepted([{ key: 'kz' }, { key: 'kn' }, { key: 'kn' }, {}])).toEqual([{ key: 'kn' }, {}]);
    expect(queue.add('z', 'kz')).toBe(false);
    const handed: string[] = [];
    for (let at = queue.next(), number = 0; at < queue.entries.length; at = queue.next(), number++) {
      handed.push(queue.entries[at] as string);
      queue.take(at, number);
    }
    expect(handed).toEqual(['a', 'c']);
    // A key run after its entry was handed out changes nothing.
    queue.ran('ka', 12, 'a as added');
    expect(queue.next()).toBe(queue.entries.length);
    // Each with its key, as a run queues it: a config's entry whose key a trial took is not run again.
    expect(queue.takenEntries()).toEqual([
      { trial: 0, params: 'a', key: 'ka' },
      { trial: 1, params: 'c' },
      { trial: 10, params: 'b', key: 'kb' },
      { trial: 11, params: 'z as added', key: 'kz' },
    ]);
  });

  it('hands out again, before the rest, the entries of trials that ended unrun, oldest first', () => {
    const queue = new EntryQueue<string>();
    for (const entry of ['a', 'b', 'c', 'd']) queue.add(entry);
    queue.take(queue.next(), 0);
    queue.take(queue.next(), 1);
    queue.take(queue.next(), 2);
    queue.giveBack(2);
    queue.giveBack(0);
    queue.giveBack(7); // a trial that took no entry
    const order: string[] = [];
    for (let at = queue.next(), number = 3; at < queue.entries.length; at = queue.next(), number++) {
      order.push(queue.entries[at] as string);
      queue.take(at, number);
    }
    expect(order).toEqual(['a', 'c', 'd']);
    // A trial given back once is not given back twice.
    queue.giveBack(0);
    expect(queue.next()).toBe(queue.entries.length);
  });
});
