import type { Db } from '../../db.ts';
import type { NightlyRate, SetRatesInput } from './rate_schemas.ts';

export async function upsertRates(db: Db, roomId: string, { from, to, price }: SetRatesInput): Promise<void> {
  await db.raw(
    `insert into room_rates (room_id, date, price)
     select ?, d::date, ? from generate_series(?::date, ?::date, interval '1 day') as d
     on conflict (room_id, date) do update set price = excluded.price`,
    [roomId, price, from, to],
  );
}

/** One row per night of [from, to], the override where one exists and the room's base price elsewhere. */
export async function nightlyRates(db: Db, roomId: string, from: string, to: string): Promise<NightlyRate[]> {
  const { rows } = await db.raw<{ rows: NightlyRate[] }>(
    `select to_char(d, 'YYYY-MM-DD') as date, coalesce(rr.price, r.base_price) as price
     from rooms r
     cross join generate_series(?::date, ?::date, interval '1 day') as d
     left join room_rates rr on rr.room_id = r.id and rr.date = d::date
     where r.id = ?
     order by d`,
    [from, to, roomId],
  );
  return rows;
}
