import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYNC_QUEUE, singletonKeyFor } from '../../src/integrations/beds24/queue/queue_config.ts';
import { PGBOSS_SCHEMA } from '../../src/integrations/beds24/queue/sync_queue.ts';
import { addDays, todayIn } from '../../src/utils/dates.ts';
import { eventually } from '../helpers/inbound.ts';
import {
  databaseNow,
  startSyncWorld,
  waitForCompletedJob,
  waitForIdle,
  type SyncWorld,
} from '../helpers/sync_harness.ts';

let world: SyncWorld;
const day = (n: number): string => addDays(todayIn('UTC', new Date()), n);

async function ok(method: string, path: string, body: unknown): Promise<void> {
  const res = await world.app.request(method, path, body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

beforeAll(async () => {
  // Availability changes wait 1.5 s while a push runs: long enough that a rates job carrying one is seen
  // doing so before the availability job could.
  world = await startSyncWorld([{ name: 'double', units: 2, basePrice: 100 }], {
    horizonDays: 30,
    tuning: { debounceFactor: 1.5 },
  });
  await waitForIdle(world, 30_000);
}, 60_000);

afterAll(async () => {
  await world.close();
});

describe('a calendar run', () => {
  it('spends at the priority of the most urgent change it carries, whichever kind of job runs it', async () => {
    const room = world.rooms[0]![0]!;
    const roomId = world.beds24RoomIds[0]!;
    await ok('PATCH', `/api/rooms/${room}/housekeeping`, { housekeeping_status: 'out_of_order' });
    await waitForIdle(world);
    // A fresh window; one rate edit tells the credit gate what is left: too little for a rates push (which
    // must leave 5), enough for an availability push (which must leave 2).
    world.sandbox.setCreditWindow(world.accountId, { limit: 6, windowSeconds: 300 });
    await ok('PUT', `/api/rooms/${room}/rates`, { from: day(3), to: day(3), price: 90 });
    await waitForIdle(world);
    const remaining = world.sandbox.credits(world.accountId).remaining;
    expect(remaining).toBeGreaterThanOrEqual(4.2);
    expect(remaining).toBeLessThan(6);

    // The property is held, so the next rates job waits for it while the room comes back into service.
    const hold = await world.database.db.transaction();
    await hold.raw('select pg_advisory_xact_lock(hashtextextended(?, 0))', [
      `beds24-property-push:${world.propertyId}`,
    ]);
    const asked = await databaseNow(world);
    try {
      await ok('PUT', `/api/rooms/${room}/rates`, { from: day(4), to: day(4), price: 95 });
      await eventually(
        async () => {
          const { rows } = await world.database.db.raw(
            `select 1 from ${PGBOSS_SCHEMA}.job where name = ? and singleton_key = ? and state = 'active' and created_on >= ?`,
            [SYNC_QUEUE, singletonKeyFor('rates', world.propertyId), asked],
          );
          return rows.length;
        },
        (n) => n > 0,
      );
      await ok('PATCH', `/api/rooms/${room}/housekeeping`, { housekeeping_status: 'clean' });
      await hold.commit();
    } finally {
      if (!hold.isCompleted()) await hold.rollback();
    }
    await waitForCompletedJob(world, 'rates', asked);

    // The rates job carried the room's return and sent it at once, with the price, not at the reset.
    expect(world.sandbox.calendar(roomId, day(4), day(4))[0]).toMatchObject({ numAvail: 2, price1: 95 });
    await waitForIdle(world);
  }, 60_000);
});
