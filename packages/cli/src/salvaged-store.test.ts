import { describe, expect, it } from 'vitest';
import { salvagedStore } from './commands/inspect.js';

describe('salvagedStore (--salvage of trials, studies, best, export and report)', () => {
  it("sets a journal's or SQLite database's salvage option, keeping its others", () => {
    expect(salvagedStore({ use: 'jsonl', options: { path: 'a.jsonl' } })).toEqual({
      use: 'jsonl',
      options: { path: 'a.jsonl', salvage: true },
    });
    expect(salvagedStore({ use: 'sqlite' })).toEqual({ use: 'sqlite', options: { salvage: true } });
  });

  it('refuses another store, saying to leave --salvage out', () => {
    expect(() => salvagedStore({ use: 'postgres', options: {} })).toThrow(
      '--salvage reads past damaged lines of a JSONL journal or damaged trials of a SQLite database; the postgres store has none to skip. Leave --salvage out.',
    );
  });
});
