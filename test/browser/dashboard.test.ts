import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayIn } from '../../src/utils/dates.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { createReservation, createRoom } from '../helpers/fixtures.ts';
import { capturingLogger } from '../helpers/log_capture.ts';
import { bookingsOf, startSyncWorld, waitForIdle, type SyncWorld } from '../helpers/sync_harness.ts';
import { ADMIN_TOKEN } from '../helpers/test_app.ts';

// Far from UTC, so a time shown in the browser's zone instead of the hotel's would show.
const HOTEL_ZONE = 'Pacific/Kiritimati';
const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url));
const capture = capturingLogger();
let world: SyncWorld;
let browser: Browser;
const day = (n: number): string => addDays(todayIn(HOTEL_ZONE, new Date()), n);
const statusPath = (): string => `/api/admin/beds24/status?property_id=${world.propertyId}`;

beforeAll(async () => {
  world = await startSyncWorld([{ name: 'double', units: 2 }], { timezone: HOTEL_ZONE, logger: capture.logger });
  await waitForIdle(world);
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await world.close();
});

/** A page logged in to the dashboard, recording every answer the browser got. */
async function openDashboard(): Promise<{ page: Page; answers: Array<{ url: string; status: number }> }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, timezoneId: 'America/Los_Angeles' });
  const answers: Array<{ url: string; status: number }> = [];
  page.on('response', (response) => answers.push({ url: response.url(), status: response.status() }));
  await page.goto(`${world.app.baseUrl}/admin/beds24`);
  await page.fill('#token', ADMIN_TOKEN);
  await page.click('form#login button');
  return { page, answers };
}

/** What the page shows for an instant: the hotel's date and time, as YYYY-MM-DD HH:MM:SS. */
function inHotelZone(iso: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: HOTEL_ZONE,
      ...{ year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' },
      hourCycle: 'h23',
    })
      .formatToParts(new Date(iso))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

type LogLine = { level: number; msg: string; req?: { method: string; url: string }; res?: { statusCode: number } };
const requestLogs = (): LogLine[] =>
  capture.lines.map((line) => JSON.parse(line) as LogLine).filter((line) => line.msg === 'request completed');

describe('the sync dashboard in a browser', () => {
  it('labels queue figures, names failed items by guest, room and nights, hotel time zone; Retry works', async () => {
    // Mapped right, then remapped in SQL to a Beds24 room the account does not have: Beds24 refuses both pushes.
    const mapped = world.beds24RoomIds[0]!;
    const wrong = await createRoom(world.app, world.propertyId, { number: 'D1', beds24_room_id: mapped });
    await world.database.db('rooms').where({ id: wrong.id }).update({ beds24_room_id: 777777 });
    const res = await createReservation(world.app, wrong.id, {
      check_in: day(4),
      check_out: day(6),
      guest: { first_name: 'Ada', last_name: 'Lovelace' },
    });
    await waitForIdle(world);
    await world.database.db('rooms').where({ id: wrong.id }).update({ beds24_room_id: mapped });
    const failed = await world.app.request('GET', '/api/admin/beds24/jobs?state=failed', undefined, ADMIN_TOKEN);
    const reservationItem = failed.body.data.find((f: { kind: string }) => f.kind === 'reservation');

    const { page, answers } = await openDashboard();
    const section = page.locator(`section[data-property="${world.propertyId}"]`);
    await section.locator('text=connected, with failures').waitFor();
    expect(await page.locator('form#login').isVisible()).toBe(false);

    const reservations = section.locator('[data-queue="reservations"]');
    for (const name of ['pending', 'queued', 'running']) {
      const figure = reservations.locator(`[data-count="${name}"]`);
      await expect(figure.textContent()).resolves.toMatch(new RegExp(`^\\d+${name}$`));
    }
    await expect(section.locator('text=Times in Pacific/Kiritimati').count()).resolves.toBe(1);

    const failedRow = section.locator('tr[data-failed-job]', { hasText: 'Ada Lovelace' });
    await expect(failedRow.locator('td').first().textContent()).resolves.toBe(
      `Ada Lovelace · room D1 · ${day(4)} → ${day(6)} (2 nights)`,
    );
    await expect(failedRow.locator('td.error').textContent()).resolves.toMatch(/room 777777 does not exist/);
    const failedAt = inHotelZone(reservationItem.failed_at);
    await expect(failedRow.locator('[data-failed-at]').textContent()).resolves.toBe(failedAt);
    expect(await failedRow.textContent()).not.toContain(res.id);
    const calendarRow = section.locator('tr[data-failed-job]', { hasText: 'Beds24 room 777777' });
    const calendarWhat = 'Beds24 room 777777 (no PMS room maps to it)';
    await expect(calendarRow.locator('td').first().textContent()).resolves.toBe(calendarWhat);
    await expect(section.locator('[data-paused]').count()).resolves.toBe(0);
    await expect(section.locator('text=Recent Beds24 calls').count()).resolves.toBe(1);

    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}dashboard.png`, fullPage: true });

    await failedRow.locator('button', { hasText: 'Retry' }).click();
    await calendarRow.locator('button', { hasText: 'Retry' }).click();
    await section.locator('[data-no-failures]').waitFor({ timeout: 20_000 });
    await waitForIdle(world);
    expect(bookingsOf(world.sandbox, res.id)).toHaveLength(1);
    const status = await world.app.request('GET', statusPath(), undefined, ADMIN_TOKEN);
    await expect
      .poll(() => section.locator('[data-last-push] b').textContent(), { timeout: 10_000 })
      .toBe(inHotelZone(status.body.last_successful_push_at));

    // A browser asks for /favicon.ico (a 404 in its console) unless the page names an icon; this one names one
    // that loads. The headless shell asks for no icon at all, so the check reads the page's own declaration.
    const icon = await page.evaluate(`(async () => {
      const link = document.querySelector('link[rel~="icon"]');
      if (!link) return null;
      const answer = await fetch(link.href);
      return { ok: answer.ok, type: answer.headers.get('content-type') };
    })()`);
    expect(icon).toEqual({ ok: true, type: 'image/svg+xml' });
    expect(answers.filter((answer) => answer.status >= 400)).toEqual([]);
    await page.close();
  }, 60_000);

  it('shows a red banner per overbooking (guest, nights, Beds24 room), the last pull, inbound figures', async () => {
    // Every room of the Beds24 room is sold on those nights (the last one from the second night on).
    const mapped: Array<{ id: string }> = await world.database
      .db('rooms')
      .where({ property_id: world.propertyId, beds24_room_id: world.beds24RoomIds[0] })
      .select('id');
    const second = mapped.at(-1)!.id;
    for (const room of mapped.slice(0, -1)) {
      await createReservation(world.app, room.id, { check_in: day(30), check_out: day(32) });
    }
    const blocking = await createReservation(world.app, second, { check_in: day(31), check_out: day(32) });
    const [made] = world.sandbox.addBookings(world.accountId, [
      {
        roomId: world.beds24RoomIds[0],
        arrival: day(30),
        departure: day(32),
        status: 'confirmed',
        firstName: 'Nora',
        lastName: 'Overbook',
        channel: 'booking',
      },
    ]);
    const bookingId = (made?.new as { id: number }).id;
    const admin = (method: string, path: string, body?: unknown) => world.app.request(method, path, body, ADMIN_TOKEN);
    expect((await admin('POST', '/api/admin/beds24/pull', { property_id: world.propertyId })).status).toBe(202);
    const unassignedCount = async (): Promise<number> =>
      (await admin('GET', statusPath())).body.unassigned_reservations;
    await expect.poll(unassignedCount, { timeout: 15_000 }).toBe(1);
    const status = await admin('GET', statusPath());

    const { page, answers } = await openDashboard();
    const section = page.locator(`section[data-property="${world.propertyId}"]`);
    const banner = section.locator('[data-unassigned]');
    await banner.waitFor();
    const stay = `2 nights (${day(30)} → ${day(32)}) · Beds24 room ${world.beds24RoomIds[0]}`;
    const text = `Overbooking: Nora Overbook · ${stay} · booking ${bookingId} · no free room: assign one`;
    await expect(banner.textContent()).resolves.toBe(text);
    const background = await page.evaluate(
      `getComputedStyle(document.querySelector('[data-unassigned]')).backgroundColor`,
    );
    expect(background).toBe('rgb(198, 40, 40)');
    const figure = (name: string) => section.locator(`[data-${name}] b`).textContent();
    await expect(figure('last-pull')).resolves.toBe(inHotelZone(status.body.last_pull_at));
    await expect(figure('imported')).resolves.toBe(String(status.body.imported_bookings));
    await expect(figure('webhooks')).resolves.toMatch(/^\d+$/);
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}dashboard-overbooking.png`, fullPage: true });

    // Staff solve it: the second room is freed and given to the channel booking; the banner goes.
    expect((await world.app.request('DELETE', `/api/reservations/${blocking.id}`)).status).toBe(200);
    const listed = await world.app.request('GET', `/api/reservations?unassigned=true&property_id=${world.propertyId}`);
    const [unassigned] = listed.body.data;
    const assigned = await world.app.request('PATCH', `/api/reservations/${unassigned.id}`, { room_id: second });
    expect(assigned.status).toBe(200);
    await banner.waitFor({ state: 'detached', timeout: 10_000 });
    expect(answers.filter((answer) => answer.status >= 400)).toEqual([]);
    await page.close();
  }, 60_000);

  it('polls every 3 s without an info log line per request; a failed read is still logged', async () => {
    const { page } = await openDashboard();
    let polls = 0;
    page.on('requestfinished', (request) => {
      if (request.url().includes('/api/admin/beds24/status')) polls += 1;
    });
    await expect.poll(() => polls, { timeout: 15_000, interval: 200 }).toBeGreaterThanOrEqual(2);
    await page.close();

    const polled = /^\/api\/(properties|admin\/beds24\/(status|jobs|calls|config\/))/;
    const polling = requestLogs().filter((line) => line.req?.method === 'GET' && polled.test(line.req.url));
    expect(polling.filter((line) => line.level === 20).length).toBeGreaterThanOrEqual(10);
    expect(polling.filter((line) => line.level >= 30)).toEqual([]);

    const badPath = '/api/admin/beds24/status?property_id=nope';
    expect((await world.app.request('GET', badPath, undefined, ADMIN_TOKEN)).status).toBe(400);
    const refused = requestLogs().filter((line) => line.req?.url === badPath);
    expect(refused.map((line) => line.level)).toEqual([30]);
  }, 30_000);

  it('says how many changes wait while pushes are paused', async () => {
    const page = await browser.newPage();
    await page.route('**/api/admin/beds24/status?*', async (route) => {
      const answer = await route.fetch();
      const status = await answer.json();
      status.paused = true;
      status.queue_depth.reservations.pending_changes = 3;
      status.queue_depth.availability.pending_changes = 2;
      await route.fulfill({ response: answer, json: status });
    });
    await page.goto(`${world.app.baseUrl}/admin/beds24`);
    await page.fill('#token', ADMIN_TOKEN);
    await page.click('form#login button');
    await page.locator('[data-paused]', { hasText: 'paused: 5 changes waiting' }).waitFor();
    await page.close();
  });

  it('asks again for the token when a wrong one is given', async () => {
    const page = await browser.newPage();
    await page.goto(`${world.app.baseUrl}/admin/beds24`);
    await page.fill('#token', 'not-the-admin-token');
    await page.click('form#login button');
    await page.locator('text=That token is not the admin token.').waitFor();
    await page.close();
  });
});
