import { canonicalJson, canonicalSpace } from '@parzen/engine/plugin';

/**
 * Which problem a study optimizes, as a key: its objective over its space. Runs of one problem are compared
 * with each other; a batch of configs over different objectives or spaces holds several.
 */
export const problemKey = (space: unknown, objective: unknown): string =>
  canonicalJson({ space: canonicalSpace(space), objective });
