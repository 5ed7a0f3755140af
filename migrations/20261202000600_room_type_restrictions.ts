import type { Knex } from 'knex';

const OVERRIDES = "('none', 'blackout', 'noCheckIn', 'noCheckOut', 'noCheckInOrCheckOut')";

export async function up(knex: Knex): Promise<void> {
  // Stay restrictions per property, PMS room type and night. A row with nothing set means the same as no
  // row, so writes may delete such rows. The check backs the API's min/max rule against racing writes.
  await knex.raw(`
    create table room_type_restrictions (
      property_id uuid not null references properties (id) on delete cascade,
      room_type text not null check (length(room_type) between 1 and 100),
      date date not null,
      min_stay smallint check (min_stay between 1 and 365),
      max_stay smallint check (max_stay between 1 and 364),
      closed_to_arrival boolean not null default false,
      closed_to_departure boolean not null default false,
      stop_sell boolean not null default false,
      updated_at timestamptz not null default date_trunc('milliseconds', now()),
      primary key (property_id, room_type, date),
      constraint room_type_restrictions_stay_order check (min_stay is null or max_stay is null or max_stay >= min_stay)
    )`);
  await knex.raw(`
    create trigger room_type_restrictions_updated_at before update on room_type_restrictions
    for each row execute function set_updated_at()`);

  // What Beds24 last accepted for the restriction fields. A null override means none was ever sent (Beds24's
  // default, none); null stays mean no calendar value (Beds24 falls back to the room's own setting).
  await knex.raw(`
    alter table beds24_calendar_state
      add column min_stay smallint,
      add column max_stay smallint,
      add column override text check (override in ${OVERRIDES})`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('alter table beds24_calendar_state drop column min_stay, drop column max_stay, drop column override');
  await knex.schema.dropTableIfExists('room_type_restrictions');
}
