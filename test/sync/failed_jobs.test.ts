import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobsClearing, type SyncKind } from '../../src/integrations/beds24/queue/job_kinds.ts';
import { addDays, todayIn } from '../../src/utils/dates.ts';
import { createReservation, createRoom } from '../helpers/fixtures.ts';
import { bookingsOf, startSyncWorld, waitForIdle, type SyncWorld } from '../helpers/sync_harness.ts';
import { ADMIN_TOKEN, API_TOKEN, type Json } from '../helpers/test_app.ts';

let world: SyncWorld;
const day = (n: number): string => addDays(todayIn('UTC', new Date()), n);

beforeAll(async () => {
  // The sweeper's test drives the sweeps itself; nothing else in this file waits for one.
  world = await startSyncWorld([{ name: 'double', units: 2 }], { sweepIntervalMs: 3_600_000 });
  await waitForIdle(world);
});

afterAll(async () => {
  await world.close();
});

describe('failed jobs', () => {
  it('lists a booking Beds24 refused with its message at once, and pushes it on retry once the cause is fixed', async () => {
    // Mapped in SQL (the API refuses a Beds24 room the account does not have), as the contract allows.
    const wrong = await createRoom(world.app, world.propertyId, { number: 'W1' });
    await world.database.db('rooms').where({ id: wrong.id }).update({ beds24_room_id: 987654 });
    const res = await createReservation(world.app, wrong.id, { check_in: day(5), check_out: day(7) });
    await waitForIdle(world);

    const failed = await world.app.request('GET', '/api/admin/beds24/jobs?state=failed', undefined, ADMIN_TOKEN);
    expect(failed.status).toBe(200);
    const item = failed.body.data.find((f: { reservation_id: string }) => f.reservation_id === res.id);
    expect(item).toMatchObject({ kind: 'reservation', state: 'failed', attempts: 1, property_id: world.propertyId });
    expect(item.last_error.code).toBe('beds24_validation');
    expect(item.last_error.message).toMatch(/room/i);
    const stored = await world.app.request('GET', `/api/reservations/${res.id}`);
    expect(stored.body.beds24_sync).toMatchObject({ state: 'failed', last_error: item.last_error.message });
    // Its calendar item was refused too: Beds24 has no room 987654.
    const calendarItem = failed.body.data.find((f: { kind: string }) => f.kind === 'calendar');
    expect(calendarItem).toMatchObject({ beds24_room_id: 987654, state: 'failed' });
    // Each names what it is about in the hotel's words, not only by id.
    expect(item.subject).toEqual({
      reservation_id: res.id,
      guest_name: `${res.guest.first_name} ${res.guest.last_name}`,
      room_number: 'W1',
      check_in: day(5),
      check_out: day(7),
      nights: 2,
    });
    expect(calendarItem.subject).toEqual({ beds24_room_id: 987654, room_numbers: ['W1'] });
    const status = await world.app.request(
      'GET',
      `/api/admin/beds24/status?property_id=${world.propertyId}`,
      undefined,
      ADMIN_TOKEN,
    );
    expect(status.body.failed_jobs).toBe(2);

    expect(
      (await world.app.request('POST', `/api/admin/beds24/jobs/${item.id}/retry`, undefined, API_TOKEN)).status,
    ).toBe(401);
    await world.database.db('rooms').where({ id: wrong.id }).update({ beds24_room_id: world.beds24RoomIds[0] });
    const retry = await world.app.request('POST', `/api/admin/beds24/jobs/${item.id}/retry`, undefined, ADMIN_TOKEN);
    expect(retry.status).toBe(202);
    expect(retry.body.state).toBe('retrying');
    expect(
      (await world.app.request('POST', `/api/admin/beds24/jobs/${calendarItem.id}/retry`, undefined, ADMIN_TOKEN))
        .status,
    ).toBe(202);
    await waitForIdle(world);
    const cleared = await world.app.request(
      'GET',
      `/api/admin/beds24/status?property_id=${world.propertyId}`,
      undefined,
      ADMIN_TOKEN,
    );
    expect(cleared.body.failed_jobs).toBe(0);

    expect(bookingsOf(world.sandbox, res.id)).toHaveLength(1);
    const after = await world.app.request('GET', '/api/admin/beds24/jobs?state=failed', undefined, ADMIN_TOKEN);
    expect(after.body.data.some((f: { id: string }) => f.id === item.id)).toBe(false);
    const resolved = await world.app.request('GET', '/api/admin/beds24/jobs?state=resolved', undefined, ADMIN_TOKEN);
    expect(resolved.body.data.map((f: { id: string }) => f.id)).toContain(item.id);
    expect(
      (await world.app.request('POST', `/api/admin/beds24/jobs/${item.id}/retry`, undefined, ADMIN_TOKEN)).status,
    ).toBe(409);
  });

  it('answers 404 and 400 for unknown and malformed job ids, and 400 for an unknown state', async () => {
    expect(
      (
        await world.app.request(
          'POST',
          '/api/admin/beds24/jobs/00000000-0000-4000-8000-000000000000/retry',
          undefined,
          ADMIN_TOKEN,
        )
      ).status,
    ).toBe(404);
    expect((await world.app.request('POST', '/api/admin/beds24/jobs/42/retry', undefined, ADMIN_TOKEN)).status).toBe(
      400,
    );
    expect(
      (await world.app.request('GET', '/api/admin/beds24/jobs?state=exploded', undefined, ADMIN_TOKEN)).status,
    ).toBe(400);
  });

  it('lists a job that gave up on refused credentials, and retries it after reconnecting', async () => {
    world.sandbox.invalidateTokens(world.accountId, { refreshTokens: true });
    const res = await createReservation(world.app, world.rooms[0]![0]!, { check_in: day(20), check_out: day(22) });
    const deadline = Date.now() + 20_000;
    let job: { id: string; job_kind: string; last_error: { code: string } } | undefined;
    while (!job && Date.now() < deadline) {
      const failed = await world.app.request(
        'GET',
        `/api/admin/beds24/jobs?state=failed&property_id=${world.propertyId}`,
        undefined,
        ADMIN_TOKEN,
      );
      // The booking's own job, or the calendar job of the same edit, which sends it first.
      job = failed.body.data.find(
        (f: { kind: string; job_kind: SyncKind }) =>
          f.kind === 'job' && jobsClearing('reservations').includes(f.job_kind),
      );
      if (!job) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(job?.last_error.code).toBe('beds24_auth');
    expect(bookingsOf(world.sandbox, res.id)).toEqual([]);

    const reconnect = await world.app.request(
      'PUT',
      '/api/admin/beds24/config',
      {
        property_id: world.propertyId,
        beds24_property_id: world.beds24PropertyId,
        invite_code: world.sandbox.createInviteCode(world.accountId),
      },
      ADMIN_TOKEN,
    );
    expect(reconnect.status).toBe(200);
    // Reconnecting is the fix: the failure is resolved and the work goes out without a manual retry.
    await waitForIdle(world);
    expect(bookingsOf(world.sandbox, res.id)).toHaveLength(1);
    expect(
      (await world.app.request('POST', `/api/admin/beds24/jobs/${job!.id}/retry`, undefined, ADMIN_TOKEN)).status,
    ).toBe(409);
    const failed = await world.app.request(
      'GET',
      `/api/admin/beds24/jobs?state=failed&property_id=${world.propertyId}`,
      undefined,
      ADMIN_TOKEN,
    );
    expect(failed.body.data).toEqual([]);
  });
});

describe('outbox sweeper', () => {
  it('sends the job of a committed change whose wake-up was lost (process died right after the commit)', async () => {
    // Pushes off: the edit's outbox rows are written and no job is sent, which is what a lost wake-up leaves.
    await world.database
      .db('beds24_config')
      .where({ property_id: world.propertyId })
      .update({ push_sync_enabled: false });
    const res = await createReservation(world.app, world.rooms[0]![1]!, { check_in: day(40), check_out: day(41) });
    expect(await world.app.sync.sweep()).toBe(0);
    await world.database
      .db('beds24_config')
      .where({ property_id: world.propertyId })
      .update({ push_sync_enabled: true });
    // One job: the calendar's, which sends the booking first; a second sweep finds it on its way.
    expect(await world.app.sync.sweep()).toBe(1);
    expect(await world.app.sync.sweep()).toBe(0);
    await waitForIdle(world);
    expect(bookingsOf(world.sandbox, res.id)).toHaveLength(1);
  });
});

describe('admin config', () => {
  it('rejects a bad invite code with a 400 naming the field, and both credentials at once', async () => {
    const bad = await world.app.request(
      'PUT',
      '/api/admin/beds24/config',
      { property_id: world.propertyId, beds24_property_id: world.beds24PropertyId, invite_code: 'nope' },
      ADMIN_TOKEN,
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('invite_code');
    const both = await world.app.request(
      'PUT',
      '/api/admin/beds24/config',
      { property_id: world.propertyId, beds24_property_id: 1, invite_code: 'a', refresh_token: 'b' },
      ADMIN_TOKEN,
    );
    expect(both.status).toBe(400);
    const foreign = await world.app.request(
      'PUT',
      '/api/admin/beds24/config',
      {
        property_id: world.propertyId,
        beds24_property_id: 4242,
        invite_code: world.sandbox.createInviteCode(world.accountId),
      },
      ADMIN_TOKEN,
    );
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.details[0].path).toBe('beds24_property_id');
  });

  it('never returns or stores a token in clear', async () => {
    const got = await world.app.request('GET', `/api/admin/beds24/config/${world.propertyId}`, undefined, ADMIN_TOKEN);
    expect(got.body).toEqual({
      property_id: world.propertyId,
      beds24_property_id: world.beds24PropertyId,
      sync_enabled: true,
      push_sync_enabled: true,
      pull_sync_enabled: true,
      connected: true,
    });
    const row: Json = await world.database.db('beds24_config').where({ property_id: world.propertyId }).first();
    expect(row.refresh_token).toMatch(/^v1:/);
    expect(row.access_token).toMatch(/^v1:/);
    expect(
      (
        await world.app.request(
          'GET',
          '/api/admin/beds24/config/00000000-0000-4000-8000-000000000000',
          undefined,
          ADMIN_TOKEN,
        )
      ).status,
    ).toBe(404);
  });

  it('shows queue depth, last push, and the credit meter in the status', async () => {
    await waitForIdle(world);
    const status = await world.app.request(
      'GET',
      `/api/admin/beds24/status?property_id=${world.propertyId}`,
      undefined,
      ADMIN_TOKEN,
    );
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({
      property_id: world.propertyId,
      connected: true,
      queue_depth: { reservations: { pending_changes: 0 }, availability: { pending_changes: 0 } },
      oldest_pending_change_age_s: null,
      last_successful_push_at: expect.any(String),
      credits: { remaining: expect.any(Number), resets_in_s: expect.any(Number) },
    });
  });
});
