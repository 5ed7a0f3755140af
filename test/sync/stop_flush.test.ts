import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.ts';
import { createDb } from '../../src/db.ts';
import { Beds24Sync } from '../../src/integrations/beds24/beds24_sync.ts';
import { createLogger } from '../../src/logger.ts';
import { TEST_ENCRYPTION_KEY } from '../helpers/test_app.ts';
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
    const sync = new Beds24Sync({
      db,
      databaseUrl: database.url,
      beds24ApiUrl: 'http://127.0.0.1:9/v2',
      encryptionKey: TEST_ENCRYPTION_KEY,
      horizonDays: 30,
      logger: createLogger('silent'),
      clock: systemClock,
    });
    await sync.start({ workers: false });
    // A slow wake-up: the send is still under way when the sync is asked to stop.
    const send = sync.queue.send.bind(sync.queue);
    sync.queue.send = async (...args) => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      return send(...args);
    };
    await db.transaction((trx) => sync.jobs.queueAvailabilitySync(trx, property.id));
    await sync.stop();
    await db.destroy();
    const jobs = await database.db.raw(`select count(*)::int as n from pgboss.job where name = 'beds24-sync' and singleton_key = ?`, [`availability:${property.id}`]);
    expect(jobs.rows[0].n).toBe(1);
  });
});
