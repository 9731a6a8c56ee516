import type { ExternalParams } from '../domain/params.js';
import type { ErrorInfo } from '../domain/trial.js';

export interface EvaluationContext {
  readonly trialNumber: number;
  /** Aborted on timeout or when the run stops; adapters kill their work when it fires. */
  readonly signal: AbortSignal;
}

/** What an adapter reports. A failure is a value, not a throw (a throw is turned into one anyway). */
export type EvaluationResult =
  | { readonly status: 'ok'; readonly value: number; readonly attributes?: Readonly<Record<string, unknown>> }
  | { readonly status: 'failed'; readonly error: ErrorInfo };

/** Runs the user's program for one set of params and reads its loss. */
export interface ObjectiveAdapter {
  readonly name: string;
  evaluate(params: ExternalParams, context: EvaluationContext): Promise<EvaluationResult>;
  close?(): Promise<void>;
}
