import type { SpaceDefinition } from './space-definition.js';
import type { Direction } from './trial.js';

/** What a store needs to create a study, or to check that a resumed one is the same study. */
export interface StudySpec {
  readonly name: string;
  readonly direction: Direction;
  readonly seed: number;
  readonly space: SpaceDefinition;
  /**
   * The suggester the study is created with, kept by the store so that a later run can say when its own
   * differs (a changed config, or a new version whose defaults changed). Not compared on resume.
   */
  readonly suggester?: StudySuggester;
}

/** A suggester as a study keeps it: its name and the settings it ran with (every default filled in, JSON). */
export interface StudySuggester {
  readonly name: string;
  readonly settings?: Readonly<Record<string, unknown>>;
}

/** A study as the store keeps it. */
export interface StudyRecord extends StudySpec {
  readonly createdAt: string;
}
