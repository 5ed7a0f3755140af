import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptySummary } from '../../src/integrations/beds24/beds24_sync_types.ts';
import { SyncQueue } from '../../src/integrations/beds24/queue/sync_queue.ts';
import type { KindHandler } from '../../src/integrations/beds24/queue/sync_worker.ts';
import { recordChanges } from '../../src/integrations/beds24/store/outbox_store.ts';
import { createLogger } from '../../src/logger.ts';
import { workerRunning } from '../helpers/sync_harness.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/test_database.ts';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database.drop();
});

describe('starting the next push early', () => {
  it('is a favour: when it fails, the push that ran is still done and the edit waits in the outbox', async () => {
    const [property] = await database
      .db('properties')
      .insert({ name: 'Quiet Hotel', timezone: 'UTC' })
      .returning<Array<{ id: string }>>('id');
    const queue = new SyncQueue({ connectionString: database.url, db: database.db, logger: createLogger('silent') });
    let tried = 0;
    queue.startQueuedNow = () => {
      tried += 1;
      return Promise.reject(new Error('connection lost'));
    };
    // The hotel's next edit lands while the push runs, after its (here: no) last call: a lone edit, no burst.
    const push: KindHandler = async (propertyId) => {
      await recordChanges(database.db, propertyId, [{ kind: 'reservations', entityId: 'next-edit' }]);
      return emptySummary();
    };
    const worker = workerRunning(push, { db: database.db, queue });

    const verdict = await worker.handle(
      { kind: 'reservations', propertyId: property!.id },
      { id: 'by-hand', retryCount: 0 },
    );

    expect(tried).toBe(1);
    expect(verdict).toBe('completed');
    const waiting = await database.db('beds24_pending_changes').where({ property_id: property!.id }).pluck('entity_id');
    expect(waiting).toEqual(['next-edit']);
  });
});
