import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // Every Beds24 room that accepted a calendar write from the PMS for a property: one that nothing maps to
  // any more must be closed, and this knowledge must survive whatever happens to the remembered calendar.
  await knex.raw(`
    create table beds24_published_rooms (
      property_id uuid not null references properties (id) on delete cascade,
      beds24_room_id bigint not null,
      first_published_at timestamptz not null default now(),
      primary key (property_id, beds24_room_id)
    )`);
  await knex.raw(`
    insert into beds24_published_rooms (property_id, beds24_room_id, first_published_at)
    select property_id, beds24_room_id, min(pushed_at) from beds24_calendar_state group by 1, 2
    on conflict do nothing`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('beds24_published_rooms');
}
