import { afterEach, describe, expect, it } from 'vitest';
import { scriptedRandom, startHarness, type Harness } from './sandbox_harness.ts';

let h: Harness;
afterEach(async () => {
  await h.close();
});

const D1 = '2026-04-01';
const D2 = '2026-04-02';
const D3 = '2026-04-03';

const double = (): number => h.account.roomIds[0]!;
const accountId = (): number => h.account.accountId;

async function write(numAvail: number, from = D1, to = D2): Promise<void> {
  const body = [{ roomId: double(), calendar: [{ from, to, numAvail }] }];
  const res = await h.call('POST', '/inventory/rooms/calendar', { body });
  expect(res.body[0].success).toBe(true);
}

function channelBooking(arrival = D1, departure = D2): { id: number; bookingTime: string } {
  const [result] = h.sandbox.addBookings(accountId(), [{ roomId: double(), arrival, departure, channel: 'airbnb' }]);
  return { id: result!.new!.id as number, bookingTime: result!.new!.bookingTime as string };
}

describe('invariant recorder', () => {
  it('records a write above the truly free units, and not a correct one', async () => {
    h = await startHarness();
    const booking = channelBooking();
    await h.call('GET', '/bookings');
    h.clock.advanceSeconds(30);
    await write(1);
    expect(h.sandbox.invariantViolations()).toEqual([]);
    h.clock.advanceSeconds(30);
    await write(2);
    expect(h.sandbox.invariantViolations()).toEqual([
      {
        accountId: accountId(),
        roomId: double(),
        date: D1,
        written: 2,
        effective: 2,
        trulyFree: 1,
        at: '2026-03-10T10:01:00.000Z',
        bookings: [{ id: booking.id, bookingTime: '2026-03-10T10:00:00Z', modifiedTime: '2026-03-10T10:00:00Z' }],
        lastBookingsReadAt: '2026-03-10T10:00:00.000Z',
      },
    ]);
    expect((await h.admin('GET', '/invariant-violations')).body).toHaveLength(1);
    expect((await h.admin('DELETE', '/invariant-violations')).status).toBe(204);
    expect(h.sandbox.invariantViolations()).toEqual([]);
  });

  it('tells a race (booked after the last read) from an ignored booking (booked before it)', async () => {
    h = await startHarness();
    await h.call('GET', '/bookings');
    h.clock.advanceSeconds(10);
    const raced = channelBooking(D1, D2);
    h.clock.advanceSeconds(10);
    await write(2, D1, D1);
    const ignored = channelBooking(D2, D3);
    h.clock.advanceSeconds(10);
    await h.call('GET', '/bookings');
    h.clock.advanceSeconds(10);
    await write(2, D2, D2);

    const [race, ignoring] = h.sandbox.invariantViolations();
    expect(race).toMatchObject({ date: D1, lastBookingsReadAt: '2026-03-10T10:00:00.000Z' });
    expect(race!.bookings.map((b) => b.id)).toEqual([raced.id]);
    expect(Date.parse(race!.bookings[0]!.modifiedTime)).toBeGreaterThan(Date.parse(race!.lastBookingsReadAt!));
    expect(ignoring).toMatchObject({ date: D2, lastBookingsReadAt: '2026-03-10T10:00:30.000Z' });
    expect(ignoring!.bookings.map((b) => b.id)).toEqual([ignored.id]);
    expect(Date.parse(ignoring!.bookings[0]!.modifiedTime)).toBeLessThan(Date.parse(ignoring!.lastBookingsReadAt!));
    const lastRead = await h.admin('GET', `/accounts/${accountId()}/last-bookings-read`);
    expect(lastRead.body).toEqual({ lastBookingsReadAt: '2026-03-10T10:00:30.000Z' });
  });

  it('does not count a GET /bookings whose answer was lost as read', async () => {
    h = await startHarness({ sandbox: { random: scriptedRandom([0]) } });
    expect(h.sandbox.lastBookingsReadAt(accountId())).toBeNull();
    h.sandbox.setFaults({ dropRate: 1, onlyPaths: ['GET /bookings'] });
    await expect(h.call('GET', '/bookings')).rejects.toThrow();
    expect(h.sandbox.lastBookingsReadAt(accountId())).toBeNull();
  });

  it.each([
    ['stored', 1],
    ['cap', 0],
    ['decrement', 1],
  ] as const)('%s: a night written 2 on a room with one unit booked is flagged %i time(s)', async (model, count) => {
    h = await startHarness({ sandbox: { inventoryModel: model } });
    channelBooking(D1, D2);
    await write(2, D1, D1);
    expect(h.sandbox.invariantViolations()).toHaveLength(count);
  });

  it.each(['stored', 'cap', 'decrement'] as const)(
    '%s: an overbooked night written 0 is closed, not an excess; written 1 it is',
    async (model) => {
      h = await startHarness({ sandbox: { inventoryModel: model } });
      for (let i = 0; i < 3; i += 1) channelBooking(D1, D2);
      await write(0, D1, D1);
      expect(h.sandbox.invariantViolations()).toEqual([]);
      expect(h.sandbox.overPublished(double(), D1, D1)).toEqual([]);
      await write(1, D1, D1);
      const excess = model === 'cap' ? [] : [{ written: 1, trulyFree: -1 }];
      expect(h.sandbox.invariantViolations().map((v) => ({ written: v.written, trulyFree: v.trulyFree }))).toEqual(
        excess,
      );
    },
  );

  it('ignores admin calendar edits, nights written without numAvail and days before today', async () => {
    h = await startHarness();
    channelBooking('2026-03-08', D2);
    h.sandbox.editCalendar(double(), [{ from: D1, to: D1, numAvail: 2 }]);
    const prices = [{ roomId: double(), calendar: [{ from: D1, to: D1, price1: 10 }] }];
    await h.call('POST', '/inventory/rooms/calendar', { body: prices });
    await write(2, '2026-03-08', '2026-03-09');
    expect(h.sandbox.invariantViolations()).toEqual([]);
  });
});

describe('overPublished', () => {
  it.each([
    ['stored', [D1]],
    ['cap', []],
    ['decrement', []],
  ] as const)('%s: a channel booking after a correct write leaves over-published nights %j', async (model, nights) => {
    h = await startHarness({ sandbox: { inventoryModel: model } });
    await write(2, D1, D2);
    channelBooking(D1, D2);
    expect(h.sandbox.invariantViolations()).toEqual([]);
    expect(h.sandbox.overPublished(double(), D1, D3).map((n) => n.date)).toEqual(nights);
    const overHttp = await h.admin('GET', `/over-published?roomId=${double()}&from=${D1}&to=${D3}`);
    expect(overHttp.body.map((n: { date: string }) => n.date)).toEqual(nights);
  });

  it('reports qty, blocking units, written and effective values, and validates its range', async () => {
    h = await startHarness();
    await write(2, D1, D1);
    channelBooking(D1, D2);
    expect(h.sandbox.overPublished(double(), D1, D2)).toEqual([
      { date: D1, qty: 2, blockingUnits: 1, trulyFree: 1, written: 2, effective: 2, override: null },
    ]);
    expect((await h.admin('GET', `/availability?roomId=${double()}&from=${D1}&to=${D2}`)).body).toHaveLength(2);
    expect(() => h.sandbox.overPublished(double(), D2, D1)).toThrow(/from <= to/);
    expect((await h.admin('GET', `/over-published?roomId=${double()}&from=x&to=${D1}`)).status).toBe(400);
  });
});
