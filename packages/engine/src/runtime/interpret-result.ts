import type { EvaluationResult } from '../contracts/objective.js';
import { describeValue } from '../errors.js';

const failed = (code: string, message: string): EvaluationResult => ({ status: 'failed', error: { code, message } });

const checkNumber = (value: unknown, where: string): EvaluationResult | number => {
  if (typeof value !== 'number') {
    return failed(
      'OBJECTIVE_NOT_A_NUMBER',
      `The objective returned ${where}${describeValue(value)}; expected a number or { "loss": number }.`,
    );
  }
  if (Number.isNaN(value)) return failed('OBJECTIVE_NAN', `The objective returned ${where}NaN.`);
  if (!Number.isFinite(value)) return failed('OBJECTIVE_INFINITE', `The objective returned ${where}${value}.`);
  return value;
};

/**
 * Turns whatever an objective function returned into a result: a finite number, or an object with a
 * finite `loss` (its other fields are kept as attributes). NaN, infinities, strings and anything else are
 * failed trials with a code and a message that shows what came back.
 */
export const interpretObjectiveValue = (raw: unknown): EvaluationResult => {
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
    const { loss, ...attributes } = raw as Record<string, unknown>;
    const checked = checkNumber(loss, 'a loss of ');
    if (typeof checked !== 'number') return checked;
    return Object.keys(attributes).length === 0
      ? { status: 'ok', value: checked }
      : { status: 'ok', value: checked, attributes };
  }
  const checked = checkNumber(raw, '');
  return typeof checked === 'number' ? { status: 'ok', value: checked } : checked;
};

/** The error info of a thrown value. */
export const thrownErrorInfo = (error: unknown, code = 'OBJECTIVE_THREW') => ({
  code,
  message: error instanceof Error ? error.message : `The objective threw ${describeValue(error)}`,
});
