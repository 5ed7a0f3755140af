import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // The hotel's local date the calendar was last brought up for, and the local date of the last nightly check.
  await knex.raw('alter table beds24_config add column calendar_date date, add column nightly_run_on date');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('alter table beds24_config drop column calendar_date, drop column nightly_run_on');
}
