import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Knex } from '../../src/db.ts';
import { inTransaction } from '../../src/db/transaction.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/test_database.ts';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  await database.db.raw('create table deadlock_probe (id int primary key, hits int not null default 0)');
  await database.db('deadlock_probe').insert([{ id: 1 }, { id: 2 }]);
});

afterAll(async () => {
  await database.drop();
});

/** Two writers taking the same two rows in opposite orders, each waiting until the other holds its first row. */
async function crossLocking(
  run: (db: Knex, work: (trx: Knex.Transaction) => Promise<void>) => Promise<void>,
): Promise<PromiseSettledResult<void>[]> {
  let arrived = 0;
  let release: () => void = () => {};
  const bothHoldFirstRow = new Promise<void>((resolve) => (release = resolve));
  const writer = (first: number, second: number) =>
    run(database.db, async (trx) => {
      await trx('deadlock_probe').where({ id: first }).increment('hits', 1);
      arrived += 1;
      if (arrived === 2) release();
      await Promise.race([bothHoldFirstRow, new Promise((resolve) => setTimeout(resolve, 500))]);
      await trx('deadlock_probe').where({ id: second }).increment('hits', 1);
    });
  return Promise.allSettled([writer(1, 2), writer(2, 1)]);
}

describe('inTransaction', () => {
  it('is needed: plain transactions lose one writer to the deadlock', async () => {
    const results = await crossLocking((db, work) => db.transaction(work));
    const rejected = results.filter((r) => r.status === 'rejected');
    expect(rejected).toHaveLength(1);
    expect(String((rejected[0] as PromiseRejectedResult).reason)).toMatch(/deadlock detected/);
  });

  it('runs the victim again, so both writers commit', async () => {
    const before: Array<{ hits: number }> = await database.db('deadlock_probe').orderBy('id').select('hits');
    const results = await crossLocking((db, work) => inTransaction(db, work));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    const after: Array<{ hits: number }> = await database.db('deadlock_probe').orderBy('id').select('hits');
    expect(after.map((r, i) => r.hits - before[i]!.hits)).toEqual([2, 2]);
  });

  it('does not retry other errors', async () => {
    let calls = 0;
    await expect(
      inTransaction(database.db, async (trx) => {
        calls += 1;
        await trx.raw('select * from no_such_table');
      }),
    ).rejects.toThrow(/no_such_table/);
    expect(calls).toBe(1);
  });
});
