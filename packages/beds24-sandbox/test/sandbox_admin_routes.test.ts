import { afterEach, describe, expect, it } from 'vitest';
import { createBeds24Sandbox, type Beds24Sandbox } from '../src/index.ts';
import { request, TODAY } from './sandbox_harness.ts';

let sandbox: Beds24Sandbox;
afterEach(async () => {
  await sandbox.close();
});

async function start() {
  sandbox = createBeds24Sandbox();
  const url = await sandbox.listen(0);
  const origin = url.slice(0, -'/v2'.length);
  const admin = (method: string, path: string, body?: unknown) =>
    request(`${origin}/_sandbox${path}`, method, body === undefined ? {} : { body });
  return { url, admin };
}

describe('/_sandbox admin routes', () => {
  it('drives a whole scenario over HTTP without spending credits', async () => {
    const { url, admin } = await start();
    const created = await admin('POST', '/accounts', {
      creditLimit: 5,
      properties: [{ name: 'Remote', timezone: 'UTC', rooms: [{ name: 'Twin', qty: 3 }] }],
    });
    expect(created.status).toBe(201);
    const { accountId, roomIds } = created.body as { accountId: number; roomIds: number[] };
    const roomId = roomIds[0]!;
    expect((await admin('GET', '/accounts')).body).toEqual({ accountIds: [accountId] });

    const invite = await admin('POST', `/accounts/${accountId}/invite-codes`);
    expect(invite.status).toBe(201);
    const setup = await request(`${url}/authentication/setup`, 'GET', { headers: { code: invite.body.code } });
    expect(setup.status).toBe(200);
    const token = setup.body.token as string;

    const injected = await admin('POST', `/accounts/${accountId}/bookings`, {
      roomId,
      arrival: TODAY,
      departure: '2099-01-01',
      apiReference: 'BDC-1',
      channel: 'booking',
    });
    expect(injected.body[0]).toMatchObject({ success: true });
    expect(injected.body[0].warnings).toBeUndefined();
    const edited = await admin('PUT', '/calendar', {
      roomId,
      calendar: [{ from: '2020-01-01', to: '2020-01-02', numAvail: 1 }],
    });
    expect(edited.body).toMatchObject({ success: true, roomId });
    expect((await admin('GET', `/calendar?roomId=${roomId}&from=2020-01-02&to=2020-01-03`)).body).toEqual([
      { date: '2020-01-02', numAvail: 1 },
      { date: '2020-01-03' },
    ]);

    const seen = await request(`${url}/bookings`, 'GET', { token });
    expect(seen.body.data).toEqual([expect.objectContaining({ apiReference: 'BDC-1', channel: 'booking' })]);
    const bookings = await admin('GET', `/bookings?accountId=${accountId}`);
    expect(bookings.body).toEqual([expect.objectContaining({ accountId, apiReference: 'BDC-1' })]);

    const credits = await admin('GET', `/accounts/${accountId}/credits`);
    expect(credits.body).toMatchObject({ limit: 5, spent: 2.2, remaining: 2.8 });
    const log = await admin('GET', '/requests');
    expect(log.body.map((r: { method: string; path: string }) => `${r.method} ${r.path}`)).toEqual([
      'GET /authentication/setup',
      'GET /bookings',
    ]);
    expect((await admin('DELETE', '/requests')).status).toBe(204);
    expect((await admin('GET', '/requests')).body).toEqual([]);
  });

  it('sets faults, credit windows, token TTLs and costs, and invalidates tokens', async () => {
    const { url, admin } = await start();
    const { accountId } = (await admin('POST', '/accounts', { properties: [] })).body as { accountId: number };
    const token = (await admin('POST', `/accounts/${accountId}/access-tokens`)).body.token as string;

    expect((await admin('POST', '/faults', { errorRate: 1 })).body).toMatchObject({ errorRate: 1, dropRate: 0 });
    expect((await request(`${url}/properties`, 'GET', { token })).status).toBe(500);
    expect((await admin('GET', '/faults')).body.errorRate).toBe(1);
    expect((await admin('DELETE', '/faults')).status).toBe(204);
    expect((await request(`${url}/properties`, 'GET', { token })).status).toBe(200);

    expect(
      (await admin('PUT', `/accounts/${accountId}/credit-window`, { limit: 1, windowSeconds: 30 })).body,
    ).toMatchObject({ limit: 1, remaining: 1, resetsInSeconds: 30 });
    expect((await admin('PUT', '/costs', { 'GET /properties': 0.5 })).body['GET /properties']).toBe(0.5);
    const cheap = await request(`${url}/properties`, 'GET', { token });
    expect(cheap.headers.get('x-request-cost')).toBe('0.5');
    expect(cheap.headers.get('x-five-min-limit-remaining')).toBe('0.5');
    expect((await request(`${url}/properties`, 'GET', { token })).headers.get('x-five-min-limit-remaining')).toBe('0');
    expect((await request(`${url}/properties`, 'GET', { token })).status).toBe(429);
    await admin('PUT', `/accounts/${accountId}/credit-window`, { limit: 100, windowSeconds: 300 });

    expect((await admin('PUT', `/accounts/${accountId}/token-ttl`, { seconds: 60 })).status).toBe(200);
    const refreshToken = (await admin('POST', `/accounts/${accountId}/refresh-tokens`)).body.refreshToken as string;
    const minted = await request(`${url}/authentication/token`, 'GET', { headers: { refreshToken } });
    expect(minted.body.expiresIn).toBe(60);

    expect((await admin('POST', `/accounts/${accountId}/invalidate-tokens`)).body.invalidated).toBe(2);
    expect((await request(`${url}/properties`, 'GET', { token })).status).toBe(401);
    expect((await admin('POST', '/invalidate-tokens', { refreshTokens: true })).body.invalidated).toBe(1);
    expect((await request(`${url}/authentication/token`, 'GET', { headers: { refreshToken } })).status).toBe(400);
  });

  it('answers typed JSON errors for unknown accounts and invalid input', async () => {
    const { admin } = await start();
    const missing = await admin('POST', '/accounts/42/invite-codes');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('sandbox_not_found');
    const invalid = await admin('POST', '/accounts', { creditLimit: -1 });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.code).toBe('sandbox_invalid_input');
    expect((await admin('POST', '/faults', { dropRate: 7 })).status).toBe(400);
    expect((await admin('GET', '/calendar?roomId=1&from=2026-01-01&to=2026-01-02')).status).toBe(404);
    expect((await admin('GET', '/nowhere')).status).toBe(404);
  });
});
