import { afterEach, describe, expect, it } from 'vitest';
import { scriptedRandom, startHarness, TODAY, type Harness } from './sandbox_harness.ts';

let h: Harness;
afterEach(async () => {
  await h.close();
});

const booking = () => [{ roomId: h.account.roomIds[0], arrival: TODAY, departure: '2026-03-12' }];

describe('faults', () => {
  it('answers an HTML 500 without applying or charging anything', async () => {
    h = await startHarness();
    h.sandbox.setFaults({ errorRate: 1 });
    const res = await h.call('POST', '/bookings', { body: booking() });
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(res.text).toMatch(/<html>[\s\S]*<h1>500 Internal Server Error<\/h1>/);
    expect(res.headers.get('x-request-cost')).toBeNull();
    expect(h.sandbox.bookings()).toEqual([]);
    expect(h.sandbox.creditsSpent(h.account.accountId)).toBe(0);
    expect(h.sandbox.requests.at(-1)).toMatchObject({
      path: '/bookings',
      status: 500,
      fault: 'error',
      dropped: false,
      cost: 0,
    });

    h.sandbox.setFaults({ errorRate: 1, errorStatus: 502 });
    expect((await h.call('GET', '/bookings')).text).toContain('502 Bad Gateway');
    h.sandbox.clearFaults();
    expect((await h.call('POST', '/bookings', { body: booking() })).status).toBe(201);
  });

  it('applies and charges a dropped request but never answers it', async () => {
    h = await startHarness({ sandbox: { random: scriptedRandom([0.1, 0.9]) } });
    h.sandbox.setFaults({ dropRate: 0.5 });
    await expect(h.call('POST', '/bookings', { body: booking() })).rejects.toThrow();
    expect(h.sandbox.bookings()).toHaveLength(1);
    expect(h.sandbox.creditsSpent(h.account.accountId)).toBe(1);
    expect(h.sandbox.requests.at(-1)).toMatchObject({ status: 201, fault: 'drop', dropped: true, cost: 1 });

    const answered = await h.call('POST', '/bookings', { body: booking() });
    expect(answered.status).toBe(201);
    expect(h.sandbox.bookings()).toHaveLength(2);
  });

  it('delays answers by a fixed or random latency', async () => {
    h = await startHarness({ sandbox: { random: scriptedRandom([0.5]) } });
    h.sandbox.setFaults({ latencyMs: 150 });
    let started = performance.now();
    expect((await h.call('GET', '/properties')).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);

    // random() = 0.5 picks the middle of the range: 500 ms, far from both ends.
    h.sandbox.setFaults({ latencyMs: [0, 1000] });
    started = performance.now();
    await h.call('GET', '/properties');
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(490);
    expect(elapsed).toBeLessThan(990);
  });

  it('limits faults to the listed endpoints and never touches /_sandbox', async () => {
    h = await startHarness();
    h.sandbox.setFaults({ errorRate: 1, onlyPaths: ['POST /bookings', '/v2/inventory/rooms/calendar'] });
    expect((await h.call('GET', '/bookings')).status).toBe(200);
    expect((await h.call('POST', '/bookings', { body: booking() })).status).toBe(500);
    expect((await h.call('GET', `/inventory/rooms/calendar?startDate=${TODAY}&endDate=${TODAY}`)).status).toBe(500);
    expect((await h.admin('GET', '/bookings')).status).toBe(200);
  });

  it('rejects invalid fault settings', async () => {
    h = await startHarness();
    expect(() => h.sandbox.setFaults({ errorRate: 2 })).toThrow(/errorRate/);
    expect(() => h.sandbox.setFaults({ latencyMs: [300, 100] })).toThrow(/latencyMs/);
  });
});
