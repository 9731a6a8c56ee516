import { describeSuggesterContract } from '@parzen/engine/testing';
import { createTpeSuggester } from './tpe-suggester.js';

describeSuggesterContract('tpe (parzen)', { create: () => createTpeSuggester() });
describeSuggesterContract('tpe (hyperopt)', { create: () => createTpeSuggester({ compat: 'hyperopt' }), trials: 40 });
describeSuggesterContract('tpe (optuna)', { create: () => createTpeSuggester({ compat: 'optuna' }) });
describeSuggesterContract('tpe (parzen, multivariate)', { create: () => createTpeSuggester({ multivariate: true }) });
