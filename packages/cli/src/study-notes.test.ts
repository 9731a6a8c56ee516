import { describe, expect, it } from 'vitest';
import { foldStudyNotes, STUDY_SLOT, studyTemplate } from './study-notes.js';

const spent = (study: string) =>
  `/budget/maxTrials: study ${study} has 1 trial already, so a run of this config adds none (maxTrials 1 counts every trial of the study)`;

describe('the notes of several studies', () => {
  it('are folded when they differ only in the study they name, also a name found in their other words', () => {
    // `x` and `y` are in "maxTrials" and "every": the note names its study once all the same.
    const notes = ['x', 'y'].map((study) => ({ study, template: studyTemplate(study, spent(study)) }));
    expect(foldStudyNotes(notes)).toEqual([
      '/budget/maxTrials: each of 2 studies (x, y) has 1 trial already, so a run of this config adds none (maxTrials 1 counts every trial of the study)',
    ]);
  });

  it('are kept apart where their other words name their studies too, and a longer name is not taken for one', () => {
    const command = (study: string) =>
      `/enqueue: study ${study} has entries waiting: \`parzen queue c.json --study ${study}\``;
    const notes = ['x', 'y'].map((study) => ({ study, template: studyTemplate(study, command(study)) }));
    expect(foldStudyNotes(notes)).toEqual([command('x'), command('y')]);
    // `study x.seed-1` is not study `x`; a sentence may end after the name.
    expect(studyTemplate('x', 'see study x.seed-1')).toBe('see study x.seed-1');
    expect(studyTemplate('x', 'see study x.')).toBe(`see ${STUDY_SLOT}.`);
  });

  it('are said once when they do not name their study', () => {
    const notes = ['a', 'b'].map((study) => ({ study, template: '/plugins/0: provides no plugins' }));
    expect(foldStudyNotes(notes)).toEqual(['/plugins/0: provides no plugins']);
  });
});
