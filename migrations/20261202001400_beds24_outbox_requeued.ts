import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // taken_at: when a push read the change to send it. requeued_at: the first edit of the same row after
  // that read, which the push did not carry. When the push clears what it sent, a row edited meanwhile
  // stays, waiting since that edit rather than since the one the push already sent. edits: how many edits
  // the row holds that no push took (one row gathers many: a property's whole calendar is one), so that
  // a burst is not mistaken for the hotel's one next edit.
  await knex.raw(`
    alter table beds24_pending_changes
      add column taken_at timestamptz,
      add column requeued_at timestamptz,
      add column edits integer not null default 1`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table beds24_pending_changes
      drop column taken_at,
      drop column requeued_at,
      drop column edits`);
}
