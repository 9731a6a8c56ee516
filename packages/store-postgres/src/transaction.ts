import type { Pool, PoolClient, QueryResultRow } from 'pg';
import { guardedClient } from './cut-wait.js';
import { type StatementName, statement } from './statements.js';

/** Runs one of the store's statements; inside a transaction, on the transaction's connection. */
export type Query = <R extends QueryResultRow>(name: StatementName, values: readonly unknown[]) => Promise<R[]>;

/**
 * Runs `task` in a transaction on one pooled connection: committed if it resolves, else rolled back. With a
 * give-up `signal`, a statement the server holds when it aborts is cancelled (`cancel(pid)`); one the server
 * cancelled ends the transaction, rolled back, with `WaitGivenUp`.
 */
export const inTransaction = async <T>(
  pool: Pool,
  task: (query: Query) => Promise<T>,
  signal?: AbortSignal,
  cancel: (pid: number) => Promise<void> = async () => undefined,
): Promise<T> => {
  const client: PoolClient = await pool.connect();
  const guard = guardedClient(client, signal, cancel);
  let broken = false;
  try {
    await guard.send(() => client.query('BEGIN'));
    const result = await task(
      async (name, values) => (await guard.send(() => client.query(statement(name, values)))).rows,
    );
    await guard.send(() => client.query('COMMIT'));
    return result;
  } catch (error) {
    broken = await client.query('ROLLBACK').then(
      () => false,
      () => true,
    );
    throw error;
  } finally {
    guard.release(broken); // a connection that cannot roll back is dropped from the pool
  }
};
