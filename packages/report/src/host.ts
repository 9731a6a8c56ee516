/**
 * @packageDocumentation
 * For Parzen's own CLI: what `parzen explain` shares with the report's "Next suggestion" section, so both say
 * a suggestion in the same words (the trials as the next run sees them, and the sentences). Not for authors of
 * pages or charts, who find theirs in `@parzen/report/plugin`; not covered by the stability promise of the other
 * entry points.
 * @module @parzen/report/host
 */

export { cutWhole, graphemes } from './graphemes.js';
export {
  asTheNextRunSeesThem,
  branchSaid,
  paramsLine,
  type SuggestionWords,
  staleTrialsSentence,
  suggestionWords,
  valueSaid,
  waitingEntrySentence,
} from './suggestion-words.js';
