import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // Beds24 rooms whose restrictions the PMS manages: recorded before the first write carrying restriction
  // fields is sent, so from then on every write of the room carries them, and a clear whose answer was lost
  // is sent again (a forgotten cell must not read as "neither side restricts").
  await knex.raw(`
    create table beds24_restriction_rooms (
      property_id uuid not null references properties (id) on delete cascade,
      beds24_room_id bigint not null,
      first_sent_at timestamptz not null default now(),
      primary key (property_id, beds24_room_id)
    )`);
  await knex.raw(`
    insert into beds24_restriction_rooms (property_id, beds24_room_id, first_sent_at)
    select property_id, beds24_room_id, min(pushed_at) from beds24_calendar_state where override is not null
    group by 1, 2
    on conflict do nothing`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('beds24_restriction_rooms');
}
