import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Knex } from '../../src/db.ts';
import type { ReservationStatus } from '../../src/pms/reservations/reservation_schemas.ts';
import { assignRoom } from '../../src/pms/reservations/room_assignment.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/test_database.ts';

const B24 = 7001;
const OTHER_B24 = 7002;

let database: TestDatabase;
let guestId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  const [guest] = await database.db('guests').insert({ first_name: 'Room', last_name: 'Finder' }).returning('id');
  guestId = (guest as { id: string }).id;
});

afterAll(async () => {
  await database.drop();
});

interface RoomSpec {
  number: string;
  beds24?: number | null;
  status?: 'active' | 'inactive';
}

interface StaySpec {
  room: string;
  in: string;
  out: string;
  status?: ReservationStatus;
}

interface Case {
  rooms: RoomSpec[];
  stays?: StaySpec[];
  blocks?: Array<{ room: string; start: string; end: string }>;
  /** Rooms of another property, mapped to the same Beds24 room id. */
  otherPropertyRooms?: string[];
  request?: { beds24RoomId?: number; checkIn?: string; checkOut?: string; ignoreStay?: number; preferRoom?: string };
  expected: string | null;
}

async function insertProperty(db: Knex): Promise<string> {
  const [row] = await db('properties').insert({ name: 'Assignment hotel' }).returning('id');
  return (row as { id: string }).id;
}

async function insertRooms(db: Knex, propertyId: string, rooms: RoomSpec[]): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const room of rooms) {
    const [row] = await db('rooms')
      .insert({
        property_id: propertyId,
        number: room.number,
        room_type: 'double',
        base_price: 100,
        max_occupancy: 2,
        status: room.status ?? 'active',
        beds24_room_id: room.beds24 === undefined ? B24 : room.beds24,
      })
      .returning('id');
    ids.set(room.number, (row as { id: string }).id);
  }
  return ids;
}

async function insertStay(db: Knex, propertyId: string, roomId: string, stay: StaySpec): Promise<string> {
  const [row] = await db('reservations')
    .insert({
      property_id: propertyId,
      room_id: roomId,
      guest_id: guestId,
      check_in: stay.in,
      check_out: stay.out,
      adults: 1,
      status: stay.status ?? 'confirmed',
    })
    .returning('id');
  return (row as { id: string }).id;
}

const STAY = { checkIn: '2027-05-10', checkOut: '2027-05-13' };

describe('assignRoom', () => {
  it.each<[string, Case]>([
    [
      'no room mapped to the Beds24 room',
      {
        rooms: [
          { number: '1', beds24: OTHER_B24 },
          { number: '2', beds24: null },
        ],
        expected: null,
      },
    ],
    ['the only free room', { rooms: [{ number: '5' }], expected: '5' }],
    [
      'numbers compare as numbers: 9 before 10 and 101',
      { rooms: [{ number: '101' }, { number: '10' }, { number: '9' }], expected: '9' },
    ],
    ['digits before letters: 101 before A1', { rooms: [{ number: 'A1' }, { number: '101' }], expected: '101' }],
    ['B2 before B10', { rooms: [{ number: 'B10' }, { number: 'B2' }], expected: 'B2' }],
    [
      'the lowest room is taken: the next one',
      {
        rooms: [{ number: '9' }, { number: '10' }],
        stays: [{ room: '9', in: '2027-05-12', out: '2027-05-20' }],
        expected: '10',
      },
    ],
    [
      'a stay inside the requested one clashes',
      {
        rooms: [{ number: '9' }, { number: '10' }],
        stays: [{ room: '9', in: '2027-05-11', out: '2027-05-12' }],
        expected: '10',
      },
    ],
    [
      'stays that end on arrival or start on departure do not clash',
      {
        rooms: [{ number: '9' }, { number: '10' }],
        stays: [
          { room: '9', in: '2027-05-01', out: '2027-05-10' },
          { room: '9', in: '2027-05-13', out: '2027-05-15' },
        ],
        expected: '9',
      },
    ],
    ...(['pending', 'checked_in'] as const).map((status): [string, Case] => [
      `a ${status} stay clashes`,
      {
        rooms: [{ number: '9' }, { number: '10' }],
        stays: [{ room: '9', in: '2027-05-10', out: '2027-05-11', status }],
        expected: '10',
      },
    ]),
    ...(['cancelled', 'checked_out', 'no_show'] as const).map((status): [string, Case] => [
      `a ${status} stay does not clash`,
      {
        rooms: [{ number: '9' }, { number: '10' }],
        stays: [{ room: '9', in: '2027-05-10', out: '2027-05-13', status }],
        expected: '9',
      },
    ]),
    [
      'a maintenance block on one night',
      {
        rooms: [{ number: '9' }, { number: '10' }],
        blocks: [{ room: '9', start: '2027-05-12', end: '2027-05-13' }],
        expected: '10',
      },
    ],
    [
      'a maintenance block that ends on arrival',
      {
        rooms: [{ number: '9' }, { number: '10' }],
        blocks: [{ room: '9', start: '2027-05-01', end: '2027-05-10' }],
        expected: '9',
      },
    ],
    [
      'an inactive room is never given',
      { rooms: [{ number: '1', status: 'inactive' }, { number: '2' }], expected: '2' },
    ],
    [
      'a room of another Beds24 room is never given',
      { rooms: [{ number: '1', beds24: OTHER_B24 }, { number: '2' }], expected: '2' },
    ],
    [
      "another property's room with the same Beds24 id is never given",
      { rooms: [{ number: '7' }], otherPropertyRooms: ['1'], expected: '7' },
    ],
    [
      'every room busy: null',
      {
        rooms: [{ number: '1' }, { number: '2' }],
        stays: [{ room: '1', in: '2027-05-10', out: '2027-05-11' }],
        blocks: [{ room: '2', start: '2027-05-12', end: '2027-05-20' }],
        expected: null,
      },
    ],
    [
      'the reservation being reassigned does not block its own room',
      {
        rooms: [{ number: '1' }, { number: '2' }],
        stays: [{ room: '1', in: '2027-05-09', out: '2027-05-12' }],
        request: { ignoreStay: 0 },
        expected: '1',
      },
    ],
    [
      'a preferred free room is kept even if not the lowest',
      { rooms: [{ number: '1' }, { number: '2' }], request: { preferRoom: '2' }, expected: '2' },
    ],
    [
      'a preferred room that is busy gives way to the lowest free one',
      {
        rooms: [{ number: '1' }, { number: '2' }, { number: '3' }],
        stays: [{ room: '3', in: '2027-05-10', out: '2027-05-11' }],
        request: { preferRoom: '3' },
        expected: '1',
      },
    ],
    [
      'a preferred room of another Beds24 room is not kept',
      { rooms: [{ number: '1' }, { number: '2', beds24: OTHER_B24 }], request: { preferRoom: '2' }, expected: '1' },
    ],
    [
      'another Beds24 room asked for',
      {
        rooms: [{ number: '1' }, { number: '2', beds24: OTHER_B24 }],
        request: { beds24RoomId: OTHER_B24 },
        expected: '2',
      },
    ],
  ])('%s', async (_name, testCase) => {
    const { db } = database;
    const propertyId = await insertProperty(db);
    const rooms = await insertRooms(db, propertyId, testCase.rooms);
    const stayIds: string[] = [];
    for (const stay of testCase.stays ?? [])
      stayIds.push(await insertStay(db, propertyId, rooms.get(stay.room) as string, stay));
    for (const block of testCase.blocks ?? []) {
      await db('maintenance_blocks').insert({
        room_id: rooms.get(block.room),
        start_date: block.start,
        end_date: block.end,
      });
    }
    if (testCase.otherPropertyRooms !== undefined) {
      await insertRooms(
        db,
        await insertProperty(db),
        testCase.otherPropertyRooms.map((number) => ({ number })),
      );
    }
    const request = testCase.request ?? {};
    const assigned = await db.transaction((trx) =>
      assignRoom(trx, {
        propertyId,
        beds24RoomId: request.beds24RoomId ?? B24,
        checkIn: request.checkIn ?? STAY.checkIn,
        checkOut: request.checkOut ?? STAY.checkOut,
        ...(request.ignoreStay === undefined ? {} : { ignoreReservationId: stayIds[request.ignoreStay] }),
        ...(request.preferRoom === undefined ? {} : { preferRoomId: rooms.get(request.preferRoom) }),
      }),
    );
    const byId = new Map([...rooms].map(([number, id]) => [id, number]));
    expect(assigned === null ? null : byId.get(assigned)).toBe(testCase.expected);
  });

  it('holds the candidate rooms until commit: a second import waits, then finds the room taken', async () => {
    const { db } = database;
    const propertyId = await insertProperty(db);
    const rooms = await insertRooms(db, propertyId, [{ number: '1' }]);
    const request = { propertyId, beds24RoomId: B24, ...STAY };
    const first = await db.transaction();
    const second = await db.transaction();
    try {
      const firstRoom = await assignRoom(first, request);
      expect(firstRoom).toBe(rooms.get('1'));
      const {
        rows: [me],
      } = await second.raw('select pg_backend_pid() as pid');
      const secondAnswer = assignRoom(second, request);
      await waitUntil(async () => {
        const { rows } = await db.raw('select wait_event_type from pg_stat_activity where pid = ?', [me.pid]);
        return rows[0]?.wait_event_type === 'Lock';
      });
      await insertStay(first, propertyId, firstRoom as string, { room: '1', in: STAY.checkIn, out: STAY.checkOut });
      await first.commit();
      expect(await secondAnswer).toBeNull();
    } finally {
      if (!first.isCompleted()) await first.rollback();
      await second.rollback();
    }
  });
});

async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met before the deadline');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
