import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, TODAY, type Harness } from './sandbox_harness.ts';

let h: Harness;
afterEach(async () => {
  await h.close();
});

function meter(res: { headers: Headers }) {
  return {
    remaining: res.headers.get('x-five-min-limit-remaining'),
    resetsIn: res.headers.get('x-five-min-limit-resets-in'),
    cost: res.headers.get('x-request-cost'),
  };
}

describe('credit window', () => {
  it('sends the three meter headers with decimal costs on every charged answer', async () => {
    h = await startHarness();
    const bookings = await h.call('GET', '/bookings');
    expect(meter(bookings)).toEqual({ remaining: '98.8', resetsIn: '300', cost: '1.2' });
    h.clock.advanceSeconds(10.5);
    const properties = await h.call('GET', '/properties');
    expect(meter(properties)).toEqual({ remaining: '97.8', resetsIn: '290', cost: '1' });
    const write = await h.call('POST', '/bookings', {
      body: [{ roomId: h.account.roomIds[0], arrival: TODAY, departure: '2026-03-12' }],
    });
    expect(write.status).toBe(201);
    expect(meter(write)).toEqual({ remaining: '96.8', resetsIn: '290', cost: '1' });
    const calendar = await h.call('GET', `/inventory/rooms/calendar?startDate=${TODAY}&endDate=${TODAY}`);
    expect(meter(calendar).remaining).toBe('95.8');
    expect(h.sandbox.creditsSpent(h.account.accountId)).toBe(4.2);
  });

  it('answers 429 once credits run out, applies nothing, and logs it', async () => {
    h = await startHarness({
      account: { creditLimit: 3, properties: [{ name: 'H', rooms: [{ name: 'R', qty: 1 }] }] },
    });
    await h.call('GET', '/bookings');
    await h.call('GET', '/bookings');
    const third = await h.call('GET', '/bookings');
    expect(third.status).toBe(429);
    expect(third.body).toEqual({ success: false, type: 'error', code: 429, error: 'Credit limit exceeded' });
    expect(meter(third)).toEqual({ remaining: '0.6', resetsIn: '300', cost: '0' });

    const roomId = h.account.roomIds[0];
    const post = await h.call('POST', '/bookings', { body: [{ roomId, arrival: TODAY, departure: '2026-03-11' }] });
    expect(post.status).toBe(429);
    expect(h.sandbox.bookings()).toEqual([]);
    const calendar = await h.call('POST', '/inventory/rooms/calendar', {
      body: [{ roomId, calendar: [{ from: TODAY, to: TODAY, price1: 10 }] }],
    });
    expect(calendar.status).toBe(429);
    expect(h.sandbox.calendar(roomId!, TODAY, TODAY)).toEqual([{ date: TODAY }]);

    expect(h.sandbox.requests.filter((r) => r.status === 429)).toHaveLength(3);
    expect(h.sandbox.creditsSpent(h.account.accountId)).toBe(2.4);
  });

  it('resets to the full limit once the window has passed', async () => {
    h = await startHarness({ account: { creditLimit: 2, windowSeconds: 300, properties: [] } });
    h.sandbox.setCosts({ 'GET /properties': 1 });
    await h.call('GET', '/properties');
    h.clock.advanceSeconds(100);
    expect(meter(await h.call('GET', '/properties'))).toEqual({ remaining: '0', resetsIn: '200', cost: '1' });
    h.clock.advanceSeconds(199);
    expect((await h.call('GET', '/properties')).status).toBe(429);
    h.clock.advanceSeconds(1);
    const fresh = await h.call('GET', '/properties');
    expect(fresh.status).toBe(200);
    expect(meter(fresh)).toEqual({ remaining: '1', resetsIn: '300', cost: '1' });
  });

  it('shares one window between all tokens of an account but not across accounts', async () => {
    h = await startHarness({ account: { creditLimit: 2, properties: [] } });
    const second = h.sandbox.createAccessToken(h.account.accountId);
    const other = h.sandbox.createAccount({ creditLimit: 2, properties: [] });
    const otherToken = h.sandbox.createAccessToken(other.accountId);

    expect((await h.call('GET', '/properties')).status).toBe(200);
    expect((await h.call('GET', '/properties', { token: second })).status).toBe(200);
    expect((await h.call('GET', '/properties', { token: second })).status).toBe(429);
    expect((await h.call('GET', '/properties')).status).toBe(429);

    const theirs = await h.call('GET', '/properties', { token: otherToken });
    expect(theirs.status).toBe(200);
    expect(meter(theirs).remaining).toBe('1');
  });

  it('does not charge validation errors and omits the meter on them', async () => {
    h = await startHarness();
    const bad = await h.call('GET', '/bookings?arrivalFrom=tomorrow');
    expect(bad.status).toBe(400);
    expect(meter(bad)).toEqual({ remaining: null, resetsIn: null, cost: null });
    expect(h.sandbox.creditsSpent(h.account.accountId)).toBe(0);
  });

  it('uses configured costs and a changed credit window', async () => {
    h = await startHarness({ sandbox: { costs: { 'POST /inventory/rooms/calendar': 2.5 } } });
    const post = await h.call('POST', '/inventory/rooms/calendar', { body: [] });
    expect(meter(post)).toMatchObject({ cost: '2.5', remaining: '97.5' });
    h.sandbox.setCreditWindow(h.account.accountId, { limit: 10, windowSeconds: 60 });
    expect(meter(await h.call('GET', '/properties'))).toEqual({ remaining: '9', resetsIn: '60', cost: '1' });
    expect(h.sandbox.credits(h.account.accountId)).toMatchObject({ limit: 10, remaining: 9, spent: 3.5 });
  });
});
