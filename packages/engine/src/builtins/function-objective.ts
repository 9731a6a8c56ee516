import { defineObjective } from '../contracts/manifest.js';
import type { EvaluationContext, EvaluationResult, ObjectiveAdapter } from '../contracts/objective.js';
import type { ExternalParams } from '../domain/params.js';
import {
  destructuredNames,
  interpretObjectiveValue,
  thrownErrorInfo,
  withUnknownParamNote,
} from '../runtime/interpret-result.js';

/** A plain function as objective: gets the params, returns a number or `{ loss, ... }`, maybe async. */
/**
 * What an objective returns: its loss, or `{ loss, attrs }` (attrs: JSON values stored with the trial;
 * other fields next to `loss` are attrs too), or hyperopt's `{ status: 'fail' }`. Anything else fails the
 * trial at run time (`OBJECTIVE_NOT_A_NUMBER`), and TypeScript refuses it first (a forgotten
 * `return` would otherwise compile, and every trial fail).
 */
export type ObjectiveResult =
  | number
  // A result typed by an interface or a class (review 37: refused, lacking an index signature).
  | {
      /** The loss: a finite number (NaN, an infinity or a non-number fails the trial). */
      readonly loss: number;
      /**
       * JSON values stored with the trial; absent when none. A field whose value is `undefined` is left out, as
       * JSON leaves it out; a value JSON cannot hold as it is (NaN, an infinity, a function, a Date, a class
       * instance, an `undefined` in an array) fails the trial as `OBJECTIVE_BAD_ATTRS`, naming where it is
       * (`/attrs/p99 is NaN`), with the loss kept in the error's details.
       */
      readonly attrs?: object;
    }
  | {
      /** The loss: a finite number (NaN, an infinity or a non-number fails the trial). */
      readonly loss: number;
      /**
       * JSON values stored with the trial, as in the form above; the other fields next to `loss` are stored
       * with them, under the same rules.
       */
      readonly attrs?: object;
      readonly [field: string]: unknown;
    }
  | {
      /** hyperopt's `STATUS_FAIL`: the trial fails (`OBJECTIVE_FAILED`), its other fields kept in the error's details when JSON. */
      readonly status: 'fail';
      readonly [field: string]: unknown;
    };

/** An objective function: params in, {@link ObjectiveResult} out (or a promise of it); throwing fails the trial. */
export type ObjectiveFunction<P = ExternalParams> = (
  params: P,
  context: EvaluationContext,
) => ObjectiveResult | Promise<ObjectiveResult>;

/**
 * What the function objective may be told about the function it wraps: the user's own function when `fn`
 * wraps it (its source is read for the names it destructures), and every parameter name of the space.
 */
export interface FunctionObjectiveSource {
  /** The user's own function, when `fn` wraps it: its source is read for the names it destructures. */
  readonly source?: (...args: never[]) => unknown;
  /** Every parameter name of the space. */
  readonly space?: Iterable<string>;
}

/** Wraps a function as an objective adapter; throws and bad return values become failed trials. */
export const createFunctionObjective = <P = ExternalParams>(
  fn: ObjectiveFunction<P>,
  name = 'function',
  about: FunctionObjectiveSource = {},
): ObjectiveAdapter => {
  // The names its first argument destructures, said when a trial fails (see withUnknownParamNote).
  const names = destructuredNames(about.source ?? fn);
  const space = about.space === undefined ? undefined : [...about.space];
  return {
    name,
    sharesThread: true,
    async evaluate(params, { setUp: _adapterOnly, ...context }) {
      let result: EvaluationResult;
      try {
        result = interpretObjectiveValue(await fn(params as P, context));
      } catch (error) {
        result = { status: 'failed', error: thrownErrorInfo(error) };
      }
      return withUnknownParamNote(result, names, params, space);
    },
  };
};

/** Options of the `function` objective. */
export interface FunctionObjectiveOptions {
  /** The key of the function in the registry given to `runExperiment` (`functions`). */
  readonly name: string;
}

/** Looks up functions registered in code, so a JSON config can say `{ "use": "function", "options": { "name": "heart" } }`. */
export const functionObjectiveManifest = (functions: Readonly<Record<string, ObjectiveFunction>>) =>
  defineObjective<FunctionObjectiveOptions>({
    name: 'function',
    description: 'Calls a function registered in code by name.',
    optionsSchema: {
      type: 'object',
      additionalProperties: false,
      required: ['name'],
      properties: { name: { type: 'string', enum: Object.keys(functions).length > 0 ? Object.keys(functions) : [''] } },
    },
    create: (options) => {
      const fn = functions[options.name];
      if (fn === undefined) throw new Error(`No function named \`${options.name}\` was registered.`);
      return createFunctionObjective(fn, options.name);
    },
  });
