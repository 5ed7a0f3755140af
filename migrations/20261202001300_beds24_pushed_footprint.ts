import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // Where the booking takes a unit in Beds24 as the PMS last wrote it (null: nowhere, or written before
  // this was kept): a later write that moves it knows which calendar nights Beds24 may have moved with it.
  await knex.raw(`
    alter table beds24_reservation_sync
      add column pushed_beds24_room_id bigint,
      add column pushed_arrival date,
      add column pushed_departure date`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table beds24_reservation_sync
      drop column pushed_beds24_room_id,
      drop column pushed_arrival,
      drop column pushed_departure`);
}
