import { join } from 'node:path';
import type { Env } from '../config.ts';
import { createDb, withDatabase, type Knex } from '../db.ts';
import type { Logger } from '../logger.ts';
import { startEmbeddedPostgres } from './embedded_postgres.ts';

export interface OpenDatabase {
  db: Knex;
  url: string;
  embedded: boolean;
  close(): Promise<void>;
}

const EMBEDDED_DATABASE = 'pms';

/** `DATABASE_URL` when given; otherwise the embedded cluster under `DATA_DIR/postgres`, with a `pms` database. */
export async function openDatabase(env: Env, logger: Logger): Promise<OpenDatabase> {
  if (env.DATABASE_URL !== undefined) {
    const db = createDb({ url: env.DATABASE_URL });
    return { db, url: env.DATABASE_URL, embedded: false, close: () => db.destroy() };
  }
  const server = await startEmbeddedPostgres({ dir: join(env.DATA_DIR, 'postgres'), logger });
  const admin = createDb({ url: server.url, poolMax: 1 });
  try {
    const exists = await admin('pg_database')
      .where({ datname: EMBEDDED_DATABASE })
      .first<{ datname: string } | undefined>();
    if (!exists) await admin.raw('create database ??', [EMBEDDED_DATABASE]);
  } finally {
    await admin.destroy();
  }
  const url = withDatabase(server.url, EMBEDDED_DATABASE);
  const db = createDb({ url });
  return {
    db,
    url,
    embedded: true,
    close: async () => {
      await db.destroy();
      await server.stop();
    },
  };
}
