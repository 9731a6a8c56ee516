import { canonicalJson } from '../domain/canonical-json.js';
import type { StudyRecord, StudySpec } from '../domain/study.js';
import { ParzenError } from '../errors.js';

/**
 * A resumed study must be the same study: same direction and same space (compared as JSON
 * with sorted keys, so reordering a definition's keys is not a change). The seed may
 * differ (a new seed continues with other streams). Stores call this in `openStudy`.
 */
export const checkSameStudy = (stored: StudyRecord, spec: StudySpec): void => {
  if (stored.direction !== spec.direction) {
    throw new ParzenError(
      'STUDY_MISMATCH',
      `Study \`${spec.name}\` in the store is a ${stored.direction} study; the config says ${spec.direction}. ` +
        'Use another study name or another store.',
    );
  }
  if (canonicalJson(stored.space) !== canonicalJson(spec.space)) {
    throw new ParzenError(
      'STUDY_MISMATCH',
      `Study \`${spec.name}\` in the store was run with a different search space. ` +
        'Its trials would not fit this one: use another study name or another store.',
    );
  }
};
