import { studyCommand } from '@parzen/engine/host';
import { describe, expect, it } from 'vitest';
import { commandOf, configFileOf } from './command-words.js';

describe('commandOf', () => {
  it('quotes a path and a store spec for the shell, and leaves out a URL password (the command works as pasted)', () => {
    const { command, password } = commandOf('trials', 'my cfg.json', {
      store: 'postgres://ann:secret@db/x',
      study: 'm.seed-1',
    });
    expect(command).toBe("parzen trials 'my cfg.json' --store postgres://ann@db/x --study m.seed-1");
    expect(command).not.toMatch(/secret|\*\*\*/);
    expect(password).toMatch(/password is left out: the postgres store reads it from PGPASSWORD/);
    expect(commandOf('run', ['a.json', 'b c.json'], { store: 'sqlite:my db.db' })).toEqual({
      command: "parzen run a.json 'b c.json' --store 'sqlite:my db.db'",
      password: '',
    });
    // Without a config: the store names the study, else the CONFIG placeholder.
    expect(commandOf('export', undefined, { store: 'postgres://ann:secret@db/x', study: 's' }).command).toBe(
      'parzen export --store postgres://ann@db/x --study s',
    );
    expect(commandOf('import', undefined, { study: 's' }).command).toBe('parzen import CONFIG --study s');
  });

  it("says a study's command as the engine's messages say it, with the same password-free store", () => {
    const file = configFileOf('my cfg.json', { store: 'postgres://ann:secret@db/x?password=secret&sslmode=require' });
    expect(file).toEqual({ path: 'my cfg.json', store: 'postgres://ann@db/x?sslmode=require' });
    expect(
      commandOf('delete', 'my cfg.json', { store: 'postgres://ann:secret@db/x?password=secret&sslmode=require' })
        .command,
    ).toBe(studyCommand('delete', file));
  });
});
