import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/integrations/beds24/cli/beds24_cli.ts';
import { addDays, todayIn } from '../../src/utils/dates.ts';
import { createProperty, createReservation, createRoom } from '../helpers/fixtures.ts';
import { bookingsOf, startSyncWorld, waitForIdle, type SyncWorld } from '../helpers/sync_harness.ts';
import { TEST_ENCRYPTION_KEY } from '../helpers/test_app.ts';

let world: SyncWorld;
const day = (n: number): string => addDays(todayIn('UTC', new Date()), n);

async function cli(...args: string[]): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await runCli(args, (line) => lines.push(line));
  return { code, lines };
}

beforeAll(async () => {
  world = await startSyncWorld([{ name: 'double', units: 2, basePrice: 95 }]);
  await waitForIdle(world);
  Object.assign(process.env, {
    DATABASE_URL: world.database.url,
    BEDS24_API_URL: world.sandbox.url,
    ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    API_TOKEN: 'cli-api',
    ADMIN_TOKEN: 'cli-admin',
    LOG_LEVEL: 'silent',
  });
});

afterAll(async () => {
  await world.close();
});

describe('npm run beds24 --', () => {
  it('status shows each connected property', async () => {
    const { code, lines } = await cli('status');
    expect(code).toBe(0);
    expect(lines.join('\n')).toContain(world.propertyId);
    expect(lines.join('\n')).toMatch(/connected true, sync on, push on/);
  });

  it('verify lists what differs, exits 1, repairs; then exits 0', async () => {
    world.sandbox.editCalendar(world.beds24RoomIds[0]!, [{ from: day(3), to: day(5), numAvail: 0 }]);
    const found = await cli('verify', '--property', world.propertyId);
    expect(found.code).toBe(1);
    const nights = `${day(3)}..${day(5)} (3 nights)`;
    const cause = 'changed in Beds24 after our push [changed_in_beds24]';
    const values = 'Beds24 has 0 @ 95, PMS says 2 @ 95';
    expect(found.lines).toContain(`  room ${world.beds24RoomIds[0]} ${nights}: ${values}; ${cause}`);
    expect(found.lines.filter((line) => line.startsWith('  room '))).toHaveLength(1);
    await waitForIdle(world);
    expect((await cli('verify', '--property', world.propertyId)).code).toBe(0);
  });

  it('pull imports the bookings made at channels now, and says so', async () => {
    const [made] = world.sandbox.addBookings(world.accountId, [
      { roomId: world.beds24RoomIds[0], arrival: day(20), departure: day(22), status: 'confirmed', lastName: 'Cli' },
    ]);
    const bookingId = (made?.new as { id: number }).id;
    const { code, lines } = await cli('pull', '--property', world.propertyId);
    expect(code).toBe(0);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/booking\(s\) read in 1 call\(s\): 1 created, 0 updated/);
    const imported = await world.database.db('reservations').where({ beds24_booking_id: bookingId, source: 'beds24' });
    expect(imported).toHaveLength(1);
    const again = await cli('pull', '--property', world.propertyId);
    expect(again.lines[0]).toMatch(/: 0 created, 0 updated/);
    const status = await cli('status', '--property', world.propertyId);
    expect(status.lines.join('\n')).toMatch(/pull on, last pull \d{4}-/);
  });

  it('retry-failed queues every failed item again', async () => {
    // Mapped in SQL: the API refuses a Beds24 room the account does not have.
    const wrong = await createRoom(world.app, world.propertyId, { number: 'C9' });
    await world.database.db('rooms').where({ id: wrong.id }).update({ beds24_room_id: 424242 });
    const res = await createReservation(world.app, wrong.id, { check_in: day(5), check_out: day(6) });
    await waitForIdle(world);
    await world.database.db('rooms').where({ id: wrong.id }).update({ beds24_room_id: world.beds24RoomIds[0] });
    const { code, lines } = await cli('retry-failed');
    expect(code).toBe(0);
    expect(lines).toEqual(['2 failed item(s) queued again']);
    await waitForIdle(world);
    expect(bookingsOf(world.sandbox, res.id)).toHaveLength(1);
  });

  it('connect finds the only Beds24 property of the account, and resync brings it in step', async () => {
    const property = await createProperty(world.app, { timezone: 'UTC' });
    const account = world.sandbox.createAccount({
      properties: [{ name: 'Second', rooms: [{ name: 'single', qty: 1 }] }],
    });
    const room = await createRoom(world.app, property.id, { beds24_room_id: account.roomIds[0], base_price: 70 });
    const connected = await cli(
      'connect',
      '--property',
      property.id,
      `--invite-code=${world.sandbox.createInviteCode(account.accountId)}`,
    );
    expect(connected.code).toBe(0);
    expect(connected.lines[0]).toContain(`to Beds24 property ${account.propertyIds[0]}`);
    const resync = await cli('resync', '--property', property.id, '--from', day(0), '--to', day(9));
    expect(resync.code).toBe(0);
    expect(
      world.sandbox.calendar(account.roomIds[0]!, day(0), day(9)).every((d) => d.numAvail === 1 && d.price1 === 70),
    ).toBe(true);
    expect(room.id).toEqual(expect.any(String));
  });

  it('answers usage errors', async () => {
    await expect(runCli(['explode'])).rejects.toThrow(/usage: npm run beds24/);
    await expect(runCli(['connect'])).rejects.toThrow(/--property and --invite-code/);
  });
});
