import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../src/db.ts';
import { SYNC_QUEUE } from '../../src/integrations/beds24/queue/queue_config.ts';
import { SyncQueue } from '../../src/integrations/beds24/queue/sync_queue.ts';
import { recordChanges } from '../../src/integrations/beds24/store/outbox_store.ts';
import { createLogger } from '../../src/logger.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/test_database.ts';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database.drop();
});

describe('stopping the sync', () => {
  it('first sends the wake-up jobs of changes committed just before', async () => {
    const [property] = await database.db('properties').insert({ name: 'Stopping' }).returning('id');
    // A process of its own, as the command line is: its pool closes right after the sync stops.
    const db = createDb({ url: database.url, poolMax: 4 });
    const queue = new SyncQueue({ connectionString: database.url, db, logger: createLogger('silent') });
    await queue.start();
    // A slow wake-up: the send is still under way when the sync is asked to stop.
    const send = queue.send.bind(queue);
    queue.send = async (...args) => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      return send(...args);
    };
    await db.transaction(async (trx) => {
      await recordChanges(trx, property.id, [{ kind: 'availability', entityId: 'calendar' }]);
      queue.wakeAfterCommit(trx, property.id, ['availability']);
    });
    await queue.stop();
    await db.destroy();
    const jobs = await database.db.raw(
      `select count(*)::int as n from pgboss.job where name = ? and singleton_key = ?`,
      [SYNC_QUEUE, `availability:${property.id}`],
    );
    expect(jobs.rows[0].n).toBe(1);
  });
});
