import { listNames } from './list-names.js';

/** Where a note names its study, in a template of the note (the name said once, as `study NAME`). */
export const STUDY_SLOT = 'study \u0000';

/** The characters of a study's name but a dot, which may also end a sentence after it. */
const NAME_CHAR = '[A-Za-z0-9_-]';

/**
 * The template of a note that names its study once, as `study NAME`: that place is the slot, the rest is kept as it
 * is (so notes are folded only where the rest is the same, which a name said elsewhere in it keeps apart); a note
 * that names it otherwise, or more than once so, is its own template.
 */
export const studyTemplate = (study: string, note: string): string => {
  const escaped = study.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const parts = note.split(new RegExp(`study ${escaped}(?!${NAME_CHAR}|\\.${NAME_CHAR})`));
  return parts.length === 2 ? parts.join(STUDY_SLOT) : note;
};

/**
 * Each distinct note once, in first-seen order, from its template ({@link studyTemplate}, or one a caller made with
 * {@link STUDY_SLOT}): notes that differ only in the study they name (`study NAME has 30 trials already`, one per
 * study of a finished matrix) said once for all of them (`each of 28 studies (a, b, c and 25 more) has 30 trials
 * already`); a template without the slot as it is, once.
 */
export const foldStudyNotes = (notes: readonly { readonly study: string; readonly template: string }[]): string[] => {
  const studiesOf = new Map<string, string[]>();
  for (const { study, template } of notes) {
    const studies = studiesOf.get(template) ?? [];
    if (!studies.includes(study)) studies.push(study);
    studiesOf.set(template, studies);
  }
  return [...studiesOf].map(([template, studies]) =>
    !template.includes(STUDY_SLOT)
      ? template
      : template.replace(
          STUDY_SLOT,
          studies.length === 1 ? `study ${studies[0]}` : `each of ${studies.length} studies (${listNames(studies)})`,
        ),
  );
};
