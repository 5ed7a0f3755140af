import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBeds24Sandbox, SandboxStateFileError } from '../src/index.ts';
import { DEFAULT_ACCOUNT, FakeClock, request, startHarness, TODAY, type Harness } from './sandbox_harness.ts';

let h: Harness | undefined;
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'beds24-sandbox-'));
});
afterEach(async () => {
  await h?.close();
  h = undefined;
  await rm(dir, { recursive: true, force: true });
});

function causeCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: string } }).cause;
  return cause?.code;
}

describe('close and listen again', () => {
  it('refuses connections while closed and comes back with the same state on the same port', async () => {
    h = await startHarness();
    const created = await h.call('POST', '/bookings', {
      body: [{ roomId: h.account.roomIds[0], arrival: TODAY, departure: '2026-03-11' }],
    });
    const port = Number(new URL(h.url).port);
    await h.sandbox.close();
    expect(h.sandbox.url).toBeUndefined();
    const refused = await h.call('GET', '/bookings').catch((error: unknown) => error);
    expect(causeCode(refused)).toBe('ECONNREFUSED');

    expect(await h.sandbox.listen(port)).toBe(h.url);
    const again = await h.call('GET', '/bookings');
    expect(again.status).toBe(200);
    expect(again.body.data.map((b: { id: number }) => b.id)).toEqual([created.body[0].new.id]);
  });

  it('cuts a request in flight when closing', async () => {
    h = await startHarness();
    h.sandbox.setFaults({ latencyMs: 2000 });
    const pending = h.call('GET', '/bookings').catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = performance.now();
    await h.sandbox.close();
    expect(performance.now() - started).toBeLessThan(1000);
    expect(await pending).toBeInstanceOf(Error);
  });
});

describe('persistFile', () => {
  it('restores accounts, tokens, bookings, calendar and id counters after a restart', async () => {
    const file = join(dir, 'nested', 'state.json');
    const clock = new FakeClock(`${TODAY}T10:00:00Z`);
    const first = createBeds24Sandbox({ clock: clock.now, persistFile: file });
    const url = await first.listen(0);
    const account = first.createAccount(DEFAULT_ACCOUNT);
    const refreshToken = first.createRefreshToken(account.accountId);
    const token = (await request(`${url}/authentication/token`, 'GET', { headers: { refreshToken } })).body
      .token as string;
    const roomId = account.roomIds[0]!;
    const posted = await request(`${url}/bookings`, 'POST', {
      token,
      body: [
        {
          roomId,
          arrival: '2026-04-01',
          departure: '2026-04-03',
          firstName: 'Ada',
          infoItems: [{ code: 'PMS', text: '1' }],
        },
      ],
    });
    const bookingId = posted.body[0].new.id as number;
    await request(`${url}/inventory/rooms/calendar`, 'POST', {
      token,
      body: [{ roomId, calendar: [{ from: '2026-04-01', to: '2026-04-02', price1: 99 }] }],
    });
    await first.close();

    const second = createBeds24Sandbox({ clock: clock.now, persistFile: file });
    h = { close: () => second.close() } as Harness;
    const url2 = await second.listen(0);
    expect(second.accountIds).toEqual([account.accountId]);
    expect(second.bookings()).toEqual([
      expect.objectContaining({
        id: bookingId,
        firstName: 'Ada',
        infoItems: [expect.objectContaining({ code: 'PMS' })],
      }),
    ]);
    expect(second.calendar(roomId, '2026-04-01', '2026-04-02')).toEqual([
      { date: '2026-04-01', price1: 99 },
      { date: '2026-04-02', price1: 99 },
    ]);
    expect((await request(`${url2}/bookings`, 'GET', { token })).status).toBe(200);
    expect((await request(`${url2}/authentication/token`, 'GET', { headers: { refreshToken } })).status).toBe(200);
    const next = await request(`${url2}/bookings`, 'POST', {
      token,
      body: [{ roomId, arrival: '2026-04-05', departure: '2026-04-06' }],
    });
    expect(next.body[0].new.id).toBe(bookingId + 1);
    expect(second.createAccount({}).accountId).toBe(account.accountId + 1);
  });

  it('saves within a second of a change without waiting for close, atomically', async () => {
    const file = join(dir, 'state.json');
    const sandbox = createBeds24Sandbox({ persistFile: file });
    h = { close: () => sandbox.close() } as Harness;
    sandbox.createAccount(DEFAULT_ACCOUNT);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const saved = JSON.parse(await readFile(file, 'utf8'));
    expect(saved.accounts).toHaveLength(1);
    expect(saved.rooms).toHaveLength(2);
  });

  it('refuses a corrupt state file with a typed error', async () => {
    const file = join(dir, 'state.json');
    await writeFile(file, '{"version": 1, "accounts": "nope"}');
    expect(() => createBeds24Sandbox({ persistFile: file })).toThrow(SandboxStateFileError);
    await writeFile(file, 'not json');
    expect(() => createBeds24Sandbox({ persistFile: file })).toThrow(SandboxStateFileError);
  });
});
