import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayIn } from '../../src/utils/dates.ts';
import { createReservation, createRoom } from '../helpers/fixtures.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { bookingsOf, startSyncWorld, waitForIdle, type SyncWorld } from '../helpers/sync_harness.ts';
import { ADMIN_TOKEN } from '../helpers/test_app.ts';

let world: SyncWorld;
let browser: Browser;
const day = (n: number): string => addDays(todayIn('UTC', new Date()), n);

beforeAll(async () => {
  world = await startSyncWorld([{ name: 'double', units: 2 }]);
  await waitForIdle(world);
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await world.close();
});

describe('the sync dashboard in a browser', () => {
  it('shows a failed job with Beds24 message; Retry makes it succeed', async () => {
    const wrong = await createRoom(world.app, world.propertyId, { number: 'D1', beds24_room_id: 777777 });
    const res = await createReservation(world.app, wrong.id, { check_in: day(4), check_out: day(6) });
    await waitForIdle(world);
    await world.database.db('rooms').where({ id: wrong.id }).update({ beds24_room_id: world.beds24RoomIds[0] });

    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.goto(`${world.app.baseUrl}/admin/beds24`);
    await page.fill('#token', ADMIN_TOKEN);
    await page.click('form#login button');
    const section = page.locator(`section[data-property="${world.propertyId}"]`);
    await section.locator('text=connected, with failures').waitFor();
    expect(await page.locator('form#login').isVisible()).toBe(false);
    const failedRow = section.locator('tr[data-failed-job]', { hasText: `reservation ${res.id}` });
    await expect(failedRow.locator('td.error').textContent()).resolves.toMatch(/room 777777 does not exist/);
    await expect(section.locator('text=Recent Beds24 calls').count()).resolves.toBe(1);
    // DASHBOARD_SCREENSHOT=docs/dashboard.png refreshes the README's picture.
    await page.screenshot({ path: process.env.DASHBOARD_SCREENSHOT ?? join(tmpdir(), 'pms-dashboard.png'), fullPage: true });

    const calendarRow = section.locator('tr[data-failed-job]', { hasText: 'Beds24 room 777777' });
    await failedRow.locator('button', { hasText: 'Retry' }).click();
    await calendarRow.locator('button', { hasText: 'Retry' }).click();
    await section.locator('[data-no-failures]').waitFor({ timeout: 20_000 });
    await waitForIdle(world);
    expect(bookingsOf(world.sandbox, res.id)).toHaveLength(1);
    await page.close();
  }, 60_000);

  it('asks again for the token when a wrong one is given', async () => {
    const page = await browser.newPage();
    await page.goto(`${world.app.baseUrl}/admin/beds24`);
    await page.fill('#token', 'not-the-admin-token');
    await page.click('form#login button');
    await page.locator('text=That token is not the admin token.').waitFor();
    await page.close();
  });
});
