import type { Knex } from 'knex';
import { DirectoryMigrationSource } from './src/db/migrate.ts';

/**
 * For the knex CLI against a server you run yourself (`DATABASE_URL=... npx knex migrate:status`).
 * The app applies migrations on its own at start, and `npm run migrate` also covers the embedded database.
 */
const config: Knex.Config = {
  client: 'pg',
  connection: process.env.DATABASE_URL,
  migrations: { migrationSource: new DirectoryMigrationSource() },
};

export default config;
