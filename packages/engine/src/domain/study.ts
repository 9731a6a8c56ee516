import type { SpaceDefinition } from './space-definition.js';
import type { Direction } from './trial.js';

/** What a store needs to create a study, or to check that a resumed one is the same study. */
export interface StudySpec {
  readonly name: string;
  readonly direction: Direction;
  readonly seed: number;
  readonly space: SpaceDefinition;
}

/** A study as the store keeps it. */
export interface StudyRecord extends StudySpec {
  readonly createdAt: string;
}
