import { setTimeout as sleep } from 'node:timers/promises';
import type { Knex } from 'knex';

/** Deadlock and serialisation failures: PostgreSQL rolled the transaction back and expects it to be run again. */
const RETRYABLE_CODES = new Set(['40P01', '40001']);

function sqlState(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;
}

/**
 * `db.transaction(work)`, run again (up to `attempts` times, with a short random pause) when PostgreSQL
 * chose it as the victim of a deadlock. Nothing of a rolled-back attempt remains, so `work` simply reruns.
 */
export async function inTransaction<T>(
  db: Knex,
  work: (trx: Knex.Transaction) => Promise<T>,
  attempts = 4,
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await db.transaction(work);
    } catch (error) {
      const code = sqlState(error);
      if (attempt >= attempts || code === undefined || !RETRYABLE_CODES.has(code)) throw error;
      await sleep(5 + Math.random() * 20 * attempt);
    }
  }
}
