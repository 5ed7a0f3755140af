import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayIn } from '../../src/utils/dates.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { startSyncWorld, type SyncWorld } from '../helpers/sync_harness.ts';
import { ADMIN_TOKEN } from '../helpers/test_app.ts';

const ZONE = 'Europe/Lisbon';
const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url));
let world: SyncWorld;
let browser: Browser;
const day = (n: number): string => addDays(todayIn(ZONE, new Date()), n);

async function restrict(body: Record<string, unknown>): Promise<void> {
  const res = await world.app.request('PUT', `/api/properties/${world.propertyId}/restrictions`, body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

// Workers off: the test decides when a push runs, so a night waiting to be sent stays visible.
beforeAll(async () => {
  world = await startSyncWorld(
    [
      { name: 'double', units: 2, basePrice: 100 },
      { name: 'suite', units: 1, basePrice: 250 },
    ],
    { timezone: ZONE, workers: false, horizonDays: 45 },
  );
  await world.app.sync.pushCalendar(world.propertyId);
  await restrict({ room_type: 'double', from: day(3), to: day(4), stop_sell: true });
  await restrict({ room_type: 'suite', from: day(5), to: day(8), min_stay: 3 });
  await restrict({ room_type: 'suite', from: day(6), to: day(6), closed_to_arrival: true });
  await world.app.sync.pushCalendar(world.propertyId);
  world.sandbox.editCalendar(world.beds24RoomIds[0]!, [{ from: day(12), to: day(12), numAvail: 0 }]);
  const verify = { property_id: world.propertyId, repair: false };
  expect((await world.app.request('POST', '/api/admin/beds24/verify', verify, ADMIN_TOKEN)).status).toBe(200);
  const rate = { from: day(10), to: day(11), price: 199 };
  expect((await world.app.request('PUT', `/api/rooms/${world.rooms[1]![0]}/rates`, rate)).status).toBe(200);
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await world.close();
});

describe('the calendar grid in the dashboard', () => {
  it('draws rooms by nights with units, price and marks; stop-sell, pending and drift cells stand out', async () => {
    const page = await browser.newPage({ viewport: { width: 1500, height: 900 }, timezoneId: 'America/Los_Angeles' });
    const answers: Array<{ url: string; status: number }> = [];
    page.on('response', (response) => answers.push({ url: response.url(), status: response.status() }));
    await page.goto(`${world.app.baseUrl}/admin/beds24`);
    await page.fill('#token', ADMIN_TOKEN);
    await page.click('form#login button');

    const calendar = page.locator(`section[data-calendar="${world.propertyId}"]`);
    await calendar.waitFor();
    const [doubleId, suiteId] = world.beds24RoomIds as [number, number];
    const double = calendar.locator(`tr[data-beds24-room="${doubleId}"]`);
    const suite = calendar.locator(`tr[data-beds24-room="${suiteId}"]`);
    await expect(double.locator('th').textContent()).resolves.toBe(`${doubleId}rooms 100, 101`);
    await expect(double.locator('td.cell').count()).resolves.toBe(30);
    await expect(double.locator('td.cell').first().getAttribute('data-date')).resolves.toBe(day(0));

    const stopSell = double.locator(`td[data-stop-sell][data-date="${day(3)}"]`);
    await expect(stopSell.textContent()).resolves.toBe('2100STOP');
    await expect(double.locator('td[data-stop-sell]').count()).resolves.toBe(2);
    await expect(suite.locator(`td[data-date="${day(6)}"]`).textContent()).resolves.toBe('1250CTA ≥3');

    const pending = suite.locator(`td[data-pending][data-date="${day(10)}"]`);
    await expect(pending.textContent()).resolves.toBe('1199');
    const accepted = /Beds24 accepted: 1 units @ 250[\s\S]*waiting to be sent/;
    await expect(pending.getAttribute('title')).resolves.toMatch(accepted);
    await expect(calendar.locator('td[data-pending]').count()).resolves.toBe(2);
    await expect(calendar.locator('[data-calendar-state]').textContent()).resolves.toMatch(/^2 nights to send · drift/);

    const drift = double.locator(`td[data-drift][data-date="${day(12)}"]`);
    await expect(drift.getAttribute('title')).resolves.toMatch(/last drift check: Beds24 had .*"num_avail":0/);
    await expect(calendar.locator('.legend').textContent()).resolves.toMatch(/stop-sell.*waiting to be sent.*refused/);

    await mkdir(ARTIFACTS, { recursive: true });
    await calendar.screenshot({ path: `${ARTIFACTS}calendar.png` });
    await page.screenshot({ path: `${ARTIFACTS}dashboard_with_calendar.png`, fullPage: true });

    // Paging: earlier is closed at today; later moves 30 nights on, up to the horizon.
    await expect(calendar.locator('button', { hasText: 'earlier' }).isDisabled()).resolves.toBe(true);
    await calendar.locator('button', { hasText: 'later' }).click();
    await calendar
      .locator(`td[data-date="${day(30)}"]`)
      .first()
      .waitFor();
    await expect(calendar.locator('button', { hasText: 'later' }).isDisabled()).resolves.toBe(true);
    await expect(double.locator('td.cell.unpublished').count()).resolves.toBe(15);
    await calendar.locator('button', { hasText: 'earlier' }).click();
    await calendar
      .locator(`td[data-date="${day(0)}"]`)
      .first()
      .waitFor();

    expect(answers.filter((answer) => answer.status >= 400)).toEqual([]);
    await page.close();
  }, 60_000);
});
