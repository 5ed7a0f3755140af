import type { Knex } from 'knex';

/*
 * The inbound side of the sync: bookings made at channels, read from Beds24 into the PMS.
 * - `beds24_config.pull_sync_enabled`: the toggle of pulls and webhook processing (with `sync_enabled`).
 * - `beds24_pull_state`: per property, where the incremental pull stands (`cursor`: the start of the last
 *   pull whose every booking was applied) and what is asked of it (an incremental pull, a full import).
 * - `beds24_imported_bookings`: per Beds24 booking read, what the PMS made of it and the version it holds
 *   (modifiedTime, a fingerprint of the content, when that content was read), and when it was last read by
 *   id (the flood limit).
 * - `beds24_webhook_inbox`: webhook deliveries, stored before they are answered; only what the import
 *   needs, never a guest's personal data.
 * Properties connected before this migration get a full import on the next worker start.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('alter table beds24_config add column pull_sync_enabled boolean not null default true');

  await knex.raw(`
    create table beds24_pull_state (
      property_id uuid primary key references properties (id) on delete cascade,
      cursor timestamptz,
      last_pull_at timestamptz,
      last_full_import_at timestamptz,
      pull_requested_at timestamptz,
      full_import_requested_at timestamptz,
      next_pull_at timestamptz,
      inventory_pull_at timestamptz,
      updated_at timestamptz not null default now()
    )`);

  await knex.raw(`
    create table beds24_imported_bookings (
      property_id uuid not null references properties (id) on delete cascade,
      beds24_booking_id bigint not null check (beds24_booking_id > 0),
      outcome text not null check (outcome in (
        'imported', 'ours', 'inquiry', 'unmapped', 'invalid', 'not_found', 'other_property')),
      modified_time text check (length(modified_time) <= 40),
      fingerprint text check (length(fingerprint) <= 64),
      version_read_at timestamptz,
      last_read_at timestamptz,
      imported_at timestamptz,
      updated_at timestamptz not null default now(),
      primary key (property_id, beds24_booking_id)
    )`);

  await knex.raw(`
    create table beds24_webhook_inbox (
      id bigserial primary key,
      property_id uuid not null references properties (id) on delete cascade,
      kind text not null check (kind in ('booking', 'inventory')),
      beds24_property_id bigint not null,
      beds24_booking_id bigint,
      beds24_room_id bigint,
      status text check (length(status) <= 40),
      modified_time text check (length(modified_time) <= 40),
      received_at timestamptz not null,
      not_before timestamptz,
      processed_at timestamptz,
      check ((kind = 'booking') = (beds24_booking_id is not null))
    )`);
  await knex.raw(`
    create index beds24_webhook_inbox_waiting_idx on beds24_webhook_inbox (property_id, id)
    where processed_at is null`);
  await knex.raw(`
    create index beds24_webhook_inbox_received_idx on beds24_webhook_inbox (property_id, received_at desc)`);

  await knex.raw(`
    insert into beds24_pull_state (property_id, full_import_requested_at, next_pull_at)
    select property_id, now(), now() from beds24_config where refresh_token is not null`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table beds24_webhook_inbox');
  await knex.raw('drop table beds24_imported_bookings');
  await knex.raw('drop table beds24_pull_state');
  await knex.raw('alter table beds24_config drop column pull_sync_enabled');
}
