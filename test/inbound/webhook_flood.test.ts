import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayIn } from '../../src/utils/dates.ts';
import { channelBooking, eventually, readsById, reservationsOfBooking, useWebhooks } from '../helpers/inbound.ts';
import { startSyncWorld, type SyncWorld } from '../helpers/sync_harness.ts';
import { WEBHOOK_TOKEN } from '../helpers/test_app.ts';

const INTERVAL = 8;
let world: SyncWorld;
const day = (n: number): string => addDays(todayIn('UTC', new Date()), n);

beforeAll(async () => {
  world = await startSyncWorld([{ name: 'double', units: 2 }], { pullIntervalSeconds: INTERVAL, intervalPulls: false });
  useWebhooks(world);
  // The full import of the connect is done: what follows arrives by webhook only.
  await eventually(
    () => world.database.db('beds24_pull_state').where({ property_id: world.propertyId }).first(),
    (state) => state?.last_pull_at != null,
  );
});

afterAll(async () => {
  await world?.close();
});

async function deliver(booking: Record<string, unknown>): Promise<number> {
  const res = await fetch(`${world.app.baseUrl}/webhooks/beds24`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-webhook-token': WEBHOOK_TOKEN },
    body: JSON.stringify({ booking: { propertyId: world.beds24PropertyId, status: 'confirmed', ...booking } }),
  });
  return res.status;
}

const unprocessed = async (): Promise<number> =>
  Number((await world.database.db('beds24_webhook_inbox').whereNull('processed_at').count({ n: '*' }).first())?.n);

const readTimes = (bookingId: number): number[] =>
  world.sandbox.requests
    .filter((r) => r.path === '/bookings' && new URLSearchParams(r.query).getAll('id').includes(String(bookingId)))
    .map((r) => Date.parse(r.time));

describe('a flood of valid-token deliveries', () => {
  it('for one booking costs at most one Beds24 read per pull interval', async () => {
    const id = channelBooking(world, { arrival: day(10), departure: day(12) });
    await eventually(
      () => reservationsOfBooking(world, id),
      (list) => list.length === 1,
    );
    expect(readsById(world, id)).toBe(1);
    const stay = { id, roomId: world.beds24RoomIds[0], arrival: day(10), departure: day(12) };
    // 150 deliveries claiming ever newer versions, within a couple of seconds.
    const base = Date.now();
    for (let wave = 0; wave < 15; wave += 1) {
      const statuses = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          deliver({ ...stay, modifiedTime: new Date(base + (wave * 10 + i) * 1000).toISOString().slice(0, 19) }),
        ),
      );
      expect(statuses.every((status) => status === 202)).toBe(true);
    }
    await eventually(unprocessed, (n) => n === 0, 30_000);
    const reads = readTimes(id);
    expect(reads).toHaveLength(2);
    expect((reads[1] as number) - (reads[0] as number)).toBeGreaterThanOrEqual(INTERVAL * 1000);
    expect(await reservationsOfBooking(world, id)).toHaveLength(1);
  }, 60_000);

  it('naming 60 unknown bookings of a mapped room costs a few batched reads, each booking one per interval', async () => {
    const ids = Array.from({ length: 60 }, (_, i) => 90_000_000 + i);
    const named = new Set(ids.map(String));
    const batches = (): number =>
      world.sandbox.requests.filter(
        (r) => r.path === '/bookings' && new URLSearchParams(r.query).getAll('id').some((id) => named.has(id)),
      ).length;
    const send = () =>
      Promise.all(
        ids.map((id) =>
          deliver({ id, roomId: world.beds24RoomIds[0], arrival: day(3), departure: day(4), modifiedTime: now() }),
        ),
      );
    const now = (): string => new Date().toISOString().slice(0, 19);
    // Deliveries still arriving while the first read runs go into a second batch: what is bounded is one read
    // per booking per interval, and far fewer reads than bookings.
    await send();
    await eventually(unprocessed, (n) => n === 0);
    const firstRound = batches();
    expect(firstRound).toBeLessThanOrEqual(3);
    for (const id of ids) expect(readTimes(id)).toHaveLength(1);
    await send();
    await eventually(unprocessed, (n) => n === 0, 30_000);
    expect(batches() - firstRound).toBeLessThanOrEqual(3);
    for (const id of ids) {
      expect(readTimes(id)).toHaveLength(2);
      const [first, second] = readTimes(id);
      expect((second as number) - (first as number)).toBeGreaterThanOrEqual(INTERVAL * 1000);
    }
  }, 60_000);

  it('naming bookings of a Beds24 room no PMS room maps to costs no read', async () => {
    const modifiedTime = new Date().toISOString().slice(0, 19);
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        deliver({ id: 91_000_000 + i, roomId: 999_999, arrival: day(3), departure: day(4), modifiedTime }),
      ),
    );
    await eventually(unprocessed, (n) => n === 0);
    for (let i = 0; i < 30; i += 1) expect(readTimes(91_000_000 + i)).toEqual([]);
  });
});
