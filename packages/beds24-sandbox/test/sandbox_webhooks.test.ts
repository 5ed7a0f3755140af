import { afterEach, describe, expect, it } from 'vitest';
import { validateRequestBody } from '../src/openapi/openapi_schemas.ts';
import { PERSONAL_FIELDS, type WebhookDelivery, type WebhookVersion } from '../src/index.ts';
import { scriptedRandom, startHarness, type Harness } from './sandbox_harness.ts';
import { unreachableUrl, WebhookReceiver } from './webhook_receiver.ts';

let h: Harness;
let receiver: WebhookReceiver | undefined;
afterEach(async () => {
  await h.close();
  await receiver?.close();
  receiver = undefined;
});

const D1 = '2026-04-01';
const D2 = '2026-04-02';
const D3 = '2026-04-03';
const HEADERS = 'X-Webhook-Token: s3cret-token\nX-Second: two';

const double = (): number => h.account.roomIds[0]!;
const single = (): number => h.account.roomIds[1]!;
const accountId = (): number => h.account.accountId;
const propertyId = (): number => h.account.propertyIds[0]!;

function addOk(fields: Record<string, unknown>): number {
  const [result] = h.sandbox.addBookings(accountId(), [{ channel: 'booking', apiReference: 'BDC-1', ...fields }]);
  expect(result).toMatchObject({ success: true });
  return result!.new!.id as number;
}

function useWebhook(url: string, version: WebhookVersion = 'twoWithPersonalData'): void {
  h.sandbox.setPropertyWebhooks(propertyId(), { version, url, customHeader: HEADERS });
}

/** The spec's webhook schema types several nullable fields as plain strings/integers; nulls are left out. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== null)
      .map(([k, v]) => [k, withoutNulls(v)]),
  );
}

const byEvent = (deliveries: WebhookDelivery[]) =>
  [...deliveries].sort((a, b) => a.eventAt.localeCompare(b.eventAt) || a.seq - b.seq);

describe('booking webhook configuration', () => {
  it('is written through POST /properties, charged, validated and answered per item, and read back', async () => {
    h = await startHarness();
    const url = 'https://pms.example/webhooks/beds24';
    const webhooks = { version: 'twoNoPersonalData', url, additionalData: 'none', customHeader: HEADERS };
    const res = await h.call('POST', '/properties', {
      body: [
        { id: propertyId(), webhooks },
        { id: 424242, webhooks },
        { id: propertyId(), webhooks: { version: 'three' } },
        { name: 'New hotel' },
        { id: propertyId(), webhooks: { url: 'https://pms.example/other' }, currency: 'USD' },
      ],
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-request-cost')).toBe('1');
    expect(res.body.map((r: { success: boolean }) => r.success)).toEqual([true, false, false, false, true]);
    expect(res.body[0]).toEqual({ success: true, modified: { id: propertyId(), webhooks } });
    expect(res.body[1].errors).toEqual([expect.objectContaining({ field: 'id' })]);
    expect(res.body[2].errors).toEqual([expect.objectContaining({ field: 'webhooks.version' })]);
    expect(res.body[4].warnings).toEqual([expect.objectContaining({ field: 'currency' })]);
    const merged = { ...webhooks, url: 'https://pms.example/other' };
    expect(h.sandbox.propertyWebhooks(propertyId())).toEqual(merged);
    expect((await h.call('GET', '/properties')).body.data[0].webhooks).toEqual(merged);
    expect((await h.admin('GET', `/properties/${propertyId()}/webhooks`)).body).toEqual(merged);
    expect(h.sandbox.creditsSpent(accountId())).toBe(2);
    expect((await h.call('POST', '/properties', { body: { id: propertyId() } })).status).toBe(400);
  });

  it('is set and removed through the admin route', async () => {
    h = await startHarness();
    const put = await h.admin('PUT', `/properties/${propertyId()}/webhooks`, { url: 'https://pms.example/hook' });
    const url = 'https://pms.example/hook';
    expect(put.body).toEqual({ version: 'twoWithPersonalData', url, additionalData: 'none', customHeader: '' });
    const invalid = await h.admin('PUT', `/properties/${propertyId()}/webhooks`, { url: 'x', version: 'nine' });
    expect(invalid.status).toBe(400);
    expect((await h.admin('DELETE', `/properties/${propertyId()}/webhooks`)).status).toBe(204);
    expect(h.sandbox.propertyWebhooks(propertyId())).toBeNull();
  });
});

describe('booking webhooks', () => {
  it('sends a channel create, modify and cancel as v2 bodies with personal data and the custom headers', async () => {
    h = await startHarness();
    receiver = await WebhookReceiver.start();
    const res = await h.call('POST', '/properties', {
      body: [
        { id: propertyId(), webhooks: { version: 'twoWithPersonalData', url: receiver.url, customHeader: HEADERS } },
      ],
    });
    expect(res.body[0].success).toBe(true);
    const guest = { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' };
    const id = addOk({ roomId: double(), arrival: D1, departure: D2, ...guest });
    h.clock.advanceSeconds(60);
    h.sandbox.modifyBooking(accountId(), id, { departure: D3 });
    h.clock.advanceSeconds(60);
    h.sandbox.modifyBooking(accountId(), id, { status: 'cancelled' });
    await h.sandbox.webhooksIdle();

    const received = [...receiver.received].sort((a, b) =>
      a.body.booking.modifiedTime.localeCompare(b.body.booking.modifiedTime),
    );
    expect(received).toHaveLength(3);
    for (const hook of received) {
      expect(hook.headers).toMatchObject({ 'x-webhook-token': 's3cret-token', 'x-second': 'two' });
      expect(hook.headers['content-type']).toBe('application/json');
      expect(validateRequestBody('POST', 'Webhooks - bookings', withoutNulls(hook.body))).toEqual({ ok: true });
      expect(hook.body).toMatchObject({ infoItems: [], invoiceItems: [], messages: [], retries: 0 });
      expect(hook.body.booking).toMatchObject({ id, ...guest, apiReference: 'BDC-1', channel: 'booking' });
      expect(hook.body.booking).toHaveProperty('bookingGroup', null);
    }
    const summary = received.map(({ body }) => {
      const { status, departure, cancelTime } = body.booking;
      return [body.timeStamp, status, departure, cancelTime];
    });
    expect(summary).toEqual([
      ['2026-03-10T10:00:00Z', 'confirmed', D2, null],
      ['2026-03-10T10:01:00Z', 'confirmed', D3, null],
      ['2026-03-10T10:02:00Z', 'cancelled', D3, '2026-03-10T10:02:00Z'],
    ]);
    const log = byEvent(h.sandbox.webhookDeliveries());
    expect(log.map((d) => [d.kind, d.bookingId, d.status, d.attempt, d.outcome, d.answerStatus, d.url])).toEqual([
      ['booking', id, 'confirmed', 1, 'delivered', 200, receiver.url],
      ['booking', id, 'confirmed', 1, 'delivered', 200, receiver.url],
      ['booking', id, 'cancelled', 1, 'delivered', 200, receiver.url],
    ]);
    expect((await h.admin('GET', '/webhook-deliveries')).body).toHaveLength(3);
    expect((await h.admin('DELETE', '/webhook-deliveries')).status).toBe(204);
    expect(h.sandbox.webhookDeliveries()).toEqual([]);
  });

  it('leaves guest personal data out with twoNoPersonalData', async () => {
    h = await startHarness();
    receiver = await WebhookReceiver.start();
    useWebhook(receiver.url, 'twoNoPersonalData');
    const guest = { firstName: 'Ada', lastName: 'Lovelace', email: 'a@example.com', phone: '+1' };
    const id = addOk({ roomId: double(), arrival: D1, departure: D2, ...guest });
    const [hook] = await receiver.waitFor(1);
    for (const field of PERSONAL_FIELDS) expect(hook!.body.booking).not.toHaveProperty(field);
    expect(hook!.body.booking).toMatchObject({ id, status: 'confirmed', apiReference: 'BDC-1', arrival: D1 });
  });

  it('fires for API writes only with actions.allowWebhooks and a change of status, dates, room, roomQty', async () => {
    h = await startHarness();
    receiver = await WebhookReceiver.start();
    useWebhook(receiver.url);
    const post = async (item: Record<string, unknown>) => (await h.call('POST', '/bookings', { body: [item] })).body[0];
    const quiet = await post({ roomId: double(), arrival: D1, departure: D2 });
    await post({ id: quiet.new.id, departure: D3 });
    await h.call('DELETE', `/bookings?id=${quiet.new.id}`);
    expect(h.sandbox.pendingWebhooks).toBe(0);
    expect(h.sandbox.webhookDeliveries()).toEqual([]);

    const loud = await post({ roomId: double(), arrival: D1, departure: D2, actions: { allowWebhooks: true } });
    await post({ id: loud.new.id, lastName: 'OnlyAName', actions: { allowWebhooks: true } });
    h.clock.advanceSeconds(1);
    await post({ id: loud.new.id, roomId: single(), actions: { allowWebhooks: true } });
    await post({ id: loud.new.id, status: 'cancelled' });
    await h.sandbox.webhooksIdle();
    const log = byEvent(h.sandbox.webhookDeliveries());
    expect(log.map((d) => [d.bookingId, d.roomId, d.status])).toEqual([
      [loud.new.id, double(), 'confirmed'],
      [loud.new.id, single(), 'confirmed'],
    ]);
  });

  it('drops, duplicates and delays deliveries as the injected random says, so they arrive out of order', async () => {
    // Draw order per notification: drop, duplicate, then one delay per copy.
    const random = scriptedRandom([0.1, 0.9, 0.1, 1, 0.9, 0.9, 0.9, 0]);
    h = await startHarness({ sandbox: { random } });
    receiver = await WebhookReceiver.start();
    useWebhook(receiver.url);
    h.sandbox.setWebhookFaults({ dropRate: 0.5, duplicateRate: 0.5, delayMs: [0, 300] });
    const dropped = addOk({ roomId: double(), arrival: D1, departure: D2, apiReference: 'DROPPED' });
    const twice = addOk({ roomId: double(), arrival: D1, departure: D2, apiReference: 'TWICE' });
    const fast = addOk({ roomId: single(), arrival: D1, departure: D2, apiReference: 'FAST' });
    expect(h.sandbox.pendingWebhooks).toBe(3);
    await h.sandbox.webhooksIdle();

    expect(receiver.received.map((r) => r.body.booking.apiReference)).toEqual(['FAST', 'TWICE', 'TWICE']);
    expect(receiver.received[1]!.body).toEqual(receiver.received[2]!.body);
    const log = h.sandbox.webhookDeliveries();
    const of = (id: number) => log.filter((d) => d.bookingId === id);
    expect(of(dropped)).toEqual([expect.objectContaining({ outcome: 'dropped', answerStatus: null })]);
    expect(
      of(twice)
        .map((d) => [d.copy, d.outcome])
        .sort(),
    ).toEqual([
      [1, 'delivered'],
      [2, 'delivered'],
    ]);
    expect(log.filter((d) => d.bookingId === fast).map((d) => d.outcome)).toEqual(['delivered']);
  });

  it('retries after HTTP 500 with retries counting up in the body', async () => {
    h = await startHarness({ sandbox: { webhookFaults: { retryDelayMs: 10 } } });
    receiver = await WebhookReceiver.start((index) => (index < 2 ? 500 : 200));
    useWebhook(receiver.url);
    const id = addOk({ roomId: double(), arrival: D1, departure: D2 });
    await h.sandbox.webhooksIdle();
    expect(receiver.received.map((r) => r.body.retries)).toEqual([0, 1, 2]);
    expect(receiver.received.every((r) => r.body.booking.id === id)).toBe(true);
    expect(h.sandbox.webhookDeliveries().map((d) => [d.attempt, d.answerStatus, d.outcome, d.willRetry])).toEqual([
      [1, 500, 'failed', true],
      [2, 500, 'failed', true],
      [3, 200, 'delivered', false],
    ]);
  });

  it('retries an unreachable receiver and gives up after maxRetries', async () => {
    h = await startHarness();
    h.sandbox.setWebhookFaults({ retryDelayMs: 5, maxRetries: 2 });
    useWebhook(await unreachableUrl());
    addOk({ roomId: double(), arrival: D1, departure: D2 });
    await h.sandbox.webhooksIdle();
    expect(h.sandbox.pendingWebhooks).toBe(0);
    const attempts = h.sandbox
      .webhookDeliveries()
      .map((d) => [d.attempt, d.answerStatus, d.error, d.outcome, d.willRetry]);
    expect(attempts).toEqual([
      [1, null, 'ECONNREFUSED', 'failed', true],
      [2, null, 'ECONNREFUSED', 'failed', true],
      [3, null, 'ECONNREFUSED', 'failed', false],
    ]);
  });

  it('cancels pending deliveries on close, and lets another process wait over HTTP', async () => {
    h = await startHarness();
    receiver = await WebhookReceiver.start();
    useWebhook(receiver.url);
    h.sandbox.setWebhookFaults({ delayMs: 60_000 });
    addOk({ roomId: double(), arrival: D1, departure: D2 });
    expect((await h.admin('GET', '/webhook-deliveries/pending')).body).toEqual({ pending: 1 });
    expect((await h.admin('GET', '/webhook-deliveries/idle?timeoutMs=20')).status).toBe(408);
    const idle = h.sandbox.webhooksIdle();
    await h.sandbox.close();
    await idle;
    expect(h.sandbox.pendingWebhooks).toBe(0);
    expect(h.sandbox.webhookDeliveries().map((d) => d.outcome)).toEqual(['cancelled']);
    expect(receiver.received).toEqual([]);
  });

  it('sets, reads and resets the webhook faults through the admin route', async () => {
    h = await startHarness();
    const set = await h.admin('POST', '/webhook-faults', { dropRate: 0.3, duplicateRate: 0.1, delayMs: [0, 3000] });
    expect(set.body).toEqual({
      dropRate: 0.3,
      duplicateRate: 0.1,
      delayMs: [0, 3000],
      retryDelayMs: 1000,
      maxRetries: 5,
      timeoutMs: 5000,
    });
    expect((await h.admin('GET', '/webhook-faults')).body.dropRate).toBe(0.3);
    expect((await h.admin('POST', '/webhook-faults', { delayMs: [10, 5] })).status).toBe(400);
    expect((await h.admin('POST', '/webhook-faults', { duplicateRate: 2 })).status).toBe(400);
    expect((await h.admin('DELETE', '/webhook-faults')).status).toBe(204);
    expect(h.sandbox.webhookFaults).toMatchObject({ dropRate: 0, duplicateRate: 0, delayMs: 0 });
    expect((await h.admin('GET', '/webhook-deliveries/idle')).body).toEqual({ pending: 0 });
  });
});

describe('inventory webhook', () => {
  it('sends SYNC_ROOM per room on booking changes and availability or price writes, not on restrictions', async () => {
    h = await startHarness();
    receiver = await WebhookReceiver.start();
    const target = { url: receiver.url, customHeader: 'X-Token: inv' };
    const put = await h.admin('PUT', `/accounts/${accountId()}/inventory-webhook`, target);
    expect(put.body).toEqual({ url: receiver.url, customHeader: 'X-Token: inv' });
    const id = addOk({ roomId: double(), arrival: D1, departure: D2 });
    await h.sandbox.webhooksIdle();
    const write = (values: Record<string, number>) => {
      const body = [{ roomId: single(), calendar: [{ from: D1, to: D1, ...values }] }];
      return h.call('POST', '/inventory/rooms/calendar', { body });
    };
    await write({ minStay: 2 });
    expect(h.sandbox.pendingWebhooks).toBe(0);
    await write({ numAvail: 0 });
    await h.sandbox.webhooksIdle();
    h.sandbox.modifyBooking(accountId(), id, { roomId: single() });
    await h.sandbox.webhooksIdle();

    const rooms = receiver.received.map((r) => r.body.roomId);
    expect(rooms.slice(0, 2)).toEqual([double(), single()]);
    expect(rooms.slice(2).sort()).toEqual([double(), single()].sort());
    const sync = { roomId: double(), propId: propertyId(), ownerId: accountId(), action: 'SYNC_ROOM' };
    expect(receiver.received[0]!.body).toEqual(sync);
    expect(receiver.received[0]!.headers['x-token']).toBe('inv');
    expect(h.sandbox.webhookDeliveries().every((d) => d.kind === 'inventory' && d.bookingId === null)).toBe(true);
    expect((await h.admin('DELETE', `/accounts/${accountId()}/inventory-webhook`)).status).toBe(204);
    expect((await h.admin('GET', `/accounts/${accountId()}/inventory-webhook`)).body).toBeNull();
  });
});
