import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, TODAY, type Harness } from './sandbox_harness.ts';

let h: Harness;
afterEach(async () => {
  await h.close();
});

const room = (): number => h.account.roomIds[0]!;

async function post(items: unknown[]) {
  const res = await h.call('POST', '/inventory/rooms/calendar', { body: items });
  expect(res.status).toBe(201);
  return res.body as Array<Record<string, any>>;
}

describe('POST /inventory/rooms/calendar', () => {
  it('treats `to` as inclusive', async () => {
    h = await startHarness();
    const [result] = await post([
      { roomId: room(), calendar: [{ from: '2026-04-01', to: '2026-04-03', price1: 120, numAvail: 2 }] },
    ]);
    expect(result).toMatchObject({ success: true, roomId: room() });
    expect(h.sandbox.calendar(room(), '2026-03-31', '2026-04-04')).toEqual([
      { date: '2026-03-31' },
      { date: '2026-04-01', price1: 120, numAvail: 2 },
      { date: '2026-04-02', price1: 120, numAvail: 2 },
      { date: '2026-04-03', price1: 120, numAvail: 2 },
      { date: '2026-04-04' },
    ]);
  });

  it('updates partially: omitted fields keep their value, null removes one', async () => {
    h = await startHarness();
    await post([
      {
        roomId: room(),
        calendar: [
          {
            from: '2026-04-01',
            to: '2026-04-02',
            price1: 100,
            minStay: 2,
            maxStay: 7,
            channels: { airbnb: { maxBookings: 1 }, booking: { maxBookings: 2 } },
          },
        ],
      },
    ]);
    await post([
      {
        roomId: room(),
        calendar: [
          {
            from: '2026-04-02',
            to: '2026-04-02',
            numAvail: 0,
            maxStay: null,
            channels: { airbnb: { maxBookings: null } },
          },
        ],
      },
    ]);
    expect(h.sandbox.calendar(room(), '2026-04-01', '2026-04-02')).toEqual([
      {
        date: '2026-04-01',
        price1: 100,
        minStay: 2,
        maxStay: 7,
        channels: { airbnb: { maxBookings: 1 }, booking: { maxBookings: 2 } },
      },
      { date: '2026-04-02', price1: 100, minStay: 2, numAvail: 0, channels: { booking: { maxBookings: 2 } } },
    ]);
  });

  it('skips days before today in the property time zone with a warning', async () => {
    // 23:30 UTC on the 9th is already the 10th in Berlin.
    h = await startHarness({ start: '2026-03-09T23:30:00Z' });
    const [result] = await post([{ roomId: room(), calendar: [{ from: '2026-03-07', to: '2026-03-11', price1: 80 }] }]);
    expect(result!.success).toBe(true);
    expect(result!.warnings).toEqual([
      expect.objectContaining({
        action: 'process inventory rooms calendar',
        message: expect.stringContaining('2026-03-09'),
      }),
    ]);
    expect(h.sandbox.calendar(room(), '2026-03-08', '2026-03-11')).toEqual([
      { date: '2026-03-08' },
      { date: '2026-03-09' },
      { date: TODAY, price1: 80 },
      { date: '2026-03-11', price1: 80 },
    ]);
  });

  it('drops a range reaching past today + 720 days whole, fails the item, and still applies its other ranges', async () => {
    h = await startHarness();
    const lastDay = '2028-02-28'; // 2026-03-10 + 720 days
    const [result, other] = await post([
      {
        roomId: room(),
        calendar: [
          { from: '2026-04-01', to: '2026-04-01', price1: 90 },
          { from: '2028-02-20', to: '2028-03-01', price1: 95 },
          { from: '2028-02-27', to: lastDay, price1: 99 },
        ],
      },
      { roomId: h.account.roomIds[1], calendar: [{ from: '2026-04-01', to: '2026-04-01', minStay: 3 }] },
    ]);
    expect(result!.success).toBe(false);
    expect(result!.warnings).toEqual([expect.objectContaining({ message: 'invalid dates' })]);
    expect(result!.errors).toBeUndefined();
    expect(other!.success).toBe(true);
    expect(h.sandbox.calendar(room(), '2026-04-01', '2026-04-01')).toEqual([{ date: '2026-04-01', price1: 90 }]);
    expect(h.sandbox.calendar(room(), '2028-02-25', '2028-02-29')).toEqual([
      { date: '2028-02-25' },
      { date: '2028-02-26' },
      { date: '2028-02-27', price1: 99 },
      { date: lastDay, price1: 99 },
      { date: '2028-02-29' },
    ]);
  });

  it('fails an item for an unknown room, a room of another account or a schema violation', async () => {
    h = await startHarness();
    const other = h.sandbox.createAccount({ properties: [{ name: 'Other', rooms: [{ name: 'R', qty: 1 }] }] });
    const results = await post([
      { roomId: 1, calendar: [{ from: '2026-04-01', to: '2026-04-01', price1: 1 }] },
      { roomId: other.roomIds[0], calendar: [{ from: '2026-04-01', to: '2026-04-01', price1: 1 }] },
      { roomId: room(), calendar: [{ from: '2026-04-01', to: '2026-04-01', minStay: 0 }] },
      { roomId: room(), calendar: [{ from: '2026-04-02', to: '2026-04-02', override: 'blackout' }] },
    ]);
    expect(results.map((r) => r.success)).toEqual([false, false, false, true]);
    expect(results[0]!.errors[0].field).toBe('roomId');
    expect(results[2]!.errors).toEqual([expect.objectContaining({ field: 'calendar.0.minStay' })]);
    expect(h.sandbox.calendar(other.roomIds[0]!, '2026-04-01', '2026-04-01')).toEqual([{ date: '2026-04-01' }]);
    expect(h.sandbox.calendar(room(), '2026-04-01', '2026-04-02')).toEqual([
      { date: '2026-04-01' },
      { date: '2026-04-02', override: 'blackout' },
    ]);
  });

  it('reopens a blackout at the free units when numAvail is not sent', async () => {
    h = await startHarness();
    await h.call('POST', '/bookings', { body: [{ roomId: room(), arrival: '2026-04-01', departure: '2026-04-02' }] });
    await post([
      { roomId: room(), calendar: [{ from: '2026-04-01', to: '2026-04-01', override: 'blackout', numAvail: 0 }] },
    ]);
    await post([{ roomId: room(), calendar: [{ from: '2026-04-01', to: '2026-04-01', override: 'none' }] }]);
    expect(h.sandbox.calendar(room(), '2026-04-01', '2026-04-01')).toEqual([
      { date: '2026-04-01', override: 'none', numAvail: 1 },
    ]);
  });

  it('answers 400 to a body that is not an array', async () => {
    h = await startHarness();
    const res = await h.call('POST', '/inventory/rooms/calendar', { body: { roomId: room() } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ success: false, code: 400 });
  });
});

describe('GET /inventory/rooms/calendar', () => {
  it('merges equal consecutive days into ranges and returns only the included fields', async () => {
    h = await startHarness();
    const [double, single] = h.account.roomIds;
    await post([
      {
        roomId: double,
        calendar: [
          { from: '2026-04-01', to: '2026-04-03', price1: 100, numAvail: 2, minStay: 1 },
          { from: '2026-04-04', to: '2026-04-04', price1: 120, numAvail: 2, minStay: 1 },
          { from: '2026-04-06', to: '2026-04-06', price1: 120, numAvail: 2, minStay: 1 },
        ],
      },
      { roomId: single, calendar: [{ from: '2026-04-02', to: '2026-04-02', minStay: 2 }] },
    ]);
    const res = await h.call(
      'GET',
      `/inventory/rooms/calendar?startDate=2026-04-01&endDate=2026-04-10&roomId=${double}&roomId=${single}&includeNumAvail=true`,
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ success: true, type: 'calendar', pages: { nextPageExists: false } });
    expect(res.body.data).toEqual([
      {
        roomId: double,
        propertyId: h.account.propertyIds[0],
        calendar: [
          { from: '2026-04-01', to: '2026-04-04', numAvail: 2 },
          { from: '2026-04-06', to: '2026-04-06', numAvail: 2 },
        ],
      },
      { roomId: single, propertyId: h.account.propertyIds[0], calendar: [] },
    ]);

    const prices = await h.call(
      'GET',
      `/inventory/rooms/calendar?startDate=2026-04-02&endDate=2026-04-05&roomId=${double}&includePrices=true&includeMinStay=true`,
    );
    expect(prices.body.data[0].calendar).toEqual([
      { from: '2026-04-02', to: '2026-04-03', price1: 100, minStay: 1 },
      { from: '2026-04-04', to: '2026-04-04', price1: 120, minStay: 1 },
    ]);
  });

  it('returns empty calendars without an include flag and filters by property', async () => {
    h = await startHarness();
    await post([{ roomId: room(), calendar: [{ from: '2026-04-01', to: '2026-04-01', price1: 1 }] }]);
    const res = await h.call(
      'GET',
      `/inventory/rooms/calendar?startDate=2026-04-01&endDate=2026-04-01&propertyId=${h.account.propertyIds[0]}`,
    );
    expect(res.body.data.map((r: { calendar: unknown[] }) => r.calendar)).toEqual([[], []]);
    const none = await h.call(
      'GET',
      '/inventory/rooms/calendar?startDate=2026-04-01&endDate=2026-04-01&propertyId=1&includePrices=true',
    );
    expect(none.body.data).toEqual([]);
  });

  it('answers 400 for missing or malformed dates', async () => {
    h = await startHarness();
    expect((await h.call('GET', '/inventory/rooms/calendar?endDate=2026-04-01')).status).toBe(400);
    const bad = await h.call('GET', '/inventory/rooms/calendar?startDate=01/04/2026&endDate=2026-04-01');
    expect(bad.body.error).toBe('Parameter startDate is in an invalid format. Expected format: YYYY-MM-DD');
  });
});
