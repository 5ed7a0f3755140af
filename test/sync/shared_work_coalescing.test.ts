import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { jobsOverlapping, type SyncKind } from '../../src/integrations/beds24/queue/job_kinds.ts';
import { SYNC_QUEUE } from '../../src/integrations/beds24/queue/queue_config.ts';
import { PGBOSS_SCHEMA, SyncQueue } from '../../src/integrations/beds24/queue/sync_queue.ts';
import { createLogger } from '../../src/logger.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/test_database.ts';

// No workers: the jobs stay queued, so each case reads exactly what a send queued, and when for.
let database: TestDatabase;
let queue: SyncQueue;
let propertyId: string;

interface QueuedJob {
  kind: SyncKind;
  delay_ms: number;
}

async function queuedJobs(): Promise<QueuedJob[]> {
  const { rows } = await database.db.raw<{ rows: QueuedJob[] }>(
    `select data->>'kind' as kind, (extract(epoch from start_after - created_on) * 1000)::int as delay_ms
     from ${PGBOSS_SCHEMA}.job where name = ? and data->>'propertyId' = ? order by created_on`,
    [SYNC_QUEUE, propertyId],
  );
  return rows;
}

beforeAll(async () => {
  database = await createTestDatabase();
  queue = new SyncQueue({ connectionString: database.url, db: database.db, logger: createLogger('silent') });
  await queue.start();
});

beforeEach(async () => {
  const [property] = await database
    .db('properties')
    .insert({ name: 'Coalescing Hotel', timezone: 'UTC' })
    .returning<Array<{ id: string }>>('id');
  propertyId = property!.id;
});

afterAll(async () => {
  await queue.stop();
  await database.drop();
});

describe('a change whose work a job of another kind does', () => {
  it('rides in a calendar job queued to start within its debounce, without a job of its own', async () => {
    await queue.send(database.db, 'availability', propertyId);
    expect(await queue.send(database.db, 'rates', propertyId)).toBeNull();

    expect(await queuedJobs()).toEqual([{ kind: 'availability', delay_ms: 0 }]);
  });

  it('rides in a rates job that starts within the availability debounce too', async () => {
    await queue.send(database.db, 'rates', propertyId);
    await queue.send(database.db, 'availability', propertyId);

    expect(await queuedJobs()).toEqual([{ kind: 'rates', delay_ms: 0 }]);
  });

  it('is not held back by one queued for later: a rates job deferred for credits leaves an availability change its leading edge', async () => {
    await queue.send(database.db, 'rates', propertyId, { delaySeconds: 120 });
    await queue.send(database.db, 'availability', propertyId);

    expect(await queuedJobs()).toEqual([
      { kind: 'rates', delay_ms: 120_000 },
      { kind: 'availability', delay_ms: 0 },
    ]);
  });

  it('answers the id of the job that carries it when asked for one', async () => {
    const carrying = await queue.send(database.db, 'availability', propertyId, { wantId: true });
    expect(carrying).not.toBeNull();
    expect(await queue.send(database.db, 'rates', propertyId, { wantId: true })).toBe(carrying);
  });

  it('is started early with the calendar job of either kind when a lone edit follows a push', async () => {
    await queue.send(database.db, 'rates', propertyId, { delaySeconds: 30 });

    expect(await queue.startQueuedNow(database.db, jobsOverlapping('availability'), propertyId)).toBe(true);
    const [rates] = await queuedJobs();
    expect(rates!.delay_ms).toBeLessThan(1_000);
  });

  it('rides, as a booking change, in a calendar job: its run sends the waiting bookings first', async () => {
    const carrying = await queue.send(database.db, 'availability', propertyId, { wantId: true });
    expect(await queue.send(database.db, 'reservations', propertyId, { wantId: true })).toBe(carrying);

    expect(await queuedJobs()).toEqual([{ kind: 'availability', delay_ms: 0 }]);
  });

  it('never rides in a job that does less: a calendar change gets its own job beside a booking job', async () => {
    await queue.send(database.db, 'reservations', propertyId);
    await queue.send(database.db, 'availability', propertyId);

    expect(await queuedJobs()).toEqual([
      { kind: 'reservations', delay_ms: 0 },
      { kind: 'availability', delay_ms: 0 },
    ]);
  });
});
