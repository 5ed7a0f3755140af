import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.ts';
import { createDb, type Knex } from '../../src/db.ts';
import { Beds24ClientFactory } from '../../src/integrations/beds24/client/index.ts';
import { createBeds24Sandbox, type Beds24Sandbox } from '@pms/beds24-sandbox';
import { createLogger } from '../../src/logger.ts';
import { encrypt } from '../../src/utils/encryption.ts';
import { expectWithinCreditWindows } from '../helpers/credit_windows.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/test_database.ts';

const KEY = '5e'.repeat(32);
const LIMIT = 12;
const WINDOW_SECONDS = 2;

let database: TestDatabase;
let sandbox: Beds24Sandbox;
let url: string;
let accountId: number;
let beds24PropertyId: number;
const pools: Knex[] = [];

async function connectProperty(name: string): Promise<string> {
  const [property] = await database.db('properties').insert({ name }).returning('id');
  await database.db('beds24_config').insert({
    property_id: property.id,
    beds24_property_id: beds24PropertyId,
    beds24_account_id: accountId,
    refresh_token: encrypt(sandbox.createRefreshToken(accountId), KEY),
  });
  return property.id;
}

/** A second "process": its own pool, its own credit gate and token cache, the same database and account. */
function processOn(propertyId: string) {
  const db = createDb({ url: database.url, poolMax: 5 });
  pools.push(db);
  const factory = new Beds24ClientFactory({
    db,
    baseUrl: url,
    encryptionKey: KEY,
    logger: createLogger('silent'),
    clock: systemClock,
  });
  return factory.forProperty(propertyId, accountId);
}

beforeAll(async () => {
  database = await createTestDatabase();
  sandbox = createBeds24Sandbox({});
  url = await sandbox.listen(0);
  const account = sandbox.createAccount({
    creditLimit: LIMIT,
    windowSeconds: WINDOW_SECONDS,
    properties: [{ name: 'Shared', rooms: [{ name: 'double', qty: 2 }] }],
  });
  accountId = account.accountId;
  beds24PropertyId = account.propertyIds[0]!;
});

afterAll(async () => {
  for (const pool of pools) await pool.destroy();
  await sandbox.close();
  await database.drop();
});

describe('one Beds24 account shared by two processes', () => {
  it('never exceeds the window budget and never earns a 429 once the meter is known', async () => {
    const a = processOn(await connectProperty('A'));
    const b = processOn(await connectProperty('B'));
    sandbox.resetRequestLog();
    const calls = 20;
    const started = Date.now();
    await Promise.all([
      ...Array.from({ length: calls }, () => a.getProperties([beds24PropertyId], { priority: 'critical' })),
      ...Array.from({ length: calls }, () =>
        b.getCalendar(
          { startDate: '2030-01-01', endDate: '2030-01-02', roomId: [1], includeNumAvail: true },
          { priority: 'critical' },
        ),
      ),
    ]);
    const elapsed = Date.now() - started;

    const log = sandbox.requests;
    expect(log.filter((r) => r.status === 429)).toEqual([]);
    const charged = log.filter((r) => r.cost > 0);
    expect(charged.length).toBe(2 * calls + 2);
    // 42 credits at 12 per 2-second window cannot be spent in fewer than 3 full windows.
    expect(elapsed).toBeGreaterThanOrEqual(3 * WINDOW_SECONDS * 1000);
    expectWithinCreditWindows(charged, LIMIT, WINDOW_SECONDS);
  }, 60_000);
});
