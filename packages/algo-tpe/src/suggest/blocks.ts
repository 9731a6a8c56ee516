import { createRng } from '@parzen/engine/plugin';

/**
 * Splits a joint group of more than `maxSize` parameters into blocks of at most `maxSize`, as equal in
 * size as they can be, by a random permutation drawn from the study's seed and the group's names: the
 * same study gets the same blocks in every trial, worker and resume. Each block is then decided jointly
 * and the blocks independently of each other, an additive decomposition of a high-dimensional joint
 * density that 100 trials cannot fill. `maxSize` 0 (or a group that fits) leaves the group whole; a
 * block of one parameter is decided on its own. Pure: plain names in, plain names out.
 */
export const splitGroup = (names: readonly string[], maxSize: number, studySeed: number): string[][] => {
  if (maxSize <= 0 || names.length <= maxSize) return [[...names]];
  const rng = createRng(`parzen:${studySeed}:tpe-blocks:${JSON.stringify(names)}`);
  const shuffled = [...names];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j] as string, shuffled[i] as string];
  }
  const count = Math.ceil(shuffled.length / maxSize);
  const blocks: string[][] = [];
  let start = 0;
  for (let b = 0; b < count; b++) {
    // The first (length mod count) blocks take one more, so sizes differ by at most one.
    const size = Math.floor(shuffled.length / count) + (b < shuffled.length % count ? 1 : 0);
    blocks.push(shuffled.slice(start, start + size));
    start += size;
  }
  return blocks;
};
