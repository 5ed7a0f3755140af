import { afterEach, describe, expect, it } from 'vitest';
import { request, startHarness, type Harness } from './sandbox_harness.ts';

let h: Harness;
afterEach(async () => {
  await h.close();
});

describe('authentication', () => {
  it('exchanges an invite code once for a refresh token and an access token', async () => {
    h = await startHarness();
    const code = h.sandbox.createInviteCode(h.account.accountId);
    const setup = await h.call('GET', '/authentication/setup', { token: null, headers: { code, deviceName: 'pms' } });
    expect(setup.status).toBe(200);
    expect(setup.body).toEqual({ token: expect.any(String), expiresIn: 86_400, refreshToken: expect.any(String) });
    expect(setup.body.token.length).toBeGreaterThanOrEqual(152);

    const properties = await h.call('GET', '/properties', { token: setup.body.token });
    expect(properties.status).toBe(200);

    const again = await h.call('GET', '/authentication/setup', { token: null, headers: { code } });
    expect(again.status).toBe(400);
    expect(again.body).toEqual({ success: false, type: 'error', code: 400, error: expect.any(String) });

    const unknown = await h.call('GET', '/authentication/setup', { token: null, headers: { code: 'nope' } });
    expect(unknown.status).toBe(400);
  });

  it('charges the invite exchange and token minting to the account', async () => {
    h = await startHarness();
    const code = h.sandbox.createInviteCode(h.account.accountId);
    const setup = await h.call('GET', '/authentication/setup', { token: null, headers: { code } });
    expect(setup.headers.get('x-request-cost')).toBe('1');
    expect(setup.headers.get('x-five-min-limit-remaining')).toBe('99');
    const minted = await h.call('GET', '/authentication/token', {
      token: null,
      headers: { refreshToken: setup.body.refreshToken },
    });
    expect(minted.headers.get('x-five-min-limit-remaining')).toBe('98');
    expect(h.sandbox.creditsSpent(h.account.accountId)).toBe(2);
  });

  it('mints access tokens from a refresh token without a new refresh token, and revokes it on DELETE', async () => {
    h = await startHarness();
    const refreshToken = h.sandbox.createRefreshToken(h.account.accountId);
    const minted = await h.call('GET', '/authentication/token', { token: null, headers: { refreshToken } });
    expect(minted.status).toBe(200);
    expect(minted.body).toEqual({ token: expect.any(String), expiresIn: 86_400 });
    expect((await h.call('GET', '/bookings', { token: minted.body.token })).status).toBe(200);

    const revoked = await h.call('DELETE', '/authentication/token', { token: null, headers: { refreshToken } });
    expect(revoked.status).toBe(200);
    const after = await h.call('GET', '/authentication/token', { token: null, headers: { refreshToken } });
    expect(after.status).toBe(400);
    expect(after.body).toMatchObject({ success: false, type: 'error', code: 400 });
    expect(after.headers.get('x-request-cost')).toBeNull();

    const unknown = await h.call('GET', '/authentication/token', { token: null, headers: { refreshToken: 'unknown' } });
    expect(unknown.status).toBe(400);
  });

  it('expires access tokens after the account TTL on the injected clock', async () => {
    h = await startHarness();
    h.sandbox.setTokenTtl(h.account.accountId, 600);
    const refreshToken = h.sandbox.createRefreshToken(h.account.accountId);
    const minted = await h.call('GET', '/authentication/token', { token: null, headers: { refreshToken } });
    expect(minted.body.expiresIn).toBe(600);
    const token = minted.body.token as string;

    h.clock.advanceSeconds(599);
    expect((await h.call('GET', '/properties', { token })).status).toBe(200);
    h.clock.advanceSeconds(1);
    const expired = await h.call('GET', '/properties', { token });
    expect(expired.status).toBe(401);
    expect(expired.body).toEqual({ success: false, type: 'error', code: 401, error: 'Token is invalid or expired' });
    expect(expired.headers.get('x-request-cost')).toBeNull();
    expect(h.sandbox.requests.at(-1)).toMatchObject({ status: 401, cost: 0 });
  });

  it('invalidates access tokens on demand while the refresh token keeps working', async () => {
    h = await startHarness();
    expect((await h.call('GET', '/bookings')).status).toBe(200);
    h.sandbox.invalidateTokens(h.account.accountId);
    expect((await h.call('GET', '/bookings')).status).toBe(401);

    const refreshToken = h.sandbox.createRefreshToken(h.account.accountId);
    h.sandbox.invalidateTokens(undefined, { refreshTokens: false });
    expect((await h.call('GET', '/authentication/token', { token: null, headers: { refreshToken } })).status).toBe(200);
    h.sandbox.invalidateTokens(h.account.accountId, { refreshTokens: true });
    expect((await h.call('GET', '/authentication/token', { token: null, headers: { refreshToken } })).status).toBe(400);
  });

  it('accepts only the token header, never Authorization: Bearer', async () => {
    h = await startHarness();
    const bearer = await h.call('GET', '/bookings', { token: null, headers: { authorization: `Bearer ${h.token}` } });
    expect(bearer.status).toBe(401);
    const missing = await h.call('GET', '/bookings', { token: null });
    expect(missing.status).toBe(401);
    expect((await h.call('GET', '/bookings')).status).toBe(200);
  });

  it('answers /authentication/details for free and without credit headers', async () => {
    h = await startHarness();
    const details = await h.call('GET', '/authentication/details');
    expect(details.status).toBe(200);
    expect(details.body).toMatchObject({
      validToken: true,
      token: {
        ownerId: h.account.accountId,
        expiresIn: 86_400,
        scopes: expect.arrayContaining(['all:bookings', 'all:inventory']),
      },
      diagnostics: { requestIp: expect.any(String) },
    });
    for (const header of ['x-five-min-limit-remaining', 'x-five-min-limit-resets-in', 'x-request-cost']) {
      expect(details.headers.get(header)).toBeNull();
    }
    const invalid = await request(`${h.url}/authentication/details`, 'GET', { token: 'garbage' });
    expect(invalid.status).toBe(200);
    expect(invalid.body.validToken).toBe(false);
    expect(h.sandbox.creditsSpent(h.account.accountId)).toBe(0);
  });

  it('keeps tokens of one account away from the data of another', async () => {
    h = await startHarness();
    const other = h.sandbox.createAccount({ properties: [{ name: 'Other', rooms: [{ name: 'Suite', qty: 1 }] }] });
    const otherToken = h.sandbox.createAccessToken(other.accountId);
    const mine = await h.call('GET', '/properties');
    const theirs = await h.call('GET', '/properties', { token: otherToken });
    expect(mine.body.data.map((p: { id: number }) => p.id)).toEqual(h.account.propertyIds);
    expect(theirs.body.data.map((p: { id: number }) => p.id)).toEqual(other.propertyIds);
  });
});
