import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createProperty, createRoom, fingerprint } from '../helpers/fixtures.ts';
import { callsTo, startSyncWorld, waitForIdle, type SyncWorld } from '../helpers/sync_harness.ts';
import { ADMIN_TOKEN } from '../helpers/test_app.ts';

let world: SyncWorld;
/** A Beds24 room id that no sandbox account has. */
let noSuchRoom: number;

beforeAll(async () => {
  world = await startSyncWorld([
    { name: 'double', units: 1 },
    { name: 'suite', units: 1 },
  ]);
  await waitForIdle(world);
  noSuchRoom = Math.max(...world.beds24RoomIds) + 1000;
});

afterAll(async () => {
  await world.close();
});

afterEach(() => {
  world.sandbox.clearFaults();
});

const patchRoom = (id: string, body: Record<string, unknown>) => world.app.request('PATCH', `/api/rooms/${id}`, body);
const admin = (method: string, path: string, body?: unknown) => world.app.request(method, path, body, ADMIN_TOKEN);
type Beds24PropertyView = ReturnType<SyncWorld['sandbox']['createAccount']>['properties'][number];

/** The request's answer, after checking that it changed nothing the PMS or the config holds. */
async function rejected(method: string, path: string, body: unknown, token?: string) {
  await waitForIdle(world);
  const before = await fingerprint(world.database.db);
  const res = await world.app.request(method, path, body, token);
  expect(res.status, JSON.stringify(res.body)).toBe(400);
  expect(res.body.error.code).toBe('validation_failed');
  expect(await fingerprint(world.database.db)).toEqual(before);
  return res.body.error.details as Array<{ path: string; message: string }>;
}

/** Makes the next unknown id ask Beds24 again, as if the last question was over a minute ago. */
async function forgetLastQuestion(propertyId: string): Promise<void> {
  await world.database
    .db('beds24_room_catalog')
    .where({ property_id: propertyId })
    .update({ asked_at: new Date(Date.now() - 120_000), fetched_at: new Date(Date.now() - 120_000) });
}

describe('mapping a room to a Beds24 room', () => {
  it('refuses a Beds24 room the connected account does not have, on create and on patch, naming it', async () => {
    const [[double], [suite]] = world.rooms as [[string], [string]];
    const rooms = [...world.beds24RoomIds].sort((a, b) => a - b).join(', ');
    const cause = `Beds24 property ${world.beds24PropertyId} has no room ${noSuchRoom} (its rooms: ${rooms})`;

    const patch = await rejected('PATCH', `/api/rooms/${double}`, { beds24_room_id: noSuchRoom, name: 'Garden' });
    expect(patch).toEqual([{ path: 'beds24_room_id', message: cause }]);
    const create = await rejected('POST', '/api/rooms', {
      property_id: world.propertyId,
      number: 'X1',
      room_type: 'double',
      base_price: 90,
      max_occupancy: 2,
      beds24_room_id: noSuchRoom,
    });
    expect(create).toEqual([{ path: 'beds24_room_id', message: cause }]);

    const [first, second] = world.beds24RoomIds as [number, number];
    const moved = await patchRoom(suite, { beds24_room_id: first });
    expect(moved.status).toBe(200);
    expect(moved.body.beds24_room_id).toBe(first);
    const added = await createRoom(world.app, world.propertyId, { number: 'X2', beds24_room_id: second });
    expect(added.beds24_room_id).toBe(second);
    await patchRoom(suite, { beds24_room_id: second });
  });

  it('asks Beds24 at most once a minute per property, whatever the staff type', async () => {
    const [[double]] = world.rooms as [[string]];
    await forgetLastQuestion(world.propertyId);
    world.sandbox.resetRequestLog();
    for (const id of [noSuchRoom + 1, noSuchRoom + 2, noSuchRoom + 3]) {
      const details = await rejected('PATCH', `/api/rooms/${double}`, { beds24_room_id: id });
      expect(details[0]?.message).toContain(`has no room ${id}`);
    }
    // Rooms Beds24 listed are accepted without asking it.
    expect((await patchRoom(double, { beds24_room_id: world.beds24RoomIds[1] })).status).toBe(200);
    expect((await patchRoom(double, { beds24_room_id: world.beds24RoomIds[0] })).status).toBe(200);
    expect(callsTo(world.sandbox, 'GET', '/properties')).toBe(1);

    await forgetLastQuestion(world.propertyId);
    await rejected('PATCH', `/api/rooms/${double}`, { beds24_room_id: noSuchRoom });
    expect(callsTo(world.sandbox, 'GET', '/properties')).toBe(2);
  });

  it('when Beds24 cannot answer, accepts a room it listed before and refuses another, saying why', async () => {
    const [[double]] = world.rooms as [[string]];
    await forgetLastQuestion(world.propertyId);
    world.sandbox.setFaults({ errorRate: 1, onlyPaths: ['GET /properties'] });
    const unknown = await rejected('PATCH', `/api/rooms/${double}`, { beds24_room_id: noSuchRoom });
    expect(unknown[0]?.path).toBe('beds24_room_id');
    expect(unknown[0]?.message).toContain('Beds24 could not be asked');
    const again = await rejected('PATCH', `/api/rooms/${double}`, { beds24_room_id: noSuchRoom + 1 });
    expect(again[0]?.message).toContain('Beds24 could not be asked');
    expect((await patchRoom(double, { beds24_room_id: world.beds24RoomIds[1] })).status).toBe(200);
    await patchRoom(double, { beds24_room_id: world.beds24RoomIds[0] });
  });

  it('accepts any id for a property that is not connected, and checks its rooms when it connects', async () => {
    const annex = await createProperty(world.app, { timezone: 'UTC' });
    const account = world.sandbox.createAccount({
      properties: [
        { name: 'Annex', rooms: [{ name: 'twin', qty: 2 }] },
        { name: 'Annex East', rooms: [{ name: 'loft', qty: 1 }] },
      ],
    });
    const [annexBeds24, eastBeds24] = account.properties as [Beds24PropertyView, Beds24PropertyView];
    const twin = annexBeds24.rooms[0]!.id;
    const good = await createRoom(world.app, annex.id, { number: 'A1', beds24_room_id: twin });
    const bad = await createRoom(world.app, annex.id, { number: 'A2', beds24_room_id: noSuchRoom });
    const alsoBad = await createRoom(world.app, annex.id, { number: 'A3' });
    expect((await patchRoom(alsoBad.id, { beds24_room_id: noSuchRoom + 7 })).status).toBe(200);

    const connect = {
      property_id: annex.id,
      beds24_property_id: annexBeds24.id,
      invite_code: world.sandbox.createInviteCode(account.accountId),
    };
    const refused = await rejected('PUT', '/api/admin/beds24/config', connect, ADMIN_TOKEN);
    expect(refused).toHaveLength(1);
    expect(refused[0]!.path).toBe('beds24_room_id');
    expect(refused[0]!.message).toContain(`A2 (${noSuchRoom}), A3 (${noSuchRoom + 7})`);
    expect(refused[0]!.message).toContain(`its rooms: ${twin}`);
    expect((await admin('GET', `/api/admin/beds24/config/${annex.id}`)).status).toBe(404);

    // Fixed, the same request connects (the invite code it already spent is not asked for again).
    for (const room of [bad, alsoBad]) await patchRoom(room.id, { beds24_room_id: null });
    const connected = await admin('PUT', '/api/admin/beds24/config', connect);
    expect(connected.status, JSON.stringify(connected.body)).toBe(200);
    expect(connected.body).toMatchObject({ beds24_property_id: annexBeds24.id, connected: true });
    await waitForIdle(world);
    // The room list read while connecting is what mappings are checked against: no call to Beds24.
    world.sandbox.resetRequestLog();
    expect((await patchRoom(bad.id, { beds24_room_id: twin })).status).toBe(200);
    expect(callsTo(world.sandbox, 'GET', '/properties')).toBe(0);
    const loft = eastBeds24.rooms[0]!.id;
    const details = await rejected('PATCH', `/api/rooms/${alsoBad.id}`, { beds24_room_id: loft });
    expect(details[0]?.message).toBe(`Beds24 property ${annexBeds24.id} has no room ${loft} (its rooms: ${twin})`);
    expect(good.beds24_room_id).toBe(twin);
  });
});

describe('changing the Beds24 property of a connected property without new credentials', () => {
  it('checks the new one with the stored token and refuses one it cannot reach, changing nothing', async () => {
    const elsewhere = { name: 'Elsewhere', rooms: [{ name: 'single', qty: 1 }] };
    const foreign = world.sandbox.createAccount({ properties: [elsewhere] });
    for (const beds24PropertyId of [999_999, foreign.properties[0]!.id]) {
      const body = { property_id: world.propertyId, beds24_property_id: beds24PropertyId };
      const details = await rejected('PUT', '/api/admin/beds24/config', body, ADMIN_TOKEN);
      const message = `Beds24 property ${beds24PropertyId} is not reachable with the stored credentials`;
      expect(details).toEqual([{ path: 'beds24_property_id', message }]);
    }
    const config = await admin('GET', `/api/admin/beds24/config/${world.propertyId}`);
    expect(config.body).toMatchObject({ beds24_property_id: world.beds24PropertyId, connected: true });
  });

  it('makes no call to Beds24 when the Beds24 property stays the same', async () => {
    await waitForIdle(world);
    world.sandbox.resetRequestLog();
    const body = { property_id: world.propertyId, beds24_property_id: world.beds24PropertyId, sync_enabled: true };
    const same = await admin('PUT', '/api/admin/beds24/config', body);
    expect(same.status).toBe(200);
    expect(same.body).toMatchObject({ beds24_property_id: world.beds24PropertyId, connected: true });
    expect(world.sandbox.requests).toEqual([]);
  });

  it('accepts another property the stored token reaches, once no room is mapped to a room it lacks', async () => {
    const account = world.sandbox.createAccount({
      properties: [
        { name: 'North', rooms: [{ name: 'twin', qty: 1 }] },
        { name: 'South', rooms: [{ name: 'loft', qty: 1 }] },
      ],
    });
    const [north, south] = account.properties as [Beds24PropertyView, Beds24PropertyView];
    const hotel = await createProperty(world.app, { timezone: 'UTC' });
    const room = await createRoom(world.app, hotel.id, { number: 'N1', beds24_room_id: north.rooms[0]!.id });
    const invite = world.sandbox.createInviteCode(account.accountId);
    const toNorth = { property_id: hotel.id, beds24_property_id: north.id, invite_code: invite };
    const connect = await admin('PUT', '/api/admin/beds24/config', toNorth);
    expect(connect.status).toBe(200);

    const toSouth = { property_id: hotel.id, beds24_property_id: south.id };
    const mapped = await rejected('PUT', '/api/admin/beds24/config', toSouth, ADMIN_TOKEN);
    expect(mapped[0]?.path).toBe('beds24_room_id');
    expect(mapped[0]?.message).toContain(`N1 (${north.rooms[0]!.id})`);
    expect((await patchRoom(room.id, { beds24_room_id: null })).status).toBe(200);
    const moved = await admin('PUT', '/api/admin/beds24/config', toSouth);
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body).toMatchObject({ beds24_property_id: south.id, connected: true });
    expect((await patchRoom(room.id, { beds24_room_id: south.rooms[0]!.id })).status).toBe(200);
  });

  it('accepts any Beds24 property for a property not connected yet (checked when credentials come)', async () => {
    const later = await createProperty(world.app, { timezone: 'UTC' });
    world.sandbox.resetRequestLog();
    const res = await admin('PUT', '/api/admin/beds24/config', { property_id: later.id, beds24_property_id: 424_242 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ beds24_property_id: 424_242, connected: false });
    // Nothing asked of Beds24 about it (the other properties' pushes may still be finishing).
    const checks = world.sandbox.requests.filter(
      (r) => r.path === '/properties' || r.path.startsWith('/authentication'),
    );
    expect(checks).toEqual([]);
  });
});
