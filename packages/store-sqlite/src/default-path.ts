/** The default database file name for a study: `<study>.parzen.db`, unsafe characters replaced by `_`. */
export const defaultDatabaseName = (study: string): string => `${study.replace(/[^\w.-]+/g, '_')}.parzen.db`;
