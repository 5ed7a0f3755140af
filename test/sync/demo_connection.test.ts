import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDemoConnection } from '../../src/integrations/beds24/demo/demo_connection.ts';
import { NIGHTLY_CHECK_QUEUE } from '../../src/integrations/beds24/queue/queue_config.ts';
import { createBeds24Sandbox, type Beds24Sandbox } from '@pms/beds24-sandbox';
import { PGBOSS_SCHEMA } from '../../src/integrations/beds24/queue/sync_queue.ts';
import { createLogger } from '../../src/logger.ts';
import { seedDemoData } from '../../src/pms/demo_seed.ts';
import { fakeClock } from '../helpers/fake_clock.ts';
import { ADMIN_TOKEN, startTestApp, type TestApp } from '../helpers/test_app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/test_database.ts';

const HOUR = 3_600_000;
// Mid-morning in Berlin (the demo hotel's time zone) whatever the season, so 19 hours later is past 03:15 there.
const clock = fakeClock(new Date(`${new Date().toISOString().slice(0, 10)}T09:00:00Z`));
let database: TestDatabase;
let sandbox: Beds24Sandbox;
let app: TestApp;

beforeAll(async () => {
  database = await createTestDatabase();
  sandbox = createBeds24Sandbox({ clock: () => clock.now() });
  // No workers: no minute tick runs by itself, so only what connecting did can cover the property.
  app = await startTestApp(database, { beds24ApiUrl: await sandbox.listen(0), clock, workers: false });
});

afterAll(async () => {
  await app.close();
  await sandbox.close();
  await database.drop();
});

describe('demo mode on a first start', () => {
  it('connects the demo hotel, and the nightly check covers it from its first night', async () => {
    const logger = createLogger('silent');
    await seedDemoData(database.db, logger);
    await ensureDemoConnection({ db: database.db, sandbox, sync: app.sync, logger });
    const [property] = await database.db('properties').where({ name: 'Demo Hotel' }).select('id');
    const config = await app.request('GET', `/api/admin/beds24/config/${property.id}`, undefined, ADMIN_TOKEN);
    expect(config.body).toMatchObject({ connected: true, sync_enabled: true, push_sync_enabled: true });

    clock.advance(19 * HOUR);
    await app.sync.tick();
    const { rows } = await database.db.raw(
      `select state from ${PGBOSS_SCHEMA}.job where name = ? and singleton_key = ?`,
      [NIGHTLY_CHECK_QUEUE, property.id],
    );
    expect(rows).toEqual([{ state: 'created' }]);
  });
});
