import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptySummary } from '../../src/integrations/beds24/beds24_sync_types.ts';
import { SyncQueue } from '../../src/integrations/beds24/queue/sync_queue.ts';
import type { KindHandler } from '../../src/integrations/beds24/queue/sync_worker.ts';
import { createLogger } from '../../src/logger.ts';
import { workerRunning } from '../helpers/sync_harness.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/test_database.ts';

let database: TestDatabase;
let queue: SyncQueue;

beforeAll(async () => {
  database = await createTestDatabase();
  queue = new SyncQueue({ connectionString: database.url, db: database.db, logger: createLogger('silent') });
});

afterAll(async () => {
  await database.drop();
});

describe('SyncWorker', () => {
  it('runs one push per property at a time, whatever the kind, but different properties side by side', async () => {
    const spans: Array<{ propertyId: string; start: number; end: number }> = [];
    const push: KindHandler = async (propertyId) => {
      const start = performance.now();
      await new Promise((resolve) => setTimeout(resolve, 150));
      spans.push({ propertyId, start, end: performance.now() });
      return emptySummary();
    };
    const overlap = (x: { start: number; end: number }, y: { start: number; end: number }): boolean =>
      x.start < y.end && y.start < x.end;
    const worker = workerRunning(push, { db: database.db, queue });
    const [a, b] = ['00000000-0000-4000-8000-00000000000a', '00000000-0000-4000-8000-00000000000b'];
    const verdicts = await Promise.all([
      worker.handle({ kind: 'reservations', propertyId: a }, { id: '1', retryCount: 0 }),
      worker.handle({ kind: 'availability', propertyId: a }, { id: '2', retryCount: 0 }),
      worker.handle({ kind: 'resync', propertyId: a }, { id: '3', retryCount: 0 }),
      worker.handle({ kind: 'import', propertyId: a }, { id: '5', retryCount: 0 }),
      worker.handle({ kind: 'reservations', propertyId: b }, { id: '4', retryCount: 0 }),
    ]);
    expect(verdicts).toEqual(['completed', 'completed', 'completed', 'completed', 'completed']);
    const ofA = spans.filter((span) => span.propertyId === a);
    const ofB = spans.filter((span) => span.propertyId === b);
    expect(ofA).toHaveLength(4);
    for (const [i, x] of ofA.entries()) for (const y of ofA.slice(i + 1)) expect(overlap(x, y)).toBe(false);
    // Property b's push ran while one of property a's did: properties do not wait for each other.
    expect(ofA.some((x) => overlap(x, ofB[0]!))).toBe(true);
  });
});
