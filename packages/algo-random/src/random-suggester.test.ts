import { describeSuggesterContract } from '@parzen/engine/testing';
import { createRandomSuggester } from './random-suggester.js';

describeSuggesterContract('random', { create: createRandomSuggester });
