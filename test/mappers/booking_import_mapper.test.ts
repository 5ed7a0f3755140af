import { describe, expect, it } from 'vitest';
import { Beds24Booking, BookingsAnswer } from '../../src/integrations/beds24/client/beds24_schemas.ts';
import {
  bookingFingerprint,
  compareBookingVersion,
  importedPrice,
  importedStatus,
  isNoOp,
  modifiedSeconds,
  nextStatus,
  planBookingImport,
  splitCount,
  type HeldBooking,
  type HeldUnit,
  type HeldVersion,
  type ImportPlan,
  type UnitPlan,
} from '../../src/integrations/beds24/mappers/booking_import_mapper.ts';
import type { GuestRow } from '../../src/pms/guests/guest_schemas.ts';
import type { ReservationStatus } from '../../src/pms/reservations/reservation_schemas.ts';

/** A booking as GET /bookings answers it, read through the client's own schema. */
const booking = (fields: Record<string, unknown> = {}): Beds24Booking =>
  Beds24Booking.parse({
    id: 9001,
    propertyId: 300001,
    roomId: 200001,
    unitId: 0,
    roomQty: 1,
    masterId: null,
    status: 'confirmed',
    arrival: '2027-08-01',
    departure: '2027-08-04',
    numAdult: 2,
    numChild: 1,
    price: '345.50',
    firstName: 'Marie',
    lastName: 'Curie',
    email: 'marie@example.org',
    phone: '+33 1 23 45 67 89',
    mobile: '',
    address: '',
    city: 'Paris',
    postcode: '',
    country2: 'fr',
    lang: 'FR',
    channel: 'booking',
    apiReference: 'BDC-77',
    notes: '',
    comments: 'Late arrival',
    custom10: '',
    bookingTime: '2027-07-01T09:00:00Z',
    modifiedTime: '2027-07-01T10:00:00Z',
    cancelTime: null,
    ...fields,
  });

const GUEST: GuestRow = {
  id: 'guest-1',
  first_name: 'Marie',
  last_name: 'Curie',
  email: 'marie@example.org',
  phone: '+33 1 23 45 67 89',
  address: null,
  city: 'Paris',
  postcode: null,
  country: 'FR',
  language: 'fr',
};

/** What the PMS holds after importing `booking()`: unit 1 in a room. */
const unit = (beds24Unit: number, overrides: Partial<HeldUnit> = {}): HeldUnit => ({
  id: `res-${beds24Unit}`,
  beds24_unit: beds24Unit,
  guest_id: GUEST.id,
  room_id: `room-${beds24Unit}`,
  status: 'confirmed',
  check_in: '2027-08-01',
  check_out: '2027-08-04',
  adults: 2,
  children: 1,
  total_price: beds24Unit === 1 ? 345.5 : null,
  booked_beds24_room_id: 200001,
  beds24_channel: 'booking',
  beds24_api_reference: 'BDC-77',
  ...overrides,
});

const held = (...units: HeldUnit[]): HeldBooking => ({ guest: GUEST, units });

function upsert(plan: ImportPlan) {
  if (plan.action !== 'upsert') throw new Error(`expected an upsert plan, got ${JSON.stringify(plan)}`);
  return plan;
}

function unitPlans(plan: ImportPlan): UnitPlan[] {
  if (plan.action === 'ignore') throw new Error(`expected units, got ${JSON.stringify(plan)}`);
  return plan.units;
}

describe('Beds24Booking: lenient reading', () => {
  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    [
      'numbers as numeric strings',
      { numAdult: '3', numChild: ' 1 ', roomId: '200002', roomQty: '2' },
      { numAdult: 3, numChild: 1, roomId: 200002, roomQty: 2 },
    ],
    [
      'empty, null and fractional counts read as absent',
      { numAdult: '', numChild: null, roomQty: 2.5 },
      { numAdult: undefined, numChild: undefined, roomQty: undefined },
    ],
    ['a count that is not a number', { numAdult: 'two', masterId: {} }, { numAdult: undefined, masterId: undefined }],
    ['a price as a decimal string', { price: '120.50' }, { price: 120.5 }],
    ['a price as a number', { price: 99 }, { price: 99 }],
    ['an empty price', { price: '' }, { price: null }],
    ['a null price', { price: null }, { price: null }],
    ['an unreadable price', { price: '12,50' }, { price: null }],
    [
      'a number where text is expected',
      { phone: 33123456789, apiReference: 4711 },
      { phone: '33123456789', apiReference: '4711' },
    ],
    [
      'text fields that are null or objects',
      { firstName: null, lastName: { a: 1 }, email: true },
      { firstName: null, lastName: null, email: null },
    ],
    ['dates with spaces around', { arrival: ' 2027-08-01 ' }, { arrival: '2027-08-01' }],
    ['dates that are not dates', { arrival: '', departure: '2027-8-4' }, { arrival: undefined, departure: undefined }],
    ['dates that do not exist', { arrival: '2027-02-30' }, { arrival: undefined }],
    ['a status that is not text', { status: 5 }, { status: undefined }],
    ['infoItems null', { infoItems: null }, { infoItems: undefined }],
    ['custom10 as a number', { custom10: 12 }, { custom10: '12' }],
  ])('%s', (_name, fields, expected) => {
    expect(booking(fields)).toMatchObject(expected);
  });

  it('one odd booking does not make a page unreadable', () => {
    const page = BookingsAnswer.parse({
      success: true,
      data: [
        { id: 1, numAdult: '', price: 'n/a', arrival: null, firstName: 7, infoItems: 'none' },
        { id: 2, numAdult: 2 },
      ],
    });
    expect(page.data.map((b) => b.id)).toEqual([1, 2]);
  });
});

describe('planBookingImport: bookings that are not imported', () => {
  it.each<[string, Record<string, unknown>, ImportPlan]>([
    [
      'our own booking (custom10 marker)',
      { custom10: 'PMS:4d1c0f0e-8b7a-4f51-9d6f-3a1b2c3d4e5f' },
      { action: 'ignore', reason: 'ours' },
    ],
    ['an inquiry', { status: 'inquiry' }, { action: 'ignore', reason: 'inquiry' }],
    ['no roomId', { roomId: null }, { action: 'ignore', reason: 'invalid', problem: 'roomId is missing' }],
    [
      'no arrival',
      { arrival: '' },
      { action: 'ignore', reason: 'invalid', problem: 'arrival is missing or not a date' },
    ],
    [
      'no departure',
      { departure: null },
      { action: 'ignore', reason: 'invalid', problem: 'departure is missing or not a date' },
    ],
    [
      'departure not after arrival',
      { departure: '2027-08-01' },
      { action: 'ignore', reason: 'invalid', problem: 'departure 2027-08-01 is not after arrival 2027-08-01' },
    ],
    [
      'a stay over 365 nights',
      { departure: '2028-08-02' },
      { action: 'ignore', reason: 'invalid', problem: "the stay is 367 nights, over the PMS's 365" },
    ],
    ['roomQty over 100', { roomQty: 101 }, { action: 'ignore', reason: 'invalid', problem: 'roomQty 101 is over 100' }],
    [
      'an unknown status',
      { status: 'weird' },
      { action: 'ignore', reason: 'invalid', problem: 'status "weird" is not a Beds24 booking status' },
    ],
    [
      'no status',
      { status: null },
      { action: 'ignore', reason: 'invalid', problem: 'status null is not a Beds24 booking status' },
    ],
  ])('%s', (_name, fields, expected) => {
    expect(planBookingImport(booking(fields), null)).toStrictEqual(expected);
  });

  it('our marker wins even when the PMS holds units for the id', () => {
    expect(planBookingImport(booking({ custom10: 'PMS:x' }), held(unit(1)))).toStrictEqual({
      action: 'ignore',
      reason: 'ours',
    });
  });
});

describe('planBookingImport: a new booking', () => {
  it("becomes one reservation and a guest, following the contract's mapping", () => {
    expect(planBookingImport(booking(), null)).toStrictEqual({
      action: 'upsert',
      beds24BookingId: 9001,
      beds24RoomId: 200001,
      guest: {
        op: 'create',
        fields: {
          first_name: 'Marie',
          last_name: 'Curie',
          email: 'marie@example.org',
          phone: '+33 1 23 45 67 89',
          address: null,
          city: 'Paris',
          postcode: null,
          country: 'FR',
          language: 'fr',
        },
      },
      units: [
        {
          op: 'create',
          unit: 1,
          room: 'assign',
          fields: {
            source: 'beds24',
            beds24_booking_id: 9001,
            beds24_unit: 1,
            status: 'confirmed',
            check_in: '2027-08-01',
            check_out: '2027-08-04',
            adults: 2,
            children: 1,
            total_price: 345.5,
            booked_beds24_room_id: 200001,
            beds24_channel: 'booking',
            beds24_api_reference: 'BDC-77',
            notes: 'Guest comments: Late arrival',
          },
        },
      ],
    });
  });

  it.each<[string, ReservationStatus, 'assign' | 'none']>([
    ['new', 'confirmed', 'assign'],
    ['confirmed', 'confirmed', 'assign'],
    ['request', 'pending', 'assign'],
    ['cancelled', 'cancelled', 'none'],
    ['black', 'confirmed', 'assign'],
  ])('status %s → %s, room: %s', (status, expected, room) => {
    const [created] = unitPlans(planBookingImport(booking({ status }), null));
    expect(created).toMatchObject({ op: 'create', room, fields: { status: expected } });
  });

  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ['numAdult 0 → 1', { numAdult: 0 }, { adults: 1 }],
    ['numAdult negative → 1', { numAdult: -2 }, { adults: 1 }],
    ['numAdult missing → 1', { numAdult: null }, { adults: 1 }],
    ['numAdult over 99 → 99', { numAdult: 150 }, { adults: 99 }],
    ['numChild missing → 0', { numChild: '' }, { children: 0 }],
    ['numChild negative → 0', { numChild: -1 }, { children: 0 }],
    ['price missing → null', { price: null }, { total_price: null }],
    ['price 0 stays 0', { price: '0' }, { total_price: 0 }],
    ['price negative → null', { price: -5 }, { total_price: null }],
    ['price rounded to 2 decimals', { price: 12.3456 }, { total_price: 12.35 }],
    ['price over the PMS maximum → null', { price: 100_000_000 }, { total_price: null }],
    ['channel empty → null', { channel: '' }, { beds24_channel: null }],
    [
      'channel and reference trimmed',
      { channel: ' airbnb ', apiReference: ' HMABC ' },
      { beds24_channel: 'airbnb', beds24_api_reference: 'HMABC' },
    ],
    ['a reference cut to 100 characters', { apiReference: 'R'.repeat(150) }, { beds24_api_reference: 'R'.repeat(100) }],
    ['no comments and no notes: no notes', { comments: '', notes: null }, { notes: null }],
    [
      "Beds24 notes after the guest's comments",
      { notes: 'paid by card' },
      { notes: 'Guest comments: Late arrival\nBeds24 notes: paid by card' },
    ],
    ['notes cut to 2000 characters', { comments: 'c'.repeat(2500) }, { notes: `Guest comments: ${'c'.repeat(1984)}` }],
    [
      'black: a note says the room is closed',
      { status: 'black', comments: '' },
      { notes: 'Closed in Beds24 without a guest (status black): the unit is not for sale.' },
    ],
  ])('%s', (_name, fields, expected) => {
    const [created] = unitPlans(planBookingImport(booking(fields), null));
    expect(created?.op === 'create' ? created.fields : undefined).toMatchObject(expected);
  });

  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ['missing last name → Guest', { lastName: '' }, { first_name: 'Marie', last_name: 'Guest' }],
    ['missing first name → Unknown', { firstName: null }, { first_name: 'Unknown', last_name: 'Curie' }],
    ['no names at all', { firstName: ' ', lastName: null }, { first_name: 'Unknown', last_name: 'Guest' }],
    [
      'black without names → Blocked Beds24',
      { status: 'black', firstName: '', lastName: '' },
      { first_name: 'Blocked', last_name: 'Beds24' },
    ],
    [
      'black with a name keeps it',
      { status: 'black', firstName: 'Owner', lastName: '' },
      { first_name: 'Owner', last_name: 'Beds24' },
    ],
    [
      'names cut to 100 characters',
      { firstName: 'F'.repeat(120), lastName: `${'L'.repeat(99)}😀x` },
      { first_name: 'F'.repeat(100), last_name: `${'L'.repeat(99)}😀` },
    ],
    ['NUL characters removed', { firstName: 'Ma\u0000rie' }, { first_name: 'Marie' }],
    ['an invalid email is dropped', { email: 'not-an-email' }, { email: null }],
    ['an email over 100 characters is dropped', { email: `${'a'.repeat(95)}@example.org` }, { email: null }],
    ['an email is trimmed', { email: ' marie@example.org ' }, { email: 'marie@example.org' }],
    ['no phone: the mobile', { phone: '', mobile: '+33 6 12' }, { phone: '+33 6 12' }],
    ['country upper-cased', { country2: 'de' }, { country: 'DE' }],
    ['country of three letters → null', { country2: 'DEU' }, { country: null }],
    ['language lower-cased', { lang: 'EN' }, { language: 'en' }],
    ['language of three letters → null', { lang: 'eng' }, { language: null }],
  ])('guest: %s', (_name, fields, expected) => {
    const { guest } = upsert(planBookingImport(booking(fields), null));
    expect(guest.op === 'create' ? guest.fields : undefined).toMatchObject(expected);
  });
});

describe('planBookingImport: roomQty', () => {
  it('gives one reservation per unit, guests split, the price on unit 1', () => {
    const units = unitPlans(planBookingImport(booking({ roomQty: 3, numAdult: 5, numChild: 1 }), null));
    expect(
      units.map((u) =>
        u.op === 'create'
          ? [u.unit, u.fields.beds24_unit, u.fields.adults, u.fields.children, u.fields.total_price]
          : u,
      ),
    ).toEqual([
      [1, 1, 2, 1, 345.5],
      [2, 2, 2, 0, null],
      [3, 3, 1, 0, null],
    ]);
  });

  it.each<[string, unknown, number]>([
    ['a string', '2', 2],
    ['0', 0, 1],
    ['null', null, 1],
    ['missing', undefined, 1],
  ])('roomQty as %s gives %i unit(s)', (_name, roomQty, count) => {
    expect(unitPlans(planBookingImport(booking({ roomQty }), null))).toHaveLength(count);
  });

  it('a roomQty that shrinks cancels the units above it (one already cancelled stays as it is)', () => {
    const plan = planBookingImport(booking({ roomQty: 1 }), held(unit(1), unit(2), unit(3, { status: 'cancelled' })));
    expect(unitPlans(plan)).toStrictEqual([
      { op: 'keep', unit: 1, reservationId: 'res-1' },
      { op: 'update', unit: 2, reservationId: 'res-2', changes: { status: 'cancelled' }, room: 'keep' },
      { op: 'keep', unit: 3, reservationId: 'res-3' },
    ]);
  });

  it('a roomQty that grows creates the new units', () => {
    const plan = planBookingImport(booking({ roomQty: 2, numAdult: 4, numChild: 2 }), held(unit(1)));
    expect(unitPlans(plan)).toMatchObject([
      { op: 'keep', unit: 1 },
      { op: 'create', unit: 2, room: 'assign', fields: { beds24_unit: 2, adults: 2, children: 1, total_price: null } },
    ]);
  });
});

describe('planBookingImport: a booking the PMS holds', () => {
  it('the same version changes nothing', () => {
    const plan = planBookingImport(booking(), held(unit(1)));
    expect(plan).toStrictEqual({
      action: 'upsert',
      beds24BookingId: 9001,
      beds24RoomId: 200001,
      guest: { op: 'keep', guestId: 'guest-1' },
      units: [{ op: 'keep', unit: 1, reservationId: 'res-1' }],
    });
    expect(isNoOp(plan)).toBe(true);
  });

  it.each<[string, Record<string, unknown>, Partial<HeldUnit>, UnitPlan]>([
    [
      'new dates: the room is rechecked',
      { arrival: '2027-08-02', departure: '2027-08-06' },
      {},
      {
        op: 'update',
        unit: 1,
        reservationId: 'res-1',
        changes: { check_in: '2027-08-02', check_out: '2027-08-06' },
        room: 'recheck',
      },
    ],
    [
      'another Beds24 room: the room is rechecked',
      { roomId: 200002 },
      {},
      { op: 'update', unit: 1, reservationId: 'res-1', changes: { booked_beds24_room_id: 200002 }, room: 'recheck' },
    ],
    [
      'more guests: the room stays',
      { numAdult: 3 },
      {},
      { op: 'update', unit: 1, reservationId: 'res-1', changes: { adults: 3 }, room: 'keep' },
    ],
    [
      'a new price',
      { price: '400' },
      {},
      { op: 'update', unit: 1, reservationId: 'res-1', changes: { total_price: 400 }, room: 'keep' },
    ],
    [
      'a channel reference added',
      { apiReference: 'BDC-78' },
      {},
      { op: 'update', unit: 1, reservationId: 'res-1', changes: { beds24_api_reference: 'BDC-78' }, room: 'keep' },
    ],
    [
      'cancelled in Beds24',
      { status: 'cancelled' },
      {},
      { op: 'update', unit: 1, reservationId: 'res-1', changes: { status: 'cancelled' }, room: 'keep' },
    ],
    [
      'request in Beds24',
      { status: 'request' },
      {},
      { op: 'update', unit: 1, reservationId: 'res-1', changes: { status: 'pending' }, room: 'keep' },
    ],
    [
      'checked_in kept when Beds24 says confirmed',
      {},
      { status: 'checked_in' },
      { op: 'keep', unit: 1, reservationId: 'res-1' },
    ],
    [
      'checked_in kept when Beds24 says new',
      { status: 'new' },
      { status: 'checked_in' },
      { op: 'keep', unit: 1, reservationId: 'res-1' },
    ],
    [
      'checked_out kept when Beds24 says request',
      { status: 'request' },
      { status: 'checked_out' },
      { op: 'keep', unit: 1, reservationId: 'res-1' },
    ],
    [
      'no_show kept when Beds24 says confirmed',
      {},
      { status: 'no_show' },
      { op: 'keep', unit: 1, reservationId: 'res-1' },
    ],
    [
      'a Beds24 cancellation overrides checked_in',
      { status: 'cancelled' },
      { status: 'checked_in' },
      { op: 'update', unit: 1, reservationId: 'res-1', changes: { status: 'cancelled' }, room: 'keep' },
    ],
    [
      'a Beds24 cancellation overrides no_show',
      { status: 'cancelled' },
      { status: 'no_show' },
      { op: 'update', unit: 1, reservationId: 'res-1', changes: { status: 'cancelled' }, room: 'keep' },
    ],
    [
      'checked_in keeps its room when the dates change',
      { departure: '2027-08-05' },
      { status: 'checked_in' },
      { op: 'update', unit: 1, reservationId: 'res-1', changes: { check_out: '2027-08-05' }, room: 'recheck' },
    ],
    [
      'a cancelled booking reinstated: its old room is rechecked',
      {},
      { status: 'cancelled' },
      { op: 'update', unit: 1, reservationId: 'res-1', changes: { status: 'confirmed' }, room: 'recheck' },
    ],
    [
      'a cancelled booking without a room reinstated: a room is assigned',
      {},
      { status: 'cancelled', room_id: null },
      { op: 'update', unit: 1, reservationId: 'res-1', changes: { status: 'confirmed' }, room: 'assign' },
    ],
    [
      'an unassigned unit asks for a room again',
      {},
      { room_id: null },
      { op: 'update', unit: 1, reservationId: 'res-1', changes: {}, room: 'assign' },
    ],
    [
      'an unassigned cancelled unit stays as it is',
      { status: 'cancelled' },
      { room_id: null, status: 'cancelled' },
      { op: 'keep', unit: 1, reservationId: 'res-1' },
    ],
    [
      "new comments or Beds24 notes never touch the staff's notes",
      { comments: 'changed', notes: 'changed' },
      {},
      { op: 'keep', unit: 1, reservationId: 'res-1' },
    ],
  ])('%s', (_name, fields, heldFields, expected) => {
    expect(unitPlans(planBookingImport(booking(fields), held(unit(1, heldFields))))).toStrictEqual([expected]);
  });

  it('updates the shared guest with what changed', () => {
    const plan = upsert(planBookingImport(booking({ email: 'new@example.org', phone: '' }), held(unit(1))));
    expect(plan.guest).toStrictEqual({
      op: 'update',
      guestId: 'guest-1',
      changes: { email: 'new@example.org', phone: null },
    });
    expect(isNoOp(plan)).toBe(false);
  });

  it('an imported booking that becomes an inquiry is cancelled in the PMS, nothing else', () => {
    const plan = planBookingImport(
      booking({ status: 'inquiry', arrival: '' }),
      held(unit(1), unit(2, { status: 'cancelled' })),
    );
    expect(plan).toStrictEqual({
      action: 'cancel',
      beds24BookingId: 9001,
      units: [
        { op: 'update', unit: 1, reservationId: 'res-1', changes: { status: 'cancelled' }, room: 'keep' },
        { op: 'keep', unit: 2, reservationId: 'res-2' },
      ],
    });
    expect(isNoOp(plan)).toBe(false);
  });

  it('held with no units is a new booking', () => {
    expect(unitPlans(planBookingImport(booking(), { guest: GUEST, units: [] }))).toMatchObject([
      { op: 'create', unit: 1 },
    ]);
  });
});

describe('status, counts and price helpers', () => {
  it.each<[string | undefined, ReservationStatus | undefined]>([
    ['new', 'confirmed'],
    ['confirmed', 'confirmed'],
    ['request', 'pending'],
    ['cancelled', 'cancelled'],
    ['black', 'confirmed'],
    ['inquiry', undefined],
    ['Confirmed', undefined],
    [undefined, undefined],
  ])('importedStatus(%s) = %s', (status, expected) => {
    expect(importedStatus(status)).toBe(expected);
  });

  it.each<[ReservationStatus | undefined, ReservationStatus, ReservationStatus]>([
    [undefined, 'confirmed', 'confirmed'],
    ['pending', 'confirmed', 'confirmed'],
    ['confirmed', 'pending', 'pending'],
    ['checked_in', 'pending', 'checked_in'],
    ['checked_out', 'confirmed', 'checked_out'],
    ['no_show', 'confirmed', 'no_show'],
    ['checked_in', 'cancelled', 'cancelled'],
    ['cancelled', 'confirmed', 'confirmed'],
  ])('nextStatus(held %s, Beds24 %s) = %s', (current, fromBeds24, expected) => {
    expect(nextStatus(current, fromBeds24)).toBe(expected);
  });

  it.each<[number, number, number[]]>([
    [5, 3, [2, 2, 1]],
    [2, 3, [1, 1, 1]],
    [6, 2, [3, 3]],
    [1, 1, [1]],
  ])('%i adults over %i units: %o', (total, units, expected) => {
    expect(Array.from({ length: units }, (_, i) => splitCount(total, units, i + 1, 1))).toEqual(expected);
  });

  it.each<[number | null | undefined, number | null]>([
    [120.5, 120.5],
    [0.005, 0.01],
    [1.004, 1],
    [-0.01, null],
    [Number.NaN, null],
    [null, null],
    [undefined, null],
    [99_999_999.99, 99_999_999.99],
  ])('importedPrice(%s) = %s', (price, expected) => {
    expect(importedPrice(price)).toBe(expected);
  });
});

describe('booking versions', () => {
  it.each<[string | null | undefined, number | undefined]>([
    ['2027-07-01T10:00:00Z', Date.UTC(2027, 6, 1, 10) / 1000],
    ['2027-07-01 10:00:00', Date.UTC(2027, 6, 1, 10) / 1000],
    ['2027-07-01T10:00:00', Date.UTC(2027, 6, 1, 10) / 1000],
    ['2027-07-01T12:00:00+02:00', Date.UTC(2027, 6, 1, 10) / 1000],
    ['2027-07-01T12:00:00+0200', Date.UTC(2027, 6, 1, 10) / 1000],
    ['2027-07-01T10:00:00.900Z', Date.UTC(2027, 6, 1, 10) / 1000],
    ['2027-07-01', undefined],
    ['', undefined],
    [null, undefined],
    [undefined, undefined],
  ])('modifiedSeconds(%s) = %s', (value, expected) => {
    expect(modifiedSeconds(value)).toBe(expected);
  });

  const version = (fields: Record<string, unknown> = {}): HeldVersion => ({
    modifiedTime: '2027-07-01T10:00:00Z',
    fingerprint: bookingFingerprint(booking(fields)),
  });

  it.each<[string, Record<string, unknown>, HeldVersion | null, string]>([
    ['nothing held', {}, null, 'newer'],
    ['a later modifiedTime', { modifiedTime: '2027-07-01T10:00:01Z', numAdult: 3 }, version(), 'newer'],
    ['a later modifiedTime with the same content', { modifiedTime: '2027-07-01T10:00:01Z' }, version(), 'newer'],
    ['an earlier modifiedTime', { modifiedTime: '2027-07-01T09:59:59Z', numAdult: 3 }, version(), 'older'],
    ['the same second, the same content', {}, version(), 'same'],
    ['the same second, different content', { numAdult: 3 }, version(), 'newer'],
    [
      'the same second written another way, the same content',
      { modifiedTime: '2027-07-01 10:00:00' },
      version(),
      'same',
    ],
    [
      'the same second within the second, different content',
      { modifiedTime: '2027-07-01T10:00:00.700Z', status: 'cancelled' },
      version(),
      'newer',
    ],
    ['no modifiedTime, the same content', { modifiedTime: null }, version(), 'same'],
    ['no modifiedTime, different content', { modifiedTime: '', price: 1 }, version(), 'newer'],
    ['nothing held about the time, different content', { numChild: 0 }, { ...version(), modifiedTime: null }, 'newer'],
  ])('%s → %s', (_name, fields, heldVersion, expected) => {
    expect(compareBookingVersion(booking(fields), heldVersion)).toBe(expected);
  });

  it.each<[string, Record<string, unknown>, boolean]>([
    ['modifiedTime alone', { modifiedTime: '2030-01-01T00:00:00Z' }, false],
    ['a field the import does not read', { flagColor: 'ff0000', invoiceItems: [{ amount: 1 }] }, false],
    ['a price written another way', { price: 345.5 }, false],
    ['the status', { status: 'new' }, true],
    ['the room', { roomId: 200002 }, true],
    ['a guest field', { email: 'x@example.org' }, true],
    ['the comments', { comments: 'other' }, true],
    ['roomQty', { roomQty: 2 }, true],
  ])('the fingerprint changes with %s: %s', (_name, fields, changes) => {
    expect(bookingFingerprint(booking(fields)) !== bookingFingerprint(booking())).toBe(changes);
  });
});
