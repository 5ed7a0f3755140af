import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // The nights the last drift check of a property found different in Beds24 (replaced by each check), so the
  // dashboard's calendar can show them after the check's answer is gone.
  await knex.raw(`
    create table beds24_calendar_drift (
      property_id uuid not null references properties (id) on delete cascade,
      beds24_room_id bigint not null,
      date date not null,
      expected jsonb not null,
      actual jsonb not null,
      cause text not null,
      checked_at timestamptz not null,
      primary key (property_id, beds24_room_id, date)
    )`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('beds24_calendar_drift');
}
