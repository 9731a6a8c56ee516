import type { Pool, PoolClient, QueryResultRow } from 'pg';
import { type StatementName, statement } from './statements.js';

/** Runs one of the store's statements; inside a transaction, on the transaction's connection. */
export type Query = <R extends QueryResultRow>(name: StatementName, values: readonly unknown[]) => Promise<R[]>;

/** Runs `task` in a transaction on one pooled connection: committed if it resolves, else rolled back. */
export const inTransaction = async <T>(pool: Pool, task: (query: Query) => Promise<T>): Promise<T> => {
  const client: PoolClient = await pool.connect();
  let broken = false;
  try {
    await client.query('BEGIN');
    const result = await task(async (name, values) => (await client.query(statement(name, values))).rows);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    broken = await client.query('ROLLBACK').then(
      () => false,
      () => true,
    );
    throw error;
  } finally {
    client.release(broken); // a connection that cannot roll back is dropped from the pool
  }
};
