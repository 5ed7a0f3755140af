import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // The room ids of each connected Beds24 property, as Beds24 last listed them: a mapping to any other id
  // is refused. Read at connect time and again (at most once a minute) when an id is not in the list.
  await knex.raw(`
    create table beds24_room_catalog (
      property_id uuid primary key references properties (id) on delete cascade,
      beds24_property_id bigint not null,
      room_ids bigint[] not null default '{}',
      fetched_at timestamptz,
      asked_at timestamptz not null
    )`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('beds24_room_catalog');
}
