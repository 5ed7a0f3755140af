import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYNC_KINDS } from '../../src/integrations/beds24/queue/job_kinds.ts';
import { addDays, todayIn } from '../../src/utils/dates.ts';
import { createReservation } from '../helpers/fixtures.ts';
import { bookingsOf, startSyncWorld, waitForIdle, type SyncWorld } from '../helpers/sync_harness.ts';
import { ADMIN_TOKEN } from '../helpers/test_app.ts';

let world: SyncWorld;
let base = 0;
const day = (n: number): string => addDays(todayIn('UTC', new Date()), n);

beforeAll(async () => {
  world = await startSyncWorld([{ name: 'double', units: 2 }]);
  await waitForIdle(world);
});

afterAll(async () => {
  await world.close();
});

async function status() {
  const path = `/api/admin/beds24/status?property_id=${world.propertyId}`;
  const res = await world.app.request('GET', path, undefined, ADMIN_TOKEN);
  expect(res.status).toBe(200);
  return res.body;
}

async function setToggle(column: 'sync_enabled' | 'push_sync_enabled', value: boolean): Promise<void> {
  await world.database
    .db('beds24_config')
    .where({ property_id: world.propertyId })
    .update({ [column]: value });
}

async function waitFor(what: string, condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * A day of edits while pushes are paused: a new booking, an earlier booking moved, a cheaper night. Answers
 * what Beds24 must show once they are pushed.
 */
async function editWhilePaused(pause: () => Promise<void>) {
  const [first, second] = world.rooms[0] as [string, string];
  base += 20;
  const earlier = await createReservation(world.app, first, { check_in: day(base), check_out: day(base + 2) });
  await waitForIdle(world);
  expect(bookingsOf(world.sandbox, earlier.id)).toHaveLength(1);

  await pause();
  world.sandbox.resetRequestLog();
  const fresh = await createReservation(world.app, second, { check_in: day(base + 5), check_out: day(base + 7) });
  const moved = await world.app.request('PATCH', `/api/reservations/${earlier.id}`, {
    check_in: day(base + 1),
    check_out: day(base + 4),
  });
  expect(moved.status).toBe(200);
  const night = day(base + 10);
  const rate = await world.app.request('PUT', `/api/rooms/${first}/rates`, { from: night, to: night, price: 61 });
  expect(rate.status).toBe(200);

  const paused = await status();
  expect(paused.queue_depth.reservations.pending_changes).toBe(2);
  expect(paused.queue_depth.availability.pending_changes).toBe(1);
  expect(paused.queue_depth.rates.pending_changes).toBe(1);
  expect(paused.paused).toBe(true);
  // Nothing is queued for a paused property, the sweeper leaves it alone, and a worker that runs anyway
  // leaves the changes where they are.
  expect(await world.app.sync.sweep()).toBe(0);
  for (const kind of SYNC_KINDS) {
    expect(paused.queue_depth[kind]).toMatchObject({ queued: 0, running: 0 });
    const job = { id: `by-hand-${kind}`, retryCount: 0 };
    expect(await world.app.sync.runJob({ kind, propertyId: world.propertyId }, job)).toBe('completed');
  }
  expect((await status()).queue_depth).toEqual(paused.queue_depth);
  expect(world.sandbox.requests.filter((r) => r.method !== 'GET' || r.path !== '/authentication/details')).toEqual([]);
  expect(bookingsOf(world.sandbox, fresh.id)).toEqual([]);

  return {
    inBeds24: (): boolean =>
      bookingsOf(world.sandbox, fresh.id).length === 1 &&
      bookingsOf(world.sandbox, earlier.id)[0]?.departure === day(base + 4) &&
      world.sandbox.calendar(world.beds24RoomIds[0]!, night, night)[0]?.price1 === 61,
  };
}

describe('edits while pushes are paused', () => {
  it.each(['push_sync_enabled', 'sync_enabled'] as const)(
    'are kept while %s is off in SQL and reach Beds24 once it is switched back on in SQL, with no other action',
    async (column) => {
      const edits = await editWhilePaused(() => setToggle(column, false));
      await setToggle(column, true);
      await waitFor('the paused edits in Beds24', edits.inBeds24);
      await waitForIdle(world);
      const resumed = await status();
      expect(resumed.paused).toBe(false);
      expect(resumed.failed_jobs).toBe(0);
    },
    30_000,
  );

  it('are kept while pushes are switched off through the API and pushed when switched on through it', async () => {
    const put = (push: boolean) =>
      world.app.request(
        'PUT',
        '/api/admin/beds24/config',
        { property_id: world.propertyId, beds24_property_id: world.beds24PropertyId, push_sync_enabled: push },
        ADMIN_TOKEN,
      );
    const edits = await editWhilePaused(async () => {
      expect((await put(false)).body).toMatchObject({ push_sync_enabled: false, connected: true });
    });
    expect((await put(true)).body).toMatchObject({ push_sync_enabled: true, connected: true });
    await waitFor('the paused edits in Beds24', edits.inBeds24);
    await waitForIdle(world);
    expect((await status()).paused).toBe(false);
  }, 30_000);
});
