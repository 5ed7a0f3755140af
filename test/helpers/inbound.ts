import { expect } from 'vitest';
import type { SyncWorld } from './sync_harness.ts';
import { ADMIN_TOKEN, WEBHOOK_TOKEN, type Json } from './test_app.ts';

/** The sandbox property's booking webhook pointed at the PMS under test, as Beds24 would be set up. */
export function useWebhooks(world: SyncWorld): void {
  world.sandbox.setPropertyWebhooks(world.beds24PropertyId, {
    url: `${world.app.baseUrl}/webhooks/beds24`,
    version: 'twoNoPersonalData',
    customHeader: `X-Webhook-Token: ${WEBHOOK_TOKEN}`,
  });
}

/** A booking made at a channel: Beds24 records it by itself (and sends the webhooks of it). */
export function channelBooking(world: SyncWorld, fields: Record<string, unknown>): number {
  const [result] = world.sandbox.addBookings(world.accountId, [
    {
      roomId: world.beds24RoomIds[0],
      status: 'confirmed',
      numAdult: 2,
      firstName: 'Olga',
      lastName: 'Channel',
      email: 'olga@example.org',
      channel: 'booking',
      apiReference: `BDC-${Math.floor(Math.random() * 1e9)}`,
      price: 300,
      ...fields,
    },
  ]);
  expect(result?.success, JSON.stringify(result)).toBe(true);
  return (result?.new as { id: number }).id;
}

export function modifyChannelBooking(world: SyncWorld, bookingId: number, changes: Record<string, unknown>): void {
  const result = world.sandbox.modifyBooking(world.accountId, bookingId, changes);
  expect(result.success, JSON.stringify(result)).toBe(true);
}

/** Every reservation of the property, through the REST API. */
export async function reservations(world: SyncWorld, query = ''): Promise<Json[]> {
  const all: Json[] = [];
  let cursor: string | null = null;
  do {
    const page: Json = await world.app.request(
      'GET',
      `/api/reservations?property_id=${world.propertyId}&limit=500${query}${cursor ? `&cursor=${cursor}` : ''}`,
    );
    expect(page.status).toBe(200);
    all.push(...page.body.data);
    cursor = page.body.next_cursor;
  } while (cursor !== null);
  return all;
}

/** The PMS reservations (one per unit) imported for a Beds24 booking. */
export async function reservationsOfBooking(world: SyncWorld, bookingId: number): Promise<Json[]> {
  const all = await reservations(world);
  return all
    .filter((r) => r.beds24_booking_id === bookingId && r.source === 'beds24')
    .sort((a, b) => a.beds24_unit - b.beds24_unit);
}

/** Polls `read` until `done` holds for its value, or fails after the deadline with the last value. */
export async function eventually<T>(
  read: () => T | Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** GET /bookings calls that read this booking by id. */
export function readsById(world: SyncWorld, bookingId: number): number {
  return world.sandbox.requests.filter(
    (r) =>
      r.method === 'GET' &&
      r.path === '/bookings' &&
      new URLSearchParams(r.query).getAll('id').includes(String(bookingId)),
  ).length;
}

/** GET /bookings calls that were pulls (no id). */
export function pulls(world: SyncWorld): Array<URLSearchParams> {
  return world.sandbox.requests
    .filter((r) => r.method === 'GET' && r.path === '/bookings')
    .map((r) => new URLSearchParams(r.query))
    .filter((q) => !q.has('id') && !q.has('searchString'));
}

export async function status(world: SyncWorld): Promise<Json> {
  const res = await world.app.request(
    'GET',
    `/api/admin/beds24/status?property_id=${world.propertyId}`,
    undefined,
    ADMIN_TOKEN,
  );
  expect(res.status).toBe(200);
  return res.body;
}
