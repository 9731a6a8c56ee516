/** The version a Parzen build that cannot tell its own records and says (see `PARZEN_VERSION`): said of no study. */
export const UNKNOWN_VERSION = 'unknown';
