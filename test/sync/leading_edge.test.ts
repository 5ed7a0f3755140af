import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobsSharingWork } from '../../src/integrations/beds24/queue/job_kinds.ts';
import { SYNC_QUEUE, singletonKeyFor } from '../../src/integrations/beds24/queue/queue_config.ts';
import { PGBOSS_SCHEMA } from '../../src/integrations/beds24/queue/sync_queue.ts';
import { addDays, todayIn } from '../../src/utils/dates.ts';
import { createReservation } from '../helpers/fixtures.ts';
import { eventually } from '../helpers/inbound.ts';
import { bookingsOf, callsTo, startSyncWorld, waitForIdle, type SyncWorld } from '../helpers/sync_harness.ts';

// Debounces of 10 s (bookings) and one worker polling every 20 s: a push that waited for either would show
// in the job's timing fields, far from the instant the edit's job was created.
const DEBOUNCE_FACTOR = 10;
const POLLING_SECONDS = 20;

let world: SyncWorld;
const day = (n: number): string => addDays(todayIn('UTC', new Date()), n);

interface JobTimes {
  created_on: Date;
  start_after: Date;
  started_on: Date | null;
}

/** The jobs that push bookings: booking jobs, and calendar jobs (which send the waiting bookings first). */
async function bookingJobs(since: Date): Promise<JobTimes[]> {
  const keys = jobsSharingWork('reservations').map((kind) => singletonKeyFor(kind, world.propertyId));
  const { rows } = await world.database.db.raw<{ rows: JobTimes[] }>(
    `select created_on, start_after, started_on from ${PGBOSS_SCHEMA}.job
     where name = ? and singleton_key = any(?) and created_on >= ? order by created_on`,
    [SYNC_QUEUE, keys, since],
  );
  return rows;
}

async function databaseNow(): Promise<Date> {
  const { rows } = await world.database.db.raw<{ rows: Array<{ now: Date }> }>('select now() as now');
  return rows[0]!.now;
}

beforeAll(async () => {
  world = await startSyncWorld([{ name: 'double', units: 4 }], {
    tuning: { debounceFactor: DEBOUNCE_FACTOR, pollingIntervalSeconds: POLLING_SECONDS, localConcurrency: 1 },
  });
  await waitForIdle(world, 60_000);
}, 90_000);

afterAll(async () => {
  await world.close();
});

describe('leading-edge pushes', () => {
  it('hand the first edit after a quiet period to Beds24 at once, woken in the process that saved it', async () => {
    const since = await databaseNow();
    world.sandbox.resetRequestLog();
    const res = await createReservation(world.app, world.rooms[0]![0]!, { check_in: day(5), check_out: day(7) });
    await waitForIdle(world, 60_000);

    expect(bookingsOf(world.sandbox, res.id)).toHaveLength(1);
    const [job, ...others] = await bookingJobs(since);
    expect(others).toHaveLength(0);
    // No debounce: the job could start the moment it was created.
    expect(job!.start_after.getTime()).toBe(job!.created_on.getTime());
    // And no poll: the worker was woken for it, so it started well before a poll would likely have come.
    expect(job!.started_on!.getTime() - job!.created_on.getTime()).toBeLessThan((POLLING_SECONDS * 1000) / 4);
    // One job for the edit: its booking rides in the calendar job the edit queued, which sends it first.
    const sent = world.sandbox.requests.find((r) => r.method === 'POST' && r.path === '/bookings');
    expect(new Date(sent!.time).getTime()).toBeGreaterThanOrEqual(job!.created_on.getTime());
  });

  it('push the one edit made once the push before it was sent as soon as that push ends, not a debounce later', async () => {
    const rooms = world.rooms[0]!;
    // One at a time, each pushed at once: two edits in a row would wait out a debounce.
    const first = await createReservation(world.app, rooms[0]!, { check_in: day(60), check_out: day(62) });
    await waitForIdle(world, 60_000);
    const second = await createReservation(world.app, rooms[1]!, { check_in: day(60), check_out: day(62) });
    await waitForIdle(world, 60_000);
    world.sandbox.resetRequestLog();
    world.sandbox.setFaults({ latencyMs: 1_500, onlyPaths: ['POST /bookings'] });
    const since = await databaseNow();
    expect((await world.app.request('PATCH', `/api/reservations/${first.id}`, { notes: 'late check-in' })).status).toBe(
      200,
    );
    // The first push has sent its call; Beds24 has not answered yet.
    await eventually(
      () => world.sandbox.requestsInFlight,
      (n) => n > 0,
    );
    expect((await world.app.request('PATCH', `/api/reservations/${second.id}`, { notes: 'cot' })).status).toBe(200);
    await waitForIdle(world, 60_000);
    world.sandbox.clearFaults();

    expect(bookingsOf(world.sandbox, first.id)[0]!.notes).toBe('late check-in');
    expect(bookingsOf(world.sandbox, second.id)[0]!.notes).toBe('cot');
    const writes = world.sandbox.requests.filter((r) => r.method === 'POST' && r.path === '/bookings');
    expect(writes).toHaveLength(2);
    // The second write followed the first one's slow answer at once, well before a 10 s debounce.
    const gap = new Date(writes[1]!.time).getTime() - new Date(writes[0]!.time).getTime();
    expect(gap).toBeLessThan(1_500 + (DEBOUNCE_FACTOR * 1000) / 2);
    // The second edit's job was queued while the first one ran, and started once it was done.
    const jobs = await bookingJobs(since);
    expect(jobs).toHaveLength(2);
    const next = jobs[1]!;
    expect(next.started_on!.getTime() - next.created_on.getTime()).toBeLessThan((DEBOUNCE_FACTOR * 1000) / 2);
  });

  it('coalesce the edits made while that push is on its way into one next push, a debounce later', async () => {
    const since = await databaseNow();
    world.sandbox.resetRequestLog();
    // Beds24 answers slowly, so the edits after the first one are made while its push is still running.
    world.sandbox.setFaults({ latencyMs: 1_500, onlyPaths: ['POST /bookings'] });
    const ids: string[] = [];
    for (let i = 0; i < 12; i += 1) {
      const room = world.rooms[0]![i % 4]!;
      const res = await createReservation(world.app, room, { check_in: day(20 + i * 3), check_out: day(21 + i * 3) });
      ids.push(res.id);
    }
    await waitForIdle(world, 60_000);
    world.sandbox.clearFaults();

    for (const id of ids) expect(bookingsOf(world.sandbox, id)).toHaveLength(1);
    expect(callsTo(world.sandbox, 'POST', '/bookings')).toBeLessThanOrEqual(2);
    // One job for the first edit, one for all the rest: nights a booking write hands back to the calendar go
    // in the calendar run that wrote it, with no job of their own.
    const jobs = await bookingJobs(since);
    expect(jobs.length).toBeLessThanOrEqual(2);
    const [first, next] = jobs;
    expect(first!.start_after.getTime()).toBe(first!.created_on.getTime());
    if (next) {
      // Queued while the first ran, so it waited for the debounce and started after the first had.
      expect(next.start_after.getTime() - next.created_on.getTime()).toBeGreaterThanOrEqual(DEBOUNCE_FACTOR * 1000 - 1);
      expect(next.started_on!.getTime()).toBeGreaterThan(first!.started_on!.getTime());
    }
  }, 90_000);
});
