import type { Knex } from 'knex';

const OCCUPYING = "('pending', 'confirmed', 'checked_in')";

export async function up(knex: Knex): Promise<void> {
  await knex.raw('create extension if not exists btree_gist');

  // Timestamps are kept to the millisecond so list cursors built from them in JavaScript compare exactly.
  await knex.raw(`
    create function set_updated_at() returns trigger language plpgsql as $$
    begin
      new.updated_at := date_trunc('milliseconds', now());
      return new;
    end $$`);

  await knex.raw(`
    create table properties (
      id uuid primary key default gen_random_uuid(),
      name text not null check (length(name) between 1 and 200),
      timezone text not null default 'UTC',
      currency char(3) not null default 'EUR' check (currency ~ '^[A-Z]{3}$'),
      created_at timestamptz not null default date_trunc('milliseconds', now()),
      updated_at timestamptz not null default date_trunc('milliseconds', now())
    )`);

  await knex.raw(`
    create table rooms (
      id uuid primary key default gen_random_uuid(),
      property_id uuid not null references properties (id) on delete restrict,
      number text not null check (length(number) between 1 and 20),
      name text,
      room_type text not null check (length(room_type) between 1 and 100),
      base_price numeric(12, 2) not null check (base_price >= 0),
      max_occupancy integer not null check (max_occupancy between 1 and 99),
      status text not null default 'active' check (status in ('active', 'inactive')),
      housekeeping_status text not null default 'clean'
        check (housekeeping_status in ('clean', 'dirty', 'inspected', 'out_of_order')),
      beds24_room_id bigint check (beds24_room_id > 0),
      created_at timestamptz not null default date_trunc('milliseconds', now()),
      updated_at timestamptz not null default date_trunc('milliseconds', now()),
      unique (property_id, number),
      unique (id, property_id)
    )`);
  await knex.raw('create index rooms_property_created_idx on rooms (property_id, created_at desc, id desc)');
  await knex.raw('create index rooms_beds24_room_idx on rooms (beds24_room_id) where beds24_room_id is not null');

  await knex.raw(`
    create table guests (
      id uuid primary key default gen_random_uuid(),
      first_name text not null check (length(first_name) between 1 and 100),
      last_name text not null check (length(last_name) between 1 and 100),
      email text,
      phone text,
      address text,
      city text,
      postcode text,
      country char(2) check (country ~ '^[A-Z]{2}$'),
      language char(2) check (language ~ '^[a-z]{2}$'),
      created_at timestamptz not null default date_trunc('milliseconds', now()),
      updated_at timestamptz not null default date_trunc('milliseconds', now())
    )`);

  await knex.raw(`
    create table reservations (
      id uuid primary key default gen_random_uuid(),
      property_id uuid not null references properties (id) on delete restrict,
      room_id uuid not null,
      guest_id uuid not null references guests (id) on delete restrict,
      check_in date not null,
      check_out date not null,
      adults integer not null check (adults between 1 and 99),
      children integer not null default 0 check (children between 0 and 99),
      status text not null default 'confirmed'
        check (status in ('pending', 'confirmed', 'checked_in', 'checked_out', 'cancelled', 'no_show')),
      source text not null default 'direct'
        check (source in ('direct', 'phone', 'email', 'walk_in', 'website', 'beds24')),
      total_price numeric(12, 2) check (total_price >= 0),
      notes text,
      beds24_booking_id bigint check (beds24_booking_id > 0),
      created_at timestamptz not null default date_trunc('milliseconds', now()),
      updated_at timestamptz not null default date_trunc('milliseconds', now()),
      foreign key (room_id, property_id) references rooms (id, property_id) on delete restrict,
      check (check_out > check_in),
      check (check_out - check_in <= 365),
      constraint reservations_no_overlap exclude using gist (
        room_id with =,
        daterange(check_in, check_out, '[)') with &&
      ) where (status in ${OCCUPYING})
    )`);
  await knex.raw(
    'create unique index reservations_beds24_booking_idx on reservations (beds24_booking_id) where beds24_booking_id is not null',
  );
  await knex.raw(
    'create index reservations_property_created_idx on reservations (property_id, created_at desc, id desc)',
  );
  await knex.raw('create index reservations_room_dates_idx on reservations (room_id, check_in, check_out)');
  await knex.raw('create index reservations_guest_idx on reservations (guest_id)');

  await knex.raw(`
    create table maintenance_blocks (
      id uuid primary key default gen_random_uuid(),
      room_id uuid not null references rooms (id) on delete cascade,
      start_date date not null,
      end_date date not null,
      reason text,
      created_at timestamptz not null default date_trunc('milliseconds', now()),
      check (end_date > start_date)
    )`);
  await knex.raw('create index maintenance_blocks_room_idx on maintenance_blocks (room_id, start_date, end_date)');

  await knex.raw(`
    create table room_rates (
      room_id uuid not null references rooms (id) on delete cascade,
      date date not null,
      price numeric(12, 2) not null check (price >= 0),
      updated_at timestamptz not null default date_trunc('milliseconds', now()),
      primary key (room_id, date)
    )`);

  await knex.raw(`
    create table beds24_config (
      property_id uuid primary key references properties (id) on delete cascade,
      beds24_property_id bigint not null check (beds24_property_id > 0),
      refresh_token text,
      sync_enabled boolean not null default true,
      push_sync_enabled boolean not null default true,
      created_at timestamptz not null default date_trunc('milliseconds', now()),
      updated_at timestamptz not null default date_trunc('milliseconds', now())
    )`);

  for (const table of ['properties', 'rooms', 'guests', 'reservations', 'room_rates', 'beds24_config']) {
    await knex.raw(
      `create trigger ${table}_updated_at before update on ${table} for each row execute function set_updated_at()`,
    );
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'beds24_config',
    'room_rates',
    'maintenance_blocks',
    'reservations',
    'guests',
    'rooms',
    'properties',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
  await knex.raw('drop function if exists set_updated_at()');
}
