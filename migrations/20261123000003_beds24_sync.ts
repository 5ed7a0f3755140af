import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // The outbox: what must be brought up to date in Beds24, written in the same transaction as the edit.
  // `version` moves on every new change, so a worker only clears what it actually pushed.
  await knex.raw('create sequence beds24_change_version_seq');
  await knex.raw(`
    create table beds24_pending_changes (
      property_id uuid not null references properties (id) on delete cascade,
      kind text not null check (kind in ('reservation', 'availability', 'rates', 'resync')),
      entity_id text not null,
      version bigint not null default nextval('beds24_change_version_seq'),
      first_queued_at timestamptz not null default now(),
      last_queued_at timestamptz not null default now(),
      primary key (property_id, kind, entity_id)
    )`);

  await knex.raw(`
    create table beds24_reservation_sync (
      reservation_id uuid primary key references reservations (id) on delete cascade,
      state text not null check (state in ('pending', 'synced', 'failed', 'skipped')),
      last_pushed_at timestamptz,
      last_error text,
      create_sent_at timestamptz,
      updated_at timestamptz not null default now()
    )`);

  await knex.raw(`
    create table beds24_sync_failures (
      id uuid primary key default gen_random_uuid(),
      property_id uuid not null references properties (id) on delete cascade,
      kind text not null,
      entity_id text not null,
      state text not null default 'failed' check (state in ('failed', 'retrying', 'resolved')),
      error_code text not null,
      error_message text not null,
      attempts integer not null default 1,
      job_id text,
      failed_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`);
  await knex.raw(
    `create unique index beds24_sync_failures_open_idx on beds24_sync_failures (property_id, kind, entity_id) where state <> 'resolved'`,
  );
  await knex.raw('create index beds24_sync_failures_state_idx on beds24_sync_failures (state, failed_at desc)');

  await knex.raw('alter table beds24_config add column last_push_at timestamptz');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('alter table beds24_config drop column last_push_at');
  await knex.schema.dropTableIfExists('beds24_sync_failures');
  await knex.schema.dropTableIfExists('beds24_reservation_sync');
  await knex.schema.dropTableIfExists('beds24_pending_changes');
  await knex.raw('drop sequence beds24_change_version_seq');
}
