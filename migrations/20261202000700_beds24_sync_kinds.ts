import type { Knex } from 'knex';

const OTHER_KINDS = "'availability', 'rates', 'resync'";

/** Renames a kind of outbox change, rows already waiting included, and allows only the new name. */
async function renameKind(knex: Knex, from: string, to: string): Promise<void> {
  await knex.raw('alter table beds24_pending_changes drop constraint beds24_pending_changes_kind_check');
  await knex.raw('update beds24_pending_changes set kind = ? where kind = ?', [to, from]);
  await knex.raw(`
    alter table beds24_pending_changes add constraint beds24_pending_changes_kind_check
      check (kind in ('${to}', ${OTHER_KINDS}))`);
}

// One word per kind of sync, as the jobs already name them: the outbox says `reservations` too.
export async function up(knex: Knex): Promise<void> {
  await renameKind(knex, 'reservation', 'reservations');
}

export async function down(knex: Knex): Promise<void> {
  await renameKind(knex, 'reservations', 'reservation');
}
