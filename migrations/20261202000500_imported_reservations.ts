import type { Knex } from 'knex';

/*
 * Reservations imported from Beds24 (source 'beds24'): a booking made at a channel may find no free room
 * (room_id null: an overbooking staff must solve), so the Beds24 room it was booked for is kept on the row
 * (booked_beds24_room_id). A booking of several units (roomQty > 1) becomes one reservation per unit
 * (beds24_unit 1..roomQty). Our own pushed bookings keep a globally unique beds24_booking_id; an imported
 * booking's units are unique per property.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table reservations
      alter column room_id drop not null,
      add column booked_beds24_room_id bigint check (booked_beds24_room_id > 0),
      add column beds24_unit smallint check (beds24_unit >= 1),
      add column beds24_channel text check (length(beds24_channel) <= 100),
      add column beds24_api_reference text check (length(beds24_api_reference) <= 100)`);

  // Rows recorded by hand with source 'beds24' before imports existed: their room tells the Beds24 room.
  await knex.raw(`
    update reservations r set booked_beds24_room_id = rm.beds24_room_id
    from rooms rm
    where rm.id = r.room_id and r.source = 'beds24'`);
  await knex.raw(`update reservations set beds24_unit = 1 where source = 'beds24' and beds24_booking_id is not null`);

  await knex.raw(`
    alter table reservations
      add constraint reservations_room_or_booked_room check (
        room_id is not null or (source = 'beds24' and booked_beds24_room_id is not null)),
      add constraint reservations_booked_room_imported_only check (
        source = 'beds24' or booked_beds24_room_id is null),
      add constraint reservations_unit_of_imported_booking check (
        (beds24_unit is not null) = (source = 'beds24' and beds24_booking_id is not null))`);

  await knex.raw('drop index reservations_beds24_booking_idx');
  await knex.raw(`
    create unique index reservations_own_beds24_booking_idx on reservations (beds24_booking_id)
    where beds24_booking_id is not null and source <> 'beds24'`);
  await knex.raw(`
    create unique index reservations_imported_unit_idx on reservations (property_id, beds24_booking_id, beds24_unit)
    where source = 'beds24'`);
  await knex.raw(`
    create index reservations_unassigned_idx on reservations (property_id, created_at desc, id desc)
    where room_id is null`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index reservations_unassigned_idx');
  await knex.raw('drop index reservations_imported_unit_idx');
  await knex.raw('drop index reservations_own_beds24_booking_idx');
  await knex.raw(`
    create unique index reservations_beds24_booking_idx on reservations (beds24_booking_id)
    where beds24_booking_id is not null`);
  await knex.raw(`
    alter table reservations
      drop constraint reservations_unit_of_imported_booking,
      drop constraint reservations_booked_room_imported_only,
      drop constraint reservations_room_or_booked_room,
      drop column beds24_api_reference,
      drop column beds24_channel,
      drop column beds24_unit,
      drop column booked_beds24_room_id,
      alter column room_id set not null`);
}
