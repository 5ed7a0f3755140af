import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBeds24Sandbox, type Beds24Sandbox } from '../src/index.ts';
import { FakeClock, TODAY } from './sandbox_harness.ts';

let dir: string;
let sandbox: Beds24Sandbox | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'beds24-snapshot-'));
});
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
  await rm(dir, { recursive: true, force: true });
});

/** A state file as the sandbox wrote it before version 2 (no inventory model, no webhooks). */
const VERSION_1 = {
  version: 1,
  ids: { account: 30002, property: 100002, room: 200002, booking: 70000002, item: 90000001 },
  accounts: [
    {
      id: 30001,
      creditLimit: 100,
      windowSeconds: 300,
      tokenTtlSeconds: 86400,
      credit: { windowStartedAtMs: null, spentMilli: 0 },
    },
  ],
  properties: [{ id: 100001, accountId: 30001, name: 'Old Hotel', timezone: 'Europe/Berlin', currency: 'EUR' }],
  rooms: [{ id: 200001, accountId: 30001, propertyId: 100001, name: 'Double', qty: 2 }],
  inviteCodes: [],
  refreshTokens: [],
  accessTokens: [],
  bookings: [
    {
      id: 70000001,
      accountId: 30001,
      propertyId: 100001,
      roomId: 200001,
      status: 'confirmed',
      arrival: '2026-04-01',
      departure: '2026-04-02',
      bookingTime: '2026-03-01T10:00:00Z',
      modifiedTime: '2026-03-01T10:00:00Z',
      cancelTime: null,
      fields: { lastName: 'Old' },
      infoItems: [],
      invoiceItems: [],
    },
  ],
  calendar: { '200001': { '2026-04-01': { numAvail: 2 } } },
};

describe('state file versions', () => {
  it('loads a version 1 file with the sandbox default model and no webhooks', async () => {
    const file = join(dir, 'state.json');
    await writeFile(file, JSON.stringify(VERSION_1));
    const clock = new FakeClock(`${TODAY}T10:00:00Z`);
    sandbox = createBeds24Sandbox({ persistFile: file, inventoryModel: 'cap', clock: clock.now });
    expect(sandbox.accountIds).toEqual([30001]);
    expect(sandbox.inventoryModel(30001)).toBe('cap');
    expect(sandbox.propertyWebhooks(100001)).toBeNull();
    expect(sandbox.inventoryWebhook(30001)).toBeNull();
    expect(sandbox.calendar(200001, '2026-04-01', '2026-04-01')).toEqual([{ date: '2026-04-01', numAvail: 1 }]);
    expect(sandbox.bookings()).toEqual([expect.objectContaining({ id: 70000001, lastName: 'Old' })]);
  });

  it('writes version 2 and restores the inventory model and both webhook settings', async () => {
    const file = join(dir, 'state.json');
    const first = createBeds24Sandbox({ persistFile: file });
    const properties = [{ name: 'H', rooms: [{ name: 'R', qty: 1 }] }];
    const account = first.createAccount({ inventoryModel: 'decrement', properties });
    const webhooks = { version: 'twoNoPersonalData', url: 'https://pms.example/hook', customHeader: 'X-A: 1' } as const;
    first.setPropertyWebhooks(account.propertyIds[0]!, webhooks);
    first.setInventoryWebhook(account.accountId, { url: 'https://pms.example/inv' });
    await first.close();
    expect(JSON.parse(await readFile(file, 'utf8')).version).toBe(2);

    sandbox = createBeds24Sandbox({ persistFile: file });
    expect(sandbox.inventoryModel(account.accountId)).toBe('decrement');
    expect(sandbox.propertyWebhooks(account.propertyIds[0]!)).toEqual({
      version: 'twoNoPersonalData',
      url: 'https://pms.example/hook',
      additionalData: 'none',
      customHeader: 'X-A: 1',
    });
    expect(sandbox.inventoryWebhook(account.accountId)).toEqual({ url: 'https://pms.example/inv', customHeader: '' });
  });
});
