import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayIn } from '../../src/utils/dates.ts';
import { createReservation, createRoom } from '../helpers/fixtures.ts';
import { startSyncWorld, waitForIdle, type SyncWorld } from '../helpers/sync_harness.ts';
import { ADMIN_TOKEN, API_TOKEN } from '../helpers/test_app.ts';

let world: SyncWorld;
const day = (n: number): string => addDays(todayIn('UTC', new Date()), n);

async function scrape(token: string | null = ADMIN_TOKEN): Promise<{ status: number; text: string }> {
  const res = await fetch(`${world.app.baseUrl}/metrics`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  return { status: res.status, text: await res.text() };
}

/** The value of one sample line, e.g. value(text, 'beds24_calls_total', { endpoint: 'POST /bookings', outcome: 'ok' }). */
function value(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text
    .split('\n')
    .find(
      (l) =>
        l.startsWith(name) &&
        !l.startsWith('#') &&
        (l[name.length] === ' ' || l[name.length] === '{') &&
        wanted.every((w) => l.includes(w)),
    );
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
}

/** Every sample line of one metric (not its HELP/TYPE lines). */
function samples(text: string, name: string): string[] {
  return text.split('\n').filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
}

beforeAll(async () => {
  world = await startSyncWorld([{ name: 'double', units: 2 }]);
  await waitForIdle(world);
});

afterAll(async () => {
  await world.close();
});

describe('GET /metrics', () => {
  it('needs the admin token', async () => {
    expect((await scrape(null)).status).toBe(401);
    expect((await scrape(API_TOKEN)).status).toBe(401);
    expect((await scrape()).status).toBe(200);
  });

  it('moves as pushes happen: calls and credits by endpoint and outcome, push latency, credit meter, failures', async () => {
    const before = (await scrape()).text;
    await createReservation(world.app, world.rooms[0]![0]!, { check_in: day(3), check_out: day(5) });
    await waitForIdle(world);
    const after = (await scrape()).text;

    const bookingsOk = { endpoint: 'POST /bookings', outcome: 'ok' };
    expect(value(after, 'beds24_calls_total', bookingsOk)).toBe(value(before, 'beds24_calls_total', bookingsOk) + 1);
    const calendar = { endpoint: 'POST /inventory/rooms/calendar' };
    expect(value(after, 'beds24_credits_spent_total', calendar)).toBeGreaterThan(
      value(before, 'beds24_credits_spent_total', calendar),
    );
    // The booking is observed as a booking push whichever job sent it: its own, or the calendar job of the
    // same edit, which sends waiting bookings first.
    const pushes = (text: string, kind: string): number => value(text, 'beds24_push_latency_seconds_count', { kind });
    expect(pushes(after, 'reservations')).toBe(pushes(before, 'reservations') + 1);
    expect(pushes(after, 'availability')).toBeGreaterThan(pushes(before, 'availability'));
    expect(value(after, 'beds24_push_latency_seconds_sum', { kind: 'reservations' })).toBeGreaterThan(0);
    expect(value(after, 'beds24_push_latency_seconds_sum', { kind: 'availability' })).toBeGreaterThan(0);
    expect(value(after, 'beds24_credits_remaining', { account: `account:${world.accountId}` })).toBeGreaterThan(0);
    expect(value(after, 'beds24_oldest_pending_change_age_seconds')).toBe(0);
    expect(value(after, 'beds24_failed_items')).toBe(0);

    // Mapped in SQL: the API refuses a Beds24 room the account does not have.
    const wrong = await createRoom(world.app, world.propertyId, { number: 'X9' });
    await world.database.db('rooms').where({ id: wrong.id }).update({ beds24_room_id: 555555 });
    await createReservation(world.app, wrong.id, { check_in: day(6), check_out: day(7) });
    await waitForIdle(world);
    const failed = (await scrape()).text;
    expect(value(failed, 'beds24_failed_items')).toBe(2);
    expect(
      value(failed, 'beds24_calls_total', { endpoint: 'POST /bookings', outcome: 'item_errors' }),
    ).toBeGreaterThanOrEqual(1);
    expect(failed).toMatch(/# TYPE beds24_jobs gauge/);
  });

  it('has one credit series per real account: none left under the property key used while connecting', async () => {
    const text = (await scrape()).text;
    expect(value(text, 'beds24_credits_remaining', { account: `account:${world.accountId}` })).toBeGreaterThan(0);
    expect(text).not.toContain(`account="property:${world.propertyId}"`);
  });

  it('exports beds24_jobs for every kind and state, zero when idle', async () => {
    await waitForIdle(world);
    const lines = samples((await scrape()).text, 'beds24_jobs');
    for (const kind of ['reservations', 'availability', 'rates', 'resync']) {
      for (const state of ['created', 'retry', 'active', 'failed']) {
        const sample = new RegExp(`kind="${kind}".*state="${state}"`);
        expect(lines, `${kind} ${state}`).toContainEqual(expect.stringMatching(sample));
      }
    }
    expect(lines.filter((line) => line.endsWith(' 0')).length).toBeGreaterThanOrEqual(12);
  });

  it('labels failed items, pending changes and their age with the property', async () => {
    const text = (await scrape()).text;
    const property = { property: world.propertyId };
    const statusPath = `/api/admin/beds24/status?property_id=${world.propertyId}`;
    const status = await world.app.request('GET', statusPath, undefined, ADMIN_TOKEN);
    expect(status.body.failed_jobs).toBeGreaterThan(0);
    expect(value(text, 'beds24_failed_items', property)).toBe(status.body.failed_jobs);
    const ofProperty = (line: string): boolean => line.includes(`property="${world.propertyId}"`);
    const pending = samples(text, 'beds24_pending_changes').filter(ofProperty);
    expect(pending).toHaveLength(4);
    expect(samples(text, 'beds24_oldest_pending_change_age_seconds')).toEqual([
      `beds24_oldest_pending_change_age_seconds{property="${world.propertyId}"} 0`,
    ]);
  });

  it('has the default process metrics and HTTP request durations by route pattern and status', async () => {
    const room = world.rooms[0]![0]!;
    const reservation = await createReservation(world.app, room, { check_in: day(20), check_out: day(21) });
    expect((await world.app.request('GET', `/api/reservations/${reservation.id}`)).status).toBe(200);
    expect((await world.app.request('PATCH', `/api/reservations/${reservation.id}`, { adults: 0 })).status).toBe(400);
    expect((await world.app.request('GET', '/api/no-such-route')).status).toBe(404);
    const text = (await scrape()).text;
    expect(value(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds /m);
    const count = (method: string, route: string, status: string): number =>
      value(text, 'http_request_duration_seconds_count', { method, route, status });
    expect(count('GET', '/api/reservations/:id', '200')).toBe(1);
    expect(count('PATCH', '/api/reservations/:id', '400')).toBe(1);
    expect(count('POST', '/api/reservations', '201')).toBeGreaterThanOrEqual(1);
    expect(count('GET', 'unmatched', '404')).toBe(1);
    expect(text).not.toContain(reservation.id);
    expect(text).not.toContain('no-such-route');
  });
});
