import { afterEach, describe, expect, it } from 'vitest';
import { validateSchema } from '../src/openapi/openapi_schemas.ts';
import { startHarness, TODAY, type Harness } from './sandbox_harness.ts';

let h: Harness;
afterEach(async () => {
  await h.close();
});

const double = (): number => h.account.roomIds[0]!;
const single = (): number => h.account.roomIds[1]!;

async function create(items: unknown[]) {
  const res = await h.call('POST', '/bookings', { body: items });
  expect(res.status).toBe(201);
  return res.body as Array<Record<string, any>>;
}

describe('POST /bookings', () => {
  it('creates, updates and cancels in one array, storing every writable field', async () => {
    h = await startHarness();
    const [first] = await create([
      { roomId: double(), arrival: '2026-04-01', departure: '2026-04-03', firstName: 'Ada', custom1: 'pms:1' },
    ]);
    const existingId = first!.new.id as number;

    const results = await create([
      {
        roomId: single(),
        status: 'new',
        arrival: '2026-04-05',
        departure: '2026-04-07',
        numAdult: 2,
        numChild: 1,
        title: 'Dr',
        firstName: 'Grace',
        lastName: 'Hopper',
        email: 'grace@example.com',
        mobile: '+49 170 000',
        notes: 'late arrival',
        comments: 'quiet room',
        price: 199.9,
        refererEditable: 'PMS',
        custom10: 'x',
        infoItems: [{ code: 'PMS', text: 'res_2' }],
      },
      { id: existingId, departure: '2026-04-04', lastName: 'Lovelace' },
      { id: existingId, status: 'cancelled' },
    ]);
    expect(results.map((r) => r.success)).toEqual([true, true, true]);
    expect(results[0]!.new.id).toBeGreaterThanOrEqual(70_000_001);
    expect(results[1]!.modified).toMatchObject({
      id: existingId,
      departure: '2026-04-04',
      lastName: 'Lovelace',
      firstName: 'Ada',
    });
    for (const result of results) expect(validateSchema('multiplePostResponse', result)).toEqual({ ok: true });

    const stored = h.sandbox.bookings(h.account.accountId);
    const created = stored.find((b) => b.id === results[0]!.new.id)!;
    expect(created).toMatchObject({
      propertyId: h.account.propertyIds[0],
      roomId: single(),
      status: 'new',
      numAdult: 2,
      numChild: 1,
      title: 'Dr',
      email: 'grace@example.com',
      notes: 'late arrival',
      comments: 'quiet room',
      price: 199.9,
      refererEditable: 'PMS',
      custom10: 'x',
      bookingTime: '2026-03-10T10:00:00Z',
      modifiedTime: '2026-03-10T10:00:00Z',
      cancelTime: null,
    });
    expect(created.infoItems).toEqual([
      { id: expect.any(Number), bookingId: created.id, code: 'PMS', text: 'res_2', createTime: '2026-03-10T10:00:00Z' },
    ]);
    const cancelled = stored.find((b) => b.id === existingId)!;
    expect(cancelled).toMatchObject({
      status: 'cancelled',
      departure: '2026-04-04',
      custom1: 'pms:1',
      cancelTime: '2026-03-10T10:00:00Z',
    });
  });

  it('rejects only the item that violates the schema and applies the others', async () => {
    h = await startHarness();
    const results = await create([
      { roomId: double(), arrival: '2026-04-01', departure: '2026-04-02', firstName: 'x'.repeat(101) },
      { roomId: double(), arrival: '2026-04-01', departure: '2026-04-02', email: 'broken' },
      { roomId: double(), arrival: '2026-04-01', departure: '2026-04-02', firstName: 'Fine' },
      { arrival: '2026-04-01', departure: '2026-04-02' },
      'not an object',
    ]);
    expect(results.map((r) => r.success)).toEqual([false, false, true, false, false]);
    expect(results[0]!.errors).toEqual([
      { action: 'new booking', field: 'firstName', message: expect.stringContaining('100') },
    ]);
    expect(results[1]!.errors).toEqual([expect.objectContaining({ field: 'email' })]);
    expect(results[3]!.errors).toEqual([expect.objectContaining({ field: 'roomId' })]);
    expect(h.sandbox.bookings().map((b) => b.firstName)).toEqual(['Fine']);
  });

  it('ignores fields outside the schema and warns about them', async () => {
    h = await startHarness();
    const [result] = await create([
      { roomId: double(), arrival: '2026-04-01', departure: '2026-04-02', apiReference: 'PMS-1', propertyId: 5 },
    ]);
    expect(result!.success).toBe(true);
    expect(result!.warnings.map((w: { field: string }) => w.field).sort()).toEqual(['apiReference', 'propertyId']);
    const [stored] = h.sandbox.bookings();
    expect(stored!.apiReference).toBe('');
    expect(stored!.propertyId).toBe(h.account.propertyIds[0]);
  });

  it('refuses a create under checkAvailability when a night has no unit left', async () => {
    h = await startHarness();
    await create([{ roomId: single(), arrival: '2026-04-02', departure: '2026-04-03', status: 'confirmed' }]);
    await create([{ roomId: single(), arrival: '2026-04-10', departure: '2026-04-11', status: 'inquiry' }]);
    const results = await create([
      { roomId: single(), arrival: '2026-04-01', departure: '2026-04-04', actions: { checkAvailability: true } },
      { roomId: single(), arrival: '2026-04-03', departure: '2026-04-05', actions: { checkAvailability: true } },
      { roomId: single(), arrival: '2026-04-10', departure: '2026-04-11', actions: { checkAvailability: true } },
      { roomId: single(), arrival: '2026-04-01', departure: '2026-04-04' },
    ]);
    expect(results.map((r) => r.success)).toEqual([false, true, true, true]);
    expect(results[0]!.errors[0].message).toContain('2026-04-02');
    expect(h.sandbox.bookings()).toHaveLength(5);
  });

  it('rejects an update of a booking of another account and bad date orders', async () => {
    h = await startHarness();
    const other = h.sandbox.createAccount({ properties: [{ name: 'Other', rooms: [{ name: 'R', qty: 1 }] }] });
    const [theirs] = h.sandbox.addBookings(other.accountId, [
      { roomId: other.roomIds[0], arrival: '2026-04-01', departure: '2026-04-02' },
    ]);
    const theirId = theirs!.new!.id as number;
    const results = await create([
      { id: theirId, status: 'cancelled' },
      { roomId: other.roomIds[0], arrival: '2026-04-01', departure: '2026-04-02' },
      { roomId: double(), arrival: '2026-04-02', departure: '2026-04-02' },
    ]);
    expect(results.map((r) => r.success)).toEqual([false, false, false]);
    expect(results[0]!.errors[0].field).toBe('id');
    expect(results[1]!.errors[0].field).toBe('roomId');
    expect(h.sandbox.bookings(other.accountId)[0]!.status).toBe('confirmed');
  });

  it('answers 400 to a body that is not an array, and to invalid JSON, without charging', async () => {
    h = await startHarness();
    const object = await h.call('POST', '/bookings', { body: { roomId: double() } });
    expect(object.status).toBe(400);
    expect(object.body).toMatchObject({ success: false, type: 'error', code: 400 });
    const broken = await h.call('POST', '/bookings', { rawBody: '[{"roomId":' });
    expect(broken.status).toBe(400);
    expect(h.sandbox.creditsSpent(h.account.accountId)).toBe(0);
  });

  it('adds, modifies and deletes info items by id', async () => {
    h = await startHarness();
    const [created] = await create([
      {
        roomId: double(),
        arrival: '2026-04-01',
        departure: '2026-04-02',
        infoItems: [
          { code: 'A', text: '1' },
          { code: 'B', text: '2' },
        ],
      },
    ]);
    const [a, b] = created!.new.infoItems as Array<{ id: number }>;
    const [updated] = await create([
      {
        id: created!.new.id,
        infoItems: [{ id: a!.id, text: 'changed' }, { id: b!.id }, { code: 'C', text: '3' }, { id: 1 }],
      },
    ]);
    expect(updated!.success).toBe(false);
    expect(updated!.errors).toEqual([expect.objectContaining({ field: 'infoItems.3.id' })]);
    expect(h.sandbox.bookings()[0]!.infoItems.map((i) => [i.code, i.text])).toEqual([
      ['A', 'changed'],
      ['C', '3'],
    ]);
  });
});

describe('GET /bookings', () => {
  async function seed() {
    h.clock.advanceSeconds(-3 * 86_400);
    h.sandbox.addBookings(h.account.accountId, [
      { roomId: double(), arrival: '2026-03-01', departure: '2026-03-05', lastName: 'Past' },
    ]);
    h.clock.advanceSeconds(3 * 86_400);
    const results = h.sandbox.addBookings(h.account.accountId, [
      { roomId: double(), arrival: '2026-03-08', departure: TODAY, lastName: 'DepartsToday', status: 'new' },
      {
        roomId: double(),
        arrival: '2026-04-01',
        departure: '2026-04-03',
        lastName: 'Future',
        email: 'future@example.com',
        infoItems: [{ code: 'PMS', text: 'x' }],
      },
      { roomId: single(), arrival: '2026-04-01', departure: '2026-04-03', lastName: 'Cancelled', status: 'cancelled' },
      {
        roomId: single(),
        arrival: '2026-05-01',
        departure: '2026-05-03',
        lastName: 'Request',
        status: 'request',
        apiReference: 'HMQZ123',
      },
    ]);
    return results.map((r) => r.new!.id as number);
  }

  const names = (res: { body: { data: Array<{ lastName: string }> } }) => res.body.data.map((b) => b.lastName);

  it('hides past and cancelled bookings by default', async () => {
    h = await startHarness();
    await seed();
    const res = await h.call('GET', '/bookings');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      success: true,
      type: 'booking',
      count: 3,
      pages: { nextPageExists: false, nextPageLink: null },
    });
    expect(names(res)).toEqual(['DepartsToday', 'Future', 'Request']);
    expect(res.body.data[0].infoItems).toBeUndefined();
  });

  it('reads repeated status params and rejects a comma-joined list', async () => {
    h = await startHarness();
    await seed();
    expect(names(await h.call('GET', '/bookings?status=cancelled&status=request'))).toEqual(['Cancelled', 'Request']);
    expect(names(await h.call('GET', '/bookings?status=cancelled'))).toEqual(['Cancelled']);
    const comma = await h.call('GET', '/bookings?status=new,confirmed');
    expect(comma.status).toBe(400);
    expect(comma.body).toMatchObject({
      success: false,
      type: 'error',
      code: 400,
      error: expect.stringContaining('status'),
    });
  });

  it('returns bookings by id in any status and date', async () => {
    h = await startHarness();
    await seed();
    const all = h.sandbox.bookings().map((b) => b.id);
    const past = all[0]!;
    const cancelled = h.sandbox.bookings().find((b) => b.status === 'cancelled')!.id;
    const res = await h.call('GET', `/bookings?id=${past}&id=${cancelled}&includeInfoItems=true`);
    expect(names(res)).toEqual(['Past', 'Cancelled']);
    expect(res.body.data[0].infoItems).toEqual([]);
  });

  it('filters by room, property, dates, modification time and search string', async () => {
    h = await startHarness();
    await seed();
    expect(names(await h.call('GET', `/bookings?roomId=${single()}`))).toEqual(['Request']);
    expect(
      names(
        await h.call(
          'GET',
          `/bookings?propertyId=${h.account.propertyIds[0]}&arrivalFrom=2026-03-01&arrivalTo=2026-04-01`,
        ),
      ),
    ).toEqual(['Past', 'DepartsToday', 'Future']);
    expect(names(await h.call('GET', '/bookings?arrival=2026-04-01'))).toEqual(['Future']);
    expect(names(await h.call('GET', '/bookings?departureFrom=2026-04-03&departureTo=2026-05-03'))).toEqual([
      'Future',
      'Request',
    ]);
    expect(names(await h.call('GET', '/bookings?modifiedFrom=2026-03-09T00:00:00'))).toEqual([
      'DepartsToday',
      'Future',
      'Request',
    ]);
    expect(names(await h.call('GET', '/bookings?searchString=FUTURE@example'))).toEqual(['Future']);
    expect(names(await h.call('GET', '/bookings?searchString=hmqz'))).toEqual(['Request']);
    expect(names(await h.call('GET', '/bookings?apiReference=HMQZ123'))).toEqual(['Request']);
  });

  it('answers 400 naming the parameter when a date is malformed', async () => {
    h = await startHarness();
    const bad = await h.call('GET', '/bookings?arrivalFrom=P90D');
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({
      success: false,
      type: 'error',
      code: 400,
      error: 'Parameter arrivalFrom is in an invalid format. Expected format: YYYY-MM-DD',
    });
    expect((await h.call('GET', '/bookings?modifiedFrom=yesterday')).status).toBe(400);
    expect((await h.call('GET', '/bookings?id=1,2')).status).toBe(400);
  });

  it('pages with a link to the next page', async () => {
    h = await startHarness({ sandbox: { pageSize: 2 } });
    await seed();
    const first = await h.call('GET', '/bookings');
    expect(first.body.count).toBe(2);
    expect(first.body.pages.nextPageExists).toBe(true);
    const link = new URL(first.body.pages.nextPageLink as string);
    expect(link.searchParams.get('page')).toBe('2');
    const second = await h.call('GET', `/bookings?${link.searchParams.toString()}`);
    expect(names(second)).toEqual(['Request']);
    expect(second.body.pages).toEqual({ nextPageExists: false, nextPageLink: null });
  });
});

describe('DELETE /bookings', () => {
  it('deletes bookings permanently with one result per id', async () => {
    h = await startHarness();
    const [a, b] = await create([
      { roomId: double(), arrival: '2026-04-01', departure: '2026-04-02' },
      { roomId: double(), arrival: '2026-04-02', departure: '2026-04-03' },
    ]);
    const res = await h.call('DELETE', `/bookings?id=${a!.new.id}&id=999`);
    expect(res.status).toBe(201);
    expect(res.body).toEqual([
      { success: true, deleted: { id: a!.new.id } },
      expect.objectContaining({ success: false }),
    ]);
    expect(h.sandbox.bookings().map((x) => x.id)).toEqual([b!.new.id]);
    expect((await h.call('DELETE', '/bookings')).status).toBe(400);
  });
});
