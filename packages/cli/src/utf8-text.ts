import { isUtf8 } from 'node:buffer';

/** Whether `bytes` begin with a UTF-16 byte order mark (FF FE, little-endian; FE FF, big-endian). */
const utf16Mark = (bytes: Uint8Array): boolean =>
  (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);

/**
 * Whether NUL bytes in `bytes` are those of UTF-16 text: text mostly ASCII, each character a NUL and its byte, so at
 * least a third of the first bytes are NUL, and all at even places or all at odd ones.
 */
const utf16Nuls = (bytes: Uint8Array): boolean => {
  const head = bytes.subarray(0, 1024);
  const nuls = [0, 0];
  head.forEach((byte, index) => {
    if (byte === 0) nuls[index % 2] = (nuls[index % 2] as number) + 1;
  });
  const [even, odd] = nuls as [number, number];
  return even + odd >= head.length / 3 && (even === 0 || odd === 0);
};

/**
 * The line of `bytes` (counted from `firstLine`) that is the first to hold a byte that is no UTF-8 text: a NUL, or a
 * byte outside a UTF-8 character. A line end (`\n`) is never inside a UTF-8 character, so the lines are judged alone.
 */
const firstBadLine = (bytes: Buffer, firstLine: number): number => {
  let start = 0;
  for (let line = firstLine; ; line++) {
    const end = bytes.indexOf(0x0a, start);
    const part = bytes.subarray(start, end === -1 ? bytes.length : end);
    if (!isUtf8(part) || part.includes(0)) return line;
    if (end === -1) return line;
    start = end + 1;
  }
};

/**
 * What is said of a file that is not UTF-8 text (`name`: as it is shown; `expected`: what it should hold), or
 * undefined when `bytes` are UTF-8 text (a UTF-8 byte order mark is text too). `bytes` begin at line `firstLine` of
 * the file (a file read in parts); its UTF-16 byte order mark is looked for only at line 1. Said the same way for a
 * config and a file of trials (a Windows-1252 CSV was imported with U+FFFD in its attrs, and a UTF-16 one refused
 * with a header dump full of \u0000).
 */
export const notUtf8Text = (name: string, bytes: Buffer, expected: string, firstLine = 1): string | undefined => {
  const utf8 = isUtf8(bytes);
  if (utf8 && !bytes.includes(0)) return undefined;
  const why =
    firstLine === 1 && utf16Mark(bytes)
      ? 'it begins with a UTF-16 byte order mark: text saved as UTF-16 ("Unicode" in Excel and Notepad, PowerShell 5\'s default); save it as UTF-8'
      : utf16Nuls(bytes)
        ? 'it holds a NUL byte beside each character, as UTF-16 text does: save it as UTF-8'
        : utf8
          ? 'it holds NUL bytes: a binary file?'
          : 'a binary file, or text in another encoding, such as Windows-1252 or Latin-1: save it as UTF-8';
  return `${name}: is not UTF-8 text (${why}); line ${firstBadLine(bytes, firstLine)} is the first that is not. Expected ${expected}.`;
};
