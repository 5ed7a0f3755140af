import { afterEach, describe, expect, it } from 'vitest';
import { createBeds24Sandbox, type Beds24Sandbox, type InventoryModel } from '../src/index.ts';
import { addDays } from '../src/dates.ts';
import { startHarness, type Harness } from './sandbox_harness.ts';

let h: Harness;
afterEach(async () => {
  await h.close();
});

const D1 = '2026-04-01';
const D2 = '2026-04-02';
const D3 = '2026-04-03';

const double = (): number => h.account.roomIds[0]!;
const single = (): number => h.account.roomIds[1]!;

async function writeNumAvail(roomId: number, from: string, to: string, numAvail: number): Promise<void> {
  const body = [{ roomId, calendar: [{ from, to, numAvail }] }];
  const res = await h.call('POST', '/inventory/rooms/calendar', { body });
  expect(res.body[0].success).toBe(true);
}

/** numAvail per night as GET /inventory/rooms/calendar reports it (undefined where it reports none). */
async function readNumAvail(roomId: number, from: string, to: string): Promise<Record<string, number | undefined>> {
  const query = `roomId=${roomId}&startDate=${from}&endDate=${to}&includeNumAvail=true`;
  const res = await h.call('GET', `/inventory/rooms/calendar?${query}`);
  expect(res.status).toBe(200);
  const out: Record<string, number | undefined> = {};
  for (const range of res.body.data[0].calendar as Array<{ from: string; to: string; numAvail: number }>) {
    for (let d = range.from; d <= range.to; d = addDays(d, 1)) out[d] = range.numAvail;
  }
  return out;
}

function channelBooking(fields: Record<string, unknown>): number {
  const [result] = h.sandbox.addBookings(h.account.accountId, [{ channel: 'booking', apiReference: 'BDC', ...fields }]);
  expect(result).toMatchObject({ success: true });
  return result!.new!.id as number;
}

interface Scenario {
  name: string;
  /** Runs after `numAvail` 2 was written on the double room (qty 2) for D1 and D2, and 1 on the single. */
  act(): Promise<void> | void;
  expected: Record<InventoryModel, { double: [number, number]; single?: number }>;
}

const scenarios: Scenario[] = [
  {
    name: 'a channel booking of one night',
    act: () => void channelBooking({ roomId: double(), arrival: D1, departure: D2 }),
    expected: { stored: { double: [2, 2] }, cap: { double: [1, 2] }, decrement: { double: [1, 2] } },
  },
  {
    name: 'a booking made through POST /bookings',
    act: async () => {
      const res = await h.call('POST', '/bookings', { body: [{ roomId: double(), arrival: D1, departure: D3 }] });
      expect(res.body[0].success).toBe(true);
    },
    expected: { stored: { double: [2, 2] }, cap: { double: [1, 1] }, decrement: { double: [1, 1] } },
  },
  {
    name: 'a booking of two units (roomQty 2)',
    act: () => void channelBooking({ roomId: double(), arrival: D1, departure: D2, roomQty: 2 }),
    expected: { stored: { double: [2, 2] }, cap: { double: [0, 2] }, decrement: { double: [0, 2] } },
  },
  {
    name: 'a booking then its cancellation',
    act: () => {
      const id = channelBooking({ roomId: double(), arrival: D1, departure: D2 });
      expect(h.sandbox.modifyBooking(h.account.accountId, id, { status: 'cancelled' }).success).toBe(true);
    },
    expected: { stored: { double: [2, 2] }, cap: { double: [2, 2] }, decrement: { double: [2, 2] } },
  },
  {
    name: 'a booking moved one night later',
    act: () => {
      const id = channelBooking({ roomId: double(), arrival: D1, departure: D2 });
      h.sandbox.modifyBooking(h.account.accountId, id, { arrival: D2, departure: D3 });
    },
    expected: { stored: { double: [2, 2] }, cap: { double: [2, 1] }, decrement: { double: [2, 1] } },
  },
  {
    name: 'a booking moved to another room',
    act: () => {
      const id = channelBooking({ roomId: double(), arrival: D1, departure: D2 });
      h.sandbox.modifyBooking(h.account.accountId, id, { roomId: single() });
    },
    expected: {
      stored: { double: [2, 2], single: 1 },
      cap: { double: [2, 2], single: 0 },
      decrement: { double: [2, 2], single: 0 },
    },
  },
  {
    name: 'a cancelled booking confirmed again',
    act: () => {
      const id = channelBooking({ roomId: double(), arrival: D1, departure: D2, status: 'cancelled' });
      h.sandbox.modifyBooking(h.account.accountId, id, { status: 'confirmed' });
    },
    expected: { stored: { double: [2, 2] }, cap: { double: [1, 2] }, decrement: { double: [1, 2] } },
  },
  {
    name: 'a booking deleted through DELETE /bookings',
    act: async () => {
      const id = channelBooking({ roomId: double(), arrival: D1, departure: D3 });
      expect((await h.call('DELETE', `/bookings?id=${id}`)).body[0].success).toBe(true);
    },
    expected: { stored: { double: [2, 2] }, cap: { double: [2, 2] }, decrement: { double: [2, 2] } },
  },
  {
    name: 'a booking deleted through the admin API',
    act: () => {
      const id = channelBooking({ roomId: double(), arrival: D1, departure: D3 });
      expect(h.sandbox.deleteBookings(h.account.accountId, [id])[0]!.success).toBe(true);
    },
    expected: { stored: { double: [2, 2] }, cap: { double: [2, 2] }, decrement: { double: [2, 2] } },
  },
  {
    name: 'an inquiry, which blocks nothing',
    act: () => void channelBooking({ roomId: double(), arrival: D1, departure: D3, status: 'inquiry' }),
    expected: { stored: { double: [2, 2] }, cap: { double: [2, 2] }, decrement: { double: [2, 2] } },
  },
  {
    name: 'a booking, then the same numAvail written again',
    act: async () => {
      channelBooking({ roomId: double(), arrival: D1, departure: D2 });
      await writeNumAvail(double(), D1, D1, 2);
    },
    expected: { stored: { double: [2, 2] }, cap: { double: [1, 2] }, decrement: { double: [2, 2] } },
  },
];

describe.each(['stored', 'cap', 'decrement'] as const)('inventory model %s', (model) => {
  it.each(scenarios)('after numAvail was written: $name', async (scenario) => {
    h = await startHarness({ sandbox: { inventoryModel: model } });
    await writeNumAvail(double(), D1, D2, 2);
    await writeNumAvail(single(), D1, D1, 1);
    await scenario.act();
    const expected = scenario.expected[model];
    const doubleSeen = await readNumAvail(double(), D1, D2);
    expect([doubleSeen[D1], doubleSeen[D2]]).toEqual(expected.double);
    expect(h.sandbox.calendar(double(), D1, D2).map((d) => d.numAvail)).toEqual(expected.double);
    expect(h.sandbox.availability(double(), D1, D2).map((n) => n.effective)).toEqual(expected.double);
    if (expected.single !== undefined) expect((await readNumAvail(single(), D1, D1))[D1]).toBe(expected.single);
  });
});

describe('inventory models', () => {
  it.each([
    ['stored', 0],
    ['cap', 0],
    ['decrement', -1],
  ] as const)('%s: a booking on a night written 0 leaves numAvail %i (may go negative)', async (model, expected) => {
    h = await startHarness({ sandbox: { inventoryModel: model } });
    await writeNumAvail(single(), D1, D1, 0);
    channelBooking({ roomId: single(), arrival: D1, departure: D2 });
    const [night] = h.sandbox.availability(single(), D1, D1);
    expect(night).toMatchObject({ written: expected, effective: expected, trulyFree: 0 });
    expect((await readNumAvail(single(), D1, D1))[D1]).toBe(expected);
  });

  it('reads a night never written as qty minus blocking units, and GET still omits it', async () => {
    h = await startHarness({ sandbox: { inventoryModel: 'decrement' } });
    channelBooking({ roomId: double(), arrival: D1, departure: D2 });
    expect(h.sandbox.availability(double(), D1, D2)).toEqual([
      { date: D1, qty: 2, blockingUnits: 1, trulyFree: 1, written: null, effective: 1, override: null },
      { date: D2, qty: 2, blockingUnits: 0, trulyFree: 2, written: null, effective: 2, override: null },
    ]);
    expect(await readNumAvail(double(), D1, D2)).toEqual({});
    expect(h.sandbox.calendar(double(), D1, D1)).toEqual([{ date: D1 }]);
  });

  it('is set at creation, per account and at runtime, and reported by method and admin route', async () => {
    h = await startHarness({ sandbox: { inventoryModel: 'cap' } });
    const accountId = h.account.accountId;
    expect(h.account.inventoryModel).toBe('cap');
    expect(h.sandbox.inventoryModel(accountId)).toBe('cap');
    const other = h.sandbox.createAccount({ inventoryModel: 'decrement', properties: [] });
    expect(other.inventoryModel).toBe('decrement');
    const reported = await h.admin('GET', `/accounts/${other.accountId}/inventory-model`);
    expect(reported.body).toEqual({ accountId: other.accountId, model: 'decrement' });

    await writeNumAvail(double(), D1, D1, 2);
    channelBooking({ roomId: double(), arrival: D1, departure: D2 });
    expect((await readNumAvail(double(), D1, D1))[D1]).toBe(1);
    const changed = await h.admin('PUT', `/accounts/${accountId}/inventory-model`, { model: 'stored' });
    expect(changed.body).toEqual({ accountId, model: 'stored' });
    expect(h.sandbox.inventoryModel(accountId)).toBe('stored');
    expect((await readNumAvail(double(), D1, D1))[D1]).toBe(2);
    expect(h.sandbox.inventoryModel(other.accountId)).toBe('decrement');

    expect((await h.admin('PUT', `/accounts/${accountId}/inventory-model`, { model: 'magic' })).status).toBe(400);
    expect(() => h.sandbox.setInventoryModel(accountId, 'magic' as InventoryModel)).toThrow(/inventory model/);
    expect((await h.admin('PUT', '/accounts/1/inventory-model', { model: 'cap' })).status).toBe(404);
  });

  it('defaults to stored', () => {
    const sandbox: Beds24Sandbox = createBeds24Sandbox();
    const { accountId } = sandbox.createAccount({});
    expect(sandbox.inventoryModel(accountId)).toBe('stored');
    expect(() => createBeds24Sandbox({ inventoryModel: 'other' as InventoryModel })).toThrow(/inventoryModel/);
    h = { close: () => sandbox.close() } as Harness;
  });
});
