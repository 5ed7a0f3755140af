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

/**
 * The pool a process needs: a running push holds one connection for its property's lock and, while it
 * calls Beds24, one for its account's credit gate, and makes its queries on a third; the rest serve HTTP
 * requests, the sweeps and the schedules. Smaller, pushes wait for connections while Beds24 answers.
 */
export function poolSizeFor(syncWorkers: number): number {
  return 3 * syncWorkers + 6;
}

/** `DATABASE_URL` when given; otherwise the embedded cluster under `DATA_DIR/postgres`, with a `pms` database. */
export async function openDatabase(env: Env, logger: Logger): Promise<OpenDatabase> {
  if (env.DATABASE_URL !== undefined) {
    const db = createDb({ url: env.DATABASE_URL, poolMax: poolSizeFor(env.SYNC_WORKERS) });
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
  const db = createDb({ url, poolMax: poolSizeFor(env.SYNC_WORKERS) });
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
