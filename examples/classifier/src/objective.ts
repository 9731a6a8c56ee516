/**
 * The objective Parzen calls (a `module` objective): the misclassification rate of the chosen model
 * under 5-fold cross-validation on iris. It knows nothing of Parzen: it is a function of a plain object.
 */
import { crossValidatedAccuracy } from './cross-validation.js';
import { loadIris } from './iris.js';
import { type ClassifierSettings, classifier } from './models.js';

/** Folds of the cross-validation. */
export const FOLDS = 5;

const iris = loadIris();

/** 1 − the 5-fold cross-validated accuracy of the model `params` describe (lower is better). */
const objective = (params: ClassifierSettings): number => 1 - crossValidatedAccuracy(classifier(params), iris, FOLDS);

export default objective;
