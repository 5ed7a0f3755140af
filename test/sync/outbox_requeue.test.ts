import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clearChanges,
  recordChanges,
  takePendingChanges,
  waitingChangesSince,
} from '../../src/integrations/beds24/store/outbox_store.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/test_database.ts';

let database: TestDatabase;
let propertyId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  const [property] = await database
    .db('properties')
    .insert({ name: 'Outbox Hotel', timezone: 'UTC' })
    .returning<Array<{ id: string }>>('id');
  propertyId = property!.id;
});

afterAll(async () => {
  await database.drop();
});

async function rows(): Promise<Array<{ entity_id: string; first_queued_at: Date; last_queued_at: Date }>> {
  return database
    .db('beds24_pending_changes')
    .where({ property_id: propertyId })
    .orderBy('entity_id')
    .select('entity_id', 'first_queued_at', 'last_queued_at');
}

describe('a change edited again while a push sends it', () => {
  it('stays, waiting since that edit: the push carried the one before', async () => {
    await recordChanges(database.db, propertyId, [
      { kind: 'availability', entityId: 'calendar' },
      { kind: 'availability', entityId: 'untouched' },
    ]);
    const [before] = await rows();
    const taken = await takePendingChanges(database.db, propertyId, ['availability']);
    await recordChanges(database.db, propertyId, [{ kind: 'availability', entityId: 'calendar' }]);
    const [edited] = await rows();
    await recordChanges(database.db, propertyId, [{ kind: 'availability', entityId: 'calendar' }]);

    await clearChanges(database.db, propertyId, taken);

    const left = await rows();
    expect(left.map((row) => row.entity_id)).toEqual(['calendar']);
    // Waiting since the first edit the push did not carry, not since the one it sent, nor the last one.
    expect(left[0]!.first_queued_at).toEqual(edited!.last_queued_at);
    expect(left[0]!.first_queued_at.getTime()).toBeGreaterThan(before!.first_queued_at.getTime());
    expect(left[0]!.last_queued_at.getTime()).toBeGreaterThan(edited!.last_queued_at.getTime());
  });

  it('keeps waiting since its first edit when the push that took it failed and a retry takes it again', async () => {
    await recordChanges(database.db, propertyId, [{ kind: 'rates', entityId: 'retried' }]);
    const [first] = (await rows()).filter((row) => row.entity_id === 'retried');
    await takePendingChanges(database.db, propertyId, ['rates']);
    await recordChanges(database.db, propertyId, [{ kind: 'rates', entityId: 'retried' }]);
    const retry = await takePendingChanges(database.db, propertyId, ['rates']);
    const [retaken] = (await rows()).filter((row) => row.entity_id === 'retried');
    expect(retaken!.first_queued_at).toEqual(first!.first_queued_at);

    await clearChanges(database.db, propertyId, retry);

    expect((await rows()).some((row) => row.entity_id === 'retried')).toBe(false);
  });
  it.each([
    [1, 1],
    [3, 3],
  ])('counts %i edit(s) made while the push ran as %i, though one row gathers them', async (made, counted) => {
    const [property] = await database
      .db('properties')
      .insert({ name: 'Counting Hotel', timezone: 'UTC' })
      .returning<Array<{ id: string }>>('id');
    const id = property!.id;
    await recordChanges(database.db, id, [{ kind: 'rates', entityId: 'calendar' }]);
    const taken = await takePendingChanges(database.db, id, ['rates']);
    const { rows } = await database.db.raw<{ rows: Array<{ now: Date }> }>('select now() as now');
    for (let i = 0; i < made; i += 1) await recordChanges(database.db, id, [{ kind: 'rates', entityId: 'calendar' }]);
    await clearChanges(database.db, id, taken);

    expect(await waitingChangesSince(database.db, id, ['rates'], rows[0]!.now)).toEqual({ before: 0, edits: counted });
  });
});
