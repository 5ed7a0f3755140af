import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { createDb, withDatabase, type Knex } from '../../src/db.ts';

export interface TestDatabase {
  db: Knex;
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A fresh, migrated database of its own for one test file, cloned from the run's template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject('adminDatabaseUrl');
  const template = inject('templateDatabase');
  const name = `${template}_${randomBytes(4).toString('hex')}`;
  const admin = createDb({ url: adminUrl, poolMax: 1 });
  try {
    await cloneWithRetry(admin, name, template);
  } finally {
    await admin.destroy();
  }
  const url = withDatabase(adminUrl, name);
  const db = createDb({ url, poolMax: 20 });
  return {
    db,
    url,
    name,
    drop: async () => {
      await db.destroy();
      const dropper = createDb({ url: adminUrl, poolMax: 1 });
      await dropper.raw('drop database if exists ?? with (force)', [name]);
      await dropper.destroy();
    },
  };
}

// Two clones of one template at the same instant can collide on the template's lock; a retry settles it.
async function cloneWithRetry(admin: Knex, name: string, template: string): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await admin.raw('create database ?? template ??', [name, template]);
      return;
    } catch (error) {
      if (attempt >= 20 || !/being accessed by other users/.test(String(error))) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
}
