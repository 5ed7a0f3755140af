import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { down, up } from '../../migrations/20261202000700_beds24_sync_kinds.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/test_database.ts';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database.drop();
});

describe('the migration to one word per kind of sync', () => {
  it('renames the reservation changes already waiting in the outbox, and keeps the others as they are', async () => {
    const db = database.db;
    const [property] = await db('properties').insert({ name: 'Waiting' }).returning('id');
    await down(db);
    await db.raw(
      `insert into beds24_pending_changes (property_id, kind, entity_id)
       values (?, 'reservation', 'r-1'), (?, 'rates', 'calendar'), (?, 'resync', '2027-01-01..2027-01-31')`,
      [property.id, property.id, property.id],
    );
    await up(db);
    const rows = await db('beds24_pending_changes')
      .where({ property_id: property.id })
      .orderBy('kind')
      .select('kind', 'entity_id');
    expect(rows).toEqual([
      { kind: 'rates', entity_id: 'calendar' },
      { kind: 'reservations', entity_id: 'r-1' },
      { kind: 'resync', entity_id: '2027-01-01..2027-01-31' },
    ]);
    const oldWord = db.raw(
      `insert into beds24_pending_changes (property_id, kind, entity_id) values (?, 'reservation', 'r-2')`,
      [property.id],
    );
    await expect(oldWord).rejects.toThrow(/beds24_pending_changes_kind_check/);
  });
});
