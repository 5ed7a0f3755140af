import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // What Beds24 last accepted per (Beds24 room, night): the push sends only cells that differ from it.
  await knex.raw(`
    create table beds24_calendar_state (
      property_id uuid not null references properties (id) on delete cascade,
      beds24_room_id bigint not null,
      date date not null,
      num_avail integer not null,
      price1 numeric(12, 2),
      pushed_at timestamptz not null default now(),
      primary key (property_id, beds24_room_id, date)
    )`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('beds24_calendar_state');
}
