import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { createDb, withDatabase } from '../src/db.ts';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../src/db/embedded_postgres.ts';
import { migrateLatest } from '../src/db/migrate.ts';
import { SyncQueue } from '../src/integrations/beds24/queue/sync_queue.ts';
import { createLogger } from '../src/logger.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
    templateDatabase: string;
  }
}

/**
 * One PostgreSQL for the whole run (DATABASE_URL when set, else a throwaway embedded cluster) and one
 * migrated template database; every test file clones the template into a database of its own.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const logger = createLogger('warn');
  let embedded: EmbeddedPostgres | undefined;
  let clusterDir: string | undefined;
  let adminUrl = process.env.DATABASE_URL;
  if (adminUrl === undefined || adminUrl === '') {
    clusterDir = await mkdtemp(join(tmpdir(), 'pms-test-pg-'));
    // mkdtemp makes a private folder; as root the server runs as user postgres, who must reach the cluster.
    await chmod(clusterDir, 0o755);
    embedded = await startEmbeddedPostgres({
      dir: join(clusterDir, 'postgres'),
      logger,
      settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', max_connections: '400' },
    });
    adminUrl = embedded.url;
  }

  const template = `pms_test_template_${process.pid}_${Date.now()}`;
  const admin = createDb({ url: adminUrl, poolMax: 1 });
  await admin.raw('create database ??', [template]);
  const db = createDb({ url: withDatabase(adminUrl, template), poolMax: 1 });
  try {
    await migrateLatest(db);
    // pg-boss's schema and queues go into the template too, so each clone starts its queue quickly.
    const queue = new SyncQueue({ connectionString: withDatabase(adminUrl, template), db, logger });
    await queue.start();
    await queue.stop();
  } finally {
    await db.destroy();
  }

  project.provide('adminDatabaseUrl', adminUrl);
  project.provide('templateDatabase', template);

  return async () => {
    const { rows } = await admin.raw<{ rows: Array<{ datname: string }> }>(
      "select datname from pg_database where datname like 'pms_test_%' and datname like ?",
      [`%${process.pid}%`],
    );
    for (const { datname } of rows) await admin.raw('drop database if exists ?? with (force)', [datname]);
    await admin.destroy();
    await embedded?.stop();
    if (clusterDir) await rm(clusterDir, { recursive: true, force: true });
  };
}
