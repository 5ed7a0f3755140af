import { afterEach, describe, expect, it } from 'vitest';
import type { InventoryModel } from '../src/index.ts';
import { startHarness, TODAY, type Harness } from './sandbox_harness.ts';

let h: Harness;
afterEach(async () => {
  await h.close();
});

const D1 = '2026-04-01';
const D2 = '2026-04-02';
const D3 = '2026-04-03';

const double = (): number => h.account.roomIds[0]!;
const single = (): number => h.account.roomIds[1]!;
const accountId = (): number => h.account.accountId;

function add(fields: Record<string, unknown>, options: { respectAvailability?: boolean } = {}) {
  const [result] = h.sandbox.addBookings(accountId(), [{ channel: 'booking', apiSourceId: 19, ...fields }], options);
  return result!;
}

function addOk(fields: Record<string, unknown>): number {
  const result = add(fields);
  expect(result).toMatchObject({ success: true });
  return result.new!.id as number;
}

const stored = (id: number) => h.sandbox.bookings().find((b) => b.id === id)!;

async function writeCalendar(roomId: number, values: Record<string, unknown>): Promise<void> {
  const body = [{ roomId, calendar: [{ from: D1, to: D1, ...values }] }];
  const res = await h.call('POST', '/inventory/rooms/calendar', { body });
  expect(res.body[0].success).toBe(true);
}

describe('channel bookings through the admin API', () => {
  it('stamps bookingTime and modifiedTime from the sandbox clock, each change and cancelTime on cancel', async () => {
    h = await startHarness();
    const channel = { apiReference: 'BDC-77', referer: 'B.com' };
    const id = addOk({ roomId: double(), arrival: D1, departure: D3, firstName: 'Ada', ...channel });
    expect(stored(id)).toMatchObject({
      bookingTime: '2026-03-10T10:00:00Z',
      modifiedTime: '2026-03-10T10:00:00Z',
      cancelTime: null,
      channel: 'booking',
      apiSourceId: 19,
      apiReference: 'BDC-77',
      referer: 'B.com',
    });

    h.clock.advanceSeconds(90);
    const changes = { arrival: D2, departure: '2026-04-05', roomId: single(), lastName: 'Lovelace' };
    const moved = h.sandbox.modifyBooking(accountId(), id, changes);
    expect(moved).toMatchObject({ success: true, modified: { id, ...changes } });
    expect(stored(id)).toMatchObject({ bookingTime: '2026-03-10T10:00:00Z', modifiedTime: '2026-03-10T10:01:30Z' });
    expect(stored(id).firstName).toBe('Ada');

    h.clock.advanceSeconds(30);
    const cancel = { status: 'cancelled', subStatus: 'cancelledByGuest' };
    const patched = await h.admin('PATCH', `/accounts/${accountId()}/bookings/${id}`, cancel);
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ success: true, modified: cancel });
    expect(stored(id)).toMatchObject({ status: 'cancelled', modifiedTime: '2026-03-10T10:02:00Z' });
    expect(stored(id).cancelTime).toBe('2026-03-10T10:02:00Z');

    h.clock.advanceSeconds(10);
    h.sandbox.modifyBooking(accountId(), id, { status: 'confirmed' });
    expect(stored(id)).toMatchObject({ status: 'confirmed', cancelTime: null, modifiedTime: '2026-03-10T10:02:10Z' });
  });

  it('keeps Beds24 second resolution: two changes in one second share modifiedTime and differ in content', async () => {
    h = await startHarness();
    const id = addOk({ roomId: double(), arrival: D1, departure: D2 });
    h.clock.advanceSeconds(5.2);
    h.sandbox.modifyBooking(accountId(), id, { departure: D3 });
    const first = { ...stored(id) };
    h.clock.advanceSeconds(0.5);
    h.sandbox.modifyBooking(accountId(), id, { numAdult: 2 });
    const second = stored(id);
    expect(first.modifiedTime).toBe('2026-03-10T10:00:05Z');
    expect(second.modifiedTime).toBe(first.modifiedTime);
    expect(second).not.toEqual(first);
  });

  it('answers per item over HTTP: modify by id in POST, delete by id, unknown ids fail', async () => {
    h = await startHarness();
    const created = await h.admin('POST', `/accounts/${accountId()}/bookings`, [
      { roomId: double(), arrival: D1, departure: D2, apiReference: 'A-1', channel: 'airbnb' },
      { roomId: double(), arrival: D2, departure: D3, apiReference: 'A-2', channel: 'airbnb' },
    ]);
    const [a, b] = (created.body as Array<{ new: { id: number } }>).map((r) => r.new.id);
    const modified = await h.admin('POST', `/accounts/${accountId()}/bookings`, { id: a, departure: D3 });
    expect(modified.body).toEqual([
      expect.objectContaining({ success: true, modified: expect.objectContaining({ id: a, departure: D3 }) }),
    ]);
    const deleted = await h.admin('DELETE', `/accounts/${accountId()}/bookings?id=${b}&id=5`);
    expect(deleted.body).toEqual([{ success: true, deleted: { id: b } }, expect.objectContaining({ success: false })]);
    expect(h.sandbox.bookings().map((x) => x.id)).toEqual([a]);
    const gone = await h.admin('PATCH', `/accounts/${accountId()}/bookings/${b}`, { status: 'cancelled' });
    expect(gone.body).toMatchObject({ success: false, errors: [{ field: 'id' }] });
    expect((await h.admin('DELETE', `/accounts/${accountId()}/bookings`)).status).toBe(400);
  });

  it('counts roomQty units and refuses roomQty 0', async () => {
    h = await startHarness();
    addOk({ roomId: double(), arrival: D1, departure: D2, roomQty: 2 });
    expect(h.sandbox.availability(double(), D1, D1)[0]).toMatchObject({ blockingUnits: 2, trulyFree: 0 });
    const none = add({ roomId: double(), arrival: D1, departure: D2, roomQty: 0 });
    expect(none).toMatchObject({ success: false, errors: [{ field: 'roomQty' }] });
    const seen = await h.call('GET', '/bookings');
    expect(seen.body.data[0].roomQty).toBe(2);
  });
});

describe('respectAvailability', () => {
  // Double room (qty 2): D1 written numAvail 1, D2 never written; a first booking takes one unit of D1 and D2.
  async function prepare(model: InventoryModel) {
    h = await startHarness({ sandbox: { inventoryModel: model } });
    await writeCalendar(double(), { numAvail: 1 });
  }

  it.each([
    // stored keeps publishing 1 and oversells; cap reads min(1, free) = 1 then 0; decrement reads 1 then 0.
    ['stored', 3],
    ['cap', 2],
    ['decrement', 1],
  ] as const)('%s: of three one-unit bookings on a night published 1, %i are accepted', async (model, accepted) => {
    await prepare(model);
    const booking = { roomId: double(), arrival: D1, departure: D2 };
    const results = [1, 2, 3].map(() => add(booking, { respectAvailability: true }));
    expect(results.filter((r) => r.success)).toHaveLength(accepted);
    for (const refused of results.filter((r) => !r.success)) expect(refused.errors![0]!.message).toContain(D1);
    expect(h.sandbox.bookings()).toHaveLength(accepted);
  });

  it('refuses extra units, a blackout night, a move into a full night; not a guest change', async () => {
    await prepare('cap');
    const respect = { respectAvailability: true };
    expect(add({ roomId: double(), arrival: D1, departure: D2, roomQty: 2, ...respect }).success).toBe(false);
    expect(add({ roomId: double(), arrival: D2, departure: D3, roomQty: 2, ...respect }).success).toBe(true);
    await writeCalendar(single(), { override: 'blackout' });
    expect(add({ roomId: single(), arrival: D1, departure: D2, respectAvailability: true }).success).toBe(false);
    expect(add({ roomId: single(), arrival: D1, departure: D2 }).success).toBe(true);

    const onD1 = addOk({ roomId: double(), arrival: D1, departure: D2 });
    const moved = h.sandbox.modifyBooking(accountId(), onD1, { departure: D3 }, { respectAvailability: true });
    expect(moved).toMatchObject({ success: false, errors: [{ field: 'roomId' }] });
    expect(moved.errors![0]!.message).toContain(D2);
    expect(stored(onD1).departure).toBe(D2);
    // An extra booking overbooks D1 behind its back; renaming the guest of the first must still go through.
    addOk({ roomId: double(), arrival: D1, departure: D2 });
    expect(h.sandbox.modifyBooking(accountId(), onD1, { lastName: 'Renamed' }, respect).success).toBe(true);
    expect(add({ roomId: double(), arrival: D1, departure: D2, respectAvailability: 'yes' })).toMatchObject({
      success: false,
      errors: [{ field: 'respectAvailability' }],
    });
  });

  it('is accepted as a query flag on the admin route', async () => {
    await prepare('decrement');
    const url = `/accounts/${accountId()}/bookings?respectAvailability=true`;
    expect((await h.admin('POST', url, { roomId: double(), arrival: D1, departure: D2 })).body[0].success).toBe(true);
    expect((await h.admin('POST', url, { roomId: double(), arrival: D1, departure: D2 })).body[0].success).toBe(false);
  });
});

describe('booking groups', () => {
  it('groups items with actions.makeGroup and shows bookingGroup with includeBookingGroup', async () => {
    h = await startHarness();
    const res = await h.call('POST', '/bookings', {
      body: [
        { roomId: double(), arrival: D1, departure: D2, actions: { makeGroup: true } },
        { roomId: single(), arrival: D1, departure: D2, actions: { makeGroup: true } },
        { roomId: single(), arrival: D2, departure: D3 },
      ],
    });
    const ids = (res.body as Array<{ new: { id: number } }>).map((r) => r.new.id);
    const [master, member, alone] = ids as [number, number, number];
    const seen = await h.call('GET', '/bookings?includeBookingGroup=true');
    const byId = (id: number) => seen.body.data.find((b: { id: number }) => b.id === id);
    expect(byId(master)).toMatchObject({ masterId: master, bookingGroup: { master, ids: [master, member] } });
    expect(byId(member)).toMatchObject({ masterId: master, bookingGroup: { master, ids: [master, member] } });
    expect(byId(alone)).toMatchObject({ masterId: null, bookingGroup: null });
    expect((await h.call('GET', '/bookings')).body.data[0].bookingGroup).toBeUndefined();
    const ofGroup = await h.call('GET', `/bookings?masterId=${master}`);
    expect(ofGroup.body.data.map((b: { id: number }) => b.id)).toEqual([master, member]);
  });

  it('joins and leaves a group through masterId and rejects an unknown master', async () => {
    h = await startHarness();
    const master = addOk({ roomId: double(), arrival: D1, departure: D2, apiReference: 'GRP' });
    const member = addOk({ roomId: double(), arrival: D1, departure: D2, apiReference: 'GRP', masterId: master });
    const view = async (id: number) => {
      const res = await h.call('GET', `/bookings?id=${id}&includeBookingGroup=true`);
      return res.body.data[0];
    };
    expect(await view(master)).toMatchObject({ masterId: null, bookingGroup: { master, ids: [master, member] } });
    expect(await view(member)).toMatchObject({ masterId: master, bookingGroup: { master, ids: [master, member] } });
    h.sandbox.modifyBooking(accountId(), member, { masterId: null });
    expect(await view(master)).toMatchObject({ bookingGroup: null });
    const orphan = add({ roomId: double(), arrival: D1, departure: D2, masterId: 123 });
    expect(orphan).toMatchObject({ success: false, errors: [{ field: 'masterId' }] });
  });
});

describe('GET /bookings filters an importer relies on', () => {
  function seed() {
    const first = addOk({ roomId: double(), arrival: D1, departure: D2, lastName: 'First' });
    const other = h.sandbox.createAccount({ properties: [{ name: 'Elsewhere', rooms: [{ name: 'R', qty: 1 }] }] });
    const theirs = { roomId: other.roomIds[0], arrival: D1, departure: D2, lastName: 'NotMine' };
    h.sandbox.addBookings(other.accountId, [theirs]);
    h.clock.advanceSeconds(600);
    const second = addOk({ roomId: single(), arrival: D2, departure: D3, lastName: 'Second' });
    h.clock.advanceSeconds(600);
    h.sandbox.modifyBooking(accountId(), first, { status: 'cancelled' });
    return { first, second };
  }

  const names = (res: { body: { data: Array<{ lastName: string }> } }) => res.body.data.map((b) => b.lastName);

  it('modifiedFrom is UTC and inclusive to the second; cancelled only when asked for', async () => {
    h = await startHarness();
    seed();
    // 10:10:00 UTC; Berlin (the property zone) would be 11:10 and match nothing if read as local time.
    expect(names(await h.call('GET', '/bookings?modifiedFrom=2026-03-10T10:10:00'))).toEqual(['Second']);
    const all = '&status=confirmed&status=request&status=new&status=cancelled&status=black&status=inquiry';
    expect(names(await h.call('GET', `/bookings?modifiedFrom=2026-03-10T10:10:00${all}`))).toEqual(['First', 'Second']);
    expect(names(await h.call('GET', `/bookings?modifiedFrom=2026-03-10T10:20:01${all}`))).toEqual([]);
    expect(names(await h.call('GET', `/bookings?modifiedFrom=2026-03-10T10:20:00${all}`))).toEqual(['First']);
    expect(names(await h.call('GET', '/bookings?status=cancelled'))).toEqual(['First']);
  });

  it('id may repeat and returns any status; propertyId and departureFrom narrow', async () => {
    h = await startHarness();
    const { first, second } = seed();
    expect(names(await h.call('GET', `/bookings?id=${first}&id=${second}`))).toEqual(['First', 'Second']);
    expect(names(await h.call('GET', `/bookings?propertyId=${h.account.propertyIds[0]}`))).toEqual(['Second']);
    expect(names(await h.call('GET', '/bookings?propertyId=1'))).toEqual([]);
    expect(names(await h.call('GET', `/bookings?departureFrom=${D3}`))).toEqual(['Second']);
    const withCancelled = await h.call('GET', `/bookings?departureFrom=${TODAY}&status=cancelled&status=confirmed`);
    expect(names(withCancelled)).toEqual(['First', 'Second']);
  });

  it('pages a filtered result with pages.nextPageExists', async () => {
    h = await startHarness({ sandbox: { pageSize: 1 } });
    seed();
    const query = '/bookings?modifiedFrom=2026-03-10T00:00:00&status=confirmed&status=cancelled';
    const page1 = await h.call('GET', query);
    expect(page1.body).toMatchObject({ count: 1, pages: { nextPageExists: true } });
    const page2 = await h.call('GET', `${query}&page=2`);
    expect(page2.body).toMatchObject({ count: 1, pages: { nextPageExists: false, nextPageLink: null } });
    expect([...names(page1), ...names(page2)]).toEqual(['First', 'Second']);
  });
});
