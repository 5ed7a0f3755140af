import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  Beds24AuthError,
  Beds24ClientFactory,
  Beds24CreditsDeferredError,
  Beds24RateLimitedError,
  Beds24TransientError,
  Beds24UnexpectedAnswerError,
  type Beds24Client,
} from '../../src/integrations/beds24/client/index.ts';
import { encrypt } from '../../src/utils/encryption.ts';
import { fakeClock, type FakeClock } from '../helpers/fake_clock.ts';
import { capturingLogger } from '../helpers/log_capture.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/test_database.ts';
import type { Json } from '../helpers/test_app.ts';

const KEY = 'ab'.repeat(32);
const HOST = 'https://beds24.test';
const REFRESH = 'refresh-token-SECRET-1';
const OLD = 'access-token-OLD-SECRET';
const NEW = 'access-token-NEW-SECRET';

let database: TestDatabase;
let propertyId: string;
let clock: FakeClock;
let logs: string[];
let client: Beds24Client;

function meter(remaining: number, resetsIn = 200, cost = 1) {
  return {
    'x-five-min-limit-remaining': String(remaining),
    'x-five-min-limit-resets-in': String(resetsIn),
    'x-request-cost': String(cost),
  };
}

async function connect(accessToken: string | null, expiresAt: Date) {
  await database.db('beds24_config').where({ property_id: propertyId }).delete();
  await database.db('beds24_credit_meter').delete();
  await database.db('beds24_config').insert({
    property_id: propertyId,
    beds24_property_id: 4242,
    refresh_token: encrypt(REFRESH, KEY),
    access_token: accessToken === null ? null : encrypt(accessToken, KEY),
    access_token_expires_at: expiresAt,
  });
}

beforeAll(async () => {
  database = await createTestDatabase();
  const [property] = await database.db('properties').insert({ name: 'Nock Hotel' }).returning('id');
  propertyId = property.id;
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});

afterAll(async () => {
  nock.enableNetConnect();
  await database.drop();
});

beforeEach(async () => {
  clock = fakeClock();
  const captured = capturingLogger();
  logs = captured.lines;
  const factory = new Beds24ClientFactory({
    db: database.db,
    baseUrl: `${HOST}/v2`,
    encryptionKey: KEY,
    logger: captured.logger,
    clock,
    transport: { retries: 3, minRetryDelayMs: 5, maxRetryDelayMs: 20, timeoutMs: 300 },
  });
  client = factory.forProperty(propertyId, 777);
  await connect(OLD, new Date(Date.now() + 3_600_000));
});

afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

describe('tokens', () => {
  it('refreshes an expired access token before the call and stores it encrypted', async () => {
    await connect(OLD, new Date(Date.now() - 1000));
    nock(HOST)
      .get('/v2/authentication/token')
      .matchHeader('refreshToken', REFRESH)
      .reply(200, { token: NEW, expiresIn: 86400 }, meter(99));
    nock(HOST)
      .get('/v2/properties')
      .query(true)
      .matchHeader('token', NEW)
      .reply(200, { success: true, data: [] }, meter(98));
    expect(await client.getProperties()).toEqual([]);
    const row: Json = await database.db('beds24_config').where({ property_id: propertyId }).first();
    expect(row.access_token).not.toContain(NEW);
    expect(row.access_token_expires_at.getTime()).toBeGreaterThan(Date.now() + 86_000_000);
  });

  it('refreshes exactly once when 20 concurrent calls meet a 401', async () => {
    nock(HOST)
      .get('/v2/bookings')
      .query(true)
      .matchHeader('token', OLD)
      .times(20)
      .reply(401, { success: false, error: 'Token expired' });
    const refresh = nock(HOST)
      .get('/v2/authentication/token')
      .once()
      .reply(200, { token: NEW, expiresIn: 86400 }, meter(90));
    nock(HOST)
      .get('/v2/bookings')
      .query(true)
      .matchHeader('token', NEW)
      .times(20)
      .reply(200, { success: true, data: [] }, meter(80));
    const results = await Promise.all(Array.from({ length: 20 }, () => client.getBookings({ roomId: [1] })));
    expect(results).toHaveLength(20);
    expect(refresh.isDone()).toBe(true);
    nock.cleanAll();
  });

  it('gives a typed auth error when the fresh token is refused too', async () => {
    nock(HOST).get('/v2/properties').query(true).reply(401, { success: false, error: 'Token expired' });
    nock(HOST).get('/v2/authentication/token').reply(200, { token: NEW, expiresIn: 86400 }, meter(90));
    nock(HOST).get('/v2/properties').query(true).reply(401, { success: false, error: 'Token expired' });
    const error = await client.getProperties().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Beds24AuthError);
    expect((error as Beds24AuthError).code).toBe('beds24_auth');
  });

  it('gives a typed auth error when the refresh token is refused', async () => {
    await connect(null, new Date(0));
    nock(HOST)
      .get('/v2/authentication/token')
      .reply(400, { success: false, type: 'error', code: 400, error: 'Invalid refresh token' });
    const error = await client.getProperties().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Beds24AuthError);
    expect((error as Error).message).toContain('Invalid refresh token');
  });
});

describe('credits', () => {
  it('waits for resets-in after a 429, then succeeds', async () => {
    nock(HOST)
      .get('/v2/properties')
      .query(true)
      .reply(429, { success: false, error: 'Credit limit exceeded' }, meter(0.4, 42, 0));
    nock(HOST)
      .get('/v2/properties')
      .query(true)
      .reply(200, { success: true, data: [{ id: 1, name: 'P' }] }, meter(99));
    const properties = await client.getProperties();
    expect(properties).toEqual([{ id: 1, name: 'P' }]);
    expect(clock.sleeps).toHaveLength(1);
    expect(clock.sleeps[0]).toBeGreaterThanOrEqual(42_000);
    expect(clock.sleeps[0]).toBeLessThan(43_000);
  });

  it('waits before calling when the meter is below the reserve, instead of earning a 429', async () => {
    nock(HOST)
      .get('/v2/properties')
      .query(true)
      .reply(200, { success: true, data: [] }, meter(6, 30, 1));
    await client.getProperties([], { priority: 'low' });
    nock(HOST)
      .get('/v2/properties')
      .query(true)
      .reply(200, { success: true, data: [] }, meter(99, 300, 1));
    await client.getProperties([], { priority: 'low' });
    expect(clock.sleeps).toHaveLength(1);
    expect(clock.sleeps[0]).toBeGreaterThanOrEqual(30_000);
  });

  it('lets a critical call spend the credits that a low-priority call must leave', async () => {
    nock(HOST)
      .get('/v2/properties')
      .query(true)
      .reply(200, { success: true, data: [] }, meter(3, 100, 1));
    await client.getProperties([], { priority: 'critical' });
    nock(HOST)
      .get('/v2/bookings')
      .query(true)
      .reply(200, { success: true, data: [] }, meter(2, 99, 1));
    await client.getBookings({}, { priority: 'critical' });
    expect(clock.sleeps).toEqual([]);
  });

  it('with wait: false, tells when to come back instead of sleeping, before a call and after a 429', async () => {
    nock(HOST)
      .get('/v2/properties')
      .query(true)
      .reply(200, { success: true, data: [] }, meter(6, 30, 1));
    await client.getProperties([], { priority: 'low' });
    const before = clock.now().getTime();
    const deferred = await client.getProperties([], { priority: 'low', wait: false }).catch((e: unknown) => e);
    expect(deferred).toBeInstanceOf(Beds24CreditsDeferredError);
    expect((deferred as Beds24CreditsDeferredError).code).toBe('beds24_credits_deferred');
    expect((deferred as Beds24CreditsDeferredError).resumeAt.getTime() - before).toBeGreaterThanOrEqual(30_000);
    // A priority whose reserve the meter still allows goes at once.
    nock(HOST)
      .get('/v2/bookings')
      .query(true)
      .reply(200, { success: true, data: [] }, meter(5, 29, 1));
    await client.getBookings({}, { priority: 'critical', wait: false });

    nock(HOST)
      .get('/v2/bookings')
      .query(true)
      .reply(429, { success: false, error: 'Credit limit exceeded' }, meter(0, 42, 0));
    const limited = await client.getBookings({}, { priority: 'critical', wait: false }).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(Beds24CreditsDeferredError);
    expect((limited as Beds24CreditsDeferredError).waitMs).toBeGreaterThanOrEqual(42_000);
    expect(clock.sleeps).toEqual([]);
  });

  it('reads decimal meter headers and treats missing headers as unknown, not zero', async () => {
    nock(HOST)
      .get('/v2/bookings')
      .query(true)
      .reply(200, { success: true, data: [] }, meter(97.8, 155, 1.2));
    await client.getBookings({});
    let row: Json = await database.db('beds24_credit_meter').where({ account_key: 'account:777' }).first();
    expect(row.remaining).toBe(97.8);
    nock(HOST).get('/v2/bookings').query(true).reply(200, { success: true, data: [] });
    await client.getBookings({});
    row = await database.db('beds24_credit_meter').where({ account_key: 'account:777' }).first();
    expect(row.remaining).toBe(97.8);
    const log: Json = await database.db('beds24_sync_log').orderBy('id', 'desc').first();
    expect(log).toMatchObject({ outcome: 'ok', cost: null, remaining: null, status: 200 });
    expect(clock.sleeps).toEqual([]);
  });
});

describe('lost answers and the meter', () => {
  it('assumes a call whose answer was lost was charged', async () => {
    nock(HOST)
      .get('/v2/bookings')
      .query(true)
      .reply(200, { success: true, data: [] }, meter(10, 200, 1));
    await client.getBookings({});
    nock(HOST).post('/v2/inventory/rooms/calendar').replyWithError({ code: 'ECONNRESET', message: 'socket hang up' });
    nock(HOST)
      .post('/v2/inventory/rooms/calendar')
      .reply(201, [{ success: true }], meter(8, 190, 1));
    await client.postCalendar([{ roomId: 1, calendar: [{ from: '2030-01-01', to: '2030-01-01', numAvail: 1 }] }]);
    const rows = await database.db('beds24_sync_log').orderBy('id', 'desc').limit(2).select('outcome');
    expect(rows.map((r: { outcome: string }) => r.outcome)).toEqual(['ok', 'transient']);
    nock(HOST).post('/v2/bookings').replyWithError({ code: 'ECONNRESET', message: 'socket hang up' });
    await client.postBookings([{ roomId: 1, arrival: '2030-01-01', departure: '2030-01-02' }]).catch(() => undefined);
    const meterRow: Json = await database.db('beds24_credit_meter').where({ account_key: 'account:777' }).first();
    expect(meterRow.remaining).toBe(7);
  });
});

describe('transient failures', () => {
  it('retries a 5xx HTML page and a timeout, then succeeds', async () => {
    nock(HOST)
      .get('/v2/properties')
      .query(true)
      .reply(502, '<html><body>Bad Gateway</body></html>', { 'content-type': 'text/html' });
    nock(HOST).get('/v2/properties').query(true).delay(1000).reply(200, { success: true, data: [] });
    nock(HOST)
      .get('/v2/properties')
      .query(true)
      .reply(200, { success: true, data: [{ id: 5 }] }, meter(99));
    expect(await client.getProperties()).toEqual([{ id: 5 }]);
    const outcomes = (await database.db('beds24_sync_log').orderBy('id')).map((r: { outcome: string }) => r.outcome);
    expect(outcomes.slice(-3)).toEqual(['transient', 'transient', 'ok']);
  });

  it("tries a call of a job attempt again only until the attempt's deadline", async () => {
    nock(HOST).get('/v2/properties').query(true).reply(503, 'down');
    nock(HOST)
      .get('/v2/properties')
      .query(true)
      .reply(200, { success: true, data: [{ id: 5 }] }, meter(99));
    expect(await client.getProperties([], { deadline: new Date(clock.now().getTime() + 60_000) })).toEqual([{ id: 5 }]);

    nock(HOST).get('/v2/properties').query(true).reply(503, 'down');
    const error = await client.getProperties([], { deadline: clock.now() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Beds24TransientError);
    expect((error as Error).message).toContain('503');
    const outcomes = (await database.db('beds24_sync_log').orderBy('id')).map((r: { outcome: string }) => r.outcome);
    expect(outcomes.slice(-3)).toEqual(['transient', 'ok', 'transient']);
  });

  it('treats a 200 HTML page as transient', async () => {
    nock(HOST).get('/v2/properties').query(true).reply(200, '<html>maintenance</html>');
    nock(HOST).get('/v2/properties').query(true).reply(200, { success: true, data: [] }, meter(99));
    expect(await client.getProperties()).toEqual([]);
  });

  it('gives a typed transient error, keeping the last one, when retries run out', async () => {
    nock(HOST).get('/v2/properties').query(true).times(3).reply(503, 'down');
    nock(HOST).get('/v2/properties').query(true).reply(500, '<html>final</html>');
    const error = await client.getProperties().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Beds24TransientError);
    expect((error as Beds24TransientError).code).toBe('beds24_transient');
    expect((error as Error).message).toContain('500');
  });

  it('never repeats a booking create after a lost answer, but repeats an update', async () => {
    nock(HOST).post('/v2/bookings').replyWithError({ code: 'ECONNRESET', message: 'socket hang up' });
    const error = await client
      .postBookings([{ roomId: 1, arrival: '2030-01-01', departure: '2030-01-02' }])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Beds24TransientError);
    expect((error as Beds24TransientError).ambiguous).toBe(true);

    nock(HOST).post('/v2/bookings').replyWithError({ code: 'ECONNRESET', message: 'socket hang up' });
    nock(HOST)
      .post('/v2/bookings')
      .reply(201, [{ success: true, modified: { id: 9 } }], meter(90));
    const results = await client.postBookings([{ id: 9, numAdult: 2 }]);
    expect(results[0]).toMatchObject({ ok: true, id: 9 });
  });

  it('repeats a create that never left (connection refused), and says so when retries run out', async () => {
    const factory = new Beds24ClientFactory({
      db: database.db,
      baseUrl: 'http://127.0.0.1:1/v2',
      encryptionKey: KEY,
      logger: capturingLogger().logger,
      clock,
      transport: { retries: 2, minRetryDelayMs: 5, maxRetryDelayMs: 10 },
    });
    const refused = factory.forProperty(propertyId, 888);
    const before = await database.db('beds24_sync_log').count({ n: '*' }).first();
    const error = await refused
      .postBookings([{ roomId: 1, arrival: '2030-01-01', departure: '2030-01-02' }])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Beds24TransientError);
    expect((error as Beds24TransientError).ambiguous).toBe(false);
    expect((error as Error).message).toContain('ECONNREFUSED');
    const after = await database.db('beds24_sync_log').count({ n: '*' }).first();
    expect(Number(after?.n) - Number(before?.n)).toBe(3);
  });
});

describe('answers', () => {
  it('surfaces success:false items as item errors with Beds24 message, next to successful ones', async () => {
    nock(HOST)
      .post('/v2/bookings')
      .reply(
        201,
        [
          { success: true, new: { id: 100 } },
          { success: false, errors: [{ action: 'new booking', field: 'roomId', message: 'Room not found' }] },
          { success: true, modified: { id: 7 }, warnings: [{ action: 'modify', field: 'lang', message: 'ignored' }] },
        ],
        meter(90),
      );
    const results = await client.postBookings([
      { roomId: 1, arrival: '2030-01-01', departure: '2030-01-02' },
      { roomId: 999 },
      { id: 7, lang: 'xx' },
    ]);
    expect(results[0]).toMatchObject({ ok: true, id: 100 });
    expect(results[1]?.ok).toBe(false);
    if (results[1]?.ok === false) {
      expect(results[1].error.code).toBe('beds24_validation');
      expect(results[1].error.message).toBe('roomId: Room not found');
    }
    expect(results[2]).toMatchObject({ ok: true, id: 7, warnings: [{ message: 'ignored' }] });
    const log: Json = await database.db('beds24_sync_log').orderBy('id', 'desc').first();
    expect(log.outcome).toBe('item_errors');
  });

  it('gives a typed error for a malformed answer, and for a result count that does not match', async () => {
    nock(HOST)
      .get('/v2/bookings')
      .query(true)
      .reply(200, { success: true, data: [{ id: 'not-a-number' }] }, meter(90));
    await expect(client.getBookings({})).rejects.toBeInstanceOf(Beds24UnexpectedAnswerError);
    nock(HOST).post('/v2/inventory/rooms/calendar').reply(201, [], meter(89));
    await expect(
      client.postCalendar([{ roomId: 1, calendar: [{ from: '2030-01-01', to: '2030-01-01', numAvail: 1 }] }]),
    ).rejects.toBeInstanceOf(Beds24UnexpectedAnswerError);
  });

  it('sends array parameters as repeated keys and follows pages', async () => {
    nock(HOST)
      .get('/v2/bookings')
      .query(
        (q) =>
          JSON.stringify(q.status) === JSON.stringify(['new', 'confirmed']) &&
          JSON.stringify(q.roomId) === JSON.stringify(['1', '2']) &&
          q.page === undefined,
      )
      .reply(200, { success: true, data: [{ id: 1 }], pages: { nextPageExists: true } }, meter(90));
    nock(HOST)
      .get('/v2/bookings')
      .query((q) => q.page === '2')
      .reply(200, { success: true, data: [{ id: 2 }], pages: { nextPageExists: false } }, meter(89));
    const bookings = await client.getBookings({ status: ['new', 'confirmed'], roomId: [1, 2] });
    expect(bookings.map((b) => b.id)).toEqual([1, 2]);
  });

  it('does not retry a 400 and reports Beds24 message', async () => {
    nock(HOST)
      .get('/v2/bookings')
      .query(true)
      .once()
      .reply(400, { success: false, type: 'error', code: 400, error: 'Parameter arrivalFrom is in an invalid format' });
    const error = await client.getBookings({ arrivalFrom: 'P90D' }).catch((e: unknown) => e);
    expect((error as { code: string }).code).toBe('beds24_validation');
    expect((error as Error).message).toContain('arrivalFrom is in an invalid format');
  });
});

describe('secrets', () => {
  it('keeps tokens out of the logs and out of beds24_sync_log', async () => {
    await connect(OLD, new Date(Date.now() - 1000));
    nock(HOST).get('/v2/authentication/token').reply(200, { token: NEW, expiresIn: 86400 }, meter(99));
    nock(HOST).get('/v2/bookings').query(true).reply(401, { success: false, error: 'expired' });
    nock(HOST)
      .get('/v2/authentication/token')
      .reply(200, { token: `${NEW}-2`, expiresIn: 86400 }, meter(98));
    nock(HOST)
      .post('/v2/bookings')
      .reply(201, [{ success: true, new: { id: 3 } }], meter(97));
    nock(HOST).get('/v2/bookings').query(true).reply(200, { success: true, data: [] }, meter(97));
    await client.getBookings({});
    await client.postBookings([
      { roomId: 1, arrival: '2030-01-01', departure: '2030-01-02', firstName: 'Guestname', email: 'guest@example.com' },
    ]);
    const rows = JSON.stringify(await database.db('beds24_sync_log').select('*'));
    expect(logs.length).toBeGreaterThan(0);
    for (const text of [logs.join('\n'), rows]) {
      for (const secret of [REFRESH, OLD, NEW, KEY]) expect(text).not.toContain(secret);
      expect(text).not.toContain('Guestname');
      expect(text).not.toContain('guest@example.com');
    }
    expect(rows).toContain('/authentication/token');
  });
});

describe('rate-limited error', () => {
  it('is a typed, retryable error', () => {
    const error = new Beds24RateLimitedError(12);
    expect(error.code).toBe('beds24_rate_limited');
    expect(error.retryable).toBe(true);
  });
});
