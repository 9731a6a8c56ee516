import type { SpaceDefinition } from './space-definition.js';
import type { Direction } from './trial.js';

/** What a store needs to create a study, or to check that a resumed one is the same study. */
export interface StudySpec {
  /** The study name: the key under which the store keeps its trials. */
  readonly name: string;
  /** Whether a lower or a higher loss is better; a resumed study's must be the stored one. */
  readonly direction: Direction;
  /**
   * The study seed, from which each trial's random streams derive. A store keeps the seed the study was created
   * with; a run with another seed is not refused (the engine warns).
   */
  readonly seed: number;
  /** The search space as the config writes it (not compiled); a resumed study's must be the stored one. */
  readonly space: SpaceDefinition;
  /**
   * The suggester the study is created with, kept by the store so that a later run can say when its own
   * differs (a changed config, or a new version whose defaults changed). Not compared on resume.
   */
  readonly suggester?: StudySuggester;
  /**
   * The Parzen build creating the study (`PARZEN_VERSION` of `@parzen/engine/version`), kept by the store so that
   * a run by another build can say its suggestions may differ. Absent in a study created before stores kept it,
   * and where the store keeps none. Not compared on resume.
   */
  readonly parzenVersion?: string;
}

/** A suggester as a study keeps it: its name and the settings it ran with (every default filled in, JSON). */
export interface StudySuggester {
  /** The suggester plugin's name (`tpe`, `random`, ...). */
  readonly name: string;
  /** Its settings, every default filled in; absent for a suggester that has none. */
  readonly settings?: Readonly<Record<string, unknown>>;
}

/** A study as the store keeps it. */
export interface StudyRecord extends StudySpec {
  /** ISO time at which the store created the study. */
  readonly createdAt: string;
}

/**
 * The JSON a store keeps as a study's suggester: the suggester, with the Parzen version that created the study
 * inside it (`parzenVersion`, which readers that do not know it pass over), so that a store keeps the version
 * without a column of its own. Undefined without a suggester: the version is then not kept either.
 */
export const keptSuggester = (
  spec: Pick<StudySpec, 'suggester' | 'parzenVersion'>,
): Readonly<Record<string, unknown>> | undefined =>
  spec.suggester === undefined || spec.parzenVersion === undefined
    ? (spec.suggester as Readonly<Record<string, unknown>> | undefined)
    : { ...spec.suggester, parzenVersion: spec.parzenVersion };

/** The suggester and Parzen version of a study from the JSON {@link keptSuggester} made (null: none kept). */
export const fromKeptSuggester = (
  kept: Readonly<Record<string, unknown>> | null | undefined,
): Pick<StudySpec, 'suggester' | 'parzenVersion'> => {
  if (kept === null || kept === undefined) return {};
  const { parzenVersion, ...suggester } = kept;
  return typeof parzenVersion === 'string'
    ? { suggester: suggester as unknown as StudySuggester, parzenVersion }
    : { suggester: suggester as unknown as StudySuggester };
};

/** The record a store with {@link keptSuggester} gives for `spec`: without a suggester, no version either. */
export const keptStudy = (spec: StudySpec, createdAt: string): StudyRecord => {
  const { parzenVersion, ...rest } = spec;
  return rest.suggester === undefined || parzenVersion === undefined
    ? { ...rest, createdAt }
    : { ...rest, parzenVersion, createdAt };
};
