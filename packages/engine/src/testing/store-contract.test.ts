import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../builtins/memory-store.js';
import { numbersAcrossHandles } from './store-contract.js';

describe('the TrialStore contract catches numbering per handle (trial 60)', () => {
  it('two handles that each keep their own count give numbers twice', async () => {
    // The mistake: the second handle numbers from its own count, not from the shared data.
    const numbers = await numbersAcrossHandles({ create: createMemoryStore, reopen: () => createMemoryStore() });
    expect(numbers).not.toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(new Set(numbers).size).toBeLessThan(numbers.length);
  });
});
