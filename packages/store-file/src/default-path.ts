/** The default journal file name for a study: `<study>.parzen.jsonl`, unsafe characters replaced by `_`. */
export const defaultJournalName = (study: string): string => `${study.replace(/[^\w.-]+/g, '_')}.parzen.jsonl`;
