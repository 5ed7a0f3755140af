import type { Db } from '../../../db.ts';
import type { CreditMeterTable } from './tables.ts';

export type MeterRow = Pick<CreditMeterTable, 'remaining' | 'resets_at'>;

/** The account's meter as the last answer left it (undefined before any answer). */
export function readMeter(db: Db, accountKey: string): Promise<MeterRow | undefined> {
  return db('beds24_credit_meter').where({ account_key: accountKey }).first(['remaining', 'resets_at']);
}

export async function writeMeter(
  db: Db,
  accountKey: string,
  meter: { remaining: number; resets_at: Date },
  now: Date,
): Promise<void> {
  await db('beds24_credit_meter')
    .insert({ account_key: accountKey, ...meter, updated_at: now })
    .onConflict('account_key')
    .merge();
}

/** Takes `cost` off a known meter (never below 0): credits a lost answer may have spent. */
export async function chargeAssumedCost(db: Db, accountKey: string, cost: number, now: Date): Promise<void> {
  await db('beds24_credit_meter')
    .where({ account_key: accountKey })
    .whereNotNull('remaining')
    .update({ remaining: db.raw('greatest(0, remaining - ?)', [cost]), updated_at: now });
}

/**
 * The credits left per Beds24 account, as last seen. A connection's first calls are metered under the
 * property until Beds24 has named the account; once it has, that row is history, not a second account.
 */
export function creditsPerAccount(db: Db): Promise<Array<{ account_key: string; remaining: number }>> {
  return db('beds24_credit_meter as m')
    .whereNotNull('m.remaining')
    .whereNotExists(
      db('beds24_config as c')
        .whereNotNull('c.beds24_account_id')
        .whereRaw(`m.account_key = 'property:' || c.property_id::text`),
    )
    .select('m.account_key', 'm.remaining');
}
