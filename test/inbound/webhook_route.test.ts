import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, WEBHOOK_TOKEN, type Json } from '../helpers/test_app.ts';
import { startSyncWorld, type SyncWorld } from '../helpers/sync_harness.ts';

let world: SyncWorld;

beforeAll(async () => {
  world = await startSyncWorld([{ name: 'double', units: 2 }], { workers: false });
});

afterAll(async () => {
  await world?.close();
});

interface Delivery {
  status: number;
  body: Json;
}

async function deliver(
  body: unknown,
  {
    token = WEBHOOK_TOKEN,
    via = 'header',
    raw,
  }: { token?: string | null; via?: 'header' | 'query'; raw?: string } = {},
): Promise<Delivery> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  let path = '/webhooks/beds24';
  if (token !== null && via === 'header') headers['X-Webhook-Token'] = token;
  if (token !== null && via === 'query') path += `?token=${encodeURIComponent(token)}`;
  const res = await fetch(`${world.app.baseUrl}${path}`, {
    method: 'POST',
    headers,
    body: raw ?? JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : JSON.parse(text) };
}

function bookingWebhook(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    timeStamp: '2027-05-01T10:00:00Z',
    booking: {
      id: 70001,
      propertyId: world.beds24PropertyId,
      roomId: world.beds24RoomIds[0],
      status: 'confirmed',
      arrival: '2027-06-01',
      departure: '2027-06-03',
      numAdult: 2,
      numChild: 0,
      modifiedTime: '2027-05-01T10:00:00Z',
      firstName: 'Secret',
      lastName: 'Guestname',
      email: 'secret.guest@example.org',
      ...fields,
    },
    infoItems: [],
    retries: 0,
  };
}

const inbox = (): Promise<Json[]> => world.database.db('beds24_webhook_inbox').orderBy('id').select('*');

describe('POST /webhooks/beds24', () => {
  it('stores a booking delivery (ids, status, modifiedTime only) and answers 202 at once', async () => {
    const before = (await inbox()).length;
    const res = await deliver(bookingWebhook());
    expect(res).toEqual({ status: 202, body: { status: 'accepted' } });
    const rows = await inbox();
    expect(rows).toHaveLength(before + 1);
    const row = rows.at(-1);
    expect(row).toMatchObject({
      property_id: world.propertyId,
      kind: 'booking',
      beds24_property_id: world.beds24PropertyId,
      beds24_booking_id: 70001,
      beds24_room_id: world.beds24RoomIds[0],
      status: 'confirmed',
      modified_time: '2027-05-01T10:00:00Z',
      processed_at: null,
    });
    expect(JSON.stringify(rows)).not.toMatch(/Secret|Guestname|secret\.guest/);
  });

  it('takes the token from the query too, and the inventory webhook', async () => {
    const before = (await inbox()).length;
    const body = { roomId: world.beds24RoomIds[0], propId: world.beds24PropertyId, ownerId: 5, action: 'SYNC_ROOM' };
    expect((await deliver(body, { via: 'query' })).status).toBe(202);
    const row = (await inbox()).at(-1);
    expect((await inbox()).length).toBe(before + 1);
    expect(row).toMatchObject({ kind: 'inventory', beds24_booking_id: null, beds24_room_id: world.beds24RoomIds[0] });
  });

  it.each([
    ['no token', null],
    ['a wrong token', 'wrong-token-wrong-token'],
    ['the token with a character more', `${WEBHOOK_TOKEN}x`],
    ['the API bearer token', 'test-api-token'],
  ])('refuses %s with 401 and stores nothing', async (_label, token) => {
    const before = await inbox();
    const res = await deliver(bookingWebhook(), { token });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthorized');
    expect(await inbox()).toEqual(before);
  });

  it('checks the token before reading the body: a wrong token with 2 MB or broken JSON is a 401', async () => {
    const big = JSON.stringify({ booking: { padding: 'x'.repeat(2_000_000) } });
    expect((await deliver(undefined, { token: 'wrong-token-wrong-token', raw: big })).status).toBe(401);
    expect((await deliver(undefined, { token: null, raw: '{"booking": ' })).status).toBe(401);
  });

  it('answers 413 for a body over 1 MB, storing nothing', async () => {
    const before = await inbox();
    const res = await deliver(bookingWebhook({ comments: 'x'.repeat(1_100_000) }));
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
    expect(await inbox()).toEqual(before);
  });

  it.each<[string, () => unknown, string]>([
    ['an array', () => [bookingWebhook()], 'body'],
    ['a string', () => 'hello', 'body'],
    ['an empty object', () => ({}), 'booking'],
    ['a booking that is not an object', () => ({ booking: 5 }), 'booking'],
    ['a booking without an id', () => bookingWebhook({ id: undefined }), 'booking.id'],
    ['a booking id as text', () => bookingWebhook({ id: '70001' }), 'booking.id'],
    ['a negative property id', () => bookingWebhook({ propertyId: -1 }), 'booking.propertyId'],
    ['no roomId', () => bookingWebhook({ roomId: undefined }), 'booking.roomId'],
    ['a status that is a number', () => bookingWebhook({ status: 1 }), 'booking.status'],
    ['an invalid arrival', () => bookingWebhook({ arrival: '2027-02-30' }), 'booking.arrival'],
    ['a modifiedTime that is no time', () => bookingWebhook({ modifiedTime: 'yesterday' }), 'booking.modifiedTime'],
    ['an inventory webhook of another action', () => ({ roomId: 1, propId: 2, action: 'DELETE_ROOM' }), 'action'],
    ['an inventory webhook without propId', () => ({ roomId: 1, action: 'SYNC_ROOM' }), 'propId'],
  ])('refuses %s with 400 naming the field, storing nothing', async (_label, body, path) => {
    const before = await inbox();
    const res = await deliver(body());
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    expect(await inbox()).toEqual(before);
  });

  it('refuses a body that is not JSON with 400', async () => {
    const res = await deliver(undefined, { raw: 'status=new&bookid=1' });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].path).toBe('body');
  });

  it('accepts and ignores (stores nothing) a delivery for a Beds24 property that is not connected', async () => {
    const before = await inbox();
    const res = await deliver(bookingWebhook({ propertyId: world.beds24PropertyId + 999 }));
    expect(res).toEqual({ status: 202, body: { status: 'accepted' } });
    expect(await inbox()).toEqual(before);
  });

  it('accepts and ignores deliveries while the property pulls are off; stores them again once on', async () => {
    const config = (pull: boolean) =>
      world.app.request(
        'PUT',
        '/api/admin/beds24/config',
        { property_id: world.propertyId, beds24_property_id: world.beds24PropertyId, pull_sync_enabled: pull },
        ADMIN_TOKEN,
      );
    const off = await config(false);
    expect(off.status).toBe(200);
    expect(off.body.pull_sync_enabled).toBe(false);
    const before = await inbox();
    expect((await deliver(bookingWebhook({ id: 70002 }))).status).toBe(202);
    expect(await inbox()).toEqual(before);
    expect((await config(true)).body.pull_sync_enabled).toBe(true);
    expect((await deliver(bookingWebhook({ id: 70002 }))).status).toBe(202);
    expect((await inbox()).length).toBe(before.length + 1);
  });

  it('counts deliveries by outcome in beds24_webhooks_total', async () => {
    const res = await fetch(`${world.app.baseUrl}/metrics`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    const text = await res.text();
    for (const outcome of ['accepted', 'unauthorized', 'invalid', 'ignored']) {
      const value = new RegExp(`^beds24_webhooks_total\\{outcome="${outcome}"\\} (\\d+)`, 'm').exec(text)?.[1];
      expect(Number(value), outcome).toBeGreaterThan(0);
    }
  });
});
