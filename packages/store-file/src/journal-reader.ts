import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { ParzenError } from '@parzen/engine/plugin';
import { corruptLine, describeForeignLine, journalFailed, showLine } from './journal-errors.js';
import { decodeRecord, encodeRecord, JOURNAL_VERSION, type JournalRecord, journalHeader } from './journal-records.js';
import { ReplayError, type Replica } from './replica.js';

const NEWLINE = 0x0a;

/**
 * How much of the journal one read takes (64 MiB). Reading a whole journal at once made one string of it,
 * and V8's strings end at 512 MiB: a journal a run had grown past that could not be opened again.
 */
export const JOURNAL_CHUNK_BYTES = 64 * 1024 * 1024;

/**
 * The first line of every journal (version 1: later versions are declared where their first record is), with the
 * newest version this Parzen reads. Every start of the line Parzen wrote before it said that is a start of this
 * one, but the whole line, which is a record.
 */
const HEADER = journalHeader(1, JOURNAL_VERSION);

/** How many bytes before the offset read up to are remembered to notice a file rewritten in place. */
const MARK_BYTES = 64;

/** What to do about a journal changed under a store other than by appends. */
const REREAD =
  'What this store read of it is no longer there, so nothing more is written; run again to go on with the file as it is now';

/** A line that was not fully written: where it is and what it holds. */
interface TornLine {
  readonly line: number;
  readonly text: string;
}

/** Up to `length` bytes of the file from `position` (fewer at its end). */
export const readAt = (fd: number, position: number, length: number): Buffer => {
  const buffer = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const read = readSync(fd, buffer, done, length - done, position + done);
    if (read === 0) break;
    done += read;
  }
  return buffer.subarray(0, done);
};

/** The line a writer appends after a torn line, to mark it (the reader skips the torn one). */
const repairLine = (torn: TornLine): string => {
  const record: JournalRecord = { op: 'repair', line: torn.line, reason: 'torn write' };
  return `${encodeRecord(record)}\n`;
};

/** Whether the line after the first one (`head` from `newline`) is the repair record of line 1. */
const repairsFirstLine = (head: Buffer, newline: number): boolean => {
  const end = head.indexOf(NEWLINE, newline + 1);
  const second = head.toString('utf8', newline + 1, end < 0 ? head.length : end);
  if (end < 0) return repairLine({ line: 1, text: '' }).startsWith(second); // being appended right now
  const record = decodeRecord(second);
  return record?.op === 'repair' && record.line === 1;
};

/**
 * The length of a UTF-8 byte order mark at the start of `bytes` (3), else 0: an editor that saved a journal
 * may have added one, and it is read past (trial 68: the study could not be read, its first line shown as
 * if valid).
 */
const bomLength = (bytes: Buffer): number =>
  bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;

/**
 * The bytes past a byte order mark and the blank lines before the first text: a file of only those is an
 * empty file an editor saved (`echo > study.parzen.jsonl`), taken as an empty journal by the store.
 */
const pastBlankStart = (bytes: Buffer): Buffer => {
  let at = bomLength(bytes);
  for (;;) {
    const newline = bytes.indexOf(NEWLINE, at);
    if (newline < 0 || bytes.toString('utf8', at, newline).trim() !== '') return bytes.subarray(at);
    at = newline + 1;
  }
};

/**
 * Whether a file that begins with `head` is a journal, by the rule the store opens one with: its first
 * line a record (the header, as every journal this version writes begins), or the start of the header cut
 * short by a crash (the whole file, or followed by the repair line the next writer added). A file whose
 * first line merely starts like JSON (a pretty-printed config's `{`) is not.
 */
const startsLikeJournal = (bytes: Buffer): boolean => {
  const head = bytes.subarray(bomLength(bytes));
  const newline = head.indexOf(NEWLINE);
  const first = head.toString('utf8', 0, newline < 0 ? head.length : newline);
  if (decodeRecord(first) !== undefined) return true;
  return first.length > 0 && HEADER.startsWith(first) && (newline < 0 || repairsFirstLine(head, newline));
};

/**
 * Whether the file at `path` is a JSONL journal, by the rule the store opens one with (its first MiB
 * read; false when it cannot be read). For tools that must not write over a study, such as `parzen export -o`.
 */
export const isJournalFile = (path: string): boolean => {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    return startsLikeJournal(readAt(fd, 0, 1024 * 1024));
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
};

/** The repeated lines said in this process, by file and line (see `apply`). */
const saidRepeats = new Set<string>();

/**
 * Reads a journal incrementally: each call applies only the complete lines appended since the last one
 * (from the byte offset it reached), so keeping up with other processes costs what they wrote, not the
 * size of the file.
 *
 * @remarks A torn last line (a crash or power loss in the middle of a write) is reported through `warn`
 * and skipped. An invalid line with valid lines after it is `STORE_CORRUPT`, unless the line right after
 * it is the `repair` record a writer appends when it finds a torn line at the end.
 */
export class JournalReader {
  private offset = 0;
  /** The file's size when last looked at (under the lock, no one else can have changed it since). */
  private size = 0;
  private lines = 0;
  /** How many of the lines were records (blank lines are none). */
  private records = 0;
  private corrupt: TornLine | undefined;
  private failure: unknown;
  private readonly warned = new Set<number>();
  /** The last bytes before an offset read up to: a line read as corrupt after them is told from a rewritten file. */
  private mark: { readonly at: number; readonly bytes: Buffer } | undefined;
  /** A last record was read without its newline (read-only, {@link noteTornTail}): the next byte should be it. */
  private newlineOwed = false;

  constructor(
    private readonly path: string,
    private readonly replica: Replica,
    private warn: (message: string) => void,
    /**
     * Read-only salvage: a damaged line in the middle, or a record that contradicts the ones before it,
     * is skipped with a warning instead of failing the whole journal, so what is intact can be read out.
     */
    private readonly salvage = false,
    /** How much one read takes ({@link JOURNAL_CHUNK_BYTES}; doubled for a line longer than that). */
    private readonly chunkBytes = JOURNAL_CHUNK_BYTES,
  ) {}

  /** How far the journal has been read (bytes). */
  get position(): number {
    return this.offset;
  }

  /** Whether a read failed (the reader then refuses every later one): such a reader is not handed on. */
  get failed(): boolean {
    return this.failure !== undefined;
  }

  /** Where the warnings go from now on: the store that took this reader over (see `jsonl-store.ts`). */
  warnTo(warn: (message: string) => void): void {
    this.warn = warn;
  }

  /** Applies the complete lines appended since the last call; an unterminated last line is left unread. */
  catchUp(fd: number): void {
    if (this.failure !== undefined) throw this.failure;
    try {
      const size = fstatSync(fd).size;
      this.size = size;
      // The newline of a last record read without it (noteTornTail): not a line of its own.
      if (this.newlineOwed && size > this.offset) {
        this.newlineOwed = false;
        if (readAt(fd, this.offset, 1)[0] === NEWLINE) this.offset += 1;
      }
      if (size < this.offset) {
        throw journalFailed(
          this.path,
          `the file shrank from ${this.offset} to ${size} bytes while this store had it open (it was truncated, or rewritten in place: a copy over it, an editor's save); it must only grow. ${REREAD}`,
        );
      }
      if (size === this.offset) return;
      // In chunks of whole lines; a chunk with no line end is read again twice as long, unless it reaches
      // the end of the file (an unterminated last line, left unread).
      let want = this.chunkBytes;
      while (this.offset < size) {
        const length = Math.min(want, size - this.offset);
        const chunk = readAt(fd, this.offset, length);
        if (this.offset === 0) {
          this.checkFirstLine(chunk);
          const bom = bomLength(chunk);
          if (bom > 0) {
            this.offset = bom;
            continue;
          }
        }
        const end = chunk.lastIndexOf(NEWLINE);
        if (end < 0) {
          if (this.offset + length >= size) break;
          want *= 2;
          continue;
        }
        want = this.chunkBytes;
        this.offset += end + 1;
        for (const line of chunk.toString('utf8', 0, end).split('\n')) this.consume(line);
      }
      if (this.corrupt !== undefined) {
        // A rewritten file read from the old offset may end in what looks like a torn line.
        const changed = this.rewritten(fd);
        if (changed !== undefined) throw changed;
        this.warnTorn(this.corrupt);
      }
      this.markPosition(fd);
    } catch (error) {
      // A file-system error (EISDIR, EIO) as a store error naming the journal, not a stack trace.
      this.failure =
        error instanceof ParzenError
          ? ((error.code === 'STORE_CORRUPT' ? this.rewritten(fd) : undefined) ?? error)
          : journalFailed(this.path, 'could not read the journal', error);
      throw this.failure;
    }
  }

  /** Remembers the bytes just before the offset reached, which appends never change. */
  private markPosition(fd: number): void {
    if (this.mark?.at === this.offset || this.offset === 0) return;
    const from = Math.max(0, this.offset - MARK_BYTES);
    this.mark = { at: this.offset, bytes: readAt(fd, from, this.offset - from) };
  }

  // Trial 163: a journal overwritten in place (`cp` over it) during a run was read on from the old offset, in the
  // middle of a line of the new content, and said "corrupt at line 20" of a healthy file, with --salvage advice.
  /** When the bytes before the last mark changed (the file was rewritten in place), the error that says so. */
  private rewritten(fd: number): ParzenError | undefined {
    const mark = this.mark;
    if (mark === undefined) return undefined;
    let now: Buffer;
    try {
      now = readAt(fd, mark.at - mark.bytes.length, mark.bytes.length);
    } catch {
      return undefined;
    }
    if (now.equals(mark.bytes)) return undefined;
    return journalFailed(
      this.path,
      `the journal file was rewritten in place while this store had it open (its bytes before byte ${mark.at}, which this store had read, changed: a copy over it, an editor's save?). ${REREAD}`,
    );
  }

  /**
   * Call under the lock, after {@link catchUp}: the text an append must start with. That is the format
   * header in an empty file, and after a torn last line a newline and a `repair` record naming it, so new
   * lines are never glued onto the torn one. Empty when the journal ends cleanly.
   */
  appendPrefix(fd: number): string {
    const size = this.size;
    const fragment = this.unterminatedTail(fd, size);
    // Empty, or only a byte order mark and blank lines read past: the header first, on a line of its own.
    if (this.records === 0 && this.corrupt === undefined && (fragment ?? '').trim() === '')
      return `${fragment === undefined ? '' : '\n'}${HEADER}\n`;
    if (fragment !== undefined) {
      // A whole record that only lacks its newline, or blanks (Parzen never writes them: not a torn write).
      if (decodeRecord(fragment) !== undefined || fragment.trim() === '') return '\n';
      const torn = { line: this.lines + 1, text: fragment };
      this.warnTorn(torn);
      return `\n${repairLine(torn)}`;
    }
    return this.corrupt === undefined ? '' : repairLine(this.corrupt);
  }

  /**
   * Call under the lock, after {@link catchUp}: whether the journal ends with a whole record that only lacks its
   * newline (a write that stopped just before it: a full disk, a file size limit, an editor that strips the last
   * newline). {@link catchUp} leaves such a line unread, as it leaves a line another writer is still appending; under
   * the lock no writer is, so the caller ends the line and catches up before deciding anything.
   */
  // Trial 112: decided without it, then made valid by the next append's newline, it left a trial number allocated
  // twice, a finished trial finished again as STALE_TRIAL, an import repeated past its repeat check.
  endsWithWholeRecord(fd: number): boolean {
    const fragment = this.unterminatedTail(fd, this.size);
    return fragment !== undefined && fragment.trim() !== '' && decodeRecord(fragment) !== undefined;
  }

  /**
   * Call under the lock right after appending `prefix` (from {@link appendPrefix}) and `line`: applies
   * the record without reading it back, as nothing else can have been written in between.
   */
  appended(fd: number, prefix: string, line: string): void {
    if (prefix !== '') {
      this.catchUp(fd);
      return;
    }
    const bytes = Buffer.byteLength(line);
    this.offset += bytes;
    this.size += bytes;
    this.consume(line.slice(0, -1));
  }

  /**
   * For a reader that takes no lock (read-only): reports an unterminated last line that is torn, when
   * `mayBeWriting` says no process holds the lock (none can be in the middle of it) and the line is still as
   * it was once that was asked (otherwise `parzen trials` lists a torn finish's trial as running, unsaid).
   * The tail is the one the last {@link catchUp} saw: lines a writer appended since are not read yet, not
   * torn (else a reader of a running study calls them "torn or corrupt", one read in three). A last line that is a
   * whole record lacking only its newline is read then, as the next change reads it ({@link endsWithWholeRecord}).
   */
  noteTornTail(fd: number, mayBeWriting: () => boolean): void {
    const fragment = this.unterminatedTail(fd, this.size);
    if (fragment === undefined || fragment.trim() === '' || this.warned.has(this.lines + 1)) return;
    const whole = decodeRecord(fragment) !== undefined;
    if (mayBeWriting()) return;
    if (this.unterminatedTail(fd, fstatSync(fd).size) !== fragment) return;
    if (!whole) {
      this.warnTorn({ line: this.lines + 1, text: fragment }, 'the next run of the study sets it aside');
      return;
    }
    // Review 116: read-only commands showed the trial as running (to be marked STALE_TRIAL) while the next run
    // counts the record. The newline a writer adds later is passed over (see catchUp).
    this.offset = this.size;
    this.consume(fragment);
    this.newlineOwed = true;
  }

  /** Call under the lock: reports a torn unterminated last line (no writer can be in the middle of it). */
  checkTail(fd: number): void {
    const fragment = this.unterminatedTail(fd, fstatSync(fd).size);
    if (fragment !== undefined && fragment.trim() !== '' && decodeRecord(fragment) === undefined)
      this.warnTorn({ line: this.lines + 1, text: fragment });
  }

  /**
   * A non-empty file must start like a journal ({@link startsLikeJournal}). Anything else (a config,
   * notes) is someone else's file: refused, never repaired or appended to.
   */
  private checkFirstLine(chunk: Buffer): void {
    const rest = pastBlankStart(chunk);
    // Only blank lines (and a mark): an empty journal, its header written after them (stop 49: refused). Past the
    // blank lines, a line end means a line with text: only a rest without one is looked at whole (as a string, the
    // whole chunk took half of each first read of a journal).
    const blank = rest.indexOf(NEWLINE) < 0 && rest.toString('utf8').trim() === '';
    if (blank || startsLikeJournal(rest)) return;
    // Its first line with text (review 98: a blank line first was said as "0 characters"), a byte order mark kept.
    const bom = chunk.subarray(0, bomLength(chunk)).toString('utf8');
    const newline = rest.indexOf(NEWLINE);
    const first = bom + rest.toString('utf8', 0, newline < 0 ? rest.length : newline);
    // A SQLite database (its header is "SQLite format 3" and a NUL): the other file store, named.
    const sqlite = first.startsWith('SQLite format 3\u0000');
    // STORE_CORRUPT, as the sqlite store says a file that is no database (a CI user's script branched on one code).
    throw new ParzenError(
      'STORE_CORRUPT',
      `\`${this.path}\` is not a Parzen journal: ${sqlite ? 'it is a SQLite database' : `its first line is ${describeForeignLine(first)}, not a journal record`}. ` +
        (sqlite
          ? `It is left as it is; read it with the sqlite store (\`createSqliteStore({ path })\` in code, \`--store sqlite:${this.path}\` or \`"use": "sqlite"\` for the CLI).`
          : 'It is left as it is; point the store at another file (a journal ends in .parzen.jsonl by default).'),
    );
  }

  private unterminatedTail(fd: number, size: number): string | undefined {
    return size > this.offset ? readAt(fd, this.offset, size - this.offset).toString('utf8') : undefined;
  }

  private consume(line: string): void {
    this.lines += 1;
    // A blank line (an editor's, after a hand edit) holds no record, so no later line depends on it.
    // Parzen never writes one: a torn write leaves text (or NUL padding), never only whitespace.
    if (line.trim() === '') return;
    const record = decodeRecord(line);
    const pending = this.corrupt;
    if (pending !== undefined) {
      this.corrupt = undefined;
      // A repaired line was reported by the process that found it; skip it quietly.
      if (record?.op === 'repair' && record.line === pending.line) return;
      if (!this.salvage)
        throw corruptLine(this.path, pending.line, `expected a JSON journal record, found ${showLine(pending.text)}`);
      this.warnSkipped(pending.line, `it is not a journal record: ${showLine(pending.text)}`);
    }
    if (record === undefined) {
      this.corrupt = { line: this.lines, text: line };
      return;
    }
    this.apply(record);
  }

  private apply(record: JournalRecord): void {
    this.records += 1;
    if (record.op === 'journal' && record.version > JOURNAL_VERSION) {
      throw new ParzenError(
        'STORE_FAILED',
        `Journal \`${this.path}\` has format version ${record.version}; this Parzen reads version ${JOURNAL_VERSION}. Upgrade Parzen.`,
      );
    }
    try {
      const rebuilt = this.replica.apply(record);
      const repeat = this.replica.takeRepeat();
      // Said, not refused: the first stands, and every trial is as it was (trial 126: ignored unsaid). Once per
      // process (review 134: each store of a matrix opening the journal said it again).
      if (repeat !== undefined && !saidRepeats.has(`${this.path}:${this.lines}`)) {
        if (saidRepeats.size >= 10_000) saidRepeats.clear();
        saidRepeats.add(`${this.path}:${this.lines}`);
        this.warn(
          `Journal \`${this.path}\`: line ${this.lines} repeats what an earlier line decided (${repeat}); it is ignored and the first stands. ` +
            'Only a lock broken while a process wrote, or a hand edit, writes such a line.',
        );
      }
      if (rebuilt !== undefined)
        this.warn(
          `Journal \`${this.path}\`: salvage rebuilt ${rebuilt}, whose creation line was lost, from its later lines ` +
            `(params at line ${this.lines}, then its reports and finish); its lease is not known, and its start ` +
            'time is its finish time (empty while it has none).',
        );
    } catch (error) {
      if (!(error instanceof ReplayError)) throw error;
      if (!this.salvage) throw corruptLine(this.path, this.lines, `found ${error.message}`);
      this.warnSkipped(this.lines, error.message);
    }
  }

  private warnSkipped(line: number, why: string): void {
    this.warn(`Journal \`${this.path}\`: salvage skipped line ${line} (${why}); what depends on it is missing.`);
  }

  private warnTorn(torn: TornLine, then?: string): void {
    if (this.warned.has(torn.line)) return;
    this.warned.add(torn.line);
    this.warn(
      `Journal \`${this.path}\`: line ${torn.line} is torn or corrupt (an interrupted write?) and was skipped: ${showLine(torn.text)}. ` +
        `The lines before it are intact${then === undefined ? '' : `; ${then}`}.`,
    );
  }
}
