import { escapePointer } from '@parzen/engine/plugin';

/** How deep a config may nest objects and arrays; real configs need a handful of levels. */
export const MAX_DEPTH = 100;

/**
 * The JSON pointer of the first place a parsed config nests deeper than {@link MAX_DEPTH}, or undefined.
 * Iterative, so a hostile config cannot overflow the stack here.
 */
export const tooDeep = (value: unknown): string | undefined => {
  const stack: [unknown, string, number][] = [[value, '', 0]];
  while (stack.length > 0) {
    const [current, pointer, depth] = stack.pop() as [unknown, string, number];
    if (typeof current !== 'object' || current === null) continue;
    if (depth >= MAX_DEPTH) return pointer;
    for (const [key, inner] of Object.entries(current))
      stack.push([inner, `${pointer}/${escapePointer(key)}`, depth + 1]);
  }
  return undefined;
};

/** A key that appears twice in one JSON object: its pointer and where the second one starts. */
export interface DuplicateKey {
  readonly pointer: string;
  readonly position: number;
}

/**
 * Finds the first duplicate key in valid JSON text (JSON.parse silently keeps the last value). A small
 * scanner: strings (with escapes), objects and arrays; everything else is skipped.
 */
export const duplicateKeys = (text: string): DuplicateKey[] => {
  const found: DuplicateKey[] = [];
  // One frame per open object or array: its keys (objects only), its pointer, the current key or index.
  const frames: { keys?: Set<string>; pointer: string; current: string; index: number }[] = [];
  let expectingKey = false;
  for (let at = 0; at < text.length; at++) {
    const char = text[at];
    if (char === '"') {
      let end = at + 1;
      while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      const frame = frames.at(-1);
      if (expectingKey && frame?.keys !== undefined) {
        const key = JSON.parse(text.slice(at, end + 1)) as string;
        // Every one, not the first only (trial 62).
        if (frame.keys.has(key)) found.push({ pointer: `${frame.pointer}/${escapePointer(key)}`, position: at });
        frame.keys.add(key);
        frame.current = key;
        expectingKey = false;
      }
      at = end;
    } else if (char === '{' || char === '[') {
      const parent = frames.at(-1);
      const pointer = parent === undefined ? '' : `${parent.pointer}/${escapePointer(parent.current)}`;
      frames.push(
        char === '{' ? { keys: new Set(), pointer, current: '', index: 0 } : { pointer, current: '0', index: 0 },
      );
      expectingKey = char === '{';
    } else if (char === '}' || char === ']') {
      frames.pop();
      expectingKey = false;
    } else if (char === ',') {
      const frame = frames.at(-1);
      if (frame?.keys !== undefined) expectingKey = true;
      else if (frame !== undefined) {
        frame.index += 1;
        frame.current = String(frame.index);
      }
    }
  }
  return found;
};
