import knex, { type Knex } from 'knex';
import pg from 'pg';

export type { Knex };
export type Db = Knex | Knex.Transaction;

// Calendar dates stay 'YYYY-MM-DD' strings: pg would otherwise turn them into Dates at the host's midnight.
pg.types.setTypeParser(pg.types.builtins.DATE, (value: string) => value);
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value: string) => Number.parseFloat(value));
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number.parseInt(value, 10));

export interface DbOptions {
  url: string;
  poolMax?: number;
  applicationName?: string;
}

export function createDb({ url, poolMax = 10, applicationName = 'pms' }: DbOptions): Knex {
  return knex({
    client: 'pg',
    connection: { connectionString: url, application_name: applicationName },
    pool: { min: 0, max: poolMax },
    acquireConnectionTimeout: 30_000,
  });
}

/** The same server, another database: tests and the CLI use it to address a database by name. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
