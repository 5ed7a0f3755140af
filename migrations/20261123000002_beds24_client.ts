import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table beds24_config
      add column beds24_account_id bigint,
      add column access_token text,
      add column access_token_expires_at timestamptz,
      add column connected_at timestamptz`);

  // One row per Beds24 account: every process sharing the account reads and writes the same meter.
  await knex.raw(`
    create table beds24_credit_meter (
      account_key text primary key,
      remaining numeric(10, 2),
      resets_at timestamptz,
      updated_at timestamptz not null default now()
    )`);

  await knex.raw(`
    create table beds24_sync_log (
      id bigserial primary key,
      created_at timestamptz not null default now(),
      account_key text not null,
      property_id uuid,
      method text not null,
      path text not null,
      status integer,
      cost numeric(10, 2),
      remaining numeric(10, 2),
      duration_ms integer not null,
      outcome text not null,
      request jsonb,
      response jsonb,
      error text
    )`);
  await knex.raw('create index beds24_sync_log_created_idx on beds24_sync_log (created_at desc)');
  await knex.raw('create index beds24_sync_log_property_idx on beds24_sync_log (property_id, created_at desc)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('beds24_sync_log');
  await knex.schema.dropTableIfExists('beds24_credit_meter');
  await knex.raw(`
    alter table beds24_config
      drop column beds24_account_id,
      drop column access_token,
      drop column access_token_expires_at,
      drop column connected_at`);
}
