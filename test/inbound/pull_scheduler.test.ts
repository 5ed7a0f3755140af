import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Knex } from '../../src/db.ts';
import { claimDueImports } from '../../src/integrations/beds24/store/pull_state_store.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/test_database.ts';

let database: TestDatabase;
let other: Knex;
const properties: string[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  other = createDb({ url: database.url, poolMax: 2 });
  const db = database.db;
  for (let i = 0; i < 40; i += 1) {
    const [property] = await db('properties')
      .insert({ name: `Scheduler ${i}` })
      .returning('id');
    const id = (property as { id: string }).id;
    properties.push(id);
    await db('beds24_config').insert({
      property_id: id,
      beds24_property_id: 1000 + i,
      refresh_token: 'v1:encrypted',
      sync_enabled: true,
      push_sync_enabled: true,
      pull_sync_enabled: i % 10 !== 9,
    });
  }
});

afterAll(async () => {
  await other?.destroy();
  await database?.drop();
});

const T0 = new Date('2027-05-01T10:00:00Z');
const at = (seconds: number): Date => new Date(T0.getTime() + seconds * 1000);
const options = { intervalSeconds: 300, inboxGraceSeconds: 10 };

describe('the pull scheduler tick', () => {
  it('costs one statement whatever the number of properties', async () => {
    let statements = 0;
    const count = (): void => {
      statements += 1;
    };
    database.db.on('query', count);
    try {
      await claimDueImports(database.db, at(-1000), { ...options, intervalSeconds: null });
    } finally {
      database.db.off('query', count);
    }
    expect(statements).toBe(1);
  });

  it('claims each property with pulls on once per interval, across processes racing for it', async () => {
    const [a, b] = await Promise.all([claimDueImports(database.db, T0, options), claimDueImports(other, T0, options)]);
    const claimed = [...a, ...b].filter((row) => row.pull).map((row) => row.property_id);
    const enabled = properties.filter((_, i) => i % 10 !== 9);
    expect(claimed.sort()).toEqual([...enabled].sort());
    expect(await claimDueImports(database.db, at(299), options)).toEqual([]);
    const next = await claimDueImports(other, at(300), options);
    expect(next.map((row) => row.property_id).sort()).toEqual([...enabled].sort());
  });

  it('lists a property whose delivery waited past the grace (wake-up lost) or whose deferral ended', async () => {
    const [first, second] = properties as [string, string];
    const delivery = { kind: 'booking' as const, beds24_property_id: 1000, beds24_booking_id: 5, beds24_room_id: 7 };
    await database.db('beds24_webhook_inbox').insert({ ...delivery, property_id: first, received_at: at(1000) });
    await database.db('beds24_webhook_inbox').insert({
      ...delivery,
      property_id: second,
      received_at: at(900),
      not_before: at(1200),
    });
    const ids = async (now: Date) =>
      (await claimDueImports(database.db, now, { ...options, intervalSeconds: null })).map((row) => row.property_id);
    expect(await ids(at(1005))).toEqual([]);
    expect(await ids(at(1011))).toEqual([first]);
    expect((await ids(at(1201))).sort()).toEqual([first, second].sort());
  });
});
