import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // One word per kind of sync, as the jobs already name them: the outbox says `reservations` too.
  await knex.raw('alter table beds24_pending_changes drop constraint beds24_pending_changes_kind_check');
  await knex.raw(`update beds24_pending_changes set kind = 'reservations' where kind = 'reservation'`);
  await knex.raw(`
    alter table beds24_pending_changes add constraint beds24_pending_changes_kind_check
      check (kind in ('reservations', 'availability', 'rates', 'resync'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('alter table beds24_pending_changes drop constraint beds24_pending_changes_kind_check');
  await knex.raw(`update beds24_pending_changes set kind = 'reservation' where kind = 'reservations'`);
  await knex.raw(`
    alter table beds24_pending_changes add constraint beds24_pending_changes_kind_check
      check (kind in ('reservation', 'availability', 'rates', 'resync'))`);
}
