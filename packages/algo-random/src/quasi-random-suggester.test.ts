import { describeSuggesterContract } from '@parzen/engine/testing';
import { createQuasiRandomSuggester } from './quasi-random-suggester.js';

describeSuggesterContract('quasi-random', { create: createQuasiRandomSuggester });
